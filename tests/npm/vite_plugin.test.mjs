// `edgewarm/vite` from the packed tarball: a real Vite build of a small app (JS, CSS, an image,
// a lazy chunk) and a plain Rollup build, each warming what it emitted against the sandbox
// through the proxy; the sandbox must have received exactly the emitted files' URLs. Also: a
// failing origin fails the build with the reason, and a cut-off run resumes from the journal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'vite';
import { rollup } from 'rollup';
import * as ew from 'edgewarm';
import edgewarm from 'edgewarm/vite';
import { ALIBABA, RUN, TENCENT, proxyBase } from './helpers.mjs';

Object.assign(process.env, {
  TENCENTCLOUD_SECRET_ID: TENCENT.id,
  TENCENTCLOUD_SECRET_KEY: TENCENT.secret,
  ALIBABA_CLOUD_ACCESS_KEY_ID: ALIBABA.id,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: ALIBABA.secret,
});

const work = mkdtempSync(join(tmpdir(), 'edgewarm-vite-'));

/** A small app: an entry with CSS, an image (too big to inline) and a lazily imported chunk. */
function app(name) {
  const dir = join(work, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), '{ "name": "app", "private": true, "type": "module" }\n');
  writeFileSync(join(dir, 'index.html'), '<!doctype html>\n<html><head><title>app</title></head><body><div id="app"></div><script type="module" src="/src/main.js"></script></body></html>\n');
  writeFileSync(join(dir, 'src/main.js'), "import './style.css';\nimport logo from './logo.png';\nconst img = document.createElement('img');\nimg.src = logo;\ndocument.body.append(img);\nimport('./lazy.js').then((m) => m.hello());\n");
  writeFileSync(join(dir, 'src/lazy.js'), "export function hello() { document.title = 'lazy loaded'; }\n");
  writeFileSync(join(dir, 'src/style.css'), 'body { background: url(./logo.png) no-repeat; color: #123456; }\n');
  const png = Buffer.alloc(16 * 1024, 7);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
  writeFileSync(join(dir, 'src/logo.png'), png);
  return dir;
}

function files(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

const bj = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const via = () => ({ transport: { kind: 'proxy', base: proxyBase() } });

/** Every URL the sandbox's Tencent CDN received under `prefix`, with repeats. */
async function pushedUnder(prefix) {
  const got = [];
  for (let offset = 0; ; offset += 1000) {
    const out = await ew.call({ action: 'DescribePushTasks', params: { StartTime: bj(Date.now() - 3600_000), EndTime: bj(Date.now() + 3600_000), Keyword: 'static.example.com', Offset: offset, Limit: 1000 }, credentials: TENCENT }, via());
    got.push(...(out.PushLogs ?? []).map((t) => t.Url).filter((u) => u.startsWith(prefix)));
    if ((out.PushLogs ?? []).length < 1000) break;
  }
  return got.sort();
}

/** Every URL the sandbox's ESA site received under `prefix`, with repeats. */
async function preloadedUnder(prefix) {
  const got = [];
  for (let page = 1; page < 100; page += 1) {
    const out = await ew.call({ action: 'DescribePreloadTasks', params: { SiteId: 100000001, StartTime: iso(Date.now() - 3600_000), EndTime: iso(Date.now() + 600_000), PageNumber: page, PageSize: 50 }, credentials: ALIBABA }, via());
    got.push(...(out.Tasks ?? []).map((t) => t.Content).filter((u) => u.startsWith(prefix)));
    if ((out.Tasks ?? []).length < 50) break;
  }
  return got.sort();
}

function viteConfig(root, plugin, base) {
  return { root, base, configFile: false, logLevel: 'silent', plugins: [plugin], build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' } };
}

test('vite build warms exactly what it emitted (base as the URL prefix), journal in the cache dir', async () => {
  const root = app('vite-app');
  const base = `https://static.example.com/${RUN}/vite/`;
  const lines = [];
  await build(viteConfig(root, edgewarm({ vendor: 'cdn', proxy: proxyBase(), logger: (l) => lines.push(l) }), base));
  const emitted = files(join(root, 'dist'));
  // the app as built: HTML, entry, lazy chunk, CSS, image
  assert.equal(emitted.length, 5, emitted.join(' '));
  for (const re of [/^index\.html$/, /^assets\/index-.+\.js$/, /^assets\/lazy-.+\.js$/, /^assets\/index-.+\.css$/, /^assets\/logo-.+\.png$/]) assert.ok(emitted.some((f) => re.test(f)), `${re} in ${emitted}`);
  assert.deepEqual(await pushedUnder(base), emitted.map((f) => base + f));
  assert.match(lines.at(-1), /^edgewarm: 5 URLs on cdn: 5 warmed, 0 failed, 0 deferred, 0 invalid \(/);
  const journals = readdirSync(join(root, 'node_modules/.vite/edgewarm'));
  assert.equal(journals.length, 1);
  const job = ew.Job.resume(readFileSync(join(root, 'node_modules/.vite/edgewarm', journals[0]), 'utf8'));
  assert.ok(job.isDone());
  assert.equal(job.progress(Date.now()).succeeded, 5);
});

test('rollup: the same plugin object warms chunks and assets at baseUrl (ESA), include/exclude applied', async () => {
  const root = app('rollup-app');
  const baseUrl = `https://static.example.com/${RUN}/rollup/`;
  const image = {
    name: 'image',
    resolveId: (id) => (id.endsWith('.css') || id.endsWith('.png') ? id : null),
    load(id) {
      if (id.endsWith('.css')) return 'export default null;';
      if (id.endsWith('.png')) return `export default import.meta.ROLLUP_FILE_URL_${this.emitFile({ type: 'asset', name: 'logo.png', source: readFileSync(join(root, 'src/logo.png')) })};`;
      return null;
    },
  };
  const lines = [];
  const plugin = edgewarm({ vendor: 'esa', siteId: 100000001, baseUrl, proxy: proxyBase(), exclude: ['**/*.map', /skip-me/], logger: (l) => lines.push(l) });
  const bundle = await rollup({ input: join(root, 'src/main.js'), plugins: [image, plugin], logLevel: 'silent' });
  await bundle.write({ dir: join(root, 'out'), format: 'es', sourcemap: true, entryFileNames: '[name]-[hash].js', chunkFileNames: '[name]-[hash].js', assetFileNames: '[name]-[hash][extname]' });
  await bundle.close();
  const emitted = files(join(root, 'out'));
  const served = emitted.filter((f) => !f.endsWith('.map'));
  assert.ok(emitted.some((f) => f.endsWith('.map')), 'source maps were written (and are left out)');
  assert.equal(served.length, 3, served.join(' ')); // entry, lazy chunk, image
  assert.deepEqual(await preloadedUnder(baseUrl), served.map((f) => baseUrl + f));
  assert.match(lines.at(-1), /^edgewarm: 3 URLs on esa: 3 warmed/);
  assert.ok(existsSync(join(process.cwd(), 'node_modules/.cache/edgewarm')), 'journal under node_modules/.cache/edgewarm');
});

test('a failing origin fails the build with the URL and the reason; failOnError: false only reports', async () => {
  const root = app('vite-fail');
  const base = `https://static.example.com/${RUN}/vite-fail/fail/`;
  await assert.rejects(
    build(viteConfig(root, edgewarm({ vendor: 'edgeone', zoneId: 'zone-sandbox', proxy: proxyBase(), include: '**/*.{js,css}', logger: () => {} }), base)),
    (e) => {
      assert.match(e.message, /edgewarm: 3 not warmed:/);
      assert.match(e.message, new RegExp(`${base.replace(/[.]/g, '\\.')}assets/index-[^ ]+\\.js: originPullFailed: `));
      assert.doesNotMatch(e.message, /logo-|index\.html/);
      return true;
    },
  );
  const lines = [];
  await build(viteConfig(root, edgewarm({ vendor: 'edgeone', zoneId: 'zone-sandbox', proxy: proxyBase(), include: ['assets/lazy-*.js'], failOnError: false, logger: (l) => lines.push(l) }), base));
  assert.match(lines.join('\n'), /1 not warmed:\n {2}https:\/\/static\.example\.com\/.+\/assets\/lazy-.+\.js: originPullFailed: /);
});

test('a cut-off run resumes from the journal: its task tracked, not resubmitted, then the build warmed', async () => {
  const root = app('vite-resume');
  const base = `https://static.example.com/${RUN}/vite-resume/`;
  const earlier = [`${base}earlier/1.js`, `${base}earlier/2.js`];
  // a previous build's warming, stopped right after its submit was answered
  const job = new ew.Job({ target: { vendor: 'cdn', headers: [] }, endpoint: ew.endpoint('cdn', { site: 'china' }), keyId: TENCENT.id, options: {} }, earlier);
  while (!JSON.parse(job.journal()).batches.some((b) => b.taskId)) {
    const actions = job.nextActions(Date.now(), TENCENT);
    for (const a of actions.filter((x) => x.type === 'send')) {
      const answer = await ew.sendRequest(a.request, via());
      job.onResponse(a.callId, answer.status, answer.body, Date.now(), answer.dateMs);
    }
    const wait = actions.find((x) => x.type === 'wait');
    if (wait && !actions.some((x) => x.type === 'send')) await new Promise((r) => setTimeout(r, Math.max(0, wait.untilMs - Date.now())));
  }
  assert.ok(!job.isDone());
  const journal = join(root, 'warm-journal.json');
  writeFileSync(journal, job.journal());
  const lines = [];
  await build(viteConfig(root, edgewarm({ vendor: 'cdn', proxy: proxyBase(), journal, logger: (l) => lines.push(l) }), base));
  assert.ok(lines.some((l) => l === `edgewarm: resuming the unfinished run in ${journal}`), lines.join('\n'));
  assert.match(lines.at(-1), /^edgewarm: 7 URLs on cdn: 7 warmed/);
  const emitted = files(join(root, 'dist')).map((f) => base + f);
  assert.deepEqual(await pushedUnder(base), [...earlier, ...emitted].sort()); // each exactly once
});
