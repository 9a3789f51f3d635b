//! Shared helpers for the per-rule test vectors (`tests/vectors/<profile>/<RULE>.yaml`).
//!
//! A vector file is read with the core's own reader (`parse::parse_text` → `Node::to_json`)
//! and deserialized into [`VectorFile`]. Each case is checked with [`check_case`], which
//! returns every mismatch (never panics), so a run can report all failures at once.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use mcpauth_guard::catalogue;
use mcpauth_guard::{check_text, ConsumerKind, ContextOverrides, Options, Profile};

/// One vector file: the cases of one rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorFile {
    /// The rule id; must equal the file stem.
    pub rule: String,
    /// The cases, in file order.
    pub cases: Vec<Case>,
}

/// Whether the rule fires on the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// The rule fires (directly, or in the `also` of an earlier-layer diagnostic).
    Reject,
    /// The rule does not fire at all.
    Accept,
}

/// One case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What the case shows.
    pub name: String,
    /// Reject or accept.
    pub expect: Expect,
    /// Check options (consumer, workload context).
    #[serde(default)]
    pub options: Option<CaseOptions>,
    /// The YAML or JSON input (one or more documents).
    pub input: String,
    /// Every expected diagnostic of the file's rule (reject cases; exact count).
    #[serde(default)]
    pub diagnostics: Vec<Expected>,
    /// The core disagrees with the rules reference on this case: the case is expected to
    /// fail (and reported), until the core is fixed.
    #[serde(default)]
    pub known_bug: Option<String>,
}

/// The options of a case (all optional), as the CLI flags.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CaseOptions {
    /// `mcpserver`, `mcpremoteproxy` or `virtualmcpserver`.
    pub consumer: Option<String>,
    /// Workload namespace.
    pub namespace: Option<String>,
    /// Workload name.
    pub workload: Option<String>,
    /// The workload's resource URL.
    pub resource_url: Option<String>,
    /// The workload's scopes.
    pub scopes: Option<Vec<String>>,
}

/// One expected diagnostic of the file's rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    /// JSON path (in the document that carries the diagnostic).
    pub path: String,
    /// 1-based line within `input`.
    pub line: Option<u32>,
    /// 1-based column (characters).
    pub column: Option<u32>,
    /// ToolHive's exact message; absent means the diagnostic carries none.
    #[serde(default)]
    pub toolhive: Option<String>,
    /// `error`, `warning` or `info` (checked when given).
    #[serde(default)]
    pub severity: Option<String>,
    /// The earlier-layer rule whose diagnostic lists this rule in `also`.
    #[serde(default)]
    pub via: Option<String>,
}

/// A diagnostic of the rule under test as found in the report: either a diagnostic of its
/// own, or an `also` entry of an earlier-layer diagnostic.
#[derive(Debug, Clone)]
pub struct Found {
    pub via: Option<String>,
    pub path: String,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub toolhive: Option<String>,
    pub severity: Option<String>,
    pub layer: String,
    pub doc: usize,
}

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}path {} @ {}:{} [{}{}] toolhive: {}",
            self.via
                .as_ref()
                .map(|v| format!("(via {v}) "))
                .unwrap_or_default(),
            self.path,
            self.line.map_or("-".into(), |l| l.to_string()),
            self.column.map_or("-".into(), |c| c.to_string()),
            self.layer,
            self.severity
                .as_ref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default(),
            self.toolhive
                .as_ref()
                .map_or("<none>".to_owned(), |t| format!("{t:?}")),
        )
    }
}

/// The directory of a profile's vectors.
pub fn vector_dir(profile: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(profile)
}

/// The vector files of a profile, sorted by name.
pub fn vector_files(profile: &str) -> Vec<PathBuf> {
    let dir = vector_dir(profile);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// Reads a vector file with the core's own YAML reader.
pub fn load(path: &Path) -> Result<VectorFile, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    let docs = mcpauth_guard::parse::parse_text(&text).map_err(|e| format!("{e}"))?;
    let [doc] = docs.as_slice() else {
        return Err(format!("expected one YAML document, found {}", docs.len()));
    };
    serde_json::from_value(doc.root.to_json()).map_err(|e| format!("bad vector file: {e}"))
}

/// The options of a case for `profile`.
pub fn options_of(case: &Case, profile: Profile) -> Result<Options, String> {
    let mut o = Options {
        profile,
        ..Options::default()
    };
    if let Some(c) = &case.options {
        if let Some(kind) = &c.consumer {
            o.consumer = Some(
                ConsumerKind::parse(kind).ok_or_else(|| format!("unknown consumer {kind:?}"))?,
            );
        }
        o.context = ContextOverrides {
            namespace: c.namespace.clone(),
            workload: c.workload.clone(),
            resource_url: c.resource_url.clone(),
            scopes: c.scopes.clone(),
        };
    }
    Ok(o)
}

/// Every occurrence of `rule` in the report of `input`.
pub fn found(rule: &str, input: &str, options: &Options) -> Result<Vec<Found>, String> {
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_text("<vector>", input, options)
    }));
    let report = match run {
        Ok(r) => r.map_err(|e| format!("input error: {e}"))?,
        Err(panic) => {
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            return Err(format!("check_text panicked: {what}"));
        }
    };
    let mut out = Vec::new();
    for (doc, d) in report.documents.iter().enumerate() {
        for diag in &d.diagnostics {
            if diag.rule == rule {
                out.push(Found {
                    via: None,
                    path: diag.path.clone(),
                    line: diag.line,
                    column: diag.column,
                    toolhive: diag.toolhive.clone(),
                    severity: Some(diag.severity.as_str().to_owned()),
                    layer: diag.layer.as_str().to_owned(),
                    doc,
                });
            }
            for rel in diag.also.iter().filter(|r| r.rule == rule) {
                out.push(Found {
                    via: Some(diag.rule.clone()),
                    path: diag.path.clone(),
                    line: diag.line,
                    column: diag.column,
                    toolhive: rel.toolhive.clone(),
                    severity: None,
                    layer: rel.layer.as_str().to_owned(),
                    doc,
                });
            }
        }
    }
    Ok(out)
}

/// Checks one case of `rule`; returns the mismatches (empty when the case holds).
pub fn check_case(rule: &str, case: &Case, profile: Profile) -> Vec<String> {
    let mut problems = Vec::new();
    let options = match options_of(case, profile) {
        Ok(o) => o,
        Err(e) => return vec![e],
    };
    let actual = match found(rule, &case.input, &options) {
        Ok(a) => a,
        Err(e) => return vec![e],
    };
    let layer = catalogue::rule(rule).map(|r| r.layer.as_str());
    match case.expect {
        Expect::Accept => {
            if !case.diagnostics.is_empty() {
                problems.push("an accept case lists diagnostics".into());
            }
            for a in &actual {
                problems.push(format!("fires although the case expects accept: {a}"));
            }
        }
        Expect::Reject => {
            if case.diagnostics.is_empty() {
                problems.push("a reject case lists no diagnostics".into());
            }
            let mut used = vec![false; actual.len()];
            for e in &case.diagnostics {
                let same_place = |i: usize| -> bool {
                    !used[i] && actual[i].path == e.path && actual[i].via == e.via
                };
                let pick = (0..actual.len())
                    .find(|&i| same_place(i) && actual[i].toolhive == e.toolhive)
                    .or_else(|| (0..actual.len()).find(|&i| same_place(i)));
                let Some(i) = pick else {
                    problems.push(format!(
                        "missing: {}path {} (toolhive {:?})",
                        e.via
                            .as_ref()
                            .map(|v| format!("(via {v}) "))
                            .unwrap_or_default(),
                        e.path,
                        e.toolhive
                    ));
                    continue;
                };
                used[i] = true;
                let a = &actual[i];
                let mut diff = String::new();
                match (e.line, e.column) {
                    (Some(l), Some(c)) => {
                        if a.line != Some(l) || a.column != Some(c) {
                            let _ = write!(diff, " position expected {l}:{c};");
                        }
                    }
                    _ => {
                        let _ = write!(diff, " line/column not given in the vector;");
                    }
                }
                if a.toolhive != e.toolhive {
                    let _ = write!(diff, " toolhive expected {:?};", e.toolhive);
                }
                if let (Some(s), Some(got)) = (&e.severity, &a.severity) {
                    if s != got {
                        let _ = write!(diff, " severity expected {s};");
                    }
                }
                if e.severity.is_some() && e.via.is_some() {
                    let _ = write!(diff, " severity cannot be checked through `also`;");
                }
                if Some(a.layer.as_str()) != layer {
                    let _ = write!(diff, " layer expected {layer:?} (catalogue);");
                }
                if !diff.is_empty() {
                    problems.push(format!("mismatch:{diff} actual: {a}"));
                }
            }
            for (i, a) in actual.iter().enumerate() {
                if !used[i] {
                    problems.push(format!("unexpected extra diagnostic: {a}"));
                }
            }
        }
    }
    problems
}

/// The outcome of checking every vector file of a profile.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Hard failures (one entry per failing case or file).
    pub failures: Vec<String>,
    /// Known core bugs that still fail as recorded (printed, not failures).
    pub known_bugs: Vec<String>,
    /// Number of cases checked.
    pub cases: usize,
}

/// Checks every vector file of `profile` (directory name) with `p`.
pub fn run_profile(dir: &str, p: Profile) -> Outcome {
    let mut out = Outcome::default();
    for path in vector_files(dir) {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        let vf = match load(&path) {
            Ok(v) => v,
            Err(e) => {
                out.failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        if vf.rule != stem {
            out.failures.push(format!(
                "{file}: names rule {} but the file is {stem}",
                vf.rule
            ));
        }
        if catalogue::rule(&vf.rule).is_none() {
            out.failures
                .push(format!("{file}: rule {} is not in the catalogue", vf.rule));
            continue;
        }
        let mut names = std::collections::HashSet::new();
        for case in &vf.cases {
            out.cases += 1;
            if !names.insert(case.name.as_str()) {
                out.failures
                    .push(format!("{file}: duplicate case name {:?}", case.name));
            }
            let problems = check_case(&vf.rule, case, p);
            let label = format!("{file} / {:?} ({:?})", case.name, case.expect);
            match (&case.known_bug, problems.is_empty()) {
                (None, true) => {}
                (None, false) => out
                    .failures
                    .push(format!("{label}:\n    - {}", problems.join("\n    - "))),
                (Some(bug), false) => out.known_bugs.push(format!(
                    "{label}: KNOWN BUG: {bug}\n    - {}",
                    problems.join("\n    - ")
                )),
                (Some(bug), true) => out.failures.push(format!(
                    "{label}: marked known_bug ({bug}) but now passes: remove `known_bug`"
                )),
            }
        }
    }
    out
}
