//! The hostile-input catalogue (tests/hostile/cases.json) through the CLI: every input gives
//! its expected clear outcome — exit 2 with one line naming the problem, or the expected
//! diagnostic — never a panic, and a secret value is never echoed in any output format — and
//! within a bound far above what any case needs (the bounded-time promise: an input that made
//! the reader quadratic took minutes).

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

#[path = "hostile/materialize.rs"]
mod materialize;
use materialize::materialize;

fn run(args: &[&str], input: &[u8]) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mcpauth-guard"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    // Written from a thread: the tool may refuse (and stop reading) before the end.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().expect("finishes");
    let _ = writer.join();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_hostile_input_has_its_clear_outcome() {
    let catalogue: Value =
        serde_json::from_str(include_str!("hostile/cases.json")).expect("catalogue is JSON");
    let mut failures = Vec::new();
    for case in catalogue["cases"].as_array().expect("cases") {
        let name = case["name"].as_str().expect("name");
        let expect = &case["expect"];
        let input = materialize(&case["input"]);
        let started = Instant::now();
        let (code, json, err) = run(&["check", "-", "--format", "json"], &input);
        let (_, text, _) = run(&["check", "-", "--color", "never"], &input);
        let took = started.elapsed();
        let mut fail = |why: String| failures.push(format!("{name}: {why}"));
        // Not a benchmark: every case takes well under a second even in a debug build (the flat
        // mapping 0.2 s); with duplicate keys searched by scanning, it took 10 s.
        if took > Duration::from_secs(5) {
            fail(format!("took {took:?}"));
        }
        if err.contains("panicked") {
            fail(format!("panicked: {err}"));
        }
        if code != Some(expect["exit"].as_i64().expect("exit") as i32) {
            fail(format!("exit {code:?}, stderr {err:?}"));
            continue;
        }
        if let Some(needle) = expect["error"].as_str() {
            if err.lines().count() != 1 || !err.contains(needle) {
                fail(format!(
                    "expected one stderr line containing {needle:?}, got {err:?}"
                ));
            }
            continue;
        }
        let report: Value = serde_json::from_str(&json).expect("a report");
        let diags: Vec<&Value> = report["documents"]
            .as_array()
            .expect("documents")
            .iter()
            .flat_map(|d| d["diagnostics"].as_array().expect("array"))
            .collect();
        if let Some(rule) = expect["rule"].as_str() {
            let Some(d) = diags.iter().find(|d| d["rule"] == rule) else {
                fail(format!("no {rule} in {json}"));
                continue;
            };
            for (key, field) in [("line", "line"), ("column", "column")] {
                if let Some(v) = expect.get(key) {
                    if &d[field] != v {
                        fail(format!("{rule} {field} {} != {v}", d[field]));
                    }
                }
            }
            for (key, field) in [("toolhive_contains", "toolhive"), ("hint_contains", "hint")] {
                if let Some(needle) = expect[key].as_str() {
                    if !d[field].as_str().unwrap_or("").contains(needle) {
                        fail(format!("{rule} {field} {} lacks {needle:?}", d[field]));
                    }
                }
            }
        }
        for rule in expect["rules_absent"].as_array().into_iter().flatten() {
            if diags.iter().any(|d| &d["rule"] == rule) {
                fail(format!("unexpected {rule}"));
            }
        }
        if let Some(secret) = expect["never_echo"].as_str() {
            if json.contains(secret) || text.contains(secret) || err.contains(secret) {
                fail("the secret value appears in the output".into());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} hostile case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
