// The million-URL CLI run of bench/cli_million.sh (the scenario is tests/npm/cli_scale.mjs,
// which the 20 000-URL test shares): prints figures and whether every URL was sent once.
//   node cli_million.mjs PROXY [URLS]
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mib, scaleRun } from '../../tests/npm/cli_scale.mjs';

const [proxy, n = '1000000'] = process.argv.slice(2);
const N = Number(n);
const require = createRequire(import.meta.url);
const bin = join(require.resolve('edgewarm/package.json'), '..', 'bin', 'edgewarm.mjs');
// the sandbox's well-known key (crates/edgewarm-sandbox/src/config.rs)
const env = { ...process.env, TENCENTCLOUD_SECRET_ID: 'AKIDSANDBOX0000000000000000000000000', TENCENTCLOUD_SECRET_KEY: 'sandbox-tencent-secret' };
const dir = mkdtempSync(join(tmpdir(), 'edgewarm-million-'));
try {
  const r = await scaleRun({ bin, proxy, env, dir, n: N, perChild: 50_000, prefix: `bench-${Date.now()}`, killAt: 0.4 });
  const twice = [...r.times.values()].filter((k) => k > 1).length;
  console.log(`${N} URLs: list ${mib(r.listBytes)} MiB; ${r.maps.children} gzipped sitemaps ${mib(r.maps.gzBytes)} MiB behind an index`);
  console.log(`push (killed at 40 %): ${(r.firstMs / 1000).toFixed(1)} s, peak RSS ${mib(r.first.peakRss)} MiB = ${(r.first.peakRss / r.listBytes).toFixed(2)}× the list`);
  console.log(`journal at the kill: ${mib(r.atKill.bytes)} MiB in ${r.atKill.lines} lines (snapshot ${mib(r.atKill.snapshotBytes)} MiB, largest record ${(r.atKill.largestRecord / 1024).toFixed(0)} KiB)`);
  console.log(`resume: ${(r.secondMs / 1000).toFixed(1)} s, peak RSS ${mib(r.second.peakRss)} MiB = ${(r.second.peakRss / r.listBytes).toFixed(2)}× the list, exit ${r.second.code}; final journal ${mib(r.finalJournalBytes)} MiB`);
  console.log(`sandbox: ${r.times.size} of ${N} URLs received, ${twice} twice; summary: ${r.summary?.counts?.succeeded} succeeded`);
  if (r.times.size !== N || twice > 0 || r.summary?.counts?.succeeded !== N) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
