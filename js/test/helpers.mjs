// Shared by the JS tests: where things are, the case-file expansion of src/cases.rs, and the
// native CLI as the reference for parity.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const JS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(JS, '..');
export const CLI = process.env.CLOUDGATE_CLI || path.join(REPO, 'target', 'debug', 'cloudgate');
export const AS_OF = '2026-09-02';

/**
 * The sample requests with their expected decisions: the shared ones when present
 * (`../shared/examples` next to the repository), else the repository's copy (examples/requests).
 */
export function examplesDir() {
  for (const dir of [process.env.CLOUDGATE_EXAMPLES, path.resolve(REPO, '../shared/examples'), path.join(REPO, 'examples', 'requests')]) {
    if (dir && fs.existsSync(path.join(dir, 'expected.json'))) return dir;
  }
  return null;
}

export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

// ---- src/cases.rs, step for step: path steps, set, unset, prepare -------------------------

function pathSteps(p) {
  const out = [];
  for (const part of p.split('.')) {
    const i = part.indexOf('[');
    const name = i >= 0 ? part.slice(0, i) : part;
    let rest = i >= 0 ? part.slice(i) : '';
    if (name) out.push({ key: name });
    while (rest) {
      const close = rest.indexOf(']');
      if (close < 0) throw new Error(`malformed path \`${p}\``);
      const text = rest.slice(1, close);
      if (!/^\d+$/.test(text)) throw new Error(`malformed index in \`${p}\``);
      out.push({ index: Number(text) });
      rest = rest.slice(close + 1);
    }
  }
  if (!out.length) throw new Error(`empty path \`${p}\``);
  return out;
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

export function unsetPath(root, p) {
  const steps = pathSteps(p);
  const last = steps.pop();
  let current = root;
  for (const step of steps) {
    const next = 'key' in step ? (isObject(current) ? current[step.key] : undefined) : Array.isArray(current) ? current[step.index] : undefined;
    if (next === undefined) throw new Error(`\`${p}\` does not exist in the request`);
    current = next;
  }
  if ('key' in last && isObject(current) && Object.hasOwn(current, last.key)) {
    delete current[last.key];
  } else if ('index' in last && Array.isArray(current) && last.index < current.length) {
    current.splice(last.index, 1);
  } else {
    throw new Error(`\`${p}\` does not exist in the request`);
  }
}

/** Expands a case file into concrete requests: { file, name, text, asOf, params, expect }. */
export function prepare(file, caseFile, bases) {
  return caseFile.cases.map((c) => {
    const label = `${file}: ${c.name}`;
    const asOf = c.as_of ?? caseFile.as_of ?? undefined;
    let text;
    if (typeof c.raw === 'string') {
      text = c.raw;
    } else {
      let request;
      const base = c.base ?? caseFile.base;
      if (c.request !== undefined) request = structuredClone(c.request);
      else if (base !== undefined) {
        if (!(base in bases)) throw new Error(`${label}: unknown base \`${base}\``);
        request = structuredClone(bases[base]);
      } else throw new Error(`${label}: needs \`base\`, \`request\` or \`raw\``);
      // serde_json's map (`set`) iterates in key order; so does this.
      const holder = { request };
      for (const key of Object.keys(c.set ?? {}).sort()) {
        holder.request = setPathRoot(holder.request, key, c.set[key]);
      }
      for (const p of c.unset ?? []) unsetPath(holder.request, p);
      text = JSON.stringify(holder.request);
    }
    const params = { ...(caseFile.params ?? {}), ...(c.params ?? {}) };
    return { file, name: c.name, text, asOf, params, expect: c.expect };
  });
}

/** set_path that may replace the root (a path into a non-object root makes it an object). */
function setPathRoot(root, p, value) {
  const box = { root };
  const steps = pathSteps(p);
  let holder = box;
  let key = 'root';
  for (let n = 0; n < steps.length; n++) {
    const step = steps[n];
    const last = n + 1 === steps.length;
    let current = holder[key];
    if ('key' in step) {
      if (!isObject(current)) {
        current = {};
        holder[key] = current;
      }
      if (last) {
        current[step.key] = value;
        break;
      }
      if (!Object.hasOwn(current, step.key)) current[step.key] = null;
      holder = current;
      key = step.key;
    } else {
      if (!Array.isArray(current)) throw new Error(`set \`${p}\`: not an array`);
      if (step.index === current.length) current.push(null);
      if (step.index >= current.length) throw new Error(`set \`${p}\`: index ${step.index} is past the end`);
      if (last) {
        current[step.index] = value;
        break;
      }
      holder = current;
      key = step.index;
    }
  }
  return box.root;
}

/** The pack's base requests (rules/tests/base/*.json) by name. */
export function bases() {
  const dir = path.join(REPO, 'rules', 'tests', 'base');
  const out = {};
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) out[f.slice(0, -5)] = readJson(path.join(dir, f));
  return out;
}

/** Every case of rules/tests/*.json and tests/cases/*.json, expanded. */
export function allCases() {
  const b = bases();
  const out = [];
  for (const dir of [path.join(REPO, 'rules', 'tests'), path.join(REPO, 'tests', 'cases')]) {
    const label = path.relative(REPO, dir);
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      out.push(...prepare(`${label}/${f}`, readJson(path.join(dir, f)), b));
    }
  }
  return out;
}

/**
 * Decides every item `{ text, asOf, params }` with the native CLI, one invocation per
 * (asOf, params) group; returns the decisions in the order of `items`.
 */
export function nativeDecisions(items) {
  if (!fs.existsSync(CLI)) throw new Error(`the native CLI is missing at ${CLI}: run \`cargo build\` (scripts/test-js.sh does)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cloudgate-parity-'));
  try {
    const groups = new Map();
    items.forEach((item, i) => {
      const key = JSON.stringify([item.asOf ?? null, Object.entries(item.params ?? {}).sort()]);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(i);
    });
    const out = new Array(items.length);
    for (const [key, indices] of groups) {
      const [asOf, params] = JSON.parse(key);
      const files = indices.map((i) => {
        const file = path.join(dir, `${String(i).padStart(5, '0')}.json`);
        fs.writeFileSync(file, items[i].text);
        return file;
      });
      const args = ['check', '--format', 'json', '--jobs', '1'];
      if (asOf) args.push('--as-of', asOf);
      for (const [name, value] of params) args.push('--param', `${name}=${JSON.stringify(value)}`);
      let stdout;
      try {
        stdout = execFileSync(CLI, [...args, ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
      } catch (error) {
        if (typeof error.status !== 'number' || error.status > 2) throw error; // 1, 2: review/deny/error decisions
        stdout = error.stdout;
      }
      const text = stdout.trim();
      const lines = files.length === 1 ? [text] : text.split('\n');
      if (lines.length !== files.length) throw new Error(`the CLI printed ${lines.length} decisions for ${files.length} files`);
      lines.forEach((line, k) => {
        out[indices[k]] = JSON.parse(line);
      });
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** What parity compares: everything but the wall-clock statistic. */
export function comparable(decision) {
  const copy = structuredClone(decision);
  if (copy.stats) delete copy.stats.micros;
  return copy;
}

export function failing(decision) {
  return decision.findings.filter((f) => f.outcome === 'fail').map((f) => f.rule).sort();
}

/**
 * One engine per set of parameter overrides, built on first need with `createEngine` (the entry
 * point under test): the case files override parameters in a few cases only.
 */
export function enginesByParams(createEngine) {
  const engines = new Map();
  return async (params) => {
    const key = JSON.stringify(Object.entries(params ?? {}).sort());
    if (!engines.has(key)) engines.set(key, await createEngine(Object.keys(params ?? {}).length ? { params } : undefined));
    return engines.get(key);
  };
}
