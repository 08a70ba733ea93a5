// Proves every training exercise (the data files in www/exercises/, read and checked for
// soundness as the page reads them) against the native CLI and the default pack (read from
// rules/, so a stale binary's embedded copy cannot hide a rule change): the flawed
// request gets the exercise's decision (`decision`, default deny; review for an exercise whose
// rules are warnings) with exactly the exercise's rules failing, and the reference solution is
// allowed. Info findings never block: they are noted, not counted as failing. Run from anywhere: `node www/test/check-exercises.mjs [path/to/cloudgate]`.
// Exits 1 when any exercise is broken, so a rule change that makes an exercise unsolvable
// (or trivially allowed) is caught.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { flawedRequest, loadCurriculum, solvedRequest } from '../exercises.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let EXERCISES;
try {
  ({ EXERCISES } = await loadCurriculum((name) => JSON.parse(readFileSync(join(root, 'www/exercises', name), 'utf8'))));
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const cli = resolve(process.argv[2] ?? join(root, 'target/debug/cloudgate'));
const dir = mkdtempSync(join(tmpdir(), 'cloudgate-exercises-'));

function check(request) {
  const file = join(dir, `${request.request_id}.json`);
  writeFileSync(file, JSON.stringify(request));
  let out;
  try {
    out = execFileSync(cli, ['check', '--rules', join(root, 'rules'), '--format', 'json', '--as-of', request.as_of, file], {
      encoding: 'utf8',
    });
  } catch (e) {
    // `check` exits non-zero for anything but allow; its JSON is still on stdout.
    out = e.stdout;
  }
  const parsed = JSON.parse(out);
  const decision = Array.isArray(parsed) ? parsed[0] : parsed;
  const findings = decision.findings ?? [];
  const failing = findings.filter((f) => f.outcome === 'error' || (f.outcome === 'fail' && f.severity !== 'info'));
  const noted = findings.filter((f) => f.outcome === 'fail' && f.severity === 'info');
  return {
    decision: decision.decision,
    failing: failing.map((f) => f.rule).sort(),
    findings: failing,
    noted: noted.map((f) => f.rule).sort(),
    errors: decision.errors ?? [],
  };
}

let broken = 0;
for (const ex of EXERCISES) {
  const base = JSON.parse(readFileSync(join(root, 'rules/tests/base', `${ex.scenario}.json`), 'utf8'));
  const flawed = check(flawedRequest(base, ex));
  const solved = check({ ...solvedRequest(base, ex), request_id: `TRAIN-${ex.id}-solved` });
  const want = [...ex.rules].sort();
  const wantDecision = ex.decision ?? 'deny';
  const okFlawed = flawed.decision === wantDecision && JSON.stringify(flawed.failing) === JSON.stringify(want);
  const okSolved = solved.decision === 'allow';
  const ok = okFlawed && okSolved;
  if (!ok) broken++;
  const noted = flawed.noted.length ? ` noted [${flawed.noted.join(', ')}]` : '';
  console.log(
    `${ok ? 'ok  ' : 'FAIL'} ${ex.id.padEnd(19)} flawed: ${flawed.decision} [${flawed.failing.join(', ')}]${noted}` +
      ` (want ${wantDecision} [${want.join(', ')}])  solved: ${solved.decision}` +
      (okSolved ? '' : ` [${solved.failing.join(', ')}]`),
  );
  if (!ok) {
    for (const f of [...flawed.findings, ...(okSolved ? [] : solved.findings)]) {
      console.log(`       ${f.rule} ${f.outcome}: ${f.message ?? ''}`);
    }
    for (const e of [...flawed.errors, ...solved.errors]) console.log(`       invalid request at ${e.path}: ${e.message}`);
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`${EXERCISES.length - broken}/${EXERCISES.length} exercises verified against ${cli}`);
process.exit(broken ? 1 : 0);
