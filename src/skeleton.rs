//! Skeletons of configuration blocks, offered as fixes when a block is missing: the structure
//! ToolHive needs, with placeholder values the user replaces (every placeholder is a valid value,
//! so applying the fix turns the problem into a working, obviously-example configuration).

use serde_json::{json, Value};

/// An `oidcConfig` block.
pub fn oidc_config() -> Value {
    json!({
        "issuerUrl": "https://idp.example.com",
        "clientId": "CLIENT_ID",
        "clientSecretRef": { "name": "idp-oauth", "key": "client-secret" },
        "redirectUri": "https://mcp.example.com/oauth/callback"
    })
}

/// An `oauth2Config` block.
pub fn oauth2_config() -> Value {
    json!({
        "authorizationEndpoint": "https://idp.example.com/oauth/authorize",
        "tokenEndpoint": "https://idp.example.com/oauth/token",
        "clientId": "CLIENT_ID",
        "clientSecretRef": { "name": "idp-oauth", "key": "client-secret" },
        "redirectUri": "https://mcp.example.com/oauth/callback",
        "userInfo": { "endpointUrl": "https://idp.example.com/userinfo" }
    })
}

/// An `embeddedAuthServer` block with one OIDC upstream.
pub fn embedded_auth_server() -> Value {
    json!({
        "issuer": "https://auth.example.com",
        "upstreamProviders": [
            { "name": "idp", "type": "oidc", "oidcConfig": oidc_config() }
        ]
    })
}

#[cfg(test)]
mod tests {
    use crate::{check_values, Options};
    use serde_json::json;

    /// Applying the embedded-auth-server skeleton gives a config that every layer accepts.
    #[test]
    fn the_skeleton_is_valid() {
        let doc = json!({
            "apiVersion": "toolhive.stacklok.dev/v1alpha1", "kind": "MCPExternalAuthConfig",
            "metadata": { "name": "x" },
            "spec": { "type": "embeddedAuthServer", "embeddedAuthServer": super::embedded_auth_server() }
        });
        let report = check_values(&[doc], &Options::default()).unwrap();
        let errors: Vec<_> = report.documents[0]
            .diagnostics
            .iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}
