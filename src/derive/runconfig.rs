//! The serialized authserver run config (`buildEmbeddedAuthServerRunnerConfig` /
//! `BuildAuthServerRunConfig`), field by field in Go's struct order, and the map from its
//! snake_case paths back to the CRD fields they came from.

use super::env::{active_config_of, secret_ref};
use super::obj::{list, Obj};
use super::storage::storage;
use super::volumes::{hmac_file, key_file, HMAC_DIR, KEYS_DIR};
use crate::context::{ConsumerKind, Origin, WorkloadContext};
use crate::envname::{env_suffix, prefixed_env_name, CLIENT_SECRET_PREFIX, DCR_TOKEN_PREFIX};
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
        let fallback: Vec<String> = (1..keys.len()).map(key_file).collect();
        Obj::new()
            .str("key_dir", KEYS_DIR)
            .str("signing_key_file", &key_file(0))
            .list_oe("fallback_key_files", &fallback)
            .build()
    });
    let hmac: Vec<String> = (0..eas.items("hmacSecretRefs").len())
        .map(|i| [HMAC_DIR, "/", &hmac_file(i)].concat())
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
    if let (true, Some(res)) = (b.default_redirect_uri, redirect_base(ctx)) {
        for (i, p) in eas.items("upstreamProviders").iter().enumerate() {
            let Some(cfg) = active_config_of(p) else {
                continue;
            };
            if cfg.str_or_empty("redirectUri").is_empty() {
                let key = if p.str_or_empty("type") == "oidc" {
                    "oidcConfig"
                } else {
                    "oauth2Config"
                };
                let value = format!("{}/oauth/callback", res.trim_end_matches('/'));
                sink.emit(
                    "CT-09",
                    base.key("upstreamProviders").index(i).key(key),
                    format!(
                        "upstream {} has no redirectUri: the operator uses {value}",
                        crate::goutil::quote(p.str_or_empty("name"))
                    ),
                )
                .toolhive(format!("redirect_uri = {value}"))
                .at_key();
            }
        }
    }
    let audiences: Vec<String> = ctx.resource_url.iter().cloned().collect();
    let storage = storage(eas, &base.key("storage"), ctx, b, sink);
    check_dcr_pairing(eas, base, sink);
    for (i, p) in eas.items("upstreamProviders").iter().enumerate() {
        let dcr = (p.str_or_empty("type") == "oauth2")
            .then(|| p.object("oauth2Config").and_then(|c| c.object("dcrConfig")))
            .flatten();
        if dcr.is_some_and(|d| !d.has("initialAccessTokenRef")) {
            sink.emit(
                "CT-02",
                base.key("upstreamProviders")
                    .index(i)
                    .key("oauth2Config")
                    .key("dcrConfig"),
                format!(
                    "upstream {} registers by DCR without an initial access token: no {DCR_TOKEN_PREFIX}{} variable is generated",
                    crate::goutil::quote(p.str_or_empty("name")),
                    env_suffix(p.str_or_empty("name"))
                ),
            )
            .at_key();
        }
    }
    for (i, c) in eas.items("delegateClients").iter().enumerate() {
        if secret_ref(c, "clientSecretRef").is_some() {
            sink.emit(
                "CT-03",
                base.key("delegateClients").index(i),
                format!(
                    "delegate client {} receives its secret as {}: the name follows its position in delegateClients",
                    crate::goutil::quote(c.str_or_empty("clientId")),
                    delegate_secret_var(i)
                ),
            )
            .toolhive(format!("{} ← secretKeyRef", delegate_secret_var(i)));
        }
    }
    let delegates = delegate_clients(eas, base, sink);
    let cimd = eas.object("cimd").filter(|c| c.flag("enabled")).map(|c| {
        let size = match c.get("cacheMaxSize").map(|v| &v.value) {
            Some(Value::Int(n)) if *n != 0 => Some(Node::new(Value::Int(*n))),
            _ => None,
        };
        Obj::new()
            .put("enabled", Node::new(Value::Bool(true)))
            .opt("cache_max_size", size)
            .str_oe("cache_fallback_ttl", c.str_or_empty("cacheFallbackTtl"))
            .build()
    });
    let trusted: Vec<Node> = eas
        .items("trustedIssuers")
        .iter()
        .map(trusted_issuer)
        .collect();
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
        .put(
            "allowed_audiences",
            // A VirtualMCPServer without an incoming resource URL passes a nil list.
            match (&ctx.origin, audiences.is_empty()) {
                (Origin::Consumer(ConsumerKind::VirtualMcpServer, _), true) => {
                    Node::new(Value::Null)
                }
                _ => list(&audiences),
            },
        )
        .opt("storage", storage)
        .flag_oe(
            "disable_upstream_token_injection",
            eas.flag("disableUpstreamTokenInjection"),
        )
        .opt("cimd", cimd)
        .flag_oe("insecure_allow_http", eas.flag("insecureAllowHTTP"))
        .opt(
            "trusted_issuers",
            (!trusted.is_empty()).then(|| Node::new(Value::Seq(trusted))),
        )
        .flag_oe(
            "allow_confidential_client_registration",
            eas.flag("allowConfidentialClientRegistration"),
        )
        .list_oe(
            "force_confidential_redirect_uris",
            &eas.strings("forceConfidentialRedirectUris"),
        )
        .flag_oe(
            "insecure_allow_confidential_over_loopback_http",
            eas.flag("insecureAllowConfidentialOverLoopbackHTTP"),
        )
        .opt(
            "delegate_clients",
            (!delegates.is_empty()).then(|| Node::new(Value::Seq(delegates))),
        )
        .build()
}

/// The environment variable of delegate client `i` (profile 2026-08, rule CT-03).
pub fn delegate_secret_var(i: usize) -> String {
    format!("TOOLHIVE_DELEGATE_CLIENT_SECRET_{i}")
}

/// `delegate_clients[i]`: the client secret always comes from its positional env var. A
/// client without a complete secret reference fails the build (CT-11).
fn delegate_clients(eas: &Node, base: &Path, sink: &mut Sink) -> Vec<Node> {
    let mut out = Vec::new();
    for (i, c) in eas.items("delegateClients").iter().enumerate() {
        let complete = c.object("clientSecretRef").is_some_and(|r| {
            !r.str_or_empty("name").is_empty() && !r.str_or_empty("key").is_empty()
        });
        if !complete {
            sink.emit(
                "CT-11",
                base.key("delegateClients").index(i),
                format!(
                    "delegate client {} has no complete clientSecretRef (name and key)",
                    crate::goutil::quote(c.str_or_empty("clientId"))
                ),
            )
            .toolhive(format!(
                "delegateClients[{i}].clientSecretRef.name and clientSecretRef.key are required"
            ));
            continue;
        }
        out.push(
            Obj::new()
                .str("client_id", c.str_or_empty("clientId"))
                .str("client_secret_env_var", &delegate_secret_var(i))
                .put("scopes", list(&c.strings("scopes")))
                .put("audiences", list(&c.strings("audiences")))
                .build(),
        );
    }
    out
}

/// `trusted_issuers[i]`: a 1:1 copy; `max_assertion_age` re-printed as Go's `Duration.String()`.
fn trusted_issuer(t: &Node) -> Node {
    let grant = t.object("jwtBearerGrant").map(|g| {
        let raw = g.str_or_empty("maxAssertionAge");
        let age = match crate::goutil::parse_duration(raw) {
            Ok(ns) if !raw.is_empty() => crate::goutil::format_duration(ns),
            _ => raw.to_owned(),
        };
        let bindings = g
            .items("subjectBindings")
            .iter()
            .map(|b| {
                Obj::new()
                    .str("subject", b.str_or_empty("subject"))
                    .put("allowed_resources", list(&b.strings("allowedResources")))
                    .build()
            })
            .collect();
        Obj::new()
            .str("max_assertion_age", &age)
            .put("subject_bindings", Node::new(Value::Seq(bindings)))
            .list_oe("accepted_audiences", &g.strings("acceptedAudiences"))
            .build()
    });
    Obj::new()
        .str("issuer_url", t.str_or_empty("issuerUrl"))
        .str("expected_audience", t.str_or_empty("expectedAudience"))
        .str_oe("jwks_url", t.str_or_empty("jwksUrl"))
        .flag_oe("insecure_allow_http", t.flag("insecureAllowHTTP"))
        .flag_oe("allow_private_ips", t.flag("allowPrivateIPs"))
        .str_oe("actor_claim", t.str_or_empty("actorClaim"))
        .list_oe("allowed_actors", &t.strings("allowedActors"))
        .str_oe("actor_matcher", t.str_or_empty("actorMatcher"))
        .list_oe(
            "allowed_delegate_clients",
            &t.strings("allowedDelegateClients"),
        )
        .flag_oe("allow_may_act", t.flag("allowMayAct"))
        .opt("jwt_bearer_grant", grant)
        .build()
}

/// `ValidateOAuth2DCRConfig` as the H build runs it per OAuth2 upstream (CT-10); the same
/// problems are reported earlier by CEL (C-25…C-27) and `Validate()` (W-13…W-17).
fn check_dcr_pairing(eas: &Node, base: &Path, sink: &mut Sink) {
    for (i, p) in eas.items("upstreamProviders").iter().enumerate() {
        if p.str_or_empty("type") != "oauth2" {
            continue;
        }
        let Some(cfg) = p.object("oauth2Config") else {
            continue;
        };
        let at = base.key("upstreamProviders").index(i).key("oauth2Config");
        let n = crate::goutil::quote(p.str_or_empty("name"));
        let mut fail = |path: Path, ours: String, theirs: String| {
            sink.emit("CT-10", path, ours)
                .toolhive(format!("upstream {n}: {theirs}"));
        };
        let dcr = cfg.object("dcrConfig");
        if cfg.str_or_empty("clientId").is_empty() == dcr.is_none() {
            fail(
                at.clone(),
                "set exactly one of clientId and dcrConfig".into(),
                "oauth2Config: exactly one of clientId or dcrConfig must be set".into(),
            );
        }
        let Some(d) = dcr else {
            continue;
        };
        if cfg.has("clientSecretRef") {
            fail(
                at.clone(),
                "clientSecretRef is set together with dcrConfig".into(),
                "oauth2Config: clientSecretRef must not be set when dcrConfig is set; the client_secret is obtained at runtime via Dynamic Client Registration".into(),
            );
        }
        let dat = at.key("dcrConfig");
        if d.str_or_empty("discoveryUrl").is_empty()
            == d.str_or_empty("registrationEndpoint").is_empty()
        {
            fail(
                dat.clone(),
                "set exactly one of discoveryUrl and registrationEndpoint".into(),
                "oauth2Config.dcrConfig: exactly one of discoveryUrl or registrationEndpoint must be set".into(),
            );
        }
        for (field, max) in [
            ("discoveryUrl", 2048),
            ("registrationEndpoint", 2048),
            ("softwareStatement", 16384),
        ] {
            let len = d.str_or_empty(field).len();
            if len > max {
                fail(
                    dat.key(field),
                    format!("{field} is {len} bytes long, more than {max}"),
                    format!("oauth2Config.dcrConfig.{field}: length {len} exceeds maximum {max}"),
                );
            }
        }
    }
}

/// The resource URL an empty `redirectUri` defaults from (`<url>/oauth/callback`, profile
/// 2026-08): ToolHive applies the default only when the URL is non-empty (a VirtualMCPServer
/// may pass an empty one).
fn redirect_base(ctx: &WorkloadContext) -> Option<&str> {
    ctx.resource_url.as_deref().filter(|r| !r.is_empty())
}

fn upstream(p: &Node, ctx: &WorkloadContext, b: &Behaviour) -> Node {
    let name = p.str_or_empty("name");
    let ty = p.str_or_empty("type");
    let secret_var = |cfg: &Node| {
        secret_ref(cfg, "clientSecretRef").map(|_| prefixed_env_name(CLIENT_SECRET_PREFIX, name))
    };
    let redirect = |cfg: &Node| -> String {
        let given = cfg.str_or_empty("redirectUri");
        match (
            redirect_base(ctx),
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
                    .opt("additional_authorization_params", params(cfg))
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
            let identity = cfg.object("identityFromToken").map(|t| {
                Obj::new()
                    .str("subject_path", t.str_or_empty("subjectPath"))
                    .str_oe("name_path", t.str_or_empty("namePath"))
                    .str_oe("email_path", t.str_or_empty("emailPath"))
                    .build()
            });
            let dcr = cfg.object("dcrConfig").map(|d| {
                let token_var = secret_ref(d, "initialAccessTokenRef")
                    .map(|_| format!("{DCR_TOKEN_PREFIX}{}", env_suffix(name)))
                    .unwrap_or_default();
                Obj::new()
                    .str_oe("discovery_url", d.str_or_empty("discoveryUrl"))
                    .str_oe(
                        "registration_endpoint",
                        d.str_or_empty("registrationEndpoint"),
                    )
                    .str_oe("initial_access_token_env_var", &token_var)
                    .str_oe("software_id", d.str_or_empty("softwareId"))
                    .str_oe("software_statement", d.str_or_empty("softwareStatement"))
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
                    .opt("identity_from_token", identity)
                    .opt("additional_authorization_params", params(cfg))
                    .opt("dcr_config", dcr)
                    .flag_oe("allow_private_ips", cfg.flag("allowPrivateIPs"))
                    .flag_oe("insecure_allow_http", cfg.flag("insecureAllowHTTP"))
                    .build(),
            );
        }
    }
    obj.build()
}

/// `additional_authorization_params` (a map; `omitempty`).
fn params(cfg: &Node) -> Option<Node> {
    string_map(cfg.object("additionalAuthorizationParams")?)
}

/// A Go `map[string]string` as ToolHive's run config carries it: `None` when empty
/// (`omitempty`), else its members sorted by key, as Go's JSON and YAML encoders write a map.
fn string_map(map: &Node) -> Option<Node> {
    let mut entries = map.as_map().filter(|m| !m.is_empty())?.to_vec();
    entries.sort_by(|a, b| a.key.cmp(&b.key));
    Some(Node {
        value: Value::Map(entries),
        span: map.span,
    })
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
            u.object("additionalHeaders").and_then(string_map),
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
    ("insecure_allow_http", "insecureAllowHTTP"),
    ("allow_private_ips", "allowPrivateIPs"),
    (
        "insecure_allow_confidential_over_loopback_http",
        "insecureAllowConfidentialOverLoopbackHTTP",
    ),
    ("initial_access_token_env_var", "initialAccessTokenRef"),
];

/// Map-valued members whose keys are data (copied verbatim, not camel-cased).
const MAP_MEMBERS: &[&str] = &["additional_authorization_params", "additional_headers"];

/// Members that come from the workload, not from the config: problems there point at the
/// config block itself.
const FROM_WORKLOAD: &[&str] = &["allowed_audiences", "scopes_supported"];

/// Maps a path in the run config (`upstreams[1].oidc_config.redirect_uri`) to the CRD field it
/// was built from, under `base` (`spec.embeddedAuthServer.upstreamProviders[1].oidcConfig.redirectUri`).
pub fn runtime_path_to_crd(runtime: &Path, base: &Path) -> Path {
    let mut out = base.clone();
    let mut verbatim = false;
    for seg in runtime.segments() {
        out = match seg {
            Segment::Index(i) => out.index(*i),
            // A key of a map-valued member (a parameter or header name) is data, not a field.
            Segment::Key(k) if verbatim => {
                verbatim = false;
                out.key(k)
            }
            Segment::Key(k) if FROM_WORKLOAD.contains(&&**k) => return out,
            Segment::Key(k) => {
                let renamed = RENAMES
                    .iter()
                    .find(|(from, _)| **from == **k)
                    .map_or_else(|| camel(k), |(_, to)| (*to).to_owned());
                verbatim = MAP_MEMBERS.contains(&&**k);
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
            (
                "upstreams[0].oidc_config.additional_authorization_params.response_type",
                "spec.embeddedAuthServer.upstreamProviders[0].oidcConfig.additionalAuthorizationParams.response_type",
            ),
            (
                "trusted_issuers[0].allow_private_ips",
                "spec.embeddedAuthServer.trustedIssuers[0].allowPrivateIPs",
            ),
        ];
        for (rt, crd) in cases {
            assert_eq!(
                runtime_path_to_crd(&Path::parse(rt), &base).to_string(),
                crd
            );
        }
    }
}
