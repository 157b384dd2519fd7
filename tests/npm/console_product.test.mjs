// The console as a newcomer meets it, in headless Chromium against `edgewarm-proxy --sandbox`
// serving web/dist (`cargo xtask console-test` sets EDGEWARM_CONSOLE): from a fresh page at
// 1280×900 the URL box and the primary button are in view; the sample URLs warm on the sandbox
// and the run card and the results per URL say which failed and why, without scrolling; filter,
// search, copy the failed URLs and retry a selection; a problem shown at its field with the
// focus on it; a wrong key shown as "Stopped: authentication"; the results at 360 px without
// horizontal scrolling; only the rows in view in the page for a 3 000-URL job; text and border
// contrast (WCAG AA) in light and dark. Screenshots of the main screens, light and dark, go to
// artefacts/console/. Fails on any console error, failed request or CSP violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RUN, TENCENT } from './helpers.mjs';
import { ARTEFACTS, base, launch, openPage } from './console_page.mjs';

const VIEW = { width: 1280, height: 900 };
let context;


before(async () => {
  context = await launch('console-product', { viewport: VIEW });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base() });
});

after(async () => {
  await context?.close();
});

/** A fresh page in the light scheme, problems recorded. */
const openConsole = () => openPage(context, { colorScheme: 'light' });

const inView = async (page, selector) => {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, `${selector} is rendered`);
  const { height, width } = page.viewportSize();
  assert.ok(box.y >= 0 && box.y + box.height <= height && box.x >= 0 && box.x + box.width <= width, `${selector} in the ${width}×${height} viewport without scrolling: ${JSON.stringify(box)}`);
  return box;
};

const ended = (page) => page.waitForFunction(() => ['completed', 'failures', 'stopped'].includes(document.querySelector('#run-card')?.dataset.state), null, { timeout: 90_000 });

/** The rows of the results table in the page: `{ url, fate, result, why }`. */
const rows = (page) => page.$$eval('#results-table .rscroll .rrow', (rs) => rs.map((r) => ({
  url: r.querySelector('.u')?.title,
  fate: r.dataset.fate,
  result: r.querySelector('.fate')?.textContent,
  why: r.querySelector('.why')?.textContent,
})));

test('a newcomer warms the sample URLs from the first screen and sees which failed and why', async () => {
  const { page, problems } = await openConsole();
  // the task first: the URL box and the primary action are on the first screen
  await inView(page, '#urls');
  await inView(page, '#start');
  assert.equal(await page.locator('#setup-summary').innerText(), 'Sandbox · EdgeOne · zone-sandbox');
  await page.screenshot({ path: join(ARTEFACTS, 'first-screen-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(ARTEFACTS, 'first-screen-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  // the count follows typing, before the box loses the focus
  await page.locator('#urls').click();
  await page.keyboard.type(`https://www.example.com/${RUN}/typed.js`);
  await page.waitForFunction(() => document.querySelector('#start')?.textContent === 'Warm 1 URL');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'urls', 'still typing');
  // the sandbox's sample URLs, one failing origin and one missing file among them
  await page.click('#sample');
  await page.waitForFunction(() => document.querySelector('#start')?.textContent === 'Warm 6 URLs');
  assert.match(await page.locator('#url-counts').innerText(), /^6 URLs ready, 0 refused/);
  const sample = (await page.locator('#urls').inputValue()).split('\n');
  assert.ok(sample.some((u) => u.includes('/fail/')) && sample.some((u) => u.includes('/missing/')), sample.join(' '));
  await page.click('#plan');
  await page.locator('#plan-summary').waitFor();
  assert.match(await page.locator('#plan-summary').innerText(), /6 ready, 0 refused/, 'the plan counts as the URL panel does');
  // every progress the card shows, recorded as it changes: sent never behind finished
  await page.evaluate(() => {
    window.__stages = [];
    new MutationObserver(() => {
      const t = document.querySelector('#stage-text')?.textContent ?? '';
      const m = /Sent (\d+) \/ (\d+).*Finished (\d+) \/ (\d+)/.exec(t);
      if (m) window.__stages.push(m.slice(1).map(Number));
    }).observe(document.querySelector('main'), { subtree: true, childList: true, characterData: true });
  });
  await page.click('#start');
  await ended(page);
  assert.equal(await page.locator('#run-status').innerText(), 'Completed with failures');
  assert.match(await page.locator('#run-next').innerText(), /2 URLs failed/);
  const stages = await page.evaluate(() => window.__stages);
  assert.ok(stages.length > 0, 'progress was shown while running');
  for (const [sent, planned, finished, planned2] of stages) {
    assert.ok(sent >= finished && planned === 6 && planned2 === 6, `sent ${sent} >= finished ${finished} of 6`);
  }
  assert.deepEqual(stages.at(-1), [6, 6, 6, 6]);
  assert.match(await page.locator('#run-rate').innerText(), /URLs\/s sent|measuring/);
  assert.match(await page.locator('#stage-text').innerText(), /Sent 6 \/ 6[\s\S]*Finished 6 \/ 6/);
  assert.match(await page.locator('#run-elapsed').innerText(), /\d+ s/);
  assert.ok((await page.locator('#tasks li').count()) >= 1, 'the vendor task ids are listed');
  assert.equal(await page.locator('.chart svg path').count(), 3, 'sent, succeeded, failed');
  // which succeeded and which failed, and why: in view without scrolling
  await page.locator('#results-table .rrow[data-fate=failed]').first().waitFor();
  const got = await rows(page);
  assert.equal(got.length, 6, JSON.stringify(got));
  for (const r of got) {
    if (r.url.includes('/fail/')) assert.deepEqual([r.fate, r.result], ['failed', 'Failed'], JSON.stringify(r));
    else if (r.url.includes('/missing/')) assert.deepEqual([r.fate, r.result], ['failed', 'Failed'], JSON.stringify(r));
    else assert.deepEqual([r.fate, r.result], ['succeeded', 'Succeeded'], JSON.stringify(r));
  }
  assert.match(got.find((r) => r.url.includes('/fail/')).why, /origin pull failed/);
  assert.match(got.find((r) => r.url.includes('/missing/')).why, /invalid/);
  await inView(page, '#run-status');
  for (const i of [0, 1, 2, 3, 4, 5]) await inView(page, `#results-table .rscroll .rrow >> nth=${i}`);
  await page.screenshot({ path: join(ARTEFACTS, 'results-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(ARTEFACTS, 'results-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  // filter by result, search, copy the failed URLs
  await page.click('#filter-failed');
  assert.deepEqual((await rows(page)).map((r) => r.fate), ['failed', 'failed']);
  await page.locator('#results-search').fill('missing');
  assert.deepEqual((await rows(page)).map((r) => r.url.includes('/missing/')), [true]);
  await page.locator('#results-search').fill('');
  await page.click('#filter-succeeded');
  assert.equal((await rows(page)).length, 4);
  await page.click('#filter-all');
  await page.click('#copy-failed');
  await page.waitForFunction(() => document.querySelector('#copied')?.textContent === 'Copied 2 failed URLs.');
  const clip = (await page.evaluate(() => navigator.clipboard.readText())).split('\n').sort();
  assert.deepEqual(clip, sample.filter((u) => u.includes('/fail/') || u.includes('/missing/')).sort());
  // retry a selection: its own run, its own counts, the previous run's next to them
  const failRow = page.locator('#results-table .rscroll .rrow', { hasText: '/fail/' });
  await failRow.locator('input[type=checkbox]').check();
  assert.equal(await page.locator('#retry-selected').innerText(), 'Retry selected (1)');
  await page.click('#retry-selected');
  await page.waitForFunction(() => document.querySelector('#run-h')?.textContent === 'Retry selected');
  await ended(page);
  assert.equal(await page.locator('#run-status').innerText(), 'Completed with failures');
  assert.match(await page.locator('#retry-of').innerText(), /Retrying 1 URL of the previous run \(4 succeeded, 2 failed there\)/);
  assert.deepEqual((await rows(page)).map((r) => r.fate), ['failed']);
  await page.close();
  assert.deepEqual(problems, []);
});

test('a problem is shown at its field, and the focus goes to it', async () => {
  const { page, problems } = await openConsole();
  await page.click('#start');
  await page.waitForFunction(() => document.querySelector('#urls')?.getAttribute('aria-invalid') === 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'urls');
  assert.equal(await page.locator('#urls').getAttribute('aria-describedby'), 'urls-help urls-error');
  assert.match(await page.locator('#urls-error').innerText(), /add at least one URL/);
  await inView(page, '#urls-error');
  await page.click('#sample');
  await page.waitForFunction(() => !document.querySelector('#urls-error'));
  // a target field inside the folded setup: unfolded, marked, focused
  await page.click('#setup > summary');
  await page.locator('#zone-id').fill('');
  await page.locator('#zone-id').dispatchEvent('change');
  await page.click('#setup > summary');
  assert.equal(await page.locator('#setup').getAttribute('open'), null, 'folded again');
  await page.click('#start');
  await page.waitForFunction(() => document.activeElement?.id === 'zone-id');
  assert.equal(await page.locator('#zone-id').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('#zone-id').getAttribute('aria-describedby'), 'zone-id-error');
  assert.match(await page.locator('#zone-id-error').innerText(), /ZoneId is required/);
  await inView(page, '#zone-id-error');
  await page.screenshot({ path: join(ARTEFACTS, 'field-error-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(ARTEFACTS, 'field-error-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await page.locator('#run-card').getAttribute('data-state'), 'idle', 'nothing started');
  // fixed: the message goes at once
  await page.locator('#zone-id').fill('zone-sandbox');
  await page.locator('#zone-id').dispatchEvent('change');
  await page.waitForFunction(() => !document.querySelector('#zone-id-error') && !document.querySelector('#zone-id').hasAttribute('aria-invalid'));
  // one count everywhere: the URL panel, the button and the plan agree on ready and refused
  await page.locator('#urls').fill(`${await page.locator('#urls').inputValue()}\nftp://www.example.com/not-http.js\nhttps://*.example.com/wildcard.js`);
  await page.waitForFunction(() => document.querySelector('#start')?.textContent === 'Warm 6 URLs');
  assert.match(await page.locator('#url-counts').innerText(), /^6 URLs ready, 2 refused/);
  await page.click('#plan');
  await page.locator('#plan-summary').waitFor();
  assert.match(await page.locator('#plan-summary').innerText(), /6 ready, 2 refused/);
  await page.close();
  assert.deepEqual(problems, []);
});

test('a wrong key stops the run as "Stopped: authentication", never as done', async () => {
  const { page, problems } = await openConsole();
  await page.click('#setup > summary');
  await page.selectOption('#tc-mode', 'keys');
  await page.locator('#tc-id').fill(TENCENT.id);
  await page.locator('#tc-id').dispatchEvent('change');
  await page.locator('#tc-secret').fill('not-the-sandbox-secret');
  await page.locator('#tc-secret').dispatchEvent('change');
  assert.equal(await page.locator('#setup-summary').innerText(), 'Your keys · EdgeOne · zone-sandbox');
  await page.click('#setup > summary');
  // with the user's keys there are no sample URLs: the sandbox's domains typed in
  assert.equal(await page.locator('#sample').count(), 0);
  await page.locator('#urls').fill([1, 2, 3].map((i) => `https://www.example.com/${RUN}/auth/${i}.js`).join('\n'));
  await page.click('#start');
  await ended(page);
  assert.equal(await page.locator('#run-status').innerText(), 'Stopped: authentication');
  assert.match(await page.locator('#run-next').innerText(), /AuthFailure[\s\S]*key id and secret/);
  assert.equal(await page.locator('#run-card').getAttribute('data-state'), 'stopped');
  await inView(page, '#run-next');
  await page.screenshot({ path: join(ARTEFACTS, 'stopped-auth-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(ARTEFACTS, 'stopped-auth-dark.png') });
  await page.close();
  assert.deepEqual(problems, []);
});

test('360 px: the results table fits the width, URLs cut in the middle', async () => {
  const { page, problems } = await openConsole();
  await page.click('#sample');
  const long = `https://static.example.com/${RUN}/a/very/long/path/that/would/never/fit/on/a/phone/screen/bundle.min.js`;
  await page.locator('#urls').fill(`${await page.locator('#urls').inputValue()}\n${long}`);
  await page.click('#start');
  await ended(page);
  await page.setViewportSize({ width: 360, height: 800 });
  await page.locator('#results').scrollIntoViewIfNeeded();
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    table: document.querySelector('#results-table').scrollWidth,
    tableBox: document.querySelector('#results-table').clientWidth,
  }));
  assert.ok(widths.page <= 360, `no horizontal scrolling of the page: ${JSON.stringify(widths)}`);
  assert.ok(widths.table <= widths.tableBox, `the table fits its box: ${JSON.stringify(widths)}`);
  const row = page.locator('#results-table .rscroll .rrow', { hasText: 'bundle.min.js' });
  assert.equal(await row.locator('.u').getAttribute('title'), long, 'the whole URL on hover');
  assert.ok(await row.locator('.u-tail').isVisible(), 'the end of the URL stays visible');
  await page.screenshot({ path: join(ARTEFACTS, 'results-narrow-light.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(ARTEFACTS, 'results-narrow-dark.png'), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});

test('a 3 000-URL job: only the rows in view are in the page, all reachable by scrolling', async () => {
  const { page, problems } = await openConsole();
  const urls = Array.from({ length: 3000 }, (_, i) => `https://www.example.com/${RUN}/many/${i}.js`);
  await page.locator('#files').setInputFiles({ name: 'urls.txt', mimeType: 'text/plain', buffer: Buffer.from(urls.join('\n')) });
  await page.waitForFunction(() => document.querySelector('#start')?.textContent === 'Warm 3000 URLs');
  await page.click('#start');
  await ended(page);
  assert.equal(await page.locator('#run-status').innerText(), 'Completed');
  assert.match(await page.locator('#results-count').innerText(), /3000 shown of 3000/);
  const inDom = await page.locator('#results-table .rscroll .rrow').count();
  assert.ok(inDom > 0 && inDom <= 40, `${inDom} rows in the page for 3000 URLs`);
  await page.locator('#results-table .rscroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.locator('#results-table .rscroll .rrow', { hasText: '/many/2999.js' }).waitFor();
  assert.ok((await page.locator('#results-table .rscroll .rrow').count()) <= 40);
  await page.locator('#results-search').fill('/many/1234.js');
  assert.deepEqual((await rows(page)).map((r) => r.url), [urls[1234]]);
  await page.close();
  assert.deepEqual(problems, []);
});

/** Text under 4.5:1 and control borders under 3:1 against what is behind them (WCAG AA). */
const lowContrast = (page) => page.evaluate(() => {
  const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const behind = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const bad = [];
  for (const el of document.querySelectorAll('main *, header *')) {
    if (!visible(el) || el.closest('svg') || el.disabled || el.closest('button:disabled')) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const s = getComputedStyle(el);
    if (own) {
      const r = ratio(rgb(s.color).slice(0, 3), behind(el));
      if (r < 4.5) bad.push(`text ${el.tagName}#${el.id}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${r.toFixed(2)}:1`);
    }
    if (el.matches('input:not([type=checkbox]):not([type=radio]), select, textarea, button.secondary')) {
      const r = ratio(rgb(s.borderTopColor).slice(0, 3), behind(el.parentElement));
      if (r < 3) bad.push(`border ${el.tagName}#${el.id} ${r.toFixed(2)}:1`);
    }
  }
  return bad;
});

test('text and field borders meet WCAG AA contrast, light and dark', async () => {
  const { page, problems } = await openConsole();
  await page.click('#sample');
  await page.click('#setup > summary');
  await page.click('#start');
  await ended(page);
  const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
  assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'every id once (labels and aria-describedby point at one element)');
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await lowContrast(page), [], scheme);
  }
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(ARTEFACTS, 'setup-open-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: join(ARTEFACTS, 'setup-open-light.png'), fullPage: true });
  await page.close();
  assert.deepEqual(problems, []);
});
