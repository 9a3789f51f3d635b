//! The hostile-input catalogue (tests/hostile/cases.json) through the CLI: every input gives
//! its expected clear outcome — exit 2 with one line naming the problem, or the expected
//! diagnostic — never a panic, and a secret value is never echoed in any output format.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

/// Builds the bytes of a case's `input` (a string or a generator).
fn materialize(input: &Value) -> Vec<u8> {
    if let Some(s) = input.as_str() {
        return s.as_bytes().to_vec();
    }
    let n = |k: &str| input[k].as_u64().unwrap_or(0) as usize;
    if let Some(hex) = input["hex"].as_str() {
        return (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
            .collect();
    }
    if let Some(unit) = input["repeat"].as_str() {
        let mut s = input["prefix"].as_str().unwrap_or("").to_owned();
        s.push_str(&unit.repeat(n("times")));
        match input["suffix_repeat"].as_str() {
            Some(close) => s.push_str(&close.repeat(n("times"))),
            None => s.push_str(input["suffix"].as_str().unwrap_or("")),
        }
        return s.into_bytes();
    }
    if input.get("alias_bomb").is_some() {
        let mut s = String::from("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..=n("alias_bomb") {
            let p = i - 1;
            let refs = vec![format!("*a{p}"); 10].join(", ");
            s.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        return s.into_bytes();
    }
    if input.get("block_nesting").is_some() {
        return (0..n("block_nesting"))
            .map(|i| format!("{}k:\n", " ".repeat(i)))
            .collect::<String>()
            .into_bytes();
    }
    if let Some(template) = input["template"].as_str() {
        let name = &input["name"];
        let value = name["repeat"]
            .as_str()
            .expect("repeat")
            .repeat(name["times"].as_u64().expect("times") as usize);
        return template.replace("NAME", &value).into_bytes();
    }
    panic!("unknown generator {input}");
}

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
        let (code, json, err) = run(&["check", "-", "--format", "json"], &input);
        let (_, text, _) = run(&["check", "-", "--color", "never"], &input);
        let mut fail = |why: String| failures.push(format!("{name}: {why}"));
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
