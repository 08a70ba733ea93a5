// The edge module (pkg/cloudgate_edge_bg.wasm: the default pack's precompiled rules, no Rhai
// interpreter) through the package's `cloudgate/edge` entry for Node (node-edge.js): the same
// decisions as the native CLI (the full engine) over every case, every shared example and
// generated requests of all four scenarios, compared whole but for `stats.micros`; what it cannot
// run is refused or fails closed, never allowed.
// This file's realm loads only the edge module, so every engine here runs on it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { createEngine } from '../node-edge.js';
import { AS_OF, CLI, JS, allCases, comparable, enginesByParams, examplesDir, nativeDecisions } from './helpers.mjs';

const engineFor = enginesByParams(createEngine);

/** What differs between the edge module's decisions and the native CLI's, one line per item. */
async function sameAsNative(items) {
  const native = nativeDecisions(items);
  const problems = [];
  for (const [i, item] of items.entries()) {
    const edge = (await engineFor(item.params)).evaluate(item.text, item.asOf ? { asOf: item.asOf } : undefined);
    try {
      assert.deepEqual(comparable(edge), comparable(native[i]));
    } catch {
      problems.push(`${item.label}: edge ${JSON.stringify(comparable(edge)).slice(0, 300)}\n  native ${JSON.stringify(comparable(native[i])).slice(0, 300)}`);
    }
  }
  return problems;
}

test('the edge module is the smaller one', () => {
  const edge = fs.statSync(path.join(JS, 'pkg', 'cloudgate_edge_bg.wasm')).size;
  const full = fs.statSync(path.join(JS, 'pkg', 'cloudgate_bg.wasm')).size;
  assert.ok(edge < full * 0.7, `edge ${edge} bytes vs full ${full}`);
});

test('every case in rules/tests and tests/cases: edge = native CLI', async () => {
  const cases = allCases().map((c) => ({ ...c, label: `${c.file} :: ${c.name}` }));
  assert.ok(cases.length > 400, `only ${cases.length} cases found`);
  const problems = await sameAsNative(cases);
  assert.deepEqual(problems, [], `${problems.length} of ${cases.length} cases differ:\n${problems.join('\n')}`);
});

test('every shared example and 2,000 generated requests: edge = native CLI', async () => {
  const items = [];
  const examples = examplesDir();
  if (examples) {
    for (const f of fs.readdirSync(examples).filter((f) => f.endsWith('.json') && f !== 'expected.json').sort()) {
      items.push({ label: f, text: fs.readFileSync(path.join(examples, f), 'utf8'), asOf: AS_OF });
    }
  }
  const generated = execFileSync(CLI, ['generate', '--count', '2000', '--seed', '7'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  generated
    .split('\n')
    .filter((line) => line.trim())
    .forEach((text, i) => items.push({ label: `generated #${i}`, text, asOf: AS_OF }));
  assert.ok(items.length >= 2000);
  const problems = await sameAsNative(items);
  assert.deepEqual(problems, [], `${problems.length} of ${items.length} requests differ:\n${problems.slice(0, 10).join('\n')}`);
});

test('a custom rule is refused by name (strict), or an error finding (lenient)', async () => {
  const custom = { 'custom/X-001.rhai': '//! id: X-001\n//! title: t\n//! severity: deny\n//! scenarios: termination\npass()\n' };
  await assert.rejects(createEngine({ rules: custom }), (error) => {
    assert.deepEqual(error.diagnostics.map((d) => [d.code, d.rule]), [['not_precompiled', 'X-001']]);
    assert.match(error.diagnostics[0].message, /full module/);
    return true;
  });
  const lenient = await createEngine({ rules: custom, lenient: true });
  const request = fs.readFileSync(path.join(JS, '..', 'examples', 'requests', 'termination-allow.json'), 'utf8');
  const decision = lenient.evaluate(request, { asOf: AS_OF });
  const finding = decision.findings.find((f) => f.rule === 'X-001');
  assert.equal(finding.outcome, 'error');
  assert.notEqual(decision.decision, 'allow');
});

test('a rule that fails at run time is the same error finding as in the full module', async () => {
  // A fee of 1e300 overflows TRM-012's to_int: both modules run the same evaluator and report
  // the same error, never `allow`.
  const engine = await engineFor();
  const request = JSON.parse(fs.readFileSync(path.join(JS, '..', 'examples', 'requests', 'termination-allow.json'), 'utf8'));
  request.agreement.early_termination_fee = { amount: 1e300 };
  const decision = engine.evaluate(request, { asOf: AS_OF });
  const finding = decision.findings.find((f) => f.rule === 'TRM-012');
  assert.equal(finding.outcome, 'error');
  assert.equal(finding.message, 'Integer overflow: 1e300 cannot be an integer');
  assert.equal(decision.decision, 'error');
  const [native] = nativeDecisions([{ text: JSON.stringify(request), asOf: AS_OF }]);
  assert.equal(native.decision, 'error');
  assert.deepEqual(native.findings.find((f) => f.rule === 'TRM-012').message, finding.message);
});

test('a budget the edge module reaches reads as the full module reports it', async () => {
  // The same evaluator as the full module's: the operation budget is reported in the same words
  // (api.test.mjs), and the decision fails closed.
  const tight = await createEngine({ limits: { max_operations: 3 } });
  const request = fs.readFileSync(path.join(JS, '..', 'examples', 'requests', 'termination-allow.json'), 'utf8');
  const decision = tight.evaluate(request, { asOf: AS_OF });
  const stopped = decision.findings.filter((f) => f.outcome === 'error');
  assert.ok(stopped.length > 0, 'some rule needs more than 3 operations');
  for (const f of stopped) assert.equal(f.message, 'the rule was stopped after 3 operations (a runaway loop?)', f.rule);
  assert.equal(decision.decision, 'error');
  tight.free();
});
