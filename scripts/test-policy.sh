#!/usr/bin/env bash
# Builds the Kubewarden policy and runs its tests:
#   - the policy logic's and the annotate tool's unit tests (native);
#   - the host tests: policy/annotated-policy.wasm run the way policy-server 1.35 runs it
#     (waPC over wasmtime, fresh instance per request, 2 s epoch deadline).
# With --bench, also runs the per-request benchmark (policy vs accept-all) and prints a table.
# Needs only crates.io. The host crate (wasmtime) takes about 5 minutes to build on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

# The size budget is enforced here: policy.wasm over 400,000 bytes fails the tests.
POLICY_SIZE_STRICT=1 bash scripts/build-policy.sh

cargo test -p mcpauth-guard-policy-logic -p mcpauth-guard-policy -p mcpauth-guard-annotate

# The host runs optimised (as policy-server does) but without fat LTO, which would make the
# wasmtime build several times slower for no difference in what is measured.
export CARGO_PROFILE_RELEASE_LTO=false
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
export CARGO_PROFILE_RELEASE_INCREMENTAL=false
cargo test --release -p mcpauth-guard-policy-host

if [ "${1:-}" = "--bench" ]; then
  cargo run --release -p mcpauth-guard-policy-host --example bench
fi
