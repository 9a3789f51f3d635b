#!/usr/bin/env bash
# Builds the npm package and the playground, then serves the playground on 127.0.0.1 and
# prints its URL. Nothing is fetched by the page except its own files.
#   scripts/serve-playground.sh [port]      (default 8080; PORT=… works too)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-${PORT:-8080}}"
bash scripts/build-web.sh --install-tools
echo
exec node www/tools/serve.mjs "$PORT" www/dist
