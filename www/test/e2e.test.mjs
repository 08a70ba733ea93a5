// End to end in headless Debian Chromium (playwright-core, no downloaded browser): the portal,
// the rule workbench and the training simulator against the real wasm engine, served by
// www/serve.mjs. Screenshots of each view go to test-artifacts/www/; the portal and simulator
// shots are also copied to docs/ for the README.
//
// Run: node --test www/test/   (scripts/test-www.sh does the setup: npm ci, chromium, wasm build)

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { solve, useBrowser } from './browser.mjs';
import { loadCurriculum } from '../exercises.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts', 'www');
const DOCS = join(ROOT, 'docs');
const SCENARIOS = ['onboarding', 'termination', 'transfer', 'removal'];
const EXPECTED = JSON.parse(readFileSync(join(ROOT, 'www/examples/expected.json'), 'utf8'));
// The training exercises, read from their data files as the page reads them.
const { EXERCISES, STAGES } = await loadCurriculum((name) => JSON.parse(readFileSync(join(ROOT, 'www/exercises', name), 'utf8')));
const BASE = Object.fromEntries(
  SCENARIOS.map((s) => [s, JSON.parse(readFileSync(join(ROOT, 'rules/tests/base', `${s}.json`), 'utf8'))]),
);

let browser;
let origin;
useBrowser((b, o) => {
  browser = b;
  origin = o;
}, { artifacts: ARTIFACTS });

/** A fresh page (fresh storage) that has loaded the engine; page errors fail the test. */
async function openApp(view = 'portal', { width = 1280, height = 900, context, query: extra = '' } = {}) {
  const ctx = context ?? (await browser.newContext({ viewport: { width, height }, acceptDownloads: true }));
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.errors = errors;
  // WWW_ENGINE: another build of the engine module (development only).
  const params = new URLSearchParams(extra);
  if (process.env.WWW_ENGINE && !params.has('engine')) params.set('engine', process.env.WWW_ENGINE);
  const query = params.toString() ? `?${params}` : '';
  await page.goto(`${origin}/www/${query}#${view}`);
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', await page.textContent('#engine-status'));
  return page;
}

/** Waits until the badge `testid` shows `word` for the request `requestId` (when given). */
async function waitDecision(page, testid, word, requestId) {
  try {
    await page.waitForFunction(
      ([id, w, rid]) => {
        const el = document.querySelector(`[data-testid="${id}"]`);
        return el && el.textContent.trim() === w && (rid === undefined || el.dataset.requestId === rid);
      },
      [testid, word, requestId],
      { timeout: 20000 },
    );
  } catch (e) {
    const got = await page.textContent(`[data-testid="${testid}"]`);
    throw new Error(`expected ${testid} "${word}"${requestId ? ` for ${requestId}` : ''}, got "${got}": ${e.message}`);
  }
}

/** Waits until the element `testid` has text matching `re`. */
async function waitText(page, testid, re) {
  await page.waitForFunction(
    ([id, src, flags]) => new RegExp(src, flags).test(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''),
    [testid, re.source, re.flags],
    { timeout: 20000 },
  );
}

/** Rule ids shown as failing (or erroring) in a findings list. */
async function failingRules(page, testid) {
  return page.$$eval(`[data-testid="${testid}"] .findings > .finding`, (els) => els.map((e) => e.dataset.rule).sort());
}

async function editJson(page, mutate) {
  await page.click('[data-testid="json-tab"]');
  const editor = page.getByTestId('request-editor');
  const req = JSON.parse(await editor.inputValue());
  mutate(req);
  await editor.fill(JSON.stringify(req, null, 2));
  return req;
}

async function shot(page, name, { docs = false, fullPage = false, top = false } = {}) {
  const file = join(ARTIFACTS, `${name}.png`);
  await page.evaluate(() => {
    document.getElementById('toast').hidden = true;
  });
  if (top) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage });
  if (docs) {
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(file, join(DOCS, `${docs}.png`));
  }
}

describe('portal', () => {
  test('every scenario: the allow example is allowed, the deny example denied by the expected rules', async () => {
    const page = await openApp('portal');
    for (const s of SCENARIOS) {
      await page.getByTestId('scenario').selectOption(s);
      await page.getByTestId('example').selectOption('allow');
      await waitDecision(page, 'decision', 'allow', BASE[s].request_id);
      assert.deepEqual(await failingRules(page, 'findings'), []);
      // Passing rules are listed (folded away), each with its id.
      const text = await page.getByTestId('findings').textContent();
      assert.match(text, /Passed \(\d+\)/);

      await page.getByTestId('example').selectOption('deny');
      const deny = JSON.parse(readFileSync(join(ROOT, 'www/examples', `${s}-deny.json`), 'utf8'));
      await waitDecision(page, 'decision', 'deny', deny.request_id);
      const want = EXPECTED[`${s}-deny.json`].failing;
      assert.deepEqual(await failingRules(page, 'findings'), [...want].sort());
      const findings = await page.getByTestId('findings').textContent();
      for (const id of want) assert.ok(findings.includes(id), `${id} shown in findings`);
      if (s === 'termination') await shot(page, 'portal-termination-deny', { docs: 'portal', top: true });
    }
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('switching examples quickly: the last choice wins even when an earlier load finishes later', async () => {
    const page = await openApp('portal');
    await page.getByTestId('scenario').selectOption('removal');
    await waitDecision(page, 'decision', 'allow', BASE.removal.request_id);
    // The allow example now takes longer to arrive than the deny example chosen after it.
    await page.route('**/rules/tests/base/removal.json', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      await route.continue();
    });
    await page.getByTestId('example').selectOption('allow');
    await page.getByTestId('example').selectOption('deny');
    const deny = JSON.parse(readFileSync(join(ROOT, 'www/examples', 'removal-deny.json'), 'utf8'));
    await waitDecision(page, 'decision', 'deny', deny.request_id);
    await page.waitForTimeout(1200); // past the slow load: the deny example must stay
    await waitDecision(page, 'decision', 'deny', deny.request_id);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('break a field in the raw JSON: deny with the right rule; fix it: allow; the path focuses the field', async () => {
    const page = await openApp('portal');
    await page.getByTestId('scenario').selectOption('termination');
    await waitDecision(page, 'decision', 'allow', BASE.termination.request_id);

    await editJson(page, (r) => {
      r.termination.effective_date = '2026-09-15';
    });
    await waitDecision(page, 'decision', 'deny');
    const failing = await failingRules(page, 'findings');
    assert.ok(failing.includes('TRM-002'), `TRM-002 fails: ${failing}`);
    const card = page.locator('[data-testid="findings"] .finding[data-rule="TRM-002"]');
    assert.match(await card.textContent(), /2026-10-01/);
    assert.match(await card.textContent(), /deny/);
    assert.match(await card.textContent(), /Data Act 25\(2\)\(d\)/);
    // Who must act (the rule's actor): the customer chose the date.
    assert.match(await card.textContent(), /customer must act/);

    // Clicking the finding's path takes the user to that field in the structured editor.
    await card.locator('button.path', { hasText: 'termination.effective_date' }).click();
    await page.waitForFunction(() => document.activeElement?.dataset?.path === 'termination.effective_date');
    assert.equal(await page.evaluate(() => document.activeElement.value), '2026-09-15');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-invalid')), 'true');

    // Fix it in the structured field: allowed again, and the JSON follows.
    await page.locator('[data-testid="fields"] [data-path="termination.effective_date"]').fill('2026-10-01');
    await waitDecision(page, 'decision', 'allow');
    await page.click('[data-testid="json-tab"]');
    assert.equal(JSON.parse(await page.getByTestId('request-editor').inputValue()).termination.effective_date, '2026-10-01');

    // Break and fix once more purely through fill() on the raw editor.
    // (TRM-003 is a warning in pack 2.0.0: the customer *may* state a choice, so a person reviews.)
    await editJson(page, (r) => {
      r.termination.customer_choice = 'none';
    });
    await waitDecision(page, 'decision', 'review');
    assert.deepEqual(await failingRules(page, 'findings'), ['TRM-003']);
    await editJson(page, (r) => {
      r.termination.customer_choice = 'switch_provider';
    });
    await waitDecision(page, 'decision', 'allow');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('invalid JSON and schema errors say where; the state survives a reload', async () => {
    const page = await openApp('portal');
    await page.getByTestId('scenario').selectOption('removal');
    await waitDecision(page, 'decision', 'allow', BASE.removal.request_id);
    await page.click('[data-testid="json-tab"]');
    const editor = page.getByTestId('request-editor');
    const good = await editor.inputValue();

    await editor.fill(good.replace('"scope": "customer_instance",', '"scope": "customer_instance"'));
    await waitDecision(page, 'decision', 'error');
    const status = await page.getByTestId('json-status').textContent();
    assert.match(status, /Invalid JSON at line \d+, column \d+/);
    assert.match(await page.getByTestId('request-errors').textContent(), /line \d+, column \d+/);

    await editor.fill(good.replace('"scope": "customer_instance"', '"scope": "everything"'));
    await waitText(page, 'request-errors', /removal\.scope/);
    await waitDecision(page, 'decision', 'error');
    assert.match(await page.getByTestId('json-status').textContent(), /Valid JSON/);

    // A half-edited request survives a reload (local storage).
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await waitText(page, 'request-errors', /removal\.scope/);
    await waitDecision(page, 'decision', 'error');
    assert.equal(await page.getByTestId('scenario').inputValue(), 'removal');

    // Import a file, then export it again.
    await page.getByTestId('import').setInputFiles({
      name: 'transfer.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(BASE.transfer)),
    });
    await waitDecision(page, 'decision', 'allow', BASE.transfer.request_id);
    assert.equal(await page.getByTestId('scenario').inputValue(), 'transfer');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    assert.equal(download.suggestedFilename(), `${BASE.transfer.request_id}.json`);
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.deepEqual(exported, BASE.transfer);
    await page.context().close();
  });

  test('an info finding is noted, never counted as failed; "explain passes" shows what each passing rule checked', async () => {
    const page = await openApp('portal');
    await page.getByTestId('scenario').selectOption('termination');
    await waitDecision(page, 'decision', 'allow', BASE.termination.request_id);
    assert.equal(await page.locator('[data-testid="findings"] .folded.passed .why').count(), 0, 'no pass messages without explain');

    // An early termination fee is recorded by TRM-012 (info): still allowed, noted, not failed.
    await editJson(page, (r) => {
      r.agreement.early_termination_fee.amount = 500;
    });
    await waitText(page, 'findings', /Noted \(1\)/);
    assert.equal(await page.getByTestId('decision').textContent(), 'allow');
    const summary = await page.getByTestId('decision-summary').textContent();
    assert.match(summary, /1 noted/);
    assert.doesNotMatch(summary, /failed/);
    assert.deepEqual(await failingRules(page, 'findings'), []);
    const noted = page.locator('[data-testid="findings"] .noted-list .finding[data-rule="TRM-012"]');
    assert.match(await noted.textContent(), /noted/);
    assert.match(await noted.textContent(), /500/);
    assert.doesNotMatch(await noted.textContent(), /must act/);
    // Nothing to group by field: no blocking finding names a field.
    assert.equal(await page.locator('[data-testid="by-field"]').count(), 0);

    // Explain: the engine is asked with { explain: true }; passing findings carry their message.
    await page.getByTestId('explain').check();
    await page.waitForSelector('[data-testid="findings"] .folded.passed[open] .why');
    const trm002 = page.locator('[data-testid="findings"] .folded.passed li[data-rule="TRM-002"]');
    assert.match(await trm002.textContent(), /2026-10-01/);
    // The choice survives a reload.
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    assert.equal(await page.getByTestId('explain').isChecked(), true);
    await page.waitForSelector('[data-testid="findings"] .folded.passed .why');
    await page.getByTestId('explain').uncheck();
    await page.waitForFunction(() => !document.querySelector('[data-testid="findings"] .folded.passed .why'));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('one root cause trips several rules: the "by field" grouping shows it; each finding says who must act', async () => {
    const page = await openApp('portal');
    await page.getByTestId('scenario').selectOption('transfer');
    await waitDecision(page, 'decision', 'allow', BASE.transfer.request_id);
    // Undocumented charges during parallel use: CMN-006 (DA 29(3)) and TRF-012 (DA 34(2)), both warn.
    await editJson(page, (r) => {
      r.transfer.in_parallel_use = true;
      r.agreement.switching_charges = { amount: 1800, currency: 'EUR', cost_basis_documented: false };
    });
    await waitDecision(page, 'decision', 'review');
    assert.deepEqual(await failingRules(page, 'findings'), ['CMN-006', 'TRF-012']);
    assert.match(await page.getByTestId('decision-summary').textContent(), /2 failed/);
    assert.match(
      await page.locator('[data-testid="findings"] .finding[data-rule="TRF-012"]').textContent(),
      /(customer|provider|customer and provider) must act/,
    );

    const byField = page.getByTestId('by-field');
    assert.equal(await byField.evaluate((d) => d.open), true, 'open when a field is shared');
    const group = byField.locator('.field-group[data-field="agreement.switching_charges.cost_basis_documented"]');
    assert.equal(await group.getAttribute('data-rules'), 'CMN-006 TRF-012');
    assert.match(await group.textContent(), /fixing this field may resolve 2 findings/);
    // The shared fields come first.
    const first = await byField.locator('.field-group').first().getAttribute('data-rules');
    assert.equal(first.split(' ').length, 2);
    await shot(page, 'portal-by-field', { top: true });

    // One fix, two findings resolved: from the grouping straight to the field.
    await group.locator('button.path').click();
    await page.waitForFunction(() => document.activeElement?.dataset?.path === 'agreement.switching_charges.cost_basis_documented');
    await page.locator('[data-testid="fields"] [data-path="agreement.switching_charges.cost_basis_documented"]').check();
    await waitDecision(page, 'decision', 'allow');
    assert.equal(await page.locator('[data-testid="by-field"]').count(), 0);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the field editor offers the contract 2 fields a request lacks', async () => {
    const page = await openApp('portal');
    await page.getByTestId('scenario').selectOption('onboarding');
    await waitDecision(page, 'decision', 'allow', BASE.onboarding.request_id);
    // A request written for contract 1: no exit terms, suppliers without a jurisdiction.
    await editJson(page, (r) => {
      delete r.agreement.exit_terms;
      delete r.agreement.pre_contract_info.international_access_safeguards;
      for (const s of r.suppliers) {
        delete s.jurisdiction;
        delete s.transfer_mechanism;
      }
    });
    await waitDecision(page, 'decision', 'deny');
    const failing = await failingRules(page, 'findings');
    for (const id of ['CMN-009', 'CMN-010']) assert.ok(failing.includes(id), `${id} fails: ${failing}`);

    // The finding's path leads to the offered (not yet present) exit terms.
    await page.locator('[data-testid="findings"] .finding[data-rule="CMN-009"] button.path').first().click();
    await page.waitForFunction(() => (document.activeElement?.dataset?.path ?? '').startsWith('agreement.exit_terms.'));
    const fields = page.getByTestId('fields');
    const terms = [
      'switching_assistance',
      'business_continuity',
      'security_maintained',
      'contract_ends_on_completion',
      'erasure_after_retrieval',
      'extension_right',
    ];
    for (const t of terms) {
      const box = fields.locator(`[data-path="agreement.exit_terms.${t}"]`);
      assert.equal(await box.getAttribute('data-missing'), 'true');
      await box.check();
    }
    await fields.locator('[data-path="agreement.pre_contract_info.international_access_safeguards"]').check();
    // CMN-010's path opens the suppliers section on the offered jurisdiction.
    await page.locator('[data-testid="findings"] .finding[data-rule="CMN-010"] button.path', { hasText: 'suppliers[0].jurisdiction' }).click();
    await page.waitForFunction(() => document.activeElement?.dataset?.path === 'suppliers[0].jurisdiction');
    await fields.locator('[data-path="suppliers[0].jurisdiction"]').fill('IE');
    assert.deepEqual(
      await fields.locator('select[data-path="suppliers[0].transfer_mechanism"] option').evaluateAll((os) => os.map((o) => o.value)),
      ['', 'adequacy', 'scc', 'bcr'],
    );
    await waitDecision(page, 'decision', 'allow');
    await page.click('[data-testid="json-tab"]');
    const req = JSON.parse(await page.getByTestId('request-editor').inputValue());
    assert.deepEqual(Object.keys(req.agreement.exit_terms).sort(), [...terms].sort());
    assert.equal(req.suppliers[0].jurisdiction, 'IE');
    assert.equal('transfer_mechanism' in req.suppliers[0], false, 'an untouched offered field stays out of the request');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('phone width: the portal is usable at 390 px', async () => {
    const page = await openApp('portal', { width: 390, height: 844 });
    await page.getByTestId('scenario').selectOption('onboarding');
    await page.getByTestId('example').selectOption('deny');
    await waitDecision(page, 'decision', 'deny');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
    await shot(page, 'portal-phone');
    await page.locator('#decision-title').scrollIntoViewIfNeeded();
    await shot(page, 'portal-phone-decision');
    await page.context().close();
  });
});

describe('rule workbench', () => {
  test('a syntax error is reported with rule, line and column; a runaway rule gives an error; reset restores the pack', async () => {
    const page = await openApp('portal');
    await page.getByTestId('scenario').selectOption('termination');
    await waitDecision(page, 'decision', 'allow', BASE.termination.request_id);

    await page.click('#tab-workbench');
    await page.getByTestId('wb-filter').selectOption('termination');
    await page.click('[data-testid="rule-list"] .rule-btn[data-rule="TRM-002"]');
    // The rule editor (CodeMirror): its text through the page's handle, edits as a paste.
    const editor = page.locator('[data-testid="rule-editor"] .cm-content');
    const editorText = () => page.evaluate(() => document.querySelector('[data-testid="rule-editor"]').cgEditor.getText());
    await page.waitForFunction(() => /id: TRM-002/.test(document.querySelector('[data-testid="rule-editor"]').cgEditor?.getText() ?? ''));
    const source = await editorText();
    await waitDecision(page, 'wb-decision', 'allow');
    await shot(page, 'workbench');

    // A syntax error on a known line: the header stays intact, line 3 of the body breaks.
    const lines = source.split('\n');
    const headerEnd = lines.findIndex((l) => !l.startsWith('//!'));
    const broken = [...lines.slice(0, headerEnd), 'let x = ;', ...lines.slice(headerEnd)].join('\n');
    await editor.fill(broken);
    await page.getByTestId('apply-rules').click();
    await page.waitForSelector('[data-testid="diagnostics"] .diagnostic');
    const diag = await page.getByTestId('diagnostics').textContent();
    assert.match(diag, /TRM-002/);
    assert.match(diag, new RegExp(`line ${headerEnd + 1}, column \\d+`));
    await waitDecision(page, 'wb-decision', 'error');
    assert.ok((await failingRules(page, 'wb-findings')).includes('TRM-002'));
    await shot(page, 'workbench-syntax-error');

    // The portal decides with the edited pack too, and says so.
    await page.click('#tab-portal');
    await waitDecision(page, 'decision', 'error');
    assert.equal(await page.isVisible('#custom-pack-banner'), true);

    // A runaway rule: stopped by the engine (operation limit) or by the page's time limit.
    await page.click('#tab-workbench');
    await page.getByTestId('reset-pack').click();
    await waitDecision(page, 'wb-decision', 'allow');
    await editor.fill([...lines.slice(0, headerEnd), 'let n = 0;', 'loop { n += 1; }', 'pass()'].join('\n'));
    await page.getByTestId('apply-rules').click();
    await waitDecision(page, 'wb-decision', 'error');
    assert.match(await page.getByTestId('wb-findings').textContent(), /TRM-002|engine/);
    await shot(page, 'workbench-runaway');

    // Reset: the default pack decides again.
    await page.getByTestId('reset-pack').click();
    await waitDecision(page, 'wb-decision', 'allow');
    assert.equal(await editorText(), source);
    await page.click('#tab-portal');
    await waitDecision(page, 'decision', 'allow');
    assert.equal(await page.isVisible('#custom-pack-banner'), false);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});

test('an evaluation that never returns: the page stops the worker, reports it and keeps working', async () => {
  const page = await openApp('portal', { query: 'engine=/www/test/fixtures/hanging-engine.js&timeout=2500' });
  await page.getByTestId('scenario').selectOption('transfer');
  await waitDecision(page, 'decision', 'allow', BASE.transfer.request_id);
  await editJson(page, (r) => {
    r.transfer.channel.protocol = 'HANG';
  });
  await waitText(page, 'decision-summary', /no answer within 2\.5 s/);
  assert.equal(await page.getByTestId('decision').textContent(), 'error');
  assert.match(await page.getByTestId('engine-status').textContent(), /restarted/);
  // The restarted worker serves the next request.
  await editJson(page, (r) => {
    r.transfer.channel.protocol = 'sftp';
  });
  await waitDecision(page, 'decision', 'allow', BASE.transfer.request_id);
  await page.context().close();
});

test('phone width: the workbench fits 390 px', async () => {
  const page = await openApp('workbench', { width: 390, height: 844 });
  await page.click('[data-testid="rule-list"] .rule-btn[data-rule="ONB-002"]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  await page.locator('#wb-file').scrollIntoViewIfNeeded();
  await shot(page, 'workbench-phone');
  await page.context().close();
});

describe('training simulator', () => {
  test('one exercise per lifecycle step is solved with the real default pack; score and progress persist', async () => {
    const page = await openApp('simulator');
    await page.waitForSelector('#lifecycle-diagram svg');
    let total = 0;
    for (const stage of STAGES) {
      const ex = EXERCISES.find((e) => e.scenario === stage.scenario);
      await page.click(`#stage-tabs [data-scenario="${stage.scenario}"]`);
      await page.click(`[data-testid="exercise-list"] [data-exercise="${ex.id}"]`);
      await page.waitForFunction((t) => document.getElementById('ex-title').textContent === t, ex.title);

      // As given, the request is denied by exactly the exercise's rules.
      await page.getByTestId('sim-check').click();
      await waitDecision(page, 'sim-decision', 'deny', `TRAIN-${ex.id}`);
      assert.deepEqual(await failingRules(page, 'sim-findings'), [...ex.rules].sort());
      // A hint reveals the first finding's message and fields.
      await page.getByTestId('sim-hint').click();
      await page.waitForSelector('[data-testid="sim-findings"] .finding .message');
      if (stage.scenario === 'termination') {
        await page.setViewportSize({ width: 1280, height: 1100 });
        await shot(page, 'simulator', { docs: 'simulator', top: true });
        await page.setViewportSize({ width: 1280, height: 900 });
      }

      await solve(page, ex);
      await page.getByTestId('sim-check').click();
      await waitDecision(page, 'sim-decision', 'allow', `TRAIN-${ex.id}`);
      total += 100 - 10 - 5; // one hint, one unsuccessful check
      assert.equal(await page.getByTestId('sim-score').textContent(), String(total));
      // The diagram shows the step's target state as reached.
      const current = await page.$eval('#lifecycle-diagram .lc-node.current', (g) => g.dataset.state);
      assert.equal(current, stage.to);
    }
    assert.equal(await page.getByTestId('sim-progress').textContent(), `4/${EXERCISES.length}`);
    await shot(page, 'simulator-solved');

    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    assert.equal(await page.getByTestId('sim-score').textContent(), String(total));
    assert.equal(await page.getByTestId('sim-progress').textContent(), `4/${EXERCISES.length}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('the exercises for pack 2.0.0 are solvable in the browser, including one that is sent to review', async () => {
    const ids = ['onb-subprocessor', 'trf-third-country', 'trf-parallel', 'trf-export', 'rmv-early-deletion', 'rmv-expired-hold'];
    const page = await openApp('simulator');
    await page.waitForSelector('#lifecycle-diagram svg');
    for (const id of ids) {
      const ex = EXERCISES.find((e) => e.id === id);
      assert.ok(ex, id);
      await page.click(`#stage-tabs [data-scenario="${ex.scenario}"]`);
      await page.click(`[data-testid="exercise-list"] [data-exercise="${ex.id}"]`);
      await page.waitForFunction((t) => document.getElementById('ex-title').textContent === t, ex.title);
      await page.getByTestId('sim-check').click();
      await waitDecision(page, 'sim-decision', ex.decision ?? 'deny', `TRAIN-${ex.id}`);
      assert.deepEqual(await failingRules(page, 'sim-findings'), [...ex.rules].sort(), id);
      if (ex.decision === 'review') {
        assert.match(await page.textContent('#sim-summary'), /a person must review/);
        await shot(page, 'simulator-review');
      }
      await solve(page, ex);
      await page.getByTestId('sim-check').click();
      await waitDecision(page, 'sim-decision', 'allow', `TRAIN-${ex.id}`);
      assert.match(await page.getByTestId('sim-lesson').textContent(), /What this teaches/);
    }
    assert.equal(await page.getByTestId('sim-progress').textContent(), `${ids.length}/${EXERCISES.length}`);
    // 100 − 5 for the one unsuccessful check of each.
    assert.equal(await page.getByTestId('sim-score').textContent(), String(ids.length * 95));
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('phone width: the simulator and its diagram fit 390 px', async () => {
    const page = await openApp('simulator', { width: 390, height: 844 });
    await page.waitForSelector('#lifecycle-diagram svg');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
    await shot(page, 'simulator-phone');
    await page.context().close();
  });

  test('keyboard: tabs switch with the arrow keys and every control has a label', async () => {
    const page = await openApp('portal');
    await page.focus('#tab-portal');
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.isVisible('#view-workbench'), true);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.isVisible('#view-simulator'), true);
    assert.equal(await page.evaluate(() => location.hash), '#simulator');
    const unlabelled = await page.$$eval('input, select, textarea', (els) =>
      els
        .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
        .map((e) => e.id || e.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unlabelled, []);
    await page.context().close();
  });
});

test('artifacts were written', () => {
  for (const f of ['portal-termination-deny', 'portal-phone', 'workbench', 'workbench-syntax-error', 'simulator', 'simulator-phone']) {
    assert.ok(existsSync(join(ARTIFACTS, `${f}.png`)), f);
  }
});
