// The console at scale, in headless Chromium against the sandbox (`cargo xtask console-test`):
// a 20 000-URL Tencent CDN job picked as a file completes; a reload mid-job resumes it from
// IndexedDB with no URL sent twice; the list and the results stay virtualised (the rows in the
// page are bounded, whatever the job's size); and a storage refusal — IndexedDB missing, or its
// quota used up mid-job — stops the run with "Stopped: storage" and sends nothing more. Input
// latency, the tab's JS heap, the wasm's memory and the journal's size are printed as figures,
// never asserted (2-core CI). bench/console_scale.sh runs the same at 200 000 URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN } from './helpers.mjs';
import { ARTEFACTS, base, launch } from './console_page.mjs';
import { describe, openScalePage, pickUrls, scaleRun, sleep, submissions } from './console_million.mjs';

const N = 20_000;
let context;

before(async () => {
  context = await launch('console-million');
});

after(async () => {
  await context?.close();
});

test(`a ${N}-URL job from a picked file completes through a reload mid-job, resumed from IndexedDB, no URL sent twice`, { timeout: 1_200_000 }, async () => {
  // 500 URLs a call at 4 calls/s: 40 calls over 10 s or more, so the reload lands mid-job
  const { page, problems, figures } = await scaleRun(context, base(), { n: N, prefix: `${RUN}/million/`, rate: 4, reloadAfter: 2_000 });
  console.log(`    console million: ${describe(figures)}`);
  writeFileSync(join(ARTEFACTS, 'million.json'), `${JSON.stringify(figures, null, 2)}\n`);
  assert.equal(figures.state, 'completed', figures.status);
  assert.equal(figures.succeeded, N);
  assert.equal(figures.resumes, 1);
  assert.match(figures.bannerCounts, new RegExp(`^${N} URLs: .*not sent yet`), 'the reload came mid-job');
  assert.ok(figures.sentBeforeReload >= 2_000 && figures.sentBeforeReload < N, `${figures.sentBeforeReload} sent before the reload`);
  assert.ok(figures.idbBytes > 0, 'the journal was in IndexedDB mid-job');
  assert.equal(figures.idbAfter, 0, 'a finished job leaves no journal');
  assert.equal(figures.submitted, N, 'every URL reached the sandbox');
  assert.equal(figures.twice, 0, 'no URL was submitted twice');
  assert.ok(figures.rowsInDom > 0 && figures.rowsInDom <= 80, `${figures.rowsInDom} list rows in the page for ${N} URLs`);
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('edgewarm.journal')).length), 0, 'nothing in localStorage');
  await page.close();
  assert.deepEqual(problems, []);
});

test('the loaded list is not in the text box, virtualised, and filtered by fate once the run has its job', { timeout: 600_000 }, async () => {
  const { page, problems } = await openScalePage(context, base(), {});
  const urls = Array.from({ length: 5_000 }, (_, i) => `https://www.example.com/${RUN}/list/${i % 10 === 0 ? 'fail/' : ''}${i}.js`);
  await pickUrls(page, urls);
  assert.equal(await page.locator('#urls').inputValue(), '', 'the text box holds no copy of the file');
  assert.match(await page.locator('#url-list-count').innerText(), /^5000 lines loaded from urls\.txt/);
  const rows = await page.locator('#url-list .lrow').count();
  assert.ok(rows > 0 && rows <= 40, `${rows} rows in the page for 5000 lines`);
  await page.locator('#url-list .lscroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.locator('#url-list .lrow', { hasText: '/list/4999.js' }).waitFor();
  await page.click('#start');
  await page.waitForFunction(() => ['completed', 'failures', 'stopped'].includes(document.querySelector('#run-card')?.dataset.state), null, { timeout: 300_000 });
  await page.click('#url-list-failed');
  await page.waitForFunction(() => document.querySelector('#url-list-count')?.textContent.startsWith('500 of the job'));
  const fates = await page.locator('#url-list .lrow').evaluateAll((els) => [...new Set(els.map((e) => e.dataset.fate))]);
  assert.deepEqual(fates, ['failed'], 'only failed URLs under "Failed"');
  await page.click('#url-list-all');
  assert.match(await page.locator('#url-list-count').innerText(), /^5000 lines/);
  await page.close();
  assert.deepEqual(problems, []);
});

/**
 * Runs a 3 000-URL CDN job at 2 calls/s on a page whose IndexedDB `init` breaks (`midway`: once
 * the first 500 URLs were sent); its end state.
 */
async function refusedRun(prefix, init, midway = false) {
  // a profile of its own: the stopped job stays saved there, and its forms with it
  const own = await launch('console-million-refused');
  const { page, problems } = await openScalePage(own, base(), { rate: 2, init });
  const urls = Array.from({ length: 3_000 }, (_, i) => `https://www.example.com/${prefix}${i}.js`);
  await pickUrls(page, urls);
  await page.click('#start');
  if (midway) {
    await page.waitForFunction(() => Number(document.querySelector('#fates [data-fate=pending]')?.textContent ?? Infinity) <= 2_500, null, { timeout: 120_000 });
    await page.evaluate(() => { window.__idbFull = true; });
  }
  await page.waitForFunction(() => document.querySelector('#run-card')?.dataset.state === 'stopped', null, { timeout: 120_000 });
  const status = await page.locator('#run-status').innerText();
  const notice = await page.locator('#notices .notice').evaluateAll((els) => els.map((e) => e.textContent));
  const sent = (await submissions(base(), prefix)).size;
  // nothing more goes out after the stop
  await sleep(1_500);
  const later = (await submissions(base(), prefix)).size;
  await own.close();
  return { status, notice: notice.join('\n'), sent, later, problems };
}

test('a storage refusal stops the run with "Stopped: storage" and sends nothing more', { timeout: 600_000 }, async () => {
  // no IndexedDB at all: the first write is refused, nothing is sent
  const none = await refusedRun(`${RUN}/no-idb/`, () => {
    IDBFactory.prototype.open = function () { throw new DOMException('IndexedDB is disabled here', 'InvalidStateError'); };
  });
  assert.equal(none.status, 'Stopped: storage');
  assert.match(none.notice, /Stopped: storage — this browser gives no IndexedDB \(InvalidStateError: IndexedDB is disabled here\)/);
  assert.equal(none.sent, 0, 'nothing sent unprotected');
  assert.equal(none.later, 0);
  // the quota used up once the first call was sent: the run stops mid-job
  const full = await refusedRun(`${RUN}/idb-full/`, () => {
    for (const m of ['put', 'add']) {
      const orig = IDBObjectStore.prototype[m];
      IDBObjectStore.prototype[m] = function (...args) {
        if (window.__idbFull) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return orig.apply(this, args);
      };
    }
  }, true);
  assert.equal(full.status, 'Stopped: storage');
  assert.match(full.notice, /Stopped: storage — the browser's storage for this page is full \(QuotaExceededError: The quota has been exceeded\.\)/);
  assert.ok(full.sent >= 500 && full.sent < 3_000, `${full.sent} of 3000 sent before the refusal`);
  assert.equal(full.later, full.sent, 'nothing sent after the refusal');
  for (const r of [none, full]) {
    // the page's own report of the refusal is the notice; nothing else went wrong
    assert.deepEqual(r.problems.filter((p) => !/QuotaExceeded|IndexedDB/.test(p)), []);
  }
});
