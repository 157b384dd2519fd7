// The CLI of the packed tarball, end to end against the sandbox through the proxy: a 5 000-URL
// sitemap pushed and tracked to the end; a run killed mid-way and resumed with no duplicate
// submission; exit codes; dry run as curl commands that the sandbox accepts. Under abuse: dry
// runs never print a secret or session token; journals are 0600 and never written through a
// planted symlink; gzip-bomb and oversized sitemaps, redirect loops and redirects off http(s)
// are refused with errors naming the cap, by a local HTTP server over loopback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, execSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync, readFileSync, statSync, lstatSync, symlinkSync, createWriteStream, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as ew from 'edgewarm';
import { ALIBABA, RUN, TENCENT, proxyBase, refreshProblems, sandboxTasks } from './helpers.mjs';

/** The job a journal file holds (its snapshot and records replayed), as one whole journal's JSON. */
function journalState(path) {
  const job = ew.Job.resume(readFileSync(path, 'utf8'));
  try {
    return JSON.parse(job.journal());
  } finally {
    job.free();
  }
}

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
      const j = journalState(journal);
      if (j.batches.filter((b) => b.taskId).length >= 3) break;
    }
    assert.ok(Date.now() < deadline, 'the run never got going');
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  // a snapshot, then records appended: each the size of its call, not of the job
  const lines = readFileSync(journal, 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.length >= 2, `records were appended (${lines.length} lines)`);
  const records = lines.slice(1).map((l) => l.length);
  assert.ok(Math.max(...records) < lines[0].length, `records (${records}) are smaller than the snapshot (${lines[0].length})`);
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
  assert.equal(statSync(journal).mode & 0o777, 0o600, 'the journal is owner-only');
  assert.equal(statSync(join(dir, 'esa.retry.json')).mode & 0o777, 0o600, 'so is the retry journal');
  assert.equal(s.failed[0].url, `https://www.example.com/${prefix}fail/c.js`);
  const teo = cli(['push', '--vendor', 'edgeone', '--zone', 'zone-sandbox', '--proxy', proxyBase(), '--json', '--poll-ms', '300', '-'], ENV_TC, `https://www.example.com/${RUN}/teo/1.js\n`);
  assert.equal(teo.code, 0, teo.stderr);
  assert.equal(JSON.parse(teo.stdout).counts.succeeded, 1);
  // `teo` is EdgeOne's API code: read as the vendor edgeone, and reported as edgeone
  const alias = cli(['push', '--vendor', 'teo', '--zone', 'zone-sandbox', '--proxy', proxyBase(), '--json', '--poll-ms', '300', '-'], ENV_TC, `https://www.example.com/${RUN}/teo/2.js\n`);
  assert.equal(alias.code, 0, alias.stderr);
  assert.equal(JSON.parse(alias.stdout).vendor, 'edgeone');
});

test('push --purge-first refreshes 3 000 URLs: the sandbox confirms each purged once, then warmed once after its purge was done', async () => {
  const prefix = `https://www.example.com/${RUN}/refresh/`;
  const urls = Array.from({ length: 3000 }, (_, i) => `${prefix}${i}.js`);
  urls[11] = `${prefix}purge-fail/11.js`; // the sandbox fails this purge: never prefetched
  const r = cli(['push', '--purge-first', '--vendor', 'cdn', '--proxy', proxyBase(), '--json', '--poll-ms', '300', sitemap('refresh.xml', urls)], ENV_TC);
  assert.equal(r.code, 1, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.deepEqual(s.kind, { type: 'refresh' });
  assert.deepEqual(s.counts, { pending: 0, submitted: 0, succeeded: 2999, failed: 1, deferred: 0, invalid: 0 });
  assert.deepEqual(s.phases, { phase: 'prefetch', purgeFailed: 1, prefetchFailed: 0 });
  assert.equal(s.failed[0].url, urls[11]);
  assert.equal(s.requests.PurgeUrlsCache.sent, 3, 'purged in calls of 1000');
  const view = await sandboxTasks(`${RUN}/refresh/`);
  const good = urls.filter((_, i) => i !== 11);
  assert.deepEqual(refreshProblems(view, good), []);
  const failed = view.tasks.filter((t) => t.target === urls[11]);
  assert.deepEqual(failed.map((t) => t.purge), [true], 'the URL whose purge failed was not prefetched');
});

test('a refresh killed inside the purge phase and again inside the prefetch phase resumes without purging twice or prefetching early', async () => {
  const prefix = `https://www.example.com/${RUN}/refresh-kill/`;
  const urls = Array.from({ length: 3000 }, (_, i) => `${prefix}${i}.js`);
  const map = sitemap('refresh-kill.xml', urls);
  const journal = join(dir, 'refresh-kill.json');
  const runUntil = async (args, done) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: ENV_TC, stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    const deadline = Date.now() + 60_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      if (existsSync(journal)) {
        let j = null;
        try {
          j = journalState(journal);
        } catch {
          // caught mid-rename: read again
        }
        if (j && done(j)) break;
      }
      assert.ok(Date.now() < deadline, 'the run never reached the point to kill it at');
    }
    child.kill('SIGKILL');
    await exited;
  };
  const submitted = (j) => j.batches.filter((b) => b.taskId).length;
  // 1 call a second: 3 purge calls of 1000, then 6 prefetch calls of 500
  await runUntil(['push', '--purge-first', '--vendor', 'cdn', '--proxy', proxyBase(), '--rate', '1', '--journal', journal, '--poll-ms', '300', map], (j) => j.phase === 'purge' && submitted(j) >= 1);
  const mid = JSON.parse(cli(['status', '--journal', journal, '--json'], ENV_TC).stdout);
  assert.equal(mid.phases.phase, 'purge', 'killed inside the purge phase');
  await runUntil(['resume', '--journal', journal, '--proxy', proxyBase(), '--poll-ms', '300'], (j) => j.phase === 'prefetch' && submitted(j) >= 1);
  const later = JSON.parse(cli(['status', '--journal', journal, '--json'], ENV_TC).stdout);
  assert.equal(later.phases.phase, 'prefetch', 'killed inside the prefetch phase');
  assert.ok(later.counts.succeeded < 3000, 'killed before the end');
  const r = cli(['resume', '--journal', journal, '--proxy', proxyBase(), '--json', '--poll-ms', '300'], ENV_TC);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).counts.succeeded, 3000);
  assert.deepEqual(refreshProblems(await sandboxTasks(`${RUN}/refresh-kill/`), urls), []);
});

test('purge --kind: URLs, prefixes, hosts and tags where the vendor has them; refusals name the flag', async () => {
  const prefix = `https://static.example.com/${RUN}/purge/`;
  const urls = [`${prefix}a.js`, `${prefix}b.css`];
  const list = join(dir, 'purge.txt');
  writeFileSync(list, urls.join('\n'));
  const teo = cli(['purge', '--vendor', 'edgeone', '--zone', 'zone-sandbox', '--proxy', proxyBase(), '--json', '--poll-ms', '300', list], ENV_TC);
  assert.equal(teo.code, 0, teo.stderr);
  const s = JSON.parse(teo.stdout);
  assert.deepEqual(s.kind, { type: 'purge', purgeType: 'url' });
  assert.equal(s.counts.succeeded, 2);
  assert.equal(s.requests.CreatePurgeTask.sent, 1);
  assert.equal(s.requests.CreatePrefetchTask, undefined, 'a purge prefetches nothing');
  const view = await sandboxTasks(`${RUN}/purge/`);
  assert.deepEqual(view.tasks.map((t) => [t.target, t.purge]).sort(), urls.map((u) => [u, true]).sort());
  // prefixes: `prefix` is read as `path`
  const dirs = join(dir, 'dirs.txt');
  writeFileSync(dirs, `${prefix}assets/\n`);
  const cdnPath = cli(['purge', '--vendor', 'cdn', '--kind', 'prefix', '--proxy', proxyBase(), '--json', '--poll-ms', '300', dirs], ENV_TC);
  assert.equal(cdnPath.code, 0, cdnPath.stderr);
  assert.equal(JSON.parse(cdnPath.stdout).requests.PurgePathCache.sent, 1);
  // hosts and tags: one entry a line, comments skipped; ESA and EdgeOne have them
  const tags = join(dir, 'tags.txt');
  writeFileSync(tags, `# release ${RUN}\nrelease-${RUN}\n\nassets-${RUN}  # the CSS and JS\n`);
  const esaTags = cli(['purge', '--vendor', 'esa', '--site', '100000001', '--kind', 'tag', '--proxy', proxyBase(), '--json', '--poll-ms', '300', tags], ENV_ALI);
  assert.equal(esaTags.code, 0, esaTags.stderr);
  const t = JSON.parse(esaTags.stdout);
  assert.equal(t.total, 2);
  assert.deepEqual(t.kind, { type: 'purge', purgeType: 'tag' });
  const teoTags = cli(['purge', '--vendor', 'edgeone', '--zone', 'zone-sandbox', '--kind', 'tag', '--tag-domain', 'static.example.com', '--proxy', proxyBase(), '--json', '--poll-ms', '300', tags], ENV_TC);
  assert.equal(teoTags.code, 0, teoTags.stderr);
  assert.equal(JSON.parse(teoTags.stdout).counts.succeeded, 2);
  const hosts = cli(['purge', '--vendor', 'edgeone', '--zone', 'zone-sandbox', '--kind', 'host', '--proxy', proxyBase(), '--json', '--poll-ms', '300', '-'], ENV_TC, 'static.example.com\n');
  assert.equal(hosts.code, 0, hosts.stderr);
  assert.equal(JSON.parse(hosts.stdout).counts.succeeded, 1);
  // refusals, exit 2, naming the flag
  const bad = [
    [['purge', '--vendor', 'cdn', '--kind', 'tag', tags], '--kind tag: Tencent CDN purges URLs'],
    [['purge', '--vendor', 'cdn', '--kind', 'everything', tags], '--kind must be one of url, path, prefix, host, tag'],
    [['push', '--vendor', 'cdn', '--kind', 'url', list], '--kind goes with purge'],
    [['purge', '--vendor', 'cdn', '--purge-first', list], '--purge-first goes with push'],
    [['purge', '--vendor', 'edgeone', '--zone', 'z', '--kind', 'tag', tags], '--kind tag on edgeone needs --tag-domain'],
    [['purge', '--vendor', 'edgeone', '--zone', 'z', '--tag-domain', 'a.com', list], '--tag-domain goes with purge --vendor edgeone --kind tag'],
    [['purge', '--vendor', 'esa', '--site', '1', '--kind', 'host', 'https://example.com/hosts.txt'], 'host names and cache tags are read from files'],
  ];
  for (const [args, message] of bad) {
    const r = cli(args, ENV_TC);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.includes(message), `${args.join(' ')}: ${r.stderr}`);
  }
  // a dry run says what it would do
  const dry = cli(['purge', '--vendor', 'cdn', '--dry-run', list], ENV_TC);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, /purge \(url\) of 2 URLs/);
  assert.match(dry.stdout, /PurgeUrlsCache/);
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
  const r = cli(['push', '--vendor', 'cdn', '--proxy', proxyBase(), '--dry-run', '--sign-for-real', list], ENV_TC);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1);
  assert.ok(lines[0].startsWith('curl '));
  assert.ok(!lines[0].includes(TENCENT.secret));
  const answer = JSON.parse(execSync(lines[0], { encoding: 'utf8', shell: '/bin/sh' }));
  assert.ok(answer.Response.TaskId, JSON.stringify(answer));
});

function cliAsync(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

test('--dry-run never prints the secret or a session token, text or --json, placeholder key or real', () => {
  const list = join(dir, 'dry-secret.txt');
  writeFileSync(list, `https://www.example.com/${RUN}/dry-secret/a.js\n`);
  const cases = [
    { vendor: ['--vendor', 'cdn'], env: { ...ENV_TC, TENCENTCLOUD_SESSION_TOKEN: 'sts-token-tencent-0123456789' }, secret: TENCENT.secret, token: 'sts-token-tencent-0123456789', header: 'X-TC-Token', variable: '$TENCENTCLOUD_SESSION_TOKEN', placeholder: 'AKID-DRY-RUN-PLACEHOLDER', id: TENCENT.id },
    { vendor: ['--vendor', 'edgeone', '--zone', 'zone-sandbox'], env: { ...ENV_TC, TENCENTCLOUD_SESSION_TOKEN: 'sts-token-tencent-0123456789' }, secret: TENCENT.secret, token: 'sts-token-tencent-0123456789', header: 'X-TC-Token', variable: '$TENCENTCLOUD_SESSION_TOKEN', placeholder: 'AKID-DRY-RUN-PLACEHOLDER', id: TENCENT.id },
    { vendor: ['--vendor', 'esa', '--site', '100000001'], env: { ...ENV_ALI, ALIBABA_CLOUD_SECURITY_TOKEN: 'sts-token-alibaba-9876543210' }, secret: ALIBABA.secret, token: 'sts-token-alibaba-9876543210', header: 'x-acs-security-token', variable: '$ALIBABA_CLOUD_SECURITY_TOKEN', placeholder: 'LTAI-DRY-RUN-PLACEHOLDER', id: ALIBABA.id },
  ];
  for (const c of cases) {
    for (const real of [false, true]) {
      for (const json of [false, true]) {
        const args = ['push', ...c.vendor, '--proxy', proxyBase(), '--dry-run', ...(real ? ['--sign-for-real'] : []), ...(json ? ['--json'] : []), list];
        const r = cli(args, c.env);
        const what = args.join(' ');
        assert.equal(r.code, 0, `${what}: ${r.stderr}`);
        const all = r.stdout + r.stderr;
        assert.ok(!all.includes(c.secret), `${what}: the secret was printed`);
        assert.ok(!all.includes(c.token), `${what}: the session token was printed`);
        assert.ok(!all.includes('dry-run-placeholder-token'), `${what}: even a placeholder token is shown as its variable`);
        assert.ok(all.includes(c.variable), `${what}: the token header names its variable`);
        assert.ok(all.includes(real ? c.id : c.placeholder), `${what}: signed with ${real ? 'the real' : 'the placeholder'} key`);
        if (!real) assert.ok(!all.includes(c.id), `${what}: the real key id is not used without --sign-for-real`);
        if (json) {
          const out = JSON.parse(r.stdout);
          assert.equal(out.signedWith, real ? 'yourKey' : 'placeholder');
          for (const q of out.requests) {
            const token = q.request.headers.find(([n]) => n.toLowerCase() === c.header.toLowerCase());
            assert.deepEqual(token, [token[0], c.variable], `${what}: ${JSON.stringify(token)}`);
          }
        }
      }
    }
  }
  const r = cli(['push', '--vendor', 'cdn', '--sign-for-real', list], ENV_TC);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--sign-for-real goes with --dry-run/);
});

test('journals are 0600 and never written through a symlink planted next to them', () => {
  const d = join(dir, 'planted');
  mkdirSync(d);
  const victim = join(d, 'victim.txt');
  writeFileSync(victim, 'precious');
  const journal = join(d, 'job.json');
  for (const planted of ['job.json.tmp', 'job.tmp', '.job.json.tmp', 'job.json.retry.json.tmp']) symlinkSync(victim, join(d, planted));
  writeFileSync(join(d, 'list.txt'), `https://www.example.com/${RUN}/planted/a.js\n`);
  const r = cli(['push', '--vendor', 'cdn', '--proxy', proxyBase(), '--journal', journal, '--json', '--poll-ms', '300', join(d, 'list.txt')], ENV_TC);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'precious', 'the symlink target is unchanged');
  assert.ok(lstatSync(journal).isFile() && !lstatSync(journal).isSymbolicLink());
  assert.equal(statSync(journal).mode & 0o777, 0o600);
  assert.equal(journalState(journal).batches.length, 1);
  // no temp file left behind: only what was there, the list and the journal
  assert.deepEqual(readdirSync(d).sort(), ['.job.json.tmp', 'job.json', 'job.json.retry.json.tmp', 'job.json.tmp', 'job.tmp', 'list.txt', 'victim.txt']);
  // a symlink at the journal's own path is replaced, not written through
  const linked = join(d, 'linked.json');
  symlinkSync(victim, linked);
  const again = cli(['push', '--vendor', 'cdn', '--proxy', proxyBase(), '--journal', linked, '--json', '--poll-ms', '300', join(d, 'list.txt')], ENV_TC);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.ok(!lstatSync(linked).isSymbolicLink());
  assert.equal(statSync(linked).mode & 0o777, 0o600);
});

/** A local HTTP server for hostile sources; `routes[path](req, res)`; counts hits per path. */
async function hostile(routes) {
  const hits = new Map();
  const server = createServer((req, res) => {
    const path = req.url.split('?')[0];
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path] ?? Object.entries(routes).find(([p]) => p.endsWith('*') && path.startsWith(p.slice(0, -1)))?.[1];
    if (route) route(req, res);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}`;
  return { base, hits, close: () => new Promise((r) => server.close(r)) };
}

const GIB = 1024 ** 3;

/** 1 GiB of zeros gzipped (about 1 MiB), streamed to a file: made here, never committed. */
async function gzipBomb(path) {
  const chunk = Buffer.alloc(1 << 20);
  let left = GIB / chunk.length;
  const zeros = new Readable({
    read() {
      this.push(left-- > 0 ? chunk : null);
    },
  });
  await pipeline(zeros, createGzip({ level: 9 }), createWriteStream(path));
  return path;
}

test('sources under abuse: gzip bomb, oversized fetch, index over the cap, redirect loops and off-http redirects', async () => {
  const bomb = await gzipBomb(join(dir, 'bomb.xml.gz'));
  const bombBytes = readFileSync(bomb);
  assert.ok(bombBytes.length < 2 << 20, `the bomb is small: ${bombBytes.length} bytes`);
  const sitemapXml = (n, prefix) => `<?xml version="1.0"?><urlset>${Array.from({ length: n }, (_, i) => `<url><loc>https://www.example.com/${RUN}/${prefix}/${i}</loc></url>`).join('')}</urlset>`;
  const big = sitemapXml(4000, 'big'); // about 250 KB
  const srv = await hostile({
    '/bomb.xml.gz': (req, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip' });
      res.end(bombBytes);
    },
    '/big.xml': (req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(big);
    },
    '/big-chunked.xml': (req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' }); // no content-length: counted as it streams
      for (let i = 0; i < big.length; i += 16384) res.write(big.slice(i, i + 16384));
      res.end();
    },
    '/small.xml': (req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(sitemapXml(3, 'small'));
    },
    '/index.xml': (req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(`<sitemapindex>${Array.from({ length: 5 }, (_, i) => `<sitemap><loc>${srv.base}/child/${i}.xml</loc></sitemap>`).join('')}</sitemapindex>`);
    },
    '/child/*': (req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(sitemapXml(2, `child${req.url}`));
    },
    '/loop/*': (req, res) => {
      const n = Number(req.url.split('/')[2]);
      res.writeHead(302, { location: n >= 4 ? '/small.xml' : `/loop/${n + 1}` });
      res.end();
    },
    '/forever/*': (req, res) => {
      res.writeHead(301, { location: `/forever/${Number(req.url.split('/')[2]) + 1}` });
      res.end();
    },
    '/to-file': (req, res) => {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    },
    '/to-ftp': (req, res) => {
      res.writeHead(307, { location: 'ftp://127.0.0.1/sitemap.xml' });
      res.end();
    },
  });
  try {
    const dry = ['push', '--vendor', 'cdn', '--dry-run'];
    // the bomb, served and as a local file: refused at the 50 MiB cap, the run ends
    for (const source of [`${srv.base}/bomb.xml.gz`, bomb]) {
      const r = await cliAsync([...dry, source], process.env);
      assert.equal(r.code, 2, `${source}: ${r.stderr}`);
      assert.equal(r.signal, null);
      assert.match(r.stderr, /larger than the cap of 52428800 bytes once decompressed/, r.stderr);
      assert.match(r.stderr, /no URL could be read/);
    }
    // a lower cap from the flag is named in the error
    let r = await cliAsync([...dry, '--max-sitemap-bytes', '1000000', bomb], process.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cap of 1000000 bytes once decompressed/);
    // bytes per fetch: by Content-Length and while streaming
    for (const path of ['/big.xml', '/big-chunked.xml']) {
      r = await cliAsync([...dry, '--max-sitemap-bytes', '100000', `${srv.base}${path}`], process.env);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /larger than the cap of 100000 bytes per fetch \(maxFetchBytes\)/, r.stderr);
    }
    r = await cliAsync([...dry, `${srv.base}/big.xml`], process.env);
    assert.equal(r.code, 0, r.stderr);
    // exactly 5 redirects are followed; a sixth is refused
    r = await cliAsync([...dry, '--json', `${srv.base}/loop/0`], process.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).plan.urls, 3);
    r = await cliAsync([...dry, `${srv.base}/forever/0`], process.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /more than 5 redirects/);
    assert.equal(srv.hits.get('/forever/6'), undefined, 'the sixth redirect was not followed');
    // redirects off http(s) are refused
    r = await cliAsync([...dry, `${srv.base}/to-file`], process.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /redirect to file: refused: sources are fetched over http\(s\) only/);
    r = await cliAsync([...dry, `${srv.base}/to-ftp`], process.env);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /redirect to ftp: refused/);
    // an index naming more children than fit: counted before any is fetched, the rest refused
    const got = await ew.collectUrls([{ url: `${srv.base}/index.xml` }], { maxSitemaps: 3 });
    assert.equal(got.urls.length, 4, JSON.stringify(got));
    assert.match(got.errors[0].message, /lists 5 child sitemaps but only 2 more fit under the cap of 3 sitemaps/);
    assert.equal(srv.hits.get('/child/2.xml'), undefined, 'children over the cap are never fetched');
    assert.equal(srv.hits.get('/child/1.xml'), 1);
    // and the JS API names the bomb's cap too
    const api = await ew.collectUrls([{ name: 'bomb.xml.gz', bytes: new Uint8Array(bombBytes) }], { maxBytes: 2_000_000 });
    assert.deepEqual(api.urls, []);
    assert.match(api.errors[0].message, /cap of 2000000 bytes once decompressed/);
  } finally {
    await srv.close();
  }
});
