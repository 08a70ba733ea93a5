// The pack's own test cases (rules/tests/*.json) that are termination requests, made concrete the
// way src/cases.rs does it (a base request, then `set` and `unset`), for the agreement checks of
// run.mjs: they probe the edges of each rule (the Data Act scope, the two-month cap, working days
// with public holidays, parallel use, …) that the generated requests rarely reach. Cases given as
// raw text (not JSON) are left out; a case's `params` are returned for the caller to apply.

import fs from 'node:fs';
import path from 'node:path';

/** `a.b[2].c` → ['a', 'b', 2, 'c']. */
function steps(p) {
  const out = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/** Sets `p` to `value`, creating objects on the way; index `length` appends. */
function setPath(root, p, value) {
  const s = steps(p);
  let cur = root;
  for (let i = 0; i < s.length - 1; i++) {
    const k = s[i];
    if (typeof k === 'number' && k === cur.length) cur.push(null);
    if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
    cur = cur[k];
  }
  cur[s.at(-1)] = value;
}

function unsetPath(root, p) {
  const s = steps(p);
  let cur = root;
  for (const k of s.slice(0, -1)) cur = cur?.[k];
  const last = s.at(-1);
  if (Array.isArray(cur) && typeof last === 'number') cur.splice(last, 1);
  else if (cur && typeof cur === 'object') delete cur[last];
}

/** [{ name, request, asOf, params }] for every termination case of the pack in `root`. */
export function terminationCases(root) {
  const dir = path.join(root, 'rules/tests');
  if (!fs.existsSync(dir)) return [];
  const bases = {};
  for (const f of fs.readdirSync(path.join(dir, 'base')).filter((f) => f.endsWith('.json'))) {
    bases[f.slice(0, -5)] = JSON.parse(fs.readFileSync(path.join(dir, 'base', f), 'utf8'));
  }
  const out = [];
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const file = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    for (const c of file.cases ?? []) {
      if (c.raw !== undefined) continue;
      const start = c.request ?? bases[c.base ?? file.base];
      if (!start) continue;
      const request = structuredClone(start);
      for (const [p, v] of Object.entries(c.set ?? {})) setPath(request, p, v);
      for (const p of c.unset ?? []) unsetPath(request, p);
      if (request?.scenario !== 'termination') continue;
      out.push({ name: `${f}: ${c.name}`, request, asOf: c.as_of ?? file.as_of, params: { ...file.params, ...c.params } });
    }
  }
  return out;
}
