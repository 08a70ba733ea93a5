#!/usr/bin/env bash
# The npm package as users get it: builds the tarball (scripts/package.sh, what `make package`
# makes), then installs it into fresh projects and decides a request in each environment: Node
# (ES modules, CommonJS), TypeScript, Vite, webpack and esbuild builds in Chromium, Deno, Bun,
# workerd and the edge-light condition in the edge-runtime sandbox (js/test/consumers/). The
# bundlers and runtimes are pinned by js/consumers/package-lock.json, installed when it changed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

bash scripts/setup-js.sh
bash scripts/setup-chromium.sh
tarball=$(bash scripts/package.sh | tail -n 1)
# One file: the environments run one after another (a 2-core machine), sharing one browser.
CLOUDGATE_TARBALL="$tarball" node --test --test-concurrency=1 js/test/consumers/consumers.test.mjs
