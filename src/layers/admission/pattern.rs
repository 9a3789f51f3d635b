//! The CRD's `pattern`s. The shapes that dominate the CRD skip the regex engine — with the same
//! language, which the tests below check against the regex:
//! - `^literal.*$` (a literal without metacharacters, `s?` allowed) is a prefix test;
//! - `^literal[^X]+$` and `^literal[^X]+[^Y]$`, where the classes hold `\s`, `[:space:]` and
//!   plain punctuation (the URL patterns), are a prefix test and a scan — with Go's classes:
//!   RE2's `\s` is `[\t\n\f\r ]`, without the vertical tab that `[:space:]` (and
//!   `regex-lite`'s `\s`) include, so every CRD pattern with `\s` must take this path (a test
//!   checks that they do);
//! - the DNS-label pattern is [`is_dns_label`].
//!
//! Every other pattern runs on `regex-lite`.

use regex_lite::Regex;

use crate::envname::is_dns_label;

/// The CRD's pattern for upstream names (and `primaryUpstreamProvider`).
pub const DNS_LABEL_PATTERN: &str = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";

/// A compiled pattern.
#[derive(Debug, Clone)]
pub(super) enum Pattern {
    /// Any of these literal prefixes, then one line of anything.
    Prefix(Vec<String>),
    /// Any of these literal prefixes, then one or more characters outside `body`, then (when
    /// `last` is set) one character outside `last`, and the end.
    Scan {
        prefixes: Vec<String>,
        body: Excluded,
        last: Option<Excluded>,
    },
    DnsLabel,
    Regex(Regex),
}

/// The characters a negated class (`[^\s?#]`) excludes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Excluded {
    /// `\s`: Go's `[\t\n\f\r ]`.
    perl_space: bool,
    /// `[:space:]`: `[\t\n\v\f\r ]`.
    posix_space: bool,
    /// Plain characters.
    chars: Vec<char>,
}

impl Excluded {
    fn allows(&self, c: char) -> bool {
        let space = match c {
            '\t' | '\n' | '\u{c}' | '\r' | ' ' => self.perl_space || self.posix_space,
            '\u{b}' => self.posix_space,
            _ => false,
        };
        !(space || self.chars.contains(&c))
    }

    /// Reads a negated class at the start of `text`; returns it and the rest.
    fn read(text: &str) -> Option<(Excluded, &str)> {
        let mut rest = text.strip_prefix("[^")?;
        let mut class = Excluded {
            perl_space: false,
            posix_space: false,
            chars: Vec::new(),
        };
        loop {
            if let Some(r) = rest.strip_prefix(']') {
                let empty = class.chars.is_empty() && !class.perl_space && !class.posix_space;
                return (!empty).then_some((class, r));
            }
            if let Some(r) = rest.strip_prefix("\\s") {
                class.perl_space = true;
                rest = r;
                continue;
            }
            if let Some(r) = rest.strip_prefix("[:space:]") {
                class.posix_space = true;
                rest = r;
                continue;
            }
            let c = rest.chars().next()?;
            if !matches!(c, '?' | '#' | '@' | '/') {
                return None;
            }
            class.chars.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
}

impl Pattern {
    /// Compiles `p`, choosing a fast path when its shape allows.
    ///
    /// # Panics
    /// On a pattern `regex-lite` cannot compile — only embedded CRD patterns are compiled.
    pub(super) fn compile(p: &str) -> Pattern {
        if p == DNS_LABEL_PATTERN {
            return Pattern::DnsLabel;
        }
        if let Some(prefixes) = p
            .strip_prefix('^')
            .and_then(|r| r.strip_suffix(".*$"))
            .and_then(literal_alternatives)
        {
            return Pattern::Prefix(prefixes);
        }
        if let Some(scan) = Pattern::scan(p) {
            return scan;
        }
        Pattern::Regex(Regex::new(p).expect("embedded CRD pattern compiles"))
    }

    /// `^literal[^X]+$` or `^literal[^X]+[^Y]$`.
    fn scan(p: &str) -> Option<Pattern> {
        let inner = p.strip_prefix('^')?.strip_suffix('$')?;
        let open = inner.find('[')?;
        let prefixes = literal_alternatives(&inner[..open])?;
        let (body, rest) = Excluded::read(&inner[open..])?;
        let rest = rest.strip_prefix('+')?;
        let last = if rest.is_empty() {
            None
        } else {
            let (last, rest) = Excluded::read(rest)?;
            if !rest.is_empty() {
                return None;
            }
            Some(last)
        };
        Some(Pattern::Scan {
            prefixes,
            body,
            last,
        })
    }

    /// Whether `s` matches.
    pub(super) fn is_match(&self, s: &str) -> bool {
        match self {
            // `.` does not match a line break, so `.*$` requires the rest to be one line.
            Pattern::Prefix(lits) => lits
                .iter()
                .any(|lit| s.starts_with(lit.as_str()) && !s[lit.len()..].contains('\n')),
            Pattern::Scan {
                prefixes,
                body,
                last,
            } => prefixes.iter().any(|lit| {
                s.strip_prefix(lit.as_str())
                    .is_some_and(|rest| scan_matches(rest, body, last.as_ref()))
            }),
            Pattern::DnsLabel => is_dns_label(s),
            Pattern::Regex(re) => re.is_match(s),
        }
    }
}

/// `[^body]+` then, when `last` is set, `[^last]`, spanning all of `rest`.
fn scan_matches(rest: &str, body: &Excluded, last: Option<&Excluded>) -> bool {
    let mut chars = rest.chars();
    if let Some(last) = last {
        if !chars.next_back().is_some_and(|c| last.allows(c)) {
            return false;
        }
    }
    let mut any = false;
    for c in chars {
        if !body.allows(c) {
            return false;
        }
        any = true;
    }
    any
}

/// The strings a regex literal denotes, when it is only plain characters, each optionally
/// followed by `?` (`https?://` → `https://`, `http://`); `None` for anything else.
fn literal_alternatives(lit: &str) -> Option<Vec<String>> {
    let mut alts = vec![String::new()];
    let chars: Vec<char> = lit.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !(c.is_ascii_alphanumeric() || matches!(c, ':' | '/' | '-' | '_')) || alts.len() > 8 {
            return None;
        }
        let optional = chars.get(i + 1) == Some(&'?');
        let mut next = Vec::new();
        for a in &alts {
            next.push(format!("{a}{c}"));
            if optional {
                next.push(a.clone());
            }
        }
        alts = next;
        i += if optional { 2 } else { 1 };
    }
    Some(alts)
}

#[cfg(test)]
mod tests {
    use super::{Pattern, DNS_LABEL_PATTERN};
    use proptest::prelude::*;

    /// The URL patterns of the embedded CRDs that take the scan path.
    const SCANNED: [&str; 5] = [
        r"^https?://[^\s?#]+[^/\s?#]$",
        r"^https://[^\s?#]+[^/\s?#]$",
        r"^https://[^\s?#@]+[^/\s?#@]$",
        r"^https://[^\s?#]+$",
        r"^https?://[^[:space:]]+$",
    ];

    proptest! {
        /// The fast paths accept exactly what the regex accepts.
        #[test]
        fn fast_paths_match_the_regex(s in "[a-zA-Z0-9:/_.\\-\n ]{0,12}") {
            let dns = regex_lite::Regex::new(DNS_LABEL_PATTERN).unwrap();
            prop_assert_eq!(Pattern::compile(DNS_LABEL_PATTERN).is_match(&s), dns.is_match(&s));
            for p in ["^https://.*$", "^https?://.*$"] {
                let re = regex_lite::Regex::new(p).unwrap();
                let fast = Pattern::compile(p);
                prop_assert!(matches!(fast, Pattern::Prefix(_)));
                for candidate in [s.clone(), format!("https://{s}"), format!("http://{s}")] {
                    prop_assert_eq!(fast.is_match(&candidate), re.is_match(&candidate), "{} on {:?}", p, candidate);
                }
            }
        }

        /// The scan path accepts exactly what the regex accepts, whitespace of every kind
        /// (ASCII and not) and the excluded punctuation included. The reference is the
        /// pattern with Go's `\s` spelled out: `regex-lite`'s `\s` also matches `\v`.
        #[test]
        fn scan_matches_the_regex(s in "[a-z/:.?#@ \t\n\r\u{b}\u{c}\u{a0}\u{2003}é]{0,10}") {
            for p in SCANNED {
                let re = regex_lite::Regex::new(&p.replace(r"\s", r"\t\n\f\r ")).unwrap();
                let fast = Pattern::compile(p);
                prop_assert!(matches!(fast, Pattern::Scan { .. }), "{}", p);
                for candidate in [s.clone(), format!("https://{s}"), format!("http://{s}"), format!("https://a{s}b")] {
                    prop_assert_eq!(fast.is_match(&candidate), re.is_match(&candidate), "{} on {:?}", p, candidate);
                }
            }
        }
    }

    /// Go's `\s` leaves the vertical tab out, `[:space:]` does not: the API server admits an
    /// issuer with a `\v` (it fails later, at pod start).
    #[test]
    fn perl_space_is_gos_and_posix_space_has_the_vertical_tab() {
        let issuer = Pattern::compile(r"^https?://[^\s?#]+[^/\s?#]$");
        assert!(issuer.is_match("https://auth.example.com/a\u{b}b"));
        assert!(!issuer.is_match("https://auth.example.com/a\u{c}b"));
        let audience = Pattern::compile(r"^https?://[^[:space:]]+$");
        assert!(!audience.is_match("https://a\u{b}b"));
    }

    /// Every embedded pattern with `\s` takes the scan path, so that `regex-lite` (whose `\s`
    /// differs from Go's) never runs one.
    #[test]
    fn every_embedded_perl_space_pattern_is_scanned() {
        fn patterns(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    if let Some(serde_json::Value::String(p)) = m.get("pattern") {
                        out.push(p.clone());
                    }
                    m.values().for_each(|x| patterns(x, out));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|x| patterns(x, out)),
                _ => {}
            }
        }
        let mut found = Vec::new();
        for schema in [
            include_str!("../../../schemas/v0.13/mcpexternalauthconfig.json"),
            include_str!("../../../schemas/2026-08/mcpexternalauthconfig.json"),
        ] {
            patterns(&serde_json::from_str(schema).unwrap(), &mut found);
        }
        let with_perl_space: Vec<&String> = found.iter().filter(|p| p.contains(r"\s")).collect();
        assert!(!with_perl_space.is_empty());
        for p in with_perl_space {
            assert!(matches!(Pattern::compile(p), Pattern::Scan { .. }), "{p}");
        }
    }

    #[test]
    fn other_shapes_keep_the_regex() {
        for p in [
            r"^[^*]+$",
            r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$",
            r"^[\x21\x23-\x5B\x5D-\x7E]+$",
        ] {
            assert!(matches!(Pattern::compile(p), Pattern::Regex(_)), "{p}");
        }
    }
}
