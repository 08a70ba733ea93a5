// Development only: the static server plus a stand-in engine backed by the native CLI, so the
// page can be worked on before (or without) a wasm build. Open
// http://127.0.0.1:PORT/www/?engine=/www/test/dev-engine.js . Not used by the tests.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handle, start } from '../serve.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
// CLOUDGATE: another build of the CLI (e.g. a release build elsewhere).
const CLI = process.env.CLOUDGATE ?? join(ROOT, 'target/debug/cloudgate');
const packs = new Map();
let next = 1;

function walk(dir, base = dir, out = {}) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'tests') walk(p, base, out);
    } else if (name.endsWith('.rhai') || name === 'pack.json') out[relative(base, p)] = readFileSync(p, 'utf8');
  }
  return out;
}

function run(args) {
  try {
    return execFileSync(CLI, args, { encoding: 'utf8' });
  } catch (e) {
    if (e.stdout) return e.stdout;
    throw new Error(e.stderr || e.message);
  }
}

packs.set(0, join(ROOT, 'rules'));

async function body(req) {
  let s = '';
  for await (const c of req) s += c;
  return s;
}

start(Number(process.env.PORT ?? 8080), async (req, res) => {
  const url = new URL(req.url, 'http://x');
  if (!url.pathname.startsWith('/__dev/')) return handle(req, res);
  try {
    let out;
    if (url.pathname === '/__dev/engine') {
      const opts = JSON.parse(await body(req));
      const id = next++;
      const dir = mkdtempSync(join(tmpdir(), 'cg-dev-'));
      cpSync(join(ROOT, 'rules'), dir, { recursive: true });
      for (const [f, t] of Object.entries(opts.rules ?? {})) {
        mkdirSync(dirname(join(dir, f)), { recursive: true });
        writeFileSync(join(dir, f), t);
      }
      packs.set(id, dir);
      const pack = JSON.parse(readFileSync(join(dir, 'pack.json'), 'utf8'));
      out = { id, pack: { name: pack.name, version: pack.version, digest: 'sha256:dev' }, sources: walk(dir) };
    } else if (url.pathname === '/__dev/rules') {
      out = JSON.parse(run(['rules', '--rules', packs.get(Number(url.searchParams.get('id'))), '--format', 'json']));
    } else if (url.pathname === '/__dev/check') {
      const f = join(tmpdir(), `cg-dev-req-${process.pid}.json`);
      writeFileSync(f, await body(req));
      const args = ['check', '--rules', packs.get(Number(url.searchParams.get('id'))), '--format', 'json'];
      if (url.searchParams.get('asOf')) args.push('--as-of', url.searchParams.get('asOf'));
      if (url.searchParams.get('explain')) args.push('--explain');
      const parsed = JSON.parse(run([...args, f]));
      out = Array.isArray(parsed) ? parsed[0] : parsed;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
  } catch (e) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e.message));
  }
}).then((s) => console.log(`listening on http://127.0.0.1:${s.address().port}/`));
