// Figures for the README (printed, never asserted): the .wasm's size raw and gzip, cold start
// in Node (read + compile + instantiate the module + compile the default pack, each in a fresh
// process), and the p50 decision latency for each scenario's allow example.
//
//   node js/bench/figures.mjs [--runs N] [--iterations N] [--json]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const JS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const WASM = path.join(JS, 'pkg', 'cloudgate_bg.wasm');
const AS_OF = '2026-09-02';
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 9);
const ITERATIONS = arg('--iterations', 1000);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

// A child measures one cold start; the parent only collects.
if (process.argv[2] === '--cold-child') {
  const t0 = performance.now();
  const bytes = fs.readFileSync(WASM);
  const t1 = performance.now();
  const module = await WebAssembly.compile(bytes);
  const t2 = performance.now();
  const { createEngine } = await import('../index.js');
  const t3 = performance.now();
  const engine = await createEngine({ wasm: module });
  const t4 = performance.now();
  const decision = engine.evaluate(fs.readFileSync(process.argv[3], 'utf8'), { asOf: AS_OF });
  const t5 = performance.now();
  console.log(JSON.stringify({ read: t1 - t0, compile: t2 - t1, glue: t3 - t2, engine: t4 - t3, total: t4 - t0, first: t5 - t4, decision: decision.decision }));
  process.exit(0);
}

function examples() {
  for (const dir of [process.env.CLOUDGATE_EXAMPLES, path.resolve(JS, '../../shared/examples'), path.resolve(JS, '../examples/requests')]) {
    if (dir && fs.existsSync(dir)) {
      return ['onboarding', 'termination', 'transfer', 'removal'].map((s) => [s, path.join(dir, `${s}-allow.json`)]).filter(([, f]) => fs.existsSync(f));
    }
  }
  return ['onboarding', 'termination', 'transfer', 'removal'].map((s) => [s, path.join(JS, '..', 'rules', 'tests', 'base', `${s}.json`)]);
}

const bytes = fs.readFileSync(WASM);
const size = { raw: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length, brotli: zlib.brotliCompressSync(bytes).length };

const scenarios = examples();
const cold = [];
for (let i = 0; i < RUNS; i++) {
  const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--cold-child', scenarios[0][1]], { encoding: 'utf8' });
  cold.push(JSON.parse(out));
}
const coldMedian = Object.fromEntries(['read', 'compile', 'glue', 'engine', 'total', 'first'].map((k) => [k, median(cold.map((c) => c[k]))]));

const { createEngine } = await import('../node.js');
const engine = await createEngine();
// Engines made after the first, in a warm process (code already compiled and tiered up).
const warm = [];
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  const extra = await createEngine();
  warm.push(performance.now() - t);
  extra.free();
}
const latency = [];
for (const [scenario, file] of scenarios) {
  const text = fs.readFileSync(file, 'utf8');
  const object = JSON.parse(text);
  let decision;
  for (let i = 0; i < 50; i++) decision = engine.evaluate(text, { asOf: AS_OF });
  const asText = [];
  const asObject = [];
  for (let i = 0; i < ITERATIONS; i++) {
    let t = performance.now();
    engine.evaluate(text, { asOf: AS_OF });
    asText.push((performance.now() - t) * 1000);
    t = performance.now();
    engine.evaluate(object, { asOf: AS_OF });
    asObject.push((performance.now() - t) * 1000);
  }
  latency.push({
    scenario,
    example: path.basename(file),
    decision: decision.decision,
    rules: decision.stats.rules_evaluated,
    operations: decision.stats.operations,
    p50_us: median(asText),
    p90_us: quantile(asText, 0.9),
    p50_object_us: median(asObject),
  });
}

const result = { node: process.version, wasm: path.relative(process.cwd(), WASM), size, cold_start_ms: coldMedian, warm_create_engine_ms: median(warm), runs: RUNS, iterations: ITERATIONS, latency };
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(`cloudgate wasm figures (Node ${process.version}, as_of ${AS_OF})`);
  console.log(`  .wasm size: ${bytes.length} bytes raw (${kb(size.raw)}), ${size.gzip} gzip -9 (${kb(size.gzip)}), ${size.brotli} brotli (${kb(size.brotli)})`);
  const c = coldMedian;
  console.log(`  cold start, median of ${RUNS} fresh processes: ${c.total.toFixed(1)} ms = read ${c.read.toFixed(1)} + compile ${c.compile.toFixed(1)} + glue import ${c.glue.toFixed(1)} + instantiate & compile pack ${c.engine.toFixed(1)} ms (first decision after that: ${c.first.toFixed(1)} ms)`);
  console.log(`  createEngine() in a warm process (module loaded, code tiered up), median of ${RUNS}: ${median(warm).toFixed(1)} ms`);
  console.log(`  decision latency, ${ITERATIONS} evaluations each after 50 warm-up:`);
  console.log('  | scenario | example | decision | rules | operations | p50 (JSON text) | p90 (text) | p50 (object) |');
  console.log('  |---|---|---|---:|---:|---:|---:|---:|');
  for (const l of latency) {
    console.log(`  | ${l.scenario} | ${l.example} | ${l.decision} | ${l.rules} | ${l.operations} | ${l.p50_us.toFixed(0)} µs | ${l.p90_us.toFixed(0)} µs | ${l.p50_object_us.toFixed(0)} µs |`);
  }
}
