//! Real output validates against the published JSON Schema of the report (docs/report.schema.json).

use std::path::Path;

use mcpauth_guard::{check_text, ConsumerKind, Options, Profile};

/// The published schema, compiled.
fn report_schema() -> (boon::Schemas, boon::SchemaIndex) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("docs/report.schema.json")).expect("schema");
    let json: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler
        .add_resource("report.schema.json", json)
        .expect("add");
    let idx = compiler
        .compile("report.schema.json", &mut schemas)
        .expect("schema compiles");
    (schemas, idx)
}

#[test]
fn every_example_report_validates_against_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (schemas, idx) = report_schema();
    let mut checked = 0;
    let files = |dir: &str| -> Vec<std::path::PathBuf> {
        std::fs::read_dir(root.join(dir))
            .expect("examples")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file())
            .collect()
    };
    let inputs = files("examples")
        .into_iter()
        .map(|p| (p, Profile::P2026_08))
        .chain(
            files("examples/v0.13")
                .into_iter()
                .map(|p| (p, Profile::V0_13)),
        );
    for (path, profile) in inputs {
        let text = std::fs::read_to_string(&path).expect("read");
        for consumer in [None, Some(ConsumerKind::McpServer)] {
            let options = Options {
                profile,
                consumer,
                ..Options::default()
            };
            let report = check_text(&path.to_string_lossy(), &text, &options).expect("parses");
            let value = serde_json::to_value(&report).expect("serializes");
            if let Err(e) = schemas.validate(&value, idx) {
                panic!(
                    "{}: report does not match the schema:\n{e:#}",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 16);
}

#[test]
fn the_schema_rejects_a_broken_report() {
    let (schemas, idx) = report_schema();
    let bad = serde_json::json!({"tool": {"name": "mcpauth-guard", "version": "0.1.0"}, "profile": "v0.13",
        "documents": [{"source": "x", "index": 0, "line": 1, "kind": "MCPExternalAuthConfig", "valid": true,
        "diagnostics": [{"severity": "fatal", "layer": "startup", "rule": "RT-08", "path": "", "message": "m"}]}]});
    assert!(schemas.validate(&bad, idx).is_err());
}
