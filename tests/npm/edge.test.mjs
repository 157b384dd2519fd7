// The edge worker (web/edge/worker.mjs) in real workerd on loopback: bundled with esbuild
// against the packed tarball (workers build, .wasm as a compiled module), forwarding to a
// loopback stand-in for an allowed vendor host, refusing everything else, and signing with keys
// from the worker's env in signing mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import * as ew from 'edgewarm';
import { ALIBABA, TENCENT } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const WORKER_SRC = join(here, '..', '..', 'web', 'edge', 'worker.mjs');
const ORIGIN = 'http://console.test:8787';
const dir = mkdtempSync(join(tmpdir(), 'edgewarm-edge-'));

let standIn; // loopback stand-in for cdn.tencentcloudapi.com
let seen = []; // requests the stand-in received
let workerd;
const wasmImports = []; // every .wasm the bundled worker imports
let base; // the main worker
const bases = {}; // every worker by name
const TOKEN = 'edge-test-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

before(async () => {
  standIn = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.rawHeaders, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'tracking=1', 'x-internal': 'secret-topology' });
      res.end(JSON.stringify({ Response: { TaskId: `standin-${seen.length}`, RequestId: 'r-standin' } }));
    });
  });
  await new Promise((r) => standIn.listen(0, '127.0.0.1', r));
  const standInAddr = `127.0.0.1:${standIn.address().port}`;

  await bundleWorker({ outfile: join(dir, 'worker.js') });
  copyFileSync(join(dirname(require.resolve('edgewarm/package.json')), 'wasm', 'edgewarm_call_bg.wasm'), join(dir, 'edgewarm_call_bg.wasm'));

  // one workerd, several workers (each its own isolate and configuration), one socket each
  const common = [
    ['ALLOWED_ORIGINS', ORIGIN],
    ['EDGEWARM_STAND_INS', ['cdn.tencentcloudapi.com', 'teo.tencentcloudapi.com', 'esa.cn-hangzhou.aliyuncs.com'].map((h) => `${h}=${standInAddr}`).join(',')],
    ['TENCENTCLOUD_SECRET_ID', TENCENT.id],
    ['TENCENTCLOUD_SECRET_KEY', TENCENT.secret],
  ];
  const workers = {
    // the deployment the README shows: token, default allowlist, a generous rate
    main: [...common, ['EDGEWARM_SIGN_TOKEN', TOKEN], ['EDGEWARM_SIGN_RATE', '1000']],
    // one call per 1000 s: a second immediate call is refused whatever the machine's speed
    limited: [...common, ['EDGEWARM_SIGN_TOKEN', TOKEN], ['EDGEWARM_SIGN_RATE', '0.001']],
    custom: [...common, ['EDGEWARM_SIGN_TOKEN', TOKEN], ['EDGEWARM_SIGN_ACTIONS', 'CreatePurgeTask, PushUrlsCache']],
    notoken: common,
    badactions: [...common, ['EDGEWARM_SIGN_TOKEN', TOKEN], ['EDGEWARM_SIGN_ACTIONS', 'PushUrlsCache,PurgeEverything']],
  };
  const names = Object.keys(workers);
  const ports = [];
  for (const name of names) {
    ports.push(await freePort());
    bases[name] = `http://127.0.0.1:${ports.at(-1)}`;
  }
  base = bases.main;
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
${names.map((n) => `    (name = "${n}", worker = .${n}),`).join('\n')}
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [
${names.map((n, i) => `    (name = "${n}", address = "127.0.0.1:${ports[i]}", http = (), service = "${n}"),`).join('\n')}
  ],
);
${names
  .map(
    (n) => `const ${n} :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "edgewarm_call_bg.wasm", wasm = embed "edgewarm_call_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "internet",
  bindings = [
${workers[n].map(([k, v]) => `    (name = "${k}", text = ${JSON.stringify(v)}),`).join('\n')}
  ],
);`,
  )
  .join('\n')}
`,
  );
  const bin = join(here, 'node_modules', '.bin', 'workerd');
  workerd = spawn(bin, ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'inherit', 'inherit'] });
  // readiness: poll until each socket answers (the deadline bounds a hung start, not speed)
  const deadline = Date.now() + 60_000;
  for (const b of Object.values(bases)) {
    for (;;) {
      try {
        await fetch(`${b}/`, { signal: AbortSignal.timeout(2000) });
        break;
      } catch {
        assert.ok(Date.now() < deadline, 'workerd did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
});

after(async () => {
  workerd?.kill();
  await new Promise((r) => standIn.close(r));
});

const timeout = () => AbortSignal.timeout(10_000);

/**
 * The worker bundled as wrangler bundles it for workerd, each .wasm imported as a module beside
 * it, its name pushed to `imports`.
 */
function bundleWorker(options, imports = wasmImports) {
  return esbuild.build({
    entryPoints: [WORKER_SRC],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    nodePaths: [join(here, 'node_modules')],
    logLevel: 'warning',
    plugins: [{ name: 'wasm-module', setup: (b) => b.onResolve({ filter: /\.wasm$/ }, (args) => { imports.push(basename(args.path)); return { path: `./${basename(args.path)}`, external: true }; }) }],
    ...options,
  });
}

test('the worker bundles only the call module: its one wasm import is the call-only wasm', () => {
  assert.deepEqual(wasmImports, ['edgewarm_call_bg.wasm']);
});

// The size budget of issue 18: the worker as wrangler deploys it (minified, the .wasm beside
// it) within 150 KiB gzipped, JS + wasm. Sizes are deterministic (pinned toolchain, lockfiles),
// so this guards the budget; bench/edge.sh prints the figures and the full module's beside them.
test('the deployed worker (minified JS + call wasm) is within its 150 KiB gzipped budget', async () => {
  const imports = [];
  const out = await bundleWorker({ outfile: join(dir, 'worker.min.js'), minify: true, write: false }, imports);
  assert.deepEqual(imports, ['edgewarm_call_bg.wasm']);
  const gz = (bytes) => gzipSync(bytes, { level: 9 }).length;
  const js = gz(out.outputFiles[0].contents);
  const wasm = gz(readFileSync(join(dir, 'edgewarm_call_bg.wasm')));
  assert.ok(js > 1024 && wasm > 64 * 1024, `measured something: JS ${js} B, wasm ${wasm} B`);
  assert.ok(js + wasm <= 150 * 1024, `JS ${js} B + wasm ${wasm} B = ${((js + wasm) / 1024).toFixed(1)} KiB gzipped, over the 150 KiB budget`);
});

test('a browser-signed call passes byte-exact to the allowed host, and its answer comes back with CORS', async () => {
  seen = [];
  const { request } = ew.prepareCall({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/edge.js'] }, credentials: TENCENT });
  const headers = new Headers(request.headers);
  headers.set('origin', ORIGIN);
  headers.set('cookie', 'session=should-not-pass');
  const r = await fetch(`${base}/api/${request.host}/`, { method: 'POST', headers, body: request.body, signal: timeout() });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(r.headers.get('set-cookie'), null);
  assert.equal(r.headers.get('x-internal'), null);
  assert.equal((await r.json()).Response.TaskId, 'standin-1');
  assert.equal(seen.length, 1);
  const got = seen[0];
  assert.equal(got.body, request.body);
  const names = got.headers.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
  assert.ok(!names.includes('cookie') && !names.includes('origin'));
  const pairs = [];
  for (let i = 0; i < got.headers.length; i += 2) pairs.push([got.headers[i], got.headers[i + 1]]);
  // as the vendor would: verify with the host the request was signed for
  const received = { method: got.method, host: request.host, path: '/', query: '', headers: pairs.filter(([n]) => n.toLowerCase() !== 'host'), body: got.body };
  assert.equal(ew.verifyRequest(received, TENCENT, Math.floor(Date.now() / 1000)).keyId, TENCENT.id);
});

test('everything else is refused with a JSON error, and nothing reaches upstream', async () => {
  seen = [];
  const cases = [
    [`${base}/api/evil.example.com/`, { method: 'POST', headers: { origin: ORIGIN } }, 'host_not_allowed'],
    [`${base}/api/cdn.tencentcloudapi.com@evil.example.com/`, { method: 'POST', headers: { origin: ORIGIN } }, null],
    [`${base}/api/127.0.0.1:22/`, { method: 'POST', headers: { origin: ORIGIN } }, null],
    [`${base}/api/cdn.tencentcloudapi.com/`, { method: 'POST', headers: { origin: 'https://evil.example.com' } }, null],
    [`${base}/etc/passwd`, { headers: { origin: ORIGIN } }, 'not_proxied'],
    [`${base}/api/cdn.tencentcloudapi.com/`, { method: 'PUT', headers: { origin: ORIGIN } }, 'method_not_allowed'],
  ];
  for (const [url, init, code] of cases) {
    const r = await fetch(url, { ...init, signal: timeout() }).catch((e) => assert.fail(`${url} ${init.method}: ${e.cause?.code ?? e.message}`));
    assert.ok(r.status >= 400 && r.status < 500, `${url}: ${r.status}`);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    const body = await r.json();
    assert.equal(typeof body.error.code, 'string');
    assert.equal(typeof body.error.message, 'string');
    if (code) assert.equal(body.error.code, code, url);
  }
  // a body over 8 MiB is refused from its Content-Length, before a byte of it is read
  const tooLarge = await new Promise((resolve, reject) => {
    const req = request(`${base}/api/cdn.tencentcloudapi.com/`, { method: 'POST', headers: { origin: ORIGIN, 'content-length': String(8 * 1024 * 1024 + 1) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
  });
  assert.equal(tooLarge.status, 413);
  assert.equal(tooLarge.body.error.code, 'body_too_large');
  assert.equal(seen.length, 0);
});

/** Header pairs as the stand-in received them (Host dropped: the request was signed for the vendor host). */
function received(got, host) {
  const pairs = [];
  for (let i = 0; i < got.headers.length; i += 2) pairs.push([got.headers[i], got.headers[i + 1]]);
  const [path, query = ''] = got.url.split('?');
  return { method: got.method, host, path, query, headers: pairs.filter(([n]) => n.toLowerCase() !== 'host'), body: got.body };
}

const now = () => Math.floor(Date.now() / 1000);

async function sign(body, { worker = 'main', headers = AUTH } = {}) {
  const r = await fetch(`${bases[worker]}/sign`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: timeout(),
  });
  const text = await r.text();
  return { status: r.status, headers: r.headers, text, json: text ? JSON.parse(text) : undefined };
}

const urls = (n, tag) => Array.from({ length: n }, (_, i) => `https://www.example.com/${tag}/${i}.js`);
/** What the console sends: its own request, signed with a placeholder the worker replaces. */
const consoleBuilt = (call) => ew.prepareCall({ ...call, credentials: { id: 'edge-worker', secret: 'signed-by-the-worker', token: 'stale' } }).request;

test('preflights are answered for the console origin only, with the core\'s CORS lists', async () => {
  const lists = ew.corsPolicy();
  const ok = await fetch(`${base}/api/cdn.tencentcloudapi.com/`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' }, signal: timeout() });
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(ok.headers.get('access-control-allow-headers'), lists.allowHeaders);
  assert.equal(ok.headers.get('access-control-allow-methods'), lists.allowMethods);
  assert.equal(ok.headers.get('access-control-max-age'), String(lists.maxAgeSecs));
  assert.equal(ok.headers.get('access-control-expose-headers'), lists.exposeHeaders);
  assert.match(lists.allowHeaders, /authorization/);
  const foreign = await fetch(`${base}/api/cdn.tencentcloudapi.com/`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com' }, signal: timeout() });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
});

test('an ESA call signed in the browser with STS credentials passes the preflight and reaches the vendor', async () => {
  seen = [];
  const sts = { ...ALIBABA, token: 'sts-session-token-for-the-test' };
  const { request } = ew.prepareCall({ action: 'PreloadCaches', params: { SiteId: 1, Content: ['https://www.example.com/sts.js'] }, credentials: sts });
  const names = request.headers.map(([n]) => n.toLowerCase());
  assert.ok(names.includes('x-acs-accesskey-id') && names.includes('x-acs-security-token'), 'ACS3 with STS sends both');
  // the browser asks for every header it will send (minus the safelisted content-type)
  const asked = names.filter((n) => n !== 'content-type');
  const pre = await fetch(`${base}/api/${request.host}/?${request.query}`, {
    method: 'OPTIONS',
    headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': asked.join(',') },
    signal: timeout(),
  });
  assert.equal(pre.status, 204);
  const allowed = pre.headers.get('access-control-allow-headers').split(',').map((h) => h.trim());
  for (const n of asked) assert.ok(allowed.includes(n), `preflight allows ${n}`);
  const r = await fetch(`${base}/api/${request.host}/?${request.query}`, { method: request.method, headers: { ...Object.fromEntries(request.headers), origin: ORIGIN }, body: request.body || undefined, signal: timeout() });
  assert.equal(r.status, 200, await r.clone().text());
  assert.equal(r.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(seen.length, 1);
  assert.equal(ew.verifyRequest(received(seen[0], request.host), sts, now()).keyId, ALIBABA.id);
});

test('signing mode: an intent from the owner is signed with the keys in the worker env', async () => {
  seen = [];
  const r = await sign({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/signed-at-the-edge.js'] } });
  assert.equal(r.status, 200, r.text);
  assert.ok(!r.text.includes(TENCENT.secret));
  assert.equal(seen.length, 1);
  assert.equal(ew.verifyRequest(received(seen[0], 'cdn.tencentcloudapi.com'), TENCENT, now()).keyId, TENCENT.id);
  assert.ok(seen[0].body.includes('signed-at-the-edge.js'));
  // origin-less clients (curl, a server) with the token are served as well
  const curl = await fetch(`${base}/sign`, { method: 'POST', headers: AUTH, body: JSON.stringify({ action: 'DescribePushQuota' }), signal: timeout() });
  assert.equal(curl.status, 200);
  assert.equal(seen.length, 2);
  // caller limits may lower a cap: within it, the call goes
  const lowered = await sign({ action: 'PushUrlsCache', params: { Urls: urls(2, 'low') }, limits: { cdnPushBatch: 2 } });
  assert.equal(lowered.status, 200, lowered.text);
  assert.equal(seen.length, 3);
  seen = [];
  // no Alibaba keys in this worker's env: signing mode says so
  const esa = await sign({ action: 'PreloadCaches', params: { SiteId: 1, Content: ['https://www.example.com/a'] } });
  assert.equal(esa.status, 501);
  assert.equal(esa.json.error.code, 'signing_disabled');
  // bad intents are refused with the field and rule from validation
  const bad = await sign({ action: 'PushUrlsCache', params: { Urls: ['ftp://x'] } });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error.message, /Urls\[0\]/);
  const notJson = await sign('{"action":');
  assert.equal(notJson.status, 400);
  assert.equal(notJson.json.error.code, 'bad_intent');
  assert.equal(seen.length, 0);
});

test('signing mode: a request the console built is parsed back, validated, rebuilt by the core and signed', async () => {
  seen = [];
  const request = consoleBuilt({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/resigned.js'] } });
  const r = await sign({ request });
  assert.equal(r.status, 200, r.text);
  assert.equal(seen.length, 1);
  const got = received(seen[0], 'cdn.tencentcloudapi.com');
  assert.ok(!got.headers.some(([n]) => n.toLowerCase() === 'x-tc-token'), 'the placeholder token is dropped');
  assert.equal(ew.verifyRequest(got, TENCENT, now()).keyId, TENCENT.id);
  assert.equal(got.body, request.body, 'a console-built request goes out byte-identical');
  // caller bytes are never what is signed: a body written differently (pretty, an unknown
  // field) goes out as the core builds that operation
  seen = [];
  const odd = { ...request, body: JSON.stringify({ Extra: 'dropped', Urls: ['https://www.example.com/resigned.js'] }, null, 2) };
  const rebuilt = await sign({ request: odd });
  assert.equal(rebuilt.status, 200, rebuilt.text);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].body, '{"Urls":["https://www.example.com/resigned.js"]}');
  // an ESA request: the query parsed back into the typed operation (no Alibaba keys here: 501,
  // which proves it got past parsing and validation)
  const esa = consoleBuilt({ action: 'PreloadCaches', params: { SiteId: 7, Content: ['https://www.example.com/q?a=1&b=2'], Headers: { 'X-A': '1' } } });
  const esaAnswer = await sign({ request: esa });
  assert.equal(esaAnswer.status, 501, esaAnswer.text);
  seen = [];
  // an action that is not one of edgewarm's operations is never signed with the worker's keys
  const foreign = { ...request, headers: request.headers.map(([n, v]) => [n, n.toLowerCase() === 'x-tc-action' ? 'DeleteZone' : v]) };
  const refused = await sign({ request: foreign });
  assert.equal(refused.status, 403);
  assert.match(refused.json.error.message, /DeleteZone/);
  // nor sent to a host outside the allowlist
  const elsewhere = await sign({ request: { ...request, host: 'evil.example.com' } });
  assert.equal(elsewhere.status, 403);
  // nor a body that is not the operation's parameters
  const garbage = await sign({ request: { ...request, body: '{"Urls": "not a list"}' } });
  assert.equal(garbage.status, 400, garbage.text);
  assert.equal(seen.length, 0);
});

test('/sign without the owner\'s bearer token: 401 unauthorized, nothing signed or sent', async () => {
  seen = [];
  const intent = JSON.stringify({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/stolen.js'] } });
  const wrongSameLength = TOKEN.slice(0, -1) + (TOKEN.endsWith('f') ? 'e' : 'f');
  assert.equal(wrongSameLength.length, TOKEN.length);
  const cases = [
    ['no Authorization, allowed Origin', { origin: ORIGIN }],
    ['no Origin, no Authorization (curl, a server)', {}],
    ['wrong token of the same length', { origin: ORIGIN, authorization: `Bearer ${wrongSameLength}` }],
    ['token of another length (prefix)', { authorization: `Bearer ${TOKEN.slice(0, 8)}` }],
    ['token of another length (longer)', { authorization: `Bearer ${TOKEN}x` }],
    ['another scheme', { authorization: `Basic ${TOKEN}` }],
    ['empty bearer', { authorization: 'Bearer ' }],
  ];
  for (const [what, headers] of cases) {
    const r = await fetch(`${base}/sign`, { method: 'POST', headers, body: intent, signal: timeout() });
    assert.equal(r.status, 401, what);
    assert.equal(r.headers.get('www-authenticate'), 'Bearer', what);
    assert.match(r.headers.get('content-type'), /application\/json/, what);
    const body = await r.json();
    assert.equal(body.error.code, 'unauthorized', what);
    assert.ok(!JSON.stringify(body).includes(TOKEN), what);
    // the console's origin can read the refusal
    if (headers.origin) assert.equal(r.headers.get('access-control-allow-origin'), ORIGIN, what);
  }
  // the request form too
  const request = consoleBuilt({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/stolen.js'] } });
  const r = await sign({ request }, { headers: {} });
  assert.equal(r.status, 401);
  // the Origin check stays on top: a foreign page with the right token is refused as well
  const foreign = await fetch(`${base}/sign`, { method: 'POST', headers: { origin: 'https://evil.example.com', ...AUTH }, body: intent, signal: timeout() });
  assert.equal(foreign.status, 403);
  assert.equal((await foreign.json()).error.code, 'origin_not_allowed');
  assert.equal(seen.length, 0, 'nothing reached upstream');
});

test('/sign signs only allowed actions: purges, deletes and writes are refused unless listed', async () => {
  seen = [];
  const refusals = [
    ['intent CreatePurgeTask', { action: 'CreatePurgeTask', params: { ZoneId: 'zone-1', Type: 'purge_all' } }, 'CreatePurgeTask'],
    ['intent PurgeCaches', { action: 'PurgeCaches', params: { SiteId: 1, Type: 'purgeall', Content: { PurgeAll: true } } }, 'PurgeCaches'],
    ['intent DeleteScheduledPreloadJob', { action: 'DeleteScheduledPreloadJob', params: { Id: 'job-1' } }, 'DeleteScheduledPreloadJob'],
    ['request CreatePurgeTask', { request: consoleBuilt({ action: 'CreatePurgeTask', params: { ZoneId: 'zone-1', Type: 'purge_all' } }) }, 'CreatePurgeTask'],
    ['request PurgeCaches', { request: consoleBuilt({ action: 'PurgeCaches', params: { SiteId: 1, Type: 'purgeall', Content: { PurgeAll: true } } }) }, 'PurgeCaches'],
  ];
  for (const [what, body, action] of refusals) {
    const r = await sign(body);
    assert.equal(r.status, 403, `${what}: ${r.text}`);
    assert.equal(r.json.error.code, 'action_not_allowed', what);
    assert.ok(r.json.error.message.includes(action) && r.json.error.message.includes('EDGEWARM_SIGN_ACTIONS'), what);
  }
  assert.equal(seen.length, 0, 'nothing reached upstream');
  // listed by the owner, it is signed; what the list leaves out is not
  const purge = await sign({ action: 'CreatePurgeTask', params: { ZoneId: 'zone-1', Type: 'purge_url', Targets: ['https://www.example.com/old.js'] } }, { worker: 'custom' });
  assert.equal(purge.status, 200, purge.text);
  assert.equal(seen.length, 1);
  assert.equal(ew.verifyRequest(received(seen[0], 'teo.tencentcloudapi.com'), TENCENT, now()).keyId, TENCENT.id);
  const unlisted = await sign({ action: 'DescribePushQuota' }, { worker: 'custom' });
  assert.equal(unlisted.status, 403);
  assert.equal(seen.length, 1);
});

test('/sign validates with the default caps; caller limits may lower a cap, never raise it', async () => {
  seen = [];
  const over = urls(501, 'over'); // PushUrlsCache: 500 URLs per call by default
  const cases = [
    ['intent over the cap', { action: 'PushUrlsCache', params: { Urls: over } }, /Urls/],
    ['request over the cap', { request: ew.prepareCall({ action: 'PushUrlsCache', params: { Urls: over }, skipValidation: true, credentials: { id: 'x', secret: 'y' } }).request }, /Urls/],
    ['intent raising a cap', { action: 'PushUrlsCache', params: { Urls: over }, limits: { cdnPushBatch: 1000 } }, /limits\.cdnPushBatch/],
    ['request raising a cap', { request: consoleBuilt({ action: 'PushUrlsCache', params: { Urls: urls(2, 'ok') } }), limits: { cdnPushBatch: 1000 } }, /limits\.cdnPushBatch/],
    ['intent over a lowered cap', { action: 'PushUrlsCache', params: { Urls: urls(3, 'low') }, limits: { cdnPushBatch: 2 } }, /Urls/],
    ['request over a lowered cap', { request: consoleBuilt({ action: 'PushUrlsCache', params: { Urls: urls(3, 'low') } }), limits: { cdnPushBatch: 2 } }, /Urls/],
  ];
  for (const [what, body, field] of cases) {
    const r = await sign(body);
    assert.equal(r.status, 400, `${what}: ${r.text}`);
    assert.match(r.json.error.message, field, what);
  }
  const raised = await sign({ action: 'PushUrlsCache', params: { Urls: urls(1, 'r') }, limits: { cdnPushBatch: 1000 } });
  assert.equal(raised.json.error.code, 'limits_above_default');
  assert.equal(seen.length, 0, 'nothing reached upstream');
});

test('/sign is rate limited per token: 429 with Retry-After, nothing sent', async () => {
  seen = [];
  const call = { action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/rate.js'] } };
  const first = await sign(call, { worker: 'limited' });
  assert.equal(first.status, 200, first.text);
  assert.equal(seen.length, 1);
  const second = await sign(call, { worker: 'limited' });
  assert.equal(second.status, 429, second.text);
  assert.equal(second.json.error.code, 'rate_limited');
  const retry = Number(second.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry >= 1, `Retry-After ${second.headers.get('retry-after')}`);
  assert.equal(second.headers.get('access-control-allow-origin'), ORIGIN);
  assert.ok(second.headers.get('access-control-expose-headers').includes('retry-after'));
  assert.equal(seen.length, 1, 'the refused call was not sent');
});

test('a worker with keys but no EDGEWARM_SIGN_TOKEN signs nothing (501, names the variable)', async () => {
  seen = [];
  for (const headers of [{}, AUTH]) {
    const r = await sign({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/a.js'] } }, { worker: 'notoken', headers });
    assert.equal(r.status, 501, r.text);
    assert.equal(r.json.error.code, 'signing_disabled');
    assert.match(r.json.error.message, /EDGEWARM_SIGN_TOKEN/);
  }
  // its /api passthrough (browser-signed calls) still works
  const { request } = ew.prepareCall({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/passthrough.js'] }, credentials: TENCENT });
  const r = await fetch(`${bases.notoken}/api/${request.host}/`, { method: 'POST', headers: { ...Object.fromEntries(request.headers), origin: ORIGIN }, body: request.body, signal: timeout() });
  assert.equal(r.status, 200);
  assert.equal(seen.length, 1);
});

test('an EDGEWARM_SIGN_ACTIONS naming an unknown action turns signing off and names it', async () => {
  seen = [];
  const r = await sign({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/a.js'] } }, { worker: 'badactions' });
  assert.equal(r.status, 500, r.text);
  assert.equal(r.json.error.code, 'sign_actions_invalid');
  assert.match(r.json.error.message, /PurgeEverything/);
  assert.match(r.json.error.message, /EDGEWARM_SIGN_ACTIONS/);
  assert.equal(seen.length, 0);
});
