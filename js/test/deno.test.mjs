// Deno (from npm): the package imported, requests decided; the same decisions as in Node.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { createEngine } from '../node.js';
import { AS_OF, JS, REPO, comparable, examplesDir } from './helpers.mjs';

const DENO = path.join(JS, 'node_modules', '.bin', 'deno');

test('Deno imports the package and decides requests as Node does', async () => {
  const examples = examplesDir();
  const files = examples
    ? fs.readdirSync(examples).filter((f) => /-(allow|deny)\.json$/.test(f)).map((f) => path.join(examples, f))
    : ['termination', 'removal'].map((s) => path.join(REPO, 'rules', 'tests', 'base', `${s}.json`));
  const readable = [JS, ...new Set(files.map((f) => path.dirname(f)))].join(',');
  const stdout = execFileSync(
    DENO,
    ['run', '--no-prompt', '--no-lock', '--no-npm', '--no-remote', `--allow-read=${readable}`,
      '--import-map', path.join(JS, 'test', 'deno', 'import_map.json'), path.join(JS, 'test', 'deno', 'smoke.js'), AS_OF, ...files],
    { encoding: 'utf8', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' }, timeout: 120_000 },
  );
  const report = JSON.parse(stdout);
  assert.match(report.deno, /^\d+\.\d+/);
  const node = await createEngine();
  const tuned = await createEngine({ params: { max_identity_age_days: 180 } });
  assert.deepEqual(report.pack, node.pack);
  assert.deepEqual(report.universalPack, tuned.pack);
  assert.equal(report.results.length, files.length + 1);
  for (const r of report.results.slice(0, -1)) {
    const text = fs.readFileSync(r.file, 'utf8');
    const want = comparable(node.evaluate(text, { asOf: AS_OF }));
    assert.deepEqual(comparable(r.decision), want, r.file);
    assert.deepEqual(comparable(r.object), want, r.file);
    assert.deepEqual(comparable(r.universal), comparable(tuned.evaluate(text, { asOf: AS_OF })), r.file);
  }
  const malformed = report.results.at(-1).decision;
  assert.equal(malformed.decision, 'error');
  assert.deepEqual(malformed.errors.map((e) => e.code), ['truncated']);
});
