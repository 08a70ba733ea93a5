// The TypeScript declarations compile against a typed usage file (`tsc --noEmit`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

import { JS } from './helpers.mjs';

test('index.d.ts and test/types/usage.ts pass tsc --noEmit', () => {
  const tsc = path.join(JS, 'node_modules', '.bin', 'tsc');
  const run = spawnSync(tsc, ['-p', path.join(JS, 'tsconfig.json')], { encoding: 'utf8', cwd: JS });
  assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
});
