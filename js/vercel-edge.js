// Vercel Edge Functions and Next.js's edge runtime with the edge module (`cloudgate/edge`): the
// default pack's precompiled rules and no Rhai, imported as a compiled module (see vercel.js).
import wasmModule from './pkg/cloudgate_edge_bg.wasm?module';
import { makeApi } from './core.js';

export { version, hostFunctions } from './core.js';
export const { createEngine } = makeApi(() => adopt(wasmModule));

/** A module compiled in another realm (Next.js's sandbox) gets this realm's prototype (vercel.js). */
function adopt(module) {
  if (!(module instanceof WebAssembly.Module) && Object.prototype.toString.call(module) === '[object WebAssembly.Module]') {
    Object.setPrototypeOf(module, WebAssembly.Module.prototype);
  }
  return module;
}
