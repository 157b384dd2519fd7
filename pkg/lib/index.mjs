// The public API over the wasm core, the same in every runtime: `#edgewarm-ready` (one module
// per runtime, picked by package.json "imports") has loaded the wasm before this runs. Logic
// stays in the core; this file fills defaults (time, nonce, native payload hash), converts
// errors and adds transport.

import { raw, hostSha256 } from '#edgewarm-ready';
import { ApiError, EdgewarmError, ProxyRefusal, ValidationError, guard, guardClass, toError } from './errors.mjs';

export { EdgewarmError, ValidationError, ApiError, ProxyRefusal };

guardClass(raw.Job);
guardClass(raw.ProxyPolicy);

const encoder = new TextEncoder();
/** An argument as UTF-8 JSON: one native encode and one copy into the module. */
const json = (value) => encoder.encode(JSON.stringify(value ?? null));

export const operations = guard(raw.operations);
export const endpoint = guard(raw.endpoint);
/** Validates a call; returns its service, throws `ValidationError` naming every bad field. */
export const validate = guard((input) => JSON.parse(raw.validateJson(json(input))));
/** The unsigned request of a call, validated unless `skipValidation`. */
export const buildRequest = guard((input) => {
  const [head, body] = raw.buildRequestParts(json(input));
  const request = JSON.parse(head);
  request.body = body;
  return request;
});
export const parseResponse = guard(raw.parseResponse);
export const verifyRequest = guard(raw.verifyRequest);
export const lookupCode = guard(raw.lookupCode);
export const explainError = guard(raw.explainError);
export const parseList = guard(raw.parseList);
export const parseSitemap = guard(raw.parseSitemap);
export const parsePlaylist = guard(raw.parsePlaylist);
export const prepareUrl = guard(raw.prepareUrl);
export const dedupe = guard(raw.dedupe);
/** `list`, `sitemap` or `m3u8`: the reader a source needs, from its name, content type and first bytes. */
export const detectSource = guard((name, contentType, bytes) => raw.detectSource(name, contentType, bytes.subarray(0, 512)));
export const checkOrigin = guard(raw.checkOrigin);
export const refusalJson = raw.refusalJson;
export const ProxyPolicy = raw.ProxyPolicy;
/** The CORS lists and the body limit of the proxy policy (the native proxy's very values). */
export const corsPolicy = guard(raw.corsPolicy);
/** The edge worker's signing allowlist from `EDGEWARM_SIGN_ACTIONS` (unset: the default). */
export const signActions = guard(raw.signActions);
export const defaultSignActions = guard(raw.defaultSignActions);
/** Throws a 403 `ProxyRefusal` for an action outside the allowlist. */
export const checkSignAction = guard(raw.checkSignAction);
/** Throws a 401 `ProxyRefusal` unless `authorization` is `Bearer <token>` (constant time). */
export const checkBearer = guard(raw.checkBearer);
/** The default limits, lowered (never raised) by the caller's. */
export const signLimits = guard(raw.signLimits);
/** A request built elsewhere, parsed back into its operation, validated and rebuilt (unsigned). */
export const rebuildRequest = guard((input) => JSON.parse(raw.rebuildRequestJson(json(input))));

/** A prefetch job (the core's engine); errors are `EdgewarmError`s. */
export class Job extends raw.Job {
  constructor(spec, urls, seed, nowMs) {
    try {
      super(spec, urls, seed ?? randomSeed(), nowMs ?? Date.now());
    } catch (e) {
      throw toError(e);
    }
  }
  static resume(journal) {
    return Object.setPrototypeOf(raw.Job.resume(journal), Job.prototype);
  }
  retryFailed(seed, nowMs) {
    return Object.setPrototypeOf(super.retryFailed(seed ?? randomSeed(), nowMs ?? Date.now()), Job.prototype);
  }
}

// ---- host services: clock, randomness, native SHA-256 ----


/** Bodies at least this long are hashed natively when the runtime can (faster than wasm). */
const NATIVE_HASH_MIN_BYTES = 512;

/** 32 lower-case hex characters from `crypto.getRandomValues`. */
export function randomNonce() {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function randomSeed() {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return (words[0] & 0x1fffff) * 2 ** 32 + words[1];
}

function signingDefaults(signing, service) {
  const s = { ...(signing ?? {}) };
  if (s.time === undefined) s.time = Math.floor(Date.now() / 1000);
  // only ACS3 signs a nonce; TC3 has none
  if (s.nonce === undefined) s.nonce = service === 'esa' ? randomNonce() : '';
  return s;
}

function checkObject(value, what) {
  if (value === null || typeof value !== 'object' || value.request === null || typeof value.request !== 'object') {
    throw new EdgewarmError({ kind: 'argument', code: 'edgewarm.InvalidArgument', field: what, class: 'invalid', message: `${what}: expected {request, service, credentials, signing?}` });
  }
}

/** Signs with a known payload hash: the body stays on this side of the boundary. */
function signWithHash(input, signing, sha256) {
  const { body, ...head } = input.request;
  try {
    const signed = JSON.parse(raw.signRequestJson(json({ ...input, request: { ...head, body: '' }, signing: { ...signing, payload: { kind: 'precomputed', sha256 } } })));
    signed.request.body = body;
    return signed;
  } catch (e) {
    throw toError(e);
  }
}

function signInWasm(input, signing) {
  try {
    return JSON.parse(raw.signRequestJson(json({ ...input, signing })));
  } catch (e) {
    throw toError(e);
  }
}

const bigBody = (request) => typeof request.body === 'string' && request.body.length >= NATIVE_HASH_MIN_BYTES;

/**
 * Signs a request (TC3 for teo/cdn, ACS3 for esa). Time defaults to now, the nonce to a random
 * one; in Node a large body is hashed with node:crypto and only the digest goes to the core.
 */
export function signRequest(input) {
  checkObject(input, 'input');
  const signing = signingDefaults(input.signing, input.service);
  if (signing.payload === undefined && hostSha256 && bigBody(input.request)) {
    return signWithHash(input, signing, hostSha256(input.request.body));
  }
  if (signing.payload?.kind === 'precomputed') return signWithHash(input, signing, signing.payload.sha256);
  return signInWasm(input, signing);
}

/** As `signRequest`, hashing large bodies with WebCrypto where there is no synchronous hash. */
export async function signRequestAsync(input) {
  checkObject(input, 'input');
  const signing = signingDefaults(input.signing, input.service);
  if (signing.payload === undefined && bigBody(input.request) && !hostSha256 && globalThis.crypto?.subtle) {
    const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(input.request.body));
    return signWithHash(input, signing, Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join(''));
  }
  return signRequest({ ...input, signing });
}

/** Builds (validated) and signs one call: `{action, params, endpoint?, limits?, credentials, signing?}`. */
export function prepareCall(input) {
  if (input === null || typeof input !== 'object') return buildRequest(input);
  const { credentials, signing, ...call } = input;
  const request = buildRequest(call);
  const service = call.service ?? serviceOf(call.action);
  return { service, ...signRequest({ request, service, credentials, signing }) };
}

/** The service (`teo`, `cdn`, `esa`) of an action or operation name (`CdnDescribePurgeTasks`). */
export const serviceOf = guard(raw.serviceOf);

export { requestUrl, toCurl, sendRequest } from './transport.mjs';
import { sendRequest } from './transport.mjs';

const decoder = new TextDecoder();

/** Builds, signs, sends and parses one call; resolves to its typed output, throws `ApiError`. */
export async function call(input, options = {}) {
  const signed = prepareCall(input);
  const answer = await sendRequest(signed.request, options);
  const named = input.service ? operations().find((o) => o.service === input.service && (o.action === input.action || o.name === input.action)) : undefined;
  return parseResponse(named?.name ?? input.action, answer.status, decoder.decode(answer.body)).output;
}

export { runJob } from './driver.mjs';
export { collectUrls } from './sources.mjs';
