// The public API over the full wasm core (calls, the job engine, URL sources), the same in every
// runtime: `#edgewarm-ready` (one module per runtime, picked by package.json "imports") has
// loaded the wasm before this runs. The call API is call-api.mjs bound to this module; the
// smaller `edgewarm/call` (call.mjs) binds the same code to the call-only wasm.

import { raw, hostSha256, hostSha256At } from '#edgewarm-ready';
import { ApiError, EdgewarmError, ProxyRefusal, ValidationError, guard, guardClass, toError } from './errors.mjs';
import { callApi, randomNonce } from './call-api.mjs';

export { EdgewarmError, ValidationError, ApiError, ProxyRefusal, randomNonce };

export const {
  operations,
  endpoint,
  validate,
  buildRequest,
  parseResponse,
  verifyRequest,
  lookupCode,
  explainError,
  prepareUrl,
  dedupe,
  checkOrigin,
  refusalJson,
  ProxyPolicy,
  corsPolicy,
  signActions,
  defaultSignActions,
  checkSignAction,
  checkBearer,
  signLimits,
  rebuildRequest,
  signRequest,
  signRequestAsync,
  prepareCall,
  signIntent,
  serviceOf,
  requestUrl,
  toCurl,
  sendRequest,
  call,
} = callApi(raw, hostSha256, hostSha256At);

guardClass(raw.Job);

export const parseList = guard(raw.parseList);
export const parseSitemap = guard(raw.parseSitemap);
export const parsePlaylist = guard(raw.parsePlaylist);
/** `list`, `sitemap` or `m3u8`: the reader a source needs, from its name, content type and first bytes. */
export const detectSource = guard((name, contentType, bytes) => raw.detectSource(name, contentType, bytes.subarray(0, 512)));

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
  static resumeParts(snapshot, records) {
    return Object.setPrototypeOf(raw.Job.resumeParts(snapshot, records), Job.prototype);
  }
  /** A job over a text of one URL a line (a string, or its UTF-8 bytes such as a file's). */
  static fromText(spec, text, seed, nowMs) {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    return Object.setPrototypeOf(raw.Job.fromText(spec, bytes, seed ?? randomSeed(), nowMs ?? Date.now()), Job.prototype);
  }
  retryFailed(seed, nowMs) {
    return Object.setPrototypeOf(super.retryFailed(seed ?? randomSeed(), nowMs ?? Date.now()), Job.prototype);
  }
}

function randomSeed() {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return (words[0] & 0x1fffff) * 2 ** 32 + words[1];
}

export { runJob } from './driver.mjs';
export { collectUrls } from './sources.mjs';
