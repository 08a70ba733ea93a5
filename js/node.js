// Node: the .wasm is read from the package folder.
import { readFile } from 'node:fs/promises';
import { makeApi } from './core.js';

export { version, hostFunctions } from './core.js';
export const { createEngine } = makeApi(() => readFile(new URL('./pkg/cloudgate_bg.wasm', import.meta.url)));
