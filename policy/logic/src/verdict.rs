//! Turning a report into an admission verdict: which diagnostics reject, which become
//! warnings, the bounded rejection message, the audit annotation, and redaction of secret
//! values everywhere the policy writes text.

use std::collections::HashMap;

use mcpauth_guard::secrets::Redactor;
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
/// warnings from the policy itself. Every text is redacted of the values `secrets` gives,
/// which is called only when there is a text to write.
pub fn decide(
    s: &Settings,
    report: &Report,
    extra_warnings: Vec<String>,
    secrets: impl FnOnce() -> Vec<String>,
) -> Verdict {
    let diags = report
        .documents
        .first()
        .map(|d| d.diagnostics.as_slice())
        .unwrap_or(&[]);
    // Only the texts that can be shown are described and redacted; the rest are counted.
    let rejecting: Vec<&Diagnostic> = diags.iter().filter(|d| rejects(s, d)).collect();
    let warned: Vec<String> = diags
        .iter()
        .filter(|d| !rejects(s, d) && warns(s, d))
        .map(describe)
        .chain(extra_warnings)
        .collect();
    if rejecting.is_empty() && warned.is_empty() {
        return Verdict::accept();
    }
    let redactor = Redactor::new(&secrets());
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

#[cfg(test)]
mod tests {
    use super::*;
    use mcpauth_guard::Severity;
    use serde_json::{json, Value as Json};

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
        assert_eq!(shorten("ééé", 4), "…");
        let d = diag("S-04", Layer::Admission, Severity::Error);
        let mut d2 = d.clone();
        d2.toolhive = Some("upstream[0]: bad".into());
        assert_eq!(
            describe(&d2),
            "[S-04] spec.x: bad (ToolHive: upstream[0]: bad)"
        );
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
}
