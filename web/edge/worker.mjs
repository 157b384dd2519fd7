// edgewarm edge worker: the browser console's CORS proxy on Cloudflare Workers, workerd or any
// runtime with module workers and wasm imports. The allowlist, the header filter, the Origin
// check, the CORS lists and the signing policy (bearer token, action allowlist, lower-only
// limits, rebuild before signing) are the core's proxy policy — the very rules of the native
// proxy — compiled into the package's call module (`edgewarm/call`: the small wasm without the
// job engine and the URL sources).
//
//   /api/<vendor host>/<path>?<query>   forwards a request the browser signed, byte-exact
//   POST /sign                          optional: signs with keys held in the worker's secrets
//                                       and forwards (the browser never sees a key). Takes an
//                                       intent {action, params, endpoint?, limits?} or a request
//                                       the console built {request, limits?}; either way the
//                                       core validates the operation and builds the request it
//                                       signs. Needs `Authorization: Bearer <EDGEWARM_SIGN_TOKEN>`.
//
// Configuration (env):
//   ALLOWED_ORIGINS          comma-separated console origins (empty: none but origin-less clients)
//   TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY (/ TENCENTCLOUD_SESSION_TOKEN),
//   ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET (/ ALIBABA_CLOUD_SECURITY_TOKEN)
//                            secrets: the keys /sign signs with
//   EDGEWARM_SIGN_TOKEN      secret: the bearer token every /sign call carries; without it /sign
//                            signs nothing (501 signing_disabled), keys or not
//   EDGEWARM_SIGN_ACTIONS    comma-separated actions /sign may sign; unset: the prefetch family
//                            and reads only. A name edgewarm does not have turns signing off
//                            (500 sign_actions_invalid naming it) rather than guessing.
//   EDGEWARM_SIGN_RATE       /sign calls per second per token (token bucket in this isolate,
//                            burst = max(1, rate)); default 10. Over it: 429 with Retry-After.
//   EDGEWARM_STAND_INS       tests only: `host=127.0.0.1:port,…` sends a vendor host to a loopback
//                            stand-in over plain HTTP.
import {
  EdgewarmError,
  ProxyPolicy,
  checkBearer,
  checkOrigin,
  checkSignAction,
  corsPolicy,
  rebuildRequest,
  refusalJson,
  serviceOf,
  signActions,
  signIntent,
  signLimits,
  signRequest,
} from 'edgewarm/call';

const UPSTREAM_TIMEOUT_MS = 30_000;
const DEFAULT_SIGN_RATE = 10;

function list(value) {
  return String(value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

let cors; // the core's CORS lists and body limit
const corsLists = () => (cors ??= corsPolicy());

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
    h.set('access-control-expose-headers', corsLists().exposeHeaders);
  }
  return h;
}

function refuse(status, code, message, cors, extra) {
  const h = new Headers(cors);
  h.set('content-type', 'application/json');
  for (const [n, v] of Object.entries(extra ?? {})) h.set(n, v);
  return new Response(refusalJson(status, code, message), { status, headers: h });
}

function fromError(e, cors) {
  if (e instanceof EdgewarmError && e.httpStatus === 401) return refuse(401, e.code, e.message, cors, { 'www-authenticate': 'Bearer' });
  if (e instanceof EdgewarmError && e.httpStatus) return refuse(e.httpStatus, e.code, e.message, cors);
  if (e instanceof EdgewarmError) return refuse(400, e.code, e.message, cors);
  return refuse(500, 'internal', 'the worker failed', cors);
}

async function readBody(request) {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined;
  const max = corsLists().maxBodyBytes;
  const tooLarge = () => new EdgewarmError({ kind: 'refusal', code: 'body_too_large', message: `request bodies are limited to ${max} bytes`, httpStatus: 413, class: 'invalid' });
  if (Number(request.headers.get('content-length') ?? 0) > max) throw tooLarge();
  const body = new Uint8Array(await request.arrayBuffer());
  if (body.length > max) throw tooLarge();
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

const signingDisabled = (service, cors) =>
  refuse(501, 'signing_disabled', `this worker holds no ${service === 'esa' ? 'Alibaba' : 'Tencent'} keys: set them as worker secrets to enable signing`, cors);

// ---- rate limit: one token bucket per bearer token, in this isolate ----

const buckets = new Map(); // token → { tokens, at (ms) }

function signRate(env) {
  const rate = Number(env.EDGEWARM_SIGN_RATE ?? DEFAULT_SIGN_RATE);
  return Number.isFinite(rate) && rate > 0 ? rate : DEFAULT_SIGN_RATE;
}

/** Takes one call from the token's bucket; the seconds to wait when it is empty. */
function takeCall(token, rate, nowMs) {
  const burst = Math.max(1, rate);
  const b = buckets.get(token) ?? { tokens: burst, at: nowMs };
  b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) / 1000) * rate);
  b.at = nowMs;
  buckets.set(token, b);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return Math.max(1, Math.ceil((1 - b.tokens) / rate));
}

// ---- POST /sign ----

let allowlist; // { configured, actions?, error? } for the env it was read from
function allowedActions(env) {
  const configured = env.EDGEWARM_SIGN_ACTIONS;
  if (!allowlist || allowlist.configured !== configured) {
    try {
      allowlist = { configured, actions: signActions(configured ?? null) };
    } catch (error) {
      allowlist = { configured, error };
    }
  }
  if (allowlist.error) throw allowlist.error;
  return allowlist.actions;
}

/**
 * Signing mode. The caller proves it is the owner (bearer token), stays under the rate, names
 * an allowed action; the core validates the operation (default limits, lowered only) and builds
 * the request that is signed — an intent `{action, params, endpoint?, limits?}` directly, a
 * console-built `{request, limits?}` after parsing it back into its operation.
 */
async function signAndForward(request, env, policy, cors) {
  const token = env.EDGEWARM_SIGN_TOKEN;
  if (!token) {
    return refuse(501, 'signing_disabled', 'signing is off: set the secret EDGEWARM_SIGN_TOKEN (callers send it as Authorization: Bearer <token>) and the vendor keys to enable POST /sign', cors);
  }
  checkBearer(request.headers.get('authorization'), token);
  const wait = takeCall(token, signRate(env), Date.now());
  if (wait > 0) return refuse(429, 'rate_limited', `over EDGEWARM_SIGN_RATE (${signRate(env)} calls/s): retry in ${wait} s`, cors, { 'retry-after': String(wait) });
  const actions = allowedActions(env);
  const body = await readBody(request);
  let intent;
  try {
    intent = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return refuse(400, 'bad_intent', 'POST /sign takes JSON: {"action": …, "params": {…}, "endpoint"?: {…}, "limits"?: {…}} or {"request": {…}}', cors);
  }
  if (intent?.request && typeof intent.request === 'object') {
    const action = headerAction(intent.request);
    if (typeof action === 'string') checkSignAction(action, actions);
    const { service, request: unsigned } = rebuildRequest({ request: intent.request, limits: intent.limits });
    checkSignAction(headerAction(unsigned), actions); // the operation the core rebuilt
    return signWith(service, unsigned, env, policy, cors);
  }
  if (!intent || typeof intent.action !== 'string') return refuse(400, 'bad_intent', 'the intent needs an action', cors);
  checkSignAction(intent.action, actions);
  const service = serviceOf(intent.action);
  // built, validated, routed and signed in one call to the core (no keys: refused once valid)
  const signed = signIntent(policy, {
    action: intent.action,
    params: intent.params ?? {},
    endpoint: intent.endpoint,
    limits: signLimits(intent.limits ?? null),
    credentials: credentialsFor(service, env),
  });
  if (signed === undefined) return signingDisabled(service, cors);
  return forwardSigned(policy, signed.request, cors);
}

/** The action a console-built request names (checked against the allowlist before parsing). */
function headerAction(built) {
  const headers = Array.isArray(built.headers) ? built.headers : [];
  return headers.find((h) => Array.isArray(h) && /^x-(tc|acs)-action$/i.test(String(h[0])))?.[1];
}

function signWith(service, unsigned, env, policy, cors) {
  const credentials = credentialsFor(service, env);
  if (!credentials) return signingDisabled(service, cors);
  policy.route(`/api/${unsigned.host}${unsigned.path}`); // refuse a foreign host before signing
  const { request: signed } = signRequest({ request: unsigned, service, credentials });
  return forwardSigned(policy, signed, cors);
}

/** A signed request forwarded to its vendor host. */
function forwardSigned(policy, signed, cors) {
  const target = `/api/${signed.host}${signed.path}${signed.query ? `?${signed.query}` : ''}`;
  return forward(policy, target, signed.method, signed.headers, signed.method === 'GET' ? undefined : signed.body, cors);
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
        const lists = corsLists();
        const h = new Headers(cors);
        h.set('access-control-allow-methods', lists.allowMethods);
        h.set('access-control-allow-headers', lists.allowHeaders);
        h.set('access-control-max-age', String(lists.maxAgeSecs));
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
