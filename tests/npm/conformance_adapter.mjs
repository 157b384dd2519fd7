// Conformance adapter for the conformance checker beside the checkout (check.py), through the
// package's call module (`edgewarm/call`, the edge worker's wasm; call.test.mjs proves it signs
// as the root export does): each vector input becomes buildRequest (validation skipped: vectors
// carry inputs a cloud would refuse on purpose) + signRequest with the vector's time and nonce.
//   python3 check.py --semantic --vectors public.jsonl -- node conformance_adapter.mjs
import { createInterface } from 'node:readline';
import * as ew from 'edgewarm/call';

function endpointOf(v) {
  const region = v.region ?? undefined;
  let e;
  if (v.service === 'esa') {
    try {
      e = ew.endpoint('esa', { region });
    } catch {
      e = undefined;
    }
  } else {
    e = ew.endpoint(v.service, { site: v.host.includes('.intl.') ? 'intl' : 'china', region, language: v.client?.language ?? undefined });
  }
  if (!e) return { host: v.host };
  return e.host === v.host ? e : { ...e, host: v.host };
}

function build(v) {
  const request = ew.buildRequest({ action: v.action, service: v.service, params: v.params ?? {}, endpoint: endpointOf(v), skipValidation: true });
  const c = v.credentials;
  const credentials = { id: c.secret_id, secret: c.secret_key, ...(c.token ? { token: c.token } : {}) };
  const { request: signed, explain } = ew.signRequest({ request, service: v.service, credentials, signing: { time: Math.trunc(v.timestamp), nonce: v.nonce ?? '' } });
  return {
    method: signed.method,
    path: signed.path,
    query: signed.query,
    headers: [['Host', signed.host], ...signed.headers],
    body: signed.body,
    debug: { canonical_request: explain.canonicalRequest, string_to_sign: explain.stringToSign },
  };
}

const escape = (s) => s.replace(/[\u0085\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line.trim()) continue;
  let out;
  try {
    const v = JSON.parse(line);
    try {
      out = { id: v.id, ...build(v) };
    } catch (e) {
      out = { id: v.id, error: `${e.code ?? e.name}: ${e.message}` };
    }
  } catch (e) {
    out = { error: `not JSON: ${e.message}` };
  }
  process.stdout.write(`${escape(JSON.stringify(out))}\n`);
}
