// The CLI of the packed tarball, end to end against the sandbox through the proxy: a 5 000-URL
// sitemap pushed and tracked to the end; a run killed mid-way and resumed with no duplicate
// submission; exit codes; dry run as curl commands that the sandbox accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as ew from 'edgewarm';
import { ALIBABA, RUN, TENCENT, proxyBase } from './helpers.mjs';

const require = createRequire(import.meta.url);
const BIN = join(require.resolve('edgewarm/package.json'), '..', 'bin', 'edgewarm.mjs');
const dir = mkdtempSync(join(tmpdir(), 'edgewarm-cli-'));
const ENV_TC = { ...process.env, TENCENTCLOUD_SECRET_ID: TENCENT.id, TENCENTCLOUD_SECRET_KEY: TENCENT.secret };
const ENV_ALI = { ...process.env, ALIBABA_CLOUD_ACCESS_KEY_ID: ALIBABA.id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: ALIBABA.secret };

function sitemap(name, urls) {
  const path = join(dir, name);
  writeFileSync(path, `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.map((u) => `  <url><loc>${u}</loc></url>`).join('\n')}\n</urlset>\n`);
  return path;
}

function cli(args, env, input) {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, input, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** How many times the sandbox received each URL, read back through DescribePushTasks. */
async function pushedCounts(prefix) {
  const counts = new Map();
  const fmt = (d) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
  const start = fmt(new Date(Date.now() - 3600_000));
  const end = fmt(new Date(Date.now() + 3600_000));
  for (let offset = 0; ; offset += 1000) {
    const out = await ew.call(
      { action: 'DescribePushTasks', params: { StartTime: start, EndTime: end, Keyword: 'www.example.com', Offset: offset, Limit: 1000 }, credentials: TENCENT },
      { transport: { kind: 'proxy', base: proxyBase() } },
    );
    for (const t of out.PushLogs ?? []) if (t.Url.includes(prefix)) counts.set(t.Url, (counts.get(t.Url) ?? 0) + 1);
    if ((out.PushLogs ?? []).length < 1000) break;
  }
  return counts;
}

test('push 5 000 URLs from a sitemap, tracked to the end, with a correct JSON summary', () => {
  const prefix = `${RUN}/full/`;
  const urls = Array.from({ length: 5000 }, (_, i) => `https://www.example.com/${prefix}${i}.js`);
  urls[7] = `https://www.example.com/${prefix}fail/7.js`; // the sandbox's failing origin
  const r = cli(['push', '--vendor', 'cdn', '--proxy', proxyBase(), '--json', '--poll-ms', '300', sitemap('full.xml', urls)], ENV_TC);
  assert.equal(r.code, 1, r.stderr); // one URL failed at the origin
  const s = JSON.parse(r.stdout);
  assert.equal(s.vendor, 'cdn');
  assert.equal(s.total, 5000);
  assert.deepEqual(s.counts, { pending: 0, submitted: 0, succeeded: 4999, failed: 1, deferred: 0, invalid: 0 });
  assert.equal(s.failed[0].url, urls[7]);
  assert.equal(s.requests.PushUrlsCache.sent, 10);
  assert.equal(s.requests.PushUrlsCache.throttled, 0);
  assert.ok(!r.stdout.includes(TENCENT.secret) && !r.stderr.includes(TENCENT.secret));
});

test('kill mid-run, resume from the journal: every URL once, none lost', async () => {
  const prefix = `${RUN}/resume/`;
  const urls = Array.from({ length: 5000 }, (_, i) => `https://www.example.com/${prefix}${i}.js`);
  const map = sitemap('resume.xml', urls);
  const journal = join(dir, 'resume.json');
  // 10 calls at 2 per second: kill after the first few have gone out
  const child = spawn(process.execPath, [BIN, 'push', '--vendor', 'cdn', '--proxy', proxyBase(), '--rate', '2', '--journal', journal, '--poll-ms', '300', map], { env: ENV_TC, stdio: 'ignore' });
  const deadline = Date.now() + 30_000;
  for (;;) {
    await new Promise((r) => setTimeout(r, 100));
    if (existsSync(journal)) {
      const j = JSON.parse(readFileSync(journal, 'utf8'));
      if (j.batches.filter((b) => b.taskId).length >= 3) break;
    }
    assert.ok(Date.now() < deadline, 'the run never got going');
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const mid = cli(['status', '--journal', journal, '--json'], ENV_TC);
  const before = JSON.parse(mid.stdout);
  assert.ok(before.counts.pending > 0, 'killed before the end');
  const r = cli(['resume', '--journal', journal, '--proxy', proxyBase(), '--json', '--poll-ms', '300'], ENV_TC);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.counts.succeeded, 5000);
  const counts = await pushedCounts(prefix);
  assert.equal(counts.size, 5000, 'every URL reached the sandbox');
  const dupes = [...counts].filter(([, n]) => n > 1);
  assert.deepEqual(dupes, [], 'no URL was submitted twice');
});

test('ESA and EdgeOne through the CLI; retry-failed builds a job of the failed URLs only', () => {
  const prefix = `${RUN}/esa/`;
  const list = join(dir, 'esa.txt');
  writeFileSync(list, [`https://www.example.com/${prefix}a.js`, `https://static.example.com/${prefix}b.css`, `https://www.example.com/${prefix}fail/c.js`].join('\n'));
  const journal = join(dir, 'esa.json');
  const r = cli(['push', '--vendor', 'esa', '--site', '100000001', '--proxy', proxyBase(), '--journal', journal, '--json', '--poll-ms', '300', list], ENV_ALI);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).counts, { pending: 0, submitted: 0, succeeded: 2, failed: 1, deferred: 0, invalid: 0 });
  const retry = cli(['retry-failed', '--journal', journal, '--proxy', proxyBase(), '--json', '--poll-ms', '300'], ENV_ALI);
  const s = JSON.parse(retry.stdout);
  assert.equal(s.total, 1);
  assert.equal(s.failed[0].url, `https://www.example.com/${prefix}fail/c.js`);
  const teo = cli(['push', '--vendor', 'edgeone', '--zone', 'zone-sandbox', '--proxy', proxyBase(), '--json', '--poll-ms', '300', '-'], ENV_TC, `https://www.example.com/${RUN}/teo/1.js\n`);
  assert.equal(teo.code, 0, teo.stderr);
  assert.equal(JSON.parse(teo.stdout).counts.succeeded, 1);
});

test('exit codes: 2 for bad input, 3 for missing credentials; errors name the flag', () => {
  const list = join(dir, 'one.txt');
  writeFileSync(list, 'https://www.example.com/x\n');
  let r = cli(['push', '--vendor', 'edgeone', list], ENV_TC);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--zone is required/);
  r = cli(['push', '--vendor', 'akamai', list], ENV_TC);
  assert.equal(r.code, 2);
  r = cli(['push', '--vendor', 'cdn', '--rate', 'fast', list], ENV_TC);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--rate/);
  r = cli(['push', '--vendor', 'cdn', join(dir, 'missing.txt')], ENV_TC);
  assert.equal(r.code, 2);
  const bare = { ...process.env };
  delete bare.TENCENTCLOUD_SECRET_ID;
  delete bare.TENCENTCLOUD_SECRET_KEY;
  r = cli(['push', '--vendor', 'cdn', '--proxy', proxyBase(), list], bare);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /TENCENTCLOUD_SECRET_ID/);
  r = cli(['push', '--vendor', 'cdn', '--proxy', proxyBase(), list], { ...ENV_TC, TENCENTCLOUD_SECRET_KEY: 'wrong-secret' });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  r = cli(['quota', '--vendor', 'cdn', '--proxy', proxyBase(), '--json'], ENV_TC);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).UrlPush.length > 0);
});

test('--dry-run prints curl commands without the secret, and the sandbox accepts them', () => {
  const list = join(dir, 'dry.txt');
  writeFileSync(list, Array.from({ length: 3 }, (_, i) => `https://www.example.com/${RUN}/dry/${i}`).join('\n'));
  const r = cli(['push', '--vendor', 'cdn', '--proxy', proxyBase(), '--dry-run', list], ENV_TC);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  assert.ok(lines[0].startsWith('curl '));
  assert.ok(!lines[0].includes(TENCENT.secret));
  const answer = JSON.parse(execSync(lines[0], { encoding: 'utf8', shell: '/bin/sh' }));
  assert.ok(answer.Response.TaskId, JSON.stringify(answer));
});
