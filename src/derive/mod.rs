//! What ToolHive's operator generates for a workload that uses an embedded auth server
//! (`cmd/thv-operator/pkg/controllerutil/authserver.go`): environment variables, secret
//! volumes and their mounts, and the serialized authserver run config — in the operator's
//! order, with its names and paths.

pub(crate) mod env;
pub(crate) mod obj;
mod runconfig;
mod storage;
mod volumes;

use serde::Serialize;

pub use env::{env_vars, EnvVar, EnvVarSource, SecretKeySelector};
pub use runconfig::{run_config, runtime_path_to_crd};
pub use volumes::{volumes, KeyToPath, SecretVolumeSource, Volume, VolumeMount};

use crate::context::WorkloadContext;
use crate::path::Path;
use crate::profile::Behaviour;
use crate::sink::Sink;
use crate::tree::Node;

/// `prefix`, then `i` in decimal, then `suffix`: the operator's numbered names (`key-0.pem`,
/// `authserver-hmac-secret-1`), without the formatting machinery of `format!`.
fn numbered(prefix: &str, i: usize, suffix: &str) -> String {
    [prefix, itoa::Buffer::new().format(i), suffix].concat()
}

/// Everything the operator derives for one workload.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Derived {
    /// Container environment variables (secret references only, never values).
    pub env: Vec<EnvVar>,
    /// Pod volumes (one secret volume per key).
    pub volumes: Vec<Volume>,
    /// Container volume mounts (read-only, one file each).
    pub volume_mounts: Vec<VolumeMount>,
    /// The serialized authserver run config (snake_case keys, Go's field order).
    pub run_config: Node,
}

/// Derives env, volumes and run config from an admitted `EmbeddedAuthServerConfig` at `base`.
/// Build failures (storage, Sentinel addresses) are reported to `sink`; everything is derived
/// even then (without the failing part) so that start-up checks can still run, and the flag
/// says whether the operator would have succeeded.
pub fn derive(
    eas: &Node,
    base: &Path,
    ctx: &WorkloadContext,
    behaviour: &Behaviour,
    sink: &mut Sink,
) -> (Derived, bool) {
    let errors_before = sink.error_count(crate::report::Layer::Build);
    let run_config = run_config(eas, base, ctx, behaviour, sink);
    let built = sink.error_count(crate::report::Layer::Build) == errors_before;
    let (volumes, volume_mounts) = volumes(eas);
    let derived = Derived {
        env: env_vars(eas),
        volumes,
        volume_mounts,
        run_config,
    };
    (derived, built)
}
