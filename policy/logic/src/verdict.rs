//! Turning a report into an admission verdict: which diagnostics reject, which become
//! warnings, the bounded rejection message, the audit annotation, and redaction of secret
//! values everywhere the policy writes text.

use std::collections::HashMap;

use mcpauth_guard::{Diagnostic, Layer, Report, Severity};
use serde::Serialize;
use serde_json::Value;

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
    let rejecting: Vec<String> = diags
        .iter()
        .filter(|d| rejects(s, d))
        .map(|d| redact(&describe(d), secrets))
        .collect();
    let mut warnings: Vec<String> = diags
        .iter()
        .filter(|d| !rejects(s, d) && warns(s, d))
        .map(describe)
        .chain(extra_warnings)
        .map(|w| shorten(&redact(&w, secrets), MAX_WARNING_LEN))
        .collect();
    if warnings.len() > MAX_WARNINGS {
        let more = warnings.len() - (MAX_WARNINGS - 1);
        warnings.truncate(MAX_WARNINGS - 1);
        warnings.push(format!("and {more} more warnings (see the report)"));
    }
    if rejecting.is_empty() {
        return Verdict::with_warnings(true, None, warnings);
    }
    let mut v = Verdict::with_warnings(false, Some(message(&rejecting)), warnings);
    v.audit_annotations = Some(HashMap::from([(
        AUDIT_KEY.to_owned(),
        audit(report, secrets),
    )]));
    v
}

/// `N problem(s): [A] …; [B] …; and K more`, bounded by [`MAX_LISTED`] and [`MAX_MESSAGE`].
pub fn message(problems: &[String]) -> String {
    let n = problems.len();
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
/// derived workload goes first, then other documents, then diagnostics beyond the first 50.
pub fn audit(report: &Report, secrets: &[String]) -> String {
    let render = |r: &Report| redact(&serde_json::to_string(r).unwrap_or_default(), secrets);
    let full = render(report);
    if full.len() <= MAX_AUDIT {
        return full;
    }
    let mut r = report.clone();
    for d in &mut r.documents {
        d.derived = None;
    }
    let small = render(&r);
    if small.len() <= MAX_AUDIT {
        return small;
    }
    r.documents.truncate(1);
    if let Some(d) = r.documents.first_mut() {
        d.diagnostics.truncate(50);
    }
    let smaller = render(&r);
    if smaller.len() <= MAX_AUDIT {
        smaller
    } else {
        "{\"truncated\":true}".to_owned()
    }
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
pub fn collect_secrets(value: &Value, out: &mut Vec<String>) {
    const KEYS: [&str; 4] = ["password", "token", "softwarestatement", "privatekey"];
    const HEADER_MAPS: [&str; 2] = ["additionalheaders", "addplaintextheaders"];
    match value {
        Value::Object(m) => {
            for (k, v) in m {
                let key = k.to_ascii_lowercase();
                match v {
                    Value::String(s)
                        if !s.is_empty()
                            && (KEYS.contains(&key.as_str()) || key.contains("secret")) =>
                    {
                        out.push(s.clone());
                    }
                    Value::Object(headers) if HEADER_MAPS.contains(&key.as_str()) => {
                        out.extend(
                            headers
                                .values()
                                .filter_map(Value::as_str)
                                .filter(|s| !s.is_empty())
                                .map(str::to_owned),
                        );
                    }
                    _ => collect_secrets(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_secrets(v, out)),
        _ => {}
    }
}

/// Replaces every secret value in `text` (as written, and as escaped inside JSON strings).
/// Values shorter than 4 characters are replaced only where they appear quoted.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_owned();
    for s in secrets {
        let escaped = serde_json::to_string(s).unwrap_or_default();
        let inner = &escaped[1..escaped.len().saturating_sub(1).max(1)];
        if s.chars().count() >= 4 {
            for form in [s.as_str(), inner] {
                if out.contains(form) {
                    out = out.replace(form, REDACTED);
                }
            }
        } else {
            for form in [
                format!("\"{s}\""),
                format!("\\\"{inner}\\\""),
                escaped.clone(),
            ] {
                if out.contains(&form) {
                    out = out.replace(&form, &format!("\"{REDACTED}\""));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use mcpauth_guard::Severity;
    use serde_json::json;

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
            &json!({"spec": {
                "oidcConfig": {"inline": {"clientSecret": "s3cr\"et-value"}},
                "x": [{"password": "abc"}],
                "userInfo": {"additionalHeaders": {"X-Api-Key": "k-123456"}},
                "clientSecretRef": {"name": "n", "key": "k"}
            }}),
            &mut secrets,
        );
        secrets.sort();
        assert_eq!(secrets, ["abc", "k-123456", "s3cr\"et-value"]);
        let text = "value s3cr\"et-value and json \"s3cr\\\"et-value\" and \"abc\" and abcdef";
        let r = redact(text, &secrets);
        assert!(!r.contains("et-value"), "{r}");
        assert!(r.contains("abcdef"), "{r}");
        assert!(!r.contains("\"abc\""), "{r}");
        assert_eq!(shorten("ééé", 4), "…");
    }
}
