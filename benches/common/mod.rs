//! The benchmark documents, shared by `check` (divan) and `ratio` (paired rounds).

use mcpauth_guard::parse::parse_text;

/// Upstream counts every benchmark covers.
pub const SIZES: &[usize] = &[1, 2, 10, 100, 1000];

/// A valid MCPExternalAuthConfig with `n` upstreams (alternating OIDC and OAuth2), as YAML.
pub fn yaml(n: usize) -> String {
    let mut s = String::from(
        "apiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPExternalAuthConfig\nmetadata:\n  name: bench\n  namespace: default\nspec:\n  type: embeddedAuthServer\n  embeddedAuthServer:\n    issuer: https://auth.example.com\n    signingKeySecretRefs:\n      - name: keys\n        key: current.pem\n    hmacSecretRefs:\n      - name: hmac\n        key: current\n    upstreamProviders:\n",
    );
    for i in 0..n {
        if i % 2 == 0 {
            s.push_str(&format!(
                "      - name: okta-{i}\n        type: oidc\n        oidcConfig:\n          issuerUrl: https://tenant-{i}.okta.com/oauth2/default\n          clientId: client-{i}\n          clientSecretRef:\n            name: okta-{i}\n            key: client-secret\n          redirectUri: https://mcp.example.com/oauth/callback\n          scopes: [openid, profile, email]\n"
            ));
        } else {
            s.push_str(&format!(
                "      - name: github-{i}\n        type: oauth2\n        oauth2Config:\n          authorizationEndpoint: https://github.com/login/oauth/authorize\n          tokenEndpoint: https://github.com/login/oauth/access_token\n          clientId: client-{i}\n          clientSecretRef:\n            name: github-{i}\n            key: client-secret\n          redirectUri: https://mcp.example.com/oauth/callback\n          userInfo:\n            endpointUrl: https://api.github.com/user\n"
            ));
        }
    }
    s
}

/// The same document as JSON.
pub fn json(n: usize) -> String {
    let doc = parse_text(&yaml(n))
        .expect("bench YAML parses")
        .remove(0)
        .root
        .to_json();
    serde_json::to_string_pretty(&doc).expect("serializes")
}
