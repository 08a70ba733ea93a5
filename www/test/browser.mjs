// How every browser test starts: the static server (or the one at WWW_ORIGIN) and Debian's
// Chromium through playwright-core, never a downloaded browser, with the flags that work as
// root without a sandbox (see shared/design/toolchain.md); and the steps several tests share.
import { after, before } from 'node:test';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { start } from '../serve.mjs';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Registers the test file's `before` and `after` hooks: `ready(browser, origin)` is called once
 * both are up; `artifacts`, if given, is a folder made for screenshots.
 */
export function useBrowser(ready, { artifacts } = {}) {
  let server;
  let browser;
  before(async () => {
    if (artifacts) mkdirSync(artifacts, { recursive: true });
    let origin = process.env.WWW_ORIGIN;
    if (!origin) {
      server = await start(0);
      origin = `http://127.0.0.1:${server.address().port}`;
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    ready(browser, origin);
  });
  after(async () => {
    await browser?.close();
    await new Promise((r) => (server ? server.close(r) : r()));
  });
}

/** Types a training exercise's reference solution into the simulator's fields. */
export async function solve(page, ex) {
  for (const [path, value] of Object.entries(ex.solution)) {
    const field = page.locator(`[data-testid="sim-fields"] [data-path="${path}"]`);
    const kind = await field.getAttribute('data-kind');
    if (kind === 'bool') await field.setChecked(value);
    else if (kind === 'enum') await field.selectOption(value ?? '');
    else if (kind === 'list') await field.fill(value.join(', '));
    else await field.fill(value === null ? '' : String(value));
  }
}
