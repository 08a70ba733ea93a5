// The training simulator's curriculum: one tenancy (Muster Logistik GmbH on Nimbus Cloud's
// fleet-tms) walked through onboarding → termination → transfer → removal. The steps and their
// exercises are data (exercises/index.json names the steps in order; exercises/<scenario>.json
// holds one step and its exercises; exercises/exercise.schema.json describes a file), so that a
// trainer adds an exercise without touching code, and test/check-exercises.mjs proves each one
// against the native CLI.
//
// Every exercise starts from the scenario's allow example (rules/tests/base/<scenario>.json),
// breaks it in a way a real rule of the default pack catches, and lets the trainee edit only the
// fields in play, so that the fix has to be the right one (not "move the customer outside the EU").
//
// No DOM here: importable from the page and from Node.

import { ENUMS } from './lib/form.js';
import { fieldInfo } from './lib/fields.js';
import { clone, setPath, unsetPath } from './lib/paths.js';

/** The lifecycle path drawn in the simulator (domain.md §3), in order: the schema's own list. */
export const LIFECYCLE = ENUMS['service.lifecycle_state'];

const SCENARIOS = ['onboarding', 'termination', 'transfer', 'removal'];
const STEP_KEYS = ['scenario', 'title', 'section', 'from', 'to', 'intro', 'exercises'];
const EXERCISE_KEYS = ['id', 'title', 'story', 'task', 'rules', 'editable', 'solution', 'lesson'];
const OPTIONAL_KEYS = ['decision', 'set', 'unset'];
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStrings = (v) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s !== '');

/** A field of the request's schema, or an item of one of its lists (`suppliers[1]`). */
function knownPath(path) {
  if (fieldInfo(path)) return true;
  const list = /\[\d+\]$/.test(path) ? fieldInfo(path.replace(/\[\d+\]$/, '')) : undefined;
  return list?.kind === 'blocks' || list?.kind === 'list';
}

/**
 * What is wrong with one step file (exercise.schema.json, plus what a schema cannot say: paths
 * the request's schema knows, a solution within the editable fields). [] when it is sound.
 */
export function stepProblems(step, file = 'step') {
  const out = [];
  if (!isObject(step)) return [`${file}: not a JSON object`];
  for (const k of STEP_KEYS) if (!(k in step)) out.push(`${file}: no "${k}"`);
  if (!SCENARIOS.includes(step.scenario)) out.push(`${file}: unknown scenario ${JSON.stringify(step.scenario)}`);
  for (const k of ['from', 'to']) {
    if (LIFECYCLE && !LIFECYCLE.includes(step[k])) out.push(`${file}: "${k}" is not a lifecycle state: ${JSON.stringify(step[k])}`);
  }
  if (!Array.isArray(step.exercises) || !step.exercises.length) return [...out, `${file}: no exercises`];
  step.exercises.forEach((ex, i) => {
    const at = `${file}: exercise ${isObject(ex) && typeof ex.id === 'string' ? ex.id : `#${i + 1}`}`;
    if (!isObject(ex)) return out.push(`${at}: not a JSON object`);
    for (const k of EXERCISE_KEYS) if (!(k in ex)) out.push(`${at}: no "${k}"`);
    for (const k of Object.keys(ex)) if (!EXERCISE_KEYS.includes(k) && !OPTIONAL_KEYS.includes(k)) out.push(`${at}: unknown key "${k}"`);
    if (typeof ex.id !== 'string' || !/^[a-z][a-z0-9-]*$/.test(ex.id)) out.push(`${at}: the id must be lower-case words joined by -`);
    for (const k of ['title', 'story', 'task', 'lesson']) if (typeof ex[k] !== 'string' || !ex[k]) out.push(`${at}: "${k}" must be a text`);
    if (!isStrings(ex.rules)) out.push(`${at}: "rules" must list rule ids`);
    if (ex.decision !== undefined && !['deny', 'review'].includes(ex.decision)) out.push(`${at}: "decision" is deny or review`);
    if (ex.set !== undefined && !isObject(ex.set)) out.push(`${at}: "set" must map paths to values`);
    if (ex.unset !== undefined && !isStrings(ex.unset)) out.push(`${at}: "unset" must list paths`);
    if (!isStrings(ex.editable)) out.push(`${at}: "editable" must list paths`);
    if (!isObject(ex.solution)) out.push(`${at}: "solution" must map paths to values`);
    for (const p of [...(isStrings(ex.editable) ? ex.editable : []), ...Object.keys(isObject(ex.set) ? ex.set : {})]) {
      if (!knownPath(p)) out.push(`${at}: the request has no field ${p}`);
    }
    for (const p of Object.keys(isObject(ex.solution) ? ex.solution : {})) {
      if (!isStrings(ex.editable) || !ex.editable.includes(p)) out.push(`${at}: the solution changes ${p}, which is not editable`);
    }
  });
  return out;
}

/**
 * Reads the curriculum with `read(name)` (the parsed JSON of exercises/<name>) and returns
 * { STAGES, EXERCISES }: the steps in walk order (without their exercises) and every exercise
 * with its `scenario`. Throws, naming every problem, when a file is unsound or an id repeats.
 */
export async function loadCurriculum(read = fetchJson) {
  const index = await read('index.json');
  if (!isObject(index) || !isStrings(index.steps)) throw new Error('exercises/index.json: "steps" must list the step files');
  const steps = await Promise.all(index.steps.map(async (name) => [name, await read(`${name}.json`)]));
  const problems = steps.flatMap(([name, step]) => stepProblems(step, `exercises/${name}.json`));
  const STAGES = [];
  const EXERCISES = [];
  const seen = new Set();
  for (const [, step] of steps) {
    if (!isObject(step) || !Array.isArray(step.exercises)) continue;
    const { exercises, $schema, ...stage } = step;
    STAGES.push(stage);
    for (const ex of exercises) {
      if (seen.has(ex?.id)) problems.push(`exercise ${ex.id} is defined twice`);
      seen.add(ex?.id);
      EXERCISES.push({ ...ex, scenario: step.scenario });
    }
  }
  if (problems.length) throw new Error(`the exercises are unsound:\n${problems.join('\n')}`);
  return { STAGES, EXERCISES };
}

/** The page's reader: exercises/<name> next to this module. */
async function fetchJson(name) {
  const res = await fetch(new URL(`./exercises/${name}`, import.meta.url));
  if (!res.ok) throw new Error(`could not load exercises/${name}: HTTP ${res.status}`);
  return res.json();
}

/** The flawed request of an exercise, from its scenario's allow example. */
export function flawedRequest(base, ex) {
  const req = clone(base);
  req.request_id = `TRAIN-${ex.id}`;
  for (const [path, value] of Object.entries(ex.set ?? {})) setPath(req, path, clone(value));
  for (const path of ex.unset ?? []) unsetPath(req, path);
  return req;
}

/** The flawed request with the reference solution applied (used to prove it is solvable). */
export function solvedRequest(base, ex) {
  const req = flawedRequest(base, ex);
  for (const [path, value] of Object.entries(ex.solution ?? {})) setPath(req, path, clone(value));
  return req;
}
