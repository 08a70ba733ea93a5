// Browsers: the .wasm is fetched next to this file (or pass `wasm` to createEngine: bytes,
// a WebAssembly.Module, a URL or a Response).
import { makeApi } from './core.js';

export { version, hostFunctions } from './core.js';
export const { createEngine } = makeApi(() => fetch(new URL('./pkg/cloudgate_bg.wasm', import.meta.url)));
