//! The command line: golden output for every example (JSON and text), exit codes, and bad
//! input that must give exit code 2 with one clear line — never a panic.
//!
//! Regenerate the golden files after an intended change with `UPDATE_GOLDEN=1 cargo test --test cli`
//! and review the diff.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mcpauth-guard"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut cmd = bin();
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("runs");
    if let Some(input) = stdin {
        use std::io::Write;
        // The tool may stop reading early (input over the size limit): a broken pipe is fine.
        let _ = child.stdin.take().expect("stdin").write_all(input);
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("finishes")
}

/// The examples: `examples/*` for the default profile, `examples/<profile>/*` for another
/// profile. Returns (path relative to the repository, profile id).
fn examples() -> Vec<(String, &'static str)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let list = |dir: &str, profile: &'static str| -> Vec<(String, &'static str)> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("examples/")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|f| {
                (
                    format!("{dir}/{}", f.file_name().expect("name").to_string_lossy()),
                    profile,
                )
            })
            .collect()
    };
    let mut all = list("examples", "2026-08");
    all.extend(list("examples/v0.13", "v0.13"));
    all
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing golden {name}; run with UPDATE_GOLDEN=1"));
    assert_eq!(
        actual, expected,
        "output of {name} changed; review and run with UPDATE_GOLDEN=1"
    );
}

#[test]
fn every_example_matches_its_golden_output() {
    let all = examples();
    assert!(
        all.iter().filter(|(_, p)| *p == "2026-08").count() >= 8,
        "at least 8 examples for the default profile"
    );
    assert!(
        all.iter().filter(|(_, p)| *p == "v0.13").count() >= 8,
        "at least 8 examples for profile v0.13"
    );
    for (rel, profile) in all {
        let stem = rel
            .trim_start_matches("examples/")
            .rsplit_once('.')
            .expect("extension")
            .0
            .to_owned();
        let json = run(
            &["check", &rel, "--format", "json", "--profile", profile],
            None,
        );
        let text = run(
            &["check", &rel, "--color", "never", "--profile", profile],
            None,
        );
        let want = if stem.ends_with("-broken") {
            Some(1)
        } else {
            Some(0)
        };
        assert_eq!(
            json.status.code(),
            want,
            "{rel}: exit code of --format json"
        );
        assert_eq!(text.status.code(), want, "{rel}: exit code of text output");
        golden(
            &format!("{stem}.json"),
            &String::from_utf8(json.stdout).expect("utf-8"),
        );
        golden(
            &format!("{stem}.txt"),
            &String::from_utf8(text.stdout).expect("utf-8"),
        );
    }
}

#[test]
fn text_output_is_rustc_style() {
    let out = run(
        &[
            "check",
            "examples/multi-upstream-broken.yaml",
            "--color",
            "never",
        ],
        None,
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let expected = "error[RT-08]: \"default\" is reserved when more than one upstream is configured\n  --> examples/multi-upstream-broken.yaml:26:15\n";
    assert!(text.contains(expected), "{text}");
    assert!(
        text.contains("26 |       - name: default\n   |               ^^^^^^^\n"),
        "{text}"
    );
    assert!(text.contains("= toolhive: upstream[1]: name \"default\" is reserved for single-upstream configs; use a descriptive name"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
    let coloured = run(
        &[
            "check",
            "examples/multi-upstream-broken.yaml",
            "--color",
            "always",
        ],
        None,
    );
    assert!(String::from_utf8_lossy(&coloured.stdout).contains('\u{1b}'));
}

#[test]
fn strict_turns_warnings_into_failures() {
    let args = ["check", "examples/runconfig.json", "--strict"];
    assert_eq!(run(&args, None).status.code(), Some(0));
    let warn = b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
    assert_eq!(run(&["check", "-"], Some(warn)).status.code(), Some(0));
    assert_eq!(
        run(&["check", "-", "--strict"], Some(warn)).status.code(),
        Some(1)
    );
}

#[test]
fn consumer_flag_applies_guards() {
    let f = "examples/multi-upstream.yaml";
    assert_eq!(
        run(&["check", f, "--consumer", "virtualmcpserver"], None)
            .status
            .code(),
        Some(0)
    );
    let out = run(
        &[
            "check",
            f,
            "--consumer",
            "mcpserver",
            "--format",
            "json",
            "--namespace",
            "team-a",
            "--workload",
            "tools",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let diags = report["documents"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    let g01 = diags.iter().find(|d| d["rule"] == "G-01").expect("G-01");
    assert_eq!(g01["path"], "spec.embeddedAuthServer.upstreamProviders");
    assert_eq!(
        g01["toolhive"],
        "MCPServer team-a/tools: embedded auth server has 2 upstream providers, but only 1 is supported; use VirtualMCPServer"
    );
    let rc = run(
        &[
            "check",
            "examples/runconfig-broken.json",
            "--consumer",
            "mcpremoteproxy",
            "--format",
            "json",
        ],
        None,
    );
    let report: serde_json::Value = serde_json::from_slice(&rc.stdout).expect("json");
    assert!(report["documents"][0]["diagnostics"]
        .as_array()
        .expect("array")
        .iter()
        .any(|d| d["rule"] == "G-04"));
}

#[test]
fn files_are_checked_together() {
    // The MCPServer in one file sees the config in another.
    let dir = std::env::temp_dir().join(format!("mcpauth-guard-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/multi-upstream-broken.yaml"),
    )
    .expect("read");
    let (config, server) = text.split_once("\n---\n").expect("two documents");
    let (a, b) = (dir.join("config.yaml"), dir.join("server.yaml"));
    std::fs::write(&a, config).expect("write");
    std::fs::write(&b, server).expect("write");
    let out = run(
        &[
            "check",
            a.to_str().expect("utf-8"),
            b.to_str().expect("utf-8"),
            "--format",
            "json",
        ],
        None,
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    // The MCPServer names the config in spec.authServerRef (profile 2026-08): G-03.
    let g03 = &report["documents"][1]["diagnostics"][0];
    assert_eq!(g03["rule"], "G-03");
    assert_eq!(g03["path"], "spec.authServerRef.name");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn env_name_and_explain() {
    let out = run(&["env-name", "okta-prod", "github"], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "TOOLHIVE_UPSTREAM_CLIENT_SECRET_OKTA_PROD\nTOOLHIVE_UPSTREAM_CLIENT_SECRET_GITHUB\n"
    );
    let bad = run(&["env-name", "Okta_Prod"], None);
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("upper-case") && err.contains("okta-prod"),
        "{err}"
    );
    let ex = run(&["explain", "rt-08"], None);
    let text = String::from_utf8_lossy(&ex.stdout);
    assert!(text.starts_with("RT-08 — "), "{text}");
    assert!(text.contains("layer:     startup"), "{text}");
    assert_eq!(run(&["explain", "XX-99"], None).status.code(), Some(2));
}

/// Every hostile input: exit 2, a single line on stderr naming the problem, no panic.
#[test]
fn bad_input_gives_exit_2_and_one_clear_line() {
    let deep = format!("a: {}{}", "[".repeat(10_000), "]".repeat(10_000));
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..9 {
        let p = i - 1;
        bomb.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let huge = format!("a: \"{}\"\n", "x".repeat(20 * 1024 * 1024));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "empty"),
        ("only comments", b"# nothing\n".to_vec(), "empty"),
        ("non-UTF-8", vec![b'a', b':', b' ', 0xff, 0xfe], "UTF-8"),
        (
            "malformed YAML",
            b"a: [1, 2\nb: 3\n".to_vec(),
            "malformed YAML/JSON",
        ),
        (
            "malformed JSON",
            b"{\"a\": 1,, }".to_vec(),
            "malformed YAML/JSON",
        ),
        (
            "scalar at the top",
            b"hello\n".to_vec(),
            "must be a mapping",
        ),
        (
            "list at the top",
            b"- a\n- b\n".to_vec(),
            "must be a mapping",
        ),
        ("deep nesting", deep.into_bytes(), "nested deeper"),
        ("20 MB", huge.into_bytes(), "limit"),
        ("alias bomb", bomb.into_bytes(), "alias bomb"),
        (
            "duplicate keys",
            b"kind: A\nkind: B\n".to_vec(),
            "duplicate key",
        ),
        ("NUL byte", b"a: \"\0\"\n".to_vec(), "NUL"),
    ];
    for (what, input, needle) in cases {
        let out = run(&["check", "-"], Some(&input));
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {err}");
        assert_eq!(err.lines().count(), 1, "{what}: one line, got {err:?}");
        assert!(err.contains(needle), "{what}: {err}");
        assert!(!err.contains("panicked"), "{what}: {err}");
    }
    let missing = run(&["check", "no/such/file.yaml"], None);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        run(&["check", "--profile", "v9"], None).status.code(),
        Some(2)
    );
    assert_eq!(
        run(&["check", "--format", "xml"], None).status.code(),
        Some(2)
    );
}

/// Wrong types at every level are diagnostics (the API server's type errors), not crashes.
#[test]
fn wrong_types_are_reported_not_fatal() {
    let cases = [
        ("spec: []", "spec"),
        ("spec: {type: embeddedAuthServer, embeddedAuthServer: \"x\"}", "spec.embeddedAuthServer"),
        ("spec: {type: embeddedAuthServer, embeddedAuthServer: {issuer: 5, upstreamProviders: github}}", "spec.embeddedAuthServer.upstreamProviders"),
        ("spec: {type: embeddedAuthServer, embeddedAuthServer: {issuer: https://a.b, upstreamProviders: [{name: [x], type: {}}]}}", "spec.embeddedAuthServer.upstreamProviders[0].name"),
        ("spec: {type: 7}", "spec.type"),
    ];
    for (spec, path) in cases {
        let input = format!("apiVersion: toolhive.stacklok.dev/v1alpha1\nkind: MCPExternalAuthConfig\nmetadata: {{name: x}}\n{spec}\n");
        let out = run(&["check", "-", "--format", "json"], Some(input.as_bytes()));
        assert_eq!(
            out.status.code(),
            Some(1),
            "{spec}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        let diags = report["documents"][0]["diagnostics"]
            .as_array()
            .expect("array");
        assert!(
            diags.iter().any(|d| d["path"] == path
                && d["toolhive"]
                    .as_str()
                    .is_some_and(|t| t.contains("must be of type"))),
            "{spec}: expected a type error at {path}: {diags:#?}"
        );
    }
}

#[test]
fn output_to_a_closed_or_full_stream_is_not_a_panic() {
    // A reader that goes away (`… | head -1`): the output stops quietly, with the verdict's
    // exit code, never Rust's panic code 101.
    let mut child = bin()
        .args([
            "check",
            "examples/multi-upstream-broken.yaml",
            "--color",
            "never",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("finishes");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A full disk is an error the user must see: exit 2 and one line.
    if let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") {
        let out = bin()
            .args(["check", "examples/oidc-single.yaml"])
            .stdout(full)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("mcpauth-guard: error: cannot write the output"),
            "{err}"
        );
    }
}

#[test]
fn files_without_a_length_are_read_through_the_size_limit() {
    if Path::new("/dev/zero").exists() {
        let out = run(&["check", "/dev/zero"], None);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("the limit is 4194304 bytes"));
    }
}

#[test]
fn long_lines_and_control_characters_stay_readable() {
    // Minified JSON: 3,000 unknown fields on one line. Every diagnostic shows a window of the
    // line, so the output grows with the diagnostics, not with diagnostics × line length.
    let fields: Vec<String> = (0..3000).map(|i| format!("\"unknown{i}\": {i}")).collect();
    let doc = format!(
        "{{\"apiVersion\": \"toolhive.stacklok.dev/v1beta1\", \"kind\": \"MCPExternalAuthConfig\", \"metadata\": {{\"name\": \"x\"}}, \"spec\": {{\"type\": \"unauthenticated\", {}}}}}",
        fields.join(", ")
    );
    let out = run(&["check", "-", "--color", "never"], Some(doc.as_bytes()));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches("warning[ADV-01]").count(), 3000);
    assert!(text.len() < 3000 * 1500, "{} bytes", text.len());
    assert!(text.contains('…'));
    // Escape sequences in the input never reach the terminal, with or without colour.
    let evil = "apiVersion: v1\nkind: \"Evil\\e[31mRED\"\nmetadata: {name: \"x\\e[2Jy\"}\n";
    let out = run(&["check", "-", "--color", "never"], Some(evil.as_bytes()));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("Evil\\u{1b}[31mRED"), "{text}");
}
