// The page's side of the engine worker: request/response by id, a time limit on every call,
// and a fresh worker (with the same custom pack) when a call runs over it. The engine already
// stops a runaway rule by counting operations; the time limit is the second line of defence
// for anything that still would not return.

export class EngineTimeout extends Error {}

export class EngineClient {
  constructor(url, { timeoutMs = 8000, onRestart = () => {} } = {}) {
    this.url = url;
    this.timeoutMs = timeoutMs;
    this.onRestart = onRestart;
    this.nextId = 1;
    this.pending = new Map();
    this.customRules = null;
    this.restarts = 0;
    this.spawn();
  }

  spawn() {
    this.worker = new Worker(this.url, { type: 'module' });
    this.worker.onmessage = (e) => this.settle(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      const message = e.message || 'the engine worker failed to start';
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        p.reject(new Error(message));
        this.pending.delete(id);
      }
    };
    // Loading compiles the wasm and the pack: slower than any evaluation, so it gets more time.
    const loadMs = Math.max(this.timeoutMs, 30000);
    this.ready = this.send('init', undefined, loadMs).then(async (info) => {
      if (this.customRules) await this.send('setCustom', { rules: this.customRules }, loadMs);
      return info;
    });
  }

  settle({ id, ok, result, error }) {
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
    if (ok) p.resolve(result);
    else {
      const err = new Error(error.message);
      err.diagnostics = error.diagnostics;
      p.reject(err);
    }
  }

  send(op, args, timeoutMs = this.timeoutMs) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.restart(id), timeoutMs);
      this.pending.set(id, { resolve, reject, timer, op });
      this.worker.postMessage({ id, op, args });
    });
  }

  /** Kills a worker that ran over the limit; every call still waiting fails with EngineTimeout. */
  restart(timedOutId) {
    this.worker.terminate();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(
        new EngineTimeout(
          id === timedOutId
            ? `no answer within ${this.timeoutMs / 1000} s: the engine was stopped and restarted`
            : 'cancelled: the engine was restarted',
        ),
      );
    }
    this.pending.clear();
    this.restarts++;
    this.spawn();
    this.onRestart(this.restarts);
  }

  async init() {
    return this.ready;
  }

  /** `explain`: passing findings carry a message naming the values checked (domain.md §2). */
  async evaluate(text, { pack = 'default', asOf, explain = false } = {}) {
    await this.ready;
    return this.send('evaluate', { text, pack, asOf, explain });
  }

  /** Installs (or with null / {} removes) the workbench's edited files. */
  async setCustom(rules) {
    await this.ready;
    this.customRules = rules && Object.keys(rules).length ? rules : null;
    return this.send('setCustom', { rules: this.customRules }, Math.max(this.timeoutMs, 30000));
  }
}
