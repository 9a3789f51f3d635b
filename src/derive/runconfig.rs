//! The serialized authserver run config (`buildEmbeddedAuthServerRunnerConfig` /
//! `BuildAuthServerRunConfig`), field by field in Go's struct order, and the map from its
//! snake_case paths back to the CRD fields they came from.

use super::env::{active_config_of, secret_ref};
use super::obj::{list, Obj};
use super::storage::storage;
use super::volumes::{HMAC_DIR, KEYS_DIR};
use crate::context::WorkloadContext;
use crate::envname::{env_suffix, CLIENT_SECRET_PREFIX};
use crate::path::{Path, Segment};
use crate::profile::Behaviour;
use crate::sink::Sink;
use crate::tree::{Node, Value};

/// The run config schema version (both revisions).
pub const SCHEMA_VERSION: &str = "v0.1.0";

/// Builds the run config for an admitted `EmbeddedAuthServerConfig` at `base`.
pub fn run_config(
    eas: &Node,
    base: &Path,
    ctx: &WorkloadContext,
    b: &Behaviour,
    sink: &mut Sink,
) -> Node {
    let keys = eas.items("signingKeySecretRefs");
    let signing = (!keys.is_empty()).then(|| {
        let fallback: Vec<String> = (1..keys.len()).map(|i| format!("key-{i}.pem")).collect();
        Obj::new()
            .str("key_dir", KEYS_DIR)
            .str("signing_key_file", "key-0.pem")
            .list_oe("fallback_key_files", &fallback)
            .build()
    });
    let hmac: Vec<String> = (0..eas.items("hmacSecretRefs").len())
        .map(|i| format!("{HMAC_DIR}/hmac-{i}"))
        .collect();
    let lifespans = eas.object("tokenLifespans").map(|t| {
        Obj::new()
            .str_oe(
                "access_token_lifespan",
                t.str_or_empty("accessTokenLifespan"),
            )
            .str_oe(
                "refresh_token_lifespan",
                t.str_or_empty("refreshTokenLifespan"),
            )
            .str_oe("auth_code_lifespan", t.str_or_empty("authCodeLifespan"))
            .build()
    });
    let upstreams = eas
        .items("upstreamProviders")
        .iter()
        .map(|p| upstream(p, ctx, b))
        .collect();
    let audiences: Vec<String> = ctx.resource_url.iter().cloned().collect();
    let storage = storage(eas, &base.key("storage"), ctx, b, sink);
    Obj::new()
        .str("schema_version", SCHEMA_VERSION)
        .str("issuer", eas.str_or_empty("issuer"))
        .str_oe(
            "authorization_endpoint_base_url",
            eas.str_or_empty("authorizationEndpointBaseUrl"),
        )
        .opt("signing_key_config", signing)
        .list_oe("hmac_secret_files", &hmac)
        .opt("token_lifespans", lifespans)
        .put("upstreams", Node::new(Value::Seq(upstreams)))
        .list_oe("scopes_supported", ctx.scopes.as_deref().unwrap_or(&[]))
        .list_oe(
            "baseline_client_scopes",
            &eas.strings("baselineClientScopes"),
        )
        .put("allowed_audiences", list(&audiences))
        .opt("storage", storage)
        .build()
}

fn upstream(p: &Node, ctx: &WorkloadContext, b: &Behaviour) -> Node {
    let name = p.str_or_empty("name");
    let ty = p.str_or_empty("type");
    let secret_var = |cfg: &Node| {
        secret_ref(cfg, "clientSecretRef")
            .map(|_| format!("{CLIENT_SECRET_PREFIX}{}", env_suffix(name)))
    };
    let redirect = |cfg: &Node| -> String {
        let given = cfg.str_or_empty("redirectUri");
        match (
            &ctx.resource_url,
            b.default_redirect_uri && given.is_empty(),
        ) {
            (Some(res), true) => format!("{}/oauth/callback", res.trim_end_matches('/')),
            _ => given.to_owned(),
        }
    };
    let mut obj = Obj::new().str_oe("name", name).str("type", ty);
    if let Some(cfg) = active_config_of(p) {
        if ty == "oidc" {
            obj = obj.put(
                "oidc_config",
                Obj::new()
                    .str("issuer_url", cfg.str_or_empty("issuerUrl"))
                    .str("client_id", cfg.str_or_empty("clientId"))
                    .str_oe(
                        "client_secret_env_var",
                        &secret_var(cfg).unwrap_or_default(),
                    )
                    .str_oe("redirect_uri", &redirect(cfg))
                    .list_oe("scopes", &cfg.strings("scopes"))
                    .opt(
                        "userinfo_override",
                        cfg.object("userInfoOverride").map(user_info),
                    )
                    .opt(
                        "additional_authorization_params",
                        cfg.object("additionalAuthorizationParams").cloned(),
                    )
                    .str_oe("subject_claim", cfg.str_or_empty("subjectClaim"))
                    .build(),
            );
        } else {
            let userinfo = cfg.object("userInfo").map(user_info);
            let userinfo = match (userinfo, b.oauth2_userinfo_null) {
                (None, true) => Some(Node::new(Value::Null)),
                (u, _) => u,
            };
            let mapping = cfg.object("tokenResponseMapping").map(|m| {
                Obj::new()
                    .str("access_token_path", m.str_or_empty("accessTokenPath"))
                    .str_oe("scope_path", m.str_or_empty("scopePath"))
                    .str_oe("refresh_token_path", m.str_or_empty("refreshTokenPath"))
                    .str_oe("expires_in_path", m.str_or_empty("expiresInPath"))
                    .build()
            });
            obj = obj.put(
                "oauth2_config",
                Obj::new()
                    .str(
                        "authorization_endpoint",
                        cfg.str_or_empty("authorizationEndpoint"),
                    )
                    .str("token_endpoint", cfg.str_or_empty("tokenEndpoint"))
                    .str("client_id", cfg.str_or_empty("clientId"))
                    .str_oe(
                        "client_secret_env_var",
                        &secret_var(cfg).unwrap_or_default(),
                    )
                    .str_oe("redirect_uri", &redirect(cfg))
                    .list_oe("scopes", &cfg.strings("scopes"))
                    .opt("userinfo", userinfo)
                    .opt("token_response_mapping", mapping)
                    .build(),
            );
        }
    }
    obj.build()
}

fn user_info(u: &Node) -> Node {
    let mapping = u.object("fieldMapping").map(|m| {
        Obj::new()
            .list_oe("subject_fields", &m.strings("subjectFields"))
            .list_oe("name_fields", &m.strings("nameFields"))
            .list_oe("email_fields", &m.strings("emailFields"))
            .build()
    });
    Obj::new()
        .str("endpoint_url", u.str_or_empty("endpointUrl"))
        .str_oe("http_method", u.str_or_empty("httpMethod"))
        .opt(
            "additional_headers",
            u.object("additionalHeaders")
                .filter(|h| !h.as_map().unwrap_or(&[]).is_empty())
                .cloned(),
        )
        .opt("field_mapping", mapping)
        .build()
}

/// Run-config member names whose CRD name is not simply their camelCase form.
const RENAMES: &[(&str, &str)] = &[
    ("upstreams", "upstreamProviders"),
    ("userinfo", "userInfo"),
    ("userinfo_override", "userInfoOverride"),
    ("hmac_secret_files", "hmacSecretRefs"),
    ("signing_key_config", "signingKeySecretRefs"),
    ("redis_config", "redis"),
    ("sentinel_tls", "sentinelTls"),
    ("client_secret_env_var", "clientSecretRef"),
    ("issuer_url", "issuerUrl"),
];

/// Members that come from the workload, not from the config: problems there point at the
/// config block itself.
const FROM_WORKLOAD: &[&str] = &["allowed_audiences", "scopes_supported"];

/// Maps a path in the run config (`upstreams[1].oidc_config.redirect_uri`) to the CRD field it
/// was built from, under `base` (`spec.embeddedAuthServer.upstreamProviders[1].oidcConfig.redirectUri`).
pub fn runtime_path_to_crd(runtime: &Path, base: &Path) -> Path {
    let mut out = base.clone();
    for seg in runtime.segments() {
        out = match seg {
            Segment::Index(i) => out.index(*i),
            Segment::Key(k) if FROM_WORKLOAD.contains(&k.as_str()) => return out,
            Segment::Key(k) => {
                let renamed = RENAMES
                    .iter()
                    .find(|(from, _)| from == k)
                    .map_or_else(|| camel(k), |(_, to)| (*to).to_owned());
                out.key(&renamed)
            }
        };
    }
    out
}

fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_paths_point_back_at_crd_fields() {
        let base = Path::parse("spec.embeddedAuthServer");
        let cases = [
            (
                "upstreams[1].name",
                "spec.embeddedAuthServer.upstreamProviders[1].name",
            ),
            (
                "upstreams[0].oidc_config.redirect_uri",
                "spec.embeddedAuthServer.upstreamProviders[0].oidcConfig.redirectUri",
            ),
            (
                "upstreams[0].oauth2_config.userinfo.endpoint_url",
                "spec.embeddedAuthServer.upstreamProviders[0].oauth2Config.userInfo.endpointUrl",
            ),
            (
                "token_lifespans.access_token_lifespan",
                "spec.embeddedAuthServer.tokenLifespans.accessTokenLifespan",
            ),
            ("allowed_audiences[0]", "spec.embeddedAuthServer"),
            ("issuer", "spec.embeddedAuthServer.issuer"),
        ];
        for (rt, crd) in cases {
            assert_eq!(
                runtime_path_to_crd(&Path::parse(rt), &base).to_string(),
                crd
            );
        }
    }
}
