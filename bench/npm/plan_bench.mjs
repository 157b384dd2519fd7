// Planning + signing N URLs (default 1 000 000) per vendor with the npm package in Node (the
// wasm core), memory included. The URL list (several hosts, paths and queries, 50–70 bytes a
// line, a few duplicates and a few needing encoding) is written to a file; then, per vendor, ONE
// fresh Node process reads the file's bytes (no JS string of it), plans the job from them
// (`Job.fromText`: the list crosses into wasm once, in one piece) and builds + signs every
// batch's submit call one at a time (`job.dryRunBatch(i)`), and reports its peak resident memory
// (VmHWM) at the end.
// Baseline, in the same run: a process that only reads the file into an array of lines. Each
// process runs 3 times; the medians are printed with the file's size, the ratio of peak RSS to
// it, and the time against the baseline's.
//   node plan_bench.mjs [URLS]
import * as ew from 'edgewarm';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNS = 3;
const NOW = 1_795_500_000_000;
const peakKib = () => Number(/VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function child(what, file) {
  const t = performance.now();
  let calls = 0;
  if (what === 'baseline') {
    const lines = readFileSync(file, 'utf8').split('\n');
    calls = lines.length - 1;
  } else {
    const creds = what === 'esa' ? { id: 'LTAIBENCH', secret: 'bench-secret' } : { id: 'AKIDBENCH', secret: 'bench-secret' };
    const target = { teo: { vendor: 'edgeone', zoneId: 'zone-bench' }, cdn: { vendor: 'cdn' }, esa: { vendor: 'esa', siteId: 123456789 } }[what];
    const spec = { target, endpoint: ew.endpoint(what), keyId: creds.id };
    const job = ew.Job.fromText(spec, readFileSync(file), 1, NOW);
    const batches = job.plan().batches;
    for (let i = 0; i < batches; i++) if (job.dryRunBatch(i, NOW, creds)) calls++;
    job.free();
  }
  console.log(`${(performance.now() - t) / 1000} ${peakKib()} ${calls}`);
}

// A deterministic list of `n` URLs: five hosts, a dozen path shapes, a query on about a third,
// one in 200 a repeat of an earlier URL, one in 50 with characters that need encoding.
function writeUrls(file, n) {
  const hosts = ['www.example.com', 'static.example.com', 'img.example-cdn.net', 'shop.example.org', 'docs.example.io'];
  const dirs = ['assets/js', 'assets/css', 'images/2024/07', 'blog/posts', 'products/shoes', 'video/hls/720p', 'static/fonts', 'docs/v2/guide', 'media', 'p', 'catalog/kids/summer', 'downloads'];
  const exts = ['.js', '.css', '.jpg', '.html', '.ts', '.woff2'];
  const queries = ['?v=3', '?w=640&q=80', '?lang=en'];
  const urlOf = (i) =>
    `https://${hosts[i % 5]}/${dirs[Math.floor(i / 7) % 12]}/${i % 50 === 17 ? 'café menu' : 'item'}-${String(i).padStart(7, '0')}${exts[Math.floor(i / 3) % 6]}${queries[i % 9] ?? ''}`;
  let x = 0x2545f491;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), x >>> 0);
  const lines = [];
  for (let i = 0; i < n; i++) lines.push(i > 0 && next() % 200 === 0 ? urlOf(next() % i) : urlOf(i));
  const text = lines.join('\n') + '\n';
  writeFileSync(file, text);
  return Buffer.byteLength(text);
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]);
} else {
  const n = Number(process.argv[2] ?? 1_000_000);
  const file = join(tmpdir(), `edgewarm-plan-node-${n}.txt`);
  const bytes = writeUrls(file, n);
  const self = fileURLToPath(import.meta.url);
  console.log(`${n} URLs in ${file} (${bytes} bytes, ${(bytes / 1048576).toFixed(1)} MiB, ${(bytes / n).toFixed(1)} bytes a line); one Node process per row, median of ${RUNS}`);
  let baseSecs = 0;
  for (const what of ['baseline', 'teo', 'cdn', 'esa']) {
    const secs = [];
    const kib = [];
    let calls = 0;
    for (let r = 0; r < RUNS; r++) {
      const out = execFileSync(process.execPath, ['--max-old-space-size=8192', self, '--child', what, file], { encoding: 'utf8' }).trim().split(/\s+/);
      secs.push(Number(out[0]));
      kib.push(Number(out[1]));
      calls = Number(out[2]);
    }
    const t = median(secs);
    const k = median(kib);
    const mib = (k / 1024).toFixed(0);
    const ratio = ((k * 1024) / bytes).toFixed(2);
    if (what === 'baseline') {
      baseSecs = t;
      console.log(`baseline (read the file into ${calls} lines): ${t.toFixed(3)} s, peak RSS ${mib} MiB (${ratio}x the file)`);
    } else {
      console.log(`${what}: read + plan + sign ${calls} calls one at a time: ${t.toFixed(3)} s (${(t / baseSecs).toFixed(1)}x baseline), peak RSS ${mib} MiB (${ratio}x the file)`);
    }
  }
  rmSync(file, { force: true });
}
