//! Documentation and embedded data that must agree with the code.

use std::path::Path;

use mcpauth_guard::parse::parse_text;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn rules_md_is_generated_from_the_catalogue() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_mcpauth-guard"))
        .args(["rules", "--markdown"])
        .output()
        .expect("runs");
    let generated = String::from_utf8(out.stdout).expect("utf-8");
    let committed = std::fs::read_to_string(root().join("docs/RULES.md")).unwrap_or_default();
    let start = committed.find("# Rules").unwrap_or(0);
    let end = committed
        .find("\n<!-- end of generated reference -->")
        .unwrap_or(committed.len());
    assert_eq!(
        committed[start..end].trim_end(),
        generated.trim_end(),
        "docs/RULES.md is stale: run `cargo run -- rules --markdown` and paste it between the markers"
    );
}

/// The schemas the core embeds are exactly the CRDs' schemas without descriptions and without
/// the two schema keywords the validator never reads (`format`, `x-kubernetes-validations`),
/// read back with the core's own YAML reader.
#[test]
fn embedded_schemas_match_the_crds() {
    for (profile, version) in [("v0.13", "v1alpha1"), ("2026-08", "v1beta1")] {
        let crd_text = std::fs::read_to_string(root().join(format!(
            "tests/data/crds/{profile}/mcpexternalauthconfigs.yaml"
        )))
        .expect("crd");
        let crd = parse_text(&crd_text)
            .expect("CRD parses")
            .remove(0)
            .root
            .to_json();
        let versions = crd["spec"]["versions"].as_array().expect("versions");
        let v = versions
            .iter()
            .find(|v| v["name"] == version)
            .expect("version");
        let mut schema = v["schema"]["openAPIV3Schema"].clone();
        strip_unread(&mut schema, true);
        let embedded: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(
                root().join(format!("schemas/{profile}/mcpexternalauthconfig.json")),
            )
            .expect("embedded"),
        )
        .expect("json");
        assert_eq!(
            schema, embedded,
            "{profile}: run scripts/extract-schemas.py"
        );
    }
}

/// What scripts/extract-schemas.py drops: `description` everywhere, `format` and
/// `x-kubernetes-validations` from schema nodes (`schema`) only, never from values.
fn strip_unread(v: &mut serde_json::Value, schema: bool) {
    match v {
        serde_json::Value::Object(map) => {
            map.remove("description");
            if schema {
                map.remove("format");
                map.remove("x-kubernetes-validations");
            }
            for (k, child) in map.iter_mut() {
                match (schema, k.as_str(), child) {
                    (true, "properties", serde_json::Value::Object(props)) => {
                        props.remove("description");
                        props.values_mut().for_each(|s| strip_unread(s, true));
                    }
                    (true, "items" | "additionalProperties", child) => strip_unread(child, true),
                    (_, _, child) => strip_unread(child, false),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| strip_unread(i, schema)),
        _ => {}
    }
}
