// Console figures: the wasm's size as served (raw, gzip -9, brotli), and time to interactive on
// localhost in headless Chromium (navigation start → the URL box is on screen and enabled),
// cold (fresh browser profile: nothing cached) and warm (same profile, reloaded). Baseline in
// the same run: the same navigation to a static file of the same server (style.css), so the
// ratio is what the console adds over the browser's own cost of a page load. Median of N.
//   node bench/console.mjs BASE [N]     (bench/console.sh starts the server and runs this)
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(join(root, 'tests/npm/package.json'))('playwright-core');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const [base, n = '15'] = process.argv.slice(2);
const N = Number(n);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

for (const file of ['edgewarm_console_bg.wasm', 'edgewarm_console.js']) {
  const bytes = readFileSync(join(root, 'web/dist', file));
  const gz = gzipSync(bytes, { level: 9 }).length;
  const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`${file}: ${(bytes.length / 1024).toFixed(0)} KB, gzip ${(gz / 1024).toFixed(0)} KB, brotli ${(br / 1024).toFixed(0)} KB`);
}

async function measure(path, ready, cold) {
  const times = [];
  let context;
  for (let i = 0; i < N; i++) {
    if (cold || !context) {
      await context?.close();
      context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'edgewarm-bench-')), { executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
    }
    const page = await context.newPage();
    await page.goto(`${base}${path}`, { waitUntil: 'commit' });
    await page.waitForFunction(ready, null, { timeout: 30_000, polling: 'raf' });
    // navigation start → ready, by the page's own clock
    times.push(await page.evaluate(() => performance.now()));
    await page.close();
  }
  await context?.close();
  return median(times);
}

const staticReady = () => document.readyState !== 'loading';
const consoleReady = () => {
  const urls = document.querySelector('#urls');
  return !!urls && !urls.disabled && urls.getBoundingClientRect().height > 0;
};
for (const cold of [true, false]) {
  const baseline = await measure('/style.css', staticReady, cold);
  const tti = await measure('/', consoleReady, cold);
  console.log(`${cold ? 'cold' : 'warm'}: static file ${baseline.toFixed(0)} ms, console interactive ${tti.toFixed(0)} ms (${(tti / baseline).toFixed(1)}× the static load), median of ${N}`);
}
