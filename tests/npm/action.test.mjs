// The GitHub Action run the way a runner runs it: a fresh clone of the repository (the committed
// bundle, no install, no build), `node <runs.main>` with INPUT_* variables, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, against the sandbox through the proxy. Checks outputs, the job
// summary, annotations, masking, the exit codes of fail-on, and input errors.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ew from 'edgewarm';
import { RUN, TENCENT, ALIBABA, proxyBase } from './helpers.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'edgewarm-action-'));
const clone = join(work, 'action-checkout');
let main;

before(() => {
  // what `uses: owner/repo@ref` does: the repository at a commit, nothing installed or built
  execFileSync('git', ['clone', '-q', '--depth', '1', `file://${REPO}`, clone]);
  const yml = readFileSync(join(clone, 'action.yml'), 'utf8');
  assert.match(yml, /^\s+using: node20$/m);
  main = join(clone, yml.match(/^\s+main: (\S+)$/m)[1]);
  assert.ok(existsSync(main), `${main} is not committed`);
  assert.ok(!existsSync(join(clone, 'action/node_modules')) && !existsSync(join(clone, 'pkg/wasm')));
});

let runs = 0;
/** Runs the action with `inputs` (names as in action.yml) and extra environment. */
function runAction(inputs, env = {}) {
  runs += 1;
  const output = join(work, `output-${runs}`);
  const summary = join(work, `summary-${runs}.md`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const vars = { PATH: process.env.PATH, GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: work, ...env };
  for (const [name, value] of Object.entries(inputs)) vars[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const workspace = mkdtempSync(join(work, 'workspace-'));
  const r = spawnSync(process.execPath, [main], { cwd: workspace, env: vars, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs: parseOutputs(readFileSync(output, 'utf8')), summary: readFileSync(summary, 'utf8'), workspace };
}

/** GITHUB_OUTPUT as the runner reads it: `name=value` and `name<<DELIM … DELIM`. */
function parseOutputs(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (line === '') continue;
    const heredoc = line.match(/^([^=<]+)<<(.+)$/);
    if (heredoc) {
      const body = [];
      for (i += 1; lines[i] !== heredoc[2]; i += 1) {
        assert.ok(i < lines.length, `unterminated ${heredoc[1]}`);
        body.push(lines[i]);
      }
      out[heredoc[1]] = body.join('\n');
    } else {
      const eq = line.indexOf('=');
      out[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return out;
}

const TC_ENV = { TENCENTCLOUD_SECRET_ID: TENCENT.id, TENCENTCLOUD_SECRET_KEY: TENCENT.secret };

test('cdn: a list and a sitemap warmed to the end; outputs, summary and masking as a runner sees them', async () => {
  const prefix = `https://www.example.com/${RUN}/action/`;
  const sitemap = join(work, 'sitemap.xml');
  const fromMap = Array.from({ length: 30 }, (_, i) => `${prefix}map/${i}.html`);
  writeFileSync(sitemap, `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${fromMap.map((u) => `<url><loc>${u}</loc></url>`).join('\n')}\n</urlset>\n`);
  const listed = [`${prefix}a.js`, `${prefix}b.css`];
  const r = runAction({ vendor: 'cdn', urls: `${listed.join('\n')}\n`, sources: sitemap, proxy: proxyBase(), 'fail-on': 'any-failed' }, TC_ENV);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual([r.outputs.succeeded, r.outputs.failed, r.outputs.deferred, r.outputs.invalid], ['32', '0', '0', '0']);
  const s = JSON.parse(r.outputs.summary);
  assert.equal(s.vendor, 'cdn');
  assert.equal(s.total, 32);
  assert.equal(s.requests.PushUrlsCache.sent, 1);
  assert.equal(typeof s.quotaRemaining, 'number');
  // log groups, no annotation, the secret masked before anything else and never printed
  assert.match(r.stdout, /^::group::Collect URLs/m);
  assert.match(r.stdout, /^::group::Warm 32 URLs on cdn$/m);
  assert.ok(r.stdout.startsWith(`::add-mask::${TENCENT.id}\n::add-mask::${TENCENT.secret}\n`), r.stdout.slice(0, 200));
  assert.equal(r.stdout.split(TENCENT.secret).length, 2);
  assert.ok(!r.stdout.includes('::error'));
  assert.match(r.summary, /^### edgewarm: 32 URLs on cdn — all warmed$/m);
  assert.match(r.summary, /^\| ✅ succeeded \| 32 \|$/m);
  assert.match(r.summary, new RegExp(`^Quota left today: ${s.quotaRemaining.toLocaleString('en-US')} URLs\\.`, 'm'));
  // the sandbox received exactly these URLs, once each
  const pushed = [];
  for (let offset = 0; ; offset += 1000) {
    const out = await ew.call(
      { action: 'DescribePushTasks', params: { StartTime: bj(Date.now() - 3600_000), EndTime: bj(Date.now() + 3600_000), Keyword: 'www.example.com', Offset: offset, Limit: 1000 }, credentials: TENCENT },
      { transport: { kind: 'proxy', base: proxyBase() } },
    );
    pushed.push(...(out.PushLogs ?? []).map((t) => t.Url).filter((u) => u.startsWith(prefix)));
    if ((out.PushLogs ?? []).length < 1000) break;
  }
  assert.deepEqual(pushed.sort(), [...listed, ...fromMap].sort());
});

test('purge-first: every URL is purged, the purge tracked to done, then warmed (a refresh)', async () => {
  const prefix = `https://www.example.com/${RUN}/refresh/`;
  const urls = Array.from({ length: 12 }, (_, i) => `${prefix}${i}.js`);
  const r = runAction({ vendor: 'cdn', urls: urls.join('\n'), 'purge-first': 'true', proxy: proxyBase() }, TC_ENV);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.outputs.succeeded, '12');
  assert.equal(r.outputs.failed, '0');
  const via = { transport: { kind: 'proxy', base: proxyBase() } };
  const window = { StartTime: bj(Date.now() - 3600_000), EndTime: bj(Date.now() + 3600_000) };
  const purged = await ew.call({ action: 'CdnDescribePurgeTasks', service: 'cdn', params: { ...window, PurgeType: 'url', Keyword: 'www.example.com', Limit: 1000 }, credentials: TENCENT }, via);
  const purges = (purged.PurgeLogs ?? []).filter((t) => t.Url.startsWith(prefix));
  assert.deepEqual(purges.map((t) => t.Url).sort(), [...urls].sort(), 'each URL purged once');
  const pushed = await ew.call({ action: 'DescribePushTasks', params: { ...window, Keyword: 'www.example.com', Limit: 1000 }, credentials: TENCENT }, via);
  const pushes = (pushed.PushLogs ?? []).filter((t) => t.Url.startsWith(prefix));
  assert.deepEqual(pushes.map((t) => t.Url).sort(), [...urls].sort(), 'each URL warmed once');
  // no prefetch before its purge: every push was created at or after the last purge's creation
  const lastPurge = purges.map((t) => t.CreateTime).sort().at(-1);
  assert.ok(pushes.every((t) => t.CreateTime >= lastPurge), JSON.stringify({ lastPurge, pushes: pushes.map((t) => t.CreateTime) }));
});

/** A time in Beijing time as the CDN API writes it. */
function bj(ms) {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

test('a failing origin: exit 1 with an error annotation and the reason in the summary; fail-on none passes', () => {
  const good = `https://static.example.com/${RUN}/action-fail/ok.js`;
  const bad = `https://static.example.com/${RUN}/action-fail/fail/broken.js`;
  const inputs = { vendor: 'edgeone', 'zone-id': 'zone-sandbox', urls: `${good}\n${bad}`, proxy: proxyBase() };
  const r = runAction(inputs, TC_ENV);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual([r.outputs.succeeded, r.outputs.failed], ['1', '1']);
  assert.match(r.stdout, new RegExp(`^::error title=edgewarm%3A not warmed::${bad.replace(/[.]/g, '\\.')}: originPullFailed: `, 'm'));
  assert.match(r.summary, /^\| ❌ failed \| 1 \|$/m);
  assert.ok(r.summary.includes(`| ${bad} | failed | originPullFailed: origin pull failed`), r.summary);
  assert.match(r.summary, /check that the origin serves this URL|origin/);
  const s = JSON.parse(r.outputs.summary);
  assert.deepEqual(s.failed.map((f) => f.url), [bad]);

  const lenient = runAction({ ...inputs, urls: bad, 'fail-on': 'none' }, TC_ENV);
  assert.equal(lenient.code, 0, lenient.stdout + lenient.stderr);
  assert.equal(lenient.outputs.failed, '1');
  assert.match(lenient.stdout, /^::error title=edgewarm%3A not warmed::/m);
  assert.match(lenient.summary, /fail-on: none — the step passes anyway/);
});

test('esa with a journal: resumable state kept where actions/cache can keep it', () => {
  const urls = Array.from({ length: 3 }, (_, i) => `https://www.example.com/${RUN}/action-esa/${i}.png`);
  const journal = join(work, 'esa-journal.json');
  const r = runAction(
    { vendor: 'esa', 'site-id': '100000001', urls: urls.join('\n'), proxy: proxyBase(), journal },
    { ALIBABA_CLOUD_ACCESS_KEY_ID: ALIBABA.id, ALIBABA_CLOUD_ACCESS_KEY_SECRET: ALIBABA.secret },
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.outputs.succeeded, '3');
  assert.match(r.summary, /Quota left today: not reported \(ESA has no quota API\)/);
  const j = ew.Job.resume(readFileSync(journal, 'utf8'));
  assert.ok(j.isDone());
  assert.deepEqual(j.urls().map((u) => u.url), urls);
});

test('dry run sends nothing; bad inputs and missing credentials fail with the input named', () => {
  const dry = runAction({ vendor: 'cdn', urls: `https://www.example.com/${RUN}/action-dry/x.js`, 'dry-run': 'true', proxy: proxyBase() });
  assert.equal(dry.code, 0, dry.stdout + dry.stderr);
  assert.equal(dry.outputs.succeeded, '0');
  assert.equal(JSON.parse(dry.outputs.summary).plan.batches, 1);
  assert.match(dry.stdout, /^POST http:\/\/127\.0\.0\.1:\d+\/api\/cdn\.tencentcloudapi\.com\/ /m);
  assert.match(dry.summary, /Nothing was sent/);

  const cases = [
    [{ vendor: 'akamai', urls: 'https://www.example.com/a' }, TC_ENV, /vendor: must be one of edgeone, cdn, esa/],
    [{ vendor: 'edgeone', urls: 'https://www.example.com/a' }, TC_ENV, /zone-id: is required for edgeone/],
    [{ vendor: 'cdn', urls: 'https://www.example.com/a', 'purge-first': 'maybe' }, TC_ENV, /purge-first: must be true or false/],
    [{ vendor: 'cdn', urls: 'https://www.example.com/a', 'fail-on': 'sometimes' }, TC_ENV, /fail-on: must be any-failed or none/],
    [{ vendor: 'cdn', urls: 'https://www.example.com/a', proxy: proxyBase() }, {}, /credentials: set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY/],
    [{ vendor: 'cdn' }, TC_ENV, /urls: give urls or sources/],
  ];
  for (const [inputs, env, message] of cases) {
    const r = runAction(inputs, env);
    assert.equal(r.code, 1, JSON.stringify(inputs));
    assert.match(r.stdout, /^::error title=edgewarm::/m);
    assert.match(r.stdout, message);
    assert.match(r.summary, /^### edgewarm did not run$/m);
  }
});
