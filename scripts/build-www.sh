#!/usr/bin/env bash
# Builds what the page loads but the repository does not hold (`www/vendor/`, ignored by git):
#   - www/vendor/editor.js: the rule editor (www/editor/*.js) with CodeMirror 6 from npm,
#     bundled by esbuild into one ES module, so that the page needs no CDN and works offline;
#   - www/vendor/pack-tests.json: the default pack's test cases (rules/tests/**/*.json) as
#     { "tests/<path>": "<text>" }, which the workbench runs in the browser.
# Idempotent: installs www/'s npm packages when the lock file changed (npm ci), and rebuilds an
# output only when one of its inputs is newer. Called by scripts/test-www.sh and scripts/demo.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# (npm writes node_modules/.package-lock.json on every install: newer than the lock = up to date)
if [ ! -x www/node_modules/.bin/esbuild ] || [ ! -f www/node_modules/@codemirror/view/package.json ] ||
  [ www/package-lock.json -nt www/node_modules/.package-lock.json ]; then
  (cd www && npm ci --no-audit --no-fund --loglevel=error)
fi

mkdir -p www/vendor

# True when $1 is missing or any later argument (file or directory, searched) is newer.
stale() {
  local out="$1"
  shift
  [ -f "$out" ] || return 0
  [ -n "$(find "$@" -newer "$out" -print -quit 2>/dev/null)" ]
}

if stale www/vendor/editor.js www/editor/*.js www/package-lock.json scripts/build-www.sh; then
  www/node_modules/.bin/esbuild www/editor/index.js --bundle --format=esm --minify \
    --target=es2020 --legal-comments=eof --log-level=warning --outfile=www/vendor/editor.js
  echo "build-www: www/vendor/editor.js ($(wc -c <www/vendor/editor.js) bytes)"
fi

if stale www/vendor/pack-tests.json rules/tests scripts/build-www.sh; then
  node --input-type=module -e '
    import { readdirSync, readFileSync, writeFileSync } from "node:fs";
    import { join, relative } from "node:path";
    const out = {};
    const walk = (dir) => {
      for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith(".json")) out[relative("rules", p).split("\\").join("/")] = readFileSync(p, "utf8");
      }
    };
    walk("rules/tests");
    writeFileSync("www/vendor/pack-tests.json", JSON.stringify(out));
    console.log(`build-www: www/vendor/pack-tests.json (${Object.keys(out).length} files)`);
  '
fi
