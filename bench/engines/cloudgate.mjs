// Loads the cloudgate npm package from ../js (built by scripts/build-wasm.sh) without npm
// linking it, so that bench/ installs on its own and fails with a clear message when the
// package has not been built.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const JS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../js');

/** The entry Node would pick from js/package.json (exports → node/import/default), else index.js. */
function entry() {
  const pkgFile = path.join(JS_DIR, 'package.json');
  if (!fs.existsSync(pkgFile)) throw new Error(`no npm package in ${JS_DIR}: run scripts/build-wasm.sh first`);
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
  let target = pkg.exports?.['.'] ?? pkg.exports ?? pkg.main ?? 'index.js';
  for (let i = 0; i < 5 && target && typeof target === 'object'; i++) {
    target = target.node ?? target.import ?? target.default ?? Object.values(target)[0];
  }
  return path.join(JS_DIR, typeof target === 'string' ? target : 'index.js');
}

export async function loadCloudgate() {
  return import(pathToFileURL(entry()).href);
}

/** Every .wasm shipped in the package (the full module and the edge module). */
export function wasmFiles() {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.wasm')) out.push(p);
    }
  };
  if (fs.existsSync(JS_DIR)) walk(JS_DIR);
  return out;
}
