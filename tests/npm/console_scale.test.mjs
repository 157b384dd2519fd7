// The console scales with the URL list: with 100 and with 100 000 URLs loaded (picked as a .txt
// file, as a user would), the same number of progress ticks re-renders the same views the same
// number of times — the run panel and its chart once per tick, the URL list, the forms, the plan
// and the messages never. Render counts are the assertion (deterministic); the time per tick is
// printed as a figure, never asserted (2-core CI). Runs in headless Chromium against the sandbox
// proxy serving web/dist (`cargo xtask console-test` sets EDGEWARM_CONSOLE).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN } from './helpers.mjs';
import { ARTEFACTS, base, launch } from './console_page.mjs';
const TICKS = 200;
const SIZES = [100, 100_000];
/** Views that must not render on a progress tick. */
const STILL = ['Setup', 'Connections', 'Connection', 'TargetPanel', 'UrlsPanel', 'PlanPanel', 'Notices'];
let context;


before(async () => {
  context = await launch('console-scale');
});

after(async () => {
  await context?.close();
});

/** Replaces the URL list with `n` URLs from a picked .txt file and waits until they are checked. */
async function loadUrls(page, n) {
  await page.locator('#urls').fill('');
  await page.locator('#urls').dispatchEvent('change');
  const urls = Array.from({ length: n }, (_, i) => `https://www.example.com/${RUN}/scale/${i}.js`);
  const t0 = Date.now();
  await page.locator('#files').setInputFiles({ name: 'urls.txt', mimeType: 'text/plain', buffer: Buffer.from(urls.join('\n')) });
  await page.waitForFunction((k) => document.querySelector('#url-counts')?.textContent.startsWith(`${k} URLs ready`), n, { timeout: 300_000 });
  return Date.now() - t0;
}

/** `ticks` progress ticks of an `n`-URL run, each awaited until Yew has rendered it. */
function tick(page, n, ticks) {
  return page.evaluate(async ({ n, ticks }) => {
    const m = window.__edgewarmMeasure;
    const channel = new MessageChannel();
    // a task after Yew's render (no 4 ms timer clamp), then the layout it caused, forced
    const settle = () => new Promise((resolve) => {
      channel.port1.onmessage = () => {
        document.body.getBoundingClientRect();
        resolve();
      };
      channel.port2.postMessage(0);
    });
    await settle();
    const before = { ...m.renders };
    const t0 = performance.now();
    for (let i = 1; i <= ticks; i++) {
      m.tick(n, i);
      await settle();
    }
    const ms = performance.now() - t0;
    const renders = {};
    for (const [view, count] of Object.entries(m.renders)) renders[view] = count - (before[view] ?? 0);
    return { ms, renders };
  }, { n, ticks });
}

test('a progress tick re-renders the run panel alone, with 100 or 100 000 URLs loaded', { timeout: 600_000 }, async () => {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  // opt in to the console's render counters and tick hook (users never define this)
  await page.addInitScript(() => {
    window.__edgewarmMeasure = {};
  });
  await page.goto(`${base()}/`);
  await page.locator('#urls').waitFor();
  await page.waitForFunction(() => typeof window.__edgewarmMeasure?.tick === 'function');
  const figures = {};
  for (const n of SIZES) {
    const loadMs = await loadUrls(page, n);
    const { ms, renders } = await tick(page, n, TICKS);
    figures[n] = { loadMs, ticks: TICKS, msPerTick: Number((ms / TICKS).toFixed(3)), renders };
    assert.equal(renders.RunPanel, TICKS, `${n} URLs: the run panel renders once per tick (${JSON.stringify(renders)})`);
    assert.equal(renders.Chart, TICKS, `${n} URLs: the chart renders once per tick`);
    for (const view of STILL) assert.equal(renders[view] ?? 0, 0, `${n} URLs: ${view} does not render on a tick (${JSON.stringify(renders)})`);
    assert.match(await page.locator('#fates [data-fate=succeeded]').innerText(), new RegExp(`^${Math.min(TICKS, n)}$`));
  }
  assert.deepEqual(figures[SIZES[0]].renders, figures[SIZES[1]].renders, 'the same renders per tick whatever the list size');
  const line = SIZES.map((n) => `${n} URLs: ${figures[n].msPerTick} ms/tick (list loaded and checked in ${figures[n].loadMs} ms)`).join('; ');
  console.log(`    console scale: ${TICKS} ticks each; ${line}; renders per ${TICKS} ticks ${JSON.stringify(figures[SIZES[1]].renders)}`);
  writeFileSync(join(ARTEFACTS, 'scale.json'), `${JSON.stringify(figures, null, 2)}\n`);
  await page.close();
  assert.deepEqual(problems, []);
});
