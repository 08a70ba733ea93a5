// The engine runs here, off the page's thread: a slow or runaway rule can never freeze the page,
// and the page can terminate and restart this worker when an answer takes too long.
//
// Two engines: `default` (the embedded pack; the portal and the simulator) and `custom` (the
// workbench's edits overlaid on it, compiled leniently so that broken rules are reported as
// diagnostics and `error` findings instead of refusing the whole pack).
//
// The workbench runs a second instance of this worker for its tools (`check` while typing,
// `runTests`, `hostFunctions`), so that running the pack's cases never delays a decision.

// The engine package's browser entry; tests may point the worker at another build of it with
// `?engine=<same-origin path>` (the page passes its own query on).
const requested = new URL(self.location.href).searchParams.get('engine');
const engineModule =
  requested && new URL(requested, self.location.href).origin === self.location.origin
    ? new URL(requested, self.location.href).href
    : '../js/browser.js';
const loading = import(engineModule);
loading.catch(() => {}); // reported by the first call that needs it

const engines = { default: null, custom: null };

function describe(engine) {
  return {
    pack: engine.pack,
    rules: engine.rules(),
    diagnostics: engine.diagnostics(),
  };
}

/** A lenient engine for an overlay of edited files, or the default one; `free` after use. */
async function overlayEngine(rules) {
  if (!rules || Object.keys(rules).length === 0) return { engine: engines.default, owned: false };
  const { createEngine } = await loading;
  return { engine: await createEngine({ rules, lenient: true }), owned: true };
}

const ops = {
  async init() {
    const { createEngine } = await loading;
    if (!engines.default) engines.default = await createEngine();
    return { ...describe(engines.default), sources: engines.default.sources() };
  },
  async setCustom({ rules }) {
    if (engines.custom) {
      engines.custom.free();
      engines.custom = null;
    }
    if (!rules || Object.keys(rules).length === 0) return null;
    const { createEngine } = await loading;
    engines.custom = await createEngine({ rules, lenient: true });
    return describe(engines.custom);
  },
  /** The engine's host functions and methods (name, kind, arities, signature, doc). */
  async hostFunctions() {
    const mod = await loading;
    return typeof mod.hostFunctions === 'function' ? mod.hostFunctions() : [];
  },
  /**
   * The workbench's check while typing: the diagnostics of the pack with these files overlaid
   * (a throwaway lenient engine; a pack that does not load at all reports its own diagnostics).
   */
  async check({ rules }) {
    if (!engines.default) await ops.init();
    let built;
    try {
      built = await overlayEngine(rules);
    } catch (err) {
      return { loaded: false, message: String(err?.message ?? err), diagnostics: Array.isArray(err?.diagnostics) ? err.diagnostics : [] };
    }
    try {
      return { loaded: true, digest: built.engine.pack.digest, diagnostics: built.engine.diagnostics() };
    } finally {
      if (built.owned) built.engine.free();
    }
  },
  /** The pack's test cases (`tests/…json` files) with the edited rules overlaid, with coverage. */
  async runTests({ rules, files, coverage = true }) {
    if (!engines.default) await ops.init();
    const built = await overlayEngine(rules);
    try {
      if (typeof built.engine.runTests !== 'function') throw new Error('this engine build has no runTests(): rebuild the wasm package (scripts/build-wasm.sh)');
      return built.engine.runTests(files, { coverage });
    } finally {
      if (built.owned) built.engine.free();
    }
  },
  async evaluate({ text, pack, asOf, explain }) {
    const engine = (pack === 'custom' && engines.custom) || engines.default;
    if (!engine) throw new Error('the engine is not loaded yet');
    const options = {};
    if (asOf) options.asOf = asOf;
    if (explain) options.explain = true;
    return engine.evaluate(text, Object.keys(options).length ? options : undefined);
  },
};

self.onmessage = async (event) => {
  const { id, op, args } = event.data;
  try {
    const fn = ops[op];
    if (!fn) throw new Error(`unknown operation ${op}`);
    const result = await fn(args ?? {});
    self.postMessage({ id, ok: true, result });
  } catch (err) {
    self.postMessage({
      id,
      ok: false,
      error: {
        message: String(err && err.message ? err.message : err),
        diagnostics: err && Array.isArray(err.diagnostics) ? err.diagnostics : [],
      },
    });
  }
};
