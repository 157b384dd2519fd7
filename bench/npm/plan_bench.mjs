// Planning + signing 1 000 000 URLs per vendor with the npm package in Node (the wasm core):
// `new Job` validates, dedupes, encodes and plans; `job.dryRun` builds and signs every batch's
// submit call. Baseline in the same run: JSON.stringify of the same URL list (every byte touched
// once). Prints the median of 3 runs per vendor, the ratio to the baseline, and peak RSS.
//   node plan_bench.mjs [URLS]
import * as ew from 'edgewarm';

const N = Number(process.argv[2] ?? 1_000_000);
const creds = { tencent: { id: 'AKIDBENCH', secret: 'bench-secret' }, alibaba: { id: 'LTAIBENCH', secret: 'bench-secret' } };
const specs = {
  teo: { target: { vendor: 'edgeone', zoneId: 'zone-bench' }, endpoint: ew.endpoint('teo'), keyId: 'AKIDBENCH' },
  cdn: { target: { vendor: 'cdn' }, endpoint: ew.endpoint('cdn'), keyId: 'AKIDBENCH' },
  esa: { target: { vendor: 'esa', siteId: 123456789 }, endpoint: ew.endpoint('esa'), keyId: 'LTAIBENCH' },
};
const urls = Array.from({ length: N }, (_, i) => `https://www.example.com/assets/${(i % 997).toString(36)}/file-${i}.js?v=${i % 13}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let peak = process.memoryUsage().rss;
const sample = () => (peak = Math.max(peak, process.memoryUsage().rss));

const base = [];
for (let r = 0; r < 3; r++) {
  const t = performance.now();
  JSON.stringify(urls);
  base.push((performance.now() - t) / 1000);
}
const baseline = median(base);
console.log(`${N} URLs; baseline JSON.stringify: ${baseline.toFixed(3)} s`);
for (const [service, spec] of Object.entries(specs)) {
  const times = [];
  let calls = 0;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const job = new ew.Job(spec, urls, 1, 1_795_500_000_000);
    sample();
    const requests = job.dryRun(1_795_500_000_000, service === 'esa' ? creds.alibaba : creds.tencent);
    sample();
    calls = requests.length;
    times.push((performance.now() - t) / 1000);
    job.free();
  }
  const m = median(times);
  console.log(`${service}: plan + sign ${calls} calls in ${m.toFixed(2)} s (${(m / baseline).toFixed(1)}× the baseline)`);
}
console.log(`peak RSS ${(peak / 1048576).toFixed(0)} MiB`);
