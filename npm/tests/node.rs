//! wasm-bindgen boundary tests in Node:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p mcpauth-guard-wasm --target wasm32-unknown-unknown --test node`.
#![cfg(target_arch = "wasm32")]

mod boundary;
