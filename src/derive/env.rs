//! Environment variables (`GenerateAuthServerEnvVars`, rules CT-01…CT-04).

use serde::Serialize;

use crate::envname::{
    prefixed_env_name, CLIENT_SECRET_PREFIX, DCR_TOKEN_PREFIX, REDIS_PASSWORD, REDIS_USERNAME,
};
use crate::tree::Node;

/// A Kubernetes `EnvVar` whose value comes from a secret.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EnvVar {
    /// Variable name.
    pub name: String,
    /// Where the value comes from.
    pub value_from: EnvVarSource,
}

/// `EnvVarSource` with a secret key reference.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct EnvVarSource {
    /// The secret and key.
    pub secret_key_ref: SecretKeySelector,
}

/// `SecretKeySelector`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SecretKeySelector {
    /// Secret name.
    pub name: String,
    /// Key within the secret.
    pub key: String,
}

/// The `(name, key)` of a secret reference object, if the member is an object.
pub fn secret_ref(parent: &Node, member: &str) -> Option<(String, String)> {
    let r = parent.object(member)?;
    Some((
        r.str_or_empty("name").to_owned(),
        r.str_or_empty("key").to_owned(),
    ))
}

fn var(name: String, (secret, key): (String, String)) -> EnvVar {
    EnvVar {
        name,
        value_from: EnvVarSource {
            secret_key_ref: SecretKeySelector { name: secret, key },
        },
    }
}

/// The active config block of an upstream provider: `oidcConfig` for type `oidc`,
/// `oauth2Config` for type `oauth2`; a block that does not match the type is ignored.
pub fn active_config_of(provider: &Node) -> Option<&Node> {
    match provider.str_or_empty("type") {
        "oidc" => provider.object("oidcConfig"),
        "oauth2" => provider.object("oauth2Config"),
        _ => None,
    }
}

/// The env vars, in the operator's order: per upstream (spec order) its client secret then
/// its DCR token; then delegate clients; then Redis credentials.
pub fn env_vars(eas: &Node) -> Vec<EnvVar> {
    let mut out = Vec::new();
    for p in eas.items("upstreamProviders") {
        let name = p.str_or_empty("name");
        if let Some(cfg) = active_config_of(p) {
            if let Some(r) = secret_ref(cfg, "clientSecretRef") {
                out.push(var(prefixed_env_name(CLIENT_SECRET_PREFIX, name), r));
            }
            if p.str_or_empty("type") == "oauth2" {
                if let Some(r) = cfg
                    .object("dcrConfig")
                    .and_then(|d| secret_ref(d, "initialAccessTokenRef"))
                {
                    out.push(var(prefixed_env_name(DCR_TOKEN_PREFIX, name), r));
                }
            }
        }
    }
    for (i, c) in eas.items("delegateClients").iter().enumerate() {
        if let Some(r) = secret_ref(c, "clientSecretRef") {
            out.push(var(super::runconfig::delegate_secret_var(i), r));
        }
    }
    if let Some(storage) = eas.object("storage") {
        if storage.str("type") == Some("redis") {
            if let Some(acl) = storage
                .object("redis")
                .and_then(|r| r.object("aclUserConfig"))
            {
                if let Some(r) = secret_ref(acl, "usernameSecretRef") {
                    out.push(var(REDIS_USERNAME.to_owned(), r));
                }
                if let Some(r) = secret_ref(acl, "passwordSecretRef") {
                    out.push(var(REDIS_PASSWORD.to_owned(), r));
                }
            }
        }
    }
    out
}
