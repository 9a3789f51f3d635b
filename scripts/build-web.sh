#!/usr/bin/env bash
# Builds the web surfaces: the npm package (npm/pkg/, from the core via wasm-bindgen --target
# web) and the playground (www/dist/, Vite). Needs the tools scripts/test-web.sh installs:
# the wasm32-unknown-unknown target, wasm-bindgen-cli matching Cargo.lock, node/npm; wasm-opt
# (Debian binaryen) is used when present.
#
#   scripts/build-web.sh            # npm package + playground
#   scripts/build-web.sh --npm-only # npm package only
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PKG=npm/pkg
NPM_ONLY=0
[[ "${1:-}" == "--npm-only" ]] && NPM_ONLY=1

step() { printf '\n== %s\n' "$*"; }

step "cargo build (wasm32-unknown-unknown, profile wasm)"
cargo build -p mcpauth-guard-wasm --lib --target wasm32-unknown-unknown --profile wasm
WASM_IN=target/wasm32-unknown-unknown/wasm/mcpauth_guard_wasm.wasm

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [[ "$want" != "$have" ]]; then
  echo "wasm-bindgen CLI is '${have:-missing}' but Cargo.lock has wasm-bindgen $want." >&2
  echo "Install it with: cargo install wasm-bindgen-cli --version $want   (or run scripts/test-web.sh)" >&2
  exit 1
fi

step "wasm-bindgen $have --target web -> $PKG"
rm -rf "$PKG"
wasm-bindgen "$WASM_IN" --target web --no-typescript --out-dir "$PKG" --out-name mcpauth_guard_wasm
WASM_OUT=$PKG/mcpauth_guard_wasm_bg.wasm
if command -v wasm-opt >/dev/null; then
  step "wasm-opt -Os ($(wasm-opt --version))"
  wasm-opt -Os --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$WASM_OUT" -o "$WASM_OUT.opt"
  mv "$WASM_OUT.opt" "$WASM_OUT"
else
  echo "(wasm-opt not found: skipping; apt-get install binaryen for a smaller module)"
fi

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
  echo "size budget exceeded" >&2
  exit 1
fi

(( NPM_ONLY )) && exit 0

step "playground (Vite) -> www/dist"
cd "$ROOT/www"
if [[ ! -d node_modules ]] || [[ ! -e node_modules/mcpauth-guard ]]; then
  npm ci --no-audit --no-fund
fi
npm run build
