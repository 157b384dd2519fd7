// Moving a signed request: its URL (vendor or proxy), a curl rendering without secrets, and
// a fetch-based send. No signing or parsing here; the URL and the curl text are the core's.

import { raw } from '#edgewarm-ready';
import { guard } from './errors.mjs';

/**
 * The URL a request is sent to: the vendor (`{kind: 'vendor'}`), the edgewarm proxy or edge
 * worker (`{kind: 'proxy', base}` → `<base>/api/<host>/`). The core decides; only the head of
 * the request crosses.
 */
export const requestUrl = guard((request, transport) => raw.requestUrl({ host: request.host, path: request.path, query: request.query }, transport));

/**
 * The request as a curl command. The secret key is never in a request; a session token is
 * written as its environment variable (`"$TENCENTCLOUD_SESSION_TOKEN"`), not its value.
 */
export const toCurl = guard(raw.toCurl);

/** Sends a signed request with `fetch`; answers `{status, body, dateMs}`. */
export async function sendRequest(request, { transport = { kind: 'vendor' }, fetch = globalThis.fetch, signal } = {}) {
  const headers = new Headers();
  for (const [n, v] of request.headers) headers.append(n, v);
  const response = await fetch(requestUrl(request, transport), {
    method: request.method,
    headers,
    body: request.method === 'GET' ? undefined : request.body,
    redirect: 'manual',
    signal,
  });
  const body = new Uint8Array(await response.arrayBuffer());
  const date = response.headers.get('date');
  const dateMs = date ? Date.parse(date) : NaN;
  return { status: response.status, body, dateMs: Number.isFinite(dateMs) ? dateMs : undefined };
}

