// Gathering URLs from sources: lists (text, CSV), sitemaps (index → children, gzip) and M3U8
// playlists (master → media → segments). The core reads each document; this file only fetches
// the documents they name and merges the results.

import { raw } from '#edgewarm-ready';
import { toError } from './errors.mjs';

/** Redirects followed per fetch (assumed: enough for http → https → a CDN path). */
export const MAX_REDIRECTS = 5;
const decoder = new TextDecoder();

/** `list`, `sitemap` or `m3u8`: the core's rule (name, content type, first bytes). */
function kindOf(name, contentType, bytes) {
  return raw.detectSource(name, contentType, bytes.subarray(0, 512));
}

function httpOnly(url, what) {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${what} ${u.protocol} refused: sources are fetched over http(s) only`);
  return u.href;
}

/** The body of `r`, refused as soon as it passes `cap` bytes (never buffered past the cap). */
async function readCapped(r, cap) {
  const tooBig = () => new Error(`the response is larger than the cap of ${cap} bytes per fetch (maxFetchBytes)`);
  const declared = Number(r.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > cap) {
    await r.body?.cancel().catch(() => {});
    throw tooBig();
  }
  if (!r.body) return new Uint8Array(await r.arrayBuffer());
  const reader = r.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => {});
      throw tooBig();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/**
 * GETs `url` following at most `MAX_REDIRECTS` redirects, each to http(s) only, and reads at
 * most `cap` bytes. Resolves to `{bytes, url, contentType}` (the final URL). Browsers hide a redirect's
 * target from `redirect: 'manual'`; there the browser follows it (http(s) only, by the Fetch
 * standard) and the final URL is checked.
 */
async function fetchBytes(fetch, url, signal, cap) {
  let current = httpOnly(url, 'a source URL with');
  for (let hops = 0; ; hops += 1) {
    let r = await fetch(current, { signal, redirect: 'manual' });
    if (r.type === 'opaqueredirect') {
      r = await fetch(current, { signal, redirect: 'follow' });
      current = httpOnly(r.url || current, 'a redirect to');
    } else if (r.status >= 300 && r.status < 400 && r.headers.has('location')) {
      await r.body?.cancel().catch(() => {});
      if (hops >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects (from ${url}): refused`);
      current = httpOnly(new URL(r.headers.get('location'), current).href, 'a redirect to');
      continue;
    }
    if (!r.ok) {
      await r.body?.cancel().catch(() => {});
      throw new Error(`HTTP ${r.status}`);
    }
    return { bytes: await readCapped(r, cap), url: current, contentType: r.headers.get('content-type') ?? undefined };
  }
}

/**
 * URLs from sources, deduplicated in order. Each source is `{name, bytes}` (a file; `baseUrl`
 * for a playlist with relative URIs) or `{url}` (fetched). Sitemap indexes and master playlists
 * are followed with `fetch`. Resolves to `{urls, rejected, duplicates, errors}`; a rejected line
 * carries its `source`, `line`, `rule` and `message`.
 *
 * Bounds: `maxBytes` per decompressed sitemap (50 MiB, the protocol's limit; a gzip bomb stops
 * there), `maxFetchBytes` per fetched document (default `maxBytes`), `maxSitemaps` documents
 * per source (1 000; an index's children are counted before any is fetched), at most
 * `MAX_REDIRECTS` redirects per fetch, to http(s) only.
 */
export async function collectUrls(sources, { fetch = globalThis.fetch, signal, maxBytes, maxFetchBytes, maxSitemaps } = {}) {
  let limits;
  try {
    limits = raw.sitemapLimits(Object.fromEntries(Object.entries({ maxBytes, maxSitemaps }).filter(([, v]) => v !== undefined)));
  } catch (e) {
    throw toError(e);
  }
  const fetchCap = maxFetchBytes ?? limits.maxBytes;
  if (!Number.isSafeInteger(fetchCap) || fetchCap < 0) throw new TypeError(`maxFetchBytes must be a whole number of bytes (got ${JSON.stringify(maxFetchBytes)})`);
  const urls = [];
  const seen = new Set();
  const rejected = [];
  const errors = [];
  let duplicates = 0;
  const add = (list) => {
    for (const u of list) {
      if (seen.has(u)) duplicates += 1;
      else {
        seen.add(u);
        urls.push(u);
      }
    }
  };
  for (const source of sources) {
    let { name, bytes, url, baseUrl, contentType } = source;
    try {
      if (bytes === undefined) {
        const got = await fetchBytes(fetch, url, signal, fetchCap);
        bytes = got.bytes;
        name = name ?? url;
        baseUrl = baseUrl ?? got.url;
        contentType = contentType ?? got.contentType;
      }
      const kind = kindOf(name, contentType, bytes);
      if (kind === 'list') {
        const out = raw.parseList(name ?? 'stdin.txt', decoder.decode(bytes));
        add(out.urls);
        duplicates += out.duplicates;
        rejected.push(...out.rejected.map((r) => ({ source: name, ...r })));
      } else if (kind === 'sitemap') {
        const queue = [[name, bytes]];
        let used = 1; // documents of this source read or queued, the root included
        while (queue.length > 0) {
          let [docName, docBytes] = queue.shift();
          let map;
          try {
            if (docBytes === undefined) docBytes = (await fetchBytes(fetch, docName, signal, fetchCap)).bytes;
          } catch (e) {
            errors.push({ source: docName, message: `cannot fetch the child sitemap: ${e.message}` });
            continue;
          }
          try {
            map = raw.parseSitemap(docBytes, limits);
          } catch (e) {
            errors.push({ source: docName, message: toError(e).message });
            continue;
          }
          add(map.urls);
          duplicates += map.duplicates;
          rejected.push(...map.rejected.map((r) => ({ source: docName, ...r })));
          const admitted = raw.admitSitemapChildren(used, map.sitemaps.length, limits);
          if (admitted.error) errors.push({ source: docName, message: admitted.error });
          used += admitted.admit;
          // fetched when their turn comes: one document in memory at a time
          for (const child of map.sitemaps.slice(0, admitted.admit)) queue.push([child, undefined]);
        }
      } else {
        if (!baseUrl) throw new Error('a playlist needs its own URL to resolve its entries: give it as a URL (or baseUrl)');
        const walk = new raw.PlaylistExpander(baseUrl, 3);
        let first = true;
        for (let next = walk.nextFetch(); next !== undefined; next = walk.nextFetch()) {
          if (first) {
            walk.feed(next, decoder.decode(bytes));
            first = false;
            continue;
          }
          try {
            walk.feed(next, decoder.decode((await fetchBytes(fetch, next, signal, fetchCap)).bytes));
          } catch (e) {
            walk.fetchFailed(next, e.message);
          }
        }
        add(walk.urls());
        errors.push(...walk.errors().map(([source, message]) => ({ source, message })));
        walk.free();
      }
    } catch (e) {
      const err = toError(e);
      errors.push({ source: name ?? url, message: err.message });
    }
  }
  return { urls, rejected, duplicates, errors };
}
