// The Vite-built page (bundle/) in headless Chromium, served by the proxy in sandbox mode: it
// imports edgewarm, signs, and sends calls of two vendors through the proxy, and answers URL
// cases with the call module in Chromium, held to the answers the Rust parser gives natively
// (tests/url_answers.json). Fails on any console error or failed request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { URL_ANSWERS, proxyBase } from './helpers.mjs';

const ARTEFACTS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artefacts', 'npm');

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

test('a Vite bundle importing edgewarm signs and sends through the proxy in Chromium', async () => {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'edgewarm-chromium-')), {
    executablePath: '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  const problems = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`));
    await page.goto(`${proxyBase()}/`);
    const out = page.locator('#result');
    await out.and(page.locator('[data-state]')).waitFor({ timeout: 20_000 });
    const state = await out.getAttribute('data-state');
    const text = await out.textContent();
    assert.equal(state, 'done', text);
    const result = JSON.parse(text);
    assert.match(result.cdnTaskId, /^\d+$/);
    assert.ok(result.esaTaskId.length > 0);
    assert.match(result.signature, /^[0-9a-f]{64}$/);
    assert.equal(result.validation, 'Urls[0]:url-scheme');
    // the call module in Chromium (its URL parser is the browser's) against the Rust parser's
    // recorded answers: the same URLs refused, the same encoded forms
    assert.equal(result.callUrls.length, URL_ANSWERS.length);
    URL_ANSWERS.forEach(({ url, service, answer }, i) => assert.deepEqual(result.callUrls[i], answer, `${url} (${service})`));
    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTEFACTS, 'bundle.png') });
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, []);
});
