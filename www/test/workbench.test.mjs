// The rule workbench's editor in headless Debian Chromium (playwright-core, no downloaded
// browser), against the real wasm engine: inline diagnostics while typing, completion and docs
// from the engine's host function table and the request's schema, the pack's test cases run in
// the browser (expected vs actual), coverage shading, saving a case, export and import with the
// pack's digest, and a keyboard-only path. Screenshots: docs/workbench-editor.png (a diagnostic)
// and docs/workbench-coverage.png.
//
// Run: bash scripts/build-www.sh && node www/serve.mjs --port 8123 &
//      WWW_ORIGIN=http://127.0.0.1:8123 node --test www/test/workbench.test.mjs
// (scripts/test-www.sh does all of it.)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { useBrowser } from './browser.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'www');
const DOCS = join(ROOT, 'docs');
const RULE = 'TRM-002';
const RULE_FILE = 'termination/TRM-002.rhai';
const SOURCE = readFileSync(join(ROOT, 'rules', RULE_FILE), 'utf8');
const LINES = SOURCE.split('\n');
/** The first line after the `//!` header (1-based): where the tests insert code. */
const BODY_LINE = LINES.findIndex((l) => !l.startsWith('//!')) + 1;
const CASES = readFileSync(join(ROOT, 'rules/tests', `${RULE}.json`), 'utf8');

let browser;
let origin;
useBrowser((b, o) => {
  browser = b;
  origin = o;
}, { artifacts: ARTIFACTS });

/** A fresh page (fresh storage) on the workbench with RULE open and the pack's cases run once. */
async function openRule({ width = 1280, height = 900, context } = {}) {
  const ctx = context ?? (await browser.newContext({ viewport: { width, height }, acceptDownloads: true }));
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.errors = errors;
  await page.goto(`${origin}/www/#portal`);
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', await page.textContent('#engine-status'));
  await page.getByTestId('scenario').selectOption('termination');
  await page.waitForFunction(() => document.querySelector('[data-testid="decision"]')?.textContent === 'allow', null, { timeout: 20000 });
  await page.click('#tab-workbench');
  await page.getByTestId('wb-filter').selectOption('termination');
  await page.click(`[data-testid="rule-list"] .rule-btn[data-rule="${RULE}"]`);
  await page.waitForFunction((src) => document.querySelector('[data-testid="rule-editor"]')?.cgEditor?.getText() === src, SOURCE);
  await waitTests(page);
  return page;
}

/** Waits until a test run has finished; returns the summary's counts. */
async function waitTests(page, { failed } = {}) {
  const handle = await page.waitForFunction(
    (f) => {
      const m = /(\d+) cases: (\d+) passed, (\d+) failed/.exec(document.querySelector('[data-testid="wb-tests-summary"]')?.textContent ?? '');
      const ok = m && (f === undefined || (f === 0 ? m[3] === '0' : m[3] !== '0'));
      return ok ? { cases: Number(m[1]), passed: Number(m[2]), failed: Number(m[3]) } : null;
    },
    failed,
    { timeout: 60000 },
  );
  return handle.jsonValue();
}

const editorText = (page) => page.evaluate(() => document.querySelector('[data-testid="rule-editor"]').cgEditor.getText());

/** Replaces the editor's text as a paste would. */
async function setEditorText(page, text) {
  await page.locator('[data-testid="rule-editor"] .cm-content').fill(text);
  assert.equal(await editorText(page), text);
}

/** Puts the cursor at the start of `line` (1-based), as a click there would. */
async function cursorTo(page, line) {
  await page.evaluate((l) => document.querySelector('[data-testid="rule-editor"]').cgEditor.goTo(l, 1), line);
}

async function shot(page, name, docs) {
  const file = join(ARTIFACTS, `${name}.png`);
  await page.evaluate(() => {
    document.getElementById('toast').hidden = true;
  });
  await page.screenshot({ path: file });
  if (docs) {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(file, join(DOCS, `${docs}.png`));
  }
}

// CodeMirror ignores Enter on a completion list opened less than `interactionDelay` (75 ms)
// ago, and reopens the list when its options update (the diagnostics arriving re-run it):
// wait until the list has stood still, then accept.
async function acceptCompletion(page) {
  let last = '';
  for (let stable = 0, tries = 0; stable < 3 && tries < 30; tries++) {
    await page.waitForTimeout(100);
    const now = await page.$$eval('.cm-tooltip-autocomplete li', (els) => els.map((e) => e.textContent).join('|'));
    stable = now && now === last ? stable + 1 : 0;
    last = now;
  }
  await page.keyboard.press('Enter');
}

describe('rule workbench editor', () => {
  test('typing a syntax error shows an inline mark at its line within a second; Unicode columns land on the right character', async () => {
    const page = await openRule();
    // A first check warms the workbench's worker (its first lenient engine).
    await cursorTo(page, BODY_LINE);
    await page.keyboard.type('let warm = 1;\n');
    await page.waitForTimeout(800);
    await page.keyboard.press('Control+z');
    await page.keyboard.press('Control+z');

    await cursorTo(page, BODY_LINE);
    await page.keyboard.type('let x = ;');
    await page.keyboard.press('Enter');
    const typed = Date.now();
    await page.waitForSelector(`.cm-lintRange-error.cg-diag-line-${BODY_LINE}`, { timeout: 1000 });
    const ms = Date.now() - typed;
    assert.ok(ms <= 1000, `the mark appeared after ${ms} ms`);
    // The mark sits on the line that holds the error, on the `;` Rhai complains about.
    const mark = page.locator('.cm-lintRange-error').first();
    assert.equal(await mark.textContent(), ';');
    assert.equal(await mark.evaluate((m) => m.closest('.cm-line').textContent), 'let x = ;');
    assert.match(await page.getByTestId('wb-live').textContent(), /1 problem: TRM-002 does not compile: Unexpected ';'/);
    // The lint message on hover.
    await mark.hover();
    await page.waitForSelector('.cm-tooltip-lint', { timeout: 5000 });
    assert.match(await page.textContent('.cm-tooltip-lint'), /Unexpected ';'/);
    await shot(page, 'workbench-editor', 'workbench-editor');

    // Characters outside the BMP count once in Rhai's columns, twice in the editor's offsets.
    await cursorTo(page, BODY_LINE);
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('let s = "😀é😀"; let y = 1 +;');
    await page.waitForFunction(() => document.querySelector('.cm-lintRange-error')?.closest('.cm-line')?.textContent.startsWith('let s'), null, { timeout: 3000 });
    assert.equal(await page.locator('.cm-lintRange-error').first().textContent(), ';');

    // Fixing it clears the marks.
    await cursorTo(page, BODY_LINE);
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Delete');
    await page.waitForFunction(() => !document.querySelector('.cm-lintRange-error'), null, { timeout: 3000 });
    await page.waitForFunction(() => document.querySelector('[data-testid="wb-live"]').textContent === '', null, { timeout: 3000 });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('completion: host functions with signature and doc, request paths with titles; hover docs', async () => {
    const page = await openRule();
    await cursorTo(page, BODY_LINE);
    await page.keyboard.type('let d = ne');
    await page.waitForSelector('.cm-tooltip-autocomplete li');
    const options = await page.$$eval('.cm-tooltip-autocomplete li', (els) => els.map((e) => e.textContent));
    assert.ok(options.some((o) => o.startsWith('need') && o.includes('need(value, path[, prefix])')), options.join(' | '));
    // The selected option's doc, from the engine's table.
    await page.waitForSelector('.cm-completionInfo');
    assert.match(await page.textContent('.cm-completionInfo'), /when it is missing or null the rule fails naming the path/);
    await acceptCompletion(page);
    assert.equal((await editorText(page)).split('\n')[BODY_LINE - 1], 'let d = need()');

    // Inside need's path string: the request's fields, with their titles.
    await page.keyboard.type('req, "termination.eff');
    await page.waitForSelector('.cm-tooltip-autocomplete li');
    const paths = await page.$$eval('.cm-tooltip-autocomplete li', (els) => els.map((e) => e.textContent));
    const effective = paths.find((o) => o.startsWith('termination.effective_date'));
    assert.ok(effective, paths.join(' | '));
    assert.match(effective, /Effective date/i);
    await acceptCompletion(page);
    assert.equal((await editorText(page)).split('\n')[BODY_LINE - 1], 'let d = need(req, "termination.effective_date")');

    // After `req.`: the members of the block.
    await page.keyboard.press('End');
    await page.keyboard.type(';\nlet c = req.agreement.noti');
    await page.waitForSelector('.cm-tooltip-autocomplete li');
    const members = await page.$$eval('.cm-tooltip-autocomplete li', (els) => els.map((e) => e.textContent));
    assert.ok(members.some((o) => o.startsWith('notice_period_days')), members.join(' | '));
    await page.keyboard.press('Escape');

    // Hover docs: a host function, and a path in a string.
    const fn = page.locator('.cm-line', { hasText: 'let earliest = add_days' }).locator('text=add_days');
    await fn.hover();
    await page.waitForSelector('.cm-tooltip-hover .cg-doc');
    assert.match(await page.textContent('.cm-tooltip-hover'), /add_days\(date, n\)/);
    await page.mouse.move(5, 5);
    await page.waitForSelector('.cm-tooltip-hover', { state: 'detached' });
    await page.locator('.cm-line', { hasText: 'let period = need' }).locator('text=agreement.notice_period_days').hover();
    await page.waitForFunction(() => /Notice period/i.test(document.querySelector('.cm-tooltip-hover')?.textContent ?? ''));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("an edited rule's failing cases show expected vs actual; coverage shades the lines no case runs", async () => {
    const page = await openRule();
    const before = await waitTests(page, { failed: 0 });
    assert.ok(before.cases > 900, `the whole pack's cases run (${before.cases})`);
    // Coverage of the default pack: every statement of TRM-002 is run by a case.
    assert.match(await page.getByTestId('wb-coverage').textContent(), /TRM-002: statements (\d+)\/\1 · branch arms (\d+)\/\2/);
    assert.ok((await page.locator('.cm-line.cg-cov-run').count()) > 5);
    assert.equal(await page.locator('.cm-line.cg-cov-none').count(), 0);

    // An off-by-one in the rule, and a branch no case reaches.
    const edited = SOURCE.replace('if effective >= earliest {', 'if effective > earliest {').replace(
      'let earliest = add_days(received, period);',
      'let earliest = add_days(received, period);\nif period > 100000 {\n    return fail("an absurd notice period");\n}',
    );
    assert.notEqual(edited, SOURCE);
    await setEditorText(page, edited);
    await page.getByTestId('apply-rules').click();
    const after = await waitTests(page, { failed: 1 });
    assert.ok(after.failed > 0);
    const failing = page.locator(`.rule-cases[data-rule="${RULE}"] .case.failed`, { hasText: 'effective date exactly notice + 30 days passes' });
    await failing.waitFor();
    assert.equal(await failing.locator('.expected').textContent(), 'TRM-002: pass');
    assert.match(await failing.locator('.actual').textContent(), /^decision: deny\nfailing: TRM-002\nTRM-002: fail$/);
    assert.match(await failing.locator('.problems').textContent(), /TRM-002 is fail but pass was expected/);

    // The new branch is shaded as run by no case; the figures say so.
    await cursorTo(page, BODY_LINE);
    const absurd = page.locator('.cm-line', { hasText: 'return fail("an absurd notice period");' });
    await absurd.waitFor();
    assert.match(await absurd.getAttribute('class'), /cg-cov-none/);
    assert.equal(await absurd.getAttribute('data-hits'), '0');
    assert.match(await page.locator('.cm-line', { hasText: 'let received = need' }).getAttribute('class'), /cg-cov-run/);
    const figures = await page.getByTestId('coverage-figures').textContent();
    const [, covered, total] = /statements (\d+)\/(\d+)/.exec(figures);
    assert.ok(Number(covered) < Number(total), figures);
    assert.match(await page.getByTestId('wb-coverage').textContent(), /condition is never true in any case/);
    await page.locator('#wb-file').scrollIntoViewIfNeeded();
    await shot(page, 'workbench-coverage', 'workbench-coverage');

    // Reset: the default pack's cases pass again.
    await page.getByTestId('reset-pack').click();
    await waitTests(page, { failed: 0 });
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test("the portal's request saved as a case; the pack and its cases export and import with the pack's digest", async () => {
    const page = await openRule();
    const before = await waitTests(page, { failed: 0 });
    await page.getByTestId('save-case').click();
    await page.waitForFunction((n) => new RegExp(`^${n + 1} cases`).test(document.querySelector('[data-testid="wb-tests-summary"]').textContent), before.cases);
    const saved = page.locator(`.rule-cases[data-rule="${RULE}"] .case.passed`, { hasText: 'saved in the workbench' });
    assert.equal(await saved.count(), 1);
    assert.match(await saved.textContent(), /saved in the workbench: .+ passes/);

    // An edited rule too, then export: the file names the edited pack's digest.
    await setEditorText(page, SOURCE.replace('// A missing initiator', '// An absent initiator'));
    await page.getByTestId('apply-rules').click();
    await waitTests(page, { failed: 0 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-pack').click()]);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(exported.format, 'cloudgate-workbench-pack');
    assert.deepEqual(Object.keys(exported.rules), [RULE_FILE]);
    assert.deepEqual(Object.keys(exported.tests), [`tests/${RULE}.json`]);
    const cases = JSON.parse(exported.tests[`tests/${RULE}.json`]).cases;
    assert.equal(cases.length, JSON.parse(CASES).cases.length + 1);
    assert.deepEqual(cases.at(-1).expect, { outcomes: { [RULE]: 'pass' } });
    assert.match(exported.pack.digest, /^sha256:[0-9a-f]{64}$/);
    assert.notEqual(exported.pack.digest, exported.base.digest);
    await page.context().close();

    // Imported on a fresh page: the digest matches what its rules produce.
    const file = join(tmpdir(), `cloudgate-workbench-${process.pid}.json`);
    writeFileSync(file, JSON.stringify(exported));
    const fresh = await openRule();
    await fresh.getByTestId('import-pack').setInputFiles(file);
    await fresh.waitForFunction(() => /digest sha256:\w+… matches/.test(document.querySelector('[data-testid="wb-tests-summary"]').textContent), null, { timeout: 60000 });
    await waitTests(fresh, { failed: 0 });
    assert.equal(await editorText(fresh), exported.rules[RULE_FILE]);
    assert.equal(await fresh.locator(`.rule-cases[data-rule="${RULE}"] .case`, { hasText: 'saved in the workbench' }).count(), 1);
    assert.match(await fresh.locator('#wb-pack').textContent(), /Edited pack: 1 file changed/);

    // A file whose digest does not match its rules is flagged.
    writeFileSync(file, JSON.stringify({ ...exported, pack: { ...exported.pack, digest: `sha256:${'0'.repeat(64)}` } }));
    await fresh.getByTestId('import-pack').setInputFiles(file);
    await fresh.waitForFunction(() => /warning: .* names digest sha256:000000000000…, its rules produce sha256:/.test(document.querySelector('[data-testid="wb-tests-summary"]').textContent), null, { timeout: 60000 });
    // And a file that is not an export is refused.
    writeFileSync(file, JSON.stringify({ hello: 'world' }));
    await fresh.getByTestId('import-pack').setInputFiles(file);
    await fresh.waitForFunction(() => /import refused: not a workbench export/.test(document.querySelector('[data-testid="wb-tests-summary"]').textContent));
    assert.deepEqual(fresh.errors, []);
    await fresh.context().close();
  });

  test('keyboard only: into the editor, complete, indent, docs, leave with Escape then Tab, apply', async () => {
    const page = await openRule();
    // From the chosen rule's button, Tab reaches the editor (the rest of the list on the way).
    await page.focus(`[data-testid="rule-list"] .rule-btn[data-rule="${RULE}"]`);
    await page.keyboard.press('Enter');
    let steps = 0;
    while (!(await page.evaluate(() => document.activeElement?.classList.contains('cm-content'))) && steps < 60) {
      await page.keyboard.press('Tab');
      steps++;
    }
    assert.ok(steps < 60, 'Tab reaches the editor');
    // The editor's text box is named.
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-labelledby')), 'rule-editor-label');

    // To the first line of the body, type with completion.
    await page.keyboard.press('Control+Home');
    for (let i = 1; i < BODY_LINE; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.type('let d = ne');
    await page.waitForSelector('.cm-tooltip-autocomplete li');
    await acceptCompletion(page);
    await page.keyboard.type('req, "termination.effective_date"');
    await page.keyboard.press('End');
    await page.keyboard.type(';');
    // F1 shows the docs of what the cursor is on.
    await page.keyboard.press('Home');
    for (let i = 0; i < 'let d = n'.length; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('F1');
    await page.waitForSelector('.cm-tooltip .cg-doc');
    assert.match(await page.textContent('.cm-tooltip .cg-doc'), /need\(value, path\[, prefix\]\)/);
    await page.keyboard.press('Escape');
    await page.waitForSelector('.cm-tooltip .cg-doc', { state: 'detached' });

    // Tab indents inside the editor and keeps the focus there.
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.activeElement.classList.contains('cm-content')));
    assert.match((await editorText(page)).split('\n')[BODY_LINE - 1], /^\s+let d = need\(req, "termination\.effective_date"\);$/);
    await page.keyboard.press('Shift+Tab');
    assert.equal((await editorText(page)).split('\n')[BODY_LINE - 1], 'let d = need(req, "termination.effective_date");');

    // Escape then Tab leaves the editor, to the apply button.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'wb-apply');
    await page.keyboard.press('Enter');
    await page.waitForSelector(`[data-testid="rule-list"] .rule-btn[data-rule="${RULE}"] .tag`);
    await waitTests(page, { failed: 0 });
    await page.waitForFunction(() => document.querySelector('[data-testid="wb-decision"]').textContent === 'allow');

    // Ctrl+Enter applies from inside the editor too.
    await page.evaluate(() => document.querySelector('[data-testid="rule-editor"]').cgEditor.focus());
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ');
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction((src) => JSON.parse(localStorage.getItem('cloudgate.edits') ?? '{}')['termination/TRM-002.rhai']?.endsWith(' '), SOURCE);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
