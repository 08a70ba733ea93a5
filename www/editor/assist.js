// Completion and hover docs for the rule editor. Two sources of truth, both handed in by the
// page: the engine's table of host functions and methods (`hostFunctions()`: name, kind,
// arities, signature, doc) and the request's fields read from its JSON Schema (path shape →
// title, description, kind, values; www/lib/fields.js).
//
// Paths are completed where a rule writes them: inside the string given to need/field/present
// (`need(req, "termination.eff|")`) and after `req.` (`req.termination.|`).

import { hoverTooltip } from '@codemirror/view';
import { GLOBALS } from './rhai.js';

const KEYWORDS = ['let', 'const', 'if', 'else', 'switch', 'while', 'loop', 'do', 'for', 'in', 'break', 'continue', 'return', 'fn', 'true', 'false'];
const GLOBAL_DOCS = {
  req: 'the request being decided (a map)',
  params: "the pack's parameters (pack.json), after any overrides",
  as_of: 'the evaluation date, `YYYY-MM-DD`',
  scenario: "the request's scenario: onboarding, termination, transfer or removal",
  lifecycle: 'the lifecycle states the scenario moves between',
};
const PATH_CALL = /\b(need|field|present)\s*\(\s*([A-Za-z_][\w.[\]]*)\s*,\s*$/;

/** Text with `code` spans as DOM: the docs of the host table and the schema use backticks. */
function richText(text, tag = 'p') {
  const el = document.createElement(tag);
  String(text ?? '')
    .split(/(`[^`]*`)/)
    .forEach((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length > 1) {
        const c = document.createElement('code');
        c.textContent = part.slice(1, -1);
        el.append(c);
      } else if (part) el.append(part);
    });
  return el;
}

function docNode(head, body, extra) {
  const box = document.createElement('div');
  box.className = 'cg-doc';
  const h = document.createElement('div');
  h.className = 'cg-doc-head';
  h.append(head);
  box.append(h);
  if (body) box.append(richText(body));
  if (extra) box.append(extra);
  return box;
}

function code(text) {
  const c = document.createElement('code');
  c.textContent = text;
  return c;
}

/** A path as a rule writes it to its schema shape: `data_assets[0].x` → `data_assets[].x`. */
export function shapeOf(path) {
  return path.replace(/\[\d*\]/g, '[]');
}

function fieldDoc(shape, info) {
  const head = document.createElement('span');
  const strong = document.createElement('strong');
  strong.textContent = info.title;
  head.append(strong, ' ', code(shape));
  let extra = null;
  if (info.values?.length) {
    extra = document.createElement('p');
    extra.append('values: ');
    info.values.forEach((v, i) => {
      if (i) extra.append(', ');
      extra.append(code(String(v)));
    });
  }
  return docNode(head, info.description, extra);
}

function hostDoc(f) {
  return docNode(code(f.signature), f.doc, f.kind === 'method' ? richText('a method: `x.' + f.name + '(…)`', 'p') : null);
}

/** Where the cursor is inside a double-quoted string on its line: the string's start, or -1. */
function stringStart(lineText, col) {
  let start = -1;
  let escaped = false;
  let tick = false;
  for (let i = 0; i < col; i++) {
    const c = lineText[i];
    if (start >= 0) {
      if (c === '"' && !escaped) start = -1;
      escaped = !escaped && c === '\\';
      continue;
    }
    if (c === '`') tick = !tick;
    else if (!tick && c === '/' && lineText[i + 1] === '/') return -1;
    else if (!tick && c === '"') {
      start = i;
      escaped = false;
    }
  }
  return start;
}

export class Assist {
  constructor({ hostFunctions = [], fields = {} } = {}) {
    this.fields = fields;
    this.setHostFunctions(hostFunctions);
    // Shapes inside list items, relative to the item: `need(asset, "deletion.status")`.
    this.relative = new Map();
    for (const shape of Object.keys(fields)) {
      // Every list level: `a[].b[].c` gives `b[].c` (in a) and `c` (in b).
      let at = shape.indexOf('[].');
      while (at >= 0) {
        const tail = shape.slice(at + 3);
        if (!this.relative.has(tail)) this.relative.set(tail, { ...fields[shape], list: shape.slice(0, at + 2) });
        at = shape.indexOf('[].', at + 3);
      }
    }
  }

  setHostFunctions(list) {
    this.host = new Map();
    for (const f of list ?? []) if (!this.host.has(f.name)) this.host.set(f.name, f);
  }

  hostNames() {
    return new Set(this.host.keys());
  }

  hostOption(f) {
    const onlyNoArgs = f.arities.every((a) => a === (f.kind === 'method' ? 1 : 0));
    return {
      label: f.name,
      type: f.kind === 'method' ? 'method' : 'function',
      detail: f.signature,
      info: () => hostDoc(f),
      apply: (view, completion, from, to) => {
        const text = `${f.name}()`;
        const cursor = from + f.name.length + (onlyNoArgs ? 2 : 1);
        view.dispatch({ changes: { from, to, insert: text }, selection: { anchor: cursor }, userEvent: 'input.complete' });
      },
    };
  }

  fieldOption(label, shape, info, apply) {
    return {
      label,
      type: info.kind === 'block' || info.kind === 'blocks' ? 'namespace' : 'property',
      detail: info.title,
      info: () => fieldDoc(shape, info),
      apply: apply ?? label,
    };
  }

  /** The CodeMirror completion source. */
  complete = (context) => {
    const line = context.state.doc.lineAt(context.pos);
    const col = context.pos - line.from;
    const before = line.text.slice(0, col);

    // 1. A path inside the string of need/field/present.
    const s = stringStart(line.text, col);
    if (s >= 0) {
      const call = PATH_CALL.exec(line.text.slice(0, s));
      if (!call) return null;
      const options = [];
      for (const [shape, info] of Object.entries(this.fields)) {
        options.push(this.fieldOption(shape, shape, info, shape.replace(/\[\]/g, '[0]')));
      }
      if (call[2] !== 'req') {
        for (const [tail, info] of this.relative) {
          if (this.fields[tail]) continue;
          options.push({ ...this.fieldOption(tail, tail, info, tail.replace(/\[\]/g, '[0]')), detail: `${info.title} (in ${info.list})` });
        }
      }
      // What is typed so far is matched by CodeMirror's own filter.
      return { from: line.from + s + 1, options, validFor: /^[\w.[\]]*$/ };
    }

    // 2. After `req.`: the members of that block.
    const chain = /\breq((?:\.[A-Za-z_]\w*|\[\d*\])*)\.(\w*)$/.exec(before);
    if (chain) {
      const prefix = shapeOf(chain[1].replace(/^\./, ''));
      const options = [];
      for (const [shape, info] of Object.entries(this.fields)) {
        const rest = prefix ? (shape.startsWith(`${prefix}.`) ? shape.slice(prefix.length + 1) : null) : shape;
        if (rest === null || rest.includes('.')) continue;
        const name = rest.replace(/\[\]$/, '');
        options.push(this.fieldOption(name, shape, info));
      }
      return { from: context.pos - chain[2].length, options, validFor: /^\w*$/ };
    }

    // 3. A method after any other `.`.
    const member = /\.(\w*)$/.exec(before);
    if (member && !/\d\.\w*$/.test(before)) {
      const options = [...this.host.values()].filter((f) => f.kind === 'method').map((f) => this.hostOption(f));
      return { from: context.pos - member[1].length, options, validFor: /^\w*$/ };
    }

    // 4. A word: host functions, methods callable as functions, keywords, globals.
    const word = context.matchBefore(/[A-Za-z_]\w*/);
    if (!word && !context.explicit) return null;
    if (/\/\/.*$/.test(before) && !/["`]/.test(before)) return null;
    const options = [];
    for (const f of this.host.values()) {
      if (f.kind === 'method' && !f.signature.startsWith(`${f.name}(`)) continue;
      options.push({ ...this.hostOption(f), type: 'function', boost: 1 });
    }
    for (const k of KEYWORDS) options.push({ label: k, type: 'keyword' });
    for (const g of GLOBALS) options.push({ label: g, type: 'variable', detail: 'global', info: GLOBAL_DOCS[g] });
    return { from: word ? word.from : context.pos, options, validFor: /^\w*$/ };
  };

  /** What the cursor is on, for hover docs: a host function, a global, or a request path. */
  describeAt(state, pos) {
    const line = state.doc.lineAt(pos);
    const col = pos - line.from;
    const s = stringStart(line.text, col);
    if (s >= 0) {
      const end = line.text.indexOf('"', s + 1);
      const path = line.text.slice(s + 1, end < 0 ? undefined : end);
      const call = PATH_CALL.exec(line.text.slice(0, s));
      if (!call) return null;
      const shape = shapeOf(path);
      const info = this.fields[shape] ?? (call[2] !== 'req' ? this.relative.get(shape) : null);
      if (!info) return null;
      return { from: line.from + s + 1, to: line.from + (end < 0 ? line.length : end), dom: () => fieldDoc(shape, info) };
    }
    const word = state.wordAt(pos);
    if (!word) return null;
    const name = state.sliceDoc(word.from, word.to);
    // `req.a.b`: the chain up to the hovered member.
    const head = line.text.slice(0, word.to - line.from);
    const chain = /\breq((?:\.[A-Za-z_]\w*|\[\d*\])+)$/.exec(head);
    if (chain) {
      const shape = shapeOf(chain[1].slice(1));
      const info = this.fields[shape] ?? this.fields[`${shape}[]`];
      if (info) return { from: word.from, to: word.to, dom: () => fieldDoc(shape, info) };
    }
    if (GLOBAL_DOCS[name] && line.text[word.from - line.from - 1] !== '.') {
      return { from: word.from, to: word.to, dom: () => docNode(code(name), `a global: ${GLOBAL_DOCS[name]}`) };
    }
    const f = this.host.get(name);
    if (f) return { from: word.from, to: word.to, dom: () => hostDoc(f) };
    return null;
  }

  hover() {
    return hoverTooltip((view, pos) => {
      const d = this.describeAt(view.state, pos);
      if (!d) return null;
      return { pos: d.from, end: d.to, above: true, create: () => ({ dom: d.dom() }) };
    });
  }
}
