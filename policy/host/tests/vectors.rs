//! One test drives both surfaces: every ToolHive object in examples/*.yaml (and in the shared
//! vectors under tests/vectors/<profile>/*.yaml, when present) is checked by the native core
//! (`mcpauth_guard::check_text`) and by the policy in the host; the verdict and the sorted set
//! of rejecting rule ids must agree.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;
use mcpauth_guard::{check_text, Layer, Options, Profile, Severity};
use mcpauth_guard_policy_host::{review, ClusterState, PolicyHost};
use serde::Deserialize;
use serde_json::{json, Value};

const KINDS: [&str; 4] = [
    "MCPExternalAuthConfig",
    "MCPServer",
    "MCPRemoteProxy",
    "VirtualMCPServer",
];
const REJECT: [&str; 4] = ["reconcile", "build", "startup", "consumer"];

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    files
}

fn documents(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap();
    mcpauth_guard::parse::parse_text(&text)
        .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
        .into_iter()
        .map(|d| d.root.to_json())
        .collect()
}

fn str_at<'a>(v: &'a Value, p: &str) -> &'a str {
    v.pointer(p).and_then(Value::as_str).unwrap_or("")
}

/// The native verdict for `doc`: a consumer is checked together with every
/// MCPExternalAuthConfig of its file in its namespace (the core resolves which ones it
/// references: `authServerRef`, `externalAuthConfigRef`, a VirtualMCPServer's outgoing auth), as
/// `mcpauth-guard check` would; a config alone, as the policy sees it.
fn native(
    name: &str,
    doc: &Value,
    file_docs: &[Value],
    profile: Profile,
) -> (bool, BTreeSet<String>) {
    let mut text = serde_json::to_string(doc).unwrap();
    let ns = |d: &Value| str_at(d, "/metadata/namespace").to_owned();
    if str_at(doc, "/kind") != "MCPExternalAuthConfig" {
        for cfg in file_docs
            .iter()
            .filter(|d| str_at(d, "/kind") == "MCPExternalAuthConfig" && ns(d) == ns(doc))
        {
            text.push_str("\n---\n");
            text.push_str(&serde_json::to_string(cfg).unwrap());
        }
    }
    let options = Options {
        profile,
        ..Options::default()
    };
    let report = check_text(name, &text, &options).expect("native check");
    let rules: BTreeSet<String> = report.documents[0]
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && REJECT.contains(&d.layer.as_str()))
        .map(|d| d.rule.clone())
        .collect();
    debug_assert!(Layer::parse("consumer").is_some());
    (rules.is_empty(), rules)
}

/// The policy's verdict for `doc`, with the file's configs as the cluster state.
fn policy(
    h: &mut PolicyHost,
    doc: &Value,
    file_docs: &[Value],
    profile: Profile,
) -> (bool, BTreeSet<String>) {
    h.set_cluster(ClusterState::with(
        file_docs
            .iter()
            .filter(|d| str_at(d, "/kind") == "MCPExternalAuthConfig")
            .cloned(),
    ));
    let r = evaluate(
        h,
        &review::admission_review("CREATE", doc),
        &json!({"profile": profile.id()}),
    )
    .response;
    if r.accepted {
        return (true, BTreeSet::new());
    }
    let report = audit_report(&r);
    let rules = report["documents"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error" && REJECT.contains(&d["layer"].as_str().unwrap_or("")))
        .map(|d| d["rule"].as_str().unwrap().to_owned())
        .collect();
    (false, rules)
}

/// Compares every ToolHive object of each input; returns how many were compared.
fn compare(inputs: &[(String, Vec<Value>)], profile: Profile) -> usize {
    let mut h = host(ClusterState::new());
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for (source, docs) in inputs {
        for (i, doc) in docs.iter().enumerate() {
            if !KINDS.contains(&str_at(doc, "/kind")) {
                continue;
            }
            let name = format!("{source}#{i}");
            let n = native(&name, doc, docs, profile);
            let p = policy(&mut h, doc, docs, profile);
            if n != p {
                mismatches.push(format!("{name}: native {n:?}, policy {p:?}"));
            }
            compared += 1;
        }
    }
    assert!(
        mismatches.is_empty(),
        "native and policy disagree:\n{}",
        mismatches.join("\n")
    );
    compared
}

/// The shared vector file format (tests/vectors/<profile>/<RULE>.yaml), as far as used here.
#[derive(Deserialize)]
struct VectorFile {
    cases: Vec<VectorCase>,
}

#[derive(Deserialize)]
struct VectorCase {
    name: String,
    input: String,
    #[serde(default)]
    options: Option<Value>,
}

#[test]
fn examples_agree_natively_and_in_the_policy() {
    // examples/ is written for the default profile, examples/v0.13/ for profile v0.13.
    for (dir, profile) in [
        ("examples", Profile::default()),
        ("examples/v0.13", Profile::V0_13),
    ] {
        let files = yaml_files(&repo_dir().join(dir));
        assert!(!files.is_empty(), "{dir}/*.yaml");
        let inputs: Vec<(String, Vec<Value>)> = files
            .iter()
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    documents(p),
                )
            })
            .collect();
        let n = compare(&inputs, profile);
        eprintln!("{n} example documents of {dir} agree (profile {profile})");
        assert!(n >= 8, "only {n} documents of {dir} compared");
    }
}

/// Every case of the shared vectors whose input is admission-shaped (no CLI-only options such
/// as `--consumer`, and readable as YAML).
#[test]
fn shared_vectors_agree_natively_and_in_the_policy() {
    let root = repo_dir().join("tests/vectors");
    let mut total = 0;
    for profile in Profile::available() {
        let mut inputs = Vec::new();
        for path in yaml_files(&root.join(profile.id())) {
            let text = std::fs::read_to_string(&path).unwrap();
            let file: VectorFile =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            for case in file.cases.into_iter().filter(|c| c.options.is_none()) {
                let Ok(docs) = mcpauth_guard::parse::parse_text(&case.input) else {
                    continue;
                };
                inputs.push((
                    format!("{stem} '{}'", case.name),
                    docs.into_iter().map(|d| d.root.to_json()).collect(),
                ));
            }
        }
        total += compare(&inputs, *profile);
    }
    eprintln!("{total} vector documents agree");
    if root.exists() {
        assert!(total > 0, "the shared vectors hold admission-shaped cases");
    }
}

/// Every ToolHive object of examples/*.yaml is also kept as an AdmissionReview fixture under
/// policy/tests/fixtures/examples/ (for kwctl and other tools); they must stay in sync.
/// `UPDATE_FIXTURES=1` rewrites them.
#[test]
fn example_fixtures_are_in_sync() {
    let dir = policy_dir().join("tests/fixtures/examples");
    let update = std::env::var("UPDATE_FIXTURES").is_ok_and(|v| v == "1");
    let mut expected = BTreeSet::new();
    let mut stale = Vec::new();
    for path in yaml_files(&repo_dir().join("examples")) {
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        for (i, doc) in documents(&path).iter().enumerate() {
            if !KINDS.contains(&str_at(doc, "/kind")) {
                continue;
            }
            let name = format!("{stem}-{i}.json");
            let text = serde_json::to_string_pretty(&review::admission_review("CREATE", doc))
                .unwrap()
                + "\n";
            let file = dir.join(&name);
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&file, &text).unwrap();
            } else if std::fs::read_to_string(&file).ok().as_deref() != Some(text.as_str()) {
                stale.push(name.clone());
            }
            expected.insert(name);
        }
    }
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let extra: Vec<&String> = present.difference(&expected).collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "policy/tests/fixtures/examples is out of date (stale {stale:?}, extra {extra:?}): \
         rerun with UPDATE_FIXTURES=1"
    );
}
