//! Upstream names and the environment variables derived from them.
//!
//! ToolHive's operator passes each upstream's client secret to the pod as
//! `TOOLHIVE_UPSTREAM_CLIENT_SECRET_<SUFFIX>`, where `SUFFIX` is the upstream name with every
//! `-` replaced by `_`, upper-cased (`cmd/thv-operator/pkg/controllerutil/authserver.go`).
//! Because names are DNS labels (`[a-z0-9-]`), the mapping is injective and independent of the
//! upstream's position in the list.

use std::fmt;

/// Prefix of the client-secret variables.
pub const CLIENT_SECRET_PREFIX: &str = "TOOLHIVE_UPSTREAM_CLIENT_SECRET_";
/// Prefix of the DCR initial-access-token variables (profile 2026-08).
pub const DCR_TOKEN_PREFIX: &str = "TOOLHIVE_UPSTREAM_DCR_INITIAL_ACCESS_TOKEN_";
/// Redis ACL username variable.
pub const REDIS_USERNAME: &str = "TOOLHIVE_AUTH_SERVER_REDIS_USERNAME";
/// Redis ACL password variable.
pub const REDIS_PASSWORD: &str = "TOOLHIVE_AUTH_SERVER_REDIS_PASSWORD";
/// Longest upstream name the CRD admits.
pub const MAX_NAME_LEN: usize = 63;
/// The name ToolHive gives a single unnamed upstream, and reserves when there are several.
pub const DEFAULT_UPSTREAM_NAME: &str = "default";

/// An upstream's name as ToolHive resolves it (`ResolveUpstreamName`): empty is
/// [`DEFAULT_UPSTREAM_NAME`].
pub fn resolved_upstream_name(name: &str) -> &str {
    if name.is_empty() {
        DEFAULT_UPSTREAM_NAME
    } else {
        name
    }
}

/// The environment variable suffix for an upstream name: `-` → `_`, then upper-cased
/// (Go's `strings.ToUpper`). Applied as ToolHive does, without validating the name.
pub fn env_suffix(name: &str) -> String {
    prefixed_env_name("", name)
}

/// `prefix` followed by [`env_suffix`]`(name)`, built in one allocation (`-` becomes `_` before
/// upper-casing, and `_` has no upper case, so mapping character by character is the same).
pub fn prefixed_env_name(prefix: &str, name: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + name.len());
    out.push_str(prefix);
    for c in name.chars() {
        match c {
            '-' => out.push('_'),
            c if c.is_ascii() => out.push(c.to_ascii_uppercase()),
            c => out.push(crate::goutil::to_upper(c)),
        }
    }
    out
}

/// Whether `name` matches ToolHive's upstream-name pattern `^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`
/// (without the CRD's 63-character cap).
pub fn is_dns_label(name: &str) -> bool {
    let b = name.as_bytes();
    let ok = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    match b {
        [] => false,
        [only] => ok(only),
        [first, middle @ .., last] => {
            ok(first) && ok(last) && middle.iter().all(|c| ok(c) || *c == b'-')
        }
    }
}

/// Why a name cannot be an upstream name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidName {
    /// The offending name.
    pub name: String,
    /// Why it is invalid.
    pub reason: String,
    /// A valid name close to it, when one can be made.
    pub suggestion: Option<String>,
}

impl fmt::Display for InvalidName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a valid upstream name: {}",
            self.name, self.reason
        )?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean {s:?}?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for InvalidName {}

/// The client-secret environment variable ToolHive derives for upstream `name`, after checking
/// that the CRD would admit the name (DNS label, 1–63 characters).
///
/// ```
/// use mcpauth_guard::client_secret_env_var;
/// assert_eq!(client_secret_env_var("okta-prod").unwrap(), "TOOLHIVE_UPSTREAM_CLIENT_SECRET_OKTA_PROD");
/// let err = client_secret_env_var("Okta_Prod").unwrap_err();
/// assert_eq!(err.suggestion.as_deref(), Some("okta-prod"));
/// ```
pub fn client_secret_env_var(name: &str) -> Result<String, InvalidName> {
    validate_name(name)?;
    Ok(prefixed_env_name(CLIENT_SECRET_PREFIX, name))
}

/// Checks an upstream name against the CRD's rules (required, 1–63, DNS label).
pub fn validate_name(name: &str) -> Result<(), InvalidName> {
    let reason = if name.is_empty() {
        "it is empty".to_owned()
    } else if name.chars().count() > MAX_NAME_LEN {
        format!(
            "it is {} characters long; the limit is {MAX_NAME_LEN}",
            name.chars().count()
        )
    } else if !is_dns_label(name) {
        describe_label_problem(name)
    } else {
        return Ok(());
    };
    Err(InvalidName {
        name: name.to_owned(),
        reason,
        suggestion: suggest_name(name).filter(|s| s != name),
    })
}

fn describe_label_problem(name: &str) -> String {
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        if c.is_ascii_uppercase() {
            return "it contains upper-case letters; names are lower-case".into();
        }
        if !c.is_ascii() {
            return format!(
                "it contains the non-ASCII character {c:?} (U+{:04X}); names use only a-z, 0-9 and '-'",
                c as u32
            );
        }
        return format!("it contains {c:?}; names use only a-z, 0-9 and '-'");
    }
    "it must start and end with a letter or digit".into()
}

/// A DNS-label name derived from `name` (lower-cased, other characters turned into `-`,
/// repeated and edge `-` removed, cut to 63), or `None` when nothing usable remains.
pub fn suggest_name(name: &str) -> Option<String> {
    let mut out = String::new();
    for c in name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut s: String = out.trim_matches('-').chars().take(MAX_NAME_LEN).collect();
    while s.ends_with('-') {
        s.pop();
    }
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names() {
        assert_eq!(
            client_secret_env_var("github").unwrap(),
            "TOOLHIVE_UPSTREAM_CLIENT_SECRET_GITHUB"
        );
        assert_eq!(
            client_secret_env_var("a-b-1").unwrap(),
            "TOOLHIVE_UPSTREAM_CLIENT_SECRET_A_B_1"
        );
        assert_eq!(
            client_secret_env_var("default").unwrap(),
            "TOOLHIVE_UPSTREAM_CLIENT_SECRET_DEFAULT"
        );
    }

    #[test]
    fn invalid_names_explain_and_suggest() {
        let e = client_secret_env_var("Okta_Prod").unwrap_err();
        assert!(e.reason.contains("upper-case"));
        assert_eq!(e.suggestion.as_deref(), Some("okta-prod"));
        assert!(client_secret_env_var("")
            .unwrap_err()
            .reason
            .contains("empty"));
        assert!(client_secret_env_var(&"a".repeat(64))
            .unwrap_err()
            .reason
            .contains("64"));
        assert!(client_secret_env_var("-a")
            .unwrap_err()
            .reason
            .contains("start and end"));
        let cyr = client_secret_env_var("\u{43e}kta").unwrap_err();
        assert!(cyr.reason.contains("U+043E"), "{}", cyr.reason);
        assert_eq!(cyr.suggestion.as_deref(), Some("kta"));
        assert!(client_secret_env_var("okta\n").is_err());
    }

    #[test]
    fn dns_label() {
        for ok in ["a", "0", "a-b", "abc123", "a--b"] {
            assert!(is_dns_label(ok), "{ok}");
        }
        for bad in ["", "-", "a-", "-a", "A", "a_b", "a.b", "a b"] {
            assert!(!is_dns_label(bad), "{bad}");
        }
    }
}
