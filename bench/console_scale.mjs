// The console at scale (see bench/console_scale.sh, which starts the proxy and runs this): an
// N-URL Tencent CDN job picked as a file, reloaded once a tenth of it was sent, resumed from
// IndexedDB, run to its end at the vendor's documented 20 calls/s. Figures as one line and as
// JSON (artefacts/console/scale-bench.json).
//   node bench/console_scale.mjs BASE [N]
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, scaleRun } from '../tests/npm/console_million.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { chromium } = createRequire(join(root, 'tests/npm/package.json'))('playwright-core');
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const [base, n = '200000'] = process.argv.slice(2);
const N = Number(n);
const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'edgewarm-scale-')), { executablePath: '/usr/bin/chromium', args: ARGS, headless: true, viewport: { width: 1280, height: 900 } });
try {
  const { page, problems, figures } = await scaleRun(context, base, { n: N, prefix: `bench-${Date.now()}/`, rate: 20, reloadAfter: Math.floor(N / 10), timeout: 3_600_000 });
  console.log(describe(figures));
  console.log(`state ${figures.state} (${figures.status}); ${figures.succeeded} succeeded; problems: ${problems.length ? problems.join('; ') : 'none'}`);
  const out = join(root, 'artefacts', 'console');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'scale-bench.json'), `${JSON.stringify(figures, null, 2)}\n`);
  await page.close();
} finally {
  await context.close();
}
