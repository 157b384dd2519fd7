// Moving a signed request: its URL (vendor or proxy), a curl rendering without secrets, and
// a fetch-based send. No signing or parsing here.

/**
 * The URL a request is sent to: the vendor (`{kind: 'vendor'}`), the edgewarm proxy or edge
 * worker (`{kind: 'proxy', base}` → `<base>/api/<host>/`).
 */
export function requestUrl(request, transport = { kind: 'vendor' }) {
  const q = request.query ? `?${request.query}` : '';
  if (transport.kind === 'proxy') return `${transport.base.replace(/\/+$/, '')}/api/${request.host}${request.path}${q}`;
  return `https://${request.host}${request.path}${q}`;
}

const SECRET_HEADERS = new Map([
  ['x-tc-token', '$TENCENTCLOUD_SESSION_TOKEN'],
  ['x-acs-security-token', '$ALIBABA_CLOUD_SECURITY_TOKEN'],
]);

function shellQuote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

/**
 * The request as a curl command. The secret key is never in a request; a session token is
 * written as its environment variable (`"$TENCENTCLOUD_SESSION_TOKEN"`), not its value.
 */
export function toCurl(request, transport = { kind: 'vendor' }) {
  const parts = ['curl', '-sS', '-X', request.method, shellQuote(requestUrl(request, transport))];
  for (const [name, value] of request.headers) {
    const env = SECRET_HEADERS.get(name.toLowerCase());
    parts.push('-H', env ? `"${name}: ${env}"` : shellQuote(`${name}: ${value}`));
  }
  if (request.body) parts.push('--data-binary', shellQuote(request.body));
  return parts.join(' ');
}

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

