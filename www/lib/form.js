// The structured field editor: every leaf of the request becomes a labelled control carrying
// its engine path in `data-path`, so a finding's path can focus exactly that control.
// Used whole by the portal and for a chosen list of paths by the simulator.

import { FIELDS, fieldContext, fieldHint, fieldInfo, fieldTitle } from './fields.js';
import { getPath, parsePath, shapeOf } from './paths.js';

/**
 * The enumerations of the request, keyed by path shape, as the JSON Schema lists them
 * (js/schema.js, generated from `cloudgate schema`); "none" (null) is offered besides.
 */
export const ENUMS = Object.fromEntries(
  Object.entries(FIELDS)
    .filter(([, f]) => f.kind === 'enum')
    .map(([shape, f]) => [shape, f.values]),
);

/**
 * Fields of contract 2 (domain.md §4) that the form offers even when a request lacks them (an
 * older request, or one typed by hand), with the kind of control each gets. A field the request
 * lacks is marked "not in the request" and is only written when the user sets it.
 */
export const OFFERED_FIELDS = {
  'agreement.pre_contract_info.international_access_safeguards': 'bool',
  'agreement.exit_terms.switching_assistance': 'bool',
  'agreement.exit_terms.business_continuity': 'bool',
  'agreement.exit_terms.security_maintained': 'bool',
  'agreement.exit_terms.contract_ends_on_completion': 'bool',
  'agreement.exit_terms.erasure_after_retrieval': 'bool',
  'agreement.exit_terms.extension_right': 'bool',
  'transfer.target_provider.dpf_certified': 'bool',
  'suppliers[].jurisdiction': 'text',
  'suppliers[].transfer_mechanism': 'enum',
};

/** Boolean fields, so that an empty (null) or missing one still gets a checkbox. */
const BOOL_FIELDS = new Set([
  ...Object.keys(FIELDS).filter((shape) => FIELDS[shape].kind === 'bool'),
  ...Object.keys(OFFERED_FIELDS).filter((k) => OFFERED_FIELDS[k] === 'bool'),
]);

/** Whether the field holds a date, so that an empty (null) one still gets a date control. */
const DATE_KEY = /(_at|_date|_end|^date|_until|^as_of)$/; // for fields the schema does not know
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
function isDateField(path) {
  const info = fieldInfo(path);
  return info ? info.kind === 'date' : DATE_KEY.test(String(parsePath(path).at(-1)));
}

let seq = 0;

function controlFor(path, value, idBase) {
  const shape = shapeOf(path);
  const id = `${idBase}-${++seq}`;
  let el;
  let kind;
  if (ENUMS[shape]) {
    kind = 'enum';
    el = document.createElement('select');
    const values = [...ENUMS[shape]];
    if (value !== null && value !== undefined && !values.includes(value)) values.push(value);
    const none = document.createElement('option');
    none.value = '';
    none.textContent = '— none —';
    el.append(none);
    const docs = fieldInfo(path)?.valueDocs ?? {};
    for (const v of values) {
      const o = document.createElement('option');
      o.value = v;
      o.textContent = v;
      if (docs[v]) o.title = docs[v];
      el.append(o);
    }
    el.value = value ?? '';
  } else if (typeof value === 'boolean' || ((value === null || value === undefined) && BOOL_FIELDS.has(shape))) {
    kind = 'bool';
    el = document.createElement('input');
    el.type = 'checkbox';
    el.checked = value === true;
  } else if (typeof value === 'number') {
    kind = 'number';
    el = document.createElement('input');
    el.type = 'number';
    el.step = 'any';
    el.value = String(value);
  } else if (Array.isArray(value)) {
    kind = 'list';
    el = document.createElement('input');
    el.type = 'text';
    el.value = value.join(', ');
    el.placeholder = 'comma-separated';
  } else if (isDateField(path) && (value === null || value === undefined || ISO_DATE.test(value))) {
    kind = 'date';
    el = document.createElement('input');
    el.type = 'date';
    el.value = value ?? '';
  } else {
    kind = 'text';
    el = document.createElement('input');
    el.type = 'text';
    el.value = value ?? '';
    if (value === null || value === undefined) el.placeholder = 'empty (null)';
  }
  el.id = id;
  el.dataset.path = path;
  el.dataset.kind = kind;
  el.autocomplete = 'off';
  return el;
}

/** Reads a control back into a JSON value. */
export function readControl(el) {
  const v = el.value;
  switch (el.dataset.kind) {
    case 'bool':
      return el.checked;
    case 'number':
      return v === '' ? null : Number(v);
    case 'list':
      return v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    default:
      return v === '' ? null : v;
  }
}

function leaf(path, value, idBase, { missing = false } = {}) {
  const row = document.createElement('div');
  row.className = missing ? 'field field-missing' : 'field';
  const control = controlFor(path, value, idBase);
  // The field's title from the schema; its path and description on hover.
  const label = document.createElement('label');
  label.htmlFor = control.id;
  label.textContent = fieldTitle(path);
  label.title = fieldHint(path);
  if (missing) control.dataset.missing = 'true';
  if (control.dataset.kind === 'bool') {
    row.classList.add('field-bool');
    row.append(control, label);
  } else {
    row.append(label, control);
  }
  return row;
}

function isScalarArray(v) {
  return Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
}

function itemLabel(item, i) {
  if (item && typeof item === 'object') {
    const name = item.name ?? item.legal_name ?? item.role ?? item.asset_id ?? item.category;
    const id = item.id ?? '';
    return `#${i + 1}${id ? ` ${id}` : ''}${name ? ` · ${name}` : ''}`;
  }
  return `#${i + 1}`;
}

function node(path, value, idBase) {
  if (value !== null && typeof value === 'object' && !isScalarArray(value)) {
    const fs = document.createElement('fieldset');
    fs.dataset.path = path;
    const lg = document.createElement('legend');
    const key = parsePath(path).at(-1);
    lg.textContent = typeof key === 'number' ? itemLabel(value, key) : fieldTitle(path);
    if (typeof key !== 'number') lg.title = fieldHint(path);
    fs.append(lg);
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    if (entries.length === 0) {
      const p = document.createElement('p');
      p.className = 'hint';
      p.textContent = Array.isArray(value) ? 'empty list — add entries in the JSON tab' : 'empty — add fields in the JSON tab';
      fs.append(p);
    }
    for (const [k, v] of entries) {
      const child = typeof k === 'number' ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      // A null block the form offers fields of (e.g. "exit_terms": null) is drawn by offered().
      if (v === null && isOfferedBlock(child)) continue;
      fs.append(node(child, v, idBase));
    }
    if (!Array.isArray(value)) fs.append(...offered(path, value, idBase));
    return fs;
  }
  return leaf(path, value, idBase);
}

function isOfferedBlock(path) {
  const prefix = `${shapeOf(path)}.`;
  return Object.keys(OFFERED_FIELDS).some((k) => k.startsWith(prefix));
}

/** The contract-2 fields (OFFERED_FIELDS) that the object at `path` lacks, as controls. */
function offered(path, value, idBase) {
  const prefix = `${shapeOf(path)}.`;
  const missing = new Map(); // key -> [rest of the shape]
  for (const shape of Object.keys(OFFERED_FIELDS)) {
    if (!shape.startsWith(prefix)) continue;
    const [key, ...rest] = shape.slice(prefix.length).split('.');
    if (key.includes('[') || (value && Object.hasOwn(value, key) && value[key] !== null && typeof value[key] === 'object')) continue;
    if (value && Object.hasOwn(value, key) && rest.length === 0) continue;
    if (!missing.has(key)) missing.set(key, []);
    missing.get(key).push(rest.join('.'));
  }
  const out = [];
  for (const [key, rests] of missing) {
    const child = `${path}.${key}`;
    if (rests.length === 1 && rests[0] === '') {
      out.push(leaf(child, null, idBase, { missing: true }));
      continue;
    }
    // A whole block the request lacks (e.g. agreement.exit_terms): its offered fields.
    const fs = document.createElement('fieldset');
    fs.dataset.path = child;
    fs.classList.add('block-missing');
    const lg = document.createElement('legend');
    lg.textContent = `${fieldTitle(child)} (not in the request)`;
    lg.title = fieldHint(child);
    fs.append(lg, ...offered(child, null, idBase));
    out.push(fs);
  }
  return out;
}

/**
 * Renders the whole request: one collapsible section per top-level block. `open` names the
 * sections to show expanded (others keep the state they had before a re-render).
 */
export function renderRequestForm(container, request, { idBase = 'f', open = [] } = {}) {
  const wasOpen = new Set(
    [...container.querySelectorAll(':scope > details[open]')].map((d) => d.dataset.section),
  );
  const hadSections = container.querySelector(':scope > details') !== null;
  container.replaceChildren();
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    const p = document.createElement('p');
    p.className = 'hint';
    p.textContent = 'The request is not a JSON object: edit it in the JSON tab.';
    container.append(p);
    return;
  }
  const general = document.createElement('details');
  general.dataset.section = '';
  const gs = document.createElement('summary');
  gs.textContent = 'request';
  const generalBody = document.createElement('div');
  generalBody.className = 'section-body';
  general.append(gs, generalBody);
  let generalCount = 0;
  const sections = [];
  for (const [key, value] of Object.entries(request)) {
    if (value !== null && typeof value === 'object' && !isScalarArray(value)) {
      const d = document.createElement('details');
      d.dataset.section = key;
      const s = document.createElement('summary');
      s.textContent = fieldTitle(key);
      s.title = fieldHint(key);
      d.append(s);
      const body = node(key, value, idBase);
      body.classList.add('section-body');
      body.querySelector(':scope > legend')?.remove();
      d.append(body);
      sections.push(d);
    } else {
      generalBody.append(leaf(key, value, idBase));
      generalCount++;
    }
  }
  if (generalCount) sections.unshift(general);
  for (const d of sections) {
    const key = d.dataset.section;
    if (open.includes(key) || (hadSections ? wasOpen.has(key) : key === '')) d.open = true;
  }
  container.append(...sections);
}

/**
 * Renders only the given paths, flat (the simulator), each labelled with its title and the
 * blocks it sits in ("Termination › Effective date"); the path and description on hover.
 */
export function renderFieldList(container, request, paths, { idBase = 's' } = {}) {
  container.replaceChildren();
  for (const path of paths) {
    const row = leaf(path, getPath(request, path) ?? null, idBase);
    const label = row.querySelector('label');
    label.textContent = fieldContext(path, request);
    label.classList.add('context-label');
    container.append(row);
  }
}

/** Marks the controls the failing findings point at. */
export function markInvalid(container, paths) {
  const set = new Set(paths);
  for (const el of container.querySelectorAll('[data-path]')) {
    if (el.tagName === 'FIELDSET') continue;
    if (set.has(el.dataset.path)) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
  }
}

/**
 * Focuses the control of `path` (opening its section), or the nearest enclosing one when the
 * field is missing. Returns 'exact', 'ancestor' or null.
 */
export function focusPath(container, path) {
  const esc = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/"/g, '\\"'));
  let target = container.querySelector(`[data-path="${esc(path)}"]`);
  let how = 'exact';
  if (!target) {
    how = 'ancestor';
    const parts = parsePath(path);
    while (parts.length && !target) {
      parts.pop();
      let p = '';
      for (const x of parts) p += typeof x === 'number' ? `[${x}]` : p ? `.${x}` : x;
      if (p) target = container.querySelector(`[data-path="${esc(p)}"]`);
    }
    if (!target) {
      const top = String(parsePath(path)[0] ?? '');
      target = container.querySelector(`details[data-section="${esc(top)}"]`);
    }
  }
  if (!target) return null;
  for (let el = target; el && el !== container; el = el.parentElement) {
    if (el.tagName === 'DETAILS') el.open = true;
  }
  let focusable = target;
  if (target.tagName === 'FIELDSET' || target.tagName === 'DETAILS') {
    focusable = target.querySelector('input, select, textarea') ?? target.querySelector('summary') ?? target;
  }
  focusable.scrollIntoView({ block: 'center', behavior: 'smooth' });
  focusable.focus({ preventScroll: true });
  const row = focusable.closest('.field') ?? target;
  row.classList.remove('flash');
  void row.offsetWidth;
  row.classList.add('flash');
  return how;
}
