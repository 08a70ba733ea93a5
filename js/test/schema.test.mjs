// The request's JSON Schema and what is generated from it: schema.json is what `cloudgate
// schema` prints (tests/schema.rs checks it against the Rust types); schema.js and request.d.ts
// are what tools/gen-types.mjs makes of it; engine.schema() hands it out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { createEngine } from '../node.js';
import { requestSchema } from '../schema.js';
import { OUTPUTS, generate, readSchema } from '../tools/gen-types.mjs';
import { CLI, JS } from './helpers.mjs';

const SCHEMA = readSchema();

test('schema.js and request.d.ts are generated from the current schema.json', async () => {
  const files = await generate(SCHEMA);
  assert.deepEqual(Object.keys(files).sort(), [...OUTPUTS].sort());
  for (const [name, text] of Object.entries(files)) {
    const current = fs.readFileSync(path.join(JS, name), 'utf8');
    assert.ok(current === text, `js/${name} is stale: run \`node js/tools/gen-types.mjs\` (after \`cargo run -- schema > js/schema.json\`)`);
  }
});

test('schema.json is what `cloudgate schema` prints', { skip: !fs.existsSync(CLI) && `no CLI at ${CLI}` }, () => {
  const printed = execFileSync(CLI, ['schema'], { encoding: 'utf8' });
  assert.ok(
    printed === fs.readFileSync(path.join(JS, 'schema.json'), 'utf8'),
    'js/schema.json is stale: run `cargo run -- schema > js/schema.json && node js/tools/gen-types.mjs`',
  );
});

test('engine.schema() is the schema, a fresh object on every call', async () => {
  const engine = await createEngine();
  const schema = engine.schema();
  assert.deepEqual(schema, SCHEMA);
  assert.deepEqual(requestSchema(), SCHEMA);
  schema.properties.scenario.title = 'changed';
  assert.equal(engine.schema().properties.scenario.title, 'Scenario');
  assert.notEqual(engine.schema(), engine.schema());
  engine.free();
  assert.deepEqual(engine.schema(), SCHEMA, 'needs no live engine');
});

test('request.d.ts types every block and enumeration: no open index signature, no JsonObject', () => {
  const dts = fs.readFileSync(path.join(JS, 'request.d.ts'), 'utf8');
  for (const [name, def] of Object.entries(SCHEMA.definitions)) {
    const declared = def.properties ? `export interface ${name} {` : `export type ${name === 'Date' ? 'DateString' : name} =`;
    assert.ok(dts.includes(declared), `request.d.ts declares ${name}`);
  }
  assert.ok(dts.includes('export interface Request {'));
  assert.doesNotMatch(dts, /\[k: string\]/);
  assert.doesNotMatch(dts, /JsonObject/);
  const index = fs.readFileSync(path.join(JS, 'index.d.ts'), 'utf8');
  assert.doesNotMatch(index, /\?: JsonObject/, 'index.d.ts types no request block as JsonObject');
  assert.match(index, /export \* from '\.\/request\.js';/);
});

test('every field has a title and a description; enumerations list their values', () => {
  const blocks = [['Request', SCHEMA], ...Object.entries(SCHEMA.definitions)];
  let count = 0;
  for (const [block, def] of blocks) {
    for (const [name, field] of Object.entries(def.properties ?? {})) {
      count++;
      assert.ok(field.title?.trim(), `${block}.${name} has a title`);
      assert.ok(field.description?.trim(), `${block}.${name} has a description`);
    }
    if (def.enum || def.oneOf) assert.ok(def.description?.trim(), `enumeration ${block} has a description`);
  }
  assert.ok(count > 150, `${count} fields`);
  const choice = SCHEMA.definitions.CustomerChoice.oneOf.flatMap((v) => v.enum);
  assert.deepEqual(choice, ['switch_provider', 'switch_on_premises', 'erase', 'none']);
});
