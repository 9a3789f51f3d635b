//! Shared helpers for the host tests: paths, fixtures, and an evaluation that asserts the
//! request neither trapped nor ran past its deadline.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::Duration;

use mcpauth_guard_policy_host::{ClusterState, Evaluation, PolicyHost, ValidationResponse};
use serde_json::Value;

/// The deadline policy-server enforces (2 ticks of 1 s).
pub const DEADLINE: Duration = Duration::from_secs(2);

/// `policy/`.
pub fn policy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("policy/")
        .to_path_buf()
}

/// The repository root.
pub fn repo_dir() -> PathBuf {
    policy_dir().parent().expect("repo").to_path_buf()
}

/// `policy/tests/fixtures/<rel>`.
pub fn fixture_path(rel: &str) -> PathBuf {
    policy_dir().join("tests/fixtures").join(rel)
}

/// A JSON fixture.
pub fn fixture(rel: &str) -> Value {
    let path = fixture_path(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The annotated policy built by scripts/build-policy.sh.
pub fn policy_wasm() -> Vec<u8> {
    let path = policy_dir().join("annotated-policy.wasm");
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run scripts/build-policy.sh first)",
            path.display()
        )
    })
}

/// The fixture cluster state (`policy/tests/fixtures/cluster.json`).
pub fn fixture_cluster() -> ClusterState {
    let Value::Array(objects) = fixture("cluster.json") else {
        panic!("cluster.json must be a list")
    };
    ClusterState::with(objects)
}

/// A host running the annotated policy against `cluster`.
pub fn host(cluster: ClusterState) -> PolicyHost {
    PolicyHost::load(&policy_wasm(), cluster).expect("the policy loads")
}

/// Evaluates an AdmissionReview; panics if the policy trapped, errored or ran past the
/// deadline.
pub fn evaluate(host: &PolicyHost, review: &Value, settings: &Value) -> Evaluation {
    let eval = host
        .validate(&review["request"], settings)
        .unwrap_or_else(|e| panic!("the request trapped or failed: {e}"));
    assert!(
        eval.elapsed < DEADLINE,
        "the request took {:?}",
        eval.elapsed
    );
    assert!(
        eval.response.mutated_object.is_none(),
        "a validating policy never mutates"
    );
    eval
}

/// Rule ids named in a rejection message: the `[RULE]` that opens each listed problem
/// (after the leading count, or after `; `).
pub fn message_rules(response: &ValidationResponse) -> Vec<String> {
    let msg = response.message.as_deref().unwrap_or("");
    msg.match_indices('[')
        .filter(|(i, _)| msg[..*i].ends_with(": ") || msg[..*i].ends_with("; "))
        .filter_map(|(i, _)| msg[i + 1..].split_once(']').map(|(id, _)| id))
        .filter(|id| {
            id.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
                && id.bytes().any(|b| b.is_ascii_uppercase())
        })
        .map(str::to_owned)
        .collect()
}

/// The report attached to a rejection as an audit annotation.
pub fn audit_report(response: &ValidationResponse) -> Value {
    let raw = response
        .audit_annotations
        .as_ref()
        .and_then(|a| a.get("mcpauth-guard-report"))
        .expect("a rejection carries the report");
    serde_json::from_str(raw).expect("the report is JSON")
}
