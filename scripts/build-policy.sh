#!/usr/bin/env bash
# Builds the Kubewarden policy:
#   policy/policy.wasm            the policy (cargo profile `wasm`, target wasm32-wasip1)
#   policy/preinit-policy.wasm    the same, pre-initialised (wasmtime-wizer; skip with --no-preinit)
#   policy/annotated-policy.wasm  that with the io.kubewarden.metadata section (kwctl annotate)
#   policy/accept-all.wasm        the accept-all baseline the benchmark compares against
# Installs the wasm32-wasip1 target when it is missing. Warns when policy.wasm exceeds 400 KB
# (fails with POLICY_SIZE_STRICT=1).
#
# policy.wasm is built with std rebuilt for size on nightly (scripts/wasm-cargo.sh; WASM_STD=stable
# for the stable toolchain) at opt-level z, then `wasm-opt -Oz` (binaryen from npm/tools, restricted
# to the features the module already uses); POLICY_OPT_LEVEL=s and POLICY_WASM_OPT=0 undo the last two.
set -euo pipefail
cd "$(dirname "$0")/.."

target=wasm32-wasip1
max_bytes=400000
target_dir="${CARGO_TARGET_DIR:-target}"

if ! rustup target list --installed | grep -qx "$target"; then
  echo "build-policy: installing the $target target"
  rustup target add "$target"
fi

# The workspace profile `wasm` (LTO, panic=abort) with the opt-level in POLICY_OPT_LEVEL
# (default "z": smaller than "s", see docs/PERFORMANCE.md for what it costs in time). The symbol
# names (the `name` section, never read at run time) are kept for wasm-opt, which reads the
# module's target_features section next to them and drops both; without wasm-opt the cargo
# build strips them itself.
source scripts/wasm-cargo.sh
wasm_cargo_setup "$target"
wasm_opt=npm/tools/node_modules/.bin/wasm-opt
if [ "${POLICY_WASM_OPT:-1}" = 1 ] && [ ! -x "$wasm_opt" ]; then
  if command -v npm >/dev/null; then
    (cd npm/tools && npm ci --no-audit --no-fund)
  else
    echo "build-policy: WARNING: no npm to install binaryen's wasm-opt; building without it" >&2
    POLICY_WASM_OPT=0
  fi
fi
if [ "${POLICY_WASM_OPT:-1}" = 1 ]; then
  export CARGO_PROFILE_WASM_STRIP=debuginfo
else
  export CARGO_PROFILE_WASM_STRIP=true
fi
export CARGO_PROFILE_WASM_OPT_LEVEL="${POLICY_OPT_LEVEL:-z}"
# The `wasm` profile inherits `release`: pin what the size depends on, so that a caller's
# CARGO_PROFILE_RELEASE_* (the host tests turn LTO off for wasmtime) cannot change the module.
export CARGO_PROFILE_WASM_LTO=true CARGO_PROFILE_WASM_CODEGEN_UNITS=1 CARGO_PROFILE_WASM_PANIC=abort
echo "build-policy: std $WASM_STD_USED, opt-level $CARGO_PROFILE_WASM_OPT_LEVEL"
RUSTFLAGS="$WASM_RUSTFLAGS" CARGO_TARGET_DIR="$WASM_TARGET_DIR" \
  "${WASM_CARGO[@]}" --target "$target" --profile wasm -p mcpauth-guard-policy -p mcpauth-guard-accept-all
built="$WASM_TARGET_DIR/$target/wasm"
if [ "${POLICY_WASM_OPT:-1}" = 1 ]; then
  # Features come from the module's target_features section (what rustc already emitted), so
  # wasm-opt introduces none that Kubewarden's wasmtime would have to support additionally.
  echo "build-policy: wasm-opt -Oz (binaryen $("$wasm_opt" --version | awk '{print $3}'))"
  for m in policy:mcpauth_guard_policy accept-all:mcpauth_guard_accept_all; do
    "$wasm_opt" -Oz --strip-debug --strip-producers --strip-target-features \
      "$built/${m#*:}.wasm" -o "policy/${m%%:*}.wasm"
  done
else
  cp "$built/mcpauth_guard_policy.wasm" policy/policy.wasm
  cp "$built/mcpauth_guard_accept_all.wasm" policy/accept-all.wasm
fi

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
  # The default build is 391,351 bytes (8.6 KB of margin): over the budget means the core grew,
  # or POLICY_OPT_LEVEL=s / POLICY_WASM_OPT=0 / WASM_STD=stable (471 / - / 617 KB). What
  # dominates (the core's code, its texts, the CRD schemas): docs/PERFORMANCE.md.
  if [ "${POLICY_SIZE_STRICT:-0}" = 1 ]; then exit 1; fi
fi
