// Accessibility: each view of the page (portal, rule workbench, training simulator with a
// checked exercise, the training results page) in headless Debian Chromium, checked by axe-core
// (www/node_modules, injected from disk: no CDN). Any `serious` or `critical` violation fails
// the test, listed with its rule, impact and the selectors of the offending elements.
//
// Run: node --test www/test/a11y.test.mjs  (WWW_ORIGIN: an already running server; WWW_ENGINE:
// another engine module, development only)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { useBrowser } from './browser.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const BLOCKING = new Set(['serious', 'critical']);

let browser;
let origin;
useBrowser((b, o) => {
  browser = b;
  origin = o;
});

async function openApp(view) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const params = new URLSearchParams();
  if (process.env.WWW_ENGINE) params.set('engine', process.env.WWW_ENGINE);
  await page.goto(`${origin}/www/${params.size ? `?${params}` : ''}#${view}`);
  await page.waitForFunction(() => document.body.dataset.ready, null, { timeout: 60000 });
  assert.equal(await page.evaluate(() => document.body.dataset.ready), 'true', await page.textContent('#engine-status'));
  return page;
}

/** axe over the whole document; returns the serious and critical violations, in words. */
async function violations(page) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    // The toast comes and goes; checking it mid-fade would make the result depend on timing.
    document.getElementById('toast').hidden = true;
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  return found
    .filter((v) => BLOCKING.has(v.impact))
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.targets.slice(0, 6).join(' | ')}${v.targets.length > 6 ? ` …+${v.targets.length - 6}` : ''}`);
}

async function waitDecision(page, testid) {
  await page.waitForFunction((id) => {
    const t = document.querySelector(`[data-testid="${id}"]`)?.textContent.trim();
    return t && t !== '…' && t !== 'not checked yet';
  }, testid, { timeout: 20000 });
}

test('portal: a denied request with its findings', async () => {
  const page = await openApp('portal');
  await page.getByTestId('scenario').selectOption('termination');
  await page.getByTestId('example').selectOption('deny');
  await page.waitForFunction(() => document.querySelector('[data-testid="decision"]')?.textContent === 'deny', null, { timeout: 20000 });
  assert.deepEqual(await violations(page), []);
  // The raw JSON tab too.
  await page.click('[data-testid="json-tab"]');
  assert.deepEqual(await violations(page), []);
  await page.context().close();
});

test('rule workbench: a rule open in the editor', async () => {
  const page = await openApp('workbench');
  await page.click('[data-testid="rule-list"] .rule-btn[data-rule]');
  await waitDecision(page, 'wb-decision');
  assert.deepEqual(await violations(page), []);
  await page.context().close();
});

test('training simulator: an exercise checked, a hint shown', async () => {
  const page = await openApp('simulator');
  await page.waitForSelector('#view-simulator[data-loaded="true"]');
  await page.getByTestId('sim-check').click();
  await waitDecision(page, 'sim-decision');
  await page.getByTestId('sim-hint').click();
  await page.waitForSelector('[data-testid="sim-findings"] .finding .message');
  assert.deepEqual(await violations(page), []);
  await page.context().close();
});

test('training results page', async () => {
  const page = await openApp('simulator');
  await page.waitForSelector('#view-simulator[data-loaded="true"]');
  await page.getByTestId('sim-check').click();
  await waitDecision(page, 'sim-decision');
  await page.getByTestId('sim-results-open').click();
  await page.waitForSelector('[data-testid="sim-results"]:not([hidden]) .results-step');
  assert.deepEqual(await violations(page), []);
  await page.context().close();
});
