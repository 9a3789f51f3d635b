//! Profile 2026-08: `RunConfig.Validate()` — the pre-flight on the serialized run config
//! before any I/O (rules reference §3.5–§3.7): CIMD, allowed audiences, delegate clients,
//! trusted issuers, confidential transport, forced confidential redirect URIs, baseline scopes.
//!
//! The operator runs the same checks on a reduced copy when it builds the workload (CT-12), so
//! they return [`Problem`]s, which the caller reports under its own rule id.

use super::Audiences;
use crate::goutil::{parse_duration, parse_url, quote};
use crate::layers::urls::{check_redirect_uri, check_trusted_issuer_url, is_loopback_host};
use crate::path::Path;
use crate::profile::Behaviour;
use crate::tree::Node;

/// The scopes the auth server advertises when `scopes_supported` is empty.
pub const DEFAULT_SCOPES: [&str; 4] = ["openid", "profile", "email", "offline_access"];

/// Claims a trusted issuer's `actor_claim` must not name.
const RESERVED_ACTOR_CLAIMS: [&str; 12] = [
    "sub", "iss", "aud", "exp", "iat", "nbf", "jti", "name", "email", "scope", "scp", "may_act",
];

/// One problem found by a check: the rule it belongs to, the run-config path, our message and
/// ToolHive's.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The rule id.
    pub rule: &'static str,
    /// Where, as a run-config path.
    pub path: Path,
    /// Our explanation.
    pub ours: String,
    /// ToolHive's text.
    pub theirs: String,
}

fn problem(rule: &'static str, path: Path, ours: impl Into<String>, theirs: String) -> Problem {
    Problem {
        rule,
        path,
        ours: ours.into(),
        theirs,
    }
}

/// The effective supported scopes: `scopes_supported`, or the default four.
pub fn effective_scopes(rc: &Node) -> Vec<String> {
    let s = rc.strings("scopes_supported");
    if s.is_empty() {
        DEFAULT_SCOPES.iter().map(|x| (*x).to_owned()).collect()
    } else {
        s
    }
}

/// An RFC 8707 resource URI (fosite): empty is fine; otherwise absolute http(s) with a host
/// and no fragment. The error is fosite's error code.
pub fn check_resource_uri(raw: &str) -> Result<(), String> {
    if raw.is_empty() {
        return Ok(());
    }
    let ok = parse_url(raw).is_ok_and(|u| {
        !u.scheme.is_empty()
            && !u.host.is_empty()
            && u.fragment.is_empty()
            && (u.scheme == "http" || u.scheme == "https")
    });
    if ok {
        Ok(())
    } else {
        Err("invalid_target".into())
    }
}

/// `RunConfig.Validate()`, in its order. Membership in the allowed audiences is only checked
/// when they are known.
pub fn preflight(rc: &Node, b: &Behaviour, audiences: Audiences) -> Vec<Problem> {
    let mut out = Vec::new();
    cimd(rc, &mut out);
    allowed_audiences(rc, &mut out);
    delegate_clients(rc, audiences, &mut out);
    trusted_issuers(rc, b, audiences, &mut out);
    confidential_transport(rc, b, &mut out);
    force_confidential(rc, b, &mut out);
    baseline_scopes(rc, &mut out);
    out
}

fn cimd(rc: &Node, out: &mut Vec<Problem>) {
    let Some(c) = rc.object("cimd").filter(|c| c.flag("enabled")) else {
        return;
    };
    let at = Path::root().key("cimd");
    if let Some(n) = c.get("cache_max_size").and_then(Node::as_int) {
        if n < 0 {
            out.push(problem(
                "RT-25",
                at.key("cache_max_size"),
                format!("the CIMD cache size {n} is negative"),
                format!("cimd: cache_max_size must be non-negative when CIMD is enabled, got {n}"),
            ));
        }
    }
    let ttl = c.str_or_empty("cache_fallback_ttl");
    if !ttl.is_empty() {
        match parse_duration(ttl) {
            Err(e) => out.push(problem(
                "RT-25",
                at.key("cache_fallback_ttl"),
                format!("the CIMD fallback TTL {} is not a Go duration", quote(ttl)),
                format!("cimd: cache_fallback_ttl: {e}"),
            )),
            Ok(ns) if ns <= 0 => out.push(problem(
                "RT-25",
                at.key("cache_fallback_ttl"),
                format!("the CIMD fallback TTL {} is not positive", quote(ttl)),
                format!(
                    "cimd: cache_fallback_ttl must be positive when CIMD is enabled, got {ttl}"
                ),
            )),
            Ok(_) => {}
        }
    }
}

fn allowed_audiences(rc: &Node, out: &mut Vec<Problem>) {
    for (i, a) in rc.items("allowed_audiences").iter().enumerate() {
        let a = a.as_str().unwrap_or("");
        let at = Path::root().key("allowed_audiences").index(i);
        if a.is_empty() {
            out.push(problem(
                "RT-22",
                at,
                "an allowed audience is empty",
                "allowed_audiences must not contain an empty audience".into(),
            ));
        } else if let Err(e) = check_resource_uri(a) {
            out.push(problem(
                "RT-22",
                at,
                format!(
                    "the allowed audience {} is not an RFC 8707 resource URI (absolute http(s) URL with a host and no fragment)",
                    quote(a)
                ),
                format!("allowed_audiences contains invalid audience {}: {e}", quote(a)),
            ));
        }
    }
}

fn delegate_clients(rc: &Node, audiences: Audiences, out: &mut Vec<Problem>) {
    if rc.items("delegate_clients").is_empty() {
        return;
    }
    let scopes = effective_scopes(rc);
    let allowed = rc.strings("allowed_audiences");
    let mut seen = std::collections::HashSet::new();
    for (i, c) in rc.items("delegate_clients").iter().enumerate() {
        let at = Path::root().key("delegate_clients").index(i);
        let id = c.str_or_empty("client_id");
        let q = quote(id);
        let mut fail = |path: Path, ours: String, theirs: String| {
            out.push(problem("RT-29", path, ours, theirs));
        };
        if id.is_empty() {
            fail(
                at.key("client_id"),
                "a delegate client has no client_id".into(),
                "delegate_clients: client_id is required".into(),
            );
            continue;
        }
        if !seen.insert(id.to_owned()) {
            fail(
                at.key("client_id"),
                format!("delegate client {q} is listed twice"),
                format!("delegate_clients: duplicate client_id {q}"),
            );
            continue;
        }
        if c.str_or_empty("client_secret_file").is_empty()
            && c.str_or_empty("client_secret_env_var").is_empty()
        {
            fail(
                at.clone(),
                format!("delegate client {q} has no secret source"),
                format!("delegate_clients: client_id {q}: client_secret_file or client_secret_env_var is required"),
            );
            continue;
        }
        let own_scopes = c.strings("scopes");
        if own_scopes.is_empty() {
            fail(
                at.key("scopes"),
                format!("delegate client {q} has no scopes"),
                format!("delegate_clients: client_id {q}: scopes is required"),
            );
            continue;
        }
        if let Some((j, s)) = own_scopes
            .iter()
            .enumerate()
            .find(|(_, s)| !scopes.contains(s))
        {
            fail(
                at.key("scopes").index(j),
                format!(
                    "scope {} of delegate client {q} is not a supported scope ({})",
                    quote(s),
                    scopes.join(", ")
                ),
                format!(
                    "delegate_clients[{id}].scopes contains {} which is not in scopes_supported",
                    quote(s)
                ),
            );
            continue;
        }
        let own_aud = c.strings("audiences");
        if own_aud.is_empty() {
            fail(
                at.key("audiences"),
                format!("delegate client {q} has no audiences"),
                format!("delegate_clients: client_id {q}: audiences is required"),
            );
            continue;
        }
        if audiences == Audiences::Check {
            if let Some((j, a)) = own_aud
                .iter()
                .enumerate()
                .find(|(_, a)| !allowed.contains(a))
            {
                fail(
                    at.key("audiences").index(j),
                    format!(
                        "audience {} of delegate client {q} is not an allowed audience (the workload's resource URL)",
                        quote(a)
                    ),
                    format!(
                        "delegate_clients: client_id {q}: audience {} is not in allowed_audiences",
                        quote(a)
                    ),
                );
            }
        }
    }
}

fn check_jwks_url(raw: &str, insecure: bool, allow_private: bool) -> Result<(), String> {
    let u = parse_url(raw).map_err(|e| format!("invalid URL: {e}"))?;
    if u.host.is_empty() {
        return Err("host is required".into());
    }
    if u.has_userinfo {
        return Err("must not contain userinfo (credentials in the URL)".into());
    }
    if u.scheme != "https" && !(u.scheme == "http" && insecure) {
        return Err(format!("must use HTTPS, got {}", quote(&u.scheme)));
    }
    if !allow_private {
        if let Ok(ip) = u.hostname().parse::<std::net::IpAddr>() {
            // Go's IsLoopback / IsPrivate / IsLinkLocalUnicast / IsLinkLocalMulticast, which
            // treat an IPv4-mapped IPv6 address as IPv4.
            let v4_private = |v4: std::net::Ipv4Addr| {
                v4.is_private()
                    || v4.is_loopback()
                    || v4.is_link_local()
                    || v4.octets()[..3] == [224, 0, 0]
            };
            let private = match ip {
                std::net::IpAddr::V4(v4) => v4_private(v4),
                std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                    Some(v4) => v4_private(v4),
                    None => {
                        let first = v6.segments()[0];
                        v6.is_loopback()
                            || (first & 0xfe00) == 0xfc00
                            || (first & 0xffc0) == 0xfe80
                            || (first & 0xff0f) == 0xff02
                    }
                },
            };
            if private {
                return Err("must not point to a private or loopback address".into());
            }
        }
    }
    Ok(())
}

fn trusted_issuers(rc: &Node, b: &Behaviour, audiences: Audiences, out: &mut Vec<Problem>) {
    let issuers = rc.items("trusted_issuers");
    if issuers.is_empty() {
        return;
    }
    let base = Path::root().key("trusted_issuers");
    let allowed = rc.strings("allowed_audiences");
    let own = rc.str_or_empty("issuer");
    let _ = b;
    // Step 1: URL shape of every issuer first.
    for (i, t) in issuers.iter().enumerate() {
        let at = base.index(i);
        let url = t.str_or_empty("issuer_url");
        let insecure = t.flag("insecure_allow_http");
        if let Err(e) = check_trusted_issuer_url(url, insecure) {
            out.push(problem(
                "RT-30",
                at.key("issuer_url"),
                format!("trusted issuer URL {} is not usable: {e}", quote(url)),
                format!("trusted_issuers: issuer_url {}: {e}", quote(url)),
            ));
        }
        let jwks = t.str_or_empty("jwks_url");
        if t.flag("allow_private_ips") && jwks.is_empty() {
            out.push(problem(
                "RT-30",
                at.clone(),
                "allowPrivateIPs needs an explicit jwksUrl",
                format!("trusted_issuers: issuer_url {}: allow_private_ips requires jwks_url to be set explicitly; otherwise OIDC discovery — fetched from the external issuer — would choose the private target", quote(url)),
            ));
        }
        if !jwks.is_empty() {
            if let Err(e) = check_jwks_url(jwks, insecure, t.flag("allow_private_ips")) {
                out.push(problem(
                    "RT-30",
                    at.key("jwks_url"),
                    format!("the JWKS URL {} is not usable: {e}", quote(jwks)),
                    format!("trusted_issuers: jwks_url {}: {e}", quote(jwks)),
                ));
            }
        }
    }
    // Step 2: structure, per issuer.
    let mut seen = std::collections::HashSet::new();
    for (i, t) in issuers.iter().enumerate() {
        let at = base.index(i);
        let url = t.str_or_empty("issuer_url");
        let u = quote(url);
        let mut fail = |path: Path, ours: String, theirs: String| {
            out.push(problem(
                "RT-30",
                path,
                ours,
                format!("trusted_issuers: {theirs}"),
            ));
        };
        if url.is_empty() {
            // Already reported by the URL check of step 1 ("issuer is required").
            continue;
        }
        let expected = t.str_or_empty("expected_audience");
        let grant = t.object("jwt_bearer_grant");
        if expected.is_empty() && grant.is_none() {
            fail(
                at.clone(),
                format!("trusted issuer {u} has neither an expected audience nor a JWT-bearer grant"),
                format!("issuer_url {u}: expected_audience is required when JWT-bearer grant is disabled"),
            );
            continue;
        }
        if url == own {
            fail(
                at.key("issuer_url"),
                format!("trusted issuer {u} is the auth server's own issuer"),
                format!("issuer_url {u}: must not equal the authorization server's own issuer; self-issued tokens are already handled separately"),
            );
            continue;
        }
        if !seen.insert(url.to_owned()) {
            fail(
                at.key("issuer_url"),
                format!("trusted issuer {u} is listed twice"),
                format!("issuer_url {u}: configured more than once"),
            );
            continue;
        }
        let claim = t.str_or_empty("actor_claim");
        if RESERVED_ACTOR_CLAIMS.contains(&claim) {
            fail(
                at.clone(),
                format!("actor claim {} is a registered claim", quote(claim)),
                format!("issuer_url {u}: actor_claim {} is not supported (use \"client_id\" or a non-registered claim such as \"azp\", \"appid\", \"cid\")", quote(claim)),
            );
            continue;
        }
        let delegation = !claim.is_empty()
            || !t.str_or_empty("actor_matcher").is_empty()
            || t.flag("allow_may_act")
            || !t.items("allowed_actors").is_empty();
        if expected.is_empty() && delegation {
            fail(
                at.clone(),
                format!("trusted issuer {u} configures delegation without an expected audience"),
                format!("issuer_url {u}: expected_audience is required when actor_claim, actor_matcher, allow_may_act, or allowed_actors is set"),
            );
            continue;
        }
        if !expected.is_empty() {
            let clients = t.strings("allowed_delegate_clients");
            let wildcard = clients.iter().any(|c| c == "*");
            let empty_at = clients.iter().position(String::is_empty);
            let msg = if clients.is_empty() {
                Some(("allowed_delegate_clients is required; set it to [\"*\"] to permit any ToolHive confidential client holding the token-exchange grant, or list specific client IDs to bind delegation to them — an issuer with no entries can never authorize a delegated exchange", "no allowed delegate clients"))
            } else if clients.iter().any(String::is_empty) {
                Some((
                    "allowed_delegate_clients must not contain an empty client ID",
                    "an empty allowed delegate client",
                ))
            } else if wildcard && clients.len() > 1 {
                Some(("allowed_delegate_clients must not combine the wildcard \"*\" with specific client IDs", "the wildcard mixed with client IDs"))
            } else if wildcard && t.flag("allow_may_act") {
                Some(("allow_may_act must not be enabled when allowed_delegate_clients contains the wildcard \"*\"", "allowMayAct with the wildcard"))
            } else {
                None
            };
            if let Some((theirs, ours)) = msg {
                let path = match empty_at {
                    Some(j) if !clients.is_empty() => at.key("allowed_delegate_clients").index(j),
                    _ => at.clone(),
                };
                fail(
                    path,
                    format!("trusted issuer {u}: {ours}"),
                    format!("issuer_url {u}: {theirs}"),
                );
                continue;
            }
        }
        let Some(g) = grant else {
            continue;
        };
        let gat = at.key("jwt_bearer_grant");
        let age = g.str_or_empty("max_assertion_age");
        if !parse_duration(age).is_ok_and(|ns| ns > 0) {
            fail(
                gat.clone(),
                format!("max assertion age {} is not a positive duration", quote(age)),
                format!("issuer_url {u}: jwt_bearer_grant.max_assertion_age must be a positive duration"),
            );
            continue;
        }
        let bindings = g.items("subject_bindings");
        if bindings.is_empty() {
            fail(
                gat.key("subject_bindings"),
                format!("trusted issuer {u}: the JWT-bearer grant has no subject bindings"),
                format!("issuer_url {u}: jwt_bearer_grant.subject_bindings is required"),
            );
            continue;
        }
        let mut subjects = std::collections::HashSet::new();
        let mut bad = false;
        for (j, bnd) in bindings.iter().enumerate() {
            let bat = gat.key("subject_bindings").index(j);
            let subject = bnd.str_or_empty("subject");
            let s = quote(subject);
            let mut res_fail = |path: Path, ours: String, theirs: String| {
                fail(path, ours, format!("issuer_url {u}: {theirs}"));
                bad = true;
            };
            if subject.is_empty() || subject == "*" {
                res_fail(
                    bat.key("subject"),
                    "a subject binding has an empty or wildcard subject".into(),
                    "jwt_bearer_grant.subject_bindings contains an empty or wildcard subject"
                        .into(),
                );
                break;
            }
            if !subjects.insert(subject.to_owned()) {
                res_fail(
                    gat.clone(),
                    format!("subject {s} is bound twice"),
                    format!("jwt_bearer_grant.subject_bindings contains duplicate subject {s}"),
                );
                break;
            }
            let resources = bnd.strings("allowed_resources");
            if resources.is_empty() {
                res_fail(
                    bat.key("allowed_resources"),
                    format!("subject {s} has no allowed resources"),
                    format!("jwt_bearer_grant subject {s} has no allowed_resources"),
                );
                break;
            }
            for (k, r) in resources.iter().enumerate() {
                let rat = bat.key("allowed_resources").index(k);
                if r.is_empty() || r == "*" {
                    res_fail(
                        rat,
                        format!("subject {s} has an empty or wildcard resource"),
                        format!("jwt_bearer_grant subject {s} has an empty or wildcard resource"),
                    );
                    break;
                }
                if let Err(e) = check_resource_uri(r) {
                    res_fail(
                        rat,
                        format!(
                            "resource {} of subject {s} is not an RFC 8707 resource URI",
                            quote(r)
                        ),
                        format!(
                            "jwt_bearer_grant subject {s} resource {} is invalid: {e}",
                            quote(r)
                        ),
                    );
                    break;
                }
            }
            if bad {
                break;
            }
        }
        if bad {
            continue;
        }
        for (j, a) in g.strings("accepted_audiences").iter().enumerate() {
            let aat = gat.key("accepted_audiences").index(j);
            if a.is_empty() {
                fail(
                    aat,
                    "an accepted audience is empty".into(),
                    format!("issuer_url {u}: jwt_bearer_grant.accepted_audiences must not contain an empty value"),
                );
                break;
            }
            if let Err(e) = check_resource_uri(a) {
                fail(
                    aat,
                    format!("accepted audience {} is not an RFC 8707 URI", quote(a)),
                    format!("issuer_url {u}: jwt_bearer_grant.accepted_audiences value {} is invalid: {e}", quote(a)),
                );
                break;
            }
            if audiences == Audiences::Check && allowed.contains(a) {
                fail(
                    aat,
                    format!("accepted audience {} is also the workload's resource audience", quote(a)),
                    format!("issuer_url {u}: jwt_bearer_grant.accepted_audiences value {} must not also be a configured resource audience (allowed_audiences); accepted_audiences identifies this authorization server, not a resource, or a resource-scoped access token could be replayed as a JWT-bearer assertion", quote(a)),
                );
                break;
            }
        }
    }
    // Step 3: JWT-bearer resources among the allowed audiences.
    if audiences != Audiences::Check {
        return;
    }
    for (i, t) in issuers.iter().enumerate() {
        let Some(g) = t.object("jwt_bearer_grant") else {
            continue;
        };
        let u = quote(t.str_or_empty("issuer_url"));
        for (j, bnd) in g.items("subject_bindings").iter().enumerate() {
            let s = quote(bnd.str_or_empty("subject"));
            for (k, r) in bnd.strings("allowed_resources").iter().enumerate() {
                if r.is_empty() || r == "*" || allowed.contains(r) {
                    continue;
                }
                out.push(problem(
                    "RT-30",
                    base.index(i)
                        .key("jwt_bearer_grant")
                        .key("subject_bindings")
                        .index(j)
                        .key("allowed_resources")
                        .index(k),
                    format!("resource {} is not an allowed audience (the workload's resource URL)", quote(r)),
                    format!("trusted_issuers: issuer_url {u}: jwt_bearer_grant subject {s} resource {} is not in allowed_audiences", quote(r)),
                ));
            }
        }
    }
}

/// `ValidateConfidentialClientTransport`.
pub fn confidential_transport(rc: &Node, b: &Behaviour, out: &mut Vec<Problem>) {
    let allow = rc.flag("allow_confidential_client_registration")
        || !rc.items("delegate_clients").is_empty();
    if !allow {
        return;
    }
    if rc.flag("insecure_allow_http") {
        out.push(problem(
            "RT-27",
            Path::root(),
            "confidential clients are enabled together with insecureAllowHTTP",
            "allow_confidential_client_registration cannot be combined with insecure_allow_http: confidential clients would send secrets over cleartext HTTP".into(),
        ));
        return;
    }
    if rc.flag("insecure_allow_confidential_over_loopback_http") {
        return;
    }
    let issuer = rc.str_or_empty("issuer");
    if let Ok(u) = parse_url(issuer) {
        if u.scheme == "http" && is_loopback_host(&u.host, b.loopback) {
            out.push(problem(
                "RT-27",
                Path::root(),
                "confidential clients are enabled with a plain-HTTP loopback issuer",
                format!("allow_confidential_client_registration cannot be combined with a plain-HTTP loopback issuer ({}) unless insecure_allow_confidential_over_loopback_http is set: confidential clients would send secrets over cleartext HTTP", quote(issuer)),
            ));
        }
    }
}

/// `ValidateForceConfidentialRedirectURIs`.
pub fn force_confidential(rc: &Node, b: &Behaviour, out: &mut Vec<Problem>) {
    let uris = rc.items("force_confidential_redirect_uris");
    if uris.is_empty() {
        return;
    }
    let at = Path::root().key("force_confidential_redirect_uris");
    if !rc.flag("allow_confidential_client_registration") {
        out.push(problem(
            "RT-28",
            Path::root(),
            "forced confidential redirect URIs without allowConfidentialClientRegistration",
            "force_confidential_redirect_uris requires allow_confidential_client_registration to be true".into(),
        ));
        return;
    }
    for (i, n) in uris.iter().enumerate() {
        let uri = n.as_str().unwrap_or("");
        let q = quote(uri);
        // The strict redirect-URI check runs first (it parses too), then the parse, then the
        // loopback test.
        let theirs = match check_redirect_uri(uri).map(|()| parse_url(uri)) {
            Err(e) => Some(format!("force_confidential_redirect_uris: {q}: {e}")),
            Ok(Err(e)) => Some(format!("force_confidential_redirect_uris: {q}: invalid URL: {e}")),
            Ok(Ok(u)) if is_loopback_host(&u.host, b.loopback) => Some(format!("force_confidential_redirect_uris: {q} must not be a loopback redirect URI; a loopback client is a public client by construction and must not be issued a secret")),
            Ok(Ok(_)) => None,
        };
        if let Some(theirs) = theirs {
            out.push(problem(
                "RT-28",
                at.index(i),
                format!("forced confidential redirect URI {q} is not acceptable"),
                theirs,
            ));
        }
    }
}

fn baseline_scopes(rc: &Node, out: &mut Vec<Problem>) {
    if rc.items("baseline_client_scopes").is_empty() {
        return;
    }
    let scopes = effective_scopes(rc);
    for (i, s) in rc.strings("baseline_client_scopes").iter().enumerate() {
        if !scopes.contains(s) {
            out.push(problem(
                "RT-24",
                Path::root().key("baseline_client_scopes").index(i),
                format!(
                    "baseline scope {} is not a supported scope ({})",
                    quote(s),
                    scopes.join(", ")
                ),
                format!(
                    "baseline_client_scopes contains {} which is not in scopes_supported",
                    quote(s)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwks_urls_like_go() {
        assert!(check_jwks_url("https://login.example.com/keys", false, false).is_ok());
        assert_eq!(
            check_jwks_url("http://login.example.com/keys", false, false).unwrap_err(),
            "must use HTTPS, got \"http\""
        );
        assert!(check_jwks_url("http://login.example.com/keys", true, false).is_ok());
        for private in [
            "https://10.1.2.3/k",
            "https://127.0.0.1/k",
            "https://169.254.169.254/k",
            "https://[::1]/k",
            "https://[fd00::1]/k",
            "https://[fe80::1]/k",
            "https://[::ffff:192.168.1.1]/k",
        ] {
            assert_eq!(
                check_jwks_url(private, false, false).unwrap_err(),
                "must not point to a private or loopback address",
                "{private}"
            );
            assert!(check_jwks_url(private, false, true).is_ok(), "{private}");
        }
        assert_eq!(
            check_jwks_url("https://user@login.example.com/k", false, false).unwrap_err(),
            "must not contain userinfo (credentials in the URL)"
        );
    }

    #[test]
    fn trusted_issuer_urls_have_no_localhost_exemption() {
        assert!(check_trusted_issuer_url("https://sts.windows.net/tenant/", false).is_ok());
        assert_eq!(
            check_trusted_issuer_url("http://localhost:9000", false).unwrap_err(),
            "http scheme is only allowed for localhost, use https for localhost"
        );
        assert!(check_trusted_issuer_url("http://localhost:9000", true).is_ok());
    }

    #[test]
    fn resource_uris() {
        assert!(check_resource_uri("").is_ok());
        assert!(check_resource_uri("https://mcp.example.com/mcp").is_ok());
        assert!(check_resource_uri("http://mcp.tools.svc:8080").is_ok());
        for bad in [
            "mcp.example.com",
            "https://",
            "https://x/#f",
            "urn:mcp:tools",
        ] {
            assert_eq!(
                check_resource_uri(bad).unwrap_err(),
                "invalid_target",
                "{bad}"
            );
        }
    }
}
