// Browsers and web workers with the edge module (`cloudgate/edge`): the default pack's
// precompiled rules and no Rhai. The .wasm is fetched next to this file; bundlers that
// understand `new URL(…, import.meta.url)` (Vite, webpack 5) emit it for you.
import { makeApi } from './core.js';

export { version, hostFunctions } from './core.js';
export const { createEngine } = makeApi(() => fetch(new URL('./pkg/cloudgate_edge_bg.wasm', import.meta.url)));
