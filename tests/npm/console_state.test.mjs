// State that stays true, in headless Chromium against `edgewarm-proxy --sandbox` serving web/dist
// (`cargo xtask console-test` sets EDGEWARM_CONSOLE): a reload mid-run restores the form and
// offers Resume at the top, and Resume sends nothing twice (the sandbox lists what it received);
// Cancel keeps a visible Resume; a finished job is not offered again; each vendor shows only its
// own job and Export acts on it; pages have addresses (reload stays, Back returns); History
// speaks one vocabulary and one time display for all three vendors, and fits 360 px. Fails on
// any console error, failed request or Content Security Policy violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ew from 'edgewarm';
import { RUN, TENCENT } from './helpers.mjs';
import { ARTEFACTS, base, launch, openPage, reveal, setValue } from './console_page.mjs';

// a zone that is neither UTC nor Beijing: a time read in the wrong zone shows
const ZONE = 'America/New_York';
const WORDS = ['Queued', 'Running', 'Succeeded', 'Failed', 'Cancelled', 'Timed out'];
let context;


before(async () => {
  context = await launch('state', { timezoneId: ZONE, acceptDownloads: true });
});

after(async () => {
  await context?.close();
});

/** A fresh page at `path`, problems recorded. */
const openConsole = (path = '/') => openPage(context, { path });

/** Reloads, dropping the aborted in-flight calls a reload causes (what the journal is for). */
async function reload(page, problems) {
  const before = problems.length;
  await page.reload();
  await page.locator('main h2').first().waitFor();
  const during = problems.splice(before);
  problems.push(...during.filter((p) => !/^request failed: .* net::ERR_ABORTED$/.test(p)));
}


async function setUrls(page, urls) {
  await setValue(page, '#urls', urls.join('\n'));
  await page.waitForFunction((n) => document.querySelector('#url-counts')?.textContent.startsWith(`${n} URL${n === 1 ? '' : 's'} ready`), urls.length);
}

const status = (page) => page.locator('#run-status').innerText();
const fate = async (page, name) => Number(await page.locator(`#fates [data-fate=${name}]`).innerText());
/** Waits until the run card says the run completed (with or without failures). */
const waitDone = (page) => page.waitForFunction(() => ['completed', 'failures'].includes(document.querySelector('#run-card')?.dataset.state), null, { timeout: 120_000 });

async function runJob(page, vendor, urls) {
  await page.locator(`#vendor-${vendor}`).check();
  await setValue(page, '#rate', '20');
  await setUrls(page, urls);
  await page.click('#start');
  await waitDone(page);
}

/** How many push tasks the sandbox holds per URL under `prefix` (the last hour). */
async function cdnTaskCounts(prefix) {
  const counts = new Map();
  const beijing = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const now = Date.now();
  for (let offset = 0; offset < 100_000; offset += 100) {
    await new Promise((r) => setTimeout(r, 60)); // stay under the sandbox's 20 calls/s
    const out = await ew.call(
      { action: 'DescribePushTasks', params: { StartTime: beijing(now - 3600_000), EndTime: beijing(now + 600_000), Keyword: `https://www.example.com/${prefix}`, Offset: offset, Limit: 100 }, credentials: TENCENT },
      { transport: { kind: 'proxy', base: base() } },
    );
    for (const t of out.PushLogs ?? []) counts.set(t.Url, (counts.get(t.Url) ?? 0) + 1);
    if ((out.PushLogs ?? []).length < 100) break;
  }
  return counts;
}

/**
 * Starts a 2 500-URL Tencent CDN job at 0.5 calls/s (500 URLs a call, five calls over 8 s) and
 * waits until the first call was accepted: four calls are still to go, whatever the machine's
 * speed, until the page sends them.
 */
async function startSlowJob(page, prefix) {
  const urls = Array.from({ length: 2500 }, (_, i) => `https://www.example.com/${prefix}${i}.js`);
  await page.locator('#vendor-cdn').check();
  await setValue(page, '#rate', '0.5');
  await setValue(page, '#urls', '');
  await reveal(page, '#files');
  await page.locator('#files').setInputFiles({ name: 'urls.txt', mimeType: 'text/plain', buffer: Buffer.from(urls.join('\n')) });
  await page.waitForFunction(() => document.querySelector('#url-counts')?.textContent.startsWith('2500 URLs ready'));
  await page.click('#start');
  await page.waitForFunction(() => Number(document.querySelector('#fates [data-fate=pending]')?.textContent ?? 2500) <= 2000, null, { timeout: 30_000 });
  return urls;
}

/** The banner is the first thing in the page's main area, in view without scrolling. */
async function assertBannerOnTop(page) {
  const banner = page.locator('#resume-banner');
  await banner.waitFor();
  assert.equal(await page.evaluate(() => document.querySelector('main').firstElementChild?.id), 'resume-banner');
  const box = await banner.boundingBox();
  assert.ok(box && box.y < 250, `banner at the top: y ${box?.y}`);
  assert.ok(await page.locator('#resume-banner #resume-saved').isVisible(), 'a visible Resume button');
  assert.ok(await page.locator('#resume-banner #discard-saved').isVisible(), 'a visible Discard button');
}

test('a reload mid-run restores the form, offers Resume at the top, resumes without resubmitting; a finished job is not offered again', async () => {
  const { page, problems } = await openConsole();
  const prefix = `${RUN}/state-reload/`;
  const urls = await startSlowJob(page, prefix);
  await reload(page, problems);
  await assertBannerOnTop(page);
  assert.match(await page.locator('#resume-banner').innerText(), /Tencent CDN job was interrupted/);
  assert.match(await page.locator('#resume-counts').innerText(), /^2500 URLs: .*not sent yet/);
  // the form as it was: vendor, options, the URL list
  assert.ok(await page.locator('#vendor-cdn').isChecked(), 'vendor restored');
  assert.equal(await page.locator('#rate').inputValue(), '0.5', 'options restored');
  assert.equal((await page.locator('#urls').inputValue()).trim().split('\n').length, 2500, 'URLs restored');
  assert.equal(await status(page), 'Stopped: interrupted');
  await page.screenshot({ path: join(ARTEFACTS, 'resume-banner.png') });
  await page.click('#resume-saved');
  await waitDone(page);
  assert.equal(await fate(page, 'succeeded'), 2500);
  assert.equal(await page.locator('#resume-banner').count(), 0, 'no banner once resumed');
  const counts = await cdnTaskCounts(prefix);
  assert.equal(counts.size, urls.length, 'every URL reached the sandbox');
  assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'no URL was submitted twice');
  // finished: its journal is closed, a reload offers nothing
  await reload(page, problems);
  await page.locator('#urls').waitFor();
  assert.equal(await page.locator('#resume-banner').count(), 0, 'a finished job is not offered');
  assert.equal(await status(page), 'Ready');
  assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('edgewarm.journal')).length), 0, 'no journal left');
  await page.close();
  assert.deepEqual(problems, []);
});

test('Cancel keeps the job, with a visible Resume that finishes it without resubmitting', async () => {
  const { page, problems } = await openConsole();
  const prefix = `${RUN}/state-cancel/`;
  const urls = await startSlowJob(page, prefix);
  await page.click('#cancel');
  await page.waitForFunction(() => document.querySelector('#run-status')?.textContent === 'Stopped: cancelled');
  assert.match(await page.locator('#run-next').innerText(), /Resume it from the banner at the top/);
  await assertBannerOnTop(page);
  assert.match(await page.locator('#resume-banner').innerText(), /Tencent CDN job was cancelled/);
  await page.locator('#resume-saved').click();
  await waitDone(page);
  assert.equal(await fate(page, 'succeeded'), 2500);
  const counts = await cdnTaskCounts(prefix);
  assert.equal(counts.size, urls.length);
  assert.deepEqual([...counts].filter(([, n]) => n > 1), [], 'no URL was submitted twice');
  // Discard after a cancel forgets the job
  await startSlowJob(page, `${RUN}/state-discard/`);
  await page.click('#cancel');
  await page.locator('#discard-saved').click();
  assert.equal(await page.locator('#resume-banner').count(), 0);
  await reload(page, problems);
  await page.locator('#urls').waitFor();
  assert.equal(await page.locator('#resume-banner').count(), 0, 'a discarded job is not offered');
  await page.close();
  assert.deepEqual(problems, []);
});

test("switching vendor shows none of another vendor's job, and switching back restores it (Export included)", async () => {
  const { page, problems } = await openConsole();
  const teoUrls = Array.from({ length: 5 }, (_, i) => `https://www.example.com/${RUN}/switch-teo/${i}.js`);
  const cdnUrls = Array.from({ length: 3 }, (_, i) => `https://www.example.com/${RUN}/switch-cdn/${i}.js`);
  await runJob(page, 'teo', teoUrls);
  assert.equal(await fate(page, 'succeeded'), 5);
  await page.locator('#vendor-cdn').check();
  assert.equal(await status(page), 'Ready', 'no EdgeOne status on CDN');
  assert.equal(await page.locator('#fates').count(), 0, 'no EdgeOne counts');
  assert.equal(await page.locator('.chart').count(), 0, 'no EdgeOne chart');
  assert.equal(await page.locator('#export-csv').count(), 0, 'no Export of the EdgeOne job');
  await runJob(page, 'cdn', cdnUrls);
  assert.equal(await fate(page, 'succeeded'), 3);
  await page.locator('#vendor-teo').check();
  assert.equal(await status(page), 'Completed');
  assert.equal(await fate(page, 'succeeded'), 5, 'EdgeOne counts back');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^url,status,fate,code,detail,phase\n/);
  for (const u of teoUrls) assert.match(csv, new RegExp(`^${u.replace(/[./]/g, '\\$&')},Succeeded,succeeded,`, 'm'));
  assert.ok(!cdnUrls.some((u) => csv.includes(u)), 'Export acts on the shown vendor');
  await page.locator('#vendor-cdn').check();
  assert.equal(await fate(page, 'succeeded'), 3, 'CDN counts back');
  await page.close();
  assert.deepEqual(problems, []);
});

test("Retry failed shows its own counts beside the original run's", async () => {
  const { page, problems } = await openConsole();
  const urls = [0, 1, 2].map((i) => `https://www.example.com/${RUN}/retry/${i}.js`);
  urls.push(`https://www.example.com/${RUN}/fail/retry.js`);
  await runJob(page, 'cdn', urls);
  assert.equal(await fate(page, 'failed'), 1);
  await page.click('#retry-failed');
  await waitDone(page);
  assert.match(await page.locator('#retry-original').innerText(), /^4 URLs: 3 succeeded, 1 failed/);
  assert.match(await page.locator('#retry-own').innerText(), /^1 URLs: 0 succeeded, 1 failed/);
  assert.equal(await fate(page, 'failed'), 1, "the run's own counts are the retry's");
  await page.close();
  assert.deepEqual(problems, []);
});

test('pages have addresses: reload stays on History, Back returns to Warm', async () => {
  const { page, problems } = await openConsole();
  await page.getByRole('link', { name: 'History & quotas' }).click();
  await page.locator('#history-h').waitFor();
  assert.ok(page.url().endsWith('#/history'), page.url());
  await reload(page, problems);
  await page.locator('#history-h').waitFor();
  assert.equal(await page.getByRole('link', { name: 'History & quotas' }).getAttribute('aria-current'), 'page');
  assert.equal(await page.locator('#urls').count(), 0, 'still on History after a reload');
  await page.getByRole('link', { name: 'ESA scheduled' }).click();
  await page.locator('#sched-h').waitFor();
  await page.goBack();
  await page.locator('#history-h').waitFor();
  await page.goBack();
  await page.locator('#urls').waitFor();
  assert.equal(await page.locator('#history-h').count(), 0, 'Back returned to Warm');
  await page.goto(`${base()}/#/scheduled`);
  await page.locator('#sched-h').waitFor();
  await page.close();
  assert.deepEqual(problems, []);
});

test('History speaks one vocabulary and one time display for all three vendors, and fits 360 px', async () => {
  const { page, problems } = await openConsole();
  const words = {};
  const long = (v) => `https://www.example.com/${RUN}/vocabulary/a/rather/long/path/to/one/file-${v}.js`;
  for (const vendor of ['teo', 'cdn', 'esa']) await runJob(page, vendor, [long(vendor)]);
  await page.getByRole('link', { name: 'History & quotas' }).click();
  for (const vendor of ['teo', 'cdn', 'esa']) {
    await page.locator(`#vendor-${vendor}`).check();
    await setValue(page, '#h-keyword', long(vendor));
    await page.click('#h-search');
    const row = page.locator('#h-table tbody tr', { hasText: 'Succeeded' }).first();
    await row.waitFor();
    words[vendor] = { status: await row.locator('.status-word').innerText(), vendor: await row.locator('.vendor-word').innerText() };
    for (const w of await page.locator('#h-table .status-word').allInnerTexts()) assert.ok(WORDS.includes(w), `${vendor}: ${w}`);
    // local time with its zone, UTC on hover, and the right instant whatever zone the vendor wrote
    const time = row.locator('time');
    assert.match(await time.innerText(), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC-0[45]:00$/, vendor);
    assert.match(await time.getAttribute('title'), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, vendor);
    const at = Date.parse(await time.getAttribute('datetime'));
    assert.ok(Math.abs(Date.now() - at) < 15 * 60_000, `${vendor}: created ${new Date(at).toISOString()} is now`);
    // the whole URL on hover
    assert.equal(await row.locator('td.url').getAttribute('title'), long(vendor));
  }
  assert.deepEqual(Object.values(words).map((w) => w.status), ['Succeeded', 'Succeeded', 'Succeeded']);
  assert.deepEqual(Object.values(words).map((w) => w.vendor.toLowerCase()), ['success', 'done', 'complete'], 'the vendor word kept as detail');
  // CDN's 19-digit ids: shortened, whole on hover, with a Copy button; the table becomes cards
  await page.locator('#vendor-cdn').check();
  await setValue(page, '#h-keyword', long('cdn'));
  await page.click('#h-search');
  await page.setViewportSize({ width: 360, height: 800 });
  const row = page.locator('#h-table tbody tr').first();
  await row.waitFor();
  const id = row.locator('code.id');
  assert.ok((await id.getAttribute('title')).length >= 19);
  assert.match(await id.innerText(), /…/);
  assert.ok(await row.getByRole('button', { name: /^Copy id / }).isVisible());
  assert.ok((await row.locator('td.url').innerText()).includes('…'), 'the URL is cut in the middle');
  assert.equal(await row.locator('td').first().evaluate((td) => getComputedStyle(td).display), 'flex', 'card rows at 360 px');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360), `no horizontal scrolling at 360 px: ${await page.evaluate(() => document.documentElement.scrollWidth)}`);
  await page.click('#q-load');
  await page.locator('#quotas').waitFor();
  assert.match(await page.locator('#quotas').innerText(), /URL prefetch/);
  const withQuotas = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(withQuotas <= 360, `quotas fit 360 px: ${withQuotas}`);
  await page.screenshot({ path: join(ARTEFACTS, 'history-360.png'), fullPage: true });
  // quotas are the shown vendor's: another vendor shows none
  await page.locator('#vendor-teo').check();
  assert.equal(await page.locator('#quotas').count(), 0, 'no CDN quotas on EdgeOne');
  await page.close();
  assert.deepEqual(problems, []);
});
