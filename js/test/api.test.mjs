// The package API in Node: hostile input, runaway rules, traps, misuse, pack options.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { _internals } from '../core.js';
import { createEngine, version } from '../node.js';
import { execFileSync } from 'node:child_process';
import os from 'node:os';

import { AS_OF, CLI, REPO, bases, failing } from './helpers.mjs';

const BASES = bases();
const TERMINATION = JSON.stringify(BASES.termination);
const engine = await createEngine();
const baseline = engine.evaluate(TERMINATION, { asOf: AS_OF });
const RULES = engine.rules();

const rule = (id, body, severity = 'deny') =>
  `//! id: ${id}\n//! title: A test rule\n//! severity: ${severity}\n//! scenarios: all\n\n${body}\n`;
const erroring = (d) => d.findings.filter((f) => f.outcome === 'error').map((f) => f.rule);
const codes = (d) => (d.errors ?? []).map((e) => e.code);
/** The decision for a request refused before any rule ran (the engine's `Decision::rejected`). */
const refused = (errors) => ({
  request_id: null,
  scenario: null,
  as_of: null,
  decision: 'error',
  findings: [],
  pack: engine.pack,
  stats: { rules_evaluated: 0, operations: 0, micros: 0 },
  errors,
});

test('the base termination request is allowed (the reference for what follows)', () => {
  assert.equal(baseline.decision, 'allow');
  assert.deepEqual(failing(baseline), []);
  assert.equal(baseline.request_id, BASES.termination.request_id);
  assert.equal(baseline.findings.length, baseline.stats.rules_evaluated);
});

test('engine metadata: pack, rules, sources, diagnostics, limits, version', () => {
  const pack = JSON.parse(fs.readFileSync(path.join(REPO, 'rules', 'pack.json'), 'utf8'));
  assert.deepEqual(Object.keys(engine.pack), ['name', 'version', 'digest']);
  assert.equal(engine.pack.name, pack.name);
  assert.equal(engine.pack.version, pack.version);
  assert.match(engine.pack.digest, /^sha256:[0-9a-f]{64}$/);
  const rhai = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'tests') walk(p);
      else if (e.name.endsWith('.rhai')) rhai.push(path.relative(path.join(REPO, 'rules'), p).split(path.sep).join('/'));
    }
  };
  walk(path.join(REPO, 'rules'));
  const rules = engine.rules();
  assert.deepEqual(rules.map((r) => r.file).sort(), rhai.sort());
  for (const r of rules) {
    assert.deepEqual(Object.keys(r).filter((k) => k !== 'description'), ['id', 'title', 'severity', 'scenarios', 'actor', 'clauses', 'file'], r.id);
  }
  const sources = engine.sources();
  assert.deepEqual(Object.keys(sources).sort(), ['pack.json', ...rhai].sort());
  assert.equal(sources[rhai[0]], fs.readFileSync(path.join(REPO, 'rules', rhai[0]), 'utf8'));
  assert.deepEqual(engine.diagnostics(), []);
  assert.equal(engine.limits().max_operations, 1000000);
  assert.match(version(), /^\d+\.\d+\.\d+/);
});

test('hostile inputs give error decisions, never a throw', () => {
  const cases = [
    ['empty string', '', [{ code: 'empty_input', message: 'the request is empty: send one JSON object', path: '$' }]],
    ['whitespace', '  \n ', [{ code: 'empty_input', message: 'the request is empty: send one JSON object', path: '$' }]],
    ['not JSON', 'scenario=termination', ['not_json']],
    ['a JSON array', '[1, 2]', ['invalid_type']],
    ['a JSON number', '42', ['invalid_type']],
    ['50,000-deep arrays as text', '['.repeat(50000) + ']'.repeat(50000), ['too_deep']],
    ['50,000-deep objects as text', '{"a":'.repeat(50000) + '1' + '}'.repeat(50000), ['too_deep']],
    ['lone surrogate in text', `{"request_id": "R\ud800", "scenario": "removal", "removal": {}}`, [
      { code: 'invalid_string', message: 'the request is not valid JSON: it contains a lone UTF-16 surrogate (not well-formed Unicode)', path: '$' },
    ]],
    ['escaped lone surrogate', String.raw`{"request_id": "R\ud800", "scenario": "removal", "removal": {}}`, ['invalid_string']],
    ['2 MB of text', ' '.repeat(2 << 20) + '{}', [{ code: 'too_large', message: `the request is ${(2 << 20) + 2} bytes; the limit is 1048576 bytes`, path: '$' }]],
  ];
  for (const [name, input, want] of cases) {
    const d = engine.evaluate(input, { asOf: AS_OF });
    assert.equal(d.decision, 'error', name);
    assert.deepEqual(d.findings, [], name);
    if (typeof want[0] === 'string') assert.deepEqual(codes(d), want, name);
    else assert.deepEqual(d, refused(want), name);
  }
});

test('hostile objects give error decisions, never a throw', () => {
  let deep = {};
  const top = deep;
  for (let i = 0; i < 50000; i++) deep = deep.a = {};
  const cyclic = { request_id: 'R1', scenario: 'removal', removal: {} };
  cyclic.self = cyclic;
  const objects = [
    ['50,000-deep object', top, ['too_deep']],
    ['cyclic object', cyclic, ['not_json']],
    ['BigInt inside', { request_id: 'R1', scenario: 'removal', removal: { n: 1n } }, ['not_json']],
    ['huge array', { ...BASES.termination, data_assets: new Array(2_000_000).fill(0) }, ['too_large']],
    ['long array under the byte limit', { ...BASES.termination, data_assets: new Array(100_000).fill(0) }, ['too_many_items']],
    ['lone surrogate in a value', { ...BASES.removal, request_id: 'R\udc00' }, ['invalid_string']],
    ['an array', [BASES.removal], ['invalid_type']],
    ['toJSON giving undefined', { toJSON: () => undefined }, ['not_json']],
  ];
  for (const [name, input, want] of objects) {
    const d = engine.evaluate(input, { asOf: AS_OF });
    assert.equal(d.decision, 'error', name);
    assert.deepEqual(codes(d), want, name);
  }
  // And the engine is unharmed.
  assert.deepEqual(engine.evaluate(TERMINATION, { asOf: AS_OF }).findings, baseline.findings);
});

test('a runaway rule is an error finding, and the next evaluation is right', async () => {
  const runaway = await createEngine({ rules: { 'common/ZZZ-900.rhai': rule('ZZZ-900', 'loop { }') } });
  const d = runaway.evaluate(TERMINATION, { asOf: AS_OF });
  assert.equal(d.decision, 'error');
  assert.deepEqual(erroring(d), ['ZZZ-900']);
  assert.deepEqual(failing(d), []);
  const f = d.findings.find((x) => x.rule === 'ZZZ-900');
  assert.equal(f.message, 'the rule was stopped after 1000000 operations (a runaway loop?)');
  assert.deepEqual(f.position, { line: 6, column: 1 });
  // Every other rule decided as usual, and other engines are unaffected.
  assert.deepEqual(d.findings.filter((x) => x.rule !== 'ZZZ-900'), baseline.findings);
  assert.deepEqual(engine.evaluate(TERMINATION, { asOf: AS_OF }).findings, baseline.findings);
  assert.deepEqual(runaway.evaluate(TERMINATION, { asOf: AS_OF }).findings, d.findings);
  runaway.free();
});

test('a trapped instance is replaced transparently', async () => {
  const before = _internals.generation();
  assert.equal(_internals.trap(), true);
  assert.equal(_internals.generation(), before + 1);
  assert.deepEqual(engine.evaluate(TERMINATION, { asOf: AS_OF }).findings, baseline.findings);

  // A real trap: unbounded recursion overflows the wasm stack (limits raised on purpose).
  for (const [body, limits] of [
    ['fn f(n) { f(n + 1) } f(0)', { max_call_levels: 100000 }],
  ]) {
    const gen = _internals.generation();
    const bad = await createEngine({ rules: { 'common/ZZZ-901.rhai': rule('ZZZ-901', body) }, limits });
    const d = bad.evaluate(TERMINATION, { asOf: AS_OF });
    assert.equal(_internals.generation(), gen + 1, body);
    assert.equal(d.decision, 'error', body);
    assert.deepEqual(codes(d), ['engine_trap'], body);
    assert.deepEqual(d.findings, [], body);
    // Engines made before the trap re-create themselves in the new instance.
    assert.deepEqual(engine.evaluate(TERMINATION, { asOf: AS_OF }).findings, baseline.findings, body);
    assert.deepEqual(engine.rules(), RULES, body);
    bad.free();
  }
  // A value nested one level per iteration cannot trap: values nest 64 levels at most.
  const nested = await createEngine({ rules: { 'common/ZZZ-902.rhai': rule('ZZZ-902', 'let a = []; loop { a = [a]; }') } });
  const gen = _internals.generation();
  const n = nested.evaluate(TERMINATION, { asOf: AS_OF });
  assert.equal(_internals.generation(), gen);
  assert.equal(n.findings.find((f) => f.rule === 'ZZZ-902').message, 'the rule built a value nested too deeply (arrays or maps inside each other)');
  nested.free();
});

test('misuse throws an Error with a message', async () => {
  for (const bad of [42, undefined, null, true, () => 1, Symbol('x'), 10n]) {
    assert.throws(() => engine.evaluate(bad), (e) => e instanceof Error && /request must be an object or a JSON string/.test(e.message), String(bad));
  }
  assert.throws(() => engine.evaluate(TERMINATION, 'x'), /options must be an object/);
  assert.throws(() => engine.evaluate(TERMINATION, { asOf: 20260902 }), /asOf must be a 'YYYY-MM-DD' string/);
  assert.throws(() => engine.evaluate(TERMINATION, { asOf: '2026-13-45' }), (e) => e instanceof Error && /asOf `2026-13-45`/.test(e.message));
  await assert.rejects(createEngine(5), /options must be an object/);
  await assert.rejects(createEngine({ rulez: {} }), /unknown option `rulez`/);
  await assert.rejects(createEngine({ rules: { 'a.rhai': 5 } }), /must be the file's text/);
  await assert.rejects(createEngine({ lenient: 'yes' }), /lenient must be a boolean/);
  await assert.rejects(createEngine({ limits: { max_ops: 1 } }), /unknown limit `max_ops`/);
  await assert.rejects(createEngine({ limits: { input: { max_size: 1 } } }), /unknown limit `input.max_size`/);
  await assert.rejects(createEngine({ params: { max_identity_age: 1 } }), (e) => {
    assert.ok(e instanceof Error);
    assert.deepEqual(e.diagnostics.map((d) => d.code), ['unknown_param']);
    return true;
  });
  const freed = await createEngine();
  freed.free();
  freed.free();
  assert.throws(() => freed.evaluate(TERMINATION), /freed/);
});

test('engines without options share one compiled default pack: freeing one leaves the others deciding', async () => {
  const a = await createEngine();
  const b = await createEngine({});
  a.free();
  for (const e of [b, engine]) {
    const d = e.evaluate(TERMINATION, { asOf: AS_OF });
    assert.deepEqual([d.decision, d.findings, d.pack], [baseline.decision, baseline.findings, baseline.pack]);
  }
  b.free();
  const c = await createEngine();
  assert.deepEqual(c.evaluate(TERMINATION, { asOf: AS_OF }).findings, baseline.findings);
  assert.deepEqual(c.rules(), RULES);
  c.free();
});

test('packDigest: the same digest loads, another one is refused', async () => {
  const same = await createEngine({ packDigest: engine.pack.digest });
  assert.deepEqual(same.pack, engine.pack);
  const other = 'sha256:' + '0'.repeat(64);
  await assert.rejects(createEngine({ packDigest: other }), (e) => {
    assert.ok(e instanceof Error);
    assert.deepEqual(e.diagnostics, [
      { code: 'digest_mismatch', message: `the pack's digest is ${engine.pack.digest} but ${other} was required`, file: 'pack.json' },
    ]);
    return true;
  });
  // Parameters are part of the digest.
  const tuned = await createEngine({ params: { max_identity_age_days: 180 } });
  assert.notEqual(tuned.pack.digest, engine.pack.digest);
  await assert.rejects(createEngine({ params: { max_identity_age_days: 180 }, packDigest: engine.pack.digest }), /digest/);
});

test('rules overlay the default pack; with pack.json they replace it', async () => {
  const always = rule('ZZZ-910', 'fail("always", ["request_id"])');
  const overlaid = await createEngine({ rules: { 'common/ZZZ-910.rhai': always } });
  assert.equal(overlaid.rules().length, engine.rules().length + 1);
  const d = overlaid.evaluate(TERMINATION, { asOf: AS_OF });
  assert.equal(d.decision, 'deny');
  assert.deepEqual(failing(d), ['ZZZ-910']);
  assert.deepEqual(d.findings.find((f) => f.rule === 'ZZZ-910').paths, ['request_id']);

  const file = engine.rules()[0].file;
  const removed = await createEngine({ rules: { [file]: null } });
  assert.deepEqual(removed.rules().map((r) => r.file), engine.rules().map((r) => r.file).filter((f) => f !== file));

  const whole = await createEngine({
    rules: { 'pack.json': JSON.stringify({ name: 'tiny', version: '0.0.1', params: {} }), 'x/T-1.rhai': rule('T-1', 'pass()', 'warn') },
  });
  assert.deepEqual(whole.rules().map((r) => r.id), ['T-1']);
  assert.deepEqual([whole.pack.name, whole.pack.version], ['tiny', '0.0.1']);
  const w = whole.evaluate(TERMINATION, { asOf: AS_OF });
  assert.equal(w.decision, 'allow');
  assert.deepEqual(w.findings.map((f) => [f.rule, f.outcome]), [['T-1', 'pass']]);
});

test('strict engines refuse a rule that does not compile; lenient ones keep it as an error', async () => {
  const broken = { 'common/ZZZ-920.rhai': rule('ZZZ-920', 'let x = ;') };
  await assert.rejects(createEngine({ rules: broken }), (e) => {
    assert.ok(e instanceof Error);
    assert.deepEqual(e.diagnostics.map((d) => [d.code, d.file, d.rule]), [['syntax', 'common/ZZZ-920.rhai', 'ZZZ-920']]);
    return true;
  });
  const lenient = await createEngine({ rules: broken, lenient: true });
  assert.deepEqual(lenient.diagnostics().map((d) => [d.code, d.rule, d.line]), [['syntax', 'ZZZ-920', 6]]);
  const d = lenient.evaluate(TERMINATION, { asOf: AS_OF });
  assert.equal(d.decision, 'error');
  assert.deepEqual(erroring(d), ['ZZZ-920']);
  // A bad header is a pack error even when lenient: the rule cannot even be named.
  await assert.rejects(createEngine({ rules: { 'common/X.rhai': 'pass()' }, lenient: true }), (e) => e.diagnostics[0].code === 'bad_header');
});

test('the same decision whether given text, an object, or the object again', () => {
  const a = engine.evaluate(BASES.transfer, { asOf: AS_OF });
  const b = engine.evaluate(JSON.stringify(BASES.transfer), { asOf: AS_OF });
  delete a.stats.micros;
  delete b.stats.micros;
  assert.deepEqual(a, b);
});

test('evaluateJson gives the decision of evaluate as JSON text, and the same refusals', () => {
  const a = engine.evaluate(BASES.transfer, { asOf: AS_OF });
  const text = engine.evaluateJson(JSON.stringify(BASES.transfer), { asOf: AS_OF });
  assert.equal(typeof text, 'string');
  const b = JSON.parse(text);
  delete a.stats.micros;
  delete b.stats.micros;
  assert.deepEqual(b, a);
  const bad = JSON.parse(engine.evaluateJson('{"scenario":', { asOf: AS_OF }));
  assert.equal(bad.decision, 'error');
  assert.deepEqual(bad.errors.map((e) => e.code), engine.evaluate('{"scenario":', { asOf: AS_OF }).errors.map((e) => e.code));
  assert.throws(() => engine.evaluateJson(42), /evaluateJson\(request\): request must be an object or a JSON string/);
});

test('evaluate builds, key for key, the object of evaluateJson\'s text (lean findings filled in by the wrapper)', async () => {
  // The object API reads a lean decision (findings of the pack's rules as [index, outcome,
  // paths, message?], the pack as 0) and fills in the rest; the text API writes it whole.
  const sameText = (e, request, label) => {
    const object = e.evaluate(request, { asOf: AS_OF });
    const text = e.evaluateJson(typeof request === 'string' ? request : JSON.stringify(request), { asOf: AS_OF });
    const zero = (t) => t.replace(/"micros":\d+/, '"micros":0');
    assert.equal(zero(JSON.stringify(object)), zero(text), label);
    return object;
  };
  for (const [name, request] of Object.entries(BASES)) sameText(engine, request, name);
  const deny = fs.readFileSync(path.join(REPO, 'examples/requests/termination-deny.json'), 'utf8');
  const denied = sameText(engine, deny, 'termination deny (messages)');
  assert.ok(denied.findings.some((f) => f.message), 'a finding with a message');
  sameText(engine, '{"scenario":', 'refused (errors, no findings)');
  // An erroring rule (a finding with a position) and a rule of an overlay among the default ones.
  const mixed = await createEngine({
    rules: { 'common/ZZZ-921.rhai': rule('ZZZ-921', 'let x = 1; x.foo()'), 'common/ZZZ-922.rhai': rule('ZZZ-922', 'fail("no", ["a.b"])', 'warn') },
    lenient: true,
  });
  const d = sameText(mixed, TERMINATION, 'overlay with an erroring rule');
  assert.deepEqual(erroring(d), ['ZZZ-921']);
  assert.ok(d.findings.find((f) => f.rule === 'ZZZ-921').position, 'the error finding has its position');
  // Each decision's objects are its own: changing one leaves the next decision as it was.
  const first = engine.evaluate(TERMINATION, { asOf: AS_OF });
  first.findings[0].clauses[Object.keys(first.findings[0].clauses)[0]].push('changed');
  first.findings[0].title = 'changed';
  first.pack.name = 'changed';
  const second = engine.evaluate(TERMINATION, { asOf: AS_OF });
  assert.deepEqual(comparableFindings(second), comparableFindings(baseline));
  assert.deepEqual(second.pack, engine.pack);
  mixed.free();
});

const comparableFindings = (d) => d.findings;

test('the package resolves by name to its Node entry; the universal entry works in Node too', async () => {
  const byName = await import('cloudgate');
  const node = await import('../node.js');
  assert.equal(byName.createEngine, node.createEngine);
  const universal = await import('../index.js');
  const e = await universal.createEngine({ packDigest: engine.pack.digest });
  assert.deepEqual(e.evaluate(TERMINATION, { asOf: AS_OF }).findings, baseline.findings);
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'js', 'package.json'), 'utf8'));
  // First match wins: the runtimes' own conditions before `node`, `worker` (web workers, in
  // webpack and Vercel) on the browser entry, never on the one that imports a raw .wasm.
  assert.deepEqual(Object.keys(pkg.exports['.']), ['types', 'workerd', 'edge-light', 'deno', 'node', 'worker', 'browser', 'default']);
  assert.equal(pkg.exports['.'].worker, './browser.js');
  const targets = (entry) => (typeof entry === 'string' ? [entry] : Object.values(entry).flatMap(targets));
  for (const target of targets(pkg.exports['.'])) {
    // The CommonJS twins of the declarations (*.d.cts) are written by scripts/package.sh.
    if (!target.endsWith('.d.cts')) assert.ok(fs.existsSync(path.join(REPO, 'js', target)), target);
  }
});

test('requests go in whole at any size and in any script: through the input buffer and past it', () => {
  const id = 'R-\u00fc-\u65e5\u672c-\u{1F600}'; // 2-, 3- and 4-byte UTF-8
  for (const pad of [0, 100, 90_000, 300_000]) {
    // 90,000 and 300,000 characters are past the input buffer (256 KiB at 3 bytes a character).
    const request = { ...BASES.termination, request_id: `${id}-${pad}`, padding: 'x\u00e9'.repeat(pad / 2) };
    for (const d of [engine.evaluate(request, { asOf: AS_OF }), JSON.parse(engine.evaluateJson(JSON.stringify(request), { asOf: AS_OF }))]) {
      assert.equal(d.request_id, `${id}-${pad}`, `padding ${pad}`);
      assert.deepEqual(d.findings, baseline.findings, `padding ${pad}`);
    }
  }
  // A short request after a long one reads only its own bytes.
  assert.deepEqual(engine.evaluate('{"scenario":', { asOf: AS_OF }).errors.map((e) => e.code), ['truncated']);
});

test('the bytes entry point decides as the text one, and refuses bytes that are not UTF-8', async () => {
  await createEngine(); // instantiates the module the glue below shares
  const glue = await import('../pkg/cloudgate.js');
  const engine = new glue.PolicyEngine('{}');
  const text = fs.readFileSync(path.join(REPO, 'examples/requests/termination-deny.json'), 'utf8');
  const strip = (json) => ({ ...JSON.parse(json), stats: undefined });
  assert.deepEqual(
    strip(engine.evaluateBytes(new TextEncoder().encode(text), AS_OF)),
    strip(engine.evaluateJson(text, AS_OF)),
  );
  const bad = JSON.parse(engine.evaluateBytes(new Uint8Array([0x7b, 0xff, 0x7d]), AS_OF));
  assert.equal(bad.decision, 'error');
  assert.deepEqual(bad.errors, [{ code: 'invalid_string', message: 'the request is not UTF-8 (byte 1)', path: '$' }]);
  engine.free();
});

test('findings carry the rule\'s actor; explain puts a message on every pass, and only then', () => {
  const byId = new Map(RULES.map((r) => [r.id, r]));
  for (const [scenario, request] of Object.entries(BASES)) {
    const plain = engine.evaluate(request, { asOf: AS_OF });
    const explained = engine.evaluate(request, { asOf: AS_OF, explain: true });
    const text = JSON.parse(engine.evaluateJson(JSON.stringify(request), { asOf: AS_OF, explain: true }));
    assert.deepEqual({ ...text, stats: null }, { ...explained, stats: null }, scenario);
    assert.equal(explained.decision, plain.decision, scenario);
    for (const [i, f] of plain.findings.entries()) {
      assert.ok(['customer', 'provider', 'both'].includes(f.actor), `${f.rule}: actor ${f.actor}`);
      assert.equal(f.actor, byId.get(f.rule).actor);
      if (f.outcome === 'pass') {
        assert.equal(f.message, undefined, `${f.rule} without explain`);
        assert.ok(explained.findings[i].message?.length > 10, `${f.rule} explained: ${explained.findings[i].message}`);
      }
    }
  }
  assert.throws(() => engine.evaluate(TERMINATION, { explain: 'yes' }), /explain must be true or false/);
});

test('record: the same input digest through the object, the text and the CLI; an id per decision; onDecision sees each', async () => {
  const seen = [];
  const logged = await createEngine({ onDecision: (d) => seen.push(d.record?.decision_id ?? null) });
  const request = BASES.termination;
  // The same request spelled differently: keys in another order, indented.
  const reordered = Object.fromEntries(Object.entries(request).reverse());
  const a = logged.evaluate(request, { asOf: AS_OF, record: true });
  const b = JSON.parse(logged.evaluateJson(JSON.stringify(reordered, null, 2), { asOf: AS_OF, record: true }));
  assert.match(a.record.input_digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(b.record.input_digest, a.record.input_digest);
  assert.notEqual(b.record.decision_id, a.record.decision_id);
  assert.match(a.record.decision_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(a.record.evaluated_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  assert.deepEqual(a.record.engine, { name: 'cloudgate', version: version() });
  assert.deepEqual(seen, [a.record.decision_id, b.record.decision_id]);
  assert.equal(engine.evaluate(request, { asOf: AS_OF }).record, undefined);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cloudgate-record-')), 'request.json');
  fs.writeFileSync(file, JSON.stringify(request));
  let out;
  try {
    out = execFileSync(CLI, ['check', '--record', '--as-of', AS_OF, file], { encoding: 'utf8' });
  } catch (e) {
    out = e.stdout;
  }
  assert.equal(JSON.parse(out).record.input_digest, a.record.input_digest, 'the CLI digests the same request alike');
  assert.throws(() => engine.evaluate(request, { record: 1 }), /record must be true or false/);
  await assert.rejects(createEngine({ onDecision: 'log' }), /onDecision must be a function/);
});
