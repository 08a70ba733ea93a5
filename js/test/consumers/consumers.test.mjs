// The npm package as users get it: the packed tarball (scripts/package.sh, `make package`)
// installed into fresh projects in a temporary folder, one per environment, each deciding the
// termination example (rules/tests/base/termination.json, asOf 2026-09-02: `allow`) with
// `cloudgate` and, where the environment has one, `cloudgate/edge`. The projects' sources are in
// fixtures/; the bundlers and runtimes come from js/consumers/ (pinned by its package-lock.json)
// and js/ (workerd, Deno, playwright-core, TypeScript 5.9).
//
//   node --test js/test/consumers/           builds the tarball first (scripts/package.sh)
//   CLOUDGATE_TARBALL=… node --test …        uses that tarball (scripts/test-package.sh)
//   CLOUDGATE_KEEP_CONSUMERS=1               keeps the projects (their folder is printed)
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.join(HERE, 'fixtures');
const JS = path.resolve(HERE, '..', '..');
const REPO = path.resolve(JS, '..');
const TOOLS = path.join(JS, 'consumers');
const REQUEST = path.join(REPO, 'rules', 'tests', 'base', 'termination.json');
const REQUEST_ID = JSON.parse(fs.readFileSync(REQUEST, 'utf8')).request_id;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const bin = (dir, name) => path.join(dir, 'node_modules', '.bin', name);

let tarball;
let work;
let browser;

/** Runs the project setup scripts (each a no-op when done): js/'s dev dependencies, Chromium. */
function setup() {
  execFileSync('bash', [path.join(REPO, 'scripts', 'setup-js.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  execFileSync('bash', [path.join(REPO, 'scripts', 'setup-chromium.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  // The consumers' bundlers and runtimes, from their own lock file; only when it changed.
  const stamp = path.join(TOOLS, 'node_modules', '.package-lock.json');
  const mtime = (f) => fs.statSync(f).mtimeMs;
  if (!fs.existsSync(stamp) || mtime(path.join(TOOLS, 'package-lock.json')) > mtime(stamp) || mtime(path.join(TOOLS, 'package.json')) > mtime(stamp)) {
    console.error('consumers: npm ci in js/consumers');
    execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: TOOLS, stdio: ['ignore', 'inherit', 'inherit'] });
    const now = new Date();
    fs.utimesSync(stamp, now, now);
  }
}

before(async () => {
  setup();
  tarball = process.env.CLOUDGATE_TARBALL;
  if (!tarball) {
    const out = execFileSync('bash', [path.join(REPO, 'scripts', 'package.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    tarball = out.trim().split('\n').at(-1);
  }
  tarball = path.resolve(tarball); // a relative path would be read as a GitHub repository
  assert.ok(fs.existsSync(tarball), `no tarball at ${tarball}`);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudgate-consumers-'));
});

after(async () => {
  await browser?.close();
  if (!work) return;
  if (process.env.CLOUDGATE_KEEP_CONSUMERS) console.error(`consumers: the projects are in ${work}`);
  else fs.rmSync(work, { recursive: true, force: true });
});

/**
 * A fresh project: package.json, the fixture's files, request.json, and the tarball installed
 * with npm from the local cache (the package has no dependencies: nothing is downloaded).
 */
async function project(name, { type = 'module', install = 'npm' } = {}) {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  fs.copyFileSync(REQUEST, path.join(dir, 'request.json'));
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({ name: `consumer-${name}`, private: true, type }, null, 2)}\n`);
  if (install === 'npm') {
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: dir });
  }
  return dir;
}

/** The package as installed: a copy from the tarball, not a link to js/. */
function assertInstalledFromTarball(dir) {
  const installed = path.join(dir, 'node_modules', 'cloudgate');
  assert.ok(!fs.lstatSync(installed).isSymbolicLink(), `${installed} is a link, not an installed copy`);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  assert.match(Object.values(manifest.dependencies ?? {}).join(' '), /\.tgz$/);
}

/** What a consumer printed or answered: the decision on the termination example, from the right module. */
function assertDecided(result, module, label) {
  assert.equal(result.error, undefined, `${label}: ${result.error}`);
  assert.deepEqual(result, { decision: 'allow', request_id: REQUEST_ID, module }, label);
}

async function node(dir, args, options = {}) {
  const { stdout } = await run(options.bin ?? process.execPath, args, { cwd: dir, env: { ...process.env, ...options.env }, timeout: 120_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };

/** A static server for a built site on 127.0.0.1; resolves to its base URL and a close function. */
async function serve(root) {
  const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Opens `url` in headless Chromium and returns the page's `window.result`. */
async function inChromium(url) {
  if (!browser) {
    const { chromium } = createRequire(path.join(JS, 'package.json'))('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.result, null, { timeout: 60_000 });
    const result = await page.evaluate(() => window.result);
    assert.deepEqual(errors, [], `${url}: errors in the page`);
    return result;
  } finally {
    await page.close();
  }
}

test('the tarball holds what the package names and nothing else; npm pack --dry-run lists the same files', async () => {
  await run('bash', [path.join(REPO, 'scripts', 'package.sh'), '--check', tarball]);
  const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
  // The dry run runs the prepack step as `npm pack` does (a no-op when the wasm is up to date).
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: JS, maxBuffer: 1 << 24 });
  const dry = JSON.parse(stdout.slice(stdout.indexOf('[')))[0].files.map((f) => f.path).sort();
  assert.deepEqual(dry, listed);
  for (const f of ['LICENSE', 'README.md', 'pkg/cloudgate.js', 'pkg/cloudgate_bg.wasm', 'pkg/cloudgate_edge_bg.wasm', 'index.d.ts', 'index.d.cts', 'node.cjs']) assert.ok(listed.includes(f), f);
  assert.deepEqual(listed.filter((f) => /(^|\/)(test|bench|node_modules|consumers)\//.test(f)), []);
});

test('Node, ES modules: import from cloudgate and cloudgate/edge', async () => {
  const dir = await project('node-esm');
  assertInstalledFromTarball(dir);
  assertDecided(await node(dir, ['main.mjs']), 'full', 'cloudgate');
  assertDecided(await node(dir, ['main.mjs', 'edge']), 'edge', 'cloudgate/edge');
});

test('Node, CommonJS: require(cloudgate) and require(cloudgate/edge)', async () => {
  const dir = await project('node-cjs', { type: 'commonjs' });
  assertDecided(await node(dir, ['main.cjs']), 'full', 'cloudgate');
  assertDecided(await node(dir, ['main.cjs', 'edge']), 'edge', 'cloudgate/edge');
});

test('TypeScript under strict (7.0 and 5.9; Node16 and Bundler resolution): the request typed, a wrong field a compile error', async () => {
  const dir = await project('typescript');
  const literal = fs.readFileSync(REQUEST, 'utf8').trim();
  for (const f of ['main.mts', 'main.cts']) {
    const file = path.join(dir, f);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('= __REQUEST__;', () => `= ${literal};`));
  }
  const compilers = { 'TypeScript 7': bin(TOOLS, 'tsc'), 'TypeScript 5.9': bin(JS, 'tsc') };
  for (const [name, tsc] of Object.entries(compilers)) {
    for (const config of ['tsconfig.json', 'tsconfig.bundler.json']) {
      try {
        await run(tsc, ['-p', config], { cwd: dir, timeout: 120_000 });
      } catch (error) {
        assert.fail(`${name}, ${config}:\n${error.stdout}${error.stderr}`);
      }
    }
  }
  // Each @ts-expect-error is needed (tsc fails on one that is not): the wrong requests do not compile.
  const mts = fs.readFileSync(path.join(dir, 'main.mts'), 'utf8');
  fs.writeFileSync(path.join(dir, 'wrong.mts'), mts.replaceAll('// @ts-expect-error', '//'));
  fs.writeFileSync(path.join(dir, 'tsconfig.wrong.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true }, files: ['wrong.mts'] }));
  const wrong = await run(bin(TOOLS, 'tsc'), ['-p', 'tsconfig.wrong.json'], { cwd: dir }).then(
    () => '',
    (error) => error.stdout,
  );
  assert.match(wrong, /wrong\.mts\(\d+,\d+\): error TS\d+:[^\n]*renewal/, wrong);
  assert.match(wrong, /wrong\.mts\(\d+,\d+\): error TS\d+:[^\n]*efective_date/, wrong);
  assert.match(wrong, /wrong\.mts\(\d+,\d+\): error TS2322:[^\n]*number[^\n]*string/, wrong);
  assert.equal(wrong.match(/error TS/g).length, 3, wrong);
  assertDecided(await node(dir, ['out/main.mjs']), 'full', 'main.mts, compiled');
  assertDecided(await node(dir, ['out/main.cjs']), 'full', 'main.cts, compiled (require)');
});

test('Vite: vite build, no configuration, in Chromium (and the dev server)', async () => {
  const dir = await project('vite');
  await run(process.execPath, [bin(TOOLS, 'vite'), 'build', '--logLevel', 'warn'], { cwd: dir, timeout: 180_000 });
  const assets = fs.readdirSync(path.join(dir, 'dist', 'assets'));
  assert.ok(assets.some((f) => /^cloudgate_bg-.*\.wasm$/.test(f)) && assets.some((f) => /^cloudgate_edge_bg-.*\.wasm$/.test(f)), `vite emitted ${assets}`);
  const site = await serve(path.join(dir, 'dist'));
  try {
    assertDecided(await inChromium(`${site.url}/#full`), 'full', 'vite build, cloudgate');
    assertDecided(await inChromium(`${site.url}/#edge`), 'edge', 'vite build, cloudgate/edge');
  } finally {
    await site.close();
  }
  // `vite` (development: dependencies pre-bundled, served from node_modules/.vite).
  const port = await freePort();
  const dev = spawn(process.execPath, [bin(TOOLS, 'vite'), '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  dev.stdout.on('data', (d) => (log += d));
  dev.stderr.on('data', (d) => (log += d));
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, dev, () => log);
    assertDecided(await inChromium(`http://127.0.0.1:${port}/#full`), 'full', 'vite dev, cloudgate');
    assertDecided(await inChromium(`http://127.0.0.1:${port}/#edge`), 'edge', 'vite dev, cloudgate/edge');
  } finally {
    dev.kill('SIGTERM');
  }
});

async function waitForHttp(url, child, log) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited (${child.exitCode}):\n${log()}`);
    try {
      await fetch(url);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url}: nothing listens after 60 s:\n${log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

test('webpack 5: webpack --mode production, no configuration file, in Chromium (and a web worker: the worker condition)', async () => {
  const dir = await project('webpack');
  const webpack = bin(TOOLS, 'webpack');
  await run(process.execPath, [webpack, '--mode', 'production', '--stats', 'errors-only'], { cwd: dir, timeout: 180_000 });
  await run(process.execPath, [webpack, '--mode', 'production', '--target', 'webworker', '--entry', './src/worker.js', '--output-path', 'dist/worker', '--stats', 'errors-only'], { cwd: dir, timeout: 180_000 });
  for (const f of ['index.html', 'worker.html']) fs.copyFileSync(path.join(dir, f), path.join(dir, 'dist', f));
  const site = await serve(path.join(dir, 'dist'));
  try {
    assertDecided(await inChromium(`${site.url}/#full`), 'full', 'webpack, cloudgate');
    assertDecided(await inChromium(`${site.url}/#edge`), 'edge', 'webpack, cloudgate/edge');
    assertDecided(await inChromium(`${site.url}/worker.html`), 'full', 'webpack --target webworker, cloudgate');
  } finally {
    await site.close();
  }
});

test('esbuild: a browser bundle (--loader:.wasm=file, the .wasm URL passed to createEngine) in Chromium', async () => {
  const dir = await project('esbuild');
  await run(bin(TOOLS, 'esbuild'), ['src/main.js', '--bundle', '--format=esm', '--outdir=dist', '--loader:.wasm=file', '--log-level=warning'], { cwd: dir, timeout: 120_000 });
  fs.copyFileSync(path.join(dir, 'index.html'), path.join(dir, 'dist', 'index.html'));
  const site = await serve(path.join(dir, 'dist'));
  try {
    assertDecided(await inChromium(`${site.url}/#full`), 'full', 'esbuild, cloudgate');
    assertDecided(await inChromium(`${site.url}/#edge`), 'edge', 'esbuild, cloudgate/edge');
  } finally {
    await site.close();
  }
});

test('Deno: the package from node_modules, no network', async () => {
  const dir = await project('deno');
  // An empty DENO_DIR: nothing comes from a cache of earlier runs, and there is no remote module.
  const env = { DENO_DIR: path.join(dir, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
  const deno = bin(JS, 'deno');
  const args = ['run', '--no-prompt', '--no-remote', '--allow-read=.', 'main.js'];
  assertDecided(await node(dir, args, { bin: deno, env }), 'full', 'cloudgate');
  assertDecided(await node(dir, [...args, 'edge'], { bin: deno, env }), 'edge', 'cloudgate/edge');
});

test('Bun: bun add of the tarball, then import and require', async () => {
  const dir = await project('bun', { install: 'bun' });
  const bun = bin(TOOLS, 'bun');
  const env = { BUN_INSTALL_CACHE_DIR: path.join(dir, '.bun-cache'), DO_NOT_TRACK: '1' };
  await run(bun, ['add', tarball], { cwd: dir, env: { ...process.env, ...env }, timeout: 120_000 });
  assertInstalledFromTarball(dir);
  assertDecided(await node(dir, ['main.mjs'], { bin: bun, env }), 'full', 'import cloudgate');
  assertDecided(await node(dir, ['main.mjs', 'edge'], { bin: bun, env }), 'edge', 'import cloudgate/edge');
  assertDecided(await node(dir, ['main.cjs'], { bin: bun, env }), 'full', 'require cloudgate');
  assertDecided(await node(dir, ['main.cjs', 'edge'], { bin: bun, env }), 'edge', 'require cloudgate/edge');
});

/**
 * Bundles `entry` as Wrangler does (esbuild, conditions workerd, worker, browser; each imported
 * .wasm kept as a module of its own, uploaded as a compiled module): returns the modules.
 */
async function bundleLikeWrangler(dir, entry) {
  const esbuild = createRequire(path.join(TOOLS, 'package.json'))('esbuild');
  const wasm = [];
  const compiledWasm = {
    name: 'compiled-wasm',
    setup(build) {
      build.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => {
        const file = path.resolve(args.resolveDir, args.path.replace(/\?module$/, ''));
        wasm.push(file);
        return { path: `./${path.basename(file)}`, external: true };
      });
    },
  };
  const out = await esbuild.build({
    entryPoints: [path.join(dir, entry)],
    bundle: true,
    format: 'esm',
    write: false,
    outfile: path.join(dir, 'dist', entry),
    conditions: ['workerd', 'worker', 'browser'],
    plugins: [compiledWasm],
    logLevel: 'error',
  });
  assert.equal(out.outputFiles.length, 1);
  return { code: out.outputFiles[0].text, wasm };
}

test('workerd (Cloudflare Workers): the Worker bundled as Wrangler does, the .wasm a compiled module', async () => {
  const dir = await project('workerd');
  const dist = path.join(dir, 'dist');
  fs.mkdirSync(dist);
  const workers = [];
  for (const [name, entry] of [['full', 'worker.js'], ['edge', 'worker-edge.js']]) {
    const { code, wasm } = await bundleLikeWrangler(dir, entry);
    assert.equal(wasm.length, 1, `${entry} imports ${wasm}`);
    fs.writeFileSync(path.join(dist, entry), code);
    fs.copyFileSync(wasm[0], path.join(dist, path.basename(wasm[0])));
    workers.push({ name, entry, wasm: path.basename(wasm[0]), port: await freePort() });
  }
  fs.writeFileSync(
    path.join(dist, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ ${workers.map((w) => `(name = "${w.name}", worker = .${w.name})`).join(', ')} ],
  sockets = [ ${workers.map((w) => `(name = "${w.name}", address = "127.0.0.1:${w.port}", http = (), service = "${w.name}")`).join(', ')} ],
);
${workers
  .map(
    (w) => `const ${w.name} :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "${w.entry}"), (name = "${w.wasm}", wasm = embed "${w.wasm}") ],
  compatibilityDate = "2025-01-01",
);`,
  )
  .join('\n')}
`,
  );
  const server = spawn(bin(JS, 'workerd'), ['serve', 'config.capnp'], { cwd: dist, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  try {
    for (const w of workers) {
      const url = `http://127.0.0.1:${w.port}/`;
      await waitForHttp(url, server, () => log);
      const response = await fetch(url, { method: 'POST', body: fs.readFileSync(REQUEST, 'utf8') });
      assert.equal(response.status, 200, `${w.entry}: ${await response.clone().text()}\n${log}`);
      assertDecided(await response.json(), w.name, w.entry === 'worker.js' ? 'cloudgate' : 'cloudgate/edge');
    }
  } finally {
    server.kill('SIGTERM');
  }
});

/**
 * Bundles a route as Next.js does for its edge runtime (conditions edge-light, worker, browser;
 * an import of `x.wasm?module` becomes the global binding `wasm_<sha1 of x.wasm>`, Next's
 * next-middleware-wasm-loader) and runs it in the `edge-runtime` package's sandbox as Next's
 * does (the bindings compiled in Node's realm), here with wasm code generation switched off as on
 * Vercel: only a module bound by the bundler can be instantiated.
 */
async function runOnEdgeRuntime(dir, entry, body) {
  const require = createRequire(path.join(TOOLS, 'package.json'));
  const esbuild = require('esbuild');
  const { EdgeRuntime } = require('edge-runtime');
  const bindings = {};
  const nextWasm = {
    name: 'next-middleware-wasm',
    setup(build) {
      build.onResolve({ filter: /\.wasm\?module$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.replace(/\?module$/, '')), namespace: 'wasm-binding' }));
      build.onLoad({ filter: /.*/, namespace: 'wasm-binding' }, (args) => {
        const name = `wasm_${crypto.createHash('sha1').update(fs.readFileSync(args.path)).digest('hex')}`;
        bindings[name] = args.path;
        return { contents: `export default globalThis.${name};`, loader: 'js' };
      });
    },
  };
  const out = await esbuild.build({
    stdin: { contents: `import { POST } from './${entry}';\nglobalThis.__handler = POST;\n`, resolveDir: dir, loader: 'js' },
    bundle: true,
    format: 'iife',
    write: false,
    conditions: ['edge-light', 'worker', 'browser'],
    plugins: [nextWasm],
    logLevel: 'error',
  });
  const modules = {};
  for (const [name, file] of Object.entries(bindings)) modules[name] = await WebAssembly.compile(fs.readFileSync(file));
  const runtime = new EdgeRuntime({ codeGeneration: { strings: false, wasm: false }, extend: (context) => Object.assign(context, modules) });
  runtime.evaluate(out.outputFiles[0].text);
  const response = await runtime.evaluate(`__handler(new Request('http://localhost/api/decide', { method: 'POST', body: ${JSON.stringify(body)} }))`);
  return { status: response.status, result: JSON.parse(await response.text()), bindings: Object.values(bindings).map((f) => path.basename(f)) };
}

test('Vercel Edge (edge-light condition): bundled as Next.js does, run in the edge-runtime sandbox', async () => {
  const dir = await project('edge-light');
  const body = fs.readFileSync(REQUEST, 'utf8');
  for (const [module, entry, wasm] of [['full', 'route.js', 'cloudgate_bg.wasm'], ['edge', 'route-edge.js', 'cloudgate_edge_bg.wasm']]) {
    const { status, result, bindings } = await runOnEdgeRuntime(dir, entry, body);
    assert.deepEqual(bindings, [wasm], entry);
    assert.equal(status, 200, JSON.stringify(result));
    assertDecided(result, module, entry);
  }
});
