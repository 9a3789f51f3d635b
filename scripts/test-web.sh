#!/usr/bin/env bash
# Installs what the web surfaces need (when missing), builds them and runs every web test:
#   - native unit tests of the wasm crate (cargo test -p mcpauth-guard-wasm)
#   - wasm-bindgen-test boundary tests in Node and in headless Chromium (chromedriver)
#   - the npm consumer test (npm pack → fresh project → node --test)
#   - the playground's unit tests and end-to-end tests in headless Chromium (node --test)
# Works on a fresh clone with CI=true. The one-time `cargo install wasm-bindgen-cli` takes
# about 5 minutes on 2 cores; everything else is under 15 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
START=$SECONDS

step() { printf '\n== [%4ds] %s\n' "$((SECONDS - START))" "$*"; }

step "tools: chromium + chromedriver (the wasm tools are installed by build-web.sh)"
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO=sudo
  $SUDO apt-get update
  $SUDO apt-get install -y chromium chromium-driver
fi
command -v node >/dev/null || { echo "node (>= 18) is required" >&2; exit 1; }

step "build (npm package, then playground)"
bash scripts/build-web.sh --install-tools
echo "rustc $(rustc --version | awk '{print $2}'), wasm-bindgen $(wasm-bindgen --version | awk '{print $2}'), node $(node --version), $(/usr/bin/chromium --version)"

step "cargo fmt --check and clippy -D warnings (mcpauth-guard-wasm, native and wasm32)"
cargo fmt -p mcpauth-guard-wasm --check
cargo clippy -p mcpauth-guard-wasm --all-targets -- -D warnings
cargo clippy -p mcpauth-guard-wasm --all-targets --target wasm32-unknown-unknown -- -D warnings

step "cargo test -p mcpauth-guard-wasm (native)"
cargo test -p mcpauth-guard-wasm

step "wasm-bindgen-test in Node"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p mcpauth-guard-wasm --target wasm32-unknown-unknown --test node

step "wasm-bindgen-test in headless Chromium"
# webdriver.json (Chromium's flags) is read from the crate directory.
(cd npm && CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p mcpauth-guard-wasm --target wasm32-unknown-unknown --test browser)

step "npm consumer test and hostile-input catalogue (node --test)"
(cd npm && node --test test/consumer.test.mjs test/hostile.test.mjs)

step "playground tests (node --test: unit + end-to-end in headless Chromium)"
(cd www && node --test test/)

step "done in $((SECONDS - START)) s"
