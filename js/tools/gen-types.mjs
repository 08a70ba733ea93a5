// Generates the package's files that derive from the JSON Schemas of a request, js/schema.json
// (exactly what `cloudgate schema` prints; tests/schema.rs fails when it is stale), and of a
// decision, js/decision.schema.json (`cloudgate schema --decision`):
//
//   schema.js      the request's schema as a module: `engine.schema()`, the portal's labels and enums
//   request.d.ts   the TypeScript types of a request, by json-schema-to-typescript
//   decision.d.ts  the TypeScript types of a decision, likewise
//
// Usage (from the repository):
//   cargo run -- schema > js/schema.json && cargo run -- schema --decision > js/decision.schema.json \
//     && node js/tools/gen-types.mjs
//   node js/tools/gen-types.mjs --check     exits 1 when a generated file is stale
// js/test/schema.test.mjs runs the check in the JS tests.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { compile } from 'json-schema-to-typescript';

const JS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The files this script writes, relative to js/. */
export const OUTPUTS = ['schema.js', 'request.d.ts', 'decision.d.ts'];

const NOTICE = 'Generated from schema.json by tools/gen-types.mjs: do not edit.';

export function readSchema() {
  return JSON.parse(fs.readFileSync(path.join(JS, 'schema.json'), 'utf8'));
}

export function readDecisionSchema() {
  return JSON.parse(fs.readFileSync(path.join(JS, 'decision.schema.json'), 'utf8'));
}

/** js/schema.js: the schema as JSON text, parsed on each call (a fresh copy the caller owns). */
function schemaModule(schema) {
  return `// ${NOTICE}
// The JSON Schema of a lifecycle request (\`cloudgate schema\`). Kept as text and parsed when
// asked for, so that importing the package costs one string, not a large object literal.

const TEXT = ${JSON.stringify(JSON.stringify(schema))};

/** The request's JSON Schema (draft-07), a fresh object on every call. */
export function requestSchema() {
  return JSON.parse(TEXT);
}
`;
}

/**
 * The schema as json-schema-to-typescript should see it:
 * - titles go into the doc comments: the compiler would turn every titled field into a type
 *   alias of its own (`EffectiveDate`, `Jurisdiction1`, …);
 * - the definition `Date` is named `DateString`, which index.d.ts exports and which does not
 *   shadow the global `Date`.
 */
function forTypeScript(schema, renames = { Date: 'DateString' }) {
  const s = structuredClone(schema);
  delete s.title; // the root's, "Request" or "Decision": the interface's name
  for (const [from, to] of Object.entries(renames)) {
    s.definitions[to] = s.definitions[from];
    delete s.definitions[from];
  }
  const visit = (node) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      const name = node.$ref.replace('#/definitions/', '');
      if (renames[name]) node.$ref = `#/definitions/${renames[name]}`;
    }
    if (typeof node.title === 'string') {
      node.description = node.description ? `${node.title}\n\n${node.description}` : node.title;
      delete node.title;
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(s);
  return s;
}

async function requestTypes(schema) {
  const banner = `// ${NOTICE}
// The types of a lifecycle request, from its JSON Schema (\`cloudgate schema\`, schema.json).
// Every block admits only the fields listed: a misspelt field is a compile error.`;
  return compile(forTypeScript(schema), 'Request', {
    bannerComment: banner,
    additionalProperties: false,
    declareExternallyReferenced: true,
    unreachableDefinitions: false,
    strictIndexSignatures: true,
    style: { singleQuote: true, printWidth: 100 },
  });
}

/** The decision's types; `Record` (the audit record) is named `AuditRecord`, as TypeScript's own `Record` is taken. */
async function decisionTypes(schema) {
  const banner = `// ${NOTICE.replace('schema.json', 'decision.schema.json')}
// The types of a decision, from its JSON Schema (\`cloudgate schema --decision\`).`;
  return compile(forTypeScript(schema, { Record: 'AuditRecord' }), 'Decision', {
    bannerComment: banner,
    additionalProperties: false,
    declareExternallyReferenced: true,
    unreachableDefinitions: false,
    strictIndexSignatures: false,
    style: { singleQuote: true, printWidth: 100 },
  });
}

/** Every generated file's text, by name (relative to js/). */
export async function generate(schema = readSchema(), decision = readDecisionSchema()) {
  return {
    'schema.js': schemaModule(schema),
    'request.d.ts': await requestTypes(schema),
    'decision.d.ts': await decisionTypes(decision),
  };
}

async function main() {
  const check = process.argv.includes('--check');
  const files = await generate();
  const stale = [];
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(JS, name);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (current === text) continue;
    stale.push(name);
    if (!check) fs.writeFileSync(file, text);
  }
  if (check && stale.length) {
    console.error(`gen-types: stale: ${stale.join(', ')}; run \`node js/tools/gen-types.mjs\``);
    process.exit(1);
  }
  console.log(stale.length ? `gen-types: wrote ${stale.join(', ')}` : 'gen-types: up to date');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
