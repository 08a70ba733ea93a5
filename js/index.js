// The entry for runtimes without a more specific export condition, and for pages that
// import this file directly (`<script type="module">` from a static server). It picks the way
// to get the .wasm at run time: Deno and Node read the file, everything else fetches it.
import { makeApi } from './core.js';

export { version, hostFunctions } from './core.js';

const WASM = new URL('./pkg/cloudgate_bg.wasm', import.meta.url);

export const { createEngine } = makeApi(async () => {
  if (typeof Deno !== 'undefined' && typeof Deno.readFile === 'function') return Deno.readFile(WASM);
  if (WASM.protocol === 'file:' && typeof process !== 'undefined' && process.versions?.node) {
    const { readFile } = await import('node:fs/promises');
    return readFile(WASM);
  }
  return fetch(WASM);
});
