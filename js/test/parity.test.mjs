// Parity: every case of the project's case files and every shared example gives the same
// decision through the wasm module as through the native CLI (compared whole, except the
// wall-clock `stats.micros`), and the case files' own expectations hold.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { createEngine } from '../node.js';
import { AS_OF, allCases, comparable, enginesByParams, examplesDir, failing, nativeDecisions, readJson } from './helpers.mjs';

const engineFor = enginesByParams(createEngine);

test('every case in rules/tests and tests/cases: wasm = native CLI', async () => {
  const cases = allCases();
  assert.ok(cases.length > 400, `only ${cases.length} cases found`);
  const native = nativeDecisions(cases);
  const problems = [];
  for (const [i, c] of cases.entries()) {
    const engine = await engineFor(c.params);
    const wasm = engine.evaluate(c.text, c.asOf ? { asOf: c.asOf } : undefined);
    const label = `${c.file} :: ${c.name}`;
    // The object (built from the engine's lean text) is the text API's decision, key for key.
    const zero = (t) => t.replace(/"micros":\d+/, '"micros":0');
    const text = engine.evaluateJson(c.text, c.asOf ? { asOf: c.asOf } : undefined);
    if (zero(JSON.stringify(wasm)) !== zero(text)) problems.push(`${label}: the object differs from evaluateJson's text`);
    try {
      assert.deepEqual(comparable(wasm), comparable(native[i]));
    } catch {
      problems.push(`${label}: wasm ${wasm.decision} ${JSON.stringify(failing(wasm))} vs native ${native[i].decision} ${JSON.stringify(failing(native[i]))}\n  ${JSON.stringify(comparable(wasm)).slice(0, 400)}\n  ${JSON.stringify(comparable(native[i])).slice(0, 400)}`);
      continue;
    }
    // The expansion above is a port of src/cases.rs; the cases' expectations prove it faithful.
    const want = c.expect;
    if (want.decision && wasm.decision !== want.decision) problems.push(`${label}: decision ${wasm.decision}, expected ${want.decision}`);
    if (want.failing && JSON.stringify(failing(wasm)) !== JSON.stringify([...want.failing].sort())) {
      problems.push(`${label}: failing ${JSON.stringify(failing(wasm))}, expected ${JSON.stringify([...want.failing].sort())}`);
    }
    if (want.errors && JSON.stringify((wasm.errors ?? []).map((e) => e.code)) !== JSON.stringify(want.errors)) {
      problems.push(`${label}: errors ${JSON.stringify((wasm.errors ?? []).map((e) => e.code))}, expected ${JSON.stringify(want.errors)}`);
    }
  }
  assert.deepEqual(problems, [], `${problems.length} of ${cases.length} cases differ:\n${problems.join('\n')}`);
});

const examples = examplesDir();
test('every shared example: wasm = native CLI = expected.json', { skip: examples ? false : 'no ../shared/examples' }, async () => {
  const expected = readJson(path.join(examples, 'expected.json'));
  const files = fs.readdirSync(examples).filter((f) => f.endsWith('.json') && f !== 'expected.json').sort();
  assert.ok(files.length > 0);
  const items = files.map((f) => ({ text: fs.readFileSync(path.join(examples, f), 'utf8'), asOf: AS_OF }));
  const native = nativeDecisions(items);
  const engine = await engineFor({});
  for (const [i, f] of files.entries()) {
    const wasm = engine.evaluate(items[i].text, { asOf: AS_OF });
    assert.deepEqual(comparable(wasm), comparable(native[i]), f);
    // And as an object rather than text: the same decision.
    assert.deepEqual(comparable(engine.evaluate(JSON.parse(items[i].text), { asOf: AS_OF })), comparable(wasm), `${f} (object)`);
    if (expected[f]) {
      assert.equal(wasm.decision, expected[f].decision, f);
      assert.deepEqual(failing(wasm), [...expected[f].failing].sort(), f);
    }
  }
});
