//! Host patterns (`github.com`, `*.okta.com`) and the host of a URL, for
//! `allowedUpstreamIssuers` (POL-03).

/// One allowed host: exact, or every subdomain of a domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPattern {
    /// `github.com`: exactly this host.
    Exact(String),
    /// `*.okta.com`: any host ending in `.okta.com` (not `okta.com` itself).
    Subdomains(String),
}

impl HostPattern {
    /// Parses a pattern; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<HostPattern, String> {
        let lower = text.trim().to_ascii_lowercase();
        let (wild, host) = match lower.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, lower.as_str()),
        };
        let ok = !host.is_empty()
            && host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        if !ok {
            return Err(format!(
                "\"{text}\" is not a host pattern: write a host (\"github.com\") or a wildcard for \
                 its subdomains (\"*.okta.com\"), without scheme, port or path"
            ));
        }
        Ok(if wild {
            HostPattern::Subdomains(host.to_owned())
        } else {
            HostPattern::Exact(host.to_owned())
        })
    }

    /// Whether `host` (lowercase, no port) matches.
    pub fn matches(&self, host: &str) -> bool {
        match self {
            HostPattern::Exact(h) => host == h,
            HostPattern::Subdomains(d) => host
                .strip_suffix(d.as_str())
                .is_some_and(|head| head.len() > 1 && head.ends_with('.')),
        }
    }

    /// The pattern as written (normalised).
    pub fn text(&self) -> String {
        match self {
            HostPattern::Exact(h) => h.clone(),
            HostPattern::Subdomains(d) => format!("*.{d}"),
        }
    }
}

/// The host of an absolute URL (`scheme://[user@]host[:port]/…`), lowercase, without port,
/// brackets or a trailing dot. `None` when the text has no `scheme://` or an empty host.
pub fn url_host(url: &str) -> Option<String> {
    let (_, rest) = url.trim().split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        hostport.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let okta = HostPattern::parse("*.okta.com").unwrap();
        assert!(okta.matches("acme.okta.com"));
        assert!(okta.matches("a.b.okta.com"));
        assert!(!okta.matches("okta.com"));
        assert!(!okta.matches("evilokta.com"));
        let gh = HostPattern::parse("GitHub.com").unwrap();
        assert!(gh.matches("github.com"));
        assert!(!gh.matches("api.github.com"));
        assert_eq!(okta.text(), "*.okta.com");
        for bad in [
            "",
            "*",
            "*.",
            "https://github.com",
            "github.com:443",
            "a/b",
            "a..b",
            "a.*.com",
        ] {
            assert!(HostPattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hosts() {
        assert_eq!(
            url_host("https://GitHub.com/login").as_deref(),
            Some("github.com")
        );
        assert_eq!(
            url_host("https://u:p@x.okta.com:8443/a?b#c").as_deref(),
            Some("x.okta.com")
        );
        assert_eq!(url_host("http://[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(
            url_host("https://example.com./").as_deref(),
            Some("example.com")
        );
        assert_eq!(url_host("github.com/login"), None);
        assert_eq!(url_host("https:///path"), None);
    }
}
