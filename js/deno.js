// Deno: the .wasm is read from the package folder (local or npm: cache), no network.
import { makeApi } from './core.js';

export { version, hostFunctions } from './core.js';
export const { createEngine } = makeApi(() => Deno.readFile(new URL('./pkg/cloudgate_bg.wasm', import.meta.url)));
