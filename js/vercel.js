// Vercel Edge Functions and Next.js's edge runtime (the `edge-light` export condition). Code
// generation from bytes is not allowed there, so the .wasm is imported as a compiled module with
// Vercel's `?module` suffix: Next.js and Vercel's builder turn it into a WebAssembly.Module bound
// to the function when they bundle it.
import wasmModule from './pkg/cloudgate_bg.wasm?module';
import { makeApi } from './core.js';

export { version, hostFunctions } from './core.js';
export const { createEngine } = makeApi(() => adopt(wasmModule));

/**
 * Next.js (`next dev`, `next start`) compiles the bound module in Node's realm, outside the edge
 * sandbox's, where `instanceof WebAssembly.Module` is false although the sandbox's WebAssembly
 * accepts it: such a module is given this realm's prototype.
 */
function adopt(module) {
  if (!(module instanceof WebAssembly.Module) && Object.prototype.toString.call(module) === '[object WebAssembly.Module]') {
    Object.setPrototypeOf(module, WebAssembly.Module.prototype);
  }
  return module;
}
