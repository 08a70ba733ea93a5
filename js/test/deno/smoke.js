// Run by deno.test.mjs in Deno: imports the package by name (import map → the `deno` entry)
// and by its universal entry, and decides the requests given as arguments.
import { createEngine } from 'cloudgate';
import { createEngine as createUniversal } from '../../index.js';

const [asOf, ...files] = Deno.args;
const engine = await createEngine();
const universal = await createUniversal({ params: { max_identity_age_days: 180 } });
const out = [];
for (const file of files) {
  const text = await Deno.readTextFile(file);
  out.push({ file, decision: engine.evaluate(text, { asOf }), object: engine.evaluate(JSON.parse(text), { asOf }), universal: universal.evaluate(text, { asOf }) });
}
out.push({ file: 'malformed', decision: engine.evaluate('{"request_id":', { asOf }) });
console.log(JSON.stringify({ deno: Deno.version.deno, pack: engine.pack, universalPack: universal.pack, results: out }));
