// The call API over one wasm module's exports (`raw`, `hostSha256` from a ready module): build,
// validate, sign, verify, parse, the proxy policy and transport. The full module's root export
// (index.mjs) and the small call module (call.mjs, `edgewarm/call`) both bind it, so the two
// behave alike by construction. Logic stays in the core; this file fills defaults (time,
// nonce, native payload hash), converts errors and adds transport.

import { EdgewarmError, guard, guardClass, toError } from './errors.mjs';
import { transportFor } from './transport-core.mjs';

/** Bodies at least this long are hashed natively when the runtime can (faster than wasm). */
const NATIVE_HASH_MIN_BYTES = 512;

const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);
const decoder = new TextDecoder();
/** Texts up to this many UTF-16 units are encoded into a reused buffer (3 bytes each at most). */
const SCRATCH_MAX_UNITS = 1 << 20;
/**
 * Two reused buffers (one for a call's JSON argument, one for its large text): a fresh buffer
 * per call costs more than the encoding itself.
 */
const scratch = [new Uint8Array(4096), new Uint8Array(0)];
/**
 * `text` as UTF-8 in reused buffer `slot`, unless it is very long: valid only until the next
 * use of that slot, so for an argument that the module copies at once.
 */
function scratchUtf8(text, slot = 1) {
  if (text.length > SCRATCH_MAX_UNITS) return encoder.encode(text);
  if (scratch[slot].length < text.length * 3) scratch[slot] = new Uint8Array(Math.max(text.length * 3, 64 * 1024));
  return scratch[slot].subarray(0, encoder.encodeInto(text, scratch[slot]).written);
}
/** An argument as UTF-8 JSON: one native encode and one copy into the module. */
const json = (value) => scratchUtf8(JSON.stringify(value ?? null) ?? '', 0);

/** 32 lower-case hex characters from `crypto.getRandomValues`. */
export function randomNonce() {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** `signing` (copied) with the time defaulting to now. */
function withTime(signing) {
  const s = { ...(signing ?? {}) };
  if (s.time === undefined) s.time = Math.floor(Date.now() / 1000);
  return s;
}

function signingDefaults(signing, service) {
  const s = withTime(signing);
  // only ACS3 signs a nonce; TC3 has none
  if (s.nonce === undefined) s.nonce = service === 'esa' ? randomNonce() : '';
  return s;
}

function checkObject(value, what) {
  if (value === null || typeof value !== 'object' || value.request === null || typeof value.request !== 'object') {
    throw new EdgewarmError({ kind: 'argument', code: 'edgewarm.InvalidArgument', field: what, class: 'invalid', message: `${what}: expected {request, service, credentials, signing?}` });
  }
}

/**
 * `value` (parsed JSON, changed in place) with every `null` member or item made `undefined`:
 * what the module's own conversion writes for serde's `None` and unit.
 */
function nullsToUndefined(value) {
  if (value === null) return undefined;
  if (typeof value === 'object') {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = nullsToUndefined(value[i]);
    } else {
      for (const key of Object.keys(value)) {
        const member = value[key];
        if (member === null) value[key] = undefined;
        else if (typeof member === 'object') nullsToUndefined(member);
      }
    }
  }
  return value;
}

const bigBody = (request) => typeof request.body === 'string' && request.body.length >= NATIVE_HASH_MIN_BYTES;

/**
 * The call API bound to the wasm exports `raw`; `hostSha256` is a synchronous native hash or
 * null, `hostSha256At(at, length)` the same hash of bytes in the module's memory, or null.
 */
export function callApi(raw, hostSha256, hostSha256At = null) {
  guardClass(raw.ProxyPolicy);

  /**
   * The request last built from a list, whose body the module keeps until the next list build
   * (`buildRequestList`): `[request, body, at, length]`, or null.
   */
  let lastListBuild = null;
  /**
   * Where the module keeps the very body `request` holds (the last list build's request, its
   * body not replaced), as `[request, body, at, length]`; else undefined.
   */
  function keptBody(request) {
    const kept = lastListBuild;
    return kept !== null && kept[0] === request && kept[3] > 0 && kept[1] === request.body ? kept : undefined;
  }

  const operations = guard(raw.operations);
  const endpoint = guard(raw.endpoint);
  /** Validates a call; returns its service, throws `ValidationError` naming every bad field. */
  const validate = guard((input) => JSON.parse(raw.validateJson(json(input))));
  /** The URL-list field of each action (`Urls`, `Targets`, or none), asked of the core once. */
  const listFields = new Map();
  function listField(action, service) {
    const key = `${service}/${action}`;
    if (!listFields.has(key)) listFields.set(key, raw.urlListField(action, service));
    return listFields.get(key);
  }

  /**
   * The parts of a call whose URL list can cross as one `\n`-joined text (no JSON of the list
   * either way): `[head, body, at, length]`, or undefined to pass it the ordinary way.
   */
  function buildWithList(input) {
    const params = input?.params;
    if (params === null || typeof params !== 'object' || typeof input.action !== 'string') return undefined;
    const field = listField(input.action, typeof input.service === 'string' ? input.service : undefined);
    const list = field === undefined ? undefined : params[field];
    if (!Array.isArray(list) || list.length === 0) return undefined;
    for (let i = 0; i < list.length; i++) if (typeof list[i] !== 'string') return undefined;
    const joined = list.join('\n');
    // a lone surrogate reads as an error through JSON; the encoder would replace it silently
    if (typeof joined.isWellFormed !== 'function' || !joined.isWellFormed()) return undefined;
    // the list left out of the JSON (an `undefined` member is not written): a spread, faster
    // than a rest pattern with a computed key
    return raw.buildRequestList(json({ ...input, params: { ...params, [field]: undefined } }), field, scratchUtf8(joined), list.length);
  }

  /** The unsigned request of a call, validated unless `skipValidation`. */
  const buildRequest = guard((input) => {
    // whatever happens below, the body the module kept may be replaced
    lastListBuild = null;
    const listed = buildWithList(input);
    const [head, body, at, length] = listed ?? raw.buildRequestParts(json(input));
    const request = JSON.parse(head);
    request.body = body;
    if (listed !== undefined) lastListBuild = [request, body, at, length];
    return request;
  });
  /** Parses an answer into its typed output; throws `ApiError` for an error answer. */
  const parseResponse = guard(
    typeof raw.parseResponseJson === 'function'
      ? (action, status, body) => nullsToUndefined(JSON.parse(raw.parseResponseJson(action, status, body)))
      : raw.parseResponse,
  );

  /**
   * Signs with the body apart from the JSON: as UTF-8 bytes when the core hashes it, not at all
   * with a known payload hash; the signed request gets the same body string back.
   */
  function signParts(input, signing, bytes) {
    const body = input.request.body;
    // the `SignInput` members spelt out (spreads and rest patterns copy slower)
    const request = { ...input.request, body: '' };
    try {
      const signed = JSON.parse(raw.signRequestParts(json({ request, service: input.service, credentials: input.credentials, signing }), bytes));
      signed.request.body = body;
      return signed;
    } catch (e) {
      throw toError(e);
    }
  }

  /** Signs with a known payload hash: the body stays on this side of the boundary. */
  function signWithHash(input, signing, sha256) {
    return signParts(input, { ...signing, payload: { kind: 'precomputed', sha256 } }, EMPTY);
  }

  function signInWasm(input, signing) {
    if (typeof input.request.body === 'string' && signing.payload?.kind !== 'precomputed') {
      return signParts(input, signing, scratchUtf8(input.request.body));
    }
    try {
      return JSON.parse(raw.signRequestJson(json({ ...input, signing })));
    } catch (e) {
      throw toError(e);
    }
  }

  /**
   * Signs a request (TC3 for teo/cdn, ACS3 for esa). Time defaults to now, the nonce to a random
   * one; in Node a large body is hashed with node:crypto and only the digest goes to the core.
   */
  function signRequest(input) {
    checkObject(input, 'input');
    const signing = signingDefaults(input.signing, input.service);
    if (signing.payload === undefined && hostSha256 && bigBody(input.request)) {
      // a body the module built and still keeps is hashed where it lies
      const kept = hostSha256At === null ? undefined : keptBody(input.request);
      return signWithHash(input, signing, kept === undefined ? hostSha256(input.request.body) : hostSha256At(kept[2], kept[3]));
    }
    if (signing.payload?.kind === 'precomputed') return signWithHash(input, signing, signing.payload.sha256);
    // hashed in wasm (`sha256Hex`: the body copied in once, as UTF-8), signed with the digest
    if ((signing.payload === undefined || signing.payload.kind === 'fromBody') && bigBody(input.request)) {
      const kept = keptBody(input.request) === undefined ? undefined : raw.sha256KeptBody?.();
      return signWithHash(input, signing, kept ?? raw.sha256Hex(scratchUtf8(input.request.body)));
    }
    return signInWasm(input, signing);
  }

  /** As `signRequest`, hashing large bodies with WebCrypto where there is no synchronous hash. */
  async function signRequestAsync(input) {
    checkObject(input, 'input');
    const signing = signingDefaults(input.signing, input.service);
    if (signing.payload === undefined && bigBody(input.request) && !hostSha256 && globalThis.crypto?.subtle) {
      const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(input.request.body));
      return signWithHash(input, signing, Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join(''));
    }
    return signRequest({ ...input, signing });
  }

  /** The service (`teo`, `cdn`, `esa`) of an action or operation name (`CdnDescribePurgeTasks`). */
  const serviceOf = guard(raw.serviceOf);

  /** Builds (validated) and signs one call: `{action, params, endpoint?, limits?, credentials, signing?}`. */
  function prepareCall(input) {
    if (input === null || typeof input !== 'object') return buildRequest(input);
    const { credentials, signing, ...call } = input;
    if (!hasLongList(call.params)) {
      const built = prepareInOne(call, credentials, signing);
      if (built.request !== undefined) return built;
      return { service: built.service, ...signRequest({ request: built.unsigned, service: built.service, credentials, signing }) };
    }
    const request = buildRequest(call);
    const service = call.service ?? serviceOf(call.action);
    return { service, ...signRequest({ request, service, credentials, signing }) };
  }

  /**
   * A call built and signed in one crossing: the signed call, or `{service, unsigned}` when
   * its body is long enough for the native hash to pay (the caller signs it as `signRequest`
   * does). The time defaults to now here; the module asks `randomNonce` for a nonce when ACS3
   * signs and none is given, as `signRequest` would.
   */
  const prepareInOne = guard((call, credentials, signing) => {
    const s = withTime(signing);
    const hashFrom = hostSha256 && s.payload === undefined ? NATIVE_HASH_MIN_BYTES : 0xffffffff;
    const out = raw.prepareCallJson(json({ ...call, credentials, signing: s }), hashFrom, randomNonce);
    if (typeof out === 'string') return JSON.parse(out);
    const [head, body, service] = out;
    const unsigned = JSON.parse(head);
    unsigned.body = body;
    return { service, unsigned };
  });

  /**
   * `POST /sign`'s intent in one crossing: built (limits as `signLimits` gave them), validated,
   * routed by `policy` (a host it does not allow is refused before anything is signed) and
   * signed with `credentials`; `undefined` when the intent is valid but there are none.
   */
  const signIntent = guard((policy, input) => {
    const { signing, ...call } = input;
    const out = policy.signCallJson(json({ ...call, signing: withTime(signing) }), randomNonce);
    return out === undefined ? undefined : JSON.parse(out);
  });

  /**
   * Whether `params` holds a URL list long enough (its URLs' length together) for the list
   * path (`buildRequestList`: the list crosses as one text, the body hashed where it lies).
   */
  function hasLongList(params) {
    if (params === null || typeof params !== 'object') return false;
    for (const key in params) {
      const list = params[key];
      if (!Array.isArray(list)) continue;
      let length = 0;
      for (let i = 0; i < list.length; i++) {
        if (typeof list[i] === 'string' && (length += list[i].length) >= NATIVE_HASH_MIN_BYTES) return true;
      }
    }
    return false;
  }

  const { requestUrl, toCurl, sendRequest } = transportFor(raw);

  /** Builds, signs, sends and parses one call; resolves to its typed output, throws `ApiError`. */
  async function call(input, options = {}) {
    const signed = prepareCall(input);
    const answer = await sendRequest(signed.request, options);
    const named = input.service ? operations().find((o) => o.service === input.service && (o.action === input.action || o.name === input.action)) : undefined;
    return parseResponse(named?.name ?? input.action, answer.status, decoder.decode(answer.body)).output;
  }

  return {
    operations,
    endpoint,
    validate,
    buildRequest,
    parseResponse,
    verifyRequest: guard(raw.verifyRequest),
    lookupCode: guard(raw.lookupCode),
    explainError: guard(raw.explainError),
    prepareUrl: guard(raw.prepareUrl),
    dedupe: guard(raw.dedupe),
    checkOrigin: guard(raw.checkOrigin),
    refusalJson: raw.refusalJson,
    ProxyPolicy: raw.ProxyPolicy,
    /** The CORS lists and the body limit of the proxy policy (the native proxy's very values). */
    corsPolicy: guard(raw.corsPolicy),
    /** The edge worker's signing allowlist from `EDGEWARM_SIGN_ACTIONS` (unset: the default). */
    signActions: guard(raw.signActions),
    defaultSignActions: guard(raw.defaultSignActions),
    /** Throws a 403 `ProxyRefusal` for an action outside the allowlist. */
    checkSignAction: guard(raw.checkSignAction),
    /** Throws a 401 `ProxyRefusal` unless `authorization` is `Bearer <token>` (constant time). */
    checkBearer: guard(raw.checkBearer),
    /** The default limits, lowered (never raised) by the caller's. */
    signLimits: guard(raw.signLimits),
    /** A request built elsewhere, parsed back into its operation, validated and rebuilt (unsigned). */
    rebuildRequest: guard((input) => JSON.parse(raw.rebuildRequestJson(json(input)))),
    signRequest,
    signRequestAsync,
    prepareCall,
    signIntent,
    serviceOf,
    requestUrl,
    toCurl,
    sendRequest,
    call,
  };
}
