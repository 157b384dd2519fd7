// A large Tencent CDN job in the console, against the sandbox, measured from outside the page:
// shared by console_million.test.mjs (20 000 URLs, in `cargo xtask console-test`) and
// bench/console_scale.mjs (200 000 URLs). The list is picked as a .txt file, as a user would;
// the job runs to its end, optionally through a reload mid-job and a Resume from IndexedDB.
// While it runs, keys are pressed every ~100 ms and the page measures each key's latency (the
// key event's time → the next animation frame); the tab's JS heap (CDP Performance.getMetrics),
// the wasm's memory and the origin's storage use are sampled. Figures are returned, never
// compared with a wall-clock threshold.
import { sandboxTasksAt } from './helpers.mjs';

/** Waits `ms`. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));


/** How many times each prefetch target under `contains` was submitted. */
export async function submissions(base, contains) {
  const counts = new Map();
  for (const t of (await sandboxTasksAt(base, contains)).tasks) {
    if (!t.purge) counts.set(t.target, (counts.get(t.target) ?? 0) + 1);
  }
  return counts;
}

/** Latency probe and measurement hooks, installed before the console starts. */
function probe() {
  // opt in to the console's measurement hooks (render counts, the wasm's memory)
  window.__edgewarmMeasure = {};
  window.__latencies = [];
  addEventListener('keydown', (e) => {
    const t0 = e.timeStamp;
    requestAnimationFrame(() => window.__latencies.push(performance.now() - t0));
  }, true);
}

/** Characters of journal text the console keeps in IndexedDB now, snapshots and records (the journal is ASCII JSON: bytes). */
export const idbBytes = (page) => page.evaluate(() => new Promise((resolve) => {
  const open = indexedDB.open('edgewarm');
  open.onerror = () => resolve(0);
  open.onsuccess = () => {
    const db = open.result;
    const names = [...db.objectStoreNames];
    if (names.length === 0) { db.close(); resolve(0); return; }
    const tx = db.transaction(names);
    let bytes = 0;
    let left = names.length;
    for (const n of names) {
      const r = tx.objectStore(n).getAll();
      r.onsuccess = () => {
        for (const v of r.result) bytes += typeof v === 'string' ? v.length : 0;
        if (--left === 0) { db.close(); resolve(bytes); }
      };
    }
  };
}));

const pending = (page) => page.evaluate(() => Number(document.querySelector('#fates [data-fate=pending]')?.textContent ?? NaN));
const fate = async (page, name) => Number(await page.locator(`#fates [data-fate=${name}]`).innerText());
const state = (page) => page.evaluate(() => document.querySelector('#run-card')?.dataset.state ?? '');

/** Opens the console in `context` with the probes, on Tencent CDN at `rate` calls/s. */
export async function openScalePage(context, base, { rate, init } = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  await page.addInitScript(probe);
  if (init) await page.addInitScript(init);
  await page.goto(`${base}/`);
  await page.locator('#urls').waitFor();
  await page.locator('#vendor-cdn').check();
  if (rate) {
    await page.locator('#rate').evaluate((el) => {
      for (let d = el.closest('details'); d; d = d.parentElement?.closest('details')) d.open = true;
    });
    await page.locator('#rate').fill(String(rate));
    await page.locator('#rate').dispatchEvent('change');
  }
  return { page, problems };
}

/** Picks `urls` as a .txt file and waits until the panel counts them; the time it took (ms). */
export async function pickUrls(page, urls) {
  const t0 = Date.now();
  await page.locator('#files').setInputFiles({ name: 'urls.txt', mimeType: 'text/plain', buffer: Buffer.from(urls.join('\n')) });
  await page.waitForFunction((n) => document.querySelector('#url-counts')?.textContent.startsWith(`${n} URLs ready`), urls.length, { timeout: 600_000 });
  return Date.now() - t0;
}

const quantile = (xs, q) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/**
 * Runs an `n`-URL CDN job under `prefix` to its end. `reloadAfter`: reload once this many URLs
 * have left "not sent yet", then Resume. Returns the figures and what the sandbox received.
 */
export async function scaleRun(context, base, { n, prefix, rate, reloadAfter, timeout = 1_800_000 }) {
  const urls = Array.from({ length: n }, (_, i) => `https://www.example.com/${prefix}${i}.js`);
  let { page, problems } = await openScalePage(context, base, { rate });
  const loadMs = await pickUrls(page, urls);
  const figures = { urls: n, loadMs, heapPeak: 0, wasmPeak: 0, storagePeak: 0, idbBytes: 0, resumes: 0, latencies: [], rowsInDom: 0 };
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  let sampling = true;
  let paused = false;
  const sample = async () => {
    if (paused) return;
    try {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      figures.heapPeak = Math.max(figures.heapPeak, heap);
      const more = await page.evaluate(async () => ({
        wasm: window.__edgewarmMeasure?.memory?.buffer.byteLength ?? 0,
        usage: (await navigator.storage.estimate()).usage ?? 0,
        rows: document.querySelectorAll('.lrow, .rrow').length,
      }));
      figures.wasmPeak = Math.max(figures.wasmPeak, more.wasm);
      figures.storagePeak = Math.max(figures.storagePeak, more.usage);
      figures.rowsInDom = Math.max(figures.rowsInDom, more.rows);
    } catch {
      // the page is reloading: the next sample reads the new one
    }
  };
  const sampler = (async () => {
    while (sampling) {
      await sample();
      await sleep(250);
    }
  })();
  const typist = (async () => {
    while (sampling) {
      await page.keyboard.press('Shift').catch(() => {});
      await sleep(100);
    }
  })();
  const t0 = Date.now();
  await page.click('#start');
  let sentBeforeReload = 0;
  if (reloadAfter) {
    await page.waitForFunction((left) => Number(document.querySelector('#fates [data-fate=pending]')?.textContent ?? Infinity) <= left, n - reloadAfter, { timeout, polling: 200 });
    // reading the journal back puts its text in the page's heap: not the console's own, so the
    // sampler pauses and the garbage is collected before it goes on
    paused = true;
    figures.idbBytes = await idbBytes(page);
    await cdp.send('HeapProfiler.collectGarbage').catch(() => {});
    paused = false;
    sentBeforeReload = n - (await pending(page));
    figures.latencies.push(...(await page.evaluate(() => window.__latencies)));
    await page.reload();
    await page.locator('#resume-banner #resume-saved').waitFor({ timeout });
    figures.bannerCounts = await page.locator('#resume-counts').innerText();
    await page.click('#resume-saved');
    // the saved job is read from IndexedDB, then runs: the card leaves "Stopped: interrupted"
    await page.waitForFunction(() => document.querySelector('#run-card')?.dataset.state !== 'stopped', null, { timeout, polling: 100 });
    figures.resumes += 1;
  }
  await page.waitForFunction(() => ['completed', 'failures', 'stopped'].includes(document.querySelector('#run-card')?.dataset.state), null, { timeout, polling: 500 });
  figures.completeMs = Date.now() - t0;
  sampling = false;
  await Promise.all([sampler, typist]);
  await sample();
  figures.latencies.push(...(await page.evaluate(() => window.__latencies)));
  figures.state = await state(page);
  figures.status = await page.locator('#run-status').innerText();
  figures.succeeded = await fate(page, 'succeeded');
  figures.sentBeforeReload = sentBeforeReload;
  figures.idbAfter = await idbBytes(page);
  const counts = await submissions(base, prefix);
  figures.submitted = counts.size;
  figures.twice = [...counts].filter(([, k]) => k > 1).length;
  figures.latencyMedian = quantile(figures.latencies, 0.5);
  figures.latencyP95 = quantile(figures.latencies, 0.95);
  figures.keys = figures.latencies.length;
  delete figures.latencies;
  await cdp.detach().catch(() => {});
  return { page, problems, figures };
}

/** The figures in one line. */
export function describe(f) {
  const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;
  return `${f.urls} URLs: complete in ${(f.completeMs / 1000).toFixed(1)} s (list picked and checked in ${(f.loadMs / 1000).toFixed(1)} s); `
    + `input latency median ${f.latencyMedian?.toFixed(1)} ms, p95 ${f.latencyP95?.toFixed(1)} ms over ${f.keys} keys; `
    + `peak JS heap ${mib(f.heapPeak)}, wasm memory ${mib(f.wasmPeak)}; journal in IndexedDB ${mib(f.idbBytes)} mid-job (snapshot + records, ASCII), origin storage peak ${mib(f.storagePeak)}; `
    + `resumes after a reload ${f.resumes} (${f.sentBeforeReload} URLs sent before it); ${f.submitted} URLs submitted, ${f.twice} twice; at most ${f.rowsInDom} list rows in the page`;
}
