#!/usr/bin/env bash
# Every test of the project, on a fresh clone; installs what it needs (rustup targets and
# components, the pinned wasm-bindgen CLI, Debian chromium + chromedriver, npm packages).
#   1. formatting and lints (cargo fmt --check, clippy -D warnings) for the whole workspace;
#   2. the core: unit tests, per-rule vectors, golden CLI output, hostile input, report schema,
#      properties, docs-in-sync; the benchmarks are compiled (not run);
#   3. the Kubewarden policy in a policy-server-1.35-like host (scripts/test-policy.sh);
#   4. the npm module and the playground, in Node and headless Chromium (scripts/test-web.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
START=$SECONDS
step() { printf '\n== [%4ds] %s\n' "$((SECONDS - START))" "$*"; }

step "toolchain"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
for t in wasm32-wasip1 wasm32-unknown-unknown; do
  rustup target list --installed | grep -qx "$t" || rustup target add "$t"
done

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy -D warnings (workspace)"
cargo clippy --workspace --all-targets -- -D warnings

step "core: cargo test -p mcpauth-guard"
cargo test -p mcpauth-guard
cargo bench -p mcpauth-guard --no-run

step "core builds for wasm32-unknown-unknown and wasm32-wasip1 without default features"
cargo build -p mcpauth-guard --lib --no-default-features --target wasm32-unknown-unknown
cargo build -p mcpauth-guard --lib --no-default-features --target wasm32-wasip1

step "Kubewarden policy"
bash scripts/test-policy.sh

step "npm module and playground"
bash scripts/test-web.sh

step "all tests passed in $((SECONDS - START)) s"
