// The edge worker's size and cold start, full module against the call module, in one run:
//   size        web/edge/worker.mjs bundled with esbuild for workerd (conditions workerd/worker,
//               minified, the .wasm imported as a compiled module), gzip -9 of JS + wasm: as
//               shipped (`edgewarm/call`), and with the import pointed at the full `edgewarm`
//   cold start  a fresh Node process per sample (alternating modules): import (read, compile,
//               instantiate the wasm) + the first signed call (build, validate, sign a
//               PushUrlsCache); medians of N samples each and the ratio
//   node edge_bench.mjs [--samples 15] [--json]
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { bundleWorker } from './worker_bundle.mjs';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '15' }, json: { type: 'boolean', default: false } } });
const SAMPLES = Number(values.samples);
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('edgewarm/package.json'));
const GOAL_KIB = 150;

/** The worker bundled as wrangler would; `full` points its `edgewarm/call` import at `edgewarm`. */
async function bundle(full) {
  const out = join(mkdtempSync(join(tmpdir(), 'edgewarm-edge-bench-')), 'worker.js');
  const wasms = await bundleWorker(out, { full });
  const js = readFileSync(out);
  const wasm = wasms.map((p) => readFileSync(p));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  return {
    wasmFiles: wasms.map((p) => basename(p)),
    jsBytes: js.length,
    wasmBytes: wasm.reduce((n, b) => n + b.length, 0),
    jsGzip: gz(js),
    wasmGzip: wasm.reduce((n, b) => n + gz(b), 0),
  };
}

/** One fresh Node: ms to import the module, and to the end of its first signed call. */
function coldStart(specifier) {
  const script = `const t0 = performance.now();
const ew = await import(${JSON.stringify(specifier)});
const t1 = performance.now();
const signed = ew.prepareCall({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/app.js'], Area: 'mainland' }, credentials: { id: 'AKIDSANDBOX0000000000000000000000000', secret: 'sandbox-tencent-secret' } });
const t2 = performance.now();
if (!signed.request.headers.some(([n]) => n === 'Authorization')) throw new Error('not signed');
console.log(JSON.stringify({ importMs: t1 - t0, totalMs: t2 - t0 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: here, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cold start of ${specifier}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const sizes = { full: await bundle(true), call: await bundle(false) };
const runs = { full: [], call: [] };
for (let i = 0; i < SAMPLES; i++) {
  // alternate, so both see the same machine load
  runs.full.push(coldStart('edgewarm'));
  runs.call.push(coldStart('edgewarm/call'));
}
const cold = Object.fromEntries(
  Object.entries(runs).map(([k, xs]) => [k, { importMs: median(xs.map((x) => x.importMs)), totalMs: median(xs.map((x) => x.totalMs)) }]),
);
const kib = (n) => (n / 1024).toFixed(1);
const total = (s) => s.jsGzip + s.wasmGzip;
const result = {
  sizes,
  coldStartNodeMs: cold,
  ratios: {
    bundleGzip: total(sizes.call) / total(sizes.full),
    coldStart: cold.call.totalMs / cold.full.totalMs,
  },
  samples: SAMPLES,
  goalKiB: GOAL_KIB,
  tarballWasm: { full: readFileSync(join(pkgDir, 'wasm', 'edgewarm_bg.wasm')).length, call: readFileSync(join(pkgDir, 'wasm', 'edgewarm_call_bg.wasm')).length },
};
if (values.json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  console.log('edge worker bundle (esbuild, workerd conditions, minified; gzip -9):');
  for (const [k, s] of Object.entries(sizes)) {
    console.log(`  ${k.padEnd(5)} ${s.wasmFiles.join(',').padEnd(24)} JS ${kib(s.jsGzip)} KiB + wasm ${kib(s.wasmGzip)} KiB = ${kib(total(s))} KiB gzipped (raw ${kib(s.jsBytes + s.wasmBytes)} KiB)`);
  }
  console.log(`  call/full ${result.ratios.bundleGzip.toFixed(3)}; goal <= ${GOAL_KIB} KiB: ${total(sizes.call) <= GOAL_KIB * 1024 ? 'met' : 'NOT met'} (${kib(total(sizes.call))} KiB)`);
  console.log(`cold start in Node (fresh process: import + first signed call; medians of ${SAMPLES}, alternating):`);
  for (const [k, c] of Object.entries(cold)) console.log(`  ${k.padEnd(5)} import ${c.importMs.toFixed(2)} ms, + first signed call ${c.totalMs.toFixed(2)} ms`);
  console.log(`  call/full ${result.ratios.coldStart.toFixed(3)}`);
}
