// Public types of `edgewarm/call`, the call module: the root export's call API (same signatures,
// declared once in index.d.ts), over the call-only wasm's generated types.
export type * from '../wasm/edgewarm_call.js';
export { ProxyPolicy } from '../wasm/edgewarm_call.js';
export type { ErrorKind, Transport, SignRequestInput, Answer, SendOptions } from './index.js';
export {
  EdgewarmError, ValidationError, ApiError, ProxyRefusal,
  operations, endpoint, validate, buildRequest, signRequest, signRequestAsync, prepareCall, signIntent,
  parseResponse, verifyRequest, lookupCode, explainError, serviceOf, randomNonce, prepareUrl,
  dedupe, checkOrigin, refusalJson, corsPolicy, signActions, defaultSignActions, checkSignAction,
  checkBearer, signLimits, rebuildRequest, requestUrl, toCurl, sendRequest, call,
} from './index.js';
