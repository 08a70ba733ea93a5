// The trainee's view of the training simulator, end to end in headless Debian Chromium: field
// titles with the raw path on hover (and for screen readers), findings that say who must act,
// progress kept in local storage across reloads (and read safely when corrupt or from an older
// page), exercises solved with the real default pack, and the results page reached by keyboard.
// The results page's screenshot goes to docs/results.png.
//
// Run: node --test www/test/trainee.test.mjs  (WWW_ORIGIN: an already running server)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { solve, useBrowser } from './browser.mjs';
import { loadCurriculum } from '../exercises.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'www');
const { EXERCISES, STAGES } = await loadCurriculum((name) => JSON.parse(readFileSync(join(ROOT, 'www/exercises', name), 'utf8')));
const byId = (id) => EXERCISES.find((e) => e.id === id);

let browser;
let origin;
useBrowser((b, o) => {
  browser = b;
  origin = o;
}, { artifacts: ARTIFACTS });

/** A fresh page (fresh storage) on the simulator, engine and exercises loaded; page errors are collected. */
async function openSimulator({ width = 1280, height = 900 } = {}) {
  const ctx = await browser.newContext({ viewport: { width, height } });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && page.errors.push(m.text()));
  const params = new URLSearchParams();
  if (process.env.WWW_ENGINE) params.set('engine', process.env.WWW_ENGINE);
  await page.goto(`${origin}/www/${params.size ? `?${params}` : ''}#simulator`);
  await ready(page);
  return page;
}

async function ready(page) {
  await page.waitForFunction(() => document.body.dataset.ready && document.getElementById('view-simulator').dataset.loaded, null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', await page.textContent('#engine-status'));
  assert.equal(await page.evaluate(() => document.getElementById('view-simulator').dataset.loaded), 'true', await page.textContent('#stage-intro'));
}

async function reload(page) {
  await page.reload();
  await ready(page);
}

async function pick(page, id) {
  const ex = byId(id);
  await page.click(`#stage-tabs [data-scenario="${ex.scenario}"]`);
  await page.click(`[data-testid="exercise-list"] [data-exercise="${ex.id}"]`);
  await page.waitForFunction((t) => document.getElementById('ex-title').textContent === t, ex.title);
  return ex;
}

async function waitDecision(page, word, requestId) {
  await page.waitForFunction(
    ([w, rid]) => {
      const el = document.querySelector('[data-testid="sim-decision"]');
      return el && el.textContent.trim() === w && el.dataset.requestId === rid;
    },
    [word, requestId],
    { timeout: 20000 },
  );
}

async function check(page, ex, word) {
  await page.getByTestId('sim-check').click();
  await waitDecision(page, word, `TRAIN-${ex.id}`);
}

const field = (page, path) => page.locator(`[data-testid="sim-fields"] [data-path="${path}"]`);
const labelOf = (page, path) => page.locator(`[data-testid="sim-fields"] .field:has([data-path="${path}"]) label`);
const card = (page, rule) => page.locator(`[data-testid="sim-findings"] .finding[data-rule="${rule}"]`);

test('fields and findings show titles; the raw path is on hover and for screen readers', async () => {
  const page = await openSimulator();
  const ex = await pick(page, 'rmv-deletion');
  // An indexed path: the list item's title and its position (from 1), then the blocks it sits in.
  const path = 'data_assets[1].deletion.status';
  const label = labelOf(page, path);
  assert.equal(await label.textContent(), 'Data asset #2 (d2) › Deletion › Deletion status');
  assert.match(await label.getAttribute('title'), /^data_assets\[1\]\.deletion\.status\n/);
  // The accessible equivalent of the hover: the control is described by its path.
  const described = await field(page, path).evaluate((el) =>
    el.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id).textContent).join(' '),
  );
  assert.equal(described, `field ${path}`);
  for (const p of ex.editable) assert.doesNotMatch(await labelOf(page, p).textContent(), /[_[\]]/, `${p} is shown by its title`);

  // A finding's fields: titles on the buttons, paths in the title attribute and for screen readers.
  await check(page, ex, 'deny');
  await page.getByTestId('sim-hint').click();
  const button = card(page, 'RMV-003').locator(`button.path[data-path="${path}"]`);
  assert.equal(await button.locator('.path-title').textContent(), 'Data asset #2 › Deletion › Deletion status');
  assert.match(await button.getAttribute('title'), /data_assets\[1\]\.deletion\.status/);
  assert.equal(await button.locator('.path-raw').textContent(), ` (field ${path})`);
  // Told, not shown: the raw path is clipped to a pixel.
  const box = await button.locator('.path-raw').boundingBox();
  assert.ok(box.width <= 1 && box.height <= 1, `the raw path is not shown (${box.width}×${box.height})`);
  // The button leads to the field.
  await button.click();
  await page.waitForFunction((p) => document.activeElement?.dataset?.path === p, path);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('every finding names who must act', async () => {
  const page = await openSimulator();
  // TRM-001 (actor both, deny) and TRM-003 (actor customer, warn).
  let ex = await pick(page, 'trm-choice');
  await check(page, ex, 'deny');
  assert.match(await card(page, 'TRM-001').locator('.actor').textContent(), /^The customer and the provider must act$/);
  assert.equal(await card(page, 'TRM-001').locator('.actor').getAttribute('data-actor'), 'both');
  assert.match(await card(page, 'TRM-003').locator('.actor').textContent(), /^The customer must act$/);
  assert.equal(
    await page.textContent('#sim-summary'),
    '2 rules still block it; the customer and the provider together must act on 1 of them, the customer must act on 1 of them.',
  );
  // TRF-005: the provider runs the channel.
  ex = await pick(page, 'trf-channel');
  await check(page, ex, 'deny');
  assert.equal(await card(page, 'TRF-005').locator('.actor').textContent(), 'The provider must act');
  assert.equal(await page.textContent('#sim-summary'), '1 rule still blocks it; the provider must act on it.');
  // Before a hint only the rule and who must act are shown; the message is the hint.
  assert.equal(await card(page, 'TRF-005').locator('.message').count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('progress survives a reload; corrupt or older stored progress is read safely; reset forgets it', async () => {
  const page = await openSimulator();
  const first = await pick(page, 'onb-identity');
  await check(page, first, 'deny');
  await solve(page, first);
  await check(page, first, 'allow');
  assert.equal(await page.getByTestId('sim-score').textContent(), '95');
  // Half-way through another exercise, in another step of the walk.
  const second = await pick(page, 'trm-notice');
  await field(page, 'termination.effective_date').fill('2026-10-02');

  await reload(page);
  assert.equal(await page.getByTestId('sim-score').textContent(), '95');
  assert.equal(await page.getByTestId('sim-progress').textContent(), `1/${EXERCISES.length}`);
  assert.equal(await page.textContent('#ex-title'), second.title, 'the current exercise is restored');
  assert.equal(await page.getAttribute('#stage-tabs [data-scenario="termination"]', 'aria-selected'), 'true');
  assert.equal(await field(page, 'termination.effective_date').inputValue(), '2026-10-02', 'the edit in progress is kept');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('cloudgate.training')));
  assert.equal(stored.v, 2);
  assert.equal(stored.current, 'trm-notice');
  assert.deepEqual(stored.results['onb-identity'], { done: true, best: 95, last: 95, attempts: 2, hints: 0 });
  await pick(page, 'onb-identity');
  assert.match(await page.locator('[data-exercise="onb-identity"]').textContent(), /95 pts/);

  // Corrupt storage: the page starts afresh, without an error.
  await page.evaluate(() => localStorage.setItem('cloudgate.training', '{"results": [not json'));
  await reload(page);
  assert.equal(await page.getByTestId('sim-progress').textContent(), `0/${EXERCISES.length}`);
  assert.equal(await page.textContent('#ex-title'), EXERCISES[0].title);

  // An older page's progress (no version), with entries this page cannot use.
  await page.evaluate(() =>
    localStorage.setItem(
      'cloudgate.training',
      JSON.stringify({
        results: { 'onb-mfa': { done: true, best: 90 }, 'no-such-exercise': { done: true, best: 100 }, 'trf-plan': 'broken' },
        work: { 'trf-plan': { request: 'not a request', hints: -3, misses: 'many' } },
        current: 'trf-plan',
      }),
    ),
  );
  await reload(page);
  assert.equal(await page.getByTestId('sim-progress').textContent(), `1/${EXERCISES.length}`);
  assert.equal(await page.getByTestId('sim-score').textContent(), '90');
  const plan = byId('trf-plan');
  assert.equal(await page.textContent('#ex-title'), plan.title);
  await check(page, plan, 'deny');
  assert.deepEqual(
    await page.$$eval('[data-testid="sim-findings"] .findings > .finding', (els) => els.map((e) => e.dataset.rule)),
    plan.rules,
  );

  // Reset: everything is forgotten, after a confirmation.
  page.once('dialog', (d) => d.accept());
  await page.click('#sim-reset-progress');
  await page.waitForFunction((n) => document.querySelector('[data-testid="sim-progress"]').textContent === `0/${n}`, EXERCISES.length);
  assert.equal(await page.getByTestId('sim-score').textContent(), '0');
  await reload(page);
  assert.equal(await page.getByTestId('sim-progress').textContent(), `0/${EXERCISES.length}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the results page: per step, the exercises done, rules and clauses met, attempts; by keyboard', async () => {
  const page = await openSimulator({ width: 1280, height: 900 });
  // One exercise of each step solved: the first with a hint and a failed check, the rest at once.
  const solved = STAGES.map((s) => EXERCISES.find((e) => e.scenario === s.scenario && e.decision !== 'review'));
  for (const [i, ex] of solved.entries()) {
    await pick(page, ex.id);
    if (i === 0) {
      await check(page, ex, 'deny');
      await page.getByTestId('sim-hint').click();
    }
    await solve(page, ex);
    await check(page, ex, 'allow');
  }
  // One tried, not solved.
  const tried = await pick(page, 'trf-channel');
  await check(page, tried, 'deny');

  // Keyboard: the Results button, Enter; the focus lands on the page's heading.
  await page.focus('#sim-results-open');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="sim-results"]:not([hidden])');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'results-title');
  assert.equal(await page.isVisible('[data-testid="exercise"]'), false, 'the results page replaces the exercises');
  assert.equal(await page.getAttribute('#sim-results-open', 'aria-expanded'), 'true');
  const results = page.getByTestId('sim-results');
  const points = 85 + 3 * 100;
  assert.equal(await page.getByTestId('results-total').textContent(), `4 of ${EXERCISES.length} exercises solved · ${points} points`);
  for (const [i, stage] of STAGES.entries()) {
    const step = results.locator(`.results-step[data-scenario="${stage.scenario}"]`);
    const list = EXERCISES.filter((e) => e.scenario === stage.scenario);
    assert.equal(await step.locator('h4').evaluate((h) => h.firstChild.textContent), `${i + 1}. ${stage.title} `);
    assert.equal(await step.locator('.results-count').textContent(), `1 of ${list.length} exercises solved`);
    assert.equal(await step.locator('tbody tr').count(), list.length);
    const ex = solved[i];
    const row = step.locator(`tr[data-exercise="${ex.id}"]`);
    assert.deepEqual(await row.locator('td').allTextContents(), i === 0 ? ['solved', '85', '2', '1'] : ['solved', '100', '1', '0']);
    // The rules the exercise is about, with their titles, who must act and their clauses.
    assert.deepEqual(await step.locator('.results-rule-list > li').evaluateAll((els) => els.map((e) => e.dataset.rule)), [...ex.rules].sort());
    const rule = step.locator(`.results-rule-list > li[data-rule="${ex.rules[0]}"]`);
    assert.match(await rule.textContent(), / must act/);
    assert.ok((await rule.locator('.chip').count()) > 0, 'clauses are listed');
    assert.equal(await step.locator(`.results-lessons li[data-exercise="${ex.id}"]`).textContent(), ex.lesson);
  }
  assert.deepEqual(await results.locator(`tr[data-exercise="${tried.id}"] td`).allTextContents(), ['tried', '—', '1', '—']);

  await page.evaluate(() => {
    document.getElementById('toast').hidden = true;
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  const file = join(ARTIFACTS, 'results.png');
  await page.screenshot({ path: file, fullPage: true });
  mkdirSync(join(ROOT, 'docs'), { recursive: true });
  copyFileSync(file, join(ROOT, 'docs', 'results.png'));

  // The open results page survives a reload.
  await reload(page);
  assert.equal(await page.isVisible('[data-testid="sim-results"]'), true);

  // Back by keyboard: Tab from the heading reaches the back button; the exercises return.
  await page.focus('#results-title');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'sim-results-close');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="exercise"]', { state: 'visible' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'sim-results-open');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('at the end of the walk, "next" leads to the results page', async () => {
  const page = await openSimulator();
  // Every exercise but the last solved (as stored progress); the last solved in the page.
  const last = EXERCISES.at(-1);
  await page.evaluate(
    ([ids, cur]) =>
      localStorage.setItem(
        'cloudgate.training',
        JSON.stringify({ v: 2, current: cur, results: Object.fromEntries(ids.map((id) => [id, { done: true, best: 100, last: 100, attempts: 1, hints: 0 }])) }),
      ),
    [EXERCISES.slice(0, -1).map((e) => e.id), last.id],
  );
  await reload(page);
  assert.equal(await page.textContent('#ex-title'), last.title);
  await solve(page, last);
  await check(page, last, 'allow');
  assert.equal(await page.getByTestId('sim-next').textContent(), 'See your results →');
  await page.getByTestId('sim-next').click();
  await page.waitForSelector('[data-testid="sim-results"]:not([hidden])');
  assert.match(await page.getByTestId('results-total').textContent(), new RegExp(`^${EXERCISES.length} of ${EXERCISES.length} exercises solved · .* · the whole walk is done$`));
  // The results page fits a phone.
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
