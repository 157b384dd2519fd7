// `edgewarm/call`, the call module (the small wasm without the job engine and the URL sources):
// it signs byte-identically to the full module for every operation's valid sample call, on each
// signing path, and importing it loads neither the full module's JS nor its wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as full from 'edgewarm';
import * as callOnly from 'edgewarm/call';
import { URL_CASES, URL_SERVICES, answer } from './bundle/src/url_cases.js';
import { URL_ANSWERS, VALID_CALLS, credentialsFor } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('edgewarm/package.json'));
const T0 = 1_795_500_000;
const NONCE = '0123456789abcdef0123456789abcdef';

test('the call module exposes the call API and nothing of the job engine or the sources', () => {
  for (const name of ['validate', 'buildRequest', 'signRequest', 'signRequestAsync', 'prepareCall', 'verifyRequest', 'parseResponse', 'rebuildRequest', 'checkBearer', 'checkOrigin', 'corsPolicy', 'ProxyPolicy', 'toCurl', 'call']) {
    assert.equal(typeof callOnly[name], 'function', name);
  }
  for (const name of ['Job', 'runJob', 'collectUrls', 'parseSitemap', 'parsePlaylist', 'parseList', 'detectSource']) {
    assert.equal(callOnly[name], undefined, name);
    assert.equal(typeof full[name], 'function', name);
  }
  // the wasm itself: no job or source export at all
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(pkgDir, 'wasm', 'edgewarm_call_bg.wasm')))).map((e) => e.name);
  assert.ok(exports.includes('signRequestJson'), 'the call wasm signs');
  assert.deepEqual(exports.filter((n) => /job|sitemap|playlist|parselist|detectsource/i.test(n)), []);
  // the errors are the very classes of the root export
  assert.equal(callOnly.ValidationError, full.ValidationError);
  assert.throws(() => callOnly.buildRequest({ action: 'PushUrlsCache', params: { Urls: ['ftp://x'] } }), full.ValidationError);
});

test('every valid sample call builds and signs byte-identically in both modules (wasm hash, native hash, precomputed)', async () => {
  assert.equal(callOnly.operations().length, VALID_CALLS.length);
  assert.deepEqual(callOnly.operations(), full.operations());
  const big = Array.from({ length: 40 }, (_, i) => `https://www.example.com/asset-${i}.js`);
  for (const sample of VALID_CALLS) {
    const service = full.serviceOf(sample.action);
    assert.equal(callOnly.serviceOf(sample.action), service);
    const credentials = credentialsFor(service);
    const signing = { time: T0, nonce: NONCE };
    const a = full.prepareCall({ ...sample, credentials, signing });
    const b = callOnly.prepareCall({ ...sample, credentials, signing });
    assert.equal(JSON.stringify(b), JSON.stringify(a), sample.action);
    // the same request signed through each path: wasm SHA-256, then a precomputed digest
    const request = full.buildRequest(sample);
    assert.equal(JSON.stringify(callOnly.buildRequest(sample)), JSON.stringify(request));
    const wasmHashed = callOnly.signRequest({ request, service, credentials, signing: { ...signing } });
    const fullHashed = full.signRequest({ request, service, credentials, signing: { ...signing } });
    assert.equal(JSON.stringify(wasmHashed), JSON.stringify(fullHashed));
    const asyncSigned = await callOnly.signRequestAsync({ request, service, credentials, signing: { ...signing } });
    assert.equal(JSON.stringify(asyncSigned), JSON.stringify(fullHashed));
    assert.equal(callOnly.verifyRequest(a.request, credentials, T0 + 5).keyId, credentials.id);
    assert.deepEqual(full.verifyRequest(b.request, credentials, T0 + 5), callOnly.verifyRequest(b.request, credentials, T0 + 5));
  }
  // a body past the native-hash threshold: node:crypto in both, equal to the wasm hash
  const push = { action: 'PushUrlsCache', params: { Urls: big, Area: 'mainland' } };
  const credentials = credentialsFor('cdn');
  const a = full.prepareCall({ ...push, credentials, signing: { time: T0 } });
  const b = callOnly.prepareCall({ ...push, credentials, signing: { time: T0 } });
  assert.ok(a.request.body.length >= 512);
  assert.equal(JSON.stringify(b), JSON.stringify(a));
});

test('the wasm SHA-256 of both modules (compact and unrolled sha2) equals node:crypto, and hashing a body in wasm signs as a precomputed digest', async () => {
  const { createHash } = await import('node:crypto');
  const encoder = new TextEncoder();
  const sha = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
  const raws = [];
  for (const name of ['edgewarm', 'edgewarm_call']) {
    const glue = await import(join(pkgDir, 'wasm', `${name}.js`));
    glue.initSync({ module: readFileSync(join(pkgDir, 'wasm', `${name}_bg.wasm`)) });
    raws.push([name, glue]);
  }
  // every length across the first blocks (padding in one or two blocks), then long and multi-byte text
  const texts = Array.from({ length: 200 }, (_, n) => 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(6).slice(0, n));
  texts.push('x'.repeat(31_010), 'é€😀/'.repeat(3000), 'a\u0000b');
  for (const [name, raw] of raws) {
    for (const text of texts) assert.equal(raw.sha256Hex(encoder.encode(text)), sha(text), `${name}, ${text.length} chars`);
    // FIPS 180-2 vectors
    assert.equal(raw.sha256Hex(encoder.encode('abc')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.equal(raw.sha256Hex(encoder.encode('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  }
  // a large non-ASCII body, fromBody (hashed in wasm) against node:crypto's digest, both clouds
  const big = Array.from({ length: 300 }, (_, i) => `https://www.example.com/é/${i}/app.js`);
  for (const [service, action] of [['cdn', 'PushUrlsCache'], ['esa', 'PreloadCaches']]) {
    const sample = VALID_CALLS.find((c) => c.action === action);
    assert.equal(full.serviceOf(sample.action), service);
    const request = { ...full.buildRequest(sample), body: JSON.stringify({ Urls: big }) };
    assert.ok(request.body.length >= 512);
    const credentials = credentialsFor(service);
    const signing = { time: T0, nonce: NONCE };
    const precomputed = full.signRequest({ request, service, credentials, signing: { ...signing, payload: { kind: 'precomputed', sha256: sha(request.body) } } });
    for (const m of [full, callOnly]) {
      const fromBody = m.signRequest({ request, service, credentials, signing: { ...signing, payload: { kind: 'fromBody' } } });
      assert.equal(JSON.stringify(fromBody), JSON.stringify(precomputed), service);
      assert.equal(fromBody.request.body, request.body);
    }
  }
});

test('prepareCall builds and signs in one crossing what buildRequest then signRequest give, errors included, and leaves long URL lists to the list path', async () => {
  const { createHash } = await import('node:crypto');
  const { callApi } = await import(join(pkgDir, 'lib', 'call-api.mjs'));
  const nodeSha = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
  const twoSteps = (m, { credentials, signing, ...call }) => {
    const request = m.buildRequest(call);
    const service = m.serviceOf(call.action);
    return { service, ...m.signRequest({ request, service, credentials, signing }) };
  };
  const outcome = (f) => {
    try {
      return JSON.stringify(f());
    } catch (e) {
      return `${e.constructor.name} ${e.code} ${e.field} ${e.message} ${JSON.stringify(e.errors ?? null)}`;
    }
  };
  // each module's exports counted as the API calls them (native hash and pure wasm alike)
  const seen = [];
  const apis = [];
  for (const name of ['edgewarm', 'edgewarm_call']) {
    const glue = await import(join(pkgDir, 'wasm', `${name}.js`));
    glue.initSync({ module: readFileSync(join(pkgDir, 'wasm', `${name}_bg.wasm`)) });
    const counted = Object.fromEntries(Object.entries(glue).map(([k, v]) => [k, typeof v === 'function' && /^[a-z]/.test(k) ? (...a) => (seen.push(k), v(...a)) : v]));
    apis.push([`${name}, native hash`, callApi(counted, nodeSha)], [`${name}, wasm hash`, callApi(counted, null)]);
  }
  const medium = Array.from({ length: 11 }, (_, i) => `https://www.example.com/a/${String(i).padStart(2, '0')}/app-000.js`);
  const long = Array.from({ length: 40 }, (_, i) => `https://www.example.com/asset-${i}.js`);
  const inputs = [];
  for (const sample of VALID_CALLS) {
    const credentials = credentialsFor(full.serviceOf(sample.action));
    inputs.push({ ...sample, credentials, signing: { time: T0, nonce: NONCE } });
    inputs.push({ ...sample, credentials, signing: { time: T0, nonce: NONCE, payload: { kind: 'unsigned' } } });
  }
  const push = (params, extra = {}) => ({ action: 'PushUrlsCache', params: { Area: 'mainland', ...params }, credentials: credentialsFor('cdn'), signing: { time: T0 }, ...extra });
  inputs.push(
    push({ Urls: medium }), // lists short, body past the native-hash threshold
    push({ Urls: medium }, { signing: { time: T0, payload: { kind: 'precomputed', sha256: 'ab'.repeat(32) } } }),
    push({ Urls: ['ftp://x'] }), // invalid params: the build's error
    push({ Urls: ['ftp://x'] }, { credentials: undefined }), // both bad: the build's error first
    push({ Urls: ['https://www.example.com/'] }, { credentials: undefined }),
    push({ Urls: ['https://www.example.com/'] }, { credentials: null }),
    push({ Urls: ['https://www.example.com/'] }, { credentials: { id: 'AKID' } }),
    push({ Urls: ['https://www.example.com/'] }, { signing: { time: 'soon' } }),
    push({ Urls: ['https://www.example.com/'] }, { skipValidation: true, limits: { cdnPushBatch: 1 } }),
    { action: 'NoSuchAction', params: {}, credentials: credentialsFor('cdn'), signing: { time: T0 } },
    { ...push({ Urls: ['https://www.example.com/'] }), action: 'DescribePurgeTasks', service: 'cdn', params: {} },
  );
  for (const [label, api] of apis) {
    for (const input of inputs) {
      seen.length = 0;
      const one = outcome(() => api.prepareCall(input));
      assert.ok(seen.includes('prepareCallJson') && !seen.includes('buildRequestList'), `${label}: one crossing for ${input.action}`);
      assert.equal(one, outcome(() => twoSteps(api, input)), `${label}: ${JSON.stringify(input).slice(0, 160)}`);
    }
    // a long list takes the list path, as before, and signs alike
    seen.length = 0;
    const listed = api.prepareCall(push({ Urls: long }));
    assert.ok(seen.includes('buildRequestList') && !seen.includes('prepareCallJson'), label);
    assert.equal(JSON.stringify(listed), JSON.stringify(twoSteps(api, push({ Urls: long }))));
  }
  // without a nonce given, ESA signs with a fresh one (TC3 signs none)
  const esa = VALID_CALLS.find((c) => c.action === 'PreloadCaches');
  const signed = callOnly.prepareCall({ ...esa, credentials: credentialsFor('esa'), signing: { time: T0 } });
  const nonce = signed.request.headers.find(([n]) => n === 'x-acs-signature-nonce')[1];
  assert.match(nonce, /^[0-9a-f]{32}$/);
  assert.equal(callOnly.verifyRequest(signed.request, credentialsFor('esa'), T0 + 5).keyId, credentialsFor('esa').id);
});

test('signIntent builds, validates, routes and signs a /sign intent in one crossing, refusing a foreign host before signing', () => {
  for (const m of [full, callOnly]) {
    const policy = new m.ProxyPolicy();
    for (const sample of VALID_CALLS) {
      const service = m.serviceOf(sample.action);
      const credentials = credentialsFor(service);
      const signing = { time: T0, nonce: NONCE };
      const limits = m.signLimits(null);
      const got = m.signIntent(policy, { action: sample.action, params: sample.params, endpoint: sample.endpoint, limits, credentials, signing });
      const want = m.prepareCall({ action: sample.action, params: sample.params, endpoint: sample.endpoint, limits, credentials, signing });
      assert.equal(JSON.stringify(got), JSON.stringify(want), sample.action);
    }
    const push = { action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/a.js'] }, limits: m.signLimits(null), signing: { time: T0 } };
    // valid but no keys: undefined (the worker answers 501); invalid: the validation error first
    assert.equal(m.signIntent(policy, push), undefined);
    assert.throws(() => m.signIntent(policy, { ...push, params: { Urls: ['ftp://x'] } }), m.ValidationError);
    assert.throws(() => m.signIntent(policy, { ...push, limits: m.signLimits({ cdnPushBatch: 1 }), params: { Urls: ['https://a.example/1', 'https://a.example/2'] }, credentials: credentialsFor('cdn') }), m.ValidationError);
    // a host the policy does not allow is refused as `route` refuses it, keys or not
    const foreign = { ...push, endpoint: { host: 'evil.example.com' }, credentials: credentialsFor('cdn') };
    let routed;
    try {
      policy.route('/api/evil.example.com/');
    } catch (e) {
      routed = e;
    }
    assert.ok(routed instanceof m.ProxyRefusal);
    assert.throws(() => m.signIntent(policy, foreign), (e) => e instanceof m.ProxyRefusal && e.code === routed.code && e.httpStatus === routed.httpStatus);
    // ESA gets a fresh nonce when none is given
    const esa = VALID_CALLS.find((c) => c.action === 'PreloadCaches');
    const signed = m.signIntent(policy, { action: esa.action, params: esa.params, limits: m.signLimits(null), credentials: credentialsFor('esa'), signing: { time: T0 } });
    assert.match(signed.request.headers.find(([n]) => n === 'x-acs-signature-nonce')[1], /^[0-9a-f]{32}$/);
    assert.equal(m.verifyRequest(signed.request, credentialsFor('esa'), T0 + 5).keyId, credentialsFor('esa').id);
  }
});

test('responses, errors, the proxy policy and rebuilds answer alike in both modules', () => {
  const ok = '{"Response":{"TaskId":"t-1","RequestId":"r-1"}}';
  assert.deepEqual(callOnly.parseResponse('PushUrlsCache', 200, ok), full.parseResponse('PushUrlsCache', 200, ok));
  const bad = '{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure","Message":"x"},"RequestId":"r-2"}}';
  const errorOf = (m) => { try { m.parseResponse('PushUrlsCache', 200, bad); } catch (e) { return { name: e.name, code: e.code, class: e.class, retryable: e.retryable, hint: e.hint }; } return undefined; };
  assert.ok(errorOf(callOnly));
  assert.deepEqual(errorOf(callOnly), errorOf(full));
  assert.deepEqual(callOnly.corsPolicy(), full.corsPolicy());
  assert.deepEqual(callOnly.defaultSignActions(), full.defaultSignActions());
  const request = full.buildRequest(VALID_CALLS[0]);
  assert.equal(JSON.stringify(callOnly.rebuildRequest({ request })), JSON.stringify(full.rebuildRequest({ request })));
  assert.deepEqual(callOnly.prepareUrl('https://www.example.com/a.js?v=1', 'cdn'), full.prepareUrl('https://www.example.com/a.js?v=1', 'cdn'));
  assert.throws(() => callOnly.checkBearer('Bearer nope', 'token-0123456789'), (e) => e instanceof full.ProxyRefusal && e.httpStatus === 401);
  const policy = new callOnly.ProxyPolicy();
  assert.equal(policy.route('/api/cdn.tencentcloudapi.com/').host, 'cdn.tencentcloudapi.com');
  assert.throws(() => policy.route('/api/evil.example.com/'), full.ProxyRefusal);
});

test('URLs: both modules parse with the runtime\'s WHATWG URL and answer as the Rust parser does (tests/url_answers.json)', () => {
  const cases = URL_CASES.flatMap((url) => URL_SERVICES.map((service) => ({ url, service })));
  assert.deepEqual(URL_ANSWERS.map(({ url, service }) => ({ url, service })), cases, 'the recorded cases are URL_CASES × URL_SERVICES');
  let parsedByHost = 0;
  for (const { url, service, answer: recorded } of URL_ANSWERS) {
    assert.deepEqual(answer(full, url, service), recorded, `full module: ${url} (${service})`);
    assert.deepEqual(answer(callOnly, url, service), recorded, `call module: ${url} (${service})`);
    if (recorded.host && recorded.host !== 'www.example.com') parsedByHost += 1;
  }
  assert.ok(parsedByHost >= 20, 'non-plain URLs reach the parser');
  // validation of a whole call (ESA counts hosts per call)
  const call = { action: 'PreloadCaches', params: { SiteId: 1, Content: ['https://例子.测试/a', 'https://EXAMPLE.com/b', 'https://example.com:8443/c'] } };
  const out = (m) => {
    try {
      return m.buildRequest(call);
    } catch (e) {
      return { name: e.name, errors: e.errors };
    }
  };
  assert.deepEqual(out(callOnly), out(full));
});

test('importing edgewarm/call loads neither the full module nor its wasm', () => {
  // a fresh Node whose resolve hook records every module URL, then signs one call
  const dir = mkdtempSync(join(tmpdir(), 'edgewarm-call-'));
  const log = join(dir, 'resolved.txt');
  const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}`;
  const script = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));
const ew = await import('edgewarm/call');
const { request } = ew.prepareCall({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/a.js'] }, credentials: { id: 'AKIDX', secret: 's' } });
console.log(request.headers.find(([n]) => n === 'Authorization')[1].slice(0, 15));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: here, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'TC3-HMAC-SHA256');
  const loaded = readFileSync(log, 'utf8').split('\n').filter((u) => u.includes('/edgewarm/'));
  assert.ok(loaded.some((u) => u.endsWith('/lib/ready-call-node.mjs')), loaded.join('\n'));
  assert.ok(loaded.some((u) => u.endsWith('/wasm/edgewarm_call.js')), loaded.join('\n'));
  for (const never of ['/lib/index.mjs', '/lib/ready-node.mjs', '/wasm/edgewarm.js', '/lib/driver.mjs', '/lib/sources.mjs']) {
    assert.ok(!loaded.some((u) => u.endsWith(never)), `${never} was loaded:\n${loaded.join('\n')}`);
  }
});

test('answers parse alike in both modules (the full one reads its output as JSON, the call module value by value)', () => {
  const answers = [
    { Response: { RequestId: 'r' } },
    { Response: { RequestId: 'r', TaskId: null, TotalCount: 3, Tasks: [{ Url: 'u', Status: null, CreateTime: 'x', TaskId: 't' }], Quota: [{ Batch: 1, Total: 2, Available: null, Area: 'mainland' }], Jobs: [{ JobId: 'j', Status: 's', Targets: ['a', null] }], JobIds: ['a', 'b'], FailedList: [{ Target: 'x', Reason: 'y' }] } },
    { Response: { Error: { Code: 'AuthFailure.SignatureFailure', Message: 'm' }, RequestId: 'r' } },
    { Response: { Error: { Code: 'LimitExceeded', Message: null }, RequestId: null } },
    { RequestId: 'r', TaskId: 't', Tasks: [{ TaskId: 'a', Status: null }], TotalCount: 1, Quotas: [{ Type: 'x', Quota: 1, QuotaUsed: null }] },
    { Code: 'InvalidParameter', Message: 'bad', RequestId: 'r', HostId: 'h' },
    { Response: { RequestId: 'r', TotalCount: 1.5e300, Big: 12345678901234567890 } },
  ];
  const run = (api, name, status, text) => {
    try {
      return { ok: api.parseResponse(name, status, text) };
    } catch (e) {
      return { error: [e.name, e.message, JSON.stringify(e)] };
    }
  };
  let withUndefined = 0;
  const holdsUndefined = (v) => v === undefined || (v !== null && typeof v === 'object' && Object.values(v).some(holdsUndefined));
  for (const op of full.operations()) {
    for (const answer of answers) {
      for (const status of [200, 400, 500]) {
        for (const text of [JSON.stringify(answer), 'not json', '']) {
          const got = run(full, op.name, status, text);
          assert.deepStrictEqual(got, run(callOnly, op.name, status, text), `${op.name} ${status} ${text}`);
          if (got.ok && holdsUndefined(got.ok)) withUndefined++;
        }
      }
    }
  }
  assert.ok(withUndefined > 0, 'some outputs hold an undefined member (a null read back)');
});
