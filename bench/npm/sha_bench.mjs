// SHA-256 of the 500-URL PushUrlsCache body (31 010 B), the hash of the pure-wasm signing path
// (`signing: {payload: {kind: 'fromBody'}}`, runtimes with no synchronous native hash), timed in
// both wasm modules the package ships, against node:crypto in the same process:
//   full    wasm/edgewarm_bg.wasm       (the root export; profile wasm-pkg, opt-level 2)
//   call    wasm/edgewarm_call_bg.wasm  (`edgewarm/call`; profile wasm-call, opt-level "z", its
//           sha2 at opt-level 3 with the compact backend: feature `compact-sha`)
//   node    node:crypto createHash('sha256') over the same bytes
// Each wasm is timed through its `sha256Hex` export as the JS layer calls it for a fromBody
// signature (the body string encoded to UTF-8 by TextEncoder, copied into the module, hashed,
// hex out; node:crypto is timed over the same string), and also as the whole pure-wasm `signRequest` of the
// body against the same call with a precomputed hash (the difference is what hashing in wasm
// costs a signature, body crossing included). Rounds are interleaved; prints the median and the
// minimum of the rounds (the minimum is the least disturbed by other processes on a busy machine)
// in µs and MB/s, and the ratios to node:crypto. Run after `sh bench/npm/install.sh`.
//   node sha_bench.mjs [--rounds 21] [--iterations 200] [--json]
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as full from 'edgewarm';
import * as call from 'edgewarm/call';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '21' }, iterations: { type: 'string', default: '200' }, json: { type: 'boolean', default: false } } });
const ROUNDS = Number(values.rounds);
const N = Number(values.iterations);

// the raw wasm-bindgen modules, loaded as the package's Node entries load them
const pkgDir = dirname(createRequire(import.meta.url).resolve('edgewarm/package.json'));
async function rawModule(name) {
  const glue = await import(join(pkgDir, 'wasm', `${name}.js`));
  glue.initSync({ module: readFileSync(join(pkgDir, 'wasm', `${name}_bg.wasm`)) });
  if (typeof glue.sha256Hex !== 'function') throw new Error(`${name}: no sha256Hex export (an older package?)`);
  return glue;
}
const rawFull = await rawModule('edgewarm');
const rawCall = await rawModule('edgewarm_call');

const URLS = Array.from({ length: 500 }, (_, i) => `https://www.example.com/static/build/assets/chunk-${i.toString(16).padStart(6, '0')}.js`);
const CREDS = { id: 'AKIDSANDBOX0000000000000000000000000', secret: 'sandbox-tencent-secret' };
const request = full.buildRequest({ action: 'PushUrlsCache', params: { Urls: URLS } });
const encoder = new TextEncoder();
const bytes = encoder.encode(request.body);
const expected = createHash('sha256').update(bytes).digest('hex');
for (const [name, raw] of [['full', rawFull], ['call', rawCall]]) {
  const got = raw.sha256Hex(bytes);
  if (got !== expected) throw new Error(`${name}: sha256Hex ${got} != node:crypto ${expected}`);
}

const signing = (payload) => ({ time: 1700000000, nonce: '', payload });
function signOnce(api, payload) {
  const signed = api.signRequest({ request, service: 'cdn', credentials: CREDS, signing: signing(payload) });
  if (!signed.explain.signature) throw new Error('no signature');
}
const precomputed = { kind: 'precomputed', sha256: expected };
const fromBody = { kind: 'fromBody' };
// both paths sign the same thing
if (full.signRequest({ request, service: 'cdn', credentials: CREDS, signing: signing(fromBody) }).explain.signature !== full.signRequest({ request, service: 'cdn', credentials: CREDS, signing: signing(precomputed) }).explain.signature) {
  throw new Error('fromBody and precomputed signatures differ');
}

const cases = {
  node: () => createHash('sha256').update(request.body, 'utf8').digest('hex'),
  full: () => rawFull.sha256Hex(encoder.encode(request.body)),
  call: () => rawCall.sha256Hex(encoder.encode(request.body)),
  fullSignFromBody: () => signOnce(full, fromBody),
  fullSignPrecomputed: () => signOnce(full, precomputed),
  callSignFromBody: () => signOnce(call, fromBody),
  callSignPrecomputed: () => signOnce(call, precomputed),
};

function round(fn) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1000 / N; // µs per call
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const runs = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (const fn of Object.values(cases)) round(fn); // warm-up (tier-up to the optimising compiler)
for (let r = 0; r < ROUNDS; r++) for (const [k, fn] of Object.entries(cases)) runs[k].push(round(fn));

const stat = (k) => ({ medianMicros: median(runs[k]), minMicros: Math.min(...runs[k]) });
const mbs = (us) => bytes.length / us; // bytes per µs = MB/s
const result = { bodyBytes: bytes.length, rounds: ROUNDS, iterations: N };
for (const k of Object.keys(cases)) result[k] = stat(k);
for (const k of ['node', 'full', 'call']) {
  result[k].medianMBps = mbs(result[k].medianMicros);
  result[k].minMBps = mbs(result[k].minMicros);
}
result.hashInSign = {
  full: { medianMicros: result.fullSignFromBody.medianMicros - result.fullSignPrecomputed.medianMicros, minMicros: result.fullSignFromBody.minMicros - result.fullSignPrecomputed.minMicros },
  call: { medianMicros: result.callSignFromBody.medianMicros - result.callSignPrecomputed.medianMicros, minMicros: result.callSignFromBody.minMicros - result.callSignPrecomputed.minMicros },
};

if (values.json) console.log(JSON.stringify(result));
else {
  const f = (x) => x.toFixed(1).padStart(7);
  console.log(`SHA-256 of the 500-URL PushUrlsCache body (${bytes.length} B), ${ROUNDS} rounds × ${N}, median / min of rounds:`);
  for (const [k, label] of [['node', 'node:crypto'], ['full', 'wasm full (opt 3)'], ['call', 'wasm call (compact)']]) {
    const r = result[k];
    const ratio = k === 'node' ? '' : `   ${(r.medianMicros / result.node.medianMicros).toFixed(2)}× / ${(r.minMicros / result.node.minMicros).toFixed(2)}× node's time`;
    console.log(`  ${label.padEnd(20)} ${f(r.medianMicros)} / ${f(r.minMicros)} µs   ${f(r.medianMBps)} / ${f(r.minMBps)} MB/s${ratio}`);
  }
  console.log('signRequest of that body, fromBody (hashed in wasm) vs precomputed hash, median / min µs:');
  for (const k of ['full', 'call']) {
    const from = result[`${k}SignFromBody`];
    const pre = result[`${k}SignPrecomputed`];
    console.log(`  ${k.padEnd(5)} fromBody ${f(from.medianMicros)} / ${f(from.minMicros)}   precomputed ${f(pre.medianMicros)} / ${f(pre.minMicros)}   difference ${f(result.hashInSign[k].medianMicros)} / ${f(result.hashInSign[k].minMicros)}`);
  }
}
