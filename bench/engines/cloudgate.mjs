// Loads a cloudgate npm package (by default ../js, built by scripts/build-wasm.sh) without npm
// linking it, so that bench/ installs on its own and fails with a clear message when the
// package has not been built. Another package directory (the baseline build's js/, which
// scripts/bench.sh builds in a git worktree) is given as an argument, or to a fresh process
// (cold.mjs) in the environment variable CLOUDGATE_BENCH_JS.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The package of the working tree. */
export const DEFAULT_JS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../js');
/** The package this process measures: CLOUDGATE_BENCH_JS, else the working tree's. */
export const JS_DIR = process.env.CLOUDGATE_BENCH_JS ? path.resolve(process.env.CLOUDGATE_BENCH_JS) : DEFAULT_JS_DIR;

/** The entry Node would pick from package.json (exports → node/import/default), else index.js. */
function entry(dir) {
  const pkgFile = path.join(dir, 'package.json');
  if (!fs.existsSync(pkgFile)) throw new Error(`no npm package in ${dir}: run scripts/build-wasm.sh first`);
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  let target = pkg.exports?.['.'] ?? pkg.exports ?? pkg.main ?? 'index.js';
  for (let i = 0; i < 5 && target && typeof target === 'object'; i++) {
    target = target.node ?? target.import ?? target.default ?? Object.values(target)[0];
  }
  return path.join(dir, typeof target === 'string' ? target : 'index.js');
}

/** The package in `dir` (default JS_DIR), imported. Two directories give two separate modules. */
export async function loadCloudgate(dir = JS_DIR) {
  return import(pathToFileURL(entry(dir)).href);
}

/** Every .wasm shipped in the package in `dir` (the full module and the edge module). */
export function wasmFiles(dir = JS_DIR) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.wasm')) out.push(p);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}
