// Gathering URLs from sources: lists (text, CSV), sitemaps (index → children, gzip) and M3U8
// playlists (master → media → segments). The core reads each document; this file only fetches
// the documents they name and merges the results.

import { raw } from '#edgewarm-ready';
import { toError } from './errors.mjs';

const MAX_SITEMAPS = 1000;
const decoder = new TextDecoder();

function kindOf(name, bytes) {
  const n = (name ?? '').toLowerCase().replace(/[?#].*$/, '');
  if (n.endsWith('.m3u8') || n.endsWith('.m3u')) return 'm3u8';
  if (n.endsWith('.xml') || n.endsWith('.xml.gz') || n.endsWith('.gz')) return 'sitemap';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'sitemap';
  const head = decoder.decode(bytes.subarray(0, 512)).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('#EXTM3U')) return 'm3u8';
  if (head.startsWith('<?xml') || head.startsWith('<urlset') || head.startsWith('<sitemapindex')) return 'sitemap';
  return 'list';
}

async function fetchBytes(fetch, url, signal) {
  const r = await fetch(url, { signal, redirect: 'follow' });
  if (!r.ok) throw new Error(`HTTP ${r.status}`);
  return new Uint8Array(await r.arrayBuffer());
}

/**
 * URLs from sources, deduplicated in order. Each source is `{name, bytes}` (a file; `baseUrl`
 * for a playlist with relative URIs) or `{url}` (fetched). Sitemap indexes and master playlists
 * are followed with `fetch`. Resolves to `{urls, rejected, duplicates, errors}`; a rejected line
 * carries its `source`, `line`, `rule` and `message`.
 */
export async function collectUrls(sources, { fetch = globalThis.fetch, signal } = {}) {
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
    let { name, bytes, url, baseUrl } = source;
    try {
      if (bytes === undefined) {
        bytes = await fetchBytes(fetch, url, signal);
        name = name ?? url;
        baseUrl = baseUrl ?? url;
      }
      const kind = kindOf(name, bytes);
      if (kind === 'list') {
        const out = raw.parseList(name ?? 'stdin.txt', decoder.decode(bytes));
        add(out.urls);
        duplicates += out.duplicates;
        rejected.push(...out.rejected.map((r) => ({ source: name, ...r })));
      } else if (kind === 'sitemap') {
        const queue = [[name, bytes]];
        let docs = 0;
        while (queue.length > 0 && docs < MAX_SITEMAPS) {
          const [docName, docBytes] = queue.shift();
          docs += 1;
          const map = raw.parseSitemap(docBytes);
          add(map.urls);
          duplicates += map.duplicates;
          rejected.push(...map.rejected.map((r) => ({ source: docName, ...r })));
          for (const child of map.sitemaps) {
            try {
              queue.push([child, await fetchBytes(fetch, child, signal)]);
            } catch (e) {
              errors.push({ source: child, message: `cannot fetch the child sitemap: ${e.message}` });
            }
          }
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
            walk.feed(next, decoder.decode(await fetchBytes(fetch, next, signal)));
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
