#!/usr/bin/env bash
# The npm package as a tarball, complete from a clean checkout. `make package` runs this; `npm
# pack` in js/ runs its --prepack part (package.json's `prepack` script), so a plain `npm pack`
# is complete too.
#
#   bash scripts/package.sh               builds dist/cloudgate-<version>.tgz, checks what it
#                                         holds (--check) and prints its path on stdout
#   bash scripts/package.sh --prepack     what the tarball needs built first: the wasm modules and
#                                         their glue (js/pkg/, scripts/build-wasm.sh: a no-op when
#                                         up to date), js/LICENSE (a copy of ../LICENSE) and the
#                                         CommonJS twin (*.d.cts) of every declaration file
#   bash scripts/package.sh --check FILE  checks a tarball: every file that `main`, `types`, the
#                                         exports and the shipped files' imports name is there, the
#                                         .wasm are wasm, LICENSE is the repository's, and nothing
#                                         else is (no tests, benchmarks, node_modules: every file is
#                                         reachable from an export, or is package.json, README.md,
#                                         LICENSE, CHANGELOG.md)
#   CLOUDGATE_PACKAGE_DIR=DIR             where the tarball goes (default: dist/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

prepack() {
  exec 1>&2 # `npm pack --json` prints its report on stdout
  bash "$root/scripts/build-wasm.sh"
  cd "$root/js"
  cmp -s "$root/LICENSE" LICENSE || cp "$root/LICENSE" LICENSE
  # TypeScript reads a .d.ts next to a .js of a `"type": "module"` package as an ES module; a
  # `require('cloudgate')` from CommonJS TypeScript needs the same declarations as CommonJS
  # (`exports.types.require`), whose relative imports name the twins (`./x.js` -> `./x.cjs`).
  local dts twin tmp
  for dts in *.d.ts; do
    twin="${dts%.d.ts}.d.cts"
    tmp="$twin.tmp"
    {
      echo "// Generated from $dts by scripts/package.sh (npm pack): the same declarations for require()."
      sed -E "s#(from|import)([[:space:]]*\(?[[:space:]]*)'(\.\.?/[^']*)\.js'#\1\2'\3.cjs'#g" "$dts"
    } > "$tmp"
    if cmp -s "$tmp" "$twin"; then rm "$tmp"; else mv "$tmp" "$twin"; fi
  done
}

check() {
  node --input-type=module - "$1" "$root/LICENSE" <<'JS'
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [tarball, licence] = process.argv.slice(2);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudgate-package-check-'));
const problems = [];
try {
  execFileSync('tar', ['-xzf', tarball, '-C', dir]);
  const top = path.join(dir, 'package');
  const files = new Set();
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.add(path.relative(top, p).split(path.sep).join('/'));
    }
  };
  walk(top);
  const read = (f) => fs.readFileSync(path.join(top, f), 'utf8');
  const pkg = JSON.parse(read('package.json'));
  const deps = new Set(Object.keys(pkg.dependencies ?? {}));

  // What the package names: main, types, every export target; then, transitively, what the
  // shipped modules and declarations import or fetch next to themselves.
  const wanted = new Map(); // file -> who names it
  const want = (file, by) => {
    const f = path.posix.normalize(file.replace(/^\.\//, ''));
    if (!wanted.has(f)) wanted.set(f, by);
  };
  if (pkg.main) want(pkg.main, 'main');
  if (pkg.types) want(pkg.types, 'types');
  const targets = (value, where) => {
    if (typeof value === 'string') want(value, where);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) targets(v, `${where}[${JSON.stringify(k)}]`);
  };
  targets(pkg.exports, 'exports');
  for (const f of ['package.json', 'README.md', 'LICENSE', 'pkg/cloudgate.js', 'pkg/cloudgate_bg.wasm', 'pkg/cloudgate_edge_bg.wasm']) want(f, 'required');

  const code = /\.(c|m)?js$/;
  // [specifier, kind]: `import`s (static, dynamic, re-exports) and `new URL(…, import.meta.url)`.
  const specifiers = (text, decl) => {
    const out = [];
    for (const re of [/\bfrom\s*'([^']+)'/g, /\bfrom\s*"([^"]+)"/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g]) {
      for (const m of text.matchAll(re)) out.push([m[1], 'import']);
    }
    if (!decl) for (const m of text.matchAll(/\bnew URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g)) out.push([m[1], 'url']);
    return out;
  };
  const seen = new Set();
  const queue = [...wanted.keys()];
  while (queue.length) {
    const f = queue.shift();
    if (seen.has(f)) continue;
    seen.add(f);
    if (!files.has(f)) continue;
    const isDecl = /\.d\.(c|m)?ts$/.test(f);
    if (!isDecl && !code.test(f)) continue;
    for (let [s, kind] of specifiers(read(f), isDecl)) {
      s = s.replace(/\?.*$/, ''); // `?module` (vercel.js)
      if (s.startsWith('node:') || s === 'cloudgate' || s.startsWith('cloudgate/')) continue;
      const relative = kind === 'url' ? !/^[a-z][a-z0-9+.-]*:/i.test(s) : s.startsWith('./') || s.startsWith('../');
      if (!relative) {
        if (!deps.has(s.split('/')[0])) problems.push(`${f} imports \`${s}\`, which is not a dependency of the package`);
        continue;
      }
      let target = path.posix.normalize(path.posix.join(path.posix.dirname(f), s));
      if (isDecl) target = target.replace(/\.js$/, '.d.ts').replace(/\.cjs$/, '.d.cts').replace(/\.mjs$/, '.d.mts');
      if (!wanted.has(target)) {
        wanted.set(target, f);
        queue.push(target);
      }
    }
  }
  for (const [f, by] of wanted) if (!files.has(f)) problems.push(`missing: ${f} (named by ${by})`);
  for (const f of ['pkg/cloudgate_bg.wasm', 'pkg/cloudgate_edge_bg.wasm']) {
    if (!files.has(f)) continue;
    const bytes = fs.readFileSync(path.join(top, f));
    if (bytes.length < 100_000 || bytes.readUInt32LE(0) !== 0x6d736100) problems.push(`${f} is not a wasm module (${bytes.length} bytes)`);
  }
  if (files.has('LICENSE') && read('LICENSE') !== fs.readFileSync(licence, 'utf8')) problems.push('LICENSE differs from the repository\'s');
  // Nothing stray: every file is named by the package, or is one npm always ships.
  const always = new Set(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']);
  for (const f of [...files].sort()) if (!wanted.has(f) && !always.has(f)) problems.push(`stray: ${f} (named by no export, entry or import)`);
  for (const f of files) if (wanted.has(f) && /(^|\/)(node_modules|test|tests|bench|consumers)\//.test(f)) problems.push(`stray: ${f} (from a test, benchmark or dependency folder)`);
  if (problems.length) {
    console.error(`package: ${tarball} is not right:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const size = fs.statSync(tarball).size;
  console.error(`package: ${path.basename(tarball)}: ${files.size} files, ${(size / 1024).toFixed(0)} KiB, complete`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
JS
}

case "${1:-}" in
  --prepack)
    prepack
    exit 0
    ;;
  --check)
    check "${2:?usage: scripts/package.sh --check FILE}"
    exit 0
    ;;
  "") ;;
  *)
    echo "usage: scripts/package.sh [--prepack | --check FILE]" >&2
    exit 2
    ;;
esac

out="${CLOUDGATE_PACKAGE_DIR:-$root/dist}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
(prepack)
cd "$root/js"
# --ignore-scripts: the prepack step has just run (and would run it all again).
report=$(npm pack --ignore-scripts --json --pack-destination "$out" --loglevel=error)
name=$(node -e 'console.log(JSON.parse(process.argv[1])[0].filename)' "$report")
check "$out/$name"
echo "$out/$name"
