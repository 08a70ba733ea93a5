// The runtime-independent part of the package. Each entry point (node.js, browser.js,
// workerd.js, deno.js, index.js) only says where the .wasm comes from by default.
//
// Why JSON text crosses the boundary, not JS objects: the wasm side then runs exactly the
// code path of the native CLI (`Engine::evaluate_json`), so decisions are identical by
// construction, and hostile nesting is bounded by the engine's input scanner instead of
// overflowing a recursive JS-value conversion.

import initAsync, {
  initSync,
  PolicyEngine,
  version as wasmVersion,
  hostFunctionsJson,
  __trapForTests,
  __cloudgate_reset,
} from './pkg/cloudgate.js';
import { requestSchema } from './schema.js';

// One wasm instance per JS realm, shared by every engine (the glue is a module singleton).
const runtime = {
  module: null, // the compiled WebAssembly.Module, kept to re-instantiate after a trap
  loading: null, // the promise of the first instantiation
  generation: 0, // bumped whenever the instance is replaced; engines re-create themselves
  memory: null, // the instance's linear memory, where requests are encoded (Engine#decide)
};

const OPTION_KEYS = new Set(['rules', 'params', 'packDigest', 'lenient', 'limits', 'wasm', 'onDecision']);

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value).slice(0, 40)}`;
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function toModule(source) {
  source = await source;
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return WebAssembly.compile(source);
  if (typeof Response === 'function' && source instanceof Response) {
    if (!source.ok) throw new Error(`cloudgate: cannot fetch the wasm module: HTTP ${source.status} from ${source.url}`);
    if (typeof WebAssembly.compileStreaming === 'function') {
      // Streaming needs `application/wasm`; a server that sends another type still works.
      const copy = source.clone();
      try {
        return await WebAssembly.compileStreaming(source);
      } catch {
        return WebAssembly.compile(await copy.arrayBuffer());
      }
    }
    return WebAssembly.compile(await source.arrayBuffer());
  }
  if (typeof source === 'string' || source instanceof URL || (typeof Request === 'function' && source instanceof Request)) {
    return toModule(fetch(source));
  }
  throw new TypeError(`createEngine: options.wasm must be bytes, a WebAssembly.Module, a URL or a Response, got ${describe(source)}`);
}

/**
 * Instantiates synchronously when the runtime allows it. The glue's async path tests
 * `typeof Response`, and in Node that first touch of the global loads its fetch implementation:
 * ~30-50 ms of a cold start that needs no fetch (bench/README.md). Browsers may refuse
 * synchronous instantiation of a large module on the main thread (a RangeError); then the async
 * path, where fetch is there anyway.
 */
async function instantiate(module) {
  try {
    runtime.memory = initSync({ module }).memory;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    runtime.memory = (await initAsync({ module_or_path: module })).memory;
  }
}

function ensureInstance(source) {
  if (!runtime.loading) {
    runtime.loading = (async () => {
      const module = await toModule(source());
      await instantiate(module);
      runtime.module = module;
    })();
    // A failed load (network, wrong bytes) may be retried by the next createEngine.
    runtime.loading.catch(() => {
      runtime.loading = null;
    });
  }
  return runtime.loading;
}

/** A trap leaves the instance unusable (its shadow stack or allocator may be mid-update). */
function isTrap(error) {
  return (
    error instanceof WebAssembly.RuntimeError ||
    (error instanceof RangeError && /call stack/i.test(error.message))
  );
}

function replaceInstance() {
  __cloudgate_reset();
  runtime.memory = initSync({ module: runtime.module }).memory;
  runtime.generation += 1;
}

// Inner engines stay reachable from here until their wrapper is collected, so wasm-bindgen's
// own finalizer never frees a pointer of an instance that has since been replaced.
const finalizer =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((held) => release(held))
    : { register() {}, unregister() {} };

function release(held) {
  if (!held.inner) return;
  if (held.generation === runtime.generation) held.inner.free();
  else held.inner.__destroy_into_raw();
  held.inner = null;
}

/** UTF-8 length without allocating a copy (only used for oversized text). */
function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed =
  typeof String.prototype.isWellFormed === 'function'
    ? (text) => text.isWellFormed()
    : (text) => !LONE_SURROGATE.test(text);

// Requests cross into the module as UTF-8 bytes: the glue copies a string a character at a time
// in JS, which for a 4 KB request was a fifth of a decision in Node; the native encoder writes
// them into the engine's input buffer in one pass (bench/README.md).
const utf8 = new TextEncoder();

class Engine {
  #held;
  #optionsJson;
  // The pack's description, rules, diagnostics and input limit are read from the engine when
  // first needed, not when it is built: in a fresh instance each call runs (so V8 compiles) code
  // of its own, and a cold start that only decides needs none of them but the limit
  // (bench/README.md). Kept once read: an engine never changes.
  #maxBytes;
  #pack;
  #rules;
  #diagnostics;
  // For the object API: each rule's id, title, severity and clauses, by the index the engine's
  // lean decisions give (see #assemble).
  #fixed;

  // `createEngine({ onDecision })`: called with every decision, e.g. to append its audit record
  // to a log; a hook that throws does not change the decision returned.
  #onDecision;

  constructor(optionsJson, onDecision) {
    this.#optionsJson = optionsJson;
    this.#onDecision = onDecision;
    this.#held = { inner: null, generation: -1 };
    this.#live(); // builds the pack now, so that a pack that does not load throws here
    finalizer.register(this, this.#held, this);
  }

  /** The inner engine of the current instance, re-created after the instance was replaced. */
  #live() {
    const held = this.#held;
    if (held === null) throw new Error('cloudgate: this engine has been freed');
    if (held.inner && held.generation === runtime.generation) return held.inner;
    if (held.inner) held.inner.__destroy_into_raw();
    held.inner = null;
    try {
      held.inner = new PolicyEngine(this.#optionsJson);
    } catch (error) {
      if (!isTrap(error)) throw error;
      replaceInstance();
      held.inner = new PolicyEngine(this.#optionsJson);
    }
    held.generation = runtime.generation;
    return held.inner;
  }

  /** Runs `fn` on the inner engine; on a trap, replaces the instance and reports `trapped`. */
  #call(fn, trapped) {
    const inner = this.#live();
    try {
      return fn(inner);
    } catch (error) {
      if (!isTrap(error)) throw error;
      replaceInstance();
      const fresh = this.#live();
      if (trapped) return trapped(fresh, error);
      return fn(fresh);
    }
  }

  #rejectJson(code, message) {
    return this.#call((e) => e.rejectJson(code, message));
  }

  /**
   * Decides one request (an object, or its JSON text). Bad requests give an `error`
   * decision; only misuse of the API throws.
   */
  evaluate(request, options) {
    const decision = this.#assemble(JSON.parse(this.#decide(request, options, 'evaluate', true)));
    if (this.#onDecision) this.#notify(decision);
    return decision;
  }

  #notify(decision) {
    try {
      this.#onDecision(decision);
    } catch (error) {
      // The decision stands; the hook's failure is reported, not thrown into the caller's path.
      console.error('cloudgate: onDecision threw', error);
    }
  }

  /**
   * The decision object from the engine's lean text (src/engine.rs, `decision_lean_json`): a
   * finding of one of the pack's rules comes as [index, outcome, paths] or [index, outcome,
   * paths, message] and the engine's own pack as 0; the rules' fixed parts and the pack, read
   * once, are filled in here, in the contract's key order, as fresh objects. JSON.parse of the
   * full text was a quarter of an object-API decision, nine tenths of it those fixed parts
   * (bench/README.md). Anything written in full passes through as it is.
   */
  #assemble(decision) {
    const { findings } = decision;
    for (let i = 0; i < findings.length; i++) {
      const lean = findings[i];
      if (!Array.isArray(lean)) continue;
      this.#fixed ??= this.#fixedParts();
      const rule = this.#fixed[lean[0]];
      const finding = { rule: rule.id, title: rule.title, severity: rule.severity, outcome: lean[1] };
      if (lean.length > 3) finding.message = lean[3];
      finding.paths = lean[2];
      if (rule.actor !== undefined) finding.actor = rule.actor;
      const clauses = {};
      for (const key of rule.clauseKeys) clauses[key] = rule.clauses[key].slice();
      finding.clauses = clauses;
      findings[i] = finding;
    }
    if (decision.pack === 0) {
      const { name, version, digest } = this.pack;
      decision.pack = { name, version, digest };
    }
    return decision;
  }

  #fixedParts() {
    this.#rules ??= this.#call((e) => e.rulesJson());
    return JSON.parse(this.#rules).map(({ id, title, severity, actor, clauses }) => ({
      id,
      title,
      severity,
      actor,
      clauses,
      clauseKeys: Object.keys(clauses),
    }));
  }

  /**
   * Decides one request and returns the decision as JSON text: for edge functions, which read
   * the request body as text and answer with text, this skips building the decision object
   * (JSON.parse) that they would only stringify again.
   */
  evaluateJson(request, options) {
    const text = this.#decide(request, options, 'evaluateJson');
    if (this.#onDecision) this.#notify(JSON.parse(text));
    return text;
  }

  #decide(request, options, method, lean = false) {
    if (options !== undefined && !isPlainObject(options)) {
      throw new TypeError(`${method}(request, options): options must be an object such as { asOf: '2026-09-02' }, got ${describe(options)}`);
    }
    const asOf = options?.asOf ?? options?.as_of ?? undefined;
    if (asOf !== undefined && typeof asOf !== 'string') {
      throw new TypeError(`${method}(request, { asOf }): asOf must be a 'YYYY-MM-DD' string, got ${describe(asOf)}`);
    }
    const explain = options?.explain ?? undefined;
    if (explain !== undefined && typeof explain !== 'boolean') {
      throw new TypeError(`${method}(request, { explain }): explain must be true or false, got ${describe(explain)}`);
    }
    const record = options?.record ?? undefined;
    if (record !== undefined && typeof record !== 'boolean') {
      throw new TypeError(`${method}(request, { record }): record must be true or false, got ${describe(record)}`);
    }
    let text;
    if (typeof request === 'string') {
      text = request;
    } else if (typeof request === 'object' && request !== null) {
      try {
        text = JSON.stringify(request);
      } catch (error) {
        const deep = error instanceof RangeError && /call stack/i.test(error.message);
        return this.#rejectJson(
          deep ? 'too_deep' : 'not_json',
          deep
            ? 'the request object nests too deeply to be written as JSON'
            : `the request object cannot be written as JSON: ${error.message}`,
        );
      }
      if (typeof text !== 'string') return this.#rejectJson('not_json', 'the request object has no JSON form');
    } else {
      throw new TypeError(`${method}(request): request must be an object or a JSON string, got ${describe(request)}`);
    }
    this.#maxBytes ??= this.#call((e) => e.maxInputBytes());
    if (text.length > this.#maxBytes) {
      return this.#rejectJson('too_large', `the request is ${utf8Length(text)} bytes; the limit is ${this.#maxBytes} bytes`);
    }
    if (!wellFormed(text)) {
      return this.#rejectJson(
        'invalid_string',
        'the request is not valid JSON: it contains a lone UTF-16 surrogate (not well-formed Unicode)',
      );
    }
    return this.#call(
      (e) => {
        // Encoded straight into the engine's input buffer (at most 3 bytes per UTF-16 unit);
        // a request larger than the engine keeps a buffer for (it answers 0) is encoded here
        // and copied in.
        const room = text.length * 3;
        const at = e.inputBuffer(room);
        if (at === 0) return e.evaluateBytes(utf8.encode(text), asOf, explain, record);
        const { written } = utf8.encodeInto(text, new Uint8Array(runtime.memory.buffer, at, room));
        return e.evaluateInput(written, asOf, lean, explain, record);
      },
      (fresh, error) =>
        fresh.rejectJson(
          'engine_trap',
          `the engine stopped abnormally while deciding this request (${error.message}); it has been restarted`,
        ),
    );
  }

  /** The pack's rules: id, title, severity, scenarios, actor, clauses, description, file. */
  rules() {
    this.#rules ??= this.#call((e) => e.rulesJson());
    return JSON.parse(this.#rules);
  }

  /** name, version and digest of the loaded pack. */
  get pack() {
    this.#pack ??= Object.freeze(JSON.parse(this.#call((e) => e.packJson())));
    return this.#pack;
  }

  /** Rules that failed to compile (lenient engines only; strict ones refuse such packs). */
  diagnostics() {
    this.#diagnostics ??= this.#call((e) => e.diagnosticsJson());
    return JSON.parse(this.#diagnostics);
  }

  /** The loaded pack as files: pack.json and the rule sources. */
  sources() {
    return JSON.parse(this.#call((e) => e.sourcesJson()));
  }

  /**
   * Runs test cases in the pack's `tests/*.json` format, as `cloudgate test` does: `files` is
   * `{ "tests/<name>.json": text }`, the bases (`tests/base/*.json`) included. Returns
   * `{ pack, passed, failed, cases: [{ file, name, rule, passed, problems, expected, actual }] }`,
   * and with `{ coverage: true }` also `coverage: { ruleId: { file, lines, statements,
   * branch_arms, branches } }`. Needs the full module (the edge module has no test runner).
   */
  runTests(files, options) {
    if (!isPlainObject(files)) throw new TypeError(`runTests(files): files must be an object of { path: text }, got ${describe(files)}`);
    for (const [path, text] of Object.entries(files)) {
      if (typeof text !== 'string') throw new TypeError(`runTests: files['${path}'] must be the file's text, got ${describe(text)}`);
    }
    if (options !== undefined && !isPlainObject(options)) throw new TypeError(`runTests(files, options): options must be an object, got ${describe(options)}`);
    const coverage = options?.coverage === true;
    return JSON.parse(
      this.#call((e) => {
        return e.runTestsJson(JSON.stringify(files), coverage);
      }),
    );
  }

  /** The sandbox limits in force (defaults merged with `options.limits`). */
  limits() {
    return JSON.parse(this.#call((e) => e.limitsJson()));
  }

  /** The request's JSON Schema (`cloudgate schema`, schema.json), a fresh object per call. */
  schema() {
    return requestSchema();
  }

  /** Releases the compiled pack now instead of when the engine is garbage-collected. */
  free() {
    if (this.#held === null) return;
    finalizer.unregister(this);
    release(this.#held);
    this.#held = null;
  }
}

function checkOptions(options) {
  if (options === undefined) return {};
  if (!isPlainObject(options)) throw new TypeError(`createEngine(options): options must be an object, got ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new TypeError(`createEngine(options): unknown option \`${key}\`; the options are ${[...OPTION_KEYS].join(', ')}`);
    }
  }
  const { rules, params, packDigest, lenient, limits } = options;
  if (rules !== undefined) {
    if (!isPlainObject(rules)) throw new TypeError(`createEngine: options.rules must be an object of { path: source }, got ${describe(rules)}`);
    for (const [path, text] of Object.entries(rules)) {
      if (typeof text !== 'string' && text !== null) {
        throw new TypeError(`createEngine: options.rules['${path}'] must be the file's text (or null to remove it), got ${describe(text)}`);
      }
    }
  }
  if (params !== undefined && !isPlainObject(params)) throw new TypeError(`createEngine: options.params must be an object, got ${describe(params)}`);
  if (packDigest !== undefined && typeof packDigest !== 'string') throw new TypeError(`createEngine: options.packDigest must be a string, got ${describe(packDigest)}`);
  if (lenient !== undefined && typeof lenient !== 'boolean') throw new TypeError(`createEngine: options.lenient must be a boolean, got ${describe(lenient)}`);
  if (limits !== undefined && !isPlainObject(limits)) throw new TypeError(`createEngine: options.limits must be an object, got ${describe(limits)}`);
  const { onDecision } = options;
  if (onDecision !== undefined && typeof onDecision !== 'function') throw new TypeError(`createEngine: options.onDecision must be a function (decision) => void, got ${describe(onDecision)}`);
  const { wasm, onDecision: _hook, ...rest } = options;
  let json;
  try {
    json = JSON.stringify(rest);
  } catch (error) {
    throw new TypeError(`createEngine: the options cannot be written as JSON: ${error.message}`);
  }
  return { json, wasm, onDecision };
}

/** Builds the package's API around a default source of the .wasm for one kind of runtime. */
export function makeApi(defaultWasm) {
  async function createEngine(options) {
    const { json = '{}', wasm, onDecision } = checkOptions(options);
    await ensureInstance(() => (wasm !== undefined ? wasm : defaultWasm()));
    return new Engine(json, onDecision);
  }
  return { createEngine };
}

/** The engine's version (the Rust crate's), once an engine has been created. */
export function version() {
  return runtime.module ? wasmVersion() : undefined;
}

/**
 * The rule language's host functions and methods, from the engine's one table:
 * `[{ name, kind: 'function' | 'method', arities, signature, doc, mutates }]`, for completion and
 * hover docs in editors. Needs an engine created first (the table lives in the module), and the
 * full module.
 */
export function hostFunctions() {
  if (!runtime.module) throw new Error('cloudgate: hostFunctions() needs an engine created first (createEngine)');
  return JSON.parse(hostFunctionsJson()).map(({ method, ...f }) => ({ ...f, kind: method ? 'method' : 'function' }));
}

/** For the package's own tests only: not part of the API. */
export const _internals = {
  generation: () => runtime.generation,
  trap() {
    try {
      __trapForTests();
    } catch (error) {
      if (!isTrap(error)) throw error;
      replaceInstance();
      return true;
    }
    return false;
  },
};
