// One engine in a fresh Node process: how long it takes to become ready (import + create,
// i.e. instantiate the wasm and compile the pack for cloudgate), the first decision, and the
// peak memory after many decisions. Run by run.mjs, once per engine, several times; prints JSON.
//   node cold.mjs <cloudgate|cloudgate-edge|cloudgate-phases|cloudgate-edge-phases|json-rules-engine|js-handwritten|node> REQUEST.json AS_OF N
//
// `node` (any other name) loads nothing: bare Node, for memory. The cloudgate engines load js/,
// or the package in $CLOUDGATE_BENCH_JS (run.mjs sets it for the baseline build).
//
// Besides the start, it gives the p50 of the last half of the N decisions (after V8's tier-up):
// the only latency figure for the edge module, which cannot share a process with the full one.
//
// `cloudgate-phases` and `cloudgate-edge-phases` go through the wasm-bindgen glue in js/pkg/
// instead of the package API, to split a module's cold start into its parts: reading the .wasm,
// WebAssembly.compile, instantiation, the first PolicyEngine (the default pack), and a second
// PolicyEngine with non-default options in the same instance (the full module only: the edge
// module builds no other pack). `cold_start_ms` is the "instantiate + compile pack":
// WebAssembly.compile + instantiate of the bytes, and the first PolicyEngine. Those are the
// parts an edge runtime pays per isolate; importing the JS and reading the file happen once per
// deployment or are served from cache, and are reported beside it.

import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

const [engineName, requestFile, asOf, countText] = process.argv.slice(2);
const count = Number(countText ?? 1000);
const request = JSON.parse(fs.readFileSync(requestFile, 'utf8'));
const now = () => performance.now();

const t0 = now();
let evaluate;
let t1;
let phases;
if (engineName === 'cloudgate' || engineName === 'cloudgate-edge') {
  const { loadCloudgate, JS_DIR } = await import('./engines/cloudgate.mjs');
  const { createEngine } = await loadCloudgate();
  t1 = now();
  // The edge module is read here as the package's Node entry reads the full one (readFile).
  const engine = await createEngine(engineName === 'cloudgate-edge'
    ? { wasm: await fs.promises.readFile(`${JS_DIR}/pkg/cloudgate_edge_bg.wasm`) }
    : undefined);
  evaluate = (r) => engine.evaluate(r, { asOf });
} else if (engineName === 'cloudgate-phases' || engineName === 'cloudgate-edge-phases') {
  const edge = engineName === 'cloudgate-edge-phases';
  const { JS_DIR } = await import('./engines/cloudgate.mjs');
  const glue = await import(pathToFileURL(`${JS_DIR}/pkg/cloudgate.js`).href);
  const r0 = now();
  const bytes = fs.readFileSync(`${JS_DIR}/pkg/${edge ? 'cloudgate_edge_bg.wasm' : 'cloudgate_bg.wasm'}`);
  const r1 = now();
  const module = await WebAssembly.compile(bytes);
  const r2 = now();
  glue.initSync({ module }); // as js/core.js does in Node
  t1 = now();
  const engine = new glue.PolicyEngine('{}');
  const r4 = now();
  // Options other than the default ones, so that no engine built before can be reused.
  if (!edge) new glue.PolicyEngine('{"limits":{}}').free();
  const r5 = now();
  phases = {
    glue_import_ms: r0 - t0,
    read_ms: r1 - r0,
    compile_ms: r2 - r1,
    instantiate_ms: t1 - r2,
    engine_ms: r4 - t1,
    second_engine_ms: r5 - r4,
    cold_start_ms: r4 - r1, // compile + instantiate + engine
  };
  evaluate = (r) => JSON.parse(engine.evaluateJson(JSON.stringify(r), asOf));
} else if (engineName === 'json-rules-engine') {
  const { createJre } = await import('./engines/jre.mjs');
  t1 = now();
  const engine = createJre();
  evaluate = (r) => engine.evaluate(r, asOf);
} else if (engineName === 'js-handwritten') {
  const { checkTermination } = await import('./engines/handwritten.mjs');
  t1 = now();
  evaluate = (r) => checkTermination(r, asOf);
} else {
  t1 = now();
  evaluate = () => null;
}
const t2 = now();
// The second engine of `cloudgate-phases` is not part of becoming ready.
const extra = phases ? phases.second_engine_ms : 0;
const first = await evaluate(request);
const t3 = now();
const times = new Float64Array(count);
for (let i = 0; i < count; i++) {
  const t = now();
  await evaluate(request);
  times[i] = (now() - t) * 1000;
}
const late = Array.from(times.subarray(count >> 1)).sort((a, b) => a - b);
const mem = process.memoryUsage();
console.log(JSON.stringify({
  engine: engineName,
  import_ms: t1 - t0,
  create_ms: t2 - t1 - extra,
  ready_ms: t2 - t0 - extra,
  first_decision_ms: t3 - t2,
  decision: first?.decision ?? null,
  late_p50_us: late.length ? late[late.length >> 1] : null,
  max_rss_bytes: process.resourceUsage().maxRSS * 1024,
  rss_bytes: mem.rss,
  heap_used_bytes: mem.heapUsed,
  external_bytes: mem.external,
  array_buffers_bytes: mem.arrayBuffers,
  ...(phases ? { phases } : {}),
}));
