// edgewarm edge worker: the browser console's CORS proxy on Cloudflare Workers, workerd or any
// runtime with module workers and wasm imports. The allowlist, the header filter and the Origin
// check are the core's proxy policy (the very rules of the native proxy), compiled into the
// package's wasm.
//
//   /api/<vendor host>/<path>?<query>   forwards a request the browser signed, byte-exact
//   POST /sign                          optional: signs an intent {action, params} or a request
//                                       the console built {request} with keys held in the
//                                       worker's secrets, then forwards it (the browser never
//                                       sees a key); on only when those secrets are set
//
// Configuration (env): ALLOWED_ORIGINS (comma-separated console origins; empty: none but
// origin-less clients), TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY and
// ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (secrets, signing mode),
// EDGEWARM_STAND_INS (tests only: `host=127.0.0.1:port,…` sends a vendor host to a loopback
// stand-in over plain HTTP).
import { EdgewarmError, ProxyPolicy, checkOrigin, operations, prepareCall, refusalJson, serviceOf, signRequest } from 'edgewarm';

const MAX_BODY_BYTES = 8 * 1024 * 1024;
const UPSTREAM_TIMEOUT_MS = 30_000;

function list(value) {
  return String(value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

let cached; // { key, policy } — built once per isolate and configuration
function policyFor(env) {
  const key = env.EDGEWARM_STAND_INS ?? '';
  if (cached?.key === key) return cached.policy;
  let policy = new ProxyPolicy();
  for (const pair of list(key)) {
    const [host, connect] = pair.split('=');
    if (host && connect) policy = policy.withStandIn(host, connect);
  }
  cached = { key, policy };
  return policy;
}

function corsHeaders(origin, allowed) {
  const h = new Headers({ vary: 'Origin' });
  if (origin && allowed.includes(origin)) {
    h.set('access-control-allow-origin', origin);
    h.set('access-control-expose-headers', 'x-acs-request-id, retry-after, date');
  }
  return h;
}

function refuse(status, code, message, cors) {
  const h = new Headers(cors);
  h.set('content-type', 'application/json');
  return new Response(refusalJson(status, code, message), { status, headers: h });
}

function fromError(e, cors) {
  if (e instanceof EdgewarmError && e.httpStatus) return refuse(e.httpStatus, e.code, e.message, cors);
  if (e instanceof EdgewarmError) return refuse(400, e.code, e.message, cors);
  return refuse(500, 'internal', 'the worker failed', cors);
}

async function readBody(request) {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw new EdgewarmError({ kind: 'refusal', code: 'body_too_large', message: `request bodies are limited to ${MAX_BODY_BYTES} bytes`, httpStatus: 413, class: 'invalid' });
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.length > MAX_BODY_BYTES) throw new EdgewarmError({ kind: 'refusal', code: 'body_too_large', message: `request bodies are limited to ${MAX_BODY_BYTES} bytes`, httpStatus: 413, class: 'invalid' });
  return body;
}

async function forward(policy, target, method, headerPairs, body, cors) {
  const upstream = policy.route(target);
  const headers = new Headers();
  for (const [n, v] of policy.requestHeaders(headerPairs)) headers.append(n, v);
  let answer;
  try {
    answer = await fetch(upstream.url, { method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  } catch (e) {
    const timeout = e?.name === 'TimeoutError';
    return refuse(timeout ? 504 : 502, timeout ? 'upstream_timeout' : 'upstream_unreachable', `${upstream.host} did not answer`, cors);
  }
  const out = new Headers(cors);
  for (const [n, v] of policy.responseHeaders([...answer.headers])) out.set(n, v);
  return new Response(answer.body, { status: answer.status, headers: out });
}

function credentialsFor(service, env) {
  const [id, secret, token] =
    service === 'esa'
      ? [env.ALIBABA_CLOUD_ACCESS_KEY_ID, env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, env.ALIBABA_CLOUD_SECURITY_TOKEN]
      : [env.TENCENTCLOUD_SECRET_ID, env.TENCENTCLOUD_SECRET_KEY, env.TENCENTCLOUD_SESSION_TOKEN];
  if (!id || !secret) return undefined;
  return token ? { id, secret, token } : { id, secret };
}

// headers a browser-built request may carry from its placeholder signature: dropped before the
// worker signs it again with its own keys
const SIGNATURE_HEADERS = new Set(['authorization', 'x-tc-timestamp', 'x-tc-token', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-content-sha256', 'x-acs-security-token']);
let known; // the actions of the package's operations, the only ones this worker signs
const isKnownAction = (action) => (known ??= new Set(operations().map((o) => o.action))).has(action);

/**
 * Signing mode. Either an intent `{action, params, endpoint?, limits?}` (built and validated
 * here), or `{request}`: a request the console's job engine built, which the worker signs again
 * with its own keys — only for the package's own operations, and only to allowed hosts.
 */
async function signAndForward(request, env, policy, cors) {
  const body = await readBody(request);
  let intent;
  try {
    intent = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return refuse(400, 'bad_intent', 'POST /sign takes JSON: {"action": …, "params": {…}, "endpoint"?: {…}} or {"request": {…}}', cors);
  }
  if (intent?.request && typeof intent.request === 'object') return resignAndForward(intent.request, env, policy, cors);
  if (!intent || typeof intent.action !== 'string') return refuse(400, 'bad_intent', 'the intent needs an action', cors);
  const service = serviceOf(intent.action);
  const credentials = credentialsFor(service, env);
  if (!credentials) return signingDisabled(service, cors);
  const { request: signed } = prepareCall({ action: intent.action, params: intent.params ?? {}, endpoint: intent.endpoint, limits: intent.limits, credentials });
  return forwardSigned(signed, policy, cors);
}

const signingDisabled = (service, cors) =>
  refuse(501, 'signing_disabled', `this worker holds no ${service === 'esa' ? 'Alibaba' : 'Tencent'} keys: set them as worker secrets to enable signing`, cors);

function forwardSigned(signed, policy, cors) {
  const target = `/api/${signed.host}${signed.path}${signed.query ? `?${signed.query}` : ''}`;
  return forward(policy, target, signed.method, signed.headers, signed.method === 'GET' ? undefined : signed.body, cors);
}

async function resignAndForward(built, env, policy, cors) {
  const headers = Array.isArray(built.headers) ? built.headers.filter((h) => Array.isArray(h) && h.length === 2) : [];
  const action = headers.find(([n]) => /^x-(tc|acs)-action$/i.test(String(n)))?.[1];
  if (typeof action !== 'string' || !isKnownAction(action)) {
    return refuse(400, 'bad_intent', `request.headers: the X-TC-Action / x-acs-action must be one of edgewarm's operations (got ${JSON.stringify(action ?? null)})`, cors);
  }
  const service = serviceOf(action);
  const credentials = credentialsFor(service, env);
  if (!credentials) return signingDisabled(service, cors);
  const unsigned = { ...built, headers: headers.filter(([n]) => !SIGNATURE_HEADERS.has(String(n).toLowerCase())) };
  const { request: signed } = signRequest({ request: unsigned, service, credentials });
  return forwardSigned(signed, policy, cors);
}

export default {
  async fetch(request, env) {
    const allowed = list(env.ALLOWED_ORIGINS);
    const origin = request.headers.get('origin');
    const cors = corsHeaders(origin, allowed);
    try {
      checkOrigin(origin, allowed);
      const url = new URL(request.url);
      const policy = policyFor(env);
      if (request.method === 'OPTIONS') {
        const h = new Headers(cors);
        h.set('access-control-allow-methods', 'GET, POST, OPTIONS');
        h.set('access-control-allow-headers', 'authorization, content-type, x-tc-action, x-tc-version, x-tc-timestamp, x-tc-region, x-tc-token, x-tc-language, x-acs-action, x-acs-version, x-acs-date, x-acs-signature-nonce, x-acs-content-sha256, x-acs-security-token');
        h.set('access-control-max-age', '600');
        return new Response(null, { status: 204, headers: h });
      }
      if (url.pathname === '/sign') {
        if (request.method !== 'POST') return refuse(405, 'method_not_allowed', 'POST /sign', cors);
        return await signAndForward(request, env, policy, cors);
      }
      if (request.method !== 'GET' && request.method !== 'POST') return refuse(405, 'method_not_allowed', 'only GET and POST are proxied', cors);
      const target = request.url.slice(url.origin.length);
      policy.route(target); // refuse before reading the body
      const body = await readBody(request);
      return await forward(policy, target, request.method, [...request.headers], body, cors);
    } catch (e) {
      return fromError(e, cors);
    }
  },
};
