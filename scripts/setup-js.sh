#!/usr/bin/env bash
# Installs js/'s dev dependencies (binaryen, workerd, deno, playwright-core, typescript) from
# package-lock.json, only when node_modules is missing or older than the lock file.
set -euo pipefail
cd "$(dirname "$0")/../js"
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  echo "setup-js: npm ci in js/" >&2
  npm ci --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi
