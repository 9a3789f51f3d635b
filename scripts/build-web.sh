#!/usr/bin/env bash
# Builds the web surfaces: the npm package (npm/pkg/, from the core via wasm-bindgen --target
# web) and the playground (www/dist/, Vite; it runs the Kubewarden policy module, which is built
# by scripts/build-policy.sh when missing or stale). Needs the tools scripts/test-web.sh installs:
# the wasm32-unknown-unknown target, wasm-bindgen-cli matching Cargo.lock, node/npm.
#
#   scripts/build-web.sh                 # npm package + playground
#   scripts/build-web.sh --npm-only      # npm package only
#   scripts/build-web.sh --install-tools # first install the wasm32 target and the pinned
#                                        # wasm-bindgen CLI when missing (one-time ~5 min)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PKG=npm/pkg
NPM_ONLY=0
INSTALL=0
for arg in "$@"; do
  case "$arg" in
    --npm-only) NPM_ONLY=1 ;;
    --install-tools) INSTALL=1 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

step() { printf '\n== %s\n' "$*"; }

# The wasm-bindgen crate version Cargo.lock pins (the CLI must be the same version).
lock_version() { awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock; }

if (( INSTALL )); then
  step "tools"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
  fi
  [[ -f Cargo.lock ]] || cargo generate-lockfile
  want=$(lock_version)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [[ "$want" != "$have" ]]; then
    echo "wasm-bindgen CLI '${have:-missing}' != Cargo.lock's $want: installing (one-time, ~5 min)"
    # Not --locked: the lockfile shipped in wasm-bindgen-cli pins a crate version the
    # registry reachable here does not serve.
    cargo install wasm-bindgen-cli --version "$want"
  fi
fi

# The toolchain: nightly with std rebuilt for size (-Zbuild-std, -Cpanic=immediate-abort), or
# stable with WASM_STD=stable (scripts/wasm-cargo.sh).
source scripts/wasm-cargo.sh
wasm_cargo_setup wasm32-unknown-unknown
step "cargo build (wasm32-unknown-unknown, profile wasm, std: $WASM_STD_USED)"
# opt-level "z" for this crate's build only (the root `wasm` profile says "s"): about 13 %
# smaller (docs/PERFORMANCE.md). Set WEB_OPT_LEVEL=s to build exactly with the root profile.
# (LTO and one codegen unit pinned: the `wasm` profile inherits `release`, which a caller's
# CARGO_PROFILE_RELEASE_* could otherwise change.)
CARGO_PROFILE_WASM_LTO=true CARGO_PROFILE_WASM_CODEGEN_UNITS=1 \
CARGO_PROFILE_WASM_OPT_LEVEL="${WEB_OPT_LEVEL:-z}" RUSTFLAGS="$WASM_RUSTFLAGS" CARGO_TARGET_DIR="$WASM_TARGET_DIR" \
  "${WASM_CARGO[@]}" -p mcpauth-guard-wasm --lib --target wasm32-unknown-unknown --profile wasm
WASM_IN=$WASM_TARGET_DIR/wasm32-unknown-unknown/wasm/mcpauth_guard_wasm.wasm

want=$(lock_version)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$want" != "$have" ]]; then
  echo "wasm-bindgen CLI is '${have:-missing}' but Cargo.lock has wasm-bindgen $want." >&2
  echo "Install it with: cargo install wasm-bindgen-cli --version $want   (or pass --install-tools)" >&2
  exit 1
fi

step "wasm-bindgen $have --target web -> $PKG"
rm -rf "$PKG"
wasm-bindgen "$WASM_IN" --target web --no-typescript --out-dir "$PKG" --out-name mcpauth_guard_wasm
WASM_OUT=$PKG/mcpauth_guard_wasm_bg.wasm
# wasm-opt from the npm package binaryen (pinned in npm/tools/package-lock.json): Debian's
# binaryen 108 is too old for the reference-types output of wasm-bindgen 0.2.130 (the module
# it writes fails to instantiate).
if [[ "${CI:-}" == true || ! -x npm/tools/node_modules/.bin/wasm-opt ]]; then
  (cd npm/tools && npm ci --no-audit --no-fund)
fi
step "wasm-opt -Oz (binaryen $(npm/tools/node_modules/.bin/wasm-opt --version | awk '{print $3}'))"
npm/tools/node_modules/.bin/wasm-opt -Oz "$WASM_OUT" -o "$WASM_OUT.opt"
mv "$WASM_OUT.opt" "$WASM_OUT"

step "package sources -> $PKG"
VERSION=$(awk '/^\[workspace.package\]/ { f = 1 } f && /^version *=/ { gsub(/version *= *|"/, ""); print; exit }' Cargo.toml)
for f in npm/js/*; do
  sed "s/__MCPAUTH_GUARD_VERSION__/$VERSION/g" "$f" > "$PKG/$(basename "$f")"
done
cp npm/README.md "$PKG/README.md"
[[ -f LICENSE ]] && cp LICENSE "$PKG/LICENSE"
rm -f "$PKG/.gitignore"

raw=$(stat -c %s "$WASM_OUT")
gz=$(gzip -9 -c "$WASM_OUT" | wc -c)
echo "mcpauth-guard $VERSION: $WASM_OUT $raw bytes raw, $gz bytes gzip -9 (budget 307200 / 122880)"
if (( raw > 307200 || gz > 122880 )); then
  # Over budget because of the core itself: 475 KB / 199 KB gzip with nightly std, of which the
  # code alone deflates to 146 KB (docs/PERFORMANCE.md, "Module size"). Reported, and fatal only
  # with WEB_SIZE_STRICT=1.
  echo "WARNING: size budget exceeded (307200 raw / 122880 gzip)" >&2
  [[ "${WEB_SIZE_STRICT:-0}" == 1 ]] && exit 1
fi

(( NPM_ONLY )) && exit 0

step "the Kubewarden policy module the playground runs (policy/policy.wasm)"
# Built when missing or older than the sources it is made of (scripts/test.sh builds it before,
# with the pre-initialised module; the playground needs only the plain one).
cd "$ROOT"
if [[ ! -e policy/policy.wasm ]] || [[ -n "$(find src policy/src policy/logic/src Cargo.toml policy/Cargo.toml policy/logic/Cargo.toml -newer policy/policy.wasm -print -quit)" ]]; then
  bash scripts/build-policy.sh --no-preinit
fi

step "playground (Vite) -> www/dist"
cd "$ROOT/www"
# npm ci when node_modules is missing or older than the lockfile (always under CI).
if [[ "${CI:-}" == true || ! -e node_modules/mcpauth-guard || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run build
