//! The annotation and the package metadata: the `io.kubewarden.metadata` section of
//! annotated-policy.wasm is metadata.yml plus `protocolVersion: v1`; artifacthub-pkg.yml
//! agrees with metadata.yml; the questions-ui form offers exactly the policy's settings, and
//! its defaults are valid settings.

mod common;

use std::collections::BTreeSet;

use common::*;
use mcpauth_guard_policy_host::runtime::read_metadata;
use mcpauth_guard_policy_host::ClusterState;
use serde_json::{json, Value};

/// Every setting the policy accepts (the form and the docs must offer exactly these).
const SETTINGS: [&str; 11] = mcpauth_guard_policy_logic::settings::KNOWN;

fn yaml(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml_str(text: &Value) -> Value {
    serde_yaml::from_str(text.as_str().expect("a YAML string")).expect("embedded YAML")
}

#[test]
fn the_section_is_metadata_yml_with_protocol_version() {
    let mut expected = yaml(&policy_dir().join("metadata.yml"));
    assert!(
        expected.get("protocolVersion").is_none(),
        "metadata.yml must not set protocolVersion"
    );
    expected["protocolVersion"] = json!("v1");
    let section = read_metadata(&policy_wasm())
        .unwrap()
        .expect("the section is present");
    assert_eq!(section, expected);
    assert_eq!(section["executionMode"], "kubewarden-wapc");
    assert_eq!(section["mutating"], false);
    assert_eq!(section["backgroundAudit"], true);
    let raw = std::fs::read(policy_dir().join("policy.wasm")).unwrap();
    assert_eq!(
        read_metadata(&raw).unwrap(),
        None,
        "policy.wasm itself is not annotated"
    );
}

#[test]
fn metadata_has_every_annotation() {
    let meta = yaml(&policy_dir().join("metadata.yml"));
    for key in [
        "io.kubewarden.policy.title",
        "io.kubewarden.policy.version",
        "io.kubewarden.policy.description",
        "io.kubewarden.policy.author",
        "io.kubewarden.policy.url",
        "io.kubewarden.policy.source",
        "io.kubewarden.policy.license",
        "io.kubewarden.policy.ociUrl",
        "io.kubewarden.policy.severity",
        "io.kubewarden.policy.category",
        "io.artifacthub.displayName",
        "io.artifacthub.resources",
        "io.artifacthub.keywords",
    ] {
        let v = meta["annotations"][key].as_str().unwrap_or("");
        assert!(!v.trim().is_empty(), "{key}");
    }
    let resources: Vec<&str> = meta["rules"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(
        resources,
        [
            "mcpexternalauthconfigs",
            "mcpservers",
            "mcpremoteproxies",
            "virtualmcpservers"
        ]
    );
    assert_eq!(meta["rules"][0]["operations"], json!(["CREATE", "UPDATE"]));
}

#[test]
fn artifacthub_pkg_agrees_with_metadata() {
    let meta = yaml(&policy_dir().join("metadata.yml"));
    let pkg = yaml(&repo_dir().join("artifacthub-pkg.yml"));
    let a = |k: &str| meta["annotations"][k].clone();
    let version = a("io.kubewarden.policy.version");
    assert_eq!(pkg["version"], version);
    assert_eq!(pkg["name"], a("io.kubewarden.policy.title"));
    assert_eq!(pkg["displayName"], a("io.artifacthub.displayName"));
    assert_eq!(pkg["description"], a("io.kubewarden.policy.description"));
    assert_eq!(pkg["license"], a("io.kubewarden.policy.license"));
    assert_eq!(pkg["homeURL"], a("io.kubewarden.policy.url"));
    let image = format!(
        "{}:v{}",
        a("io.kubewarden.policy.ociUrl").as_str().unwrap(),
        version.as_str().unwrap()
    );
    assert_eq!(pkg["containersImages"][0]["image"], json!(image));
    assert!(pkg["install"]
        .as_str()
        .unwrap()
        .contains(&format!("kwctl pull {image}")));
    let keywords: Vec<Value> = a("io.artifacthub.keywords")
        .as_str()
        .unwrap()
        .split(',')
        .map(|k| json!(k.trim()))
        .collect();
    assert_eq!(pkg["keywords"], Value::Array(keywords));
    let links = pkg["links"].as_array().unwrap();
    assert!(links
        .iter()
        .any(|l| l["name"] == "source" && l["url"] == a("io.kubewarden.policy.source")));
    let ann = &pkg["annotations"];
    assert_eq!(
        ann["kubewarden/mutation"],
        json!(meta["mutating"].as_bool().unwrap().to_string())
    );
    assert_eq!(ann["kubewarden/resources"], a("io.artifacthub.resources"));
    assert_eq!(yaml_str(&ann["kubewarden/rules"]), meta["rules"]);
    assert_eq!(
        yaml_str(&ann["kubewarden/contextAwareResources"]),
        meta["contextAwareResources"]
    );
    assert_eq!(pkg["provider"]["name"], json!("mcpauth-guard"));
}

#[test]
fn questions_ui_offers_exactly_the_settings_and_its_defaults_are_valid() {
    let pkg = yaml(&repo_dir().join("artifacthub-pkg.yml"));
    let form = yaml_str(&pkg["annotations"]["kubewarden/questions-ui"]);
    let questions = form["questions"].as_array().unwrap();
    let vars: BTreeSet<&str> = questions
        .iter()
        .map(|q| q["variable"].as_str().unwrap())
        .collect();
    assert_eq!(vars, SETTINGS.into_iter().collect());
    let defaults: serde_json::Map<String, Value> = questions
        .iter()
        .map(|q| {
            (
                q["variable"].as_str().unwrap().to_owned(),
                q["default"].clone(),
            )
        })
        .collect();
    let profile = questions
        .iter()
        .find(|q| q["variable"] == "profile")
        .unwrap();
    let offered: Vec<&str> = profile["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    let available: Vec<&str> = mcpauth_guard::Profile::available()
        .iter()
        .map(|p| p.id())
        .collect();
    assert_eq!(
        offered, available,
        "the form offers exactly the selectable profiles"
    );
    let h = host(ClusterState::new());
    for id in &available {
        let answer = h.validate_settings(&json!({ "profile": id })).unwrap();
        assert!(answer.valid, "{id}: {:?}", answer.message);
    }
    let answer = h.validate_settings(&Value::Object(defaults)).unwrap();
    assert!(answer.valid, "{:?}", answer.message);
    let doc = std::fs::read_to_string(repo_dir().join("docs/POLICY.md")).expect("docs/POLICY.md");
    for s in SETTINGS {
        assert!(
            doc.contains(&format!("`{s}`")),
            "docs/POLICY.md documents {s}"
        );
    }
    for i in 1..=8 {
        assert!(
            doc.contains(&format!("POL-0{i}")),
            "docs/POLICY.md documents POL-0{i}"
        );
    }
}
