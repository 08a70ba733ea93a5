// The benchmark harness: the same termination requests through cloudgate (wasm in Node),
// json-rules-engine and a hand-written JavaScript function, side by side in one process,
// plus the native figures scripts/bench.sh collected (criterion bench, batch CLI).
// Prints the table and writes bench/results.json. See bench/README.md.
//
//   node run.mjs [--smoke] [--iterations N] [--requests FILE.ndjson] [--agreement FILE.ndjson]
//                [--native FILE.json[,FILE.json…]] [--batch FILE.json] [--out FILE.json] [--command TEXT]
//                [--baseline-js DIR --baseline-native FILE.json[,…] --baseline-batch FILE.json
//                 --baseline-ref TEXT] [--peer-native NAME=FILE.json[,NAME=FILE.json…]]
//
// The package measured is js/ (or $CLOUDGATE_BENCH_JS). With --baseline-js, a second build of
// cloudgate (another commit's js/, built by scripts/bench.sh in a git worktree) is measured in
// the same process, its rows interleaved with the others and its cold starts alternated with
// the current build's, and a last table compares the two, old | new | new/old, flagging any
// engine row where the new build is more than 5 % slower. Several --native files (runs of the
// native report, alternated with the baseline's) give, per row, the run with the median p50.
//
// Before measuring, every peer (json-rules-engine, GoRules ZEN, hand-written JS; the hand-written
// Rust in benches/engine; the native peers of bench/peers, whose reports --peer-native names) must
// give cloudgate's decision and failing rule ids on the examples, on the pack's own termination
// test cases and on every generated termination request (--requests and --agreement). A
// difference is a WARNING row; with --smoke it also makes the run exit with 1.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { checkTermination } from './engines/handwritten.mjs';
import { createJre } from './engines/jre.mjs';
import { createZen, loadZenWasi } from './engines/zen.mjs';
import { loadCloudgate, wasmFiles } from './engines/cloudgate.mjs';
import { prepareParams, PACK_PARAMS } from './engines/dates.mjs';
import { terminationCases } from './cases.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const AS_OF = '2026-09-02';

// --- arguments -----------------------------------------------------------------------------
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const smoke = args.includes('--smoke');
const iterations = Number(opt('--iterations', smoke ? 200 : 20000));
const coldRuns = smoke ? 1 : 5;
const outFile = opt('--out', path.join(HERE, 'results.json'));
const readJson = (file) => (file && fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null);
// Several runs of the native report: per engine (and per part), the run with the median p50.
function readNative(list) {
  const runs = (list ?? '').split(',').filter(Boolean).map(readJson).filter(Boolean);
  if (runs.length <= 1) return runs[0] ?? null;
  const pick = (key) => {
    const out = {};
    for (const name of Object.keys(runs[0][key] ?? {})) {
      const sorted = runs.map((r) => r[key]?.[name]).filter(Boolean).sort((a, b) => a.p50_us - b.p50_us);
      out[name] = { ...sorted[(sorted.length - 1) >> 1], runs: sorted.length };
    }
    return out;
  };
  const median = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[(runs.length - 1) >> 1];
  return { ...runs[0], engine_new_us: median('engine_new_us'), engines: pick('engines'), parts: pick('parts'), runs: runs.length };
}
const native = readNative(opt('--native'));
const batch = readJson(opt('--batch'));
// The baseline build (scripts/bench.sh: BENCH_BASELINE), measured beside the current one.
const baselineJs = opt('--baseline-js') ? path.resolve(opt('--baseline-js')) : null;
const baselineNative = readNative(opt('--baseline-native'));
const baselineBatch = readJson(opt('--baseline-batch'));
const baselineRef = opt('--baseline-ref', baselineJs ?? '');
// The native peers (bench/peers/<name>, run by scripts/bench.sh): each report carries its own
// rows of cloudgate beside the peer's, timed in the same process.
const peerNative = Object.fromEntries((opt('--peer-native') ?? '').split(',').filter(Boolean)
  .map((pair) => pair.split('=')).map(([name, file]) => [name, readJson(file)]).filter(([, r]) => r));
const warnings = [];
const warn = (text) => {
  warnings.push(text);
  console.log(`WARNING  ${text}`);
};
// Disagreements with cloudgate (and explain mode misbehaving): the smoke run fails on any.
let disagreements = 0;
const disagree = (text) => {
  disagreements++;
  warn(text);
};

// --- requests ------------------------------------------------------------------------------
function example(kind) {
  const candidates = [
    path.join(ROOT, `examples/requests/termination-${kind}.json`),
    path.join(ROOT, `../shared/examples/termination-${kind}.json`),
    `/work/shared/examples/termination-${kind}.json`,
  ];
  if (kind === 'allow') candidates.push(path.join(ROOT, 'rules/tests/base/termination.json'));
  const file = candidates.find((f) => fs.existsSync(f));
  return file ? { file, text: fs.readFileSync(file, 'utf8') } : null;
}
const allow = example('allow');
if (!allow) throw new Error('no termination allow example found (examples/requests/termination-allow.json)');
const deny = example('deny');
const examples = [['termination-allow', allow], ...(deny ? [['termination-deny', deny]] : [])];
const ndjson = (file) => (file && fs.existsSync(file)
  ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
  : []);
// `mixed`: measured (the "mixed" throughput) and compared; `generated`: compared only.
const mixed = ndjson(opt('--requests'));
const generated = ndjson(opt('--agreement'));

// --- engines -------------------------------------------------------------------------------
const jre = createJre();
// GoRules ZEN: its native binding, and its wasm32-wasi build when it loads (bench/README.md).
const zen = createZen();
const zenWasiLoad = loadZenWasi();
const zenWasi = zenWasiLoad.binding ? createZen(undefined, zenWasiLoad.binding) : null;
if (!zenWasi) console.log(`GoRules ZEN wasm32-wasi: not measured (${zenWasiLoad.error})`);
const { createEngine } = await loadCloudgate();
const cloudgate = await createEngine();
// The baseline's package is a module of its own (another URL), with its own wasm instance.
const oldCreateEngine = baselineJs ? (await loadCloudgate(baselineJs)).createEngine : null;
const old = oldCreateEngine ? await oldCreateEngine() : null;
const engines = [
  { name: 'cloudgate (wasm, object in)', key: 'cloudgate-wasm', run: (r) => cloudgate.evaluate(r, { asOf: AS_OF }) },
  { name: 'cloudgate (wasm, JSON text in)', key: 'cloudgate-wasm-text', text: true, run: (t) => cloudgate.evaluate(t, { asOf: AS_OF }) },
  // What an edge function does: request body text in, decision text out (evaluateJson).
  { name: 'cloudgate (wasm, text in/out)', key: 'cloudgate-wasm-text-out', text: true, run: (t) => cloudgate.evaluateJson(t, { asOf: AS_OF }) },
  // The same with explain mode on (passing findings carry a message): beside the row above, it
  // shows what explain costs when asked for, and that the default (off) does not pay for it.
  { name: 'cloudgate (wasm, text in/out, explain)', key: 'cloudgate-wasm-text-out-explain', text: true, run: (t) => cloudgate.evaluateJson(t, { asOf: AS_OF, explain: true }) },
  { name: 'json-rules-engine', key: 'json-rules-engine', peer: true, async: true, run: (r) => jre.evaluate(r, AS_OF) },
  { name: 'GoRules ZEN (native binding)', key: 'zen', peer: true, async: true, run: (r) => zen.evaluate(r, AS_OF) },
  // Two to five times slower per decision than the native binding, and slower still while its
  // worker threads start (bench/README.md): a quarter of the iterations keeps the run's length.
  ...(zenWasi ? [{ name: 'GoRules ZEN (wasm32-wasi)', key: 'zen-wasi', peer: true, async: true, fraction: 0.25, run: (r) => zenWasi.evaluate(r, AS_OF) }] : []),
  { name: 'hand-written JS', key: 'js-handwritten', peer: true, run: (r) => checkTermination(r, AS_OF) },
  // Not an engine: what `evaluate(object)` spends before any deciding starts, the request
  // written as JSON and encoded as UTF-8 (js/core.js encodes into the module's memory). A lower
  // bound for any engine in wasm that is handed a JS object; the decision's way back (JSON.parse
  // and the objects) comes on top.
  { name: 'object → JSON → UTF-8, no deciding', key: 'object-crossing', floor: true, run: (r) => utf8.encodeInto(JSON.stringify(r), crossing) },
  // The baseline build's rows, interleaved with the others (results.json: `baseline.engines`).
  // Its object API is also held to the current build's decisions, as the peers are.
  ...(old ? [
    { name: 'baseline: cloudgate (wasm, object in)', key: 'baseline/cloudgate-wasm', baseline: true, peer: true, run: (r) => old.evaluate(r, { asOf: AS_OF }) },
    { name: 'baseline: cloudgate (wasm, text in/out)', key: 'baseline/cloudgate-wasm-text-out', baseline: true, text: true, run: (t) => old.evaluateJson(t, { asOf: AS_OF }) },
    { name: 'baseline: cloudgate (wasm, text in/out, explain)', key: 'baseline/cloudgate-wasm-text-out-explain', baseline: true, text: true, run: (t) => old.evaluateJson(t, { asOf: AS_OF, explain: true }) },
  ] : []),
];
const utf8 = new TextEncoder();
const crossing = new Uint8Array(1 << 20);

// A decision object, or its JSON text (evaluateJson).
const verdictOf = (result) => {
  const d = typeof result === 'string' ? JSON.parse(result) : result;
  return {
    decision: d.decision,
    failing: (d.failing ?? d.findings.filter((f) => f.outcome === 'fail' || f.outcome === 'error').map((f) => f.rule)).slice().sort(),
  };
};
const same = (a, b) => a.decision === b.decision && a.failing.join() === b.failing.join();

// --- agreement -----------------------------------------------------------------------------
// Exact: the same decision and the same failing rule ids as cloudgate, on every request compared.
const agreement = [];
for (const [name, ex] of examples) {
  const request = JSON.parse(ex.text);
  const reference = verdictOf(cloudgate.evaluate(request, { asOf: AS_OF }));
  for (const e of engines.slice(1).filter((x) => !x.floor)) {
    const got = verdictOf(await e.run(e.text ? ex.text : request));
    const agree = same(reference, got);
    agreement.push({ example: name, engine: e.key, agree, cloudgate: reference, got });
    if (!agree) disagree(`${e.key} disagrees with cloudgate on ${name}: ${JSON.stringify(got)} vs ${JSON.stringify(reference)}`);
  }
  console.log(`agreement on ${name}: cloudgate ${reference.decision} [${reference.failing.join(', ')}]`);
}
for (const row of native?.agreement ?? []) {
  agreement.push({ example: row.example, engine: 'rust-handwritten', agree: row.agree });
  if (!row.agree) disagree(`rust-handwritten disagrees with cloudgate (native) on ${row.example}`);
}
// Explain mode changes messages, never outcomes (checked above with the other rows); here: on,
// every passing finding carries its explanation, off, none does.
const explainCheck = (() => {
  const passes = (text, explain) => JSON.parse(cloudgate.evaluateJson(text, { asOf: AS_OF, explain }))
    .findings.filter((f) => f.outcome === 'pass');
  const on = passes(allow.text, true), off = passes(allow.text, false);
  const out = { passing: on.length, with_message_on: on.filter((f) => f.message).length, with_message_off: off.filter((f) => f.message).length };
  if (out.with_message_on !== out.passing || out.with_message_off !== 0) disagree(`explain mode: ${JSON.stringify(out)} on the allow example (expected every pass explained when on, none when off)`);
  return out;
})();

// The peers against cloudgate on a set of requests. A request cloudgate refuses (an `error`
// decision: the peers do not validate) is not compared. `params`: a case's parameter overrides,
// given to cloudgate and to the peers alike.
const peers = engines.filter((e) => e.peer);
const peerSetups = new Map();
async function setupFor(params) {
  const key = JSON.stringify(params ?? {});
  if (!peerSetups.has(key)) {
    const P = key === '{}' ? undefined : prepareParams({ ...PACK_PARAMS, ...params });
    const jreP = P ? createJre(P) : jre;
    const zenP = P ? createZen(params) : zen;
    const zenWasiP = zenWasi && P ? createZen(params, zenWasiLoad.binding) : zenWasi;
    const oldP = old && P ? await oldCreateEngine({ params }) : old;
    peerSetups.set(key, {
      cloudgate: P ? await createEngine({ params }) : cloudgate,
      old: oldP,
      run: {
        'json-rules-engine': (r, asOf) => jreP.evaluate(r, asOf),
        zen: (r, asOf) => zenP.evaluate(r, asOf),
        'zen-wasi': (r, asOf) => zenWasiP.evaluate(r, asOf),
        'js-handwritten': (r, asOf) => checkTermination(r, asOf, P),
        'baseline/cloudgate-wasm': (r, asOf) => oldP.evaluate(r, { asOf }),
      },
    });
  }
  return peerSetups.get(key);
}
async function compareOn(label, items) {
  const out = { requests: items.length, errors: 0, decisions: {} };
  for (const e of peers) out[e.key] = 0;
  const examplesOf = {};
  for (const { name, request, asOf = AS_OF, params } of items) {
    const setup = await setupFor(params);
    const reference = verdictOf(setup.cloudgate.evaluate(request, { asOf }));
    out.decisions[reference.decision] = (out.decisions[reference.decision] ?? 0) + 1;
    if (reference.decision === 'error') {
      out.errors++;
      continue;
    }
    for (const e of peers) {
      const got = verdictOf(await setup.run[e.key](request, asOf));
      if (same(reference, got)) continue;
      out[e.key]++;
      (examplesOf[e.key] ??= []).length < 3 && examplesOf[e.key].push({ request: name, cloudgate: reference, got });
    }
  }
  out.compared = out.requests - out.errors;
  for (const e of peers) {
    if (out[e.key]) {
      disagree(`${e.key} disagrees with cloudgate on ${out[e.key]} of ${out.compared} ${label}; first: ${JSON.stringify(examplesOf[e.key][0])}`);
    }
  }
  if (Object.keys(examplesOf).length) out.disagreements = examplesOf;
  console.log(`agreement on ${out.compared} ${label}: ${peers.map((e) => `${e.key} ${out[e.key] ? `${out[e.key]} differ` : 'all agree'}`).join(', ')} (${JSON.stringify(out.decisions)})`);
  return out;
}
const cases = terminationCases(ROOT);
const agreementSets = {
  pack_cases: await compareOn('termination test cases of the pack (rules/tests)', cases),
  generated: await compareOn('generated termination requests', [...mixed, ...generated].map((request, i) => ({ name: request.request_id ?? `#${i}`, request }))),
};
for (const setup of peerSetups.values()) {
  if (setup.cloudgate !== cloudgate) setup.cloudgate.free?.();
  if (setup.old !== old) setup.old?.free?.();
}
for (const row of native?.agreement_sets ?? []) {
  agreementSets[`rust-handwritten ${row.set}`] = row;
  if (row.disagree) disagree(`rust-handwritten disagrees with cloudgate (native) on ${row.disagree} of ${row.compared} ${row.set}; first: ${JSON.stringify(row.first)}`);
  else console.log(`agreement on ${row.compared} ${row.set} (native): rust-handwritten all agree`);
}
// The native peers' own checks (bench/peers/<name>: the examples, the pack's cases, the
// generated requests), in the shape of benches/engine's.
for (const [name, report] of Object.entries(peerNative)) {
  for (const row of report.agreement ?? []) {
    agreement.push({ example: row.example, engine: `${name}-native`, agree: row.agree });
    if (!row.agree) disagree(`${name} (native) disagrees with cloudgate on ${row.example}`);
  }
  for (const row of report.agreement_sets ?? []) {
    agreementSets[`${name}-native ${row.set}`] = row;
    if (row.disagree) disagree(`${name} (native) disagrees with cloudgate on ${row.disagree} of ${row.compared} ${row.set}; first: ${JSON.stringify(row.first)}`);
    else console.log(`agreement on ${row.compared} ${row.set} (native): ${name} all agree`);
  }
}

// --- latency and throughput ----------------------------------------------------------------
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.round((sorted.length - 1) * p))];

// The engines are measured in interleaved rounds, not one after another: on the VMs this runs on,
// speed changes for many seconds at a time (a warm wasm decision sits at one of two p50s for
// tens of rounds), so each engine must see the same mix of slow and
// fast spells for the ratios to mean something. p50/p99 are over all samples of all rounds;
// `rounds_p50_us` gives the spread of the per-round p50s.
const ROUNDS = smoke ? 1 : 10;

async function measureAll(list) {
  // `fraction`: an engine too slow for the full count runs that share of it.
  const states = list.map(({ e, inputs }) => {
    const n = Math.max(ROUNDS, Math.round(iterations * (e.fraction ?? 1)));
    const per = Math.max(1, Math.ceil(n / ROUNDS));
    return { e, n, per, pick: (i) => inputs[i % inputs.length], samples: new Float64Array(per * ROUNDS), filled: 0, rounds: [], seconds: 0, untimed: 0 };
  });
  for (const st of states) {
    const warm = Math.min(2000, Math.max(20, st.n >> 2));
    for (let i = 0; i < warm; i++) await st.e.run(st.pick(i));
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const st of states) {
      const { e, pick, samples, per } = st;
      const from = st.filled;
      for (let i = 0; i < per; i++) {
        const t = performance.now();
        if (e.async) await e.run(pick(i));
        else e.run(pick(i));
        samples[st.filled++] = (performance.now() - t) * 1000;
      }
      st.rounds.push(samples.slice(from, st.filled).sort()[per >> 1]);
      // Throughput from an untimed loop of the same length, interleaved alike.
      const t = performance.now();
      if (e.async) for (let i = 0; i < per; i++) await e.run(pick(i));
      else for (let i = 0; i < per; i++) e.run(pick(i));
      st.seconds += (performance.now() - t) / 1000;
      st.untimed += per;
    }
  }
  return states.map((st) => {
    const sorted = st.samples.slice(0, st.filled).sort();
    const rounds = st.rounds.slice().sort((x, y) => x - y);
    return {
      iterations: st.filled,
      p50_us: pct(sorted, 0.5),
      p99_us: pct(sorted, 0.99),
      per_second: st.untimed / st.seconds,
      rounds: ROUNDS,
      rounds_p50_us: { min: rounds[0], median: rounds[rounds.length >> 1], max: rounds[rounds.length - 1] },
    };
  });
}

const allowObject = JSON.parse(allow.text);
const figures = {};
const single = await measureAll(engines.map((e) => ({ e, inputs: [e.text ? allow.text : allowObject] })));
const mixedFigs = mixed.length
  ? await measureAll(engines.map((e) => ({ e, inputs: e.text ? mixed.map((r) => JSON.stringify(r)) : mixed })))
  : null;
engines.forEach((e, i) => {
  figures[e.key] = { name: e.name, ...single[i], mixed: mixedFigs ? mixedFigs[i] : null };
});

// --- cold start and memory (fresh processes) -----------------------------------------------
const medianOf = (runs, k) => runs.map((r) => r[k]).sort((a, b) => a - b)[runs.length >> 1];
// Every spec `runs` times in fresh processes, the specs alternated so that all see the VM alike.
// `js`: the package directory the process loads (the baseline build's), else the current one.
function fresh(specs, runs, count) {
  const out = Object.fromEntries(specs.map((s) => [s.id, []]));
  for (let i = 0; i < runs; i++) {
    for (const s of specs) {
      const env = s.js ? { env: { ...process.env, CLOUDGATE_BENCH_JS: s.js } } : {};
      const text = execFileSync(process.execPath, [path.join(HERE, 'cold.mjs'), s.engine, allow.file, AS_OF, String(count)], { encoding: 'utf8', ...env });
      out[s.id].push(JSON.parse(text.trim().split('\n').pop()));
    }
  }
  return out;
}
const coldSpecs = [
  { id: 'node', engine: 'node' }, // bare Node: the memory every engine's is compared with
  { id: 'cloudgate-wasm', engine: 'cloudgate' },
  { id: 'json-rules-engine', engine: 'json-rules-engine' },
  { id: 'js-handwritten', engine: 'js-handwritten' },
  // The edge module (no Rhai, default pack only) in its own processes: one realm holds one module.
  { id: 'cloudgate-edge', engine: 'cloudgate-edge' },
  ...(old ? [
    { id: 'baseline/cloudgate-wasm', engine: 'cloudgate', js: baselineJs },
    { id: 'baseline/cloudgate-edge', engine: 'cloudgate-edge', js: baselineJs },
  ] : []),
];
const coldRunsOf = fresh(coldSpecs, coldRuns, smoke ? 100 : 2000);
const coldFigures = (runs) => {
  const median = (k) => medianOf(runs, k);
  return {
    import_ms: median('import_ms'), create_ms: median('create_ms'), ready_ms: median('ready_ms'),
    first_decision_ms: median('first_decision_ms'), late_p50_us: median('late_p50_us'), max_rss_bytes: median('max_rss_bytes'),
    heap_used_bytes: median('heap_used_bytes'), external_bytes: median('external_bytes'),
  };
};
const bareNode = coldFigures(coldRunsOf.node);
const coldOf = (id) => {
  const c = coldFigures(coldRunsOf[id]);
  c.rss_over_node_bytes = c.max_rss_bytes - bareNode.max_rss_bytes;
  return c;
};
for (const key of ['cloudgate-wasm', 'json-rules-engine', 'js-handwritten', ...(old ? ['baseline/cloudgate-wasm'] : [])]) {
  figures[key].cold = coldOf(key);
}
const edgeCold = coldOf('cloudgate-edge');
const oldEdgeCold = old ? coldOf('baseline/cloudgate-edge') : null;

// The start split into its phases (cold.mjs `*-phases`), the modules (and the builds)
// alternated in fresh processes; per-phase medians.
const phaseRuns = smoke ? 1 : 9;
const phaseSpecs = [
  { id: 'full', engine: 'cloudgate-phases' },
  { id: 'edge', engine: 'cloudgate-edge-phases' },
  ...(old ? [
    { id: 'baseline/full', engine: 'cloudgate-phases', js: baselineJs },
    { id: 'baseline/edge', engine: 'cloudgate-edge-phases', js: baselineJs },
  ] : []),
];
const phaseRunsOf = fresh(phaseSpecs, phaseRuns, 10);
const phases = Object.fromEntries(phaseSpecs.map(({ id }) => {
  const runs = phaseRunsOf[id].map((r) => ({ ...r.phases, first_decision_ms: r.first_decision_ms }));
  return [id, Object.fromEntries(Object.keys(runs[0]).map((k) => [k, medianOf(runs, k)]))];
}));
figures['cloudgate-wasm'].cold.phases = phases.full;
edgeCold.phases = phases.edge;
if (old) {
  figures['baseline/cloudgate-wasm'].cold.phases = phases['baseline/full'];
  oldEdgeCold.phases = phases['baseline/edge'];
}

// --- the .wasm -----------------------------------------------------------------------------
const sizes = (dir) => wasmFiles(dir).map((file) => {
  const bytes = fs.readFileSync(file);
  return { file: path.relative(ROOT, file), raw_bytes: bytes.length, gzip_bytes: zlib.gzipSync(bytes, { level: 9 }).length };
});
const wasm = sizes();
const oldWasm = old ? sizes(baselineJs) : null;
const fullWasm = wasm.find((w) => w.file.endsWith('cloudgate_bg.wasm'));
const edgeWasm = wasm.find((w) => w.file.endsWith('cloudgate_edge_bg.wasm'));
if (wasm.length !== 2 || !fullWasm || !edgeWasm) warn(`expected the full and the edge .wasm in js/pkg, found ${wasm.map((w) => w.file).join(', ')}`);

// --- the table -----------------------------------------------------------------------------
const us = (x) => (x == null ? '—' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const int = (x) => (x == null ? '—' : Math.round(x).toLocaleString('en-US'));
const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const cg = figures['cloudgate-wasm'];
const rows = [];
const row = (name, f) => rows.push(`${pad(name, 42)}${lpad(us(f.p50_us), 9)}${lpad(us(f.p99_us), 9)}${lpad(int(f.per_second), 13)}${lpad(f.mixed ? int(f.mixed.per_second) : '—', 13)}${lpad(`${(f.p50_us / cg.p50_us).toFixed(2)}`, 12)}`);
console.log('');
console.log(`termination allow example, ${iterations} decisions per engine in ${ROUNDS} interleaved rounds${mixed.length ? `; mixed = ${mixed.length} generated termination requests` : ''}`);
console.log(`${pad('engine', 42)}${lpad('p50 µs', 9)}${lpad('p99 µs', 9)}${lpad('decisions/s', 13)}${lpad('mixed /s', 13)}${lpad('p50 ÷ cg', 12)}`);
for (const e of engines.filter((x) => !x.baseline)) row(e.name, figures[e.key]);
const nativeEngines = native?.engines ?? {};
const nativeNames = {
  'cloudgate-native': 'cloudgate (native, JSON text in)',
  'cloudgate-native-explain': 'cloudgate (native, JSON text in, explain)',
  'cloudgate-native-typed': 'cloudgate (native, typed in)',
  'rust-handwritten': 'hand-written Rust (JSON text in)',
  'rust-handwritten-typed': 'hand-written Rust (typed in)',
};
for (const [key, name] of Object.entries(nativeNames)) if (nativeEngines[key]) row(name, nativeEngines[key]);
rows.forEach((r) => console.log(r));

// The native peers, each with cloudgate timed in its own process (bench/peers/<name>): its rows,
// and each row's p50 over the same run's cloudgate row of the same kind (`-deny` over
// cloudgate's deny, `-mixed` over cloudgate's mixed, `-value` over cloudgate's typed-in row).
const peerRows = [];
const sameRunOf = (report, key) => {
  const kind = key.match(/-(deny|mixed)$/)?.[1];
  return report.engines[kind ? `cloudgate-native-${kind}` : /-value$/.test(key) ? 'cloudgate-native-typed' : 'cloudgate-native'];
};
for (const [name, report] of Object.entries(peerNative)) {
  console.log('');
  console.log(`native, ${name} beside cloudgate in one process (bench/peers/${name}), termination allow unless named`);
  console.log(`${pad('row', 42)}${lpad('p50 µs', 9)}${lpad('p99 µs', 9)}${lpad('decisions/s', 13)}${lpad('p50 ÷ cg', 12)}`);
  for (const [key, f] of Object.entries(report.engines ?? {})) {
    const cgRow = sameRunOf(report, key);
    const over = cgRow ? f.p50_us / cgRow.p50_us : null;
    // `decision`: a row the report itself compares with cloudgate's evaluate_json on the allow
    // example (its `ratios`, "row/cloudgate-native"): a whole decision by one of the peer's ways.
    const decision = Boolean(report.ratios?.[`${key}/cloudgate-native`]);
    if (!key.startsWith('cloudgate-')) peerRows.push({ peer: name, row: key, decision, p50_us: f.p50_us, cloudgate_p50_us: cgRow?.p50_us ?? null, peer_over_cloudgate_p50: over });
    console.log(`${pad(key, 42)}${lpad(us(f.p50_us), 9)}${lpad(us(f.p99_us), 9)}${lpad(int(f.per_second), 13)}${lpad(over == null ? '—' : over.toFixed(2), 12)}`);
  }
}
// Explain mode off (the default rows) and on, side by side.
const explainPairs = [
  ['wasm, text in/out', figures['cloudgate-wasm-text-out'], figures['cloudgate-wasm-text-out-explain']],
  ['native, JSON text in', nativeEngines['cloudgate-native'], nativeEngines['cloudgate-native-explain']],
].filter(([, off, on]) => off && on);
const explain = Object.fromEntries(explainPairs.map(([what, off, on]) => [what, {
  off_p50_us: off.p50_us, on_p50_us: on.p50_us, on_over_off_p50: on.p50_us / off.p50_us,
  off_per_second: off.per_second, on_per_second: on.per_second,
}]));
const jreF = figures['json-rules-engine'];
const ratio = jreF.p50_us / cg.p50_us;
const ratioThroughput = cg.per_second / jreF.per_second;
console.log('');
console.log(`cloudgate vs json-rules-engine: ${ratio.toFixed(1)}× faster at p50, ${ratioThroughput.toFixed(1)}× the throughput`);
console.log(`cloudgate vs hand-written JS:   ${(cg.p50_us / figures['js-handwritten'].p50_us).toFixed(1)}× slower at p50`);
for (const [what, e] of Object.entries(explain)) {
  console.log(`explain mode, ${what}: off (the default) ${us(e.off_p50_us)} µs p50, ${int(e.off_per_second)}/s; on ${us(e.on_p50_us)} µs p50, ${int(e.on_per_second)}/s (on ÷ off ${e.on_over_off_p50.toFixed(2)})`);
}
console.log(`object API before deciding (JSON.stringify + encodeInto): ${us(figures['object-crossing'].p50_us)} µs p50, ${(100 * figures['object-crossing'].p50_us / cg.p50_us).toFixed(0)} % of cloudgate's object in/out`);
const spread = (f) => `${us(f.rounds_p50_us.min)}–${us(f.rounds_p50_us.max)} µs`;
console.log(`p50 per round (min–max of ${ROUNDS}): ${engines.map((e) => `${e.key} ${spread(figures[e.key])}`).join(', ')}`);
console.log(`cold start (fresh node, median of ${coldRuns}): cloudgate import ${us(cg.cold.import_ms)} ms + createEngine ${us(cg.cold.create_ms)} ms = ${us(cg.cold.ready_ms)} ms; first decision ${us(cg.cold.first_decision_ms)} ms; json-rules-engine ready ${us(jreF.cold.ready_ms)} ms`);
console.log(`edge module (fresh node, median of ${coldRuns}): import ${us(edgeCold.import_ms)} ms + createEngine ${us(edgeCold.create_ms)} ms = ${us(edgeCold.ready_ms)} ms; first decision ${us(edgeCold.first_decision_ms)} ms; p50 of decisions ${(smoke ? 100 : 2000) >> 1}..${smoke ? 100 : 2000} (object in): edge ${us(edgeCold.late_p50_us)} µs, full ${us(cg.cold.late_p50_us)} µs`);
const phaseLine = (name, p) => `${name}: WebAssembly.compile ${us(p.compile_ms)} + instantiate ${us(p.instantiate_ms)} + createEngine ${us(p.engine_ms)} = ${us(p.cold_start_ms)} ms (before it: import the glue ${us(p.glue_import_ms)}, read the .wasm ${us(p.read_ms)}; after it: first decision ${us(p.first_decision_ms)})`;
console.log(`cold start = instantiate + compile the pack (fresh node, the modules alternated, median of ${phaseRuns}):`);
console.log(`  ${phaseLine('full', cg.cold.phases)}`);
console.log(`  ${phaseLine('edge', edgeCold.phases)}`);
for (const w of wasm) console.log(`.wasm ${w.file}: ${kb(w.raw_bytes)} raw, ${kb(w.gzip_bytes)} gzip`);
console.log(`peak RSS after ${smoke ? 100 : 2000} decisions: cloudgate ${mb(cg.cold.max_rss_bytes)} (+${mb(cg.cold.rss_over_node_bytes)} over bare node ${mb(bareNode.max_rss_bytes)}), json-rules-engine ${mb(jreF.cold.max_rss_bytes)}, hand-written JS ${mb(figures['js-handwritten'].cold.max_rss_bytes)}; cloudgate JS heap ${mb(cg.cold.heap_used_bytes)}, external ${mb(cg.cold.external_bytes)}`);
if (native) {
  console.log(`native Engine::default_pack() (compile the pack): ${us(native.engine_new_us / 1000)} ms`);
}
// The batch target is on the termination allow example, as issue 6 sets it; older batch files
// (from before 2026-12-01) measured generated requests only.
// With a profile-guided build of the CLI (scripts/build-pgo.sh) measured too, the target is
// judged on the faster of the two builds, and both are printed.
const builds = [['plain', batch], ['profile-guided', batch?.pgo]].filter(([, b]) => b);
const [batchBuild, batchBest] = builds.reduce((best, cur) =>
  ((cur[1].termination_allow ?? cur[1]).per_second_per_core > (best[1].termination_allow ?? best[1]).per_second_per_core ? cur : best),
  builds[0] ?? [null, null]);
const batchTarget = batchBest?.termination_allow ?? batchBest;
for (const [build, b] of builds) {
  const line = (b, what) => `native batch (${build} build): cloudgate check --ndjson, ${int(b.requests)} ${what} on ${b.threads} threads: ${int(b.per_second)} decisions/s; one thread ${int(b.one_thread.per_second)}/s (${b.one_thread.per_cpu_second ? `${int(b.one_thread.per_cpu_second)} per CPU second` : 'CPU time not measured'}${b.one_thread.per_second_spread && b.runs > 1 ? `; median of ${b.runs} runs, ${int(b.one_thread.per_second_spread.min)}–${int(b.one_thread.per_second_spread.max)}/s` : ''}) → ${int(b.per_second_per_core)} per core`;
  console.log(line(b, 'generated requests (all scenarios)'));
  if (b.termination_allow) console.log(line(b.termination_allow, 'copies of the termination allow example'));
}
if (batch?.pgo?.termination_allow && batch.termination_allow) {
  const r = (k) => (batch.pgo.termination_allow.one_thread[k] / batch.termination_allow.one_thread[k]).toFixed(2);
  console.log(`profile-guided / plain, one thread, termination allow: ${r('per_second')}× decisions/s (${r('per_cpu_second')}× per CPU second)`);
}

// --- the peers' ratios (issue 29) ------------------------------------------------------------
// Each a ratio within one run: in Node, cloudgate's object API against every general-purpose
// engine and against the hand-written floor; natively, each peer against the cloudgate of its
// own process, and evaluate_json against the hand-written Rust with JSON in (benches/engine).
const nodePeers = ['json-rules-engine', 'zen', 'zen-wasi'].filter((k) => figures[k]);
const textApi = figures['cloudgate-wasm-text-out'];
const floor = figures['js-handwritten'];
const nativeFloor = nativeEngines['cloudgate-native'] && nativeEngines['rust-handwritten']
  ? nativeEngines['cloudgate-native'].p50_us / nativeEngines['rust-handwritten'].p50_us : null;
const peerRatios = {
  node: Object.fromEntries(nodePeers.map((k) => [k, { peer_p50_us: figures[k].p50_us, cloudgate_p50_us: cg.p50_us, peer_over_cloudgate_p50: figures[k].p50_us / cg.p50_us }])),
  node_object_over_floor_p50: cg.p50_us / floor.p50_us,
  node_text_over_floor_p50: textApi.p50_us / floor.p50_us,
  native: peerRows,
  native_evaluate_json_over_rust_floor_p50: nativeFloor,
};
console.log('');
console.log('cloudgate against the peers, p50 ratios within this run (above 1: cloudgate faster):');
for (const k of nodePeers) console.log(`  Node, ${pad(figures[k].name, 34)} ${lpad((figures[k].p50_us / cg.p50_us).toFixed(1), 7)}× cloudgate's object API (${us(figures[k].p50_us)} vs ${us(cg.p50_us)} µs)`);
for (const r of peerRows.filter((r) => r.decision)) {
  console.log(`  native, ${pad(r.row, 32)} ${lpad(r.peer_over_cloudgate_p50?.toFixed(1) ?? '—', 7)}× cloudgate's evaluate_json in its process (${us(r.p50_us)} vs ${us(r.cloudgate_p50_us)} µs)`);
}
console.log(`floors: Node object API ${peerRatios.node_object_over_floor_p50.toFixed(1)}×, text API ${peerRatios.node_text_over_floor_p50.toFixed(1)}× the hand-written JS; native evaluate_json ${nativeFloor?.toFixed(2) ?? '—'}× the hand-written Rust with JSON in`);

// --- targets (issue 6) ---------------------------------------------------------------------
const gzip = edgeWasm?.gzip_bytes;
const fastestStart = Math.min(cg.cold.phases.cold_start_ms, edgeCold.phases.cold_start_ms);
const targets = [
  ['p50 ≤ 30 µs per decision (Node, termination allow)', cg.p50_us <= 30, `${us(cg.p50_us)} µs`],
  ['≥ 5× faster than json-rules-engine (p50, same run)', ratio >= 5, `${ratio.toFixed(1)}×`],
  ['cold start ≤ 15 ms (instantiate + compile pack)', fastestStart <= 15, `full ${us(cg.cold.phases.cold_start_ms)} ms, edge ${us(edgeCold.phases.cold_start_ms)} ms; import + createEngine through the package: full ${us(cg.cold.ready_ms)} ms, edge ${us(edgeCold.ready_ms)} ms`],
  ['.wasm ≤ 350 KB gzip (the edge module)', gzip != null && gzip <= 350 * 1024, gzip != null ? `edge ${kb(gzip)}, full ${fullWasm ? kb(fullWasm.gzip_bytes) : '—'}` : 'no edge .wasm'],
  ['native batch ≥ 50,000 decisions/s/core (termination allow)', batchTarget ? batchTarget.per_second_per_core >= 50000 : false, batchTarget ? `${int(batchTarget.per_second_per_core)}/s/core (${batchBuild} build)${batchBest.termination_allow ? `; generated requests of all scenarios ${int(batchBest.per_second_per_core)}/s/core` : ' (generated requests)'}` : 'not measured'],
  // Issue 29: every general-purpose engine slower than cloudgate in its runtime, and the floors.
  ...nodePeers.map((k) => [`Node: cloudgate's object API faster than ${figures[k].name} (p50, same run)`, figures[k].p50_us > cg.p50_us, `${(figures[k].p50_us / cg.p50_us).toFixed(1)}×`]),
  // Natively, against each peer's fastest way of deciding (the rows its report compares).
  ...Object.keys(peerNative).map((name) => peerRows.filter((r) => r.peer === name && r.decision)
    .sort((a, b) => a.p50_us - b.p50_us)[0]).filter(Boolean)
    .map((r) => [`native: evaluate_json faster than ${r.peer}'s fastest way, ${r.row} (p50, same process)`, r.peer_over_cloudgate_p50 > 1, `${r.peer_over_cloudgate_p50?.toFixed(1)}×`]),
  ['Node: object API ≤ 10× the hand-written JS (p50)', peerRatios.node_object_over_floor_p50 <= 10, `${peerRatios.node_object_over_floor_p50.toFixed(1)}×`],
  ['Node: text API (evaluateJson) ≤ 6× the hand-written JS (p50)', peerRatios.node_text_over_floor_p50 <= 6, `${peerRatios.node_text_over_floor_p50.toFixed(1)}×`],
  ['native: evaluate_json ≤ 1.6× the hand-written Rust, JSON in (p50)', nativeFloor != null && nativeFloor <= 1.6, nativeFloor == null ? 'not measured' : `${nativeFloor.toFixed(2)}×`],
];
console.log('');
for (const [what, met, value] of targets) console.log(`${met ? 'MET    ' : 'NOT MET'}  ${what}: ${value}`);

const sh = (cmd, a) => {
  try {
    return execFileSync(cmd, a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};
const git = sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']);
const gitDirty = Boolean(sh('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no']));

// --- the baseline build against the current one --------------------------------------------
// One row per figure, old | new | new/old. Engine rows (decisions) are flagged SLOWER when the
// new build is more than 5 % slower, the start likewise (its noise is larger), the modules LARGER
// when they grew at all.
const baselineCommit = old ? sh('git', ['-C', path.dirname(baselineJs), 'rev-parse', '--short', 'HEAD']) : null;
const comparison = old ? (() => {
  const before = (key) => figures[`baseline/${key}`];
  const oneThread = (b, allowOnly) => (allowOnly ? b?.termination_allow : b)?.one_thread?.per_second;
  const gzipOf = (list, name) => list?.find((w) => w.file.endsWith(name))?.gzip_bytes;
  const p50 = (f) => f?.p50_us;
  const rows = [
    ['object API p50, evaluate(object) (wasm)', 'µs', p50(before('cloudgate-wasm')), p50(cg), 'lower', 'engine'],
    ['text API p50, evaluateJson(text) (wasm)', 'µs', p50(before('cloudgate-wasm-text-out')), p50(figures['cloudgate-wasm-text-out']), 'lower', 'engine'],
    ['explain p50, evaluateJson(text, explain) (wasm)', 'µs', p50(before('cloudgate-wasm-text-out-explain')), p50(figures['cloudgate-wasm-text-out-explain']), 'lower', 'engine'],
    ['native evaluate_json p50', 'µs', p50(baselineNative?.engines?.['cloudgate-native']), p50(nativeEngines['cloudgate-native']), 'lower', 'engine'],
    ['native evaluate_json p50, explain', 'µs', p50(baselineNative?.engines?.['cloudgate-native-explain']), p50(nativeEngines['cloudgate-native-explain']), 'lower', 'engine'],
    ['batch CLI, termination allow, 1 thread', '/s', oneThread(baselineBatch, true), oneThread(batch, true), 'higher', 'engine'],
    ['batch CLI, generated (4 scenarios), 1 thread', '/s', oneThread(baselineBatch), oneThread(batch), 'higher', 'engine'],
    ['edge module, gzip -9', 'B', gzipOf(oldWasm, 'cloudgate_edge_bg.wasm'), edgeWasm?.gzip_bytes, 'lower', 'size'],
    ['full module, gzip -9', 'B', gzipOf(oldWasm, 'cloudgate_bg.wasm'), fullWasm?.gzip_bytes, 'lower', 'size'],
    ['cold start, edge (compile + instantiate + engine)', 'ms', oldEdgeCold.phases.cold_start_ms, edgeCold.phases.cold_start_ms, 'lower', 'start'],
    ['cold start, full (compile + instantiate + engine)', 'ms', before('cloudgate-wasm').cold.phases.cold_start_ms, cg.cold.phases.cold_start_ms, 'lower', 'start'],
  ];
  return rows.map(([what, unit, o, n, better, kind]) => {
    const ratio = o != null && n != null ? n / o : null;
    // Above 1: the new build is worse by that factor.
    const worse = ratio == null ? null : better === 'lower' ? ratio : 1 / ratio;
    const flag = worse == null ? 'NOT MEASURED' : kind === 'size' ? (worse > 1 ? 'LARGER' : '') : worse > 1.05 ? 'SLOWER' : '';
    return { what, unit, old: o ?? null, new: n ?? null, new_over_old: ratio, better, kind, flag };
  });
})() : null;
if (comparison) {
  const value = (x, unit) => (x == null ? '—' : unit === '/s' ? `${int(x)}/s` : unit === 'B' ? `${int(x)} B` : `${us(x)} ${unit}`);
  console.log('');
  console.log(`baseline ${baselineRef}${baselineCommit && !baselineRef.startsWith(baselineCommit) ? ` (${baselineCommit})` : ''} against the current build (${git}${gitDirty ? ', working tree modified' : ''}), same run (times: lower is better; decisions/s: higher)`);
  console.log(`${pad('', 52)}${lpad('old', 12)}${lpad('new', 12)}${lpad('new/old', 9)}`);
  for (const c of comparison) {
    console.log(`${pad(c.what, 52)}${lpad(value(c.old, c.unit), 12)}${lpad(value(c.new, c.unit), 12)}${lpad(c.new_over_old == null ? '—' : c.new_over_old.toFixed(2), 9)}${c.flag ? `  ${c.flag}` : ''}`);
  }
  const slower = comparison.filter((c) => c.kind === 'engine' && c.flag);
  const worse = comparison.filter((c) => c.kind !== 'engine' && c.flag);
  console.log(slower.length
    ? `SPEED DOES NOT HOLD: ${slower.map((c) => c.what).join('; ')} (more than 5 % slower, or not measured)`
    : 'speed holds: no engine row more than 5 % slower than the baseline');
  console.log(worse.length
    ? `WORSE: ${worse.map((c) => `${c.what} ${c.flag}`).join('; ')}`
    : 'module sizes no larger, cold start within 5 % of the baseline');
}
for (const w of warnings) console.log(`WARNING  ${w}`);

// --- results.json --------------------------------------------------------------------------
const ownEngines = (baseline) => Object.fromEntries(engines.filter((e) => Boolean(e.baseline) === baseline)
  .map((e) => [e.key.replace(/^baseline\//, ''), figures[e.key]]));
const results = {
  date: new Date().toISOString(),
  command: opt('--command', `node bench/run.mjs ${args.join(' ')}`),
  smoke,
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memory_bytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    rustc: sh('rustc', ['--version']),
    load_average: os.loadavg(),
  },
  as_of: AS_OF,
  iterations,
  examples: Object.fromEntries(examples.map(([n, e]) => [n, path.relative(ROOT, e.file)])),
  // The working tree's build, with the peers, the agreement checks and the targets.
  current: {
    git,
    git_dirty: gitDirty,
    engines: ownEngines(false),
    native: native ?? null,
    batch: batch ?? null,
    cloudgate: {
      wasm,
      cold_start_ms: cg.cold.phases.cold_start_ms,
      ready_ms: cg.cold.ready_ms,
      edge: { cold: edgeCold, wasm: edgeWasm ?? null },
      pack: cloudgate.pack,
    },
    bare_node: bareNode,
    ratios: { vs_json_rules_engine_p50: ratio, vs_json_rules_engine_throughput: ratioThroughput, peers: peerRatios },
    // The native peers' reports (bench/peers/<name>), cloudgate's rows of the same process in each.
    peers_native: peerNative,
    zen_wasi: zenWasi ? 'measured' : `not measured: ${zenWasiLoad.error}`,
    agreement,
    agreement_sets: agreementSets,
    explain: { ...explain, check: explainCheck },
    targets: targets.map(([what, met, value]) => ({ target: what, met, value })),
  },
  // The build of BENCH_BASELINE (scripts/bench.sh), measured in the same run.
  baseline: old ? {
    ref: baselineRef,
    git: baselineCommit,
    js: path.relative(ROOT, baselineJs) || '.',
    engines: ownEngines(true),
    native: baselineNative ?? null,
    batch: baselineBatch ?? null,
    cloudgate: {
      wasm: oldWasm,
      cold_start_ms: figures['baseline/cloudgate-wasm'].cold.phases.cold_start_ms,
      ready_ms: figures['baseline/cloudgate-wasm'].cold.ready_ms,
      edge: { cold: oldEdgeCold, wasm: oldWasm.find((w) => w.file.endsWith('cloudgate_edge_bg.wasm')) ?? null },
      pack: old.pack,
    },
  } : null,
  comparison,
  warnings,
};
fs.writeFileSync(outFile, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote ${path.relative(process.cwd(), outFile) || outFile}`);
cloudgate.free?.();
old?.free?.();
zen.dispose();
zenWasi?.dispose();
if (smoke && disagreements) {
  console.log(`bench: ${disagreements} disagreement(s) with cloudgate (WARNING rows above); the smoke run fails on any`);
  process.exitCode = 1;
}
