//! Start-up: the auth server's own validation inside the pod (`pkg/authserver`), run on the
//! run config the operator would build (or on a run config document). Paths here are run-config
//! paths (`upstreams[1].name`); the caller maps them back to CRD fields.

mod urls;

use crate::envname::{is_dns_label, DEFAULT_UPSTREAM_NAME};
use crate::goutil::{parse_duration, quote};
use crate::path::Path;
use crate::profile::Behaviour;
use crate::sink::Sink;
use crate::tree::Node;
use urls::{check_endpoint, check_issuer, check_redirect_uri, check_user_info};

/// Whether the allowed audiences are known (from a workload) and may be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audiences {
    /// Check them (run config documents; configs with a known resource URL).
    Check,
    /// Unknown workload: skip the check.
    Unknown,
}

/// Runs the start-up validation on a run config.
pub fn check(rc: &Node, b: &Behaviour, audiences: Audiences, sink: &mut Sink) {
    let root = Path::root();
    if let Err(e) = check_issuer(rc.str_or_empty("issuer"), false, b) {
        sink.emit(
            "RT-01",
            root.key("issuer"),
            format!("the auth server's issuer is invalid: {e}"),
        )
        .toolhive(format!("issuer: {e}"));
    }
    check_upstreams(rc, b, sink);
    if audiences == Audiences::Check && rc.items("allowed_audiences").is_empty() {
        sink.emit("RT-21", root.key("allowed_audiences"), "no allowed audience: the workload has no resource URL")
            .toolhive("at least one allowed audience is required for MCP compliance (RFC 8707 resource parameter validation)");
    }
    if let Some(l) = rc.object("token_lifespans") {
        for (key, what) in [
            ("access_token_lifespan", "access token"),
            ("refresh_token_lifespan", "refresh token"),
            ("auth_code_lifespan", "auth code"),
        ] {
            let v = l.str_or_empty(key);
            if v.is_empty() {
                continue;
            }
            if let Err(e) = parse_duration(v) {
                sink.emit(
                    "RT-32",
                    root.key("token_lifespans").key(key),
                    format!("{what} lifespan {} is not a Go duration", quote(v)),
                )
                .toolhive(format!(
                    "failed to parse token lifespans: invalid {what} lifespan: {e}"
                ));
            }
        }
    }
}

fn check_upstreams(rc: &Node, b: &Behaviour, sink: &mut Sink) {
    let at = Path::root().key("upstreams");
    let ups = rc.items("upstreams");
    if ups.is_empty() {
        sink.emit("RT-05", at, "no upstream is configured")
            .toolhive("at least one upstream is required");
        return;
    }
    let multi = ups.len() > 1;
    let mut resolved = std::collections::HashSet::new();
    for (i, u) in ups.iter().enumerate() {
        let up = at.index(i);
        let mut name = u.str_or_empty("name").to_owned();
        if !multi && name.is_empty() {
            sink.emit("RT-06", up.key("name"), "the only upstream has no name; the auth server names it \"default\"")
                .hint("name it explicitly; its client secret variable is TOOLHIVE_UPSTREAM_CLIENT_SECRET_DEFAULT until you do");
            name = DEFAULT_UPSTREAM_NAME.to_owned();
        }
        if multi && name.is_empty() {
            sink.emit(
                "RT-07",
                up.key("name"),
                format!(
                    "upstream {i} has no name, but there are {} upstreams",
                    ups.len()
                ),
            )
            .toolhive(format!(
                "upstream[{i}]: name must be explicitly set when multiple upstreams are configured"
            ));
        } else if multi && name == DEFAULT_UPSTREAM_NAME {
            let d = sink.emit(
                "RT-08",
                up.key("name"),
                "\"default\" is reserved when more than one upstream is configured",
            );
            d.toolhive(format!("upstream[{i}]: name \"default\" is reserved for single-upstream configs; use a descriptive name"));
            if let Some(host) = provider_host(u) {
                d.hint(format!(
                    "give this upstream a descriptive name such as {host:?}"
                ));
            }
        } else if !is_dns_label(&name) {
            let d = sink.emit(
                "RT-09",
                up.key("name"),
                format!("upstream name {} is not a DNS label", quote(&name)),
            );
            d.toolhive(format!(
                "upstream[{i}]: name {} must match ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ (lowercase alphanumeric and hyphens)",
                quote(&name)
            ));
            if let Some(fixed) = crate::envname::suggest_name(&name) {
                d.hint(format!("use {fixed:?}"))
                    .fix(serde_json::Value::String(fixed));
            }
        }
        if !name.is_empty() && !resolved.insert(name.clone()) {
            sink.emit(
                "RT-10",
                up.key("name"),
                format!("upstream name {} is used twice", quote(&name)),
            )
            .toolhive(format!("duplicate upstream name: {}", quote(&name)));
        }
        check_upstream_type(u, &name, &up, b, sink);
    }
}

/// A short, name-like label for a provider (its issuer or endpoint host's first label).
fn provider_host(u: &Node) -> Option<String> {
    let url = u
        .object("oidc_config")
        .map(|c| c.str_or_empty("issuer_url"))
        .or_else(|| {
            u.object("oauth2_config")
                .map(|c| c.str_or_empty("authorization_endpoint"))
        })?;
    let host = crate::goutil::parse_url(url).ok()?.hostname().to_owned();
    let label = host
        .split('.')
        .rev()
        .nth(1)
        .unwrap_or(&host)
        .to_ascii_lowercase();
    crate::envname::suggest_name(&label).filter(|l| l != DEFAULT_UPSTREAM_NAME)
}

fn check_upstream_type(u: &Node, name: &str, up: &Path, b: &Behaviour, sink: &mut Sink) {
    let n = quote(name);
    let ty = u.str_or_empty("type");
    let (own, other, own_label, other_label) = match ty {
        "oidc" => ("oidc_config", "oauth2_config", "OIDC", "oidc"),
        "oauth2" => ("oauth2_config", "oidc_config", "OAuth2", "oauth2"),
        _ => {
            sink.emit(
                "RT-11",
                up.key("type"),
                format!("upstream type {} is neither oidc nor oauth2", quote(ty)),
            )
            .toolhive(format!(
                "upstream {n}: unsupported provider type: {}",
                quote(ty)
            ));
            return;
        }
    };
    let Some(cfg) = u.object(own) else {
        sink.emit(
            "RT-11",
            up.clone(),
            format!("upstream {n} is of type {ty} but has no {own}"),
        )
        .toolhive(format!(
            "upstream {n}: {own} is required for {own_label} provider"
        ));
        return;
    };
    if u.has(other) {
        sink.emit(
            "RT-11",
            up.key(other),
            format!("upstream {n} is of type {ty} but also has {other}"),
        )
        .toolhive(format!(
            "upstream {n}: {other} must not be set when type is \"{other_label}\""
        ));
    }
    let at = up.key(own);
    let mut fail = |rule: &str, field: &str, ours: String, theirs: String| {
        // `field` may be a dotted sub-path (`userinfo.endpoint_url`).
        let path = field
            .split('.')
            .filter(|f| !f.is_empty())
            .fold(at.clone(), |p, f| p.key(f));
        sink.emit(rule, path, ours)
            .toolhive(format!("upstream {n}: {theirs}"));
    };
    if ty == "oidc" {
        let issuer = cfg.str_or_empty("issuer_url");
        if issuer.is_empty() {
            fail(
                "RT-12",
                "issuer_url",
                "the OIDC issuer URL is empty".into(),
                "issuer is required for OIDC providers".into(),
            );
        } else if let Err(e) = check_endpoint(issuer, b) {
            fail(
                "RT-12",
                "issuer_url",
                format!("the OIDC issuer URL is not usable: {e}"),
                format!("invalid issuer URL: {e}"),
            );
        }
    } else {
        for (key, label) in [
            ("authorization_endpoint", "authorization_endpoint"),
            ("token_endpoint", "token_endpoint"),
        ] {
            let v = cfg.str_or_empty(key);
            if v.is_empty() {
                fail(
                    "RT-14",
                    key,
                    format!("{label} is empty"),
                    format!("{label} is required for OAuth2 providers"),
                );
            } else if let Err(e) = check_endpoint(v, b) {
                fail(
                    "RT-14",
                    key,
                    format!("{label} is not usable: {e}"),
                    format!("invalid {label}: {e}"),
                );
            }
        }
        if let Some(ui) = cfg.object("userinfo") {
            if let Err((field, e)) = check_user_info(ui, b) {
                fail(
                    "RT-15",
                    &format!("userinfo.{field}"),
                    format!("the userinfo config is invalid: {e}"),
                    format!("invalid userinfo config: {e}"),
                );
            }
        }
        if let Some(m) = cfg.object("token_response_mapping") {
            if m.str_or_empty("access_token_path").is_empty() {
                fail(
                    "RT-16",
                    "token_response_mapping.access_token_path",
                    "the token response mapping has no access token path".into(),
                    "token_response_mapping.access_token_path is required when token_response_mapping is set".into(),
                );
            }
        }
    }
    if cfg.str_or_empty("client_id").is_empty() {
        fail(
            "RT-18",
            "client_id",
            "client_id is empty".into(),
            "client_id is required".into(),
        );
    }
    let redirect = cfg.str_or_empty("redirect_uri");
    if redirect.is_empty() {
        fail(
            "RT-18",
            "redirect_uri",
            format!("upstream {n} has no redirect URI; the auth server refuses to start"),
            "redirect_uri is required".into(),
        );
    } else if let Err(e) = check_redirect_uri(redirect) {
        fail(
            "RT-19",
            "redirect_uri",
            format!("the redirect URI is not acceptable: {e}"),
            e,
        );
    }
    // RT-34 comes from the OIDC provider's constructor, which does not prefix the upstream.
    let scopes = cfg.strings("scopes");
    if ty == "oidc" && !scopes.is_empty() && !scopes.iter().any(|s| s == "openid") {
        sink.emit("RT-34", at.key("scopes"), format!("the scopes of OIDC upstream {n} do not include openid"))
            .toolhive("openid scope is required for OIDC provider; use BaseOAuth2Provider for pure OAuth 2.0 flows");
    }
}
