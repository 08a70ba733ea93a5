#!/usr/bin/env bash
# The portal, rule workbench and training simulator end to end in headless Debian Chromium
# (`make test-www`, part of `make test`). Installs what it needs, idempotently:
#   - www/'s own test dependencies (playwright-core, no browser download) with npm ci;
#   - Debian's chromium when /usr/bin/chromium is missing (apt; root or sudo);
#   - the wasm package in js/ when js/pkg is missing (scripts/build-wasm.sh).
# Then proves every training exercise against the native CLI, serves the repository with
# www/serve.mjs on a free port, runs the browser tests against it and stops the server.
# Screenshots land in test-artifacts/www/ (and docs/portal.png, docs/simulator.png).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# --- test dependencies (www/ has its own package.json, apart from js/'s)
# (npm writes node_modules/.package-lock.json on every install: newer than the lock = up to date)
if [ ! -f www/node_modules/playwright-core/package.json ] ||
  [ www/package-lock.json -nt www/node_modules/.package-lock.json ]; then
  (cd www && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- the rule editor's bundle and the pack's cases for the workbench (www/vendor/)
bash scripts/build-www.sh

# --- the browser: Debian's chromium, never a downloaded one
chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
  bash scripts/setup-chromium.sh
fi
export CHROMIUM="$chromium_bin"

# --- the engine the page loads
if [ ! -f js/pkg/cloudgate_bg.wasm ] || [ ! -f js/pkg/cloudgate.js ]; then
  bash scripts/build-wasm.sh
fi

# --- every exercise is denied as given and allowed once solved (native CLI, the pack in rules/)
cargo build --quiet --bin cloudgate
node www/test/check-exercises.mjs target/debug/cloudgate

# --- the static server on a free port, stopped whatever happens
log="$(mktemp)"
node www/serve.mjs --port 0 >"$log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; rm -f "$log"' EXIT
origin=""
for _ in $(seq 1 100); do
  origin="$(sed -n 's#^listening on \(http://127.0.0.1:[0-9]*\)/$#\1#p' "$log")"
  [ -n "$origin" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$origin" ] || { echo "test-www: the server did not start" >&2; cat "$log" >&2; exit 1; }
echo "test-www: serving on $origin"

WWW_ORIGIN="$origin" node --test --test-reporter=spec www/test/*.test.mjs
