// Cloudflare Workers with the edge module (`cloudgate/edge`): the default pack's precompiled
// rules and no Rhai, so the Worker bundles half the bytes. Only this .wasm is imported.
import wasmModule from './pkg/cloudgate_edge_bg.wasm';
import { makeApi } from './core.js';

export { version, hostFunctions } from './core.js';
export const { createEngine } = makeApi(() => wasmModule);
