// Node with the edge module (`cloudgate/edge`): the default pack's precompiled rules, no Rhai.
import { readFile } from 'node:fs/promises';
import { makeApi } from './core.js';

export { version, hostFunctions } from './core.js';
export const { createEngine } = makeApi(() => readFile(new URL('./pkg/cloudgate_edge_bg.wasm', import.meta.url)));
