//! Secret values in a document, and their removal from every text the tools write.
//!
//! A document holds secrets where a user pastes them by mistake or by design: fields whose
//! name says secret (`clientSecret`, `password`, `token`, `softwareStatement`, `privateKey`,
//! `apiKey`, any `…secret…` string), a string where a reference belongs (`…Ref`), the header
//! maps a user may put credentials in (`additionalHeaders`, `addPlaintextHeaders`), and the
//! password of a URL (`https://user:password@host`). The reports never need those values;
//! the CLI, the npm module and the Kubewarden policy pass what they write through a
//! [`Redactor`] built from them.

use crate::tree::{Entry, Node, Span, Value};

/// What a secret value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Adds to `out` the secret values found anywhere in `node`: the strings of fields whose
/// name says secret or that should hold a reference, every string of the header maps, and the
/// credentials of URLs (the password of `user:password@`, or a user name of 16 characters or
/// more, which is a token).
pub fn collect_secrets(node: &Node, out: &mut Vec<String>) {
    collect(node, out, &mut |_| {});
}

/// [`collect_secrets`], and the spans of the numbers and booleans found where a secret belongs:
/// their text is only in the source (`clientSecret: 0x_7a3f_9c21` is a number for kubectl's
/// YAML reader), so a caller that has the source adds that text as a secret too.
pub fn collect_secrets_and_spans(node: &Node, out: &mut Vec<String>, spans: &mut Vec<Span>) {
    collect(node, out, &mut |n: &Node| {
        if let Some(span) = n.span {
            spans.push(span);
        }
    });
}

fn collect(node: &Node, out: &mut Vec<String>, scalar: &mut dyn FnMut(&Node)) {
    const KEYS: [&str; 5] = [
        "password",
        "token",
        "softwarestatement",
        "privatekey",
        "apikey",
    ];
    const HEADER_MAPS: [&str; 2] = ["additionalheaders", "addplaintextheaders"];
    // Keys compare without case and without a lowered copy of each key.
    let is_one_of = |key: &str, names: &[&str]| names.iter().any(|n| key.eq_ignore_ascii_case(n));
    // A reference (`clientSecretRef`, `initialAccessTokenRef`) is an object; a string there is
    // most likely the secret itself, pasted in the wrong place.
    let is_ref =
        |key: &str| key.len() > 3 && key.as_bytes()[key.len() - 3..].eq_ignore_ascii_case(b"ref");
    let says_secret = |key: &str| {
        key.as_bytes()
            .windows(6)
            .any(|w| w.eq_ignore_ascii_case(b"secret"))
    };
    match &node.value {
        Value::Map(entries) => {
            for Entry { key, value, .. } in entries {
                let secret_key = is_one_of(key, &KEYS) || says_secret(key) || is_ref(key);
                match &value.value {
                    Value::String(s) if !s.is_empty() && secret_key => out.push(s.clone()),
                    Value::Bool(_) | Value::Int(_) | Value::Float(_) if secret_key => scalar(value),
                    _ if is_one_of(key, &HEADER_MAPS) => collect_scalars(value, out, scalar),
                    _ => collect(value, out, scalar),
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|v| collect(v, out, scalar)),
        Value::String(s) => url_credentials(s, out),
        _ => {}
    }
}

/// Every scalar under `node` (a header map's values, also inside lists and maps where the
/// schema wants a string): strings into `out`, others to `scalar`.
fn collect_scalars(node: &Node, out: &mut Vec<String>, scalar: &mut dyn FnMut(&Node)) {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .for_each(|e| collect_scalars(&e.value, out, scalar)),
        Value::Seq(items) => items.iter().for_each(|v| collect_scalars(v, out, scalar)),
        Value::String(s) if !s.is_empty() => out.push(s.clone()),
        Value::Bool(_) | Value::Int(_) | Value::Float(_) => scalar(node),
        _ => {}
    }
}

/// The credentials of a URL's authority (`scheme://user:password@host…`).
fn url_credentials(s: &str, out: &mut Vec<String>) {
    // After the first `://` (a `&str` pattern would build a substring searcher per string).
    let Some(rest) = s
        .match_indices(':')
        .find_map(|(i, _)| s[i + 1..].strip_prefix("//"))
    else {
        return;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let Some((userinfo, _)) = authority.rsplit_once('@') else {
        return;
    };
    match userinfo.split_once(':') {
        Some((_, password)) if !password.is_empty() => out.push(password.to_owned()),
        None if userinfo.chars().count() >= 16 => out.push(userinfo.to_owned()),
        _ => {}
    }
}

/// Replaces every secret value in `text` (as written, and as escaped inside JSON strings).
/// Values shorter than 4 characters are replaced only where they appear quoted. See
/// [`Redactor`], which does this for many texts with the same secrets.
pub fn redact(text: &str, secrets: &[String]) -> String {
    Redactor::new(secrets).redact(text)
}

/// Finds every secret value in a text in one pass, however many secrets there are (an
/// Aho–Corasick automaton over the bytes of every form a secret may take: as written, as
/// escaped inside a JSON string, and — for values under 4 characters, which are too likely to
/// occur by chance — only quoted). Every byte of every occurrence is covered; each maximal
/// run of covered bytes becomes one [`REDACTED`], so overlapping secrets leave no fragment
/// behind. Replacing the secrets one after another instead costs the text's length times the
/// number of secrets: with a few thousand secret fields in one object that alone took seconds
/// (`policy/logic/tests/scale.rs`).
#[derive(Debug, Default)]
pub struct Redactor {
    /// Trie edges of each state, sorted by byte. State 0 is the root.
    next: Vec<Vec<(u8, u32)>>,
    /// The longest proper suffix of each state that is also a state.
    fail: Vec<u32>,
    /// For a match ending at a state (itself or along its suffixes), per number of trailing
    /// bytes left uncovered (0, 1 or 2: a closing quote, an escaped one), the most bytes
    /// covered before that.
    cover: Vec<[u32; 3]>,
}

impl Redactor {
    /// An automaton for `secrets` (empty strings are ignored).
    pub fn new(secrets: &[String]) -> Redactor {
        let mut r = Redactor {
            next: vec![Vec::new()],
            fail: vec![0],
            cover: vec![[0; 3]],
        };
        // A secret written over several lines in YAML reads back with its line breaks folded
        // into spaces: a source excerpt shows it line by line, so its long pieces count too.
        let pieces = secrets
            .iter()
            .filter(|s| s.contains(char::is_whitespace))
            .flat_map(|s| s.split_whitespace())
            .filter(|p| p.chars().count() >= 8)
            .map(str::to_owned)
            .collect::<Vec<_>>();
        for s in secrets.iter().chain(&pieces).filter(|s| !s.is_empty()) {
            let escaped = serde_json::to_string(s).unwrap_or_default();
            let inner = &escaped[1..escaped.len() - 1];
            // A value that may read as a JSON number or literal (`2026`, `1e5`, `true`) is
            // replaced only where quoted, like a short one: elsewhere it would break the JSON
            // around it.
            let literal = matches!(s.as_str(), "true" | "false" | "null")
                || s.bytes()
                    .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b));
            if s.chars().count() >= 4 && !literal {
                r.add(s, 0, 0);
                r.add(inner, 0, 0);
            } else {
                r.add(&escaped, 1, 1);
                r.add(&format!("\\\"{inner}\\\""), 2, 2);
            }
        }
        r.link();
        r
    }

    fn edge(&self, state: u32, b: u8) -> Option<u32> {
        let edges = &self.next[state as usize];
        edges
            .binary_search_by_key(&b, |e| e.0)
            .ok()
            .map(|i| edges[i].1)
    }

    /// The state after `b` from `state`, following suffix links (the automaton's step).
    fn step(&self, mut state: u32, b: u8) -> u32 {
        loop {
            if let Some(n) = self.edge(state, b) {
                return n;
            }
            if state == 0 {
                return 0;
            }
            state = self.fail[state as usize];
        }
    }

    /// Adds `pattern`, of which all but `lead` bytes at the start and `trail` at the end are
    /// covered when it matches.
    fn add(&mut self, pattern: &str, lead: usize, trail: usize) {
        let mut state = 0u32;
        for &b in pattern.as_bytes() {
            let edges = &self.next[state as usize];
            state = match edges.binary_search_by_key(&b, |e| e.0) {
                Ok(i) => edges[i].1,
                Err(i) => {
                    let n = self.fail.len() as u32;
                    self.next[state as usize].insert(i, (b, n));
                    self.next.push(Vec::new());
                    self.fail.push(0);
                    self.cover.push([0; 3]);
                    n
                }
            };
        }
        let covered = (pattern.len() - lead - trail) as u32;
        let c = &mut self.cover[state as usize][trail];
        *c = (*c).max(covered);
    }

    /// Computes the suffix links breadth-first and merges each state's cover with its suffix's.
    fn link(&mut self) {
        let mut queue: Vec<u32> = self.next[0].iter().map(|e| e.1).collect();
        let mut head = 0;
        while let Some(&state) = queue.get(head) {
            head += 1;
            for k in 0..self.next[state as usize].len() {
                let (b, child) = self.next[state as usize][k];
                let link = if state == 0 {
                    0
                } else {
                    self.step(self.fail[state as usize], b)
                };
                self.fail[child as usize] = link;
                let inherited = self.cover[link as usize];
                let own = &mut self.cover[child as usize];
                for i in 0..3 {
                    own[i] = own[i].max(inherited[i]);
                }
                queue.push(child);
            }
        }
    }

    /// `text` with every run of secret bytes replaced by [`REDACTED`].
    pub fn redact(&self, text: &str) -> String {
        if self.fail.len() == 1 {
            return text.to_owned();
        }
        let bytes = text.as_bytes();
        // start_at[e]: the earliest start of a covered span ending at byte e (exclusive).
        let mut start_at = vec![usize::MAX; bytes.len() + 1];
        let mut any = false;
        let mut state = 0u32;
        for (i, &b) in bytes.iter().enumerate() {
            state = self.step(state, b);
            for (trail, &len) in self.cover[state as usize].iter().enumerate() {
                if len > 0 {
                    let end = i + 1 - trail;
                    let start = end - len as usize;
                    start_at[end] = start_at[end].min(start);
                    any = true;
                }
            }
        }
        if !any {
            return text.to_owned();
        }
        // Sweep from the end: a byte is covered while some span that ends after it starts at
        // or before it.
        let mut covered = vec![false; bytes.len()];
        let mut reach = usize::MAX;
        for i in (0..bytes.len()).rev() {
            reach = reach.min(start_at[i + 1]);
            if reach <= i {
                covered[i] = true;
            } else {
                reach = usize::MAX;
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        while i < bytes.len() {
            if covered[i] {
                out.push_str(REDACTED);
                while i < bytes.len() && covered[i] {
                    i += 1;
                }
            } else {
                let run = covered[i..]
                    .iter()
                    .position(|&c| c)
                    .map_or(bytes.len(), |p| i + p);
                // Spans start and end at character boundaries (they are whole UTF-8 strings
                // less ASCII quotes and backslashes).
                out.push_str(&text[i..run]);
                i = run;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value as Json};

    fn tree(v: Json) -> Node {
        Node::from_json(&v, 64).unwrap()
    }

    #[test]
    fn secrets_are_redacted() {
        let mut secrets = Vec::new();
        collect_secrets(
            &tree(json!({"spec": {
                "oidcConfig": {"inline": {"clientSecret": "s3cr\"et-value"}},
                "x": [{"password": "abc"}],
                "userInfo": {"additionalHeaders": {"X-Api-Key": "k-123456"}},
                "clientSecretRef": {"name": "n", "key": "k"}
            }})),
            &mut secrets,
        );
        secrets.sort();
        assert_eq!(secrets, ["abc", "k-123456", "s3cr\"et-value"]);
        // Key names match without regard to case; a key that only resembles one does not.
        let mut cased = Vec::new();
        collect_secrets(
            &tree(
                json!({"ClientSECRET": "a1", "PassWord": "a2", "AddPlaintextHeaders": {"h": "a3"},
                    "TOKEN": "a4", "tokens": "no", "secre": "no", "x": {"mySecretKey": "a5"}}),
            ),
            &mut cased,
        );
        cased.sort();
        assert_eq!(cased, ["a1", "a2", "a3", "a4", "a5"]);
        let text = "value s3cr\"et-value and json \"s3cr\\\"et-value\" and \"abc\" and abcdef";
        let r = redact(text, &secrets);
        assert!(!r.contains("et-value"), "{r}");
        assert!(r.contains("abcdef"), "{r}");
        assert!(!r.contains("\"abc\""), "{r}");
    }

    #[test]
    fn url_credentials_and_every_header_value_are_secrets() {
        let mut found = Vec::new();
        collect_secrets(
            &tree(json!({"spec": {
                "authorizationEndpoint": "http://user:UrlPassw0rd@idp.example.com/authorize",
                "issuerUrl": "https://ghp_0123456789abcdefXYZ@git.example.com",
                "plain": "https://user@example.com/x",
                "notAUrl": "a:b@c",
                "userInfo": {"additionalHeaders": {"X-A": ["HdrList-999"], "X-B": {"v": "HdrObj-888"}, "X-C": 123456789}}
            }})),
            &mut found,
        );
        found.sort();
        assert_eq!(
            found,
            [
                "HdrList-999",
                "HdrObj-888",
                "UrlPassw0rd",
                "ghp_0123456789abcdefXYZ"
            ]
        );
        // A string where a reference belongs, and an API key field.
        let mut pasted = Vec::new();
        collect_secrets(
            &tree(
                json!({"initialAccessTokenRef": "iat-value", "apiKey": "k-1", "name": "n", "aéé": "x"}),
            ),
            &mut pasted,
        );
        pasted.sort();
        assert_eq!(pasted, ["iat-value", "k-1"]);
        // A secret folded from several YAML lines: its long pieces go too.
        let folded = ["ML-LEAK-first ML-LEAK-second".to_owned()];
        assert_eq!(
            redact("x: \"ML-LEAK-first\n  ML-LEAK-second\"", &folded),
            "x: \"[redacted]\n  [redacted]\""
        );
    }

    #[test]
    fn redaction_covers_overlaps_short_values_and_escapes() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        // Overlapping secrets leave no fragment; adjacent ones become one marker.
        assert_eq!(
            redact("xabcdefghy", &s(&["abcd", "bcdefgh"])),
            "x[redacted]y"
        );
        assert_eq!(redact("abcdwxyz", &s(&["abcd", "wxyz"])), "[redacted]");
        // A secret inside a longer one, and the same secret twice.
        assert_eq!(
            redact("1 secret-long 2", &s(&["secret-long", "cret", "cret"])),
            "1 [redacted] 2"
        );
        // Short values only where quoted, as written and escaped in JSON text; quotes stay.
        assert_eq!(
            redact("ab \"ab\" abc", &s(&["ab"])),
            "ab \"[redacted]\" abc"
        );
        assert_eq!(
            redact("{\"m\":\"x \\\"ab\\\"\"}", &s(&["ab"])),
            "{\"m\":\"x \\\"[redacted]\\\"\"}"
        );
        // Non-ASCII values and text around them.
        assert_eq!(redact("é-пароль-é", &s(&["пароль"])), "é-[redacted]-é");
        assert_eq!(redact("nothing here", &s(&[])), "nothing here");
        // A value that reads as a JSON number stays valid JSON: only its quoted form goes.
        assert_eq!(
            redact("{\"line\":120267,\"v\":\"2026\"}", &s(&["2026"])),
            "{\"line\":120267,\"v\":\"[redacted]\"}"
        );
        // The same answers as replacing each secret in turn, on text that holds many.
        let secrets: Vec<String> = (0..300).map(|i| format!("value-{i:04}")).collect();
        let text: String = (0..600)
            .map(|i| format!("[R] p{i}: value-{:04} bad; ", i % 450))
            .collect();
        let mut naive = text.clone();
        for x in &secrets {
            naive = naive.replace(x.as_str(), REDACTED);
        }
        assert_eq!(redact(&text, &secrets), naive);
    }
}
