// Cloudflare Workers (workerd): code generation from bytes is not allowed at run time, so the
// .wasm is imported as a module and compiled when the Worker is deployed.
import wasmModule from './pkg/cloudgate_bg.wasm';
import { makeApi } from './core.js';

export { version, hostFunctions } from './core.js';
export const { createEngine } = makeApi(() => wasmModule);
