//! WebAssembly bindings of [`mcpauth_guard`] for the npm package `mcpauth-guard` and the
//! playground.
//!
//! The exports take and return JSON text; the package's JavaScript wrapper (`npm/js/api.js`)
//! parses it, turns error envelopes into typed errors and is what users call. The logic lives
//! in [`api`] as plain functions, tested natively; the wasm boundary itself is tested by
//! `tests/node.rs` (Node) and `tests/browser.rs` (headless Chromium).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod api;

use wasm_bindgen::prelude::wasm_bindgen;

/// Checks a YAML or JSON text. Returns `{"ok": report}` or `{"error": {...}}` as JSON.
#[wasm_bindgen(js_name = checkText)]
pub fn check_text(text: &str, options_json: &str) -> String {
    api::check(text, options_json)
}

/// Checks an already-parsed object or array of objects, given as JSON text. Returns an
/// envelope like [`check_text`].
#[wasm_bindgen(js_name = checkObject)]
pub fn check_object(value_json: &str, options_json: &str) -> String {
    api::check_object(value_json, options_json)
}

/// The client-secret env var for an upstream name, as an envelope.
#[wasm_bindgen(js_name = clientSecretEnvVar)]
pub fn client_secret_env_var(name: &str) -> String {
    api::client_secret_env_var(name)
}

/// The rule catalogue, as a JSON array.
#[wasm_bindgen]
pub fn rules() -> String {
    api::rules()
}

/// The profiles, as a JSON array.
#[wasm_bindgen]
pub fn profiles() -> String {
    api::profiles()
}

/// The layers with their consequences, as a JSON array.
#[wasm_bindgen]
pub fn layers() -> String {
    api::layers()
}

/// The core's version.
#[wasm_bindgen]
pub fn version() -> String {
    api::version()
}
