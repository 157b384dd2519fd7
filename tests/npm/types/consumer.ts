// A small consumer of the package's types: it must compile under `tsc --strict`, and the
// `@ts-expect-error` lines prove that wrong shapes are rejected (each fails the build if the
// types ever let them through).
import {
  ApiError, EdgewarmError, Job, ValidationError, buildRequest, call, endpoint, operations, parseResponse,
  prepareCall, runJob, signRequest, toCurl, verifyRequest, collectUrls,
} from 'edgewarm';
import type { Credentials, HttpRequest, JobSpec, Output, Progress, Service, Signed, Fate } from 'edgewarm';
import * as callModule from 'edgewarm/call';
import type { Signed as CallSigned, CallInput } from 'edgewarm/call';

const creds: Credentials = { id: 'AKIDSANDBOX0000000000000000000000000', secret: 'sandbox-tencent-secret' };

const req: HttpRequest = buildRequest({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/a.js'], Area: 'mainland' } });
const signed: Signed = signRequest({ request: req, service: 'cdn', credentials: creds, signing: { time: 1_700_000_000 } });
const canonical: string = signed.explain.canonicalRequest;
const prepared = prepareCall({ action: 'CreatePrefetchTask', params: { ZoneId: 'zone-sandbox', Targets: ['https://www.example.com/'] }, credentials: creds });
const svc: Service = prepared.service;
const keyId: string = verifyRequest(prepared.request, creds, 1_700_000_000).keyId;
const curl: string = toCurl(signed.request, { kind: 'proxy', base: 'http://127.0.0.1:8787' });
const actions: string[] = operations().map((o) => o.action);

// @ts-expect-error: Urls is a list of strings
buildRequest({ action: 'PushUrlsCache', params: { Urls: 'https://www.example.com/a.js' } });
// @ts-expect-error: unknown action
buildRequest({ action: 'PushUrlCache', params: {} });
// @ts-expect-error: ESA's SiteId is a number
buildRequest({ action: 'PreloadCaches', params: { SiteId: '100000001' } });
// @ts-expect-error: services are teo | cdn | esa
endpoint('akamai');

const out: Output = parseResponse('PushUrlsCache', 200, '{"Response":{"TaskId":"t","RequestId":"r"}}');
if (out.action === 'PushUrlsCache') {
  const taskId: string | undefined = out.output.TaskId;
  void taskId;
}

const spec: JobSpec = { target: { vendor: 'esa', siteId: 100000001 }, endpoint: endpoint('esa', { region: 'cn-hangzhou' }), keyId: 'LTAISANDBOX0000000000000' };
// @ts-expect-error: an EdgeOne target needs its zoneId
const badSpec: JobSpec = { target: { vendor: 'edgeone' }, endpoint: endpoint('teo'), keyId: 'x' };
const job = new Job(spec, ['https://www.example.com/a.js']);
const fromText: Job = Job.fromText(spec, 'https://www.example.com/a.js\n', 1, 0);
const firstCall: HttpRequest | undefined = fromText.dryRunBatch(0, 0, { id: 'LTAI', secret: 's' });
void firstCall;
const fates: Fate['fate'][] = job.urls().map((u) => u.fate.fate);

async function run(): Promise<number> {
  const p: Progress = await runJob(job, { credentials: creds, transport: { kind: 'proxy', base: 'http://127.0.0.1:8787' }, onProgress: (q) => void q.succeeded });
  const got = await collectUrls([{ url: 'https://www.example.com/sitemap.xml' }]);
  const quota = await call({ action: 'DescribePushQuota', params: {}, credentials: creds });
  void quota;
  return p.succeeded + got.urls.length;
}

try {
  buildRequest({ action: 'PushUrlsCache', params: { Urls: [] } });
} catch (e) {
  if (e instanceof ValidationError) {
    const fields: string[] = e.errors.map((x) => x.field);
    void fields;
  } else if (e instanceof ApiError) {
    const retry: boolean = e.retryable;
    void retry;
  } else if (e instanceof EdgewarmError) {
    const code: string = e.code;
    void code;
  }
}

void [canonical, svc, keyId, curl, actions, badSpec, fates, run];

// edgewarm/vite: the plugin's options are typed
import edgewarm, { type EdgewarmPluginOptions } from 'edgewarm/vite';
const pluginOptions: EdgewarmPluginOptions = { vendor: 'edgeone', zoneId: 'zone-sandbox', baseUrl: 'https://static.example.com/', include: ['**/*.js', /\.css$/], failOnError: false };
const plugin = edgewarm(pluginOptions);
// @ts-expect-error an unknown vendor
edgewarm({ vendor: 'akamai' });
// @ts-expect-error include takes globs or RegExps
edgewarm({ vendor: 'cdn', include: 42 });
void plugin;

// the call module (`edgewarm/call`): the same call API and types, and no job engine
const callInput: CallInput = { action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/a.js'] } };
const callSigned: CallSigned = callModule.prepareCall({ ...callInput, credentials: creds });
const sameShape: Signed = callSigned;
const policyHost: string = new callModule.ProxyPolicy().route('/api/cdn.tencentcloudapi.com/').host;
// @ts-expect-error: the call module has no job engine
callModule.Job;
// its types are the full module's, declared once (xtask/src/dts.rs), and only the call's
const callOperation: import('edgewarm/call').Operation = callInput;
const rootOperation: import('edgewarm').Operation = callOperation;
// @ts-expect-error: JobSpec is the job engine's, not the call module's
type CallJobSpec = import('edgewarm/call').JobSpec;
void rootOperation;
// @ts-expect-error: Urls is a list of strings in the call module too
callModule.buildRequest({ action: 'PushUrlsCache', params: { Urls: 'https://www.example.com/a.js' } });
void sameShape;
void policyHost;
