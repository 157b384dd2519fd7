// The transport functions over one wasm module's exports (`raw`): the full module's are in
// transport.mjs, the call module's in call.mjs. Only the head of a request crosses into wasm.

import { guard } from './errors.mjs';

/** `requestUrl`, `toCurl` and `sendRequest` bound to the wasm exports `raw`. */
export function transportFor(raw) {
  /**
   * The URL a request is sent to: the vendor (`{kind: 'vendor'}`), the edgewarm proxy or edge
   * worker (`{kind: 'proxy', base}` → `<base>/api/<host>/`). The core decides; only the head of
   * the request crosses.
   */
  const requestUrl = guard((request, transport) => raw.requestUrl({ host: request.host, path: request.path, query: request.query }, transport));

  /**
   * The request as a curl command. The secret key is never in a request; a session token is
   * written as its environment variable (`"$TENCENTCLOUD_SESSION_TOKEN"`), not its value.
   */
  const toCurl = guard(raw.toCurl);

  /** Sends a signed request with `fetch`; answers `{status, body, dateMs}`. */
  async function sendRequest(request, { transport = { kind: 'vendor' }, fetch = globalThis.fetch, signal } = {}) {
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
  return { requestUrl, toCurl, sendRequest };
}
