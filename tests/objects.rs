//! The entry points for objects that are not text agree: `check_values` (a parsed JSON value,
//! the npm module's `checkObject`) and `check_nodes` (a tree read straight from JSON with
//! `Node::read_json`, the Kubewarden policy) give the same report for every example, profile
//! and document, and refuse the same objects with the same message.

use mcpauth_guard::parse::{parse_text, MAX_DEPTH};
use mcpauth_guard::tree::Node;
use mcpauth_guard::{check_nodes, check_values, Options, Profile};
use serde_json::Value;

/// Every document of every example, as the JSON text an API server would send.
fn example_objects() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["examples", "examples/v0.13"] {
        for entry in std::fs::read_dir(dir).expect("examples") {
            let path = entry.expect("entry").path();
            if !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("UTF-8");
            for (i, doc) in parse_text(&text)
                .expect("examples parse")
                .iter()
                .enumerate()
            {
                out.push((
                    format!("{}#{i}", path.display()),
                    doc.root.to_json().to_string(),
                ));
            }
        }
    }
    assert!(out.len() > 20, "{} documents", out.len());
    out
}

fn read(json: &str) -> Node {
    let mut de = serde_json::Deserializer::from_str(json);
    let (node, too_deep) = Node::read_json(&mut de, MAX_DEPTH).expect("JSON");
    assert!(too_deep.is_none());
    node
}

#[test]
fn values_and_trees_read_from_json_give_the_same_report() {
    for (name, json) in example_objects() {
        let value: Value = serde_json::from_str(&json).expect("JSON");
        for profile in Profile::available() {
            let options = Options {
                profile: *profile,
                ..Options::default()
            };
            let via_value = check_values(std::slice::from_ref(&value), &options).expect("checks");
            let via_tree = check_nodes(&mut [read(&json)], &options).expect("checks");
            assert_eq!(
                serde_json::to_value(&via_value).unwrap(),
                serde_json::to_value(&via_tree).unwrap(),
                "{name} ({profile})"
            );
        }
    }
}

#[test]
fn the_same_objects_are_refused_the_same_way() {
    let options = Options::default();
    let deep = serde_json::from_str::<Value>(&format!(
        "{{\"a\": {}1{}}}",
        "[".repeat(MAX_DEPTH),
        "]".repeat(MAX_DEPTH)
    ))
    .unwrap();
    let err = check_values(&[serde_json::json!({}), deep], &options).unwrap_err();
    assert_eq!(err, mcpauth_guard::too_deep(1));
    for (json, what) in [
        ("[1]", "an array"),
        ("\"x\"", "a string"),
        ("3", "an integer"),
    ] {
        let value: Value = serde_json::from_str(json).unwrap();
        let a = check_values(&[value], &options).unwrap_err();
        // Refused before anything is read: the caller's trees are left as they were.
        let mut trees = [read("{}"), read(json)];
        let b = check_nodes(&mut trees, &options).unwrap_err();
        assert_eq!(
            b.error.message.replace("object 1", "object 0"),
            a.error.message
        );
        assert_eq!(trees, [read("{}"), read(json)], "{json}");
        assert!(a.to_string().contains("object 0 is"), "{what}: {a}");
    }
}

/// `check_nodes` gives the trees back with at most the defaults admission applies added (the
/// policy reads them again for their secrets).
#[test]
fn checked_trees_are_given_back_with_their_defaults() {
    let json = r#"{"apiVersion": "toolhive.stacklok.dev/v1beta1", "kind": "MCPExternalAuthConfig",
        "metadata": {"name": "c", "namespace": "n"},
        "spec": {"type": "embeddedAuthServer", "embeddedAuthServer": {
            "issuer": "https://auth.example.com",
            "upstreamProviders": [{"name": "okta", "type": "oidc", "oidcConfig": {
                "issuerUrl": "https://example.okta.com", "clientId": "c",
                "clientSecretRef": {"name": "s", "key": "k"}}}]}}}"#;
    let sent = read(json);
    let mut trees = [sent.clone()];
    check_nodes(&mut trees, &Options::default()).expect("checks");
    let stored = serde_json::to_value(trees[0].to_json()).unwrap();
    let sent = serde_json::to_value(sent.to_json()).unwrap();
    assert_ne!(stored, sent, "defaults are applied");
    assert_eq!(stored["metadata"], sent["metadata"]);
    assert_eq!(
        stored["spec"]["embeddedAuthServer"]["upstreamProviders"][0]["oidcConfig"]
            ["clientSecretRef"],
        sent["spec"]["embeddedAuthServer"]["upstreamProviders"][0]["oidcConfig"]["clientSecretRef"]
    );
}

/// A text and the same object handed over parsed are refused at the same depth: the document's
/// root is level 1, a scalar counts as a level, and an alias counts with its anchor's whole
/// depth (an alias may copy a deep anchor under a deep key; kubectl sends the copy).
#[test]
fn text_and_objects_share_one_depth_limit() {
    let options = Options::default();
    let text_ok = |text: &str| mcpauth_guard::check_text("t.yaml", text, &options).is_ok();
    for depth in MAX_DEPTH - 1..=MAX_DEPTH + 1 {
        let json = format!("{}1{}", "{\"a\": ".repeat(depth - 1), "}".repeat(depth - 1));
        let value: Value = serde_json::from_str(&json).unwrap();
        let object_ok = check_values(&[value], &options).is_ok();
        assert_eq!(object_ok, depth <= MAX_DEPTH, "object at depth {depth}");
        assert_eq!(text_ok(&json), object_ok, "JSON text at depth {depth}");
        let block: String = (0..depth - 1)
            .map(|i| {
                format!(
                    "{}a:{}",
                    "  ".repeat(i),
                    if i == depth - 2 { " 1\n" } else { "\n" }
                )
            })
            .collect();
        assert_eq!(text_ok(&block), object_ok, "block YAML at depth {depth}");
    }
    // An anchor 30 levels deep (29 mappings and a scalar) copied as the value of the 34th of
    // 34 nested keys: the copy fills levels 35–64, within the limit; one key more, past it.
    let nest = |key: &str, levels: usize, leaf: &str| -> String {
        (0..levels)
            .map(|i| format!("{}{key}{i}:", " ".repeat(i)))
            .collect::<Vec<_>>()
            .join("\n")
            + &format!(" {leaf}\n")
    };
    // A merge lifts the anchor's members into the mapping that merges them: `<<: *deep` or
    // `<<: [*deep]` as the 35th key's value puts the copy's scalar on level 64 too.
    for (keys, fits, value) in [
        (34, true, "*deep"),
        (35, false, "*deep"),
        (34, true, "\n{pad}<<: *deep"),
        (35, false, "\n{pad}<<: *deep"),
        (34, true, "\n{pad}<<: [*deep]"),
        (35, false, "\n{pad}<<: [*deep]"),
    ] {
        let value = value.replace("{pad}", &" ".repeat(keys));
        let text = format!(
            "anchor: &deep\n{}{}",
            nest("  a", 29, "1")
                .lines()
                .map(|l| format!("  {l}\n"))
                .collect::<String>(),
            nest("k", keys, &value)
        );
        let expanded = parse_text(&text).map(|docs| docs[0].root.extent().depth);
        match expanded {
            Ok(depth) => {
                assert!(fits, "{keys} keys, {value}: read, {depth} levels deep");
                assert_eq!(depth, MAX_DEPTH, "{keys} keys, {value}");
            }
            Err(e) => {
                assert!(!fits, "{keys} keys, {value}: {e}");
                assert!(e.message.contains("nested deeper than 64 levels"), "{e}");
            }
        }
    }
}
