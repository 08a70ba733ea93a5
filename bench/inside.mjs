// Where a wasm decision's time goes in Node: around the `evaluateJson` call (text in, text out)
// against inside the engine (`decision.stats.micros`: from the parsed request to the findings),
// and the JSON work the object API adds on the JS side. p50 over N calls after warm-up.
//   node bench/inside.mjs [REQUEST_FILE] [AS_OF] [N]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCloudgate } from './engines/cloudgate.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const file = process.argv[2] ?? path.join(HERE, '../examples/requests/termination-allow.json');
const asOf = process.argv[3] ?? '2026-09-02';
const n = Number(process.argv[4] ?? 5000);

const { createEngine } = await loadCloudgate();
const engine = await createEngine();
const text = fs.readFileSync(file, 'utf8');
const object = JSON.parse(text);
for (let i = 0; i < Math.max(1000, n >> 1); i++) engine.evaluateJson(text, { asOf });

const around = [], inside = [], parse = [], stringify = [];
let out = '';
for (let i = 0; i < n; i++) {
  let t = performance.now();
  out = engine.evaluateJson(text, { asOf });
  around.push((performance.now() - t) * 1000);
  t = performance.now();
  const decision = JSON.parse(out);
  parse.push((performance.now() - t) * 1000);
  inside.push(decision.stats.micros);
  t = performance.now();
  JSON.stringify(object);
  stringify.push((performance.now() - t) * 1000);
}
const p50 = (a) => a.sort((x, y) => x - y)[a.length >> 1].toFixed(1);
console.log(`evaluateJson (text in/out): ${p50(around)} µs around the call, ${p50(inside)} µs inside the engine (stats.micros)`);
console.log(`object API adds: JSON.stringify(request) ${p50(stringify)} µs, JSON.parse(decision of ${out.length} chars) ${p50(parse)} µs`);
engine.free?.();
