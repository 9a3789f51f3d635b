//! A test host for Kubewarden waPC policies that runs them the way policy-server 1.35 does:
//! waPC over wasmtime (`wapc` 2.1.0, `wasmtime-provider` 2.19.0), one engine with epoch
//! interruption ticking every second, a pre-instance, a fresh instance per request with a
//! 2-tick deadline, and host callbacks for `kubewarden/tracing/log` and
//! `kubewarden/kubernetes/get_resource` (granted only for the module's
//! `contextAwareResources`), answered from an in-memory cluster state.

pub mod cluster;
pub mod review;
pub mod runtime;

pub use cluster::ClusterState;
pub use runtime::{Evaluation, HostError, PolicyHost, SettingsAnswer, ValidationResponse};
