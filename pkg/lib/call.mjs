// `edgewarm/call`: the call module — build, validate, sign, verify, parse, the proxy policy and
// transport — over the small call-only wasm (no job engine, no URL sources). For edge workers
// and pages that sign calls; the same API as the root export's, bound to the other wasm
// (`#edgewarm-call-ready`, one ready module per runtime like the root's).

import { raw, hostSha256, hostSha256At } from '#edgewarm-call-ready';
import { ApiError, EdgewarmError, ProxyRefusal, ValidationError } from './errors.mjs';
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
