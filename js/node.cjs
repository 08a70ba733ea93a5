// Node, CommonJS: `const { createEngine } = require('cloudgate')`. The ES module entry (node.js)
// is loaded with a dynamic import on the first createEngine, so CommonJS and ES module callers
// in one process share the same code and the same wasm instance. createEngine is async anyway.
'use strict';

let entry;
let loading;

function load() {
  loading ??= import('./node.js').then((module) => (entry = module));
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

/** The rule language's host functions and methods, once an engine has been created. */
exports.hostFunctions = function hostFunctions() {
  if (!entry) throw new Error('cloudgate: hostFunctions() needs an engine created first (createEngine)');
  return entry.hostFunctions();
};
