//! The smallest useful waPC Kubewarden policy: it accepts every request and every settings
//! object. It exists as the baseline of the policy benchmark (`policy/host/examples/bench.rs`):
//! the per-request cost of the real policy is compared with the cost of this one in the same
//! host.

use kubewarden_policy_sdk::settings::Validatable;
use kubewarden_policy_sdk::wapc_guest as guest;
use kubewarden_policy_sdk::{accept_request, protocol_version_guest, validate_settings};
use serde::Deserialize;

/// The accept-all policy takes no settings (any object is accepted and ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Settings {}

impl Validatable for Settings {
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }
}

/// Registers the three waPC functions Kubewarden calls.
#[no_mangle]
pub extern "C" fn wapc_init() {
    guest::register_function("validate", validate);
    guest::register_function("validate_settings", validate_settings::<Settings>);
    guest::register_function("protocol_version", protocol_version_guest);
}

/// Accepts the request without reading it.
fn validate(_payload: &[u8]) -> guest::CallResult {
    accept_request()
}
