// A page that imports edgewarm through a bundler, signs a PushUrlsCache and a PreloadCaches
// call, sends both to the sandbox through the proxy it was served by, and shows the answers;
// the call module (`edgewarm/call`) answers the URL cases with Chromium's `URL`.
import { call, prepareCall, ValidationError } from 'edgewarm';
import * as callOnly from 'edgewarm/call';
import { URL_CASES, URL_SERVICES, answer } from './url_cases.js';

const TENCENT = { id: 'AKIDSANDBOX0000000000000000000000000', secret: 'sandbox-tencent-secret' };
const ALIBABA = { id: 'LTAISANDBOX0000000000000', secret: 'sandbox-alibaba-secret' };
const transport = { kind: 'proxy', base: window.location.origin };
const out = document.getElementById('result');

async function main() {
  const result = {};
  const push = await call({ action: 'PushUrlsCache', params: { Urls: ['https://www.example.com/bundle/a.js'] }, credentials: TENCENT }, { transport });
  result.cdnTaskId = push.TaskId;
  const preload = await call({ action: 'PreloadCaches', params: { SiteId: 100000001, Content: ['https://www.example.com/bundle/b.js'] }, credentials: ALIBABA }, { transport });
  result.esaTaskId = preload.TaskId;
  const signed = prepareCall({ action: 'CreatePrefetchTask', params: { ZoneId: 'zone-sandbox', Targets: ['https://www.example.com/'] }, credentials: TENCENT });
  result.signature = signed.explain.signature;
  try {
    prepareCall({ action: 'PushUrlsCache', params: { Urls: ['ftp://nope'] }, credentials: TENCENT });
  } catch (e) {
    result.validation = e instanceof ValidationError ? `${e.field}:${e.rule}` : String(e);
  }
  // the call module's wasm parses with Chromium's URL: its answers, for the test to compare
  result.callUrls = URL_CASES.flatMap((url) => URL_SERVICES.map((service) => answer(callOnly, url, service)));
  out.textContent = JSON.stringify(result);
  out.dataset.state = 'done';
}

main().catch((e) => {
  out.textContent = `error: ${e.code ?? e.name}: ${e.message}`;
  out.dataset.state = 'error';
});
