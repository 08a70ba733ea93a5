// One engine in a fresh Node process: how long it takes to become ready (import + create,
// i.e. instantiate the wasm and compile the pack for cloudgate), the first decision, and the
// peak memory after many decisions. Run by run.mjs, once per engine, several times; prints JSON.
//   node cold.mjs <cloudgate|json-rules-engine|js-handwritten|baseline> REQUEST.json AS_OF N

import fs from 'node:fs';

const [engineName, requestFile, asOf, countText] = process.argv.slice(2);
const count = Number(countText ?? 1000);
const request = JSON.parse(fs.readFileSync(requestFile, 'utf8'));
const now = () => performance.now();

const t0 = now();
let evaluate;
let t1;
if (engineName === 'cloudgate') {
  const { loadCloudgate } = await import('./engines/cloudgate.mjs');
  const { createEngine } = await loadCloudgate();
  t1 = now();
  const engine = await createEngine();
  evaluate = (r) => engine.evaluate(r, { asOf });
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
const first = await evaluate(request);
const t3 = now();
for (let i = 0; i < count; i++) await evaluate(request);
const mem = process.memoryUsage();
console.log(JSON.stringify({
  engine: engineName,
  import_ms: t1 - t0,
  create_ms: t2 - t1,
  ready_ms: t2 - t0,
  first_decision_ms: t3 - t2,
  decision: first?.decision ?? null,
  max_rss_bytes: process.resourceUsage().maxRSS * 1024,
  rss_bytes: mem.rss,
  heap_used_bytes: mem.heapUsed,
  external_bytes: mem.external,
  array_buffers_bytes: mem.arrayBuffers,
}));
