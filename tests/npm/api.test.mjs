// The JS API of the packed tarball: every operation builds, signs and verifies; errors are
// typed; responses parse; sources read; the job engine journals and resumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import * as ew from 'edgewarm';
import { ALIBABA, TENCENT, VALID_CALLS, credentialsFor } from './helpers.mjs';

const T0 = 1_795_500_000;

test('every operation of the core is exposed, and each builds, signs and verifies', () => {
  const ops = ew.operations();
  assert.equal(ops.length, VALID_CALLS.length);
  assert.equal(new Set(ops.map((o) => o.name)).size, ops.length, 'operation names are unique');
  for (const { action, service, name } of ops) {
    const call = VALID_CALLS.find((c) => c.action === name);
    assert.ok(call, `a valid sample call for ${name}`);
    assert.equal(ew.serviceOf(name), service);
    if (name === action) assert.equal(ew.serviceOf(action), service);
    const creds = credentialsFor(service);
    const signed = ew.prepareCall({ ...call, credentials: creds, signing: { time: T0, nonce: 'a'.repeat(32) } });
    assert.equal(signed.service, service);
    const auth = signed.request.headers.find(([n]) => n.toLowerCase() === 'authorization')[1];
    assert.match(auth, service === 'esa' ? /^ACS3-HMAC-SHA256 Credential=LTAISANDBOX/ : /^TC3-HMAC-SHA256 Credential=AKIDSANDBOX/);
    assert.ok(auth.includes(signed.explain.signature));
    assert.ok(signed.explain.canonicalRequest.length > 0 && signed.explain.stringToSign.length > 0);
    const verified = ew.verifyRequest(signed.request, creds, T0 + 10);
    assert.equal(verified.keyId, creds.id);
    assert.equal(verified.time, T0);
    // the secret is nowhere in what comes back
    assert.ok(!JSON.stringify(signed).includes(creds.secret));
  }
});

test('endpoints: China and intl Tencent sites, ESA regions, region and language headers', () => {
  assert.equal(ew.endpoint('teo').host, 'teo.tencentcloudapi.com');
  assert.equal(ew.endpoint('cdn', { site: 'intl' }).host, 'cdn.intl.tencentcloudapi.com');
  assert.equal(ew.endpoint('esa', { region: 'ap-southeast-1' }).host, 'esa.ap-southeast-1.aliyuncs.com');
  const e = ew.endpoint('teo', { region: 'ap-guangzhou', language: 'en-US' });
  const r = ew.prepareCall({ ...VALID_CALLS[0], endpoint: e, credentials: TENCENT });
  const names = new Map(r.request.headers.map(([n, v]) => [n, v]));
  assert.equal(names.get('X-TC-Region'), 'ap-guangzhou');
  assert.equal(names.get('X-TC-Language'), 'en-US');
  assert.throws(() => ew.endpoint('esa', { region: 'Not A Region' }), (e) => e instanceof ew.EdgewarmError && e.field === 'region');
});

test('time and nonce default to the clock and crypto.getRandomValues', () => {
  const request = ew.buildRequest(VALID_CALLS.find((c) => c.action === 'PreloadCaches'));
  const before = Math.floor(Date.now() / 1000);
  const a = ew.signRequest({ request, service: 'esa', credentials: ALIBABA });
  const b = ew.signRequest({ request, service: 'esa', credentials: ALIBABA });
  const nonce = (s) => s.request.headers.find(([n]) => n === 'x-acs-signature-nonce')[1];
  assert.match(nonce(a), /^[0-9a-f]{32}$/);
  assert.notEqual(nonce(a), nonce(b));
  const v = ew.verifyRequest(a.request, ALIBABA, Math.floor(Date.now() / 1000));
  assert.ok(v.time >= before && v.time <= before + 2);
});

test('a precomputed payload hash (native SHA-256) signs exactly like hashing in wasm', () => {
  const urls = Array.from({ length: 500 }, (_, i) => `https://www.example.com/assets/${i}/app.${i}.js`);
  const request = ew.buildRequest({ action: 'PushUrlsCache', params: { Urls: urls } });
  const signing = { time: T0, nonce: '' };
  const inWasm = ew.signRequest({ request, service: 'cdn', credentials: TENCENT, signing: { ...signing, payload: { kind: 'fromBody' } } });
  const sha256 = createHash('sha256').update(request.body).digest('hex');
  const native = ew.signRequest({ request, service: 'cdn', credentials: TENCENT, signing: { ...signing, payload: { kind: 'precomputed', sha256 } } });
  const byDefault = ew.signRequest({ request, service: 'cdn', credentials: TENCENT, signing });
  assert.equal(native.explain.signature, inWasm.explain.signature);
  assert.equal(byDefault.explain.signature, inWasm.explain.signature);
  assert.throws(
    () => ew.signRequest({ request, service: 'cdn', credentials: TENCENT, signing: { ...signing, payload: { kind: 'precomputed', sha256: 'zz' } } }),
    (e) => e instanceof ew.EdgewarmError && e.code === 'edgewarm.Signing',
  );
});

test('bad input throws a typed error naming the field and the rule', () => {
  const cases = [
    [{ action: 'PushUrlsCache', params: { Urls: ['ftp://www.example.com/a'] } }, 'Urls[0]', 'url-scheme'],
    [{ action: 'PushUrlsCache', params: { Urls: ['https://*.example.com/a'] } }, 'Urls[0]', 'wildcard'],
    [{ action: 'PushUrlsCache', params: { Urls: [] } }, 'Urls', 'non-empty'],
    [{ action: 'CreatePrefetchTask', params: { Targets: ['https://www.example.com/'] } }, 'ZoneId', 'required'],
    [{ action: 'DescribePushTasks', params: { Limit: 0 } }, 'Limit', 'range'],
    [{ action: 'ListScheduledPreloadJobs', params: { SiteId: 1, PageSize: 0 } }, 'PageSize', 'range'],
    [{ action: 'PurgePathCache', params: { Paths: ['https://www.example.com/a/'] } }, 'FlushType', 'required'],
    [{ action: 'CreateScheduledPreloadJob', params: { SiteId: 1, Name: 'n', InsertWay: 'oss' } }, 'OssUrl', 'combination'],
    [{ action: 'DescribePrefetchTasks', params: { ZoneId: 'z', StartTime: '2026-11-01T00:00:00+08:00', EndTime: '2026-11-20T00:00:00+08:00' } }, 'EndTime', 'time-window'],
  ];
  for (const [call, field, rule] of cases) {
    assert.throws(
      () => ew.buildRequest(call),
      (e) => {
        assert.ok(e instanceof ew.ValidationError, `${call.action}: ${e}`);
        assert.ok(e instanceof ew.EdgewarmError && e instanceof Error);
        assert.equal(e.class, 'invalid');
        assert.equal(e.retryable, false);
        assert.ok(e.errors.some((p) => p.field === field && p.rule === rule), `${call.action}: ${JSON.stringify(e.errors)}`);
        return true;
      },
    );
  }
  // caps are overridable because plans differ
  const many = Array.from({ length: 600 }, (_, i) => `https://www.example.com/${i}`);
  assert.throws(() => ew.buildRequest({ action: 'PushUrlsCache', params: { Urls: many } }), (e) => e.errors[0].rule === 'max-items');
  assert.ok(ew.buildRequest({ action: 'PushUrlsCache', params: { Urls: many }, limits: { cdnPushBatch: 1000 } }));
});

test('wrong shapes never surface as wasm traps: unknown actions, wrong types, garbage', () => {
  const expect = (fn, code) =>
    assert.throws(fn, (e) => {
      assert.ok(e instanceof ew.EdgewarmError, `${e?.name}: ${e?.message}`);
      if (code) assert.equal(e.code, code);
      assert.doesNotMatch(e.message, /unreachable|RuntimeError/);
      return true;
    });
  expect(() => ew.buildRequest({ action: 'PushUrlCache', params: {} }), 'edgewarm.InvalidArgument');
  expect(() => ew.buildRequest({ action: 'PushUrlsCache', params: { Urls: 'https://x.com/' } }), 'edgewarm.Params');
  expect(() => ew.buildRequest(null), 'edgewarm.InvalidArgument');
  expect(() => ew.signRequest({ request: 5, service: 'cdn', credentials: TENCENT }), 'edgewarm.InvalidArgument');
  expect(() => ew.signRequest({ request: {}, service: 'cdn', credentials: TENCENT }), 'edgewarm.InvalidArgument');
  expect(() => ew.verifyRequest({}, TENCENT, 0), 'edgewarm.InvalidArgument');
  expect(() => new ew.Job({ target: { vendor: 'nope' } }, []), 'edgewarm.InvalidArgument');
  expect(() => ew.Job.resume('{"not": "a journal"}'), 'edgewarm.BadJournal');
  expect(() => ew.parseSitemap(new Uint8Array([1, 2, 3])), 'edgewarm.BadSource');
  expect(() => ew.prepareUrl('not a url', 'cdn'), 'edgewarm.Validation');
  const junk = [undefined, null, 0, -1, 1e300, NaN, '', 'x'.repeat(10000), [], {}, [[1]], { action: 1 }, true];
  for (const a of junk) {
    for (const fn of [ew.buildRequest, ew.validate, (x) => ew.signRequest(x), (x) => ew.verifyRequest(x, x, 0), (x) => ew.parseResponse('PushUrlsCache', 200, String(x))]) {
      try {
        fn(a);
      } catch (e) {
        assert.ok(e instanceof ew.EdgewarmError, `${e?.name}: ${e?.message}`);
      }
    }
  }
  // the module still works after all of that
  assert.equal(ew.operations().length, VALID_CALLS.length);
});

test('responses parse into typed outputs, and error answers into ApiError with class and hint', () => {
  const ok = ew.parseResponse('PushUrlsCache', 200, JSON.stringify({ Response: { TaskId: 't-1', RequestId: 'r' } }));
  assert.equal(ok.action, 'PushUrlsCache');
  assert.equal(ok.output.TaskId, 't-1');
  const esa = ew.parseResponse('PreloadCaches', 200, JSON.stringify({ TaskId: 'e-1', RequestId: 'r' }));
  assert.equal(esa.output.TaskId, 'e-1');
  const cases = [
    ['CreatePrefetchTask', 200, { Response: { Error: { Code: 'AuthFailure.SignatureExpire', Message: 'expired' }, RequestId: 'r1' } }, 'auth', true],
    ['PushUrlsCache', 200, { Response: { Error: { Code: 'RequestLimitExceeded', Message: 'slow down' }, RequestId: 'r2' } }, 'throttled', true],
    ['PushUrlsCache', 200, { Response: { Error: { Code: 'LimitExceeded.CdnHostOpTooOften', Message: 'x' }, RequestId: 'r3' } }, null, null],
    ['PreloadCaches', 429, { Code: 'Throttling.User', Message: 'Request was denied due to user flow control.', RequestId: 'r4' }, 'throttled', true],
    ['PreloadCaches', 403, { Code: 'InvalidAccessKeyId.NotFound', Message: 'x', RequestId: 'r5' }, 'auth', false],
  ];
  for (const [action, status, body, cls, retryable] of cases) {
    assert.throws(
      () => ew.parseResponse(action, status, JSON.stringify(body)),
      (e) => {
        assert.ok(e instanceof ew.ApiError);
        assert.equal(e.code, body.Response?.Error.Code ?? body.Code);
        assert.ok(e.requestId?.startsWith('r'));
        if (cls) assert.equal(e.class, cls);
        if (retryable !== null) assert.equal(e.retryable, retryable);
        return true;
      },
    );
  }
  assert.equal(ew.lookupCode('AuthFailure.SignatureExpire').class, 'auth');
  assert.ok(ew.lookupCode('AuthFailure.SignatureExpire').hint.length > 10);
  assert.equal(ew.lookupCode('No.Such.Code'), undefined);
  assert.throws(() => ew.parseResponse('PushUrlsCache', 502, '<html>bad gateway</html>'), (e) => e instanceof ew.ApiError && e.httpStatus === 502 && e.class === 'server' && e.retryable === true);
  assert.throws(() => ew.parseResponse('PushUrlsCache', 200, '{"Response": 5}'), (e) => e.kind === 'malformed-response');
});

test('verify answers with the vendor codes: tampered, expired, unknown key', () => {
  const signed = ew.prepareCall({ ...VALID_CALLS[0], credentials: TENCENT, signing: { time: T0 } });
  const tampered = { ...signed.request, body: signed.request.body.replace('a.js', 'b.js') };
  assert.throws(() => ew.verifyRequest(tampered, TENCENT, T0), (e) => e instanceof ew.ApiError && e.code === 'AuthFailure.SignatureFailure');
  assert.throws(() => ew.verifyRequest(signed.request, TENCENT, T0 + 3600), (e) => e.code === 'AuthFailure.SignatureExpire');
  assert.throws(() => ew.verifyRequest(signed.request, { id: 'AKIDOTHER', secret: 's' }, T0), (e) => e.class === 'auth');
  const esa = ew.prepareCall({ ...VALID_CALLS.find((c) => c.action === 'PreloadCaches'), credentials: ALIBABA, signing: { time: T0 } });
  assert.throws(() => ew.verifyRequest(esa.request, ALIBABA, T0 + 3600), (e) => e instanceof ew.ApiError && e.class === 'auth');
});

test('curl commands carry no secret; a session token becomes its environment variable', () => {
  const creds = { ...TENCENT, token: 'sts-token-value-123' };
  const signed = ew.prepareCall({ ...VALID_CALLS[0], credentials: creds });
  const curl = ew.toCurl(signed.request, { kind: 'proxy', base: 'http://127.0.0.1:8787' });
  assert.ok(curl.startsWith("curl -sS -X POST 'http://127.0.0.1:8787/api/teo.tencentcloudapi.com/'"));
  assert.ok(!curl.includes(TENCENT.secret));
  assert.ok(!curl.includes('sts-token-value-123'));
  assert.ok(curl.includes('"X-TC-Token: $TENCENTCLOUD_SESSION_TOKEN"'));
});

test('sources: lists with per-line reasons, sitemaps (gzip too), URL previews and dedupe', () => {
  const list = ew.parseList('urls.txt', 'https://www.example.com/a\nftp://nope\n\nhttps://www.example.com/a\n# comment\nhttps://www.example.com/b\n');
  assert.deepEqual(list.urls, ['https://www.example.com/a', 'https://www.example.com/b']);
  assert.equal(list.duplicates, 1);
  assert.equal(list.rejected.length, 1);
  assert.equal(list.rejected[0].line, 2);
  assert.equal(list.rejected[0].rule, 'url-scheme');
  const xml = `\uFEFF<?xml version="1.0"?>\r\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc><![CDATA[https://www.example.com/x]]></loc></url><url><loc>https://www.example.com/y</loc></url></urlset>`;
  for (const bytes of [new TextEncoder().encode(xml), new Uint8Array(gzipSync(xml))]) {
    assert.deepEqual(ew.parseSitemap(bytes).urls, ['https://www.example.com/x', 'https://www.example.com/y']);
  }
  const p = ew.prepareUrl('https://www.example.com/路径 a.js', 'esa');
  assert.equal(p.encoded, 'https://www.example.com/%E8%B7%AF%E5%BE%84%20a.js');
  assert.equal(p.needsEncoding, true);
  assert.deepEqual(ew.dedupe(['a', 'b', 'a']), ['a', 'b']);
  const pl = ew.parsePlaylist('#EXTM3U\n#EXTINF:4,\nseg1.ts\n#EXTINF:4,\n/abs/seg2.ts\n', 'https://www.example.com/v/index.m3u8');
  assert.deepEqual(pl.segments, ['https://www.example.com/v/seg1.ts', 'https://www.example.com/abs/seg2.ts']);
});

test('jobs: plan, dry run, journal round trip, retry failed', () => {
  const spec = { target: { vendor: 'cdn' }, endpoint: ew.endpoint('cdn'), keyId: TENCENT.id, options: { limits: { cdnPushBatch: 100 } } };
  const urls = Array.from({ length: 1050 }, (_, i) => `https://www.example.com/j/${i}`).concat(['not a url']);
  const job = new ew.Job(spec, urls, 42, 1_000);
  assert.ok(job instanceof ew.Job);
  const plan = job.plan();
  assert.deepEqual([plan.urls, plan.invalid, plan.batchCap, plan.batches], [1051, 1, 100, 11]);
  const dry = job.dryRun(Date.now(), TENCENT);
  assert.equal(dry.length, 11);
  for (const r of dry) ew.verifyRequest(r, TENCENT, Math.floor(Date.now() / 1000));
  const resumed = ew.Job.resume(job.journal());
  assert.ok(resumed instanceof ew.Job);
  assert.equal(resumed.journal(), job.journal());
  assert.ok(!job.journal().includes(TENCENT.secret));
  const retry = job.retryFailed(1, 2_000);
  assert.ok(retry instanceof ew.Job);
  assert.equal(retry.progress(2_000).total, 0);
  const invalid = job.urls().filter((u) => u.fate.fate === 'invalid');
  assert.equal(invalid.length, 1);
  assert.equal(invalid[0].url, 'not a url');
});

test('a bad job spec is refused naming the spec and what is wrong, without a JSON position', () => {
  const spec = { target: { vendor: 'cdn' }, endpoint: ew.endpoint('cdn'), keyId: TENCENT.id };
  const refusal = (bad) => {
    try {
      new ew.Job(bad, ['https://www.example.com/'], 1, 0);
    } catch (e) {
      assert.ok(e instanceof ew.EdgewarmError, String(e));
      assert.equal(e.code, 'edgewarm.InvalidArgument');
      assert.doesNotMatch(e.message, /line \d+ column \d+/);
      return e.message;
    }
    assert.fail('accepted');
  };
  assert.match(refusal({ ...spec, target: { vendor: 'akamai' } }), /spec.*unknown variant `akamai`, expected one of `edgeone`, `teo`, `cdn`, `esa`/);
  assert.match(refusal({ ...spec, keyId: undefined }), /spec.*missing field `keyId`/);
  assert.match(refusal({ ...spec, options: { ratePerSec: 'fast' } }), /spec.*invalid type: string "fast", expected f64/);
  assert.match(refusal({ ...spec, target: { vendor: 'esa' } }), /spec.*missing field `siteId`/);
  assert.match(refusal(null), /spec.*invalid type: null/);
  assert.match(refusal(undefined), /spec.*invalid type: null/);
  // the same text the journal's reader gives (one deserialiser of a spec in the wasm)
  assert.ok(new ew.Job(spec, ['https://www.example.com/'], 1, 0) instanceof ew.Job);
});

test('jobs from one text: the same job as from a list, signed batch by batch', () => {
  const spec = { target: { vendor: 'cdn' }, endpoint: ew.endpoint('cdn'), keyId: TENCENT.id, options: { limits: { cdnPushBatch: 100 } } };
  const urls = Array.from({ length: 250 }, (_, i) => `https://www.example.com/t/${i}`).concat(['not a url', 'https://www.example.com/t/3']);
  const fromList = new ew.Job(spec, urls, 42, 1_000);
  const text = `  ${urls.join('\r\n')}\n\n`;
  for (const job of [ew.Job.fromText(spec, text, 42, 1_000), ew.Job.fromText(spec, new TextEncoder().encode(text), 42, 1_000)]) {
    assert.ok(job instanceof ew.Job);
    assert.equal(job.journal(), fromList.journal());
    const dry = fromList.dryRun(5_000, TENCENT);
    const one = Array.from({ length: job.plan().batches }, (_, i) => job.dryRunBatch(i, 5_000, TENCENT));
    assert.deepEqual(one, dry);
    assert.equal(job.dryRunBatch(99, 5_000, TENCENT), undefined);
  }
  assert.deepEqual(fromList.plan().urls, 251);
  assert.throws(() => ew.Job.fromText(spec, new Uint8Array([0x68, 0xff, 0x0a]), 1, 0), (e) => e instanceof ew.ValidationError && /text/.test(e.message) && /UTF-8/.test(e.message));
});

test('an optional field given as undefined is absent, at any depth and in every input', () => {
  const urls = ['https://www.example.com/u/1', 'https://www.example.com/u/2'];
  const plain = new ew.Job({ target: { vendor: 'cdn' }, endpoint: ew.endpoint('cdn'), keyId: TENCENT.id }, urls, 1, 0);
  const spec = {
    target: { vendor: 'cdn', area: undefined, headers: undefined },
    endpoint: ew.endpoint('cdn'),
    keyId: TENCENT.id,
    options: { limits: undefined, ratePerSec: undefined },
  };
  const job = new ew.Job(spec, urls, 1, 0);
  assert.deepEqual(job.plan(), plain.plan(), 'undefined reads as absent: the defaults hold');
  const nested = new ew.Job({ ...spec, options: { limits: { cdnPushBatch: 1, cdnMaxHeaders: undefined } } }, urls, 1, 0);
  assert.equal(nested.plan().batches, 2, 'a nested undefined is dropped, its siblings kept');
  // the other object inputs read the same way
  assert.equal(ew.endpoint('teo', { site: undefined, region: undefined, language: undefined }).host, 'teo.tencentcloudapi.com');
  assert.equal(ew.validate({ action: 'PushUrlsCache', params: { Urls: urls, Area: undefined }, endpoint: undefined, limits: undefined }), 'cdn');
  const signed = ew.prepareCall({ action: 'PushUrlsCache', params: { Urls: urls }, endpoint: undefined, limits: undefined, credentials: { ...TENCENT, token: undefined }, signing: { time: T0, nonce: undefined } });
  assert.equal(ew.verifyRequest(signed.request, { ...TENCENT, token: undefined }, T0 + 1).keyId, TENCENT.id);
  assert.equal(ew.signLimits({ cdnPushBatch: undefined }).cdnPushBatch, ew.signLimits().cdnPushBatch);
  // a required field given as undefined is still missing, and named
  assert.throws(() => new ew.Job({ ...spec, target: undefined }, urls, 1, 0), (e) => e instanceof ew.EdgewarmError && e.code === 'edgewarm.InvalidArgument' && /target/.test(e.message));
});

test('the core summarises a run and reads a quota answer for the job target', () => {
  const spec = { target: { vendor: 'cdn', area: 'global' }, endpoint: ew.endpoint('cdn'), keyId: TENCENT.id };
  const job = new ew.Job(spec, ['https://www.example.com/s/1', 'not a url'], 1, 0);
  const s = job.failureSummary();
  assert.deepEqual(s.counts, { pending: 1, submitted: 0, succeeded: 0, failed: 0, deferred: 0, invalid: 1 });
  assert.deepEqual([s.failed, s.throttled, s.allSucceeded], [[], 0, false]);
  const answer = ew.parseResponse('DescribePushQuota', 200, JSON.stringify({ Response: { UrlPush: [
    { Area: 'mainland', Batch: 500, Total: 10000, Available: 9000 },
    { Area: 'overseas', Batch: 200, Total: 1000, Available: 40 },
  ], RequestId: 'r' } }));
  assert.deepEqual(job.prefetchQuota(answer), { batch: 200, remaining: 40 }, 'global: the least over both areas');
  assert.equal(job.prefetchQuota(ew.parseResponse('DescribePushTasks', 200, '{"Response":{"PushLogs":[],"TotalCount":0,"RequestId":"r"}}')), undefined);
  // EdgeOne's answer on an EdgeOne job; a malformed answer named as such
  const teo = new ew.Job({ target: { vendor: 'edgeone', zoneId: 'zone-1' }, endpoint: ew.endpoint('teo'), keyId: TENCENT.id }, ['https://www.example.com/'], 1, 0);
  const quota = ew.parseResponse('DescribeContentQuota', 200, JSON.stringify({ Response: {
    PurgeQuota: [{ Type: 'purge_url', Batch: 1000, DailyAvailable: 9, Daily: 10 }],
    PrefetchQuota: [{ Type: 'prefetch_url', Batch: 100, DailyAvailable: 7, Daily: 10 }],
    RequestId: 'r',
  } }));
  assert.deepEqual(teo.prefetchQuota(quota), { batch: 100, remaining: 7 });
  assert.throws(() => teo.prefetchQuota({}), (e) => e instanceof ew.EdgewarmError && e.code === 'edgewarm.InvalidArgument' && /answer.*action/.test(e.message));
  assert.throws(() => teo.prefetchQuota(null), (e) => e instanceof ew.EdgewarmError && /answer/.test(e.message));
  assert.throws(() => teo.prefetchQuota({ action: 'DescribeContentQuota', output: { PrefetchQuota: 'many' } }), (e) => e instanceof ew.EdgewarmError && /answer: invalid type: string "many", expected a sequence/.test(e.message));
});
