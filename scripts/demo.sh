#!/usr/bin/env bash
# Serves the portal, rule workbench and training simulator on http://127.0.0.1:${PORT:-8080}/
# (`make demo`). Offline: the page is plain ES modules and the engine is the wasm build in js/,
# built here first when missing. Stop with Ctrl+C.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [ ! -f js/pkg/cloudgate_bg.wasm ] || [ ! -f js/pkg/cloudgate.js ]; then
  echo "demo: building the wasm engine first (scripts/build-wasm.sh)…"
  bash scripts/build-wasm.sh
fi

# The rule editor's bundle and the pack's cases for the workbench (www/vendor/, idempotent).
bash scripts/build-www.sh

port="${PORT:-8080}"
echo "demo: open http://127.0.0.1:${port}/ (portal, rule workbench, training) — Ctrl+C stops"
exec node www/serve.mjs --port "$port"
