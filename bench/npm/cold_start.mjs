// Cold start of the edge module, call module against the full module (and, in workerd, a
// worker with no wasm at all), every sample a fresh process, medians, ratios from the same run:
//
//   node     a fresh Node per sample: read the .wasm, compile it (`new WebAssembly.Module`;
//            V8 compiles lazily, function by function, on first call), load the JS glue,
//            instantiate, bind the API, and the first signed call (build, validate, sign a
//            one-URL PushUrlsCache). "instantiate + first call" is the issue's figure: what a
//            runtime that already holds the compiled module (workerd, a cached Module) pays.
//   workerd  fresh workerd processes, each worker bundled as for deployment (esbuild, workerd
//            conditions, minified): ms from spawn until the socket accepts, until the first
//            `POST /sign` answers, then a second one (the warm cost). workerd's clock does not
//            move while a script runs, so only the outside can time it, against a worker with
//            no wasm; the difference is what the module costs, at startup and on the first
//            request (V8 compiles wasm functions lazily, on first call). Three comparisons:
//              sign*     compile + instantiate + first signed call, as packaged: a worker that
//                        imports `edgewarm/call` (workerd compiles the .wasm as it loads the
//                        worker; the ready module instantiates it at top level) and answers
//                        `prepareCall`'s signed request, against `bare`, which parses the same
//                        intent and answers without signing
//              hold/inst the same split in two: `hold*` imports the compiled module and the glue
//                        but never instantiates (over `bare`: what loading the .wasm costs);
//                        `inst*` instantiates on its first request, binds the API and signs
//                        (over `hold*`: instantiate + first signed call, the issue's figure,
//                        measured as in Node)
//              deployed  web/edge/worker.mjs (bearer check, CORS, proxy policy, sign, forward to
//                        a loopback stand-in) against a plain forward
//            Each workerd sample starts a process, so its noise is a millisecond or more: the
//            default 25 samples keep the medians within about half a millisecond run to run.
//
//   node cold_start.mjs [--samples 25] [--json]
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundleWorker } from './worker_bundle.mjs';

const { values } = parseArgs({ options: { samples: { type: 'string', default: '25' }, json: { type: 'boolean', default: false } } });
const SAMPLES = Number(values.samples);
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('edgewarm/package.json'));
const WORKERD = join(here, 'node_modules', '.bin', 'workerd');
const TENCENT = { id: 'AKIDSANDBOX0000000000000000000000000', secret: 'sandbox-tencent-secret' };
const TOKEN = 'cold-start-bench-token-0123456789';
const MODULES = {
  call: { wasm: 'edgewarm_call_bg.wasm', glue: 'edgewarm_call.js' },
  full: { wasm: 'edgewarm_bg.wasm', glue: 'edgewarm.js' },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const medians = (samples) => Object.fromEntries(Object.keys(samples[0]).map((k) => [k, median(samples.map((s) => s[k]))]));

/** One fresh Node: each stage of loading a module and its first signed call, in ms. */
function nodeSample(which) {
  const m = MODULES[which];
  const script = `import { readFileSync } from 'node:fs';
const dir = ${JSON.stringify(pkgDir)};
const t0 = performance.now();
const bytes = readFileSync(dir + '/wasm/${m.wasm}');
const t1 = performance.now();
const module = new WebAssembly.Module(bytes);
const t2 = performance.now();
const glue = await import(dir + '/wasm/${m.glue}');
const { callApi } = await import(dir + '/lib/call-api.mjs');
const t3 = performance.now();
glue.initSync({ module });
const t4 = performance.now();
const api = callApi(glue, null);
const t5 = performance.now();
const signed = api.prepareCall({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/app.js'], Area: 'mainland' }, credentials: ${JSON.stringify(TENCENT)} });
const t6 = performance.now();
if (!signed.request.headers.some(([n]) => n === 'Authorization')) throw new Error('not signed');
console.log(JSON.stringify({ read: t1 - t0, compile: t2 - t1, loadJs: t3 - t2, instantiate: t4 - t3, bindApi: t5 - t4, firstCall: t6 - t5, instantiateAndFirstCall: t6 - t3, total: t6 - t0 }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: here, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node cold start of ${which}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The worker bundled for deployment; `wasm` names the module its `edgewarm/call` import uses. */
// the module-only workers: the same intent read, answered with (or without) the signed request
const READ_INTENT = 'const intent = JSON.parse(await req.text());';
const ANSWER_SIGNED = `const { request } = prepareCall({ ...intent, credentials: { id: env.TENCENTCLOUD_SECRET_ID, secret: env.TENCENTCLOUD_SECRET_KEY } });
    return new Response(JSON.stringify({ TaskId: request.headers.find(([n]) => n === 'Authorization')[1] }));`;
const ANSWER_UNSIGNED = 'return new Response(JSON.stringify({ TaskId: intent.action + env.TENCENTCLOUD_SECRET_ID }));';

/** Writes `which`'s worker into `dir`; returns the base names of the .wasm files it imports. */
async function prepareWorker(which, dir) {
  const out = join(dir, 'worker.js');
  if (which === 'none') {
    // the deployed pair's baseline: the same socket, one forward, no wasm
    writeFileSync(out, `export default { async fetch(req, env) { const r = await fetch('http://' + env.STAND_IN + '/', { method: 'POST', body: await req.text() }); return new Response(await r.text(), { status: r.status }); } };`);
    return [];
  }
  if (which === 'bare') {
    writeFileSync(out, `export default { async fetch(req, env) { ${READ_INTENT} ${ANSWER_UNSIGNED} } };`);
    return [];
  }
  let entry;
  const split = /^(hold|inst)(Call|Full)$/.exec(which);
  if (split) {
    // the module's files by path (the package's exports map hides them), bound as the ready
    // modules bind them, but instantiated only on the first request (inst*) or never (hold*)
    const m = MODULES[split[2].toLowerCase()];
    entry = join(dir, 'entry.mjs');
    const answer = split[1] === 'inst' ? `api ??= (glue.initSync({ module: wasmModule }), callApi(glue, null));\n    const prepareCall = api.prepareCall;\n    ${ANSWER_SIGNED}` : `if (intent.never) glue.initSync({ module: wasmModule });\n    ${ANSWER_UNSIGNED}`;
    writeFileSync(
      entry,
      `import * as glue from ${JSON.stringify(join(pkgDir, 'wasm', m.glue))};
import wasmModule from ${JSON.stringify(join(pkgDir, 'wasm', m.wasm))};
import { callApi } from ${JSON.stringify(join(pkgDir, 'lib', 'call-api.mjs'))};
let api;
export default { async fetch(req, env) {
    ${READ_INTENT}
    ${answer} } };
`,
    );
  } else if (which === 'signCall' || which === 'signFull') {
    entry = join(dir, 'entry.mjs');
    writeFileSync(entry, `import { prepareCall } from 'edgewarm/call';\nexport default { async fetch(req, env) { ${READ_INTENT} ${ANSWER_SIGNED} } };\n`);
  }
  const wasms = await bundleWorker(out, { full: which === 'full' || which === 'signFull', entry });
  for (const path of wasms) copyFileSync(path, join(dir, basename(path)));
  return wasms.map((path) => basename(path));
}

async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

function accepts(port) {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function post(port, path, body, headers) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** One fresh workerd serving the prepared worker: ms to accepting, and to the first answer (which must hold `expect`). */
async function workerdSample(dir, wasms, standInAddr, expect) {
  const port = await freePort();
  const bindings = [
    ['STAND_IN', standInAddr],
    ['EDGEWARM_STAND_INS', `cdn.tencentcloudapi.com=${standInAddr}`],
    ['TENCENTCLOUD_SECRET_ID', TENCENT.id],
    ['TENCENTCLOUD_SECRET_KEY', TENCENT.secret],
    ['EDGEWARM_SIGN_TOKEN', TOKEN],
  ];
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .main), (name = "internet", network = (allow = ["public", "private", "local"])) ],
  sockets = [ (name = "main", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const main :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
${wasms.map((w) => `    (name = "${w}", wasm = embed "${w}"),`).join('\n')}
  ],
  compatibilityDate = "2025-09-01",
  globalOutbound = "internet",
  bindings = [ ${bindings.map(([k, v]) => `(name = "${k}", text = ${JSON.stringify(v)})`).join(', ')} ],
);
`,
  );
  const t0 = performance.now();
  const child = spawn(WORKERD, ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    while (!(await accepts(port))) {
      if (performance.now() - t0 > 30_000) throw new Error('workerd did not start');
      await new Promise((r) => setTimeout(r, 1));
    }
    const ready = performance.now() - t0;
    const intent = { action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/app.js'], Area: 'mainland' } };
    const res = await post(port, '/sign', JSON.stringify(intent), { authorization: `Bearer ${TOKEN}` });
    const first = performance.now() - t0;
    if (res.status !== 200 || !res.body.includes(expect)) throw new Error(`first call: ${res.status} ${res.body}`);
    // the same call again: what a warm isolate pays (the rest of the first is one-time cost)
    const t1 = performance.now();
    const again = await post(port, '/sign', JSON.stringify(intent), { authorization: `Bearer ${TOKEN}` });
    const second = performance.now() - t1;
    if (again.status !== 200) throw new Error(`second call: ${again.status} ${again.body}`);
    return { ready, firstAnswer: first, firstAfterReady: first - ready, secondAnswer: second };
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
  }
}

// the loopback stand-in for cdn.tencentcloudapi.com
const standIn = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Response: { TaskId: 'cold-start', RequestId: 'r-cold' } }));
  });
});
await new Promise((r) => standIn.listen(0, '127.0.0.1', r));
const standInAddr = `127.0.0.1:${standIn.address().port}`;

const workers = {};
for (const which of ['bare', 'signCall', 'signFull', 'holdCall', 'instCall', 'holdFull', 'instFull', 'none', 'call', 'full']) {
  const dir = mkdtempSync(join(tmpdir(), `edgewarm-cold-${which}-`));
  workers[which] = { dir, wasms: await prepareWorker(which, dir) };
}

const node = { call: [], full: [] };
const workerd = { bare: [], signCall: [], signFull: [], holdCall: [], instCall: [], holdFull: [], instFull: [], none: [], call: [], full: [] };
for (let i = 0; i < SAMPLES; i++) {
  // interleaved, so every variant sees the same machine load
  for (const which of Object.keys(node)) node[which].push(nodeSample(which));
  for (const which of Object.keys(workerd)) workerd[which].push(await workerdSample(workers[which].dir, workers[which].wasms, standInAddr, /^(sign|inst)/.test(which) ? 'TC3-HMAC-SHA256' : 'TaskId'));
}
standIn.close();

const nodeMedians = Object.fromEntries(Object.entries(node).map(([k, xs]) => [k, medians(xs)]));
const workerdMedians = Object.fromEntries(Object.entries(workerd).map(([k, xs]) => [k, medians(xs)]));
// each worker against its pair's baseline; workerd compiles the wasm and runs the worker's top
// level (instantiate included) before its socket accepts, or at the first request; that request
// also pays V8's lazy per-function compilation
const BASELINE = { signCall: 'bare', signFull: 'bare', holdCall: 'bare', instCall: 'holdCall', holdFull: 'bare', instFull: 'holdFull', call: 'none', full: 'none' };
const over = (k, field) => workerdMedians[k][field] - workerdMedians[BASELINE[k]][field];
const overOf = (field) => Object.fromEntries(Object.keys(BASELINE).map((k) => [k, over(k, field)]));
const result = {
  samples: SAMPLES,
  wasmBytes: Object.fromEntries(Object.keys(MODULES).map((k) => [k, spawnSync('wc', ['-c', join(pkgDir, 'wasm', MODULES[k].wasm)], { encoding: 'utf8' }).stdout.trim().split(' ')[0] * 1])),
  nodeMs: nodeMedians,
  workerdMs: workerdMedians,
  workerdOverBaselineMs: overOf('firstAnswer'),
  workerdStartupOverBaselineMs: overOf('ready'),
  workerdFirstRequestOverBaselineMs: overOf('firstAfterReady'),
  ratios: {
    nodeInstantiateAndFirstCall: nodeMedians.call.instantiateAndFirstCall / nodeMedians.full.instantiateAndFirstCall,
    nodeTotal: nodeMedians.call.total / nodeMedians.full.total,
    workerdModule: over('signCall', 'firstAnswer') / over('signFull', 'firstAnswer'),
    workerdInstantiateAndFirstCall: over('instCall', 'firstAnswer') / over('instFull', 'firstAnswer'),
    workerdDeployed: over('call', 'firstAnswer') / over('full', 'firstAnswer'),
  },
};
if (values.json) console.log(JSON.stringify(result, null, 2));
else {
  const f = (n) => n.toFixed(2).padStart(7);
  console.log(`cold start, medians of ${SAMPLES} fresh processes each (interleaved):`);
  console.log('  Node           read  compile   load JS  instantiate  bind API  first call | inst+first    total');
  for (const [k, m] of Object.entries(nodeMedians)) {
    console.log(`  ${k.padEnd(5)} ${f(m.read)} ${f(m.compile)}  ${f(m.loadJs)}    ${f(m.instantiate)}   ${f(m.bindApi)}    ${f(m.firstCall)} |   ${f(m.instantiateAndFirstCall)}  ${f(m.total)} ms`);
  }
  console.log(`  call/full: instantiate + first call ${result.ratios.nodeInstantiateAndFirstCall.toFixed(3)}, total ${result.ratios.nodeTotal.toFixed(3)}`);
  console.log('  workerd           accepting  first answer  second answer | over its baseline: startup  first request  both');
  for (const [k, m] of Object.entries(workerdMedians)) {
    const line = k in BASELINE ? `${f(over(k, 'ready'))}        ${f(over(k, 'firstAfterReady'))}  ${f(over(k, 'firstAnswer'))}` : '                    (baseline)';
    console.log(`  ${k.padEnd(8)}        ${f(m.ready)}      ${f(m.firstAnswer)}        ${f(m.secondAnswer)} |                   ${line} ms`);
  }
  console.log('  (sign*: over bare = compile + instantiate + first signed call, as packaged; hold*: over bare = loading the .wasm;');
  console.log('   inst*: over hold* = instantiate + first signed call; call/full: over none = the deployed edge worker over a plain forward)');
  console.log(`  call/full over the baseline: module ${result.ratios.workerdModule.toFixed(3)}, instantiate + first call ${result.ratios.workerdInstantiateAndFirstCall.toFixed(3)}, deployed ${result.ratios.workerdDeployed.toFixed(3)}`);
}
