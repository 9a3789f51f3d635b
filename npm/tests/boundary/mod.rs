//! Boundary tests shared by the Node and the browser runs: strings cross between JavaScript
//! (UTF-16) and Rust (UTF-8), the core runs on wasm32, and the offsets the core reports are
//! usable on the JavaScript side of the same string.

use mcpauth_guard_wasm::{
    check_object, check_text, client_secret_env_var, layers, profiles, rules, version,
};
use serde_json::Value;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(inline_js = "
export function js_text() {
  return 'apiVersion: toolhive.stacklok.dev/v1alpha1\\n' +
    'kind: MCPExternalAuthConfig\\n' +
    '# caf\\u00e9 \\u{1F600} \\u4e2d\\u6587\\n' +
    'metadata: { name: okta, namespace: default }\\n' +
    'spec:\\n' +
    '  type: embeddedAuthServer\\n' +
    '  embeddedAuthServer:\\n' +
    '    issuer: https://auth.example.com # \\u{1F510}\\n' +
    '    upstreamProviders:\\n' +
    '      - name: Okta_Prod\\n' +
    '        type: oidc\\n' +
    '        oidcConfig: { issuerUrl: https://okta.example.com, clientId: abc }\\n';
}
export function js_slice(s, a, b) { return s.slice(a, b); }
export function js_length(s) { return s.length; }
")]
extern "C" {
    fn js_text() -> String;
    fn js_slice(s: &str, start: u32, end: u32) -> String;
    fn js_length(s: &str) -> u32;
}

fn json(s: &str) -> Value {
    serde_json::from_str(s).expect("the export returns JSON")
}

#[wasm_bindgen_test]
fn offsets_slice_the_javascript_string() {
    let text = js_text();
    assert!(text.contains('\u{1F600}'), "the JS string arrived as UTF-8");
    let report = json(&check_text(&text, "{}"));
    let diags = report["ok"]["documents"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics");
    let d = diags
        .iter()
        .find(|d| d["rule"] == "S-04")
        .expect("an S-04 diagnostic");
    let (start, end) = (
        d["offset"].as_u64().unwrap() as u32,
        d["endOffset"].as_u64().unwrap() as u32,
    );
    assert!(end <= js_length(&text));
    assert_eq!(js_slice(&text, start, end), "Okta_Prod");
    assert_eq!(d["line"], 10);
    assert_eq!(d["column"], 15);
}

#[wasm_bindgen_test]
fn parse_errors_are_envelopes_not_traps() {
    let r = json(&check_text("a: [1, 2\nb: }", ""));
    assert_eq!(r["error"]["kind"], "parse");
    assert!(r["error"]["line"].is_u64());
    let r = json(&check_text("x: 1", "{\"profile\": \"nope\"}"));
    assert_eq!(r["error"]["kind"], "options");
    assert_eq!(r["error"]["option"], "profile");
}

#[wasm_bindgen_test]
fn objects_names_and_catalogue() {
    let r = json(&check_object(r#"{"kind":"Something"}"#, "null"));
    assert_eq!(r["ok"]["documents"][0]["kind"], "Unknown");
    assert_eq!(
        json(&client_secret_env_var("okta-prod"))["ok"],
        "TOOLHIVE_UPSTREAM_CLIENT_SECRET_OKTA_PROD"
    );
    let e = json(&client_secret_env_var("\u{43e}kta"));
    assert_eq!(e["error"]["kind"], "invalidName");
    assert!(e["error"]["reason"].as_str().unwrap().contains("U+043E"));
    assert!(json(&rules())
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "RT-08"));
    assert_eq!(json(&profiles())[0]["id"], "v0.13");
    assert_eq!(json(&layers())[3]["id"], "startup");
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn deep_and_large_inputs_are_errors_not_traps() {
    // wasm's stack is small: nesting must be refused before it overflows.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(json(&check_text(&deep, ""))["error"]["kind"], "parse");
    let deep_object = format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    assert_eq!(
        json(&check_object(&deep_object, ""))["error"]["kind"],
        "parse"
    );
    let big = format!("a: {}", "x".repeat(5_000_000));
    assert_eq!(json(&check_text(&big, ""))["error"]["kind"], "parse");
}
