// Cloudflare Workers: examples/edge/worker.js in workerd (the Workers runtime, from npm) on
// 127.0.0.1, called over HTTP: on the edge module (`cloudgate/edge`), and the same worker on the
// full module (js/workerd.js).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { AS_OF, JS, REPO, examplesDir, failing, readJson } from './helpers.mjs';

const WORKERD = path.join(JS, 'node_modules', '.bin', 'workerd');
let server;
let base;
let baseFull;
let log = '';
let dir;

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

before(async () => {
  const port = await freePort();
  const portFull = await freePort();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudgate-workerd-'));
  const config = path.join(dir, 'config.capnp');
  const template = fs.readFileSync(path.join(REPO, 'examples', 'edge', 'workerd.capnp.template'), 'utf8');
  fs.writeFileSync(config, template.replaceAll('@ROOT@', path.relative(dir, REPO)).replaceAll('@PORT@', String(port)).replaceAll('@PORT_FULL@', String(portFull)));
  server = spawn(WORKERD, ['serve', config, '--verbose'], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  base = `http://127.0.0.1:${port}`;
  baseFull = `http://127.0.0.1:${portFull}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`workerd exited (${server.exitCode}):\n${log}`);
    try {
      await fetch(base, { method: 'GET' });
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`workerd did not listen on ${base} within 30 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

after(() => {
  server?.kill('SIGTERM');
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function post(body, query = `?as_of=${AS_OF}`, at = base) {
  const response = await fetch(`${at}/${query}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return { status: response.status, type: response.headers.get('content-type'), decision: await response.json() };
}

const examples = examplesDir();
const requests = examples
  ? Object.fromEntries(
      fs.readdirSync(examples).filter((f) => /-(allow|deny)\.json$/.test(f)).map((f) => [f, fs.readFileSync(path.join(examples, f), 'utf8')]),
    )
  : Object.fromEntries(['termination', 'removal'].map((s) => [`${s}-base.json`, fs.readFileSync(path.join(REPO, 'rules', 'tests', 'base', `${s}.json`), 'utf8')]));

test('allow and deny requests: 200 with the decision', async () => {
  const expected = examples ? readJson(path.join(examples, 'expected.json')) : {};
  assert.ok(Object.keys(requests).length >= 2);
  for (const [name, body] of Object.entries(requests)) {
    const { status, type, decision } = await post(body);
    assert.equal(status, 200, `${name}: ${JSON.stringify(decision)}\n${log}`);
    assert.equal(type, 'application/json; charset=utf-8');
    if (expected[name]) {
      assert.equal(decision.decision, expected[name].decision, name);
      assert.deepEqual(failing(decision), [...expected[name].failing].sort(), name);
    } else {
      assert.equal(decision.decision, 'allow', name);
    }
    assert.equal(decision.request_id, JSON.parse(body).request_id);
    assert.match(decision.pack.digest, /^sha256:/);
  }
});

test('malformed bodies: 400 with an error decision', async () => {
  for (const [body, code] of [
    ['{"request_id": "R1", "scenario": "termi', 'truncated'],
    ['scenario=termination', 'not_json'],
    ['', 'empty_input'],
    ['{"request_id": "R1", "scenario": "renewal"}', 'unknown_scenario'],
  ]) {
    const { status, decision } = await post(body);
    assert.equal(status, 400, body);
    assert.equal(decision.decision, 'error', body);
    assert.deepEqual(decision.findings, [], body);
    assert.deepEqual(decision.errors.map((e) => e.code), [code], body);
  }
});

test('a bad as_of is a 400; other methods are 405', async () => {
  const [first] = Object.values(requests);
  const bad = await post(first, '?as_of=2026-02-30');
  assert.equal(bad.status, 400);
  assert.match(bad.decision.error, /asOf `2026-02-30`/);
  const get = await fetch(base);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
});

test('the same worker on the full module (js/workerd.js): the same decisions', async () => {
  for (const [name, body] of Object.entries(requests)) {
    const edge = await post(body);
    const full = await post(body, `?as_of=${AS_OF}`, baseFull);
    assert.equal(full.status, edge.status, name);
    delete edge.decision.stats.micros;
    delete full.decision.stats.micros;
    assert.deepEqual(full.decision, edge.decision, name);
  }
});
