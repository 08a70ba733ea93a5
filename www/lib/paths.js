// Field paths as the engine reports them (`data_assets[1].deletion.status`), shared by the
// portal, the simulator and the Node scripts. No DOM here.

/** Splits `a.b[0].c` into ['a', 'b', 0, 'c']. */
export function parsePath(path) {
  const parts = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let m;
  while ((m = re.exec(path)) !== null) {
    if (m[1] !== undefined) parts.push(m[1]);
    else parts.push(Number(m[2]));
  }
  return parts;
}

/** Joins parts back into the engine's spelling. */
export function formatPath(parts) {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${p}` : p;
  }
  return out;
}

export function getPath(obj, path) {
  let cur = obj;
  for (const p of parsePath(path)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[p];
  }
  return cur;
}

/** Sets a value, creating missing objects/arrays on the way. */
export function setPath(obj, path, value) {
  const parts = parsePath(path);
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i];
    if (cur[p] === null || typeof cur[p] !== 'object') cur[p] = typeof parts[i + 1] === 'number' ? [] : {};
    cur = cur[p];
  }
  cur[parts[parts.length - 1]] = value;
  return obj;
}

export function unsetPath(obj, path) {
  const parts = parsePath(path);
  let cur = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return obj;
    cur = cur[parts[i]];
  }
  if (cur !== null && typeof cur === 'object') delete cur[parts[parts.length - 1]];
  return obj;
}

/** The longest prefix of `path` that exists in `obj` (for focusing a missing field's parent). */
export function nearestExisting(obj, path) {
  const parts = parsePath(path);
  let cur = obj;
  const found = [];
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object' || !(p in cur)) break;
    found.push(p);
    cur = cur[p];
  }
  return formatPath(found);
}

/** Path with indexes replaced by `[]`, to look up per-field metadata. */
export function shapeOf(path) {
  return path.replace(/\[\d+\]/g, '[]');
}

export function clone(v) {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}
