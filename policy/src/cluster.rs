//! Reading other objects from the cluster: the host capability `kubernetes/get_resource`
//! (granted by `contextAwareResources` in metadata.yml), behind a trait so the policy's logic
//! can be tested natively.

use serde_json::{json, Value};

/// Where the policy reads other objects from.
pub trait Cluster {
    /// Fetches one namespaced object. The error is a short description for logs.
    fn get_resource(
        &self,
        api_version: &str,
        kind: &str,
        name: &str,
        namespace: &str,
    ) -> Result<Value, String>;
}

/// The Kubewarden host (policy-server, kwctl), through a waPC host call.
#[derive(Debug, Default, Clone, Copy)]
pub struct Host;

impl Cluster for Host {
    fn get_resource(
        &self,
        api_version: &str,
        kind: &str,
        name: &str,
        namespace: &str,
    ) -> Result<Value, String> {
        // The SDK's `GetResourceRequest` wire format (it is behind the SDK's
        // `cluster-context` feature, which this policy does not use).
        let request = json!({
            "api_version": api_version,
            "kind": kind,
            "name": name,
            "namespace": namespace,
            "disable_cache": false,
        });
        let msg = serde_json::to_vec(&request).map_err(|e| e.to_string())?;
        let raw = kubewarden_policy_sdk::wapc_guest::host_call(
            "kubewarden",
            "kubernetes",
            "get_resource",
            &msg,
        )
        .map_err(|e| e.to_string())?;
        serde_json::from_slice(&raw)
            .map_err(|e| format!("the host answered with invalid JSON: {e}"))
    }
}
