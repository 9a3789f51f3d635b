#!/usr/bin/env bash
# The main job: checks every example with the CLI (valid configs and their broken twins; the
# default profile 2026-08, then examples/v0.13/ with --profile v0.13),
# then builds and serves the playground (opens on a built-in multi-upstream example) on
# 127.0.0.1 and prints its URL. Installs what it needs on a fresh machine.
#   scripts/run.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -p mcpauth-guard
for f in examples/*.yaml examples/*.json; do
  echo "\$ mcpauth-guard check $f"
  ./target/release/mcpauth-guard check "$f" || true
done
for f in examples/v0.13/*; do
  echo "\$ mcpauth-guard check $f --profile v0.13"
  ./target/release/mcpauth-guard check "$f" --profile v0.13 || true
done
echo "\$ mcpauth-guard check examples/multi-upstream.yaml --consumer mcpserver --format json | head -30"
./target/release/mcpauth-guard check examples/multi-upstream.yaml --consumer mcpserver --format json | head -30 || true
# Builds the npm package and the playground (installing the pinned wasm toolchain when
# missing), serves it and prints the URL.
exec bash scripts/serve-playground.sh "$@"
