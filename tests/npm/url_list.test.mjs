// The fast path of a call's URL list (it crosses into the wasm as one `\n`-joined text and is
// spliced into the body as text) gives what the ordinary path gives: the same body as the
// vendor's JSON, the same validation errors, the same signatures; lists it cannot carry (a URL
// with a newline, a non-string, a lone surrogate) take the ordinary path with its answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as full from 'edgewarm';
import * as callOnly from 'edgewarm/call';

const T0 = 1_795_500_000;
const CREDS = { id: 'AKIDLISTTEST000000000000000000000000', secret: 'list-test-secret' };
const ODD = ['https://a.com/"quoted"', 'https://a.com/back\\slash', 'https://例子.测试/路径?q=é', 'https://a.com/😀', 'https://a.com/tab\there', 'https://a.com/\u0001ctl', ''];
const URLS = Array.from({ length: 40 }, (_, i) => `https://www.example.com/static/chunk-${i}.js`);

// each action's params in the vendor model's field order: JSON.stringify escapes as serde_json does
const CASES = [
  { action: 'PushUrlsCache', params: (list) => ({ Urls: list, UserAgent: 'ua "x"', Area: 'overseas', Headers: [{ Name: 'X-A', Value: 'v' }] }) },
  { action: 'PurgeUrlsCache', params: (list) => ({ Urls: list, Area: 'mainland', UrlEncode: true }) },
  { action: 'CreatePrefetchTask', params: (list) => ({ ZoneId: 'zone-2o0l8ixxxxxx', Targets: list, Mode: 'default' }) },
  { action: 'CreatePurgeTask', params: (list) => ({ ZoneId: 'zone-2o0l8ixxxxxx', Type: 'purge_url', Targets: list }) },
];

for (const [name, ew] of [['full module', full], ['call module', callOnly]]) {
  test(`${name}: a list's body is the vendor JSON, odd strings included`, () => {
    for (const { action, params } of CASES) {
      for (const list of [URLS, ODD, [...URLS, ...ODD, ...URLS], ['https://a.com/one']]) {
        const request = ew.buildRequest({ action, params: params(list), skipValidation: true });
        assert.equal(request.body, JSON.stringify(params(list)), `${action} ${list.length}`);
      }
    }
  });

  test(`${name}: lists the fast path cannot carry take the ordinary path`, () => {
    const newline = ['https://a.com/a', 'https://a.com/b\nc', 'https://a.com/d'];
    const built = ew.buildRequest({ action: 'PushUrlsCache', params: { Urls: newline }, skipValidation: true });
    assert.equal(built.body, JSON.stringify({ Urls: newline }));
    assert.throws(() => ew.buildRequest({ action: 'PushUrlsCache', params: { Urls: newline } }), (e) => e instanceof full.ValidationError && e.errors[0].field === 'Urls[1]');
    assert.throws(() => ew.buildRequest({ action: 'PushUrlsCache', params: { Urls: ['https://a.com/', 3] } }), (e) => e.code === 'edgewarm.Params');
    assert.throws(() => ew.buildRequest({ action: 'PushUrlsCache', params: { Urls: ['https://a.com/\ud800'] }, skipValidation: true }), (e) => e instanceof full.EdgewarmError);
    assert.throws(() => ew.buildRequest({ action: 'PushUrlsCache', params: { Urls: [] } }), (e) => e.errors[0].rule === 'non-empty');
  });

  test(`${name}: validation errors name the same fields as validate()`, () => {
    const list = [...URLS.slice(0, 5), 'ftp://a.com/x', 'https://*.a.com/x', URLS[5], 'https://a.com/a b', 'https://a.com:99999/', ''];
    for (const { action, params } of CASES) {
      const call = { action, params: params(list) };
      const viaValidate = (() => {
        try {
          ew.validate(call);
        } catch (e) {
          return e.errors;
        }
        assert.fail(`${action}: validate accepted`);
      })();
      assert.throws(() => ew.buildRequest(call), (e) => {
        assert.deepEqual(e.errors, viaValidate, action);
        return true;
      });
    }
  });

  test(`${name}: a list's request signs alike on every signing path`, async () => {
    for (const { action, params } of CASES) {
      const call = { action, params: params([...URLS, 'https://例子.测试/路径']), skipValidation: true };
      const request = ew.buildRequest(call);
      const service = ew.serviceOf(action);
      const sign = (payload) => ew.signRequest({ request, service, credentials: CREDS, signing: { time: T0, payload } });
      const native = sign(undefined);
      const wasm = sign({ kind: 'fromBody' });
      assert.equal(wasm.explain.signature, native.explain.signature, action);
      assert.equal(wasm.request.body, request.body);
      const async = await ew.signRequestAsync({ request, service, credentials: CREDS, signing: { time: T0 } });
      assert.equal(async.explain.signature, native.explain.signature, action);
      const rebuilt = ew.buildRequest({ ...call, params: JSON.parse(request.body) });
      assert.equal(rebuilt.body, request.body);
    }
  });
}

// A body built from a list stays in the module until the next list build and is hashed there
// (natively in place, or in wasm): only for the request that holds it, with that very body.
for (const [name, ew] of [['full module', full], ['call module', callOnly]]) {
  test(`${name}: a kept body signs as its text does, and only for its own request`, () => {
    const sign = (request, signing) => ew.signRequest({ request, service: 'cdn', credentials: CREDS, signing: { time: T0, ...signing } }).explain.signature;
    // the reference: a copy of the request, which the module keeps nothing for (hashed from text)
    const reference = (request, signing) => sign({ ...request, headers: request.headers.map((h) => [...h]) }, signing);
    const build = (list) => ew.buildRequest({ action: 'PushUrlsCache', params: { Urls: list } });
    const lists = [URLS, URLS.map((u) => `${u}?v=2`), URLS.map((u) => u.replace('www', 'cdn'))];
    for (const signing of [{}, { payload: { kind: 'fromBody' } }]) {
      const [a, b] = [build(lists[0]), build(lists[1])];
      // a was built before b: its body is no longer kept, and each still signs its own body
      assert.equal(sign(a, signing), reference(a, signing));
      assert.equal(sign(b, signing), reference(b, signing));
      assert.notEqual(sign(a, signing), sign(b, signing));
      // the last one, signed twice, and after its body was replaced by another list's
      const c = build(lists[2]);
      assert.equal(sign(c, signing), reference(c, signing));
      assert.equal(sign(c, signing), reference(c, signing));
      c.body = a.body;
      assert.equal(sign(c, signing), reference(c, signing));
      assert.equal(sign(c, signing), sign({ ...c }, signing));
      // a failed list build in between leaves nothing stale
      const d = build(lists[1]);
      assert.throws(() => build(['ftp://a.com/x']));
      assert.equal(sign(d, signing), reference(d, signing));
      // an ordinary (non-list) build in between
      const e = build(lists[0]);
      ew.buildRequest({ action: 'DescribePushQuota', params: {} });
      assert.equal(sign(e, signing), reference(e, signing));
    }
  });
}
