// The Yew console (web/) in headless Chromium against `edgewarm-proxy --sandbox` serving
// web/dist (`cargo xtask test` sets EDGEWARM_CONSOLE): a full flow per vendor, a failure flow
// (throttling and a failing origin), reload mid-job and resume without resubmitting, the ESA
// scheduled flow, a dry-run curl that the sandbox accepts, history and quotas, and keys that
// never reach the URL or the page. Fails on any console error or failed request not expected,
// and on any Content Security Policy violation (every page is served with the proxy's CSP).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ew from 'edgewarm';
import { ALIBABA, RUN, TENCENT } from './helpers.mjs';
import { ARTEFACTS, base, launch, reveal, runEnded, setValue } from './console_page.mjs';

const VENDOR_IDS = { teo: 'vendor-teo', cdn: 'vendor-cdn', esa: 'vendor-esa' };
let context;
const figures = {};


before(async () => {
  context = await launch('console');
});

after(async () => {
  writeFileSync(join(ARTEFACTS, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  await context?.close();
});

/**
 * A fresh page that records every console error, page error, failed request and Content Security
 * Policy violation (the `securitypolicyviolation` event, and any console line about the policy,
 * whatever its level), after checking that the page came with the console's CSP.
 */
async function openConsole({ allowStatus } = {}) {
  const page = await context.newPage();
  const problems = [];
  const allowed = { responses: 0, consoleLines: 0 };
  const allowedLine = (text) => allowStatus && text.includes(`status of ${allowStatus}`);
  await page.exposeFunction('__edgewarmCspViolation', (v) => problems.push(`CSP violation: ${v}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__edgewarmCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) {
      problems.push(`console (CSP): ${m.text()}`);
      return;
    }
    if (m.type() !== 'error') return;
    if (allowedLine(m.text())) allowed.consoleLines++;
    else problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() < 400) return;
    if (r.status() === allowStatus && new URL(r.url()).pathname.startsWith('/api/')) allowed.responses++;
    else problems.push(`HTTP ${r.status()} ${r.url()}`);
  });
  page.allowed = allowed;
  const t0 = Date.now();
  const response = await page.goto(`${base()}/`);
  const csp = response.headers()['content-security-policy'] ?? '';
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/, `the console is served with its CSP: ${csp}`);
  await page.locator('#urls').waitFor();
  figures.timeToInteractiveMs = Math.min(figures.timeToInteractiveMs ?? Infinity, Date.now() - t0);
  return { page, problems, response };
}


/**
 * Typed for short lists; long ones are picked as a .txt file, as a user would (Chromium's own
 * text insertion into a textarea grows quadratically: 3 000 lines take ~13 s in a bare page).
 */
async function setUrls(page, urls) {
  await setValue(page, '#urls', urls.length > 500 ? '' : urls.join('\n'));
  if (urls.length > 500) {
    await page.locator('#files').setInputFiles({ name: 'urls.txt', mimeType: 'text/plain', buffer: Buffer.from(urls.join('\n')) });
  }
  await page.waitForFunction((n) => document.querySelector('#url-counts')?.textContent.startsWith(`${n} URL${n === 1 ? '' : 's'} ready`), urls.length);
}


/** Plans (returning the plan's text) and runs the job to its end. */
async function runJob(page, vendor, urls, { rate } = {}) {
  await page.locator(`#${VENDOR_IDS[vendor]}`).check();
  if (rate) await setValue(page, '#rate', String(rate));
  await setUrls(page, urls);
  await page.click('#plan');
  await page.locator('#plan-summary').waitFor();
  const plan = await page.locator('#plan-summary').innerText();
  await page.click('#start');
  await runEnded(page);
  return plan;
}

const fate = async (page, name) => Number(await page.locator(`#fates [data-fate=${name}]`).innerText());

test('one full flow per vendor: paste, plan, run, every URL tracked to success', async () => {
  const { page, problems } = await openConsole();
  for (const vendor of ['teo', 'cdn', 'esa']) {
    const urls = Array.from({ length: 40 }, (_, i) => `https://${i % 2 ? 'static' : 'www'}.example.com/${RUN}/console-${vendor}/${i}.js`);
    const plan = await runJob(page, vendor, urls);
    assert.equal(await fate(page, 'succeeded'), 40, vendor);
    assert.equal(await fate(page, 'failed'), 0, vendor);
    assert.equal(await page.locator('#run-status').innerText(), 'Completed', vendor);
    assert.match(plan, /40 ready, 0 refused/);
    await page.screenshot({ path: join(ARTEFACTS, `flow-${vendor}.png`), fullPage: true });
  }
  await page.close();
  assert.deepEqual(problems, []);
});

test('the console runs under its Content-Security-Policy, and a violation would be caught', async () => {
  const { page, problems, response } = await openConsole();
  const headers = response.headers();
  const csp = headers['content-security-policy'];
  for (const directive of ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) {
    assert.ok(csp.split(/;\s*/).some((d) => d.startsWith(directive)), `${directive} in ${csp}`);
  }
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/, 'no inline code, eval or wildcard');
  assert.equal(headers['x-content-type-options'], 'nosniff');
  assert.equal(headers['referrer-policy'], 'no-referrer');
  // the wasm started, its stylesheet applied, and nothing was refused on the way
  assert.ok(await page.evaluate(() => [...document.styleSheets].some((sh) => sh.cssRules.length > 0)), 'style.css applied');
  assert.deepEqual(problems, []);
  // the control: an injected inline script is refused, and both listeners report it
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true;';
    document.body.append(s);
  });
  for (let i = 0; i < 200 && problems.filter((p) => p.startsWith('CSP violation') || p.startsWith('console (CSP)')).length < 2; i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(await page.evaluate(() => window.__inlineRan), undefined, 'the inline script did not run');
  assert.ok(problems.some((p) => p.startsWith('CSP violation: script-src')), problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('console (CSP)')), problems.join('\n'));
  await page.close();
});

async function esaTaskCounts(prefix) {
  const counts = new Map();
  const now = Date.now();
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
  for (let page = 1; page < 1000; page++) {
    await new Promise((r) => setTimeout(r, 60)); // stay under the sandbox's 20 calls/s
    const out = await ew.call(
      { action: 'DescribePreloadTasks', params: { SiteId: 100000001, StartTime: iso(now - 3600_000), EndTime: iso(now + 600_000), PageNumber: page, PageSize: 50 }, credentials: ALIBABA },
      { transport: { kind: 'proxy', base: base() } },
    );
    for (const t of out.Tasks ?? []) if (t.Content.includes(prefix)) counts.set(t.Content, (counts.get(t.Content) ?? 0) + 1);
    if ((out.Tasks ?? []).length < 50) break;
  }
  return counts;
}

test('a reload mid-job resumes from the saved journal without resubmitting', async () => {
  const { page, problems } = await openConsole();
  const prefix = `${RUN}/reload/`;
  const urls = Array.from({ length: 500 }, (_, i) => `https://www.example.com/${prefix}${i}.js`);
  await page.locator('#vendor-esa').check();
  await setValue(page, '#rate', '1');
  await setUrls(page, urls);
  await page.click('#start');
  // wait until some calls went out, but not all (5 calls at 1 per second)
  await page.waitForFunction(() => Number(document.querySelector('#fates [data-fate=pending]')?.textContent ?? 500) <= 300, null, { timeout: 30_000 });
  const beforeReload = problems.length;
  await page.reload();
  await page.locator('#resume-saved').waitFor();
  // the reload aborts whatever call was in flight, as a user's reload does: that is what the
  // journal is for; any other failure still counts
  const during = problems.splice(beforeReload);
  problems.push(...during.filter((p) => !/^request failed: .* net::ERR_ABORTED$/.test(p)));
  await page.click('#resume-saved');
  await runEnded(page);
  assert.equal(await fate(page, 'succeeded'), 500);
  const counts = await esaTaskCounts(prefix);
  assert.equal(counts.size, 500, 'every URL reached the sandbox');
  assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'no URL was submitted twice');
  await page.close();
  assert.deepEqual(problems, []);
});

test('ESA scheduled prefetch: create a job, plan an execution, start, stop, delete', async () => {
  const { page, problems } = await openConsole();
  await page.locator('#vendor-esa').check();
  await page.getByRole('link', { name: 'ESA scheduled' }).click();
  const name = `nightly-${RUN}`.slice(0, 40);
  await setValue(page, '#s-name', name);
  await setValue(page, '#s-urls', [`https://www.example.com/${RUN}/s/1.js`, `https://www.example.com/${RUN}/s/2.js`].join('\n'));
  await page.click('#s-create-btn');
  const row = page.locator('#s-jobs tbody tr', { hasText: name });
  await row.waitFor();
  await row.getByRole('button', { name: 'Open' }).click();
  await page.locator('#s-job-h').waitFor();
  const local = (ms) => { const d = new Date(ms - new Date().getTimezoneOffset() * 60_000); return d.toISOString().slice(0, 16); };
  await setValue(page, '#s-start', local(Date.now() - 60_000));
  await setValue(page, '#s-end', local(Date.now() + 3_600_000));
  await page.click('#s-plan-btn');
  const exec = page.locator('#s-executions tbody tr').first();
  await exec.waitFor();
  await exec.getByRole('button', { name: 'Start' }).click();
  await page.waitForFunction(() => /running|finished/i.test(document.querySelector('#s-executions tbody tr .status')?.textContent ?? ''), null, { timeout: 10_000 });
  await exec.getByRole('button', { name: 'Stop' }).click();
  await page.waitForFunction(() => /stop/i.test(document.querySelector('#s-executions tbody tr .status')?.textContent ?? ''), null, { timeout: 10_000 });
  await page.screenshot({ path: join(ARTEFACTS, 'scheduled.png'), fullPage: true });
  await exec.getByRole('button', { name: 'Delete' }).click();
  await page.waitForFunction(() => document.querySelectorAll('#s-executions tbody tr').length === 0, null, { timeout: 10_000 });
  await row.getByRole('button', { name: 'Delete' }).click();
  await page.waitForFunction((n) => ![...document.querySelectorAll('#s-jobs tbody tr')].some((r) => r.textContent.includes(n)), name, { timeout: 10_000 });
  await page.close();
  assert.deepEqual(problems, []);
});

test('the dry run shows each signed call, and its curl command works against the sandbox', async () => {
  const { page, problems } = await openConsole();
  await page.locator('#vendor-cdn').check();
  await setValue(page, '#urls', [0, 1, 2].map((i) => `https://www.example.com/${RUN}/dry/${i}.js`).join('\n'));
  await page.click('#dry-run');
  await page.locator('#copy-curl-0').waitFor();
  const curl = await page.locator('textarea.curl').first().inputValue();
  assert.ok(curl.startsWith('curl '), curl);
  assert.ok(!curl.includes(TENCENT.secret));
  await page.locator('#dry-calls details summary', { hasText: 'Canonical request' }).first().click();
  assert.match(await page.locator('#dry-calls pre').first().innerText(), /^POST\n\/\n/);
  const answer = JSON.parse(execSync(curl, { encoding: 'utf8', shell: '/bin/sh' }));
  assert.ok(answer.Response.TaskId, JSON.stringify(answer));
  await page.close();
  assert.deepEqual(problems, []);
});

test('history and quotas, with keys typed in that never reach the URL or the page', async () => {
  const { page, problems } = await openConsole();
  await page.locator('#vendor-cdn').check();
  await reveal(page, '#tc-mode');
  await page.selectOption('#tc-mode', 'keys');
  await setValue(page, '#tc-id', TENCENT.id);
  await setValue(page, '#tc-secret', TENCENT.secret);
  await runJob(page, 'cdn', [`https://www.example.com/${RUN}/keys/1.js`]);
  assert.equal(await fate(page, 'succeeded'), 1);
  await page.getByRole('link', { name: 'History & quotas' }).click();
  await page.click('#h-search');
  await page.locator('#h-table tbody tr').first().waitFor();
  assert.ok((await page.locator('#h-table tbody tr').count()) > 0);
  await page.click('#q-load');
  assert.match(await page.locator('#quotas').innerText(), /left today/);
  const html = await page.content();
  assert.ok(!html.includes(TENCENT.secret), 'the secret is not in the page');
  assert.ok(!page.url().includes(TENCENT.secret));
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!stored.includes(TENCENT.secret), 'the secret is not stored unless the user opts in');
  await page.screenshot({ path: join(ARTEFACTS, 'history.png'), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

/** Controls with no accessible name (label, aria-label, aria-labelledby or text). */
const unlabelled = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button, progress')]
      .filter((el) => !(el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.textContent.trim()))
      .map((el) => el.outerHTML.slice(0, 120)),
  );

test('keyboard only, labelled for screen readers, on a narrow screen, light and dark', async () => {
  const { page, problems } = await openConsole();
  for (const name of ['Warm', 'History & quotas', 'ESA scheduled']) {
    await page.getByRole('link', { name, exact: true }).click();
    assert.deepEqual(await unlabelled(page), [], `${name}: every control has a name`);
  }
  await page.getByRole('link', { name: 'Warm', exact: true }).click();
  // a whole job with the keyboard: Tab to the URL box, type, Tab on (the list is taken), Tab to Start, Enter
  await page.locator('#vendor-cdn').check();
  const tabTo = async (id) => {
    for (let i = 0; i < 60; i++) {
      if (await page.evaluate((id) => document.activeElement?.id === id, id)) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached #${id}`);
  };
  await tabTo('urls');
  await page.keyboard.type([0, 1, 2].map((i) => `https://www.example.com/${RUN}/keyboard/${i}.css`).join('\n'));
  await page.keyboard.press('Tab');
  await page.waitForFunction(() => document.querySelector('#url-counts')?.textContent.startsWith('3 URLs ready'));
  await tabTo('start');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused control shows a focus ring');
  await page.keyboard.press('Enter');
  await runEnded(page, 60_000);
  assert.equal(await fate(page, 'succeeded'), 3);
  // narrow screen: nothing wider than the viewport
  await page.setViewportSize({ width: 360, height: 800 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scrolling at 360 px');
  await page.screenshot({ path: join(ARTEFACTS, 'narrow.png'), fullPage: true });
  // dark: the page follows the system preference
  const luminance = () => page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  });
  await page.emulateMedia({ colorScheme: 'light' });
  assert.ok((await luminance()) > 0.8, 'light background in light mode');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.ok((await luminance()) < 0.2, 'dark background in dark mode');
  await page.screenshot({ path: join(ARTEFACTS, 'dark.png'), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

// last: its 6 000 ESA tasks would otherwise sit in the tracking window of the reload test's job
// (ESA lists a site's tasks 50 a page; at that job's 1 call/s, paging past them takes minutes)
test('failure flow: throttling adapted to and a failing origin explained', async () => {
  // throttled ESA calls are HTTP 400 Throttling.User (Alibaba Cloud common error codes): those, and only those, are expected
  const { page, problems } = await openConsole({ allowStatus: 400 });
  // ESA takes 100 URLs a call: 6 000 URLs at 60 calls/s overrun the sandbox's 20/s (burst 20)
  const urls = Array.from({ length: 6000 }, (_, i) => `https://www.example.com/${RUN}/throttle/${i}.js`);
  urls.push(`https://www.example.com/${RUN}/fail/broken.js`);
  await runJob(page, 'esa', urls, { rate: 60 });
  assert.equal(await fate(page, 'succeeded'), 6000);
  assert.equal(await fate(page, 'failed'), 1);
  // the run's summary follows its last progress
  await page.locator('#notices', { hasText: 'URL(s) failed' }).waitFor({ timeout: 10_000 });
  await page.click('#messages > summary');
  const notices = await page.locator('#notices').innerText();
  assert.match(notices, /1 URL\(s\) failed: origin pull failed/);
  assert.match(notices, /Retry failed/);
  const throttled = Number(/throttled (\d+) call/.exec(notices)?.[1]);
  assert.ok(throttled > 0, `throttling reported: ${notices}`);
  assert.equal(throttled, page.allowed.responses, 'every 400 the page saw is counted in the summary');
  figures.failureFlow = { urls: 6001, throttledCalls: throttled };
  await page.locator('#retry-failed').waitFor();
  await page.screenshot({ path: join(ARTEFACTS, 'failure.png'), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});
