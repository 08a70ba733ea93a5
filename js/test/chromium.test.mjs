// Chromium (Debian's, driven by playwright-core): a page imports the package from a static
// server on 127.0.0.1 and decides requests; the decisions equal Node's.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';

import { createEngine } from '../node.js';
import { AS_OF, JS, REPO, comparable, examplesDir } from './helpers.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.wasm': 'application/wasm' };
let server;
let browser;
let page;
const pageErrors = [];

before(async () => {
  // The package folder is the site root; the test page is served at /.
  server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const rel = url.pathname === '/' ? 'test/browser/index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
    const file = path.resolve(JS, rel);
    if (!file.startsWith(JS + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.cloudgate || window.cloudgateError, null, { timeout: 60_000 });
  const failure = await page.evaluate(() => window.cloudgateError);
  assert.equal(failure, undefined, `the page failed to load the package: ${failure}`);
});

after(async () => {
  await browser?.close();
  server?.close();
});

function requests() {
  const examples = examplesDir();
  const files = examples
    ? fs.readdirSync(examples).filter((f) => /-(allow|deny)\.json$/.test(f)).map((f) => path.join(examples, f))
    : ['termination', 'removal'].map((s) => path.join(REPO, 'rules', 'tests', 'base', `${s}.json`));
  return files.map((f) => [path.basename(f), fs.readFileSync(f, 'utf8')]);
}

test('a page imports the package and decides requests as Node does', async () => {
  const node = await createEngine();
  const texts = requests();
  const got = await page.evaluate(
    ({ texts, asOf }) => texts.map(([name, text]) => [name, window.cloudgate.engine.evaluate(JSON.parse(text), { asOf })]),
    { texts, asOf: AS_OF },
  );
  assert.equal(got.length, texts.length);
  for (const [i, [name, decision]] of got.entries()) {
    assert.deepEqual(comparable(decision), comparable(node.evaluate(texts[i][1], { asOf: AS_OF })), name);
  }
  const status = await page.textContent('#status');
  assert.equal(status, `ready: ${node.pack.name} ${node.pack.version}`);
});

test('the universal entry, hostile input and a trap in the page', async () => {
  const [[, text]] = requests();
  const result = await page.evaluate(async ({ text, asOf }) => {
    const { universal, engine, _internals } = window.cloudgate;
    const other = await universal.createEngine({ params: { max_identity_age_days: 180 } });
    let deep = {};
    const top = deep;
    for (let i = 0; i < 50000; i++) deep = deep.a = {};
    const trapped = _internals.trap();
    return {
      sameDigest: other.pack.digest === engine.pack.digest,
      decision: other.evaluate(text, { asOf }).decision,
      deep: engine.evaluate(top).errors.map((e) => e.code),
      surrogate: engine.evaluate('{"request_id":"\ud800"}').errors.map((e) => e.code),
      trapped,
      generation: _internals.generation(),
      afterTrap: engine.evaluate(text, { asOf }).decision,
      misuse: (() => {
        try {
          engine.evaluate(42);
          return 'no throw';
        } catch (e) {
          return e instanceof Error ? e.message : 'not an Error';
        }
      })(),
    };
  }, { text, asOf: AS_OF });
  const node = await createEngine();
  const want = node.evaluate(text, { asOf: AS_OF }).decision;
  assert.deepEqual(result, {
    sameDigest: false,
    decision: (await createEngine({ params: { max_identity_age_days: 180 } })).evaluate(text, { asOf: AS_OF }).decision,
    deep: ['too_deep'],
    surrogate: ['invalid_string'],
    trapped: true,
    generation: 1,
    afterTrap: want,
    misuse: 'evaluate(request): request must be an object or a JSON string, got number 42',
  });
  assert.deepEqual(pageErrors, []);
});
