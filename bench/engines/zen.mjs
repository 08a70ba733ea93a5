// GoRules ZEN in Node (@gorules/zen-engine): the termination rules as a JDM decision graph
// (peers/zen/termination.json, written by peers/zen/graph.mjs; bench/README.md says what it
// can and cannot express). The graph is loaded once into a ZenDecision and reused; a decision
// is one `evaluate({ request, as_of })`, which the binding runs off the JS thread and answers
// with a promise (there is no synchronous evaluate). The graph's output carries the failing
// rule ids and the decision, folded from the rules' severities as cloudgate does.
//
// `createZen()` uses the native binding (linux-x64-gnu from npm); `createZen(params, binding)`
// another parameter set (a test case's overrides, built into the graph's `parameters` node) or
// another binding of the same API (the wasm32-wasi build, `loadZenWasi`).

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { graphFor, PACK_PARAMS } from '../peers/zen/graph.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/** The graph of the default pack, as committed. */
export const GRAPH_FILE = path.resolve(HERE, '../peers/zen/termination.json');

/** ZEN's native binding for linux x64 (glibc): the `@gorules/zen-engine` package's API, loaded
 *  from its platform package directly. The main package lists a binding per platform as optional
 *  dependencies, and the registry this project installs from holds only the Linux ones, so a lock
 *  file with the main package cannot pass `npm ci` on a fresh machine. */
export const loadZen = () => require('@gorules/zen-engine-linux-x64-gnu');

/** The wasm32-wasi build (installed apart, in peers/zen/wasi: scripts/bench.sh), or null with
 *  the reason it does not load. */
export function loadZenWasi() {
  try {
    return { binding: createRequire(path.resolve(HERE, '../peers/zen/wasi/package.json'))('@gorules/zen-engine-wasm32-wasi') };
  } catch (err) {
    return { binding: null, error: String(err?.message ?? err).split('\n')[0] };
  }
}

const contentOf = (params) => (params
  ? graphFor({ ...PACK_PARAMS, ...params })
  : fs.readFileSync(GRAPH_FILE));

/** A ZEN decision of the termination rules; `evaluate(request, asOf)` → { decision, failing }. */
export function createZen(params, binding = loadZen()) {
  const engine = new binding.ZenEngine();
  const decision = engine.createDecision(contentOf(params));
  return {
    async evaluate(request, asOf) {
      const { result } = await decision.evaluate({ request, as_of: asOf });
      return { decision: result.decision, failing: result.failing.slice().sort() };
    },
    dispose: () => engine.dispose?.(),
  };
}
