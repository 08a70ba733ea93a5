// What the portal knows about each field of a request, read from the request's JSON Schema
// (js/schema.js, generated from `cloudgate schema`): its title, description, kind of control
// and, for an enumeration, its values and what each means. Keyed by path shape
// (`data_assets[].deletion.status`). Shared by the field editor and the decision view; no DOM.

import { requestSchema } from '../../js/schema.js';
import { parsePath, shapeOf } from './paths.js';

const SCHEMA = requestSchema();

/** The schema a field really has: `$ref`s followed, the `null` of an optional field dropped. */
function resolve(node) {
  let n = node;
  for (let guard = 0; guard < 16 && n && typeof n === 'object'; guard++) {
    if (typeof n.$ref === 'string') {
      n = SCHEMA.definitions[n.$ref.replace('#/definitions/', '')];
      continue;
    }
    const alternatives = n.anyOf ?? (n.allOf?.length === 1 ? n.allOf : null);
    if (alternatives) {
      n = alternatives.find((a) => a.type !== 'null') ?? alternatives[0];
      continue;
    }
    return n;
  }
  return n ?? {};
}

const hasType = (node, type) => node.type === type || (Array.isArray(node.type) && node.type.includes(type));

/** An enumeration's values in order: `enum`, or `oneOf` entries of one value each (documented values). */
function enumeration(node) {
  if (Array.isArray(node.enum)) return { values: node.enum.filter((v) => v !== null), docs: {} };
  if (Array.isArray(node.oneOf) && node.oneOf.every((o) => Array.isArray(o.enum))) {
    const docs = {};
    for (const o of node.oneOf) for (const v of o.enum) if (o.description) docs[v] = o.description;
    return { values: node.oneOf.flatMap((o) => o.enum), docs };
  }
  return null;
}

/**
 * What one item of a list of blocks is called ("Data asset" for `data_assets[2]`): the item
 * schema's title, else its definition's name in words (`DataAsset`), else the list's title.
 */
function itemTitle(items, listTitle) {
  if (items && typeof items.title === 'string') return items.title;
  const ref = items && typeof items.$ref === 'string' ? items.$ref.replace('#/definitions/', '') : '';
  if (ref) {
    const words = ref.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }
  return listTitle;
}

/**
 * Every field by shape: { title, description, kind, values?, valueDocs? }, where kind is
 * block, blocks (a list of blocks), list (of scalars), enum, bool, number, date or text.
 */
export const FIELDS = {};

function walk(prefix, block) {
  for (const [key, prop] of Object.entries(block.properties ?? {})) {
    const shape = prefix ? `${prefix}.${key}` : key;
    const node = resolve(prop);
    const info = { title: prop.title ?? key.replace(/_/g, ' '), description: prop.description ?? '' };
    const choices = enumeration(node);
    if (hasType(node, 'array')) {
      const items = resolve(typeof node.items === 'object' ? node.items : {});
      if (items.properties) {
        info.kind = 'blocks';
        info.itemTitle = itemTitle(node.items, info.title);
        walk(`${shape}[]`, items);
      } else {
        info.kind = 'list';
        const itemChoices = enumeration(items);
        if (itemChoices) info.values = itemChoices.values;
      }
    } else if (node.properties) {
      info.kind = 'block';
      walk(shape, node);
    } else if (choices) {
      info.kind = 'enum';
      info.values = choices.values;
      info.valueDocs = choices.docs;
    } else if (hasType(node, 'boolean')) {
      info.kind = 'bool';
    } else if (hasType(node, 'integer') || hasType(node, 'number')) {
      info.kind = 'number';
    } else if (node.format === 'date') {
      info.kind = 'date';
    } else {
      info.kind = 'text';
    }
    FIELDS[shape] = info;
  }
}
walk('', SCHEMA);

/** The field at `path` (`data_assets[1].deletion.status`), or undefined when the schema lacks it. */
export function fieldInfo(path) {
  return FIELDS[shapeOf(path)];
}

/** A field's title ("Effective date"); the key in words when the schema does not know it. */
export function fieldTitle(path) {
  const info = fieldInfo(path);
  if (info) return info.title;
  const key = parsePath(path).at(-1);
  return typeof key === 'number' ? `#${key + 1}` : String(key ?? path).replace(/_/g, ' ');
}

/** What a hover shows: the path, then the field's description. */
export function fieldHint(path) {
  const description = fieldInfo(path)?.description;
  return description ? `${path}\n${description}` : path;
}

/**
 * The title with its enclosing blocks, for a field shown out of its block ("Termination ›
 * Effective date", "Data asset #3 › Deletion › Deletion status" for
 * `data_assets[2].deletion.status`): an item of a list is named by the item's title and its
 * position counted from 1, and, with `request`, by its id (or name) as well ("Data asset #3 (d3)").
 */
export function fieldContext(path, request) {
  const parts = parsePath(path);
  const out = [];
  let cur = request;
  let prefix = '';
  for (const part of parts) {
    cur = cur !== null && typeof cur === 'object' ? cur[part] : undefined;
    if (typeof part === 'number') {
      const list = FIELDS[shapeOf(prefix)];
      prefix += `[${part}]`;
      const id = cur && typeof cur === 'object' ? cur.id ?? cur.name ?? cur.asset_id : undefined;
      const item = `#${part + 1}${id !== undefined && id !== null ? ` (${id})` : ''}`;
      const listTitle = out.pop();
      out.push(`${list?.itemTitle ?? listTitle ?? 'Item'} ${item}`);
      continue;
    }
    prefix = prefix ? `${prefix}.${part}` : part;
    out.push(fieldTitle(prefix));
  }
  return out.join(' › ');
}

/** Who is asked to change a field: its title in context, then its path (a hover's first line). */
export function fieldLabel(path, request) {
  return fieldInfo(path) || /\[\d+\]/.test(path) ? fieldContext(path, request) : path;
}
