// A large CLI job at a size CI affords (the full million is `bench/cli_million.sh`): 20 000
// URLs from a sitemap index over four gzipped children, pushed with a journal, killed with
// SIGKILL part-way, resumed to the end. Asserts what must hold at any size: every URL reached
// the sandbox exactly once, the journal is a snapshot plus append-only records each far smaller
// than the snapshot, and the summary counts every URL. Peak RSS and journal size are printed as
// figures, never asserted against a machine's speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN, TENCENT, proxyBase } from './helpers.mjs';
import { mib, scaleRun } from './cli_scale.mjs';

const require = createRequire(import.meta.url);
const BIN = join(require.resolve('edgewarm/package.json'), '..', 'bin', 'edgewarm.mjs');
const N = 20_000;

test(`${N} URLs from a gzipped sitemap index: killed part-way, resumed, each URL sent once`, async () => {
  const env = { ...process.env, TENCENTCLOUD_SECRET_ID: TENCENT.id, TENCENTCLOUD_SECRET_KEY: TENCENT.secret };
  const r = await scaleRun({ bin: BIN, proxy: proxyBase(), env, dir: mkdtempSync(join(tmpdir(), 'edgewarm-scale-')), n: N, perChild: 5000, prefix: `${RUN}-scale`, killAt: 0.4 });
  assert.equal(r.maps.children, 4);
  assert.ok(r.first.killed, `the first run was killed part-way (exit ${r.first.code}): ${r.first.stderr.slice(-500)}`);
  assert.equal(r.second.code, 0, r.second.stderr.slice(-2000));
  assert.equal(r.summary.counts.succeeded, N);
  assert.equal(r.times.size, N, 'every URL reached the sandbox');
  const twice = [...r.times].filter(([, k]) => k > 1);
  assert.deepEqual(twice.slice(0, 5), [], `${twice.length} URLs were submitted twice`);
  assert.ok(r.atKill.lines >= 2, `records follow the snapshot (${r.atKill.lines} lines)`);
  assert.ok(r.atKill.largestRecord * 4 < r.atKill.snapshotBytes, `a record (${r.atKill.largestRecord} B) costs its call, not the job (${r.atKill.snapshotBytes} B)`);
  console.log(`# ${N} URLs, list ${mib(r.listBytes)} MiB, ${r.maps.children} gzipped children ${mib(r.maps.gzBytes)} MiB`);
  console.log(`# first run (killed): peak RSS ${mib(r.first.peakRss)} MiB (${(r.first.peakRss / r.listBytes).toFixed(1)}× the list); journal at the kill ${mib(r.atKill.bytes)} MiB in ${r.atKill.lines} lines (snapshot ${mib(r.atKill.snapshotBytes)} MiB, largest record ${(r.atKill.largestRecord / 1024).toFixed(0)} KiB)`);
  console.log(`# resume: peak RSS ${mib(r.second.peakRss)} MiB (${(r.second.peakRss / r.listBytes).toFixed(1)}× the list); final journal ${mib(r.finalJournalBytes)} MiB`);
});
