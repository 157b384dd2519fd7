// The console's "what to do" choice, in headless Chromium against `edgewarm-proxy --sandbox`
// serving web/dist (`cargo xtask console-test` sets EDGEWARM_CONSOLE): a refresh on EdgeOne and
// on ESA goes through both phases on the run card ("Purging — step 1 of 2", then "Warming —
// step 2 of 2") and the sandbox confirms every URL purged once, then warmed once after its purge
// was done; a URL whose purge fails shows as failed in the purge phase and is never warmed; the
// plan of a refresh shows both quotas; a purge-only job on Tencent CDN prefetches nothing and
// History lists its purge tasks; an ESA purge by cache tag takes tags, not URLs; a plan with a
// foreign host warns before sending, and the run lets the good URLs through while the foreign
// host's URL fails naming the host; the export says each URL's phase. Fails on any console
// error, failed request or CSP violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RUN, refreshProblems, sandboxTasks } from './helpers.mjs';
import { base, launch, openPage, runEnded as ended } from './console_page.mjs';

let context;


before(async () => {
  // the sandbox's own record is read through the same proxy that serves the console
  process.env.EDGEWARM_PROXY = base();
  context = await launch('console-refresh');
});

after(async () => {
  await context?.close();
});

const openConsole = () => openPage(context);

async function setUrls(page, urls) {
  await page.locator('#urls').fill(urls.join('\n'));
  await page.locator('#urls').dispatchEvent('change');
  await page.waitForFunction((n) => document.querySelector('#url-counts')?.textContent.startsWith(`${n} URL${n === 1 ? '' : 's'} ready`), urls.length);
}

const state = (page) => page.locator('#run-card').getAttribute('data-state');

/** The rows of the results table in the page: `{ url, fate, why }`. */
const rows = (page) => page.$$eval('#results-table .rscroll .rrow', (rs) => rs.map((r) => ({
  url: r.querySelector('.u')?.title,
  fate: r.dataset.fate,
  why: r.querySelector('.why')?.textContent ?? '',
})));

/** Records every phase the run card shows (`purge`, `prefetch`), each change once. */
const watchPhases = (page) => page.evaluate(() => {
  window.__phases = [];
  window.__quotas = [];
  const note = () => {
    const p = document.querySelector('#run-phase')?.dataset.phase;
    if (p && window.__phases.at(-1) !== p) window.__phases.push(p);
    for (const q of document.querySelectorAll('#run-quotas [data-phase]')) {
      if (!window.__quotas.includes(q.dataset.phase)) window.__quotas.push(q.dataset.phase);
    }
  };
  new MutationObserver(note).observe(document.querySelector('main'), { subtree: true, childList: true, characterData: true, attributes: true });
});

async function exportCsv(page) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  return readFileSync(await download.path(), 'utf8');
}

for (const vendor of ['teo', 'esa']) {
  test(`a refresh on ${vendor}: both phases on the run card, each URL purged once then warmed once after its purge, a failed purge never warmed`, async () => {
    const { page, problems } = await openConsole();
    await page.locator(`#vendor-${vendor}`).check();
    const prefix = `https://www.example.com/${RUN}/console-refresh-${vendor}/`;
    const good = [0, 1, 2].map((i) => `${prefix}${i}.js`);
    const bad = `${prefix}purge-fail/3.js`; // the sandbox fails this purge
    await setUrls(page, [...good, bad]);
    assert.equal(await page.locator('#start').innerText(), 'Warm 4 URLs');
    await page.locator('#kind-refresh').check();
    await page.waitForFunction(() => document.querySelector('#start')?.textContent === 'Refresh 4 URLs');
    // the plan of a refresh: the purge quota, and the warm quota where the vendor has one
    await page.click('#plan');
    await page.locator('#plan-purge-quota').waitFor();
    assert.match(await page.locator('#plan-purge-quota').innerText(), /^\d+ now, \d+ after$/);
    if (vendor === 'teo') {
      await page.locator('#plan-warm-quota').waitFor();
      assert.match(await page.locator('#plan-summary').innerText(), /Purge quota today[\s\S]*Warm quota today/);
    } else {
      assert.equal(await page.locator('#plan-warm-quota').count(), 0, 'ESA has no prefetch quota API');
    }
    await watchPhases(page);
    await page.click('#start');
    assert.equal(await page.locator('#run-h').innerText(), 'Refresh');
    await ended(page);
    assert.equal(await state(page), 'failures');
    assert.deepEqual(await page.evaluate(() => window.__phases), ['purge', 'prefetch'], 'purging, then warming');
    // the quotas the job itself read: both phases' on EdgeOne (read before the first purge)
    const read = (await page.evaluate(() => window.__quotas)).sort();
    assert.deepEqual(read, vendor === 'teo' ? ['prefetch', 'purge'] : ['purge']);
    const split = page.locator('#phase-failures');
    assert.equal(await split.getAttribute('data-purge-failed'), '1');
    assert.equal(await split.getAttribute('data-prefetch-failed'), '0');
    assert.match(await split.innerText(), /1 purge failed \(not warmed\), 0 warms failed/);
    const got = await rows(page);
    const failed = got.find((r) => r.url === bad);
    assert.equal(failed?.fate, 'failed', JSON.stringify(got));
    assert.match(failed.why, /purge failed/);
    for (const u of good) assert.equal(got.find((r) => r.url === u)?.fate, 'succeeded', u);
    // the sandbox's own record: purged, then warmed after the purge was done; the bad one only purged
    const view = await sandboxTasks(`${RUN}/console-refresh-${vendor}/`);
    assert.deepEqual(refreshProblems(view, good), []);
    assert.deepEqual(view.tasks.filter((t) => t.target === bad).map((t) => t.purge), [true], 'a URL whose purge failed is never prefetched');
    // the export says which phase each URL is in
    const csv = await exportCsv(page);
    assert.match(csv, /^url,status,fate,code,detail,phase\n/);
    const line = (u) => csv.split('\n').find((l) => l.startsWith(`${u},`));
    assert.match(line(bad), /,Failed,failed,.*,purge$/);
    for (const u of good) assert.match(line(u), /,Succeeded,succeeded,.*,prefetch$/);
    await page.close();
    assert.deepEqual(problems, []);
  });
}

test('purge only on Tencent CDN prefetches nothing, and History lists the purge tasks', async () => {
  const { page, problems } = await openConsole();
  await page.locator('#vendor-cdn').check();
  const prefix = `https://static.example.com/${RUN}/console-purge/`;
  const urls = [`${prefix}a.js`, `${prefix}b.css`];
  await setUrls(page, urls);
  await page.locator('#kind-purge').check();
  await page.waitForFunction(() => document.querySelector('#start')?.textContent === 'Purge 2 URLs');
  assert.equal(await page.locator('#purge-type').inputValue(), 'url');
  await page.click('#plan');
  await page.locator('#plan-purge-quota').waitFor();
  assert.equal(await page.locator('#plan-warm-quota').count(), 0, 'a purge spends no warm quota');
  await page.click('#start');
  await ended(page);
  assert.equal(await state(page), 'completed');
  assert.match(await page.locator('#run-next').innerText(), /^Every entry is purged/);
  const view = await sandboxTasks(`${RUN}/console-purge/`);
  assert.deepEqual(view.tasks.map((t) => [t.target, t.purge]).sort(), urls.map((u) => [u, true]).sort(), 'purged, nothing prefetched');
  const csv = await exportCsv(page);
  for (const u of urls) assert.match(csv, new RegExp(`^${u.replace(/[./]/g, '\\$&')},Succeeded,succeeded,.*,purge$`, 'm'));
  // History: the purge list, in the one vocabulary
  await page.getByRole('link', { name: 'History & quotas' }).click();
  await page.locator('#h-purge').check();
  await page.locator('#h-keyword').fill(prefix);
  await page.locator('#h-keyword').dispatchEvent('change');
  await page.click('#h-search');
  await page.waitForFunction(() => document.querySelectorAll('#h-table tbody tr').length >= 2);
  const found = await page.$$eval('#h-table tbody tr', (trs) => trs.map((tr) => [tr.querySelector('.url')?.title, tr.querySelector('.status-word')?.textContent]));
  assert.deepEqual(found.map((f) => f[0]).sort(), [...urls].sort());
  for (const [, word] of found) assert.ok(['Succeeded', 'Running'].includes(word), word);
  // the prefetch list holds none of them
  await page.locator('#h-prefetch').check();
  await page.click('#h-search');
  await page.locator('#h-total').waitFor();
  await page.waitForFunction(() => /^0 tasks/.test(document.querySelector('#h-total')?.textContent ?? ''));
  await page.close();
  assert.deepEqual(problems, []);
});

test('purge only on ESA by cache tag: the tags are entries, not URLs, and nothing is prefetched', async () => {
  const { page, problems } = await openConsole();
  await page.locator('#vendor-esa').check();
  await page.locator('#kind-purge').check();
  await page.locator('#purge-type').selectOption('tag');
  await page.locator('#urls').fill(`# release ${RUN}\nrelease-${RUN}\n\nassets-${RUN}  # the CSS and JS\n`);
  await page.locator('#urls').dispatchEvent('change');
  await page.waitForFunction(() => document.querySelector('#start')?.textContent === 'Purge 2 cache tags');
  assert.equal(await page.locator('#urls-h').innerText(), 'Cache tags to purge');
  await page.click('#start');
  await ended(page);
  assert.equal(await state(page), 'completed');
  const view = await sandboxTasks(`-${RUN}`);
  assert.deepEqual(view.tasks.map((t) => [t.target, t.purge]).sort(), [[`assets-${RUN}`, true], [`release-${RUN}`, true]]);
  await page.close();
  assert.deepEqual(problems, []);
});

test('a foreign host is warned about in the plan, and a run with it lets the good URLs through', async () => {
  const { page, problems } = await openConsole();
  const good = [`https://www.example.com/${RUN}/console-foreign/a.js`, `https://static.example.com/${RUN}/console-foreign/b.js`];
  const foreign = `https://foreign.example.net/${RUN}/x.js`;
  await setUrls(page, [...good, foreign]);
  await page.click('#plan');
  await page.locator('#plan-warnings').waitFor();
  const warning = page.locator('#plan-warnings li[data-host="foreign.example.net"]');
  assert.equal(await warning.count(), 1, 'the plan warns about the foreign host before sending');
  assert.match(await warning.innerText(), /foreign\.example\.net/);
  assert.equal(await page.locator('#plan-hosts li[data-host="foreign.example.net"]').getAttribute('data-served'), 'not served');
  assert.equal(await page.locator('#plan-hosts li[data-host="www.example.com"]').getAttribute('data-served'), 'served');
  await page.click('#start');
  await ended(page);
  assert.equal(await state(page), 'failures');
  const got = await rows(page);
  for (const u of good) assert.equal(got.find((r) => r.url === u)?.fate, 'succeeded', `${u}: ${JSON.stringify(got)}`);
  const bad = got.find((r) => r.url === foreign);
  assert.equal(bad?.fate, 'failed');
  assert.match(bad.why, /foreign\.example\.net/, 'the reason names the host');
  assert.match(await page.locator('#host-warnings').innerText(), /foreign\.example\.net/, 'the card names the refused host');
  await page.close();
  assert.deepEqual(problems, []);
});
