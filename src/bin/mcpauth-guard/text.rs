//! Human output: diagnostics in the style of rustc and clippy, and the rule reference.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use mcpauth_guard::catalogue::{Decidable, RULES};
use mcpauth_guard::report::{Diagnostic, DocumentReport, Report, Severity};
use mcpauth_guard::{Layer, Profile, Source};

struct Paint {
    on: bool,
}

impl Paint {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.on {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }

    fn severity(&self, s: Severity) -> Style {
        let color = match s {
            Severity::Error => AnsiColor::BrightRed,
            Severity::Warning => AnsiColor::BrightYellow,
            Severity::Info => AnsiColor::BrightCyan,
        };
        Style::new().bold().fg_color(Some(color.into()))
    }
}

fn blue() -> Style {
    Style::new()
        .bold()
        .fg_color(Some(AnsiColor::BrightBlue.into()))
}

fn bold() -> Style {
    Style::new().bold()
}

/// Renders a report for a terminal.
pub fn render(report: &Report, sources: &[Source<'_>], color: bool) -> String {
    let p = Paint { on: color };
    let mut out = String::new();
    let (mut errors, mut warnings) = (0, 0);
    // Each source's lines, split once (a source may carry thousands of diagnostics).
    let mut lines: Vec<SourceLines<'_>> =
        sources.iter().map(|s| SourceLines::new(s.text)).collect();
    for doc in &report.documents {
        let mut text = sources
            .iter()
            .position(|s| s.name == doc.source)
            .map(|i| &mut lines[i]);
        for d in &doc.diagnostics {
            match d.severity {
                Severity::Error => errors += 1,
                Severity::Warning => warnings += 1,
                Severity::Info => {}
            }
            render_diagnostic(&mut out, &p, doc, d, text.as_deref_mut());
        }
        render_summary(&mut out, &p, doc);
    }
    let verdict = format!(
        "{} document(s) checked with profile {}: {errors} error(s), {warnings} warning(s)",
        report.documents.len(),
        report.profile
    );
    let style = if errors > 0 {
        p.severity(Severity::Error)
    } else {
        bold()
    };
    let _ = writeln!(out, "{}", p.paint(style, &verdict));
    out
}

fn render_diagnostic(
    out: &mut String,
    p: &Paint,
    doc: &DocumentReport,
    d: &Diagnostic,
    text: Option<&mut SourceLines<'_>>,
) {
    let head = format!("{}[{}]", d.severity.as_str(), d.rule);
    let _ = writeln!(
        out,
        "{}{}",
        p.paint(p.severity(d.severity), &head),
        p.paint(bold(), &format!(": {}", printable(&d.message)))
    );
    let location = match (d.line, d.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", doc.source),
        _ => doc.source.clone(),
    };
    let gutter = d.line.map_or(1, |l| l.to_string().len());
    let pad = " ".repeat(gutter);
    let _ = writeln!(out, "{pad}{} {location}", p.paint(blue(), "-->"));
    if let (Some(line), Some(col), Some(text)) = (d.line, d.column, text) {
        let from = (col as usize).saturating_sub(EXCERPT_CHARS / 3 + 1);
        if let Some(tail) = text.tail(line as usize - 1, from) {
            let (src, col) = excerpt(tail.trim_end_matches('\r'), from, col as usize);
            let width = match (d.end_line, d.end_column) {
                (Some(el), Some(ec)) if el == line && ec > d.column.unwrap_or(0) => {
                    (ec - d.column.unwrap_or(0)) as usize
                }
                _ => usize::MAX,
            }
            .min(src.chars().count().saturating_sub(col - 1))
            .max(1);
            let bar = p.paint(blue(), "|");
            let _ = writeln!(out, "{pad} {bar}");
            let _ = writeln!(out, "{} {bar} {src}", p.paint(blue(), &line.to_string()));
            let lead: String = src
                .chars()
                .take(col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let carets = p.paint(p.severity(d.severity), &"^".repeat(width));
            let _ = writeln!(out, "{pad} {bar} {lead}{carets}");
            let _ = writeln!(out, "{pad} {bar}");
        }
    }
    let eq = p.paint(blue(), "=");
    let _ = writeln!(
        out,
        "{pad} {eq} {}: {} — {}",
        p.paint(bold(), "layer"),
        d.layer.as_str(),
        d.layer.consequence()
    );
    if !d.path.is_empty() {
        let _ = writeln!(
            out,
            "{pad} {eq} {}: {}",
            p.paint(bold(), "path"),
            printable(&d.path)
        );
    }
    if let Some(t) = &d.toolhive {
        let _ = writeln!(
            out,
            "{pad} {eq} {}: {}",
            p.paint(bold(), "toolhive"),
            printable(t)
        );
    }
    for a in &d.also {
        let _ = writeln!(
            out,
            "{pad} {eq} {}: {} [{}]{}",
            p.paint(bold(), "then"),
            a.layer.as_str(),
            a.rule,
            a.toolhive
                .as_deref()
                .map(|t| format!(": {}", printable(t)))
                .unwrap_or_default()
        );
    }
    if let Some(h) = &d.hint {
        let _ = writeln!(
            out,
            "{pad} {eq} {}: {}",
            p.paint(bold(), "help"),
            printable(h)
        );
    }
    out.push('\n');
}

fn render_summary(out: &mut String, p: &Paint, doc: &DocumentReport) {
    let name = match (&doc.namespace, &doc.name) {
        (Some(ns), Some(n)) => format!("{}/{}", printable(ns), printable(n)),
        (None, Some(n)) => printable(n).into_owned(),
        _ => String::new(),
    };
    let verdict = if doc.valid {
        p.paint(bold(), "ok")
    } else {
        p.paint(p.severity(Severity::Error), "invalid")
    };
    let _ = writeln!(
        out,
        "{} {} [{}] {} {name}: {verdict}",
        p.paint(blue(), "==>"),
        doc.source,
        doc.index,
        printable(&doc.kind)
    );
    if let Some(derived) = &doc.derived {
        for e in &derived.env {
            let r = &e.value_from.secret_key_ref;
            let _ = writeln!(out, "    env    {} <- secret {}/{}", e.name, r.name, r.key);
        }
        for m in &derived.volume_mounts {
            let _ = writeln!(out, "    volume {} -> {}", m.name, m.mount_path);
        }
    }
    out.push('\n');
}

/// `text` with control characters (a terminal's escape sequences, from the input) escaped.
fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// At most this many characters of a source line are shown.
const EXCERPT_CHARS: usize = 120;

/// A source's lines, and where the last excerpt of a line started: diagnostics come sorted by
/// line and column, so finding the columns of many diagnostics on one long line (minified JSON)
/// scans that line once in all, not once per diagnostic from its start.
struct SourceLines<'a> {
    lines: Vec<&'a str>,
    /// The last [`SourceLines::tail`]: line index, characters skipped, byte offset.
    cursor: (usize, usize, usize),
}

impl<'a> SourceLines<'a> {
    fn new(text: &'a str) -> SourceLines<'a> {
        SourceLines {
            lines: text.lines().collect(),
            cursor: (0, 0, 0),
        }
    }

    /// Line `index` (0-based) from its character `skip` on (the whole line for 0).
    fn tail(&mut self, index: usize, skip: usize) -> Option<&'a str> {
        let line = *self.lines.get(index)?;
        let (mut skipped, mut byte) = match self.cursor {
            (i, c, b) if i == index && c <= skip => (c, b),
            _ => (0, 0),
        };
        for ch in line[byte..].chars() {
            if skipped == skip {
                break;
            }
            skipped += 1;
            byte += ch.len_utf8();
        }
        self.cursor = (index, skipped, byte);
        Some(&line[byte..])
    }
}

/// The part of a source line shown under a diagnostic, and the 1-based column in it: a long
/// line (minified JSON) is cut to [`EXCERPT_CHARS`] around the column, with `…` where it was
/// cut, so that the output stays proportional to the number of diagnostics. `tail` is the line
/// from its character `from` on. Control characters (a terminal's escape sequences) are shown
/// as `�`.
fn excerpt(tail: &str, from: usize, col: usize) -> (String, usize) {
    let mut chars = tail.chars();
    let mut shown: String = chars
        .by_ref()
        .take(EXCERPT_CHARS)
        .map(|c| {
            if c.is_control() && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    let mut col = col - from;
    if from > 0 {
        shown.insert(0, '…');
        col += 1;
    }
    if chars.next().is_some() {
        shown.push('…');
    }
    (shown, col)
}

/// One line per rule.
pub fn rules_list() -> String {
    let mut out = String::new();
    for r in RULES {
        let _ = writeln!(
            out,
            "{:<7} {:<9} {:<4} {}",
            r.id,
            r.layer.as_str(),
            r.revs.as_str(),
            r.title
        );
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// What changed between the profiles: rules that exist in only one of them, and every
/// behaviour setting that differs (from the profile table).
fn profile_differences() -> String {
    let [old, new] = Profile::ALL;
    let mut out = format!("## What changed from `{}` to `{}`\n\n", old.id(), new.id());
    let only = |p: Profile, q: Profile| -> Vec<&str> {
        RULES
            .iter()
            .filter(|r| r.applies(p) && !r.applies(q))
            .map(|r| r.id)
            .collect()
    };
    let _ = writeln!(
        out,
        "Rules only in `{}`: {}.\n",
        old.id(),
        only(old, new).join(", ")
    );
    let _ = writeln!(
        out,
        "Rules only in `{}`: {}.\n",
        new.id(),
        only(new, old).join(", ")
    );
    let _ = writeln!(
        out,
        "| behaviour | `{}` | `{}` |\n|---|---|---|",
        old.id(),
        new.id()
    );
    let (a, b) = (old.behaviour().settings(), new.behaviour().settings());
    for ((name, va), (_, vb)) in a.iter().zip(&b) {
        if va != vb {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                escape(name),
                escape(va),
                escape(vb)
            );
        }
    }
    out.push('\n');
    out
}

/// The Markdown rule reference (`docs/RULES.md`), generated from the catalogue.
pub fn rules_markdown() -> String {
    let mut out = String::new();
    out.push_str("# Rules\n\n");
    out.push_str("Generated by `mcpauth-guard rules --markdown` from the rule catalogue (`src/catalogue.rs`);\n");
    out.push_str("a test fails when this file and the catalogue disagree. `mcpauth-guard explain <ID>` prints one rule.\n\n");
    out.push_str("Revisions: **A** = ToolHive 074326e12 (profile `v0.13`), **H** = ToolHive e25de16cf (profile `2026-08`),\n");
    out.push_str("**own** = this project's rule (every profile). A problem is reported once, at the earliest layer that\n");
    out.push_str(
        "catches it; later layers that would also fail are listed in the diagnostic's `also`. (A\n",
    );
    out.push_str("VirtualMCPServer's controller checks its inline auth server, G-05, G-06 and G-12, before it deploys the\n");
    out.push_str("auth server: they come before the start-up layer's rules.)\n\n");
    for layer in Layer::ALL {
        let rules: Vec<_> = RULES.iter().filter(|r| r.layer == layer).collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {} — {}\n", layer.as_str(), layer.consequence());
        out.push_str("| id | rev | severity | checks | ToolHive's message | fix |\n|---|---|---|---|---|---|\n");
        for r in rules {
            let mut checks = escape(r.title);
            match r.decidable {
                Decidable::Statically => {}
                Decidable::AtRuntimeOnly(why) => {
                    let _ = write!(checks, " *(not checked: {})*", escape(why));
                }
                Decidable::Unreachable(why) => {
                    let _ = write!(checks, " *(never reported: {})*", escape(why));
                }
            }
            if !r.subsumed_by.is_empty() {
                let _ = write!(
                    checks,
                    " (reported as {} when that fires)",
                    r.subsumed_by.join("/")
                );
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                r.id,
                r.revs.as_str(),
                r.severity.as_str(),
                checks,
                if r.toolhive.is_empty() {
                    String::new()
                } else {
                    format!("`{}`", escape(r.toolhive))
                },
                escape(r.hint)
            );
        }
        out.push('\n');
    }
    out.push_str(&profile_differences());
    out.push_str("## Profiles\n\n| profile | ToolHive | rules |\n|---|---|---|\n");
    for p in Profile::ALL {
        let n = RULES.iter().filter(|r| r.applies(p)).count();
        let state = if Profile::available().contains(&p) {
            ""
        } else {
            " (not yet selectable)"
        };
        let _ = writeln!(
            out,
            "| `{}`{state} | {} | {n} |",
            p.id(),
            p.behaviour().revision
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_s_tail_is_found_from_the_cursor_as_from_the_start() {
        let text = "ascii line\nmixed: é, ü and 漢字 then 🦀 and more\nlast";
        let mixed = text.lines().nth(1).unwrap();
        let fresh = |skip: usize| -> String { mixed.chars().skip(skip).collect() };
        let mut lines = SourceLines::new(text);
        // Forward on one line (the cursor moves on), then back (it starts over), then another
        // line and back to this one.
        let count = mixed.chars().count();
        for skip in (0..=count).chain((0..=count).rev()) {
            assert_eq!(lines.tail(1, skip), Some(fresh(skip).as_str()), "{skip}");
        }
        assert_eq!(lines.tail(0, 6), Some("line"));
        assert_eq!(lines.tail(1, 26), Some(fresh(26).as_str()));
        assert_eq!(lines.tail(2, 0), Some("last"));
        assert_eq!(lines.tail(3, 0), None);
    }

    #[test]
    fn a_long_line_is_shown_around_the_column() {
        let line = "x".repeat(300);
        let from = 200 - (EXCERPT_CHARS / 3 + 1);
        let (shown, col) = excerpt(&line[from..], from, 200);
        assert_eq!(shown.chars().count(), EXCERPT_CHARS + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(col, EXCERPT_CHARS / 3 + 2);
        assert_eq!(excerpt("a\u{1b}b", 0, 2), ("a\u{fffd}b".to_owned(), 2));
    }
}
