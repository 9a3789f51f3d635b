//! Turning a report into an admission verdict: which diagnostics reject, which become
//! warnings, the bounded rejection message, the audit annotation, and redaction of secret
//! values everywhere the policy writes text.

use std::collections::HashMap;

use mcpauth_guard::tree::{Entry, Node, Value};
use mcpauth_guard::{Diagnostic, Layer, Report, Severity};
use serde::Serialize;

use crate::settings::Settings;

/// The audit annotation key under which the report is attached to a rejection.
pub const AUDIT_KEY: &str = "mcpauth-guard-report";
/// How many problems the rejection message lists before "and N more".
pub const MAX_LISTED: usize = 10;
/// The rejection message's length budget (characters, before "and N more").
pub const MAX_MESSAGE: usize = 2000;
/// How many warnings are returned before "and N more".
pub const MAX_WARNINGS: usize = 10;
/// Kubernetes truncates longer warnings; the policy shortens them itself.
pub const MAX_WARNING_LEN: usize = 256;
/// The audit annotation's size budget (bytes).
pub const MAX_AUDIT: usize = 32 * 1024;
/// What a secret value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// The response the policy gives (the Kubewarden `ValidationResponse` wire format).
#[derive(Debug, Serialize, PartialEq)]
pub struct Verdict {
    /// Whether the request is admitted.
    pub accepted: bool,
    /// Why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The HTTP code of a rejection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u16>,
    /// Audit annotations (the report, on rejection).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audit_annotations: Option<HashMap<String, String>>,
    /// AdmissionResponse warnings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
}

impl Verdict {
    /// Admits the request with no warnings.
    pub fn accept() -> Verdict {
        Verdict::with_warnings(true, None, Vec::new())
    }

    /// A 400 rejection with `message`.
    pub fn reject(message: String) -> Verdict {
        Verdict::with_warnings(false, Some(message), Vec::new())
    }

    fn with_warnings(accepted: bool, message: Option<String>, warnings: Vec<String>) -> Verdict {
        Verdict {
            accepted,
            code: (!accepted).then_some(400),
            message,
            audit_annotations: None,
            warnings: (!warnings.is_empty()).then_some(warnings),
        }
    }
}

/// Whether a diagnostic rejects under these settings: errors of a layer in `rejectLayers`,
/// every policy rule, and (when `advice` is in `rejectLayers`) advice of any severity.
pub fn rejects(s: &Settings, d: &Diagnostic) -> bool {
    if d.layer == Layer::Policy {
        return d.severity == Severity::Error;
    }
    s.reject_layers.contains(&d.layer)
        && (d.severity == Severity::Error
            || (d.layer == Layer::Advice && d.severity == Severity::Warning))
}

/// Whether a (non-rejecting) diagnostic becomes an AdmissionResponse warning.
pub fn warns(s: &Settings, d: &Diagnostic) -> bool {
    d.severity != Severity::Info && s.warn_layers.contains(&d.layer)
}

/// `[RULE] path: message (ToolHive: …)`.
pub fn describe(d: &Diagnostic) -> String {
    let mut line = format!("[{}] ", d.rule);
    if !d.path.is_empty() {
        line.push_str(&d.path);
        line.push_str(": ");
    }
    line.push_str(&d.message);
    if let Some(t) = &d.toolhive {
        line.push_str(" (ToolHive: ");
        line.push_str(t);
        line.push(')');
    }
    line
}

/// Builds the verdict for the document under review (`report.documents[0]`), with extra
/// warnings from the policy itself. Every text is redacted of `secrets`.
pub fn decide(
    s: &Settings,
    report: &Report,
    extra_warnings: Vec<String>,
    secrets: &[String],
) -> Verdict {
    let diags = report
        .documents
        .first()
        .map(|d| d.diagnostics.as_slice())
        .unwrap_or(&[]);
    let redactor = Redactor::new(secrets);
    // Only the texts that can be shown are described and redacted; the rest are counted.
    let rejecting: Vec<&Diagnostic> = diags.iter().filter(|d| rejects(s, d)).collect();
    let warned: Vec<String> = diags
        .iter()
        .filter(|d| !rejects(s, d) && warns(s, d))
        .map(describe)
        .chain(extra_warnings)
        .collect();
    let shown = if warned.len() > MAX_WARNINGS {
        MAX_WARNINGS - 1
    } else {
        warned.len()
    };
    let mut warnings: Vec<String> = warned[..shown]
        .iter()
        .map(|w| shorten(&redactor.redact(w), MAX_WARNING_LEN))
        .collect();
    if warned.len() > shown {
        let more = warned.len() - shown;
        warnings.push(format!("and {more} more warnings (see the report)"));
    }
    if rejecting.is_empty() {
        return Verdict::with_warnings(true, None, warnings);
    }
    let listable: Vec<String> = rejecting
        .iter()
        .take(MAX_LISTED)
        .map(|d| redactor.redact(&describe(d)))
        .collect();
    let text = message_of(rejecting.len(), &listable);
    let mut v = Verdict::with_warnings(false, Some(text), warnings);
    v.audit_annotations = Some(HashMap::from([(
        AUDIT_KEY.to_owned(),
        audit(report, &redactor),
    )]));
    v
}

/// `N problem(s): [A] …; [B] …; and K more`, bounded by [`MAX_LISTED`] and [`MAX_MESSAGE`].
pub fn message(problems: &[String]) -> String {
    message_of(problems.len(), problems)
}

/// [`message`] for `n` problems of which `problems` are the first (at least [`MAX_LISTED`],
/// or all).
fn message_of(n: usize, problems: &[String]) -> String {
    let mut out = format!("{n} problem{}: ", if n == 1 { "" } else { "s" });
    let mut listed = 0;
    for p in problems {
        let item = shorten(p, MAX_MESSAGE / 4);
        if listed == MAX_LISTED || (listed > 0 && out.len() + item.len() > MAX_MESSAGE) {
            break;
        }
        if listed > 0 {
            out.push_str("; ");
        }
        out.push_str(&item);
        listed += 1;
    }
    if listed < n {
        out.push_str(&format!("; and {} more", n - listed));
    }
    out
}

/// The report as JSON for the audit annotation, redacted and within [`MAX_AUDIT`]: the
/// derived workload goes first, then other documents, then diagnostics beyond the first 50,
/// fixes and related positions, and each text beyond 256 bytes.
pub fn audit(report: &Report, redactor: &Redactor) -> String {
    // Redaction can shrink a text, but a render many times the budget is not worth redacting
    // (with thousands of diagnostics it is megabytes): the next, smaller one is tried instead.
    let fit = |r: &Report| {
        let raw = serde_json::to_string(r).unwrap_or_default();
        Some(raw)
            .filter(|raw| raw.len() <= 4 * MAX_AUDIT)
            .map(|raw| redactor.redact(&raw))
            .filter(|text| text.len() <= MAX_AUDIT)
    };
    if let Some(full) = fit(report) {
        return full;
    }
    let mut r = report.clone();
    for d in &mut r.documents {
        d.derived = None;
    }
    if let Some(small) = fit(&r) {
        return small;
    }
    r.documents.truncate(1);
    if let Some(d) = r.documents.first_mut() {
        d.diagnostics.truncate(50);
        for text in d.name.iter_mut().chain(d.namespace.as_mut()) {
            *text = shorten(&redactor.redact(text), MAX_AUDIT / 128);
        }
        // A single huge value (a 64 KB name quoted in a message) must not cost the whole
        // report: each text is cut, after redaction so that no part of a secret survives.
        for diag in &mut d.diagnostics {
            diag.fix = None;
            diag.also.clear();
            for text in [&mut diag.path, &mut diag.message]
                .into_iter()
                .chain(diag.toolhive.as_mut())
                .chain(diag.hint.as_mut())
            {
                *text = shorten(&redactor.redact(text), MAX_AUDIT / 128);
            }
        }
    }
    fit(&r).unwrap_or_else(|| "{\"truncated\":true}".to_owned())
}

/// Cuts `text` to at most `max` bytes at a character boundary, marking the cut with `…`.
pub fn shorten(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The string values the policy must never repeat, anywhere in `value`: fields whose name
/// says secret (`clientSecret`, `password`, `token`, `softwareStatement`, `privateKey`, any
/// `…secret…` string) and every value of the header maps a user may put credentials in
/// (`additionalHeaders`, `addPlaintextHeaders`).
pub fn collect_secrets(node: &Node, out: &mut Vec<String>) {
    const KEYS: [&str; 4] = ["password", "token", "softwarestatement", "privatekey"];
    const HEADER_MAPS: [&str; 2] = ["additionalheaders", "addplaintextheaders"];
    // Keys compare without case and without a lowered copy of each key.
    let is_one_of = |key: &str, names: &[&str]| names.iter().any(|n| key.eq_ignore_ascii_case(n));
    let says_secret = |key: &str| {
        key.as_bytes()
            .windows(6)
            .any(|w| w.eq_ignore_ascii_case(b"secret"))
    };
    match &node.value {
        Value::Map(entries) => {
            for Entry { key, value, .. } in entries {
                match &value.value {
                    Value::String(s)
                        if !s.is_empty() && (is_one_of(key, &KEYS) || says_secret(key)) =>
                    {
                        out.push(s.clone());
                    }
                    Value::Map(headers) if is_one_of(key, &HEADER_MAPS) => {
                        out.extend(
                            headers
                                .iter()
                                .filter_map(|h| h.value.as_str())
                                .filter(|s| !s.is_empty())
                                .map(str::to_owned),
                        );
                    }
                    _ => collect_secrets(value, out),
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|v| collect_secrets(v, out)),
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
/// (`tests/scale.rs`).
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
        for s in secrets.iter().filter(|s| !s.is_empty()) {
            let escaped = serde_json::to_string(s).unwrap_or_default();
            let inner = &escaped[1..escaped.len() - 1];
            if s.chars().count() >= 4 {
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
    use mcpauth_guard::Severity;
    use serde_json::{json, Value as Json};

    fn tree(v: Json) -> Node {
        Node::from_json(&v, 64).unwrap()
    }

    fn diag(rule: &str, layer: Layer, severity: Severity) -> Diagnostic {
        let mut d = crate::rules::diagnostic(rule, "spec.x".into(), "bad".into(), "fix it");
        d.layer = layer;
        d.severity = severity;
        d
    }

    #[test]
    fn layers_decide() {
        let s = Settings::default();
        assert!(rejects(&s, &diag("R", Layer::Startup, Severity::Error)));
        assert!(!rejects(&s, &diag("R", Layer::Admission, Severity::Error)));
        assert!(rejects(&s, &diag("POL-01", Layer::Policy, Severity::Error)));
        assert!(!rejects(&s, &diag("W", Layer::Advice, Severity::Warning)));
        assert!(warns(&s, &diag("W", Layer::Advice, Severity::Warning)));
        assert!(!warns(&s, &diag("W", Layer::Advice, Severity::Info)));
        let strict =
            Settings::parse(&json!({"rejectLayers": ["advice"], "warnLayers": []})).unwrap();
        assert!(rejects(
            &strict,
            &diag("W", Layer::Advice, Severity::Warning)
        ));
    }

    #[test]
    fn message_is_bounded() {
        let one = message(&["[A] x: y".into()]);
        assert_eq!(one, "1 problem: [A] x: y");
        let many: Vec<String> = (0..25)
            .map(|i| format!("[R-{i}] p: {}", "m".repeat(300)))
            .collect();
        let m = message(&many);
        assert!(m.starts_with("25 problems: [R-0]"));
        assert!(m.len() < MAX_MESSAGE + 600, "{}", m.len());
        assert!(m.ends_with("more"), "{m}");
        let d = diag("S-04", Layer::Admission, Severity::Error);
        let mut d2 = d.clone();
        d2.toolhive = Some("upstream[0]: bad".into());
        assert_eq!(
            describe(&d2),
            "[S-04] spec.x: bad (ToolHive: upstream[0]: bad)"
        );
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
        assert_eq!(shorten("ééé", 4), "…");
    }

    #[test]
    fn one_huge_text_does_not_cost_the_whole_audit_report() {
        let long = "a".repeat(64 * 1024);
        let mut d = diag("CT-01", Layer::Build, Severity::Error);
        d.message = format!("upstream \"{long}\" has no secret-{long}");
        let object = json!({"apiVersion": "toolhive.stacklok.dev/v1alpha1", "kind": "MCPExternalAuthConfig", "metadata": {"name": "x"}, "spec": {}});
        let mut report =
            mcpauth_guard::check_values(&[object], &mcpauth_guard::Options::default()).unwrap();
        report.documents[0].diagnostics = vec![d, diag("S-04", Layer::Admission, Severity::Error)];
        let secret = format!("secret-{}", &long[..100]);
        let text = audit(&report, &Redactor::new(&[secret]));
        assert!(text.len() <= MAX_AUDIT, "{}", text.len());
        let back: Json = serde_json::from_str(&text).unwrap();
        let diags = back["documents"][0]["diagnostics"].as_array().unwrap();
        assert_eq!(diags.len(), 2, "{text}");
        assert!(!text.contains("secret-a"), "redacted before it was cut");
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
