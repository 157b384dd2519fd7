// Shared by the console's Chromium tests: where their artefacts go, the console's address
// (`cargo xtask console-test` serves web/dist with the sandbox proxy and sets EDGEWARM_CONSOLE),
// a fresh headless Chromium with the project's flags, and the few page steps every flow uses.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** Screenshots and figures of the console tests. */
export const ARTEFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artefacts', 'console');

/** Debian's Chromium, headless, as the project runs it everywhere. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The console under test; says plainly how to get one when it is missing. */
export function base() {
  const b = process.env.EDGEWARM_CONSOLE;
  if (!b) throw new Error('EDGEWARM_CONSOLE is not set: run through `cargo xtask console-test` (it serves web/dist with the sandbox proxy)');
  return b;
}

/**
 * A fresh browser context (its own profile directory) at 1280×900 unless `options` say
 * otherwise (any of Playwright's context options: `viewport`, `timezoneId`, `acceptDownloads`…).
 */
export async function launch(name, options = {}) {
  mkdirSync(ARTEFACTS, { recursive: true });
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), `edgewarm-${name}-`)), {
    executablePath: '/usr/bin/chromium',
    args: ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
}

/** Unfolds the sections (`<details>`: the setup, advanced options) around `selector`. */
export async function reveal(page, selector) {
  await page.locator(selector).evaluate((el) => {
    for (let d = el.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
  });
}

/** Types `value` into the field `selector` (unfolded first) and commits it. */
export async function setValue(page, selector, value) {
  await reveal(page, selector);
  await page.locator(selector).fill(value);
  await page.locator(selector).dispatchEvent('change');
}

/** Waits until the run card shows an end state (Completed, Completed with failures, Stopped). */
export const runEnded = (page, timeout = 120_000) =>
  page.waitForFunction(() => ['completed', 'failures', 'stopped'].includes(document.querySelector('#run-card')?.dataset.state), null, { timeout });

/**
 * A fresh page of `context` at the console (`path`), served with the console's CSP, recording
 * every console error, page error, failed request, HTTP error and Content Security Policy
 * violation into `problems` (a flow ends by asserting it is empty).
 */
export async function openPage(context, { path = '/', colorScheme } = {}) {
  const page = await context.newPage();
  const problems = [];
  await page.exposeFunction('__edgewarmCspViolation', (v) => problems.push(`CSP violation: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => window.__edgewarmCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`));
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()} ${r.url()}`));
  if (colorScheme) await page.emulateMedia({ colorScheme });
  const response = await page.goto(`${base()}${path}`);
  if (!/script-src 'self' 'wasm-unsafe-eval'/.test(response.headers()['content-security-policy'] ?? '')) problems.push('the page came without the console\'s Content-Security-Policy');
  await page.locator('main h2').first().waitFor();
  return { page, problems };
}
