// The edge worker (web/edge/worker.mjs) in real workerd on loopback: bundled with esbuild
// against the packed tarball (workers build, .wasm as a compiled module), forwarding to a
// loopback stand-in for an allowed vendor host, refusing everything else, and signing with keys
// from the worker's env in signing mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import * as ew from 'edgewarm';
import { TENCENT } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const WORKER_SRC = join(here, '..', '..', 'web', 'edge', 'worker.mjs');
const ORIGIN = 'http://console.test:8787';
const dir = mkdtempSync(join(tmpdir(), 'edgewarm-edge-'));

let standIn; // loopback stand-in for cdn.tencentcloudapi.com
let seen = []; // requests the stand-in received
let workerd;
let base;

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

  await esbuild.build({
    entryPoints: [WORKER_SRC],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    nodePaths: [join(here, 'node_modules')],
    outfile: join(dir, 'worker.js'),
    logLevel: 'warning',
    plugins: [{ name: 'wasm-module', setup: (b) => b.onResolve({ filter: /\.wasm$/ }, () => ({ path: './edgewarm_bg.wasm', external: true })) }],
  });
  copyFileSync(join(dirname(require.resolve('edgewarm/package.json')), 'wasm', 'edgewarm_bg.wasm'), join(dir, 'edgewarm_bg.wasm'));

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .edge),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const edge :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "edgewarm_bg.wasm", wasm = embed "edgewarm_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "internet",
  bindings = [
    (name = "ALLOWED_ORIGINS", text = "${ORIGIN}"),
    (name = "EDGEWARM_STAND_INS", text = "cdn.tencentcloudapi.com=${standInAddr}"),
    (name = "TENCENTCLOUD_SECRET_ID", text = "${TENCENT.id}"),
    (name = "TENCENTCLOUD_SECRET_KEY", text = "${TENCENT.secret}"),
  ],
);
`,
  );
  const bin = join(here, 'node_modules', '.bin', 'workerd');
  workerd = spawn(bin, ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await fetch(`${base}/`, { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      assert.ok(Date.now() < deadline, 'workerd did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

after(async () => {
  workerd?.kill();
  await new Promise((r) => standIn.close(r));
});

const timeout = () => AbortSignal.timeout(10_000);

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

test('preflights are answered for the console origin only', async () => {
  const ok = await fetch(`${base}/api/cdn.tencentcloudapi.com/`, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST' }, signal: timeout() });
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('access-control-allow-origin'), ORIGIN);
  assert.match(ok.headers.get('access-control-allow-headers'), /authorization/);
  const foreign = await fetch(`${base}/api/cdn.tencentcloudapi.com/`, { method: 'OPTIONS', headers: { origin: 'https://evil.example.com' }, signal: timeout() });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
});

test('signing mode: an unsigned intent is signed with the keys in the worker env', async () => {
  seen = [];
  const r = await fetch(`${base}/sign`, {
    method: 'POST',
    headers: { origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/signed-at-the-edge.js'] } }),
    signal: timeout(),
  });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  assert.ok(!text.includes(TENCENT.secret));
  assert.equal(seen.length, 1);
  const got = seen[0];
  const pairs = [];
  for (let i = 0; i < got.headers.length; i += 2) pairs.push([got.headers[i], got.headers[i + 1]]);
  const received = { method: got.method, host: 'cdn.tencentcloudapi.com', path: '/', query: '', headers: pairs.filter(([n]) => n.toLowerCase() !== 'host'), body: got.body };
  assert.equal(ew.verifyRequest(received, TENCENT, Math.floor(Date.now() / 1000)).keyId, TENCENT.id);
  assert.ok(got.body.includes('signed-at-the-edge.js'));
  // no Alibaba keys in this worker's env: signing mode says so
  const esa = await fetch(`${base}/sign`, { method: 'POST', headers: { origin: ORIGIN }, body: JSON.stringify({ action: 'PreloadCaches', params: { SiteId: 1, Content: ['https://www.example.com/a'] } }), signal: timeout() });
  assert.equal(esa.status, 501);
  assert.equal((await esa.json()).error.code, 'signing_disabled');
  // bad intents are refused with the field and rule from validation
  const bad = await fetch(`${base}/sign`, { method: 'POST', headers: { origin: ORIGIN }, body: JSON.stringify({ action: 'PushUrlsCache', params: { Urls: ['ftp://x'] } }), signal: timeout() });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /Urls\[0\]/);
});

test('signing mode: a request the console built with placeholder keys is signed again with the worker\'s', async () => {
  seen = [];
  // what the console's job engine sends in edge-worker mode: its own request, signed with a placeholder
  const { request } = ew.prepareCall({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/resigned.js'] }, credentials: { id: 'edge-worker', secret: 'signed-by-the-worker', token: 'stale' } });
  const r = await fetch(`${base}/sign`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify({ request }), signal: timeout() });
  const text = await r.text();
  assert.equal(r.status, 200, text);
  assert.equal(seen.length, 1);
  const got = seen[0];
  const pairs = [];
  for (let i = 0; i < got.headers.length; i += 2) pairs.push([got.headers[i], got.headers[i + 1]]);
  assert.ok(!pairs.some(([n]) => n.toLowerCase() === 'x-tc-token'), 'the placeholder token is dropped');
  const received = { method: got.method, host: 'cdn.tencentcloudapi.com', path: '/', query: '', headers: pairs.filter(([n]) => n.toLowerCase() !== 'host'), body: got.body };
  assert.equal(ew.verifyRequest(received, TENCENT, Math.floor(Date.now() / 1000)).keyId, TENCENT.id);
  assert.equal(got.body, request.body, 'the body goes out as the console built it');
  // an action that is not one of edgewarm's operations is never signed with the worker's keys
  const foreign = { ...request, headers: request.headers.map(([n, v]) => [n, n.toLowerCase() === 'x-tc-action' ? 'DeleteZone' : v]) };
  const refused = await fetch(`${base}/sign`, { method: 'POST', headers: { origin: ORIGIN }, body: JSON.stringify({ request: foreign }), signal: timeout() });
  assert.equal(refused.status, 400);
  assert.match((await refused.json()).error.message, /DeleteZone/);
  // nor sent to a host outside the allowlist
  const elsewhere = await fetch(`${base}/sign`, { method: 'POST', headers: { origin: ORIGIN }, body: JSON.stringify({ request: { ...request, host: 'evil.example.com' } }), signal: timeout() });
  assert.equal(elsewhere.status, 403);
  assert.equal(seen.length, 1);
});
