//! Start-up: the auth server's own validation inside the pod (`pkg/authserver`), run on the
//! run config the operator would build (or on a run config document). Paths here are run-config
//! paths (`upstreams[1].name`); the caller maps them back to CRD fields.

pub mod preflight;

use crate::envname::{is_dns_label, DEFAULT_UPSTREAM_NAME};
use crate::goutil::{parse_duration, quote};
use crate::layers::urls::{
    check_endpoint, check_issuer, check_redirect_uri_policy, check_user_info,
};
use crate::path::Path;
use crate::profile::Behaviour;
use crate::sink::Sink;
use crate::tree::Node;
use preflight::Problem;

/// Reframes a problem of the run-config checks as a diagnostic of its own rule.
pub fn emit_problem(sink: &mut Sink, p: Problem) {
    sink.emit(p.rule, p.path, p.ours).toolhive(p.theirs);
}

/// The largest delegation token lifespan (24h).
const MAX_DELEGATION_NS: i128 = 24 * 3_600_000_000_000;

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
    // Profile 2026-08: RunConfig.Validate() runs first (its rules do not apply at v0.13).
    for p in preflight::preflight(rc, b, audiences) {
        emit_problem(sink, p);
    }
    let insecure = b.insecure_allow_http && rc.flag("insecure_allow_http");
    if let Err(e) = check_issuer(rc.str_or_empty("issuer"), insecure, b) {
        sink.emit(
            "RT-01",
            root.key("issuer"),
            format!("the auth server's issuer is invalid: {e}"),
        )
        .toolhive(format!("issuer: {e}"));
    }
    let base_url = rc.str_or_empty("authorization_endpoint_base_url");
    if !base_url.is_empty() {
        if let Err(e) = check_issuer(base_url, insecure, b) {
            sink.emit(
                "RT-02",
                root.key("authorization_endpoint_base_url"),
                format!("the authorization endpoint base URL is invalid: {e}"),
            )
            .toolhive(format!("authorization_endpoint_base_url: {e}"));
        }
    }
    let delegation = rc.str_or_empty("delegation_token_lifespan");
    if !delegation.is_empty() {
        let at = root.key("delegation_token_lifespan");
        match parse_duration(delegation) {
            Err(e) => {
                sink.emit(
                    "RT-26",
                    at,
                    format!(
                        "delegation token lifespan {} is not a Go duration",
                        quote(delegation)
                    ),
                )
                .toolhive(format!("invalid delegation token lifespan: {e}"));
            }
            Ok(ns) if ns < 0 => {
                sink.emit("RT-26", at, "the delegation token lifespan is negative")
                    .toolhive("delegation token lifespan must not be negative");
            }
            Ok(ns) if ns > MAX_DELEGATION_NS => {
                sink.emit(
                    "RT-26",
                    at,
                    "the delegation token lifespan is longer than 24h",
                )
                .toolhive("delegation token lifespan must not exceed 24h0m0s");
            }
            Ok(_) => {}
        }
    }
    check_upstreams(rc, insecure, b, sink);
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

fn check_upstreams(rc: &Node, insecure: bool, b: &Behaviour, sink: &mut Sink) {
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
                .hint("name it explicitly: the operator derives its client secret variable from the empty name (TOOLHIVE_UPSTREAM_CLIENT_SECRET_), while the auth server calls it \"default\"");
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
            // A certain fix: the provider's own name (from its issuer or endpoint host) when no
            // other upstream has it, else `upstream-<i>`.
            let taken = |n: &str| ups.iter().any(|o| o.str_or_empty("name") == n);
            let fixed = provider_host(u)
                .filter(|h| !taken(h))
                .unwrap_or_else(|| format!("upstream-{i}"));
            if !taken(&fixed) {
                d.hint(format!(
                    "give this upstream a descriptive name such as {fixed:?}"
                ))
                .fix(serde_json::Value::String(fixed));
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
                up.clone(),
                format!("upstream name {} is used twice", quote(&name)),
            )
            .toolhive(format!("duplicate upstream name: {}", quote(&name)));
        }
        check_upstream_type(u, &name, &up, insecure, b, sink);
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

fn check_upstream_type(
    u: &Node,
    name: &str,
    up: &Path,
    global_insecure: bool,
    b: &Behaviour,
    sink: &mut Sink,
) {
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
    // Profile 2026-08: the serialized OAuth2 upstream is validated before anything else.
    if ty == "oauth2" && !oauth2_run_config_ok(cfg, &at, b, sink) {
        return;
    }
    let insecure = global_insecure || (b.insecure_allow_http && cfg.flag("insecure_allow_http"));
    // With DCR the client_id (and, with discovery, the endpoints) are filled in at start-up.
    let dcr = b.upstream_dcr && ty == "oauth2" && cfg.has("dcr_config");
    let discovery = dcr
        && cfg
            .object("dcr_config")
            .is_some_and(|d| !d.str_or_empty("discovery_url").is_empty());
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
        } else if let Err(e) = check_endpoint(issuer, insecure, b) {
            fail(
                "RT-12",
                "issuer_url",
                format!("the OIDC issuer URL is not usable: {e}"),
                format!("invalid issuer URL: {e}"),
            );
        }
        let claim = cfg.str_or_empty("subject_claim");
        if !claim.is_empty() && !is_claim_name(claim) {
            fail(
                "RT-13",
                "subject_claim",
                format!("subject claim {} is not a claim name", quote(claim)),
                format!("subject_claim {} must be a claim name: start with a letter or underscore and use only letters, digits, and underscores", quote(claim)),
            );
        }
    } else {
        for (key, label) in [
            ("authorization_endpoint", "authorization_endpoint"),
            ("token_endpoint", "token_endpoint"),
        ] {
            let v = cfg.str_or_empty(key);
            if v.is_empty() && discovery {
                continue;
            }
            if v.is_empty() {
                fail(
                    "RT-14",
                    key,
                    format!("{label} is empty"),
                    format!("{label} is required for OAuth2 providers"),
                );
            } else if let Err(e) = check_endpoint(v, insecure, b) {
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
    if cfg.str_or_empty("client_id").is_empty() && !dcr {
        fail(
            "RT-18",
            "client_id",
            "client_id is empty".into(),
            "client_id is required".into(),
        );
    }
    let redirect = cfg.str_or_empty("redirect_uri");
    // A DCR upstream's registration step, which runs first, defaults an empty redirect URI to
    // the auth server's own `<issuer>/oauth/callback` (rules reference §9).
    if redirect.is_empty() && !dcr {
        fail(
            "RT-18",
            "redirect_uri",
            format!("upstream {n} has no redirect URI; the auth server refuses to start"),
            "redirect_uri is required".into(),
        );
    }
    if let Some(params) = cfg.object("additional_authorization_params") {
        for e in params.as_map().unwrap_or(&[]) {
            if crate::layers::RESERVED_AUTHORIZATION_PARAMS.contains(&e.key.as_ref()) {
                fail(
                    "RT-20",
                    &format!("additional_authorization_params.{}", e.key),
                    format!("authorization parameter {} is managed by the auth server", quote(&e.key)),
                    format!("reserved parameter {} is managed by the framework and cannot be overridden", quote(&e.key)),
                );
            }
        }
    }
    let policy = if redirect.is_empty() {
        Ok(())
    } else {
        check_redirect_uri_policy(redirect, insecure)
    };
    if let Err(e) = policy {
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

/// `^[a-zA-Z_][a-zA-Z0-9_]*$`.
fn is_claim_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// `OAuth2UpstreamRunConfig.Validate()` (profile 2026-08, RT-31 and RT-17): whether the
/// serialized upstream passed.
fn oauth2_run_config_ok(cfg: &Node, at: &Path, b: &Behaviour, sink: &mut Sink) -> bool {
    if !b.upstream_dcr {
        return true;
    }
    let errors = sink.error_count(crate::report::Layer::Startup);
    let has_id = !cfg.str_or_empty("client_id").is_empty();
    let dcr = cfg.object("dcr_config");
    match (has_id, dcr.is_some()) {
        (false, false) => {
            sink.emit(
                "RT-31",
                at.clone(),
                "the OAuth2 upstream has neither a client_id nor a dcr_config",
            )
            .toolhive("oauth2 upstream: either client_id or dcr_config is required");
        }
        (true, true) => {
            sink.emit(
                "RT-31",
                at.clone(),
                "the OAuth2 upstream has both a client_id and a dcr_config",
            )
            .toolhive("oauth2 upstream: client_id and dcr_config are mutually exclusive");
        }
        _ => {}
    }
    if let Some(d) = dcr {
        let dat = at.key("dcr_config");
        let disc = d.str_or_empty("discovery_url");
        let reg = d.str_or_empty("registration_endpoint");
        let wrap = |e: &str| format!("oauth2 upstream: invalid dcr_config: dcr_config: {e}");
        let mut bad = |path: Path, ours: String, e: String| {
            sink.emit("RT-31", path, ours).toolhive(wrap(&e));
        };
        match (disc.is_empty(), reg.is_empty()) {
            (true, true) => bad(
                dat.clone(),
                "dcr_config has neither discovery_url nor registration_endpoint".into(),
                "either discovery_url or registration_endpoint is required".into(),
            ),
            (false, false) => bad(
                dat.clone(),
                "dcr_config has both discovery_url and registration_endpoint".into(),
                "discovery_url and registration_endpoint are mutually exclusive".into(),
            ),
            (false, true) => {
                if let Err(e) = check_endpoint(disc, false, b) {
                    bad(
                        dat.key("discovery_url"),
                        format!("the DCR discovery URL is not usable: {e}"),
                        format!("invalid discovery_url: {e}"),
                    );
                }
            }
            (true, false) => {
                if let Err(e) = check_endpoint(reg, false, b) {
                    bad(
                        dat.key("registration_endpoint"),
                        format!("the DCR registration endpoint is not usable: {e}"),
                        format!("invalid registration_endpoint: {e}"),
                    );
                }
            }
        }
        if !d.str_or_empty("initial_access_token_file").is_empty()
            && !d.str_or_empty("initial_access_token_env_var").is_empty()
        {
            bad(
                dat.clone(),
                "dcr_config has both an initial access token file and env var".into(),
                "initial_access_token_file and initial_access_token_env_var are mutually exclusive"
                    .into(),
            );
        }
        if !reg.is_empty()
            && (cfg.str_or_empty("authorization_endpoint").is_empty()
                || cfg.str_or_empty("token_endpoint").is_empty())
        {
            sink.emit("RT-31", at.clone(), "with a DCR registration_endpoint (no discovery) the authorization and token endpoints must be given")
                .toolhive("oauth2 upstream: authorization_endpoint and token_endpoint are required when dcr_config.registration_endpoint is set (no discovery to populate them)");
        }
    }
    if let Some(t) = cfg.object("identity_from_token") {
        if t.str_or_empty("subject_path").is_empty() {
            sink.emit("RT-17", at.key("identity_from_token").key("subject_path"), "identity_from_token has no subject_path")
                .toolhive("oauth2 upstream: identity_from_token.subject_path must not be empty when identity_from_token is configured");
        }
    }
    sink.error_count(crate::report::Layer::Startup) == errors
}
