#!/usr/bin/env bash
# The main job: checks every example with the CLI (valid configs and their broken twins),
# then builds and serves the playground (opens on a built-in multi-upstream example) on
# 127.0.0.1 and prints its URL. Installs what it needs on a fresh machine.
#   scripts/run.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p mcpauth-guard
for f in examples/*; do
  echo "\$ mcpauth-guard check $f"
  ./target/release/mcpauth-guard check "$f" || true
done
echo "\$ mcpauth-guard check examples/multi-upstream.yaml --consumer mcpserver --format json | head -30"
./target/release/mcpauth-guard check examples/multi-upstream.yaml --consumer mcpserver --format json | head -30 || true
# The playground needs the wasm toolchain, chromium is not needed to serve it.
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
[[ "$want" == "$have" ]] || cargo install wasm-bindgen-cli --version "$want"
exec bash scripts/serve-playground.sh "$@"
