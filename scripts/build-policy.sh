#!/usr/bin/env bash
# Builds the Kubewarden policy:
#   policy/policy.wasm            the policy (cargo profile `wasm`, target wasm32-wasip1)
#   policy/preinit-policy.wasm    the same, pre-initialised (wasmtime-wizer; skip with --no-preinit)
#   policy/annotated-policy.wasm  that with the io.kubewarden.metadata section (kwctl annotate)
#   policy/accept-all.wasm        the accept-all baseline the benchmark compares against
# Installs the wasm32-wasip1 target when it is missing. Warns when policy.wasm exceeds 400 KB
# (fails with POLICY_SIZE_STRICT=1).
set -euo pipefail
cd "$(dirname "$0")/.."

target=wasm32-wasip1
max_bytes=$((400 * 1024))
target_dir="${CARGO_TARGET_DIR:-target}"

if ! rustup target list --installed | grep -qx "$target"; then
  echo "build-policy: installing the $target target"
  rustup target add "$target"
fi

# The workspace profile `wasm` (opt-level s, LTO, panic=abort), with two overrides for the
# policy only: strip the symbol names too (the `name` section: ~60 KB that nothing at run time
# reads), and the opt-level in POLICY_OPT_LEVEL (default "s"; "z" is smaller and slower).
export CARGO_PROFILE_WASM_STRIP=true
export CARGO_PROFILE_WASM_OPT_LEVEL="${POLICY_OPT_LEVEL:-s}"
cargo build --target "$target" --profile wasm -p mcpauth-guard-policy -p mcpauth-guard-accept-all
cp "$target_dir/$target/wasm/mcpauth_guard_policy.wasm" policy/policy.wasm
cp "$target_dir/$target/wasm/mcpauth_guard_accept_all.wasm" policy/accept-all.wasm

# Pre-initialise (wasmtime-wizer, at Kubewarden 1.35's wasmtime version): the module's memory
# starts with the CRD schemas already compiled, which policy-server's fresh instance per request
# would otherwise rebuild every time (~0.5 ms). Skip with --no-preinit.
annotate_input=policy/policy.wasm
if [ "${1:-}" != "--no-preinit" ]; then
  # Built with --all-targets and the same settings as the host tests (scripts/test-policy.sh),
  # so that the tests reuse this wasmtime build instead of compiling a second one (dev-
  # dependencies change the feature set otherwise).
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_INCREMENTAL=false \
    cargo build --release -p mcpauth-guard-policy-host --all-targets
  "$target_dir/release/preinit" policy/policy.wasm policy/preinit-policy.wasm
  annotate_input=policy/preinit-policy.wasm
fi

cargo run -q -p mcpauth-guard-annotate -- \
  -m policy/metadata.yml -i "$annotate_input" -o policy/annotated-policy.wasm

size=$(wc -c < policy/policy.wasm)
echo "build-policy: policy/policy.wasm is $size bytes (limit $max_bytes)"
if [ "$size" -gt "$max_bytes" ]; then
  echo "build-policy: WARNING: policy/policy.wasm is larger than the 400 KB budget" >&2
  # The core alone (check_values, opt-level z, stripped) is already ~400 KB: see docs/PERFORMANCE.md.
  if [ "${POLICY_SIZE_STRICT:-0}" = 1 ]; then exit 1; fi
fi
