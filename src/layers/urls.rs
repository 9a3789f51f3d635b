//! The URL checks of `pkg/authserver` (rules reference §3.3, §3.4.1, §3.10).

use crate::goutil::{parse_request_uri, parse_url, GoUrl};
use crate::profile::{Behaviour, LoopbackTest};
use crate::tree::Node;

/// `networking.IsLocalhost` applied to `url.Host` (with port), per profile.
pub fn is_loopback_host(host: &str, test: LoopbackTest) -> bool {
    match test {
        LoopbackTest::Prefix => {
            ["localhost", "127.0.0.1", "[::1]"].contains(&host)
                || ["localhost:", "127.0.0.1:", "[::1]:"]
                    .iter()
                    .any(|p| host.starts_with(p))
        }
        LoopbackTest::ParsedIp => {
            let bare = match host.rsplit_once(':') {
                Some((h, port))
                    if port.bytes().all(|b| b.is_ascii_digit())
                        && (h.starts_with('[') || !h.contains(':')) =>
                {
                    h
                }
                _ => host,
            };
            let bare = bare.trim_start_matches('[').trim_end_matches(']');
            bare.eq_ignore_ascii_case("localhost") || is_loopback_ip(bare)
        }
    }
}

/// Which variant of ToolHive's issuer-URL check applies.
struct IssuerRules {
    /// `insecure_allow_http`: plain http for any host.
    insecure_allow_http: bool,
    /// Plain http for loopback hosts, with this loopback test (`None`: no exemption).
    loopback_exempt: Option<LoopbackTest>,
    /// Userinfo (`user@`) is refused.
    reject_userinfo: bool,
    /// A trailing `/` is refused.
    reject_trailing_slash: bool,
}

fn check_issuer_url(raw: &str, rules: &IssuerRules) -> Result<(), String> {
    if raw.is_empty() {
        return Err("issuer is required".into());
    }
    let u = parse_url(raw).map_err(|e| format!("invalid URL: {e}"))?;
    if u.scheme.is_empty() {
        return Err("scheme is required".into());
    }
    if u.host.is_empty() {
        return Err("host is required".into());
    }
    if !u.raw_query.is_empty() {
        return Err("must not contain query component".into());
    }
    if !u.fragment.is_empty() {
        return Err("must not contain fragment component".into());
    }
    if rules.reject_userinfo && u.has_userinfo {
        return Err("must not contain userinfo (credentials in the URL)".into());
    }
    if u.scheme != "https" {
        if u.scheme != "http" {
            return Err("scheme must be https (or http for localhost)".into());
        }
        let loopback = rules
            .loopback_exempt
            .is_some_and(|t| is_loopback_host(&u.host, t));
        if !rules.insecure_allow_http && !loopback {
            return Err(format!(
                "http scheme is only allowed for localhost, use https for {}",
                u.hostname()
            ));
        }
    }
    if rules.reject_trailing_slash && raw.ends_with('/') {
        return Err("must not have trailing slash".into());
    }
    Ok(())
}

/// `validateIssuerURL`: the auth server's own issuer (and, at 2026-08, the authorization
/// endpoint base URL).
pub fn check_issuer(raw: &str, insecure_allow_http: bool, b: &Behaviour) -> Result<(), String> {
    check_issuer_url(
        raw,
        &IssuerRules {
            insecure_allow_http,
            loopback_exempt: Some(b.loopback),
            reject_userinfo: b.issuer_rejects_userinfo,
            reject_trailing_slash: true,
        },
    )
}

/// `validateTrustedIssuerURL` (2026-08): the same checks without the localhost exemption (http
/// needs the trusted issuer's own insecure flag), userinfo refused, trailing slash allowed.
pub fn check_trusted_issuer_url(raw: &str, insecure: bool) -> Result<(), String> {
    check_issuer_url(
        raw,
        &IssuerRules {
            insecure_allow_http: insecure,
            loopback_exempt: None,
            reject_userinfo: true,
            reject_trailing_slash: false,
        },
    )
}

/// `ValidateEndpointURL`: upstream issuer and OAuth2 endpoints. With the insecure flag
/// (profile 2026-08) the check is skipped entirely.
pub fn check_endpoint(raw: &str, insecure: bool, b: &Behaviour) -> Result<(), String> {
    if insecure {
        return Ok(());
    }
    let u = parse_url(raw).map_err(|e| format!("invalid URL: {e}"))?;
    if u.scheme != "https" && !is_loopback_host(&u.host, b.loopback) {
        return Err(format!("endpoint must use HTTPS: {raw}"));
    }
    Ok(())
}

/// The userinfo block of an OAuth2 upstream; the error names the offending member.
pub fn check_user_info(ui: &Node, b: &Behaviour) -> Result<(), (&'static str, String)> {
    let raw = ui.str_or_empty("endpoint_url");
    let field = "endpoint_url";
    if raw.is_empty() {
        return Err((field, "endpoint_url is required".into()));
    }
    let u: GoUrl =
        parse_url(raw).map_err(|_| (field, "endpoint_url must be a valid URL".to_owned()))?;
    if u.scheme.is_empty() || u.host.is_empty() {
        return Err((
            field,
            "endpoint_url must be an absolute URL with scheme and host".into(),
        ));
    }
    if u.scheme != "http" && u.scheme != "https" {
        return Err((field, "endpoint_url must use http or https scheme".into()));
    }
    if u.scheme == "http" && !is_loopback_host(&u.host, b.loopback) {
        return Err((field, "endpoint_url with http scheme requires loopback address (127.0.0.1, ::1, or localhost)".into()));
    }
    let method = ui.str_or_empty("http_method");
    if !matches!(method, "" | "GET" | "POST") {
        return Err(("http_method", "http_method must be GET or POST".into()));
    }
    Ok(())
}

/// fosite's loopback test for redirect URIs: `localhost`, `*.localhost`, or a loopback IP.
fn is_fosite_loopback(hostname: &str) -> bool {
    hostname == "localhost" || hostname.ends_with(".localhost") || is_loopback_ip(hostname)
}

/// Go's `net.ParseIP(s).IsLoopback()`: 127.0.0.0/8, `::1`, and 127.0.0.0/8 written as an
/// IPv4-mapped IPv6 address (`::ffff:127.0.0.1`), which Rust's `is_loopback` leaves out.
fn is_loopback_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.to_canonical().is_loopback())
}

/// Whether `url.ParseRequestURI(raw)` succeeds with a scheme, given `u = url.Parse(raw)`.
/// Without a `#` the two parse the same text the same way once a scheme is present (the
/// request form differs only for scheme-less and empty references), so the second parse is
/// needed only when a `#` is in the text, where the request form keeps it in the path or host.
fn is_absolute_request_uri(raw: &str, u: &GoUrl<'_>) -> bool {
    if raw.contains('#') {
        parse_request_uri(raw).is_ok_and(|r| !r.scheme.is_empty())
    } else {
        !u.scheme.is_empty()
    }
}

/// The redirect-URI policy: strict, or (profile 2026-08, an insecure flag set) allow-http,
/// which accepts plain http for any host.
pub fn check_redirect_uri_policy(raw: &str, allow_http: bool) -> Result<(), String> {
    if !allow_http {
        return check_redirect_uri(raw);
    }
    if raw.len() > 2048 {
        return Err("redirect_uri too long (maximum 2048 characters)".into());
    }
    let u = parse_url(raw).map_err(|e| format!("invalid redirect_uri format: {e}"))?;
    if !is_absolute_request_uri(raw, &u) || !u.fragment.is_empty() {
        return Err("redirect_uri must be an absolute URI without a fragment".into());
    }
    if u.scheme == "https" || u.scheme == "http" {
        return Ok(());
    }
    Err("redirect_uri must use http or https scheme".into())
}

/// The strict redirect-URI policy (both revisions without insecure flags).
pub fn check_redirect_uri(raw: &str) -> Result<(), String> {
    if raw.len() > 2048 {
        return Err("redirect_uri too long (maximum 2048 characters)".into());
    }
    let u = parse_url(raw).map_err(|e| format!("invalid redirect_uri format: {e}"))?;
    if !is_absolute_request_uri(raw, &u) || !u.fragment.is_empty() {
        return Err("redirect_uri must be an absolute URI without a fragment".into());
    }
    if u.scheme == "https" || (u.scheme == "http" && is_fosite_loopback(u.hostname())) {
        return Ok(());
    }
    Err("redirect_uri must use http (for loopback) or https scheme".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_differs_between_revisions() {
        assert!(is_loopback_host("localhost:8080", LoopbackTest::Prefix));
        assert!(!is_loopback_host("127.0.0.2", LoopbackTest::Prefix));
        assert!(!is_loopback_host("LOCALHOST", LoopbackTest::Prefix));
        assert!(is_loopback_host("127.0.0.2:9000", LoopbackTest::ParsedIp));
        assert!(is_loopback_host("LOCALHOST", LoopbackTest::ParsedIp));
        assert!(is_loopback_host("[::1]:80", LoopbackTest::ParsedIp));
        // Go's IsLoopback also takes 127.0.0.0/8 written as an IPv4-mapped IPv6 address.
        assert!(is_loopback_host(
            "[::ffff:127.0.0.1]:8080",
            LoopbackTest::ParsedIp
        ));
        assert!(!is_loopback_host(
            "[::ffff:10.0.0.1]:8080",
            LoopbackTest::ParsedIp
        ));
        assert!(!is_loopback_host(
            "[::ffff:127.0.0.1]:8080",
            LoopbackTest::Prefix
        ));
        assert!(is_fosite_loopback("::ffff:127.0.0.1"));
        assert!(!is_fosite_loopback("::ffff:8.8.8.8"));
    }

    #[test]
    fn request_uri_shortcut_agrees_with_parsing_twice() {
        let cases = [
            "https://x/cb",
            "http://localhost:8080/cb",
            "x:opaque",
            "/relative",
            "relative/path",
            "",
            "*",
            "//host/p",
            "///p",
            "https://x/cb#",
            "https://x#",
            "https://x/cb#frag",
            "a#b",
            "#",
            "HTTPS://X/%41",
            "https://x/%zz",
            "mailto:a@b",
            "https://[::1]:80/cb?q#f",
            "https:///path",
            "https://x/cb?",
            "https://u:p@x:99/cb?a=b",
        ];
        for raw in cases {
            if let Ok(u) = parse_url(raw) {
                let twice = parse_request_uri(raw).is_ok_and(|r| !r.scheme.is_empty());
                assert_eq!(is_absolute_request_uri(raw, &u), twice, "{raw:?}");
            }
        }
    }

    #[test]
    fn redirect_uri_policy() {
        assert!(check_redirect_uri("https://mcp.example.com/oauth/callback").is_ok());
        assert!(check_redirect_uri("http://localhost:8080/cb").is_ok());
        assert!(check_redirect_uri("http://app.localhost/cb").is_ok());
        assert_eq!(
            check_redirect_uri("http://mcp.example.com/cb").unwrap_err(),
            "redirect_uri must use http (for loopback) or https scheme"
        );
        assert_eq!(
            check_redirect_uri("https://x/cb#frag").unwrap_err(),
            "redirect_uri must be an absolute URI without a fragment"
        );
        assert_eq!(
            check_redirect_uri("/relative").unwrap_err(),
            "redirect_uri must be an absolute URI without a fragment"
        );
    }
}
