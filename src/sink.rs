//! Collecting diagnostics from the layers, dropping repeats of a problem an earlier layer
//! already reported, and placing each one in the source.

use crate::catalogue::{self, Rule};
use crate::envname::DEFAULT_UPSTREAM_NAME;
use crate::path::{Path, Segment};
use crate::position::SourceText;
use crate::profile::Profile;
use crate::report::{Diagnostic, Fix, Related, Severity};
use crate::tree::{Locator, Node, Span};

/// A diagnostic before it is placed in the source.
#[derive(Debug, Clone)]
pub struct Pending {
    rule: &'static Rule,
    path: Path,
    message: String,
    toolhive: Option<String>,
    hint: Option<String>,
    fix: Option<Fix>,
    severity: Severity,
    at_key: bool,
}

impl Pending {
    /// Sets ToolHive's own message.
    pub fn toolhive(&mut self, text: impl Into<String>) -> &mut Self {
        self.toolhive = Some(text.into());
        self
    }

    /// Sets ToolHive's own message from the rule's [`template`](crate::catalogue::Rule::template)
    /// (its only copy), with each placeholder (e.g. `"<p>"`, `<kind>`) replaced by its text.
    /// Each placeholder is replaced in the catalogue's text only, never inside a value.
    pub fn toolhive_filled(&mut self, fills: &[(&str, &str)]) -> &mut Self {
        let mut rest = self.rule.template;
        let mut text = String::with_capacity(rest.len());
        // The earliest placeholder in what is left of the template, again and again.
        while let Some((at, placeholder, value)) = fills
            .iter()
            .filter(|(p, _)| !p.is_empty())
            .filter_map(|&(p, v)| rest.find(p).map(|at| (at, p, v)))
            .min_by_key(|&(at, _, _)| at)
        {
            text.push_str(&rest[..at]);
            text.push_str(value);
            rest = &rest[at + placeholder.len()..];
        }
        text.push_str(rest);
        self.toolhive(text)
    }

    /// Replaces the catalogue's hint with a more specific one.
    pub fn hint(&mut self, text: impl Into<String>) -> &mut Self {
        self.hint = Some(text.into());
        self
    }

    /// Attaches a certain fix: the value at `path` becomes `value`.
    pub fn fix(&mut self, value: serde_json::Value) -> &mut Self {
        self.fix = Some(Fix {
            path: self.path.to_string(),
            value,
        });
        self
    }

    /// Attaches a certain fix at another path than the diagnostic's: the value at `path`
    /// becomes `value` (used to add a missing block where the problem is reported on its parent).
    pub fn fix_at(&mut self, path: &Path, value: serde_json::Value) -> &mut Self {
        self.fix = Some(Fix {
            path: path.to_string(),
            value,
        });
        self
    }

    /// Overrides the catalogue's default severity.
    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }

    /// Locates the diagnostic at the member's key rather than its value.
    pub fn at_key(&mut self) -> &mut Self {
        self.at_key = true;
        self
    }
}

/// Collects the diagnostics of one document.
pub struct Sink {
    profile: Profile,
    pending: Vec<Pending>,
    /// A sink for rules that do not apply in the profile: written to, then dropped.
    discard: Option<Pending>,
}

impl Sink {
    /// An empty sink for `profile`.
    pub fn new(profile: Profile) -> Sink {
        Sink {
            profile,
            pending: Vec::new(),
            discard: None,
        }
    }

    /// The profile rules are checked for.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Reports a problem of rule `id` at `path`. A rule that does not apply in the profile is
    /// silently dropped, so rule code never needs to ask which profile is active.
    ///
    /// # Panics
    /// On an id missing from the catalogue — a programming error caught by every test.
    pub fn emit(&mut self, id: &str, path: Path, message: impl Into<String>) -> &mut Pending {
        let rule =
            catalogue::rule(id).unwrap_or_else(|| panic!("rule {id} is not in the catalogue"));
        let pending = Pending {
            rule,
            path,
            message: message.into(),
            toolhive: None,
            hint: None,
            fix: None,
            severity: rule.severity,
            at_key: false,
        };
        if rule.applies(self.profile) {
            self.pending.push(pending);
            self.pending.last_mut().expect("just pushed")
        } else {
            self.discard.insert(pending)
        }
    }

    /// Whether a diagnostic of rule `id` was reported at `path`.
    pub fn has(&self, id: &str, path: &Path) -> bool {
        self.pending
            .iter()
            .any(|p| p.rule.id == id && &p.path == path)
    }

    /// Whether any error was reported so far.
    pub fn has_errors(&self) -> bool {
        self.pending.iter().any(|p| p.severity == Severity::Error)
    }

    /// How many errors of rules in `layer` were reported so far.
    pub fn error_count(&self, layer: crate::report::Layer) -> usize {
        self.pending
            .iter()
            .filter(|p| p.severity == Severity::Error && p.rule.layer == layer)
            .count()
    }

    /// Moves the diagnostics of `other` (checked against another path base) into this sink.
    pub fn extend(&mut self, other: Sink) {
        self.pending.extend(other.pending);
    }

    /// Rewrites the path of every diagnostic with `map` (used to point run-config problems
    /// back at the CRD fields they came from).
    pub fn map_paths(&mut self, map: impl Fn(&Path) -> Path) {
        for p in &mut self.pending {
            p.path = map(&p.path);
            if let Some(fix) = &mut p.fix {
                fix.path = map(&Path::parse(&fix.path)).to_string();
            }
        }
    }

    /// Finishes: drops repeats (a rule's `subsumed_by` fired at the same path), locates each
    /// diagnostic in `root` (and the source text, when there is one) and sorts by position.
    pub fn finish(mut self, root: &Node, index: Option<&SourceText<'_>>) -> Vec<Diagnostic> {
        drop_colliding_name_fixes(&mut self.pending, root);
        // A later-layer diagnostic that an earlier one subsumes (same path, and the earlier rule
        // is in its `subsumed_by`) is dropped, and listed in the `also` of the first diagnostic
        // that subsumes it; a repeat of a diagnostic (same rule, path and message) is dropped.
        // The indices are sorted by (path, rule, message, index) — ties keep the emission
        // order — which puts each path's diagnostics together and each repeat right after its
        // first occurrence: no hashing, and O(n log n) however many share a path. (The
        // index makes an unstable sort give the stable order without the 4 KB of stack a
        // stable sort reserves: see docs/PERFORMANCE.md, the policy's stack pages.)
        let pending = &self.pending;
        let mut order: Vec<usize> = (0..pending.len()).collect();
        order.sort_unstable_by(|&a, &b| {
            let (p, q) = (&pending[a], &pending[b]);
            (&p.path, p.rule.id, &p.message, a).cmp(&(&q.path, q.rule.id, &q.message, b))
        });
        let mut subsumer: Vec<Option<usize>> = vec![None; pending.len()];
        let mut repeat = vec![false; pending.len()];
        for group in order.chunk_by(|&a, &b| pending[a].path == pending[b].path) {
            // Each rule reported at this path (sorted), with its first emission.
            let first_of_rule: Vec<(&str, usize)> = group
                .chunk_by(|&a, &b| pending[a].rule.id == pending[b].rule.id)
                .map(|run| {
                    (
                        pending[run[0]].rule.id,
                        run.iter().copied().min().unwrap_or(run[0]),
                    )
                })
                .collect();
            for (k, &l) in group.iter().enumerate() {
                let p = &pending[l];
                subsumer[l] = p
                    .rule
                    .subsumed_by
                    .iter()
                    .filter_map(|id| {
                        let i = first_of_rule.binary_search_by(|(r, _)| r.cmp(id)).ok()?;
                        Some(first_of_rule[i].1)
                    })
                    .min();
                repeat[l] = k > 0 && {
                    let q = &pending[group[k - 1]];
                    q.rule.id == p.rule.id && q.message == p.message
                };
            }
        }
        let mut also: Vec<Vec<Related>> = vec![Vec::new(); self.pending.len()];
        for (l, s) in subsumer.iter().enumerate() {
            if let Some(i) = *s {
                let later = &self.pending[l];
                let related = Related {
                    rule: later.rule.id.to_owned(),
                    layer: later.rule.layer,
                    toolhive: later.toolhive.clone(),
                };
                if !also[i].contains(&related) {
                    also[i].push(related);
                }
            }
        }
        let mut locator = Locator::new(root);
        let mut out: Vec<(usize, Diagnostic)> = self
            .pending
            .iter()
            .zip(also)
            .enumerate()
            .filter(|(i, _)| subsumer[*i].is_none() && !repeat[*i])
            .map(|(i, (p, also))| {
                let span = if p.at_key {
                    locator.locate_key(&p.path)
                } else {
                    locator.locate(&p.path)
                };
                let d = Diagnostic {
                    also,
                    ..place(p, span, index)
                };
                (i, d)
            })
            .collect();
        // By position; ties in emission order.
        out.sort_unstable_by_key(|(i, d)| {
            (d.line.unwrap_or(0), d.column.unwrap_or(0), d.layer, *i)
        });
        out.into_iter().map(|(_, d)| d).collect()
    }
}

fn place(p: &Pending, span: Option<Span>, index: Option<&SourceText<'_>>) -> Diagnostic {
    let hint = p
        .hint
        .clone()
        .or_else(|| (!p.rule.hint.is_empty()).then(|| p.rule.hint.to_owned()));
    let mut d = Diagnostic {
        severity: p.severity,
        layer: p.rule.layer,
        rule: p.rule.id.to_owned(),
        path: p.path.to_string(),
        message: p.message.clone(),
        toolhive: p.toolhive.clone(),
        hint,
        fix: p.fix.clone(),
        also: Vec::new(),
        line: None,
        column: None,
        end_line: None,
        end_column: None,
        offset: None,
        end_offset: None,
    };
    // Spans come only from text, so a span always has its text.
    if let (Some(span), Some(text)) = (span, index) {
        let (start, end) = (text.locate(span.start), text.locate(span.end));
        d.line = Some(start.line);
        d.column = Some(start.column);
        d.end_line = Some(end.line);
        d.end_column = Some(end.column);
        d.offset = Some(text.utf16_offset(start));
        d.end_offset = Some(text.utf16_offset(end));
    }
    d
}

/// Keeps name fixes certain: a fix that renames an item of a list (`…[i].name`) to a name
/// another item of that list has, that another fix gives another item, or to `default` among
/// several items, is dropped (its hint still suggests the name). Sorting, not pairs, so that many bad names stay cheap.
fn drop_colliding_name_fixes(pending: &mut [Pending], root: &Node) {
    // (list, name, item, the diagnostic whose fix it is: `None` for a current name). A name
    // fix is always at its diagnostic's path.
    let mut names: Vec<(&[Segment], &str, usize, Option<usize>)> = Vec::new();
    for (n, p) in pending.iter().enumerate() {
        let name = p.fix.as_ref().and_then(|f| f.value.as_str());
        if let (Some(name), [list @ .., Segment::Index(i), Segment::Key(k)]) =
            (name, p.path.segments())
        {
            if &**k == "name" {
                names.push((list, name, *i, Some(n)));
            }
        }
    }
    let fixes = names.len();
    for f in 0..fixes {
        let list = names[f].0;
        if names[..f].iter().any(|g| g.0 == list) {
            continue; // the list's names are in already
        }
        let items = root
            .at_segments(list)
            .and_then(Node::as_seq)
            .unwrap_or_default();
        for (i, item) in items.iter().enumerate() {
            if let Some(name) = item.str("name") {
                names.push((list, name, i, None));
            }
        }
        // With several upstreams, `default` is reserved (RT-08): as if another item had it.
        if items.len() > 1 {
            names.push((list, DEFAULT_UPSTREAM_NAME, usize::MAX, None));
        }
    }
    names.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut uncertain = Vec::new();
    for group in names.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        if group.iter().any(|g| g.2 != group[0].2) {
            uncertain.extend(group.iter().filter_map(|g| g.3));
        }
    }
    for n in uncertain {
        pending[n].fix = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Value;

    /// ToolHive's text comes from the catalogue with its placeholders filled once: a value
    /// that holds a placeholder's text is copied as it is.
    #[test]
    fn toolhive_placeholders_are_filled_in_the_template_only() {
        let mut sink = Sink::new(Profile::P2026_08);
        sink.emit("ADV-10", Path::parse("spec"), "m")
            .toolhive_filled(&[("\"<p>\"", "\"<kind>\""), ("<kind>", "MCPServer")]);
        assert_eq!(
            sink.pending[0].toolhive.as_deref(),
            Some("spec.authzConfig.inline.primaryUpstreamProvider=\"<kind>\" has no effect on MCPServer; the field only takes effect on VirtualMCPServer with an embedded auth server")
        );
    }

    #[test]
    fn a_name_fix_that_would_repeat_a_name_is_not_offered() {
        let names = |ups: &[&str]| {
            let items: String = ups
                .iter()
                .map(|n| format!("      - name: {n}\n        type: oidc\n        oidcConfig: {{issuerUrl: https://i.example.com, clientId: c, redirectUri: https://m.example.com/cb}}\n"))
                .collect();
            let text = format!("apiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPExternalAuthConfig\nmetadata: {{name: a}}\nspec:\n  type: embeddedAuthServer\n  embeddedAuthServer:\n    issuer: https://auth.example.com\n    upstreamProviders:\n{items}");
            let report = crate::check_text("t", &text, &crate::Options::default()).unwrap();
            report.documents[0]
                .diagnostics
                .iter()
                .filter(|d| d.rule == "S-04")
                .map(|d| (d.path.clone(), d.fix.as_ref().map(|f| f.value.to_string())))
                .collect::<Vec<_>>()
        };
        let at = |i: usize| format!("spec.embeddedAuthServer.upstreamProviders[{i}].name");
        // Alone, the bad name gets its fix.
        assert_eq!(
            names(&["Okta_Prod", "github"]),
            [(at(0), Some("\"okta-prod\"".into()))]
        );
        // Another upstream has the name already, or another fix would give it too: no fix.
        assert_eq!(names(&["okta", "OKTA"]), [(at(1), None)]);
        assert_eq!(names(&["Okta", "OKTA"]), [(at(0), None), (at(1), None)]);
        // `default` is reserved among several upstreams (RT-08), not among one.
        assert_eq!(names(&["Default", "github"]), [(at(0), None)]);
        assert_eq!(names(&["Default"]), [(at(0), Some("\"default\"".into()))]);
    }

    #[test]
    fn finish_drops_repeats_and_lists_subsumed_diagnostics_under_the_first_subsumer() {
        let mut sink = Sink::new(Profile::P2026_08);
        let spec = Path::root().key("spec");
        sink.emit("W-01", spec.clone(), "later layer");
        sink.emit("C-01", spec.clone(), "earlier layer");
        sink.emit("C-01", spec.clone(), "earlier layer");
        sink.emit("C-01", spec.clone(), "another message");
        sink.emit("W-01", Path::root().key("other"), "not subsumed");
        let out = sink.finish(&Node::new(Value::Null), None);
        let got: Vec<(&str, &str, &str, Vec<&str>)> = out
            .iter()
            .map(|d| {
                let also = d.also.iter().map(|r| r.rule.as_str()).collect();
                (d.rule.as_str(), d.path.as_str(), d.message.as_str(), also)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("C-01", "spec", "earlier layer", vec!["W-01"]),
                ("C-01", "spec", "another message", vec![]),
                ("W-01", "other", "not subsumed", vec![]),
            ]
        );
    }
}
