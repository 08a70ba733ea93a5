// The authoring API in Node: `engine.runTests` (the pack's case files, with coverage) against
// the native `cloudgate test --coverage`, and `hostFunctions()`, the engine's function table.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import { createEngine, hostFunctions } from '../node.js';
import { CLI, REPO } from './helpers.mjs';

/** The default pack's case files as runTests takes them: `{ "tests/<path>": text }`. */
function packTests() {
  const root = path.join(REPO, 'rules', 'tests');
  const files = {};
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.json')) files[`tests/${path.relative(root, full).split(path.sep).join('/')}`] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}

/** lcov records as `{ file: { DA: {line: hits}, BRDA: [[line, block, arm, hits]] } }`. */
function parseLcov(text) {
  const out = {};
  let current = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('SF:')) out[line.slice(3)] = current = { DA: {}, BRDA: [] };
    else if (line.startsWith('DA:')) {
      const [l, n] = line.slice(3).split(',').map(Number);
      current.DA[l] = n;
    } else if (line.startsWith('BRDA:')) current.BRDA.push(line.slice(5).split(',').map(Number));
  }
  return out;
}

const engine = await createEngine();
const FILES = packTests();

test('runTests runs the pack cases as the CLI does, and its coverage is the CLI\'s lcov', () => {
  const run = engine.runTests(FILES, { coverage: true });
  assert.equal(run.failed, 0, run.cases.filter((c) => !c.passed).map((c) => `${c.file} :: ${c.name}: ${c.problems}`).join('\n'));
  assert.equal(run.passed, run.cases.length);
  assert.deepEqual(run.pack, engine.pack);
  // The CLI reads the same files from disk (its embedded copy may predate an edit).
  const rules = path.join(REPO, 'rules');
  const summary = execFileSync(CLI, ['test', '--rules', rules], { encoding: 'utf8' });
  assert.match(summary, new RegExp(`: ${run.cases.length} cases over ${engine.rules().length} rules`));

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudgate-lcov-'));
  try {
    execFileSync(CLI, ['test', '--rules', rules, '--coverage', '--lcov', path.join(dir, 'lcov.info')], { encoding: 'utf8' });
    const lcov = parseLcov(fs.readFileSync(path.join(dir, 'lcov.info'), 'utf8'));
    assert.deepEqual(Object.keys(run.coverage).sort(), engine.rules().map((r) => r.id).sort());
    for (const [id, rule] of Object.entries(run.coverage)) {
      const native = lcov[`${rules}/${rule.file}`];
      assert.ok(native, `${id}: no lcov record for ${rules}/${rule.file}`);
      assert.deepEqual(Object.fromEntries(Object.entries(rule.lines).map(([l, n]) => [l, n])), Object.fromEntries(Object.entries(native.DA).map(([l, n]) => [l, n])), id);
      const arms = rule.branches.flatMap((b, block) => b.taken.map((n, arm) => [b.line, block, arm, n]));
      assert.deepEqual(arms, native.BRDA, id);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a failing case says what was expected and what the engine decided', () => {
  const run = engine.runTests({
    'tests/base/termination.json': FILES['tests/base/termination.json'],
    'tests/TRM-002.json': JSON.stringify({
      base: 'termination',
      as_of: '2026-09-02',
      cases: [
        { name: 'allowed as given', expect: { decision: 'allow', failing: [] } },
        { name: 'wrongly expects TRM-002 to fail', expect: { decision: 'deny', failing: ['TRM-002'], outcomes: { 'TRM-002': 'fail' } } },
      ],
    }),
  });
  assert.equal(run.passed, 1);
  assert.equal(run.failed, 1);
  const [ok, bad] = run.cases;
  assert.deepEqual(
    { file: ok.file, name: ok.name, rule: ok.rule, passed: ok.passed, problems: ok.problems, expected: ok.expected },
    { file: 'tests/TRM-002.json', name: 'allowed as given', rule: 'TRM-002', passed: true, problems: [], expected: { decision: 'allow', failing: [] } },
  );
  assert.equal(bad.passed, false);
  assert.deepEqual(bad.expected, { decision: 'deny', failing: ['TRM-002'], outcomes: { 'TRM-002': 'fail' } });
  assert.equal(bad.actual.decision, 'allow');
  assert.deepEqual(bad.actual.failing, []);
  assert.equal(bad.actual.outcomes['TRM-002'], 'pass');
  assert.equal(bad.problems.length, 3, bad.problems.join('\n'));
  assert.match(bad.problems[0], /^decision is allow but deny was expected/);
  assert.equal(run.coverage, undefined);
});

test('runTests refuses what is not case files, with the file named', () => {
  assert.throws(() => engine.runTests('tests/x.json'), /files must be an object/);
  assert.throws(() => engine.runTests({ 'tests/x.json': 3 }), /files\['tests\/x.json'\] must be the file's text/);
  assert.throws(() => engine.runTests({ 'tests/x.json': '{"cases": 1}' }), /tests\/x.json/);
});

test('hostFunctions is the engine\'s table: every name a rule can call, with its signature and doc', () => {
  const table = hostFunctions();
  assert.deepEqual(table.find((f) => f.name === 'need'), {
    name: 'need',
    kind: 'function',
    arities: [2, 3],
    signature: 'need(value, path[, prefix])',
    doc: 'the value at `path`; when it is missing or null the rule fails naming the path (with `prefix.` before it)',
    mutates: false,
  });
  assert.equal(table.find((f) => f.name === 'push').kind, 'method');
  assert.equal(table.find((f) => f.name === 'push').mutates, true);
  // (tests/rule_language.rs holds docs/rule-language.md to the same table.)
  for (const f of table) {
    assert.ok(['function', 'method'].includes(f.kind), f.name);
    assert.ok(f.signature.length > 0 && f.doc.length > 0 && f.arities.length > 0, f.name);
  }
});
