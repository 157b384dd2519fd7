// Build + sign a 500-URL PushUrlsCache, same process, three ways:
//   sdk     tencentcloud-sdk-nodejs-cdn's own path (client.PushUrlsCache) with its transport
//           stubbed: it builds, signs (node:crypto) and parses a canned answer
//   native  edgewarm with the body hashed by node:crypto and the digest passed to the core
//   wasm    edgewarm hashing in wasm (the path of runtimes with no synchronous native hash)
//   call    the node:crypto path through the small call module (`edgewarm/call`, size-tuned wasm)
// Each also parses the same canned answer; edgewarm also validates every URL (the SDK does not),
// and another line shows the node:crypto path with validation skipped (the same work as the
// SDK). Prints the median µs per request of each (median of rounds, rounds interleaved: each
// round times every contender once, so a burst of load on a shared machine falls on all of
// them) and the ratios, each the median of the per-round ratios to the SDK's time of the same
// round; `--json` prints them as JSON. The defaults (41 rounds of 400 after a warm-up) keep
// the ratio steady on a busy 2-core machine in about 10 s.
//   node sign_bench.mjs [--rounds 41] [--iterations 400]
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import * as ew from 'edgewarm';
import * as ewCall from 'edgewarm/call';

const require = createRequire(import.meta.url);
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '41' }, iterations: { type: 'string', default: '400' }, json: { type: 'boolean', default: false } } });
const ROUNDS = Number(values.rounds);
const N = Number(values.iterations);

const URLS = Array.from({ length: 500 }, (_, i) => `https://www.example.com/static/build/assets/chunk-${i.toString(16).padStart(6, '0')}.js`);
const ANSWER = JSON.stringify({ Response: { TaskId: '15475444535871929928456', RequestId: 'b6d1f0a2-0d65-4cde-9f54-3d1a1b9b1e8d' } });
const CREDS = { id: 'AKIDSANDBOX0000000000000000000000000', secret: 'sandbox-tencent-secret' };

// the official SDK, its fetch replaced by a canned answer (no socket)
const fetchModule = require('tencentcloud-sdk-nodejs-common/tencentcloud/common/http/fetch.js');
let sdkBody = 0;
fetchModule.default = async (url, options) => {
  sdkBody += String(options.body ?? '').length;
  return new Response(ANSWER, { status: 200, headers: { 'content-type': 'application/json' } });
};
const { cdn } = require('tencentcloud-sdk-nodejs-cdn');
const client = new cdn.v20180606.Client({ credential: { secretId: CREDS.id, secretKey: CREDS.secret }, region: '', profile: { httpProfile: { endpoint: 'cdn.tencentcloudapi.com' } } });

async function sdkOnce() {
  const out = await client.PushUrlsCache({ Urls: URLS });
  if (!out.TaskId) throw new Error('sdk: no TaskId');
}

function edgewarmOnce(payloadKind, skipValidation = false, api = ew) {
  const request = api.buildRequest({ action: 'PushUrlsCache', params: { Urls: URLS }, skipValidation });
  const signing = payloadKind === 'wasm' ? { payload: { kind: 'fromBody' } } : undefined;
  const signed = api.signRequest({ request, service: 'cdn', credentials: CREDS, signing });
  if (!signed.explain.signature) throw new Error('no signature');
  const out = api.parseResponse('PushUrlsCache', 200, ANSWER);
  if (!out.output.TaskId) throw new Error('edgewarm: no TaskId');
}

async function round(fn) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / 1000 / N; // µs per request
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const runs = { sdk: [], native: [], unvalidated: [], wasm: [], call: [] };
// warm-up: three rounds' worth each (the SDK's promise-heavy path is the slowest to settle)
for (let w = 0; w < 3; w++) await round(sdkOnce);
await round(() => edgewarmOnce('native'));
await round(() => edgewarmOnce('native', true));
await round(() => edgewarmOnce('wasm'));
await round(() => edgewarmOnce('native', false, ewCall));
for (let r = 0; r < ROUNDS; r++) {
  runs.sdk.push(await round(sdkOnce));
  runs.native.push(await round(() => edgewarmOnce('native')));
  runs.unvalidated.push(await round(() => edgewarmOnce('native', true)));
  runs.wasm.push(await round(() => edgewarmOnce('wasm')));
  runs.call.push(await round(() => edgewarmOnce('native', false, ewCall)));
}
const m = { sdk: median(runs.sdk), native: median(runs.native), unvalidated: median(runs.unvalidated), wasm: median(runs.wasm), call: median(runs.call) };
/** The median over rounds of the SDK's time over `kind`'s in the same round. */
const ratio = (kind) => median(runs[kind].map((t, r) => runs.sdk[r] / t));
const body = ew.buildRequest({ action: 'PushUrlsCache', params: { Urls: URLS } }).body.length;
const result = {
  bodyBytes: body,
  rounds: ROUNDS,
  iterations: N,
  medianMicros: m,
  speedupNativeVsSdk: ratio('native'),
  speedupUnvalidatedVsSdk: ratio('unvalidated'),
  speedupWasmVsSdk: ratio('wasm'),
  speedupCallVsSdk: ratio('call'),
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`500-URL PushUrlsCache (${body} B body), build + sign + parse, median of ${ROUNDS} interleaved rounds × ${N}:`);
  console.log(`  official SDK (transport stubbed)   ${m.sdk.toFixed(1)} µs`);
  console.log(`  edgewarm, node:crypto body hash    ${m.native.toFixed(1)} µs   ${result.speedupNativeVsSdk.toFixed(2)}× the SDK`);
  console.log(`  edgewarm, same, validation skipped ${m.unvalidated.toFixed(1)} µs   ${result.speedupUnvalidatedVsSdk.toFixed(2)}× the SDK (it validates nothing)`);
  console.log(`  edgewarm, pure wasm                ${m.wasm.toFixed(1)} µs   ${result.speedupWasmVsSdk.toFixed(2)}× the SDK`);
  console.log(`  edgewarm/call, node:crypto hash    ${m.call.toFixed(1)} µs   ${result.speedupCallVsSdk.toFixed(2)}× the SDK (size-tuned call module)`);
  console.log('  (ratios: median over rounds of the SDK\'s time over each one\'s in the same round)');
}
