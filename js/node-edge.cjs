// Node, CommonJS, with the edge module: `require('cloudgate/edge')`. The ES module entry (node-edge.js)
// is loaded with a dynamic import on the first createEngine, so CommonJS and ES module callers
// in one process share the same code and the same wasm instance. createEngine is async anyway.
'use strict';

let entry;
let loading;

function load() {
  loading ??= import('./node-edge.js').then((module) => (entry = module));
  return loading;
}

/** Loads the wasm module (once) and compiles a pack (once per engine). */
exports.createEngine = async function createEngine(options) {
  return (await load()).createEngine(options);
};

/** The engine's version, once an engine has been created. */
exports.version = function version() {
  return entry ? entry.version() : undefined;
};
