// The console parses and resolves URLs with Chromium's WHATWG `URL` (its wasm is built without
// the core's `url` crate, web/src/host_url.rs), and must answer exactly as the npm package's full
// module in Node (held to the Rust parser's answers by tests/url_answers.json): the same URLs
// refused, the same encoded forms, and the same entries of an M3U8 playlist resolved against
// its URL. Gzipped sitemaps are inflated by the browser (`DecompressionStream`,
// web/src/gunzip.rs) and must give the module's URLs. In headless Chromium against
// `edgewarm-proxy --sandbox` serving web/dist (`cargo xtask console-test` sets EDGEWARM_CONSOLE).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import * as ew from 'edgewarm';
import { launch, openPage, reveal, setValue } from './console_page.mjs';
import { URL_CASES } from './bundle/src/url_cases.js';

let context;

before(async () => {
  context = await launch('urls');
});

after(async () => {
  await context?.close();
});

/** The URL cases of the modules' agreement test (tests/url_answers.json) that reach the parser
 * (the wildcard and the ftp:// one are refused before it). */
const URLS = URL_CASES.filter((url) => /^https?:/.test(url) && !url.includes('*'));

test('URL checks: the console refuses and encodes exactly what the full module does', async () => {
  const { page, problems } = await openPage(context);
  await page.locator('#vendor-teo').check();
  await setValue(page, '#urls', URLS.join('\n'));
  // what the full module says of the same lines
  const listed = ew.parseList('urls.txt', URLS.join('\n'));
  const refused = listed.rejected.map((r) => r.text);
  const encoded = [];
  let ok = 0;
  for (const url of listed.urls) {
    try {
      const p = ew.prepareUrl(url, 'teo');
      ok += 1;
      if (p.needsEncoding) encoded.push(`${p.original} → ${p.encoded}`);
    } catch {
      refused.push(url);
    }
  }
  assert.ok(ok >= 10 && refused.length >= 4, `the cases reach both answers (${ok} taken, ${refused.length} refused)`);
  await page.waitForFunction((n) => document.querySelector('#url-counts')?.textContent.startsWith(`${n} URL${n === 1 ? '' : 's'} ready`), ok);
  const shownRefused = await page.locator('.refused .problems li code').allInnerTexts();
  assert.deepEqual([...shownRefused].sort(), [...refused].sort());
  await page.locator('details:has(.encoded)').evaluate((d) => { d.open = true; });
  const shownEncoded = await page.locator('.encoded li').allInnerTexts();
  assert.deepEqual(shownEncoded.map((s) => s.trim()).sort(), encoded.sort());
  await page.close();
  assert.deepEqual(problems, []);
});

test('M3U8: the console resolves a playlist\'s entries exactly as the full module does', async () => {
  const { page, problems } = await openPage(context);
  const base = 'https://Media.Example.COM/v/./show/master.m3u8?token=1';
  const playlist = [
    '#EXTM3U',
    '#EXT-X-KEY:METHOD=AES-128,URI="../keys/k 1.key"',
    '#EXT-X-MAP:URI="//init.example.net/init.mp4"',
    '#EXT-X-STREAM-INF:BANDWIDTH=1',
    'low/index.m3u8',
    '#EXTINF:4,',
    'seg-1.ts?x=é',
    '#EXTINF:4,',
    '/abs/seg-2.ts',
    '#EXTINF:4,',
    'https://例子.测试/seg-3.ts',
    '#EXTINF:4,',
    '?only=query',
    '#EXTINF:4,',
    'ftp://example.com/not-http.ts',
    '#EXTINF:4,',
    'HTTP://CDN.Example.ORG:80/a/../seg-4.ts',
    '#EXTINF:4,',
    'https://xn--a.example/not-idna.ts',
    '#EXTINF:4,',
    'https://exa mple.com/space-in-host.ts',
  ].join('\n');
  const p = ew.parsePlaylist(playlist, base);
  const expected = [base, ...p.segments, ...p.playlists, ...p.resources];
  assert.ok(expected.length >= 8, `the playlist resolves to several entries (${expected.length})`);
  await reveal(page, '#playlist-base');
  await setValue(page, '#playlist-base', base);
  await page.locator('#files').setInputFiles({ name: 'show.m3u8', mimeType: 'application/vnd.apple.mpegurl', buffer: Buffer.from(playlist) });
  await page.waitForFunction(() => /^\d+ lines? loaded from show\.m3u8/.test(document.querySelector('#url-list-count')?.textContent ?? ''));
  const shown = await page.locator('#url-list .lrow').allInnerTexts();
  assert.deepEqual(shown.map((s) => s.trim()), expected);
  await page.close();
  assert.deepEqual(problems, []);
});

test('sitemaps: a gzipped sitemap inflated by the browser gives the module\'s URLs; damaged gzip is said', async () => {
  const { page, problems } = await openPage(context);
  const locs = ['https://www.example.com/a', 'https://例子.测试/页', 'https://exa mple.com/bad', 'https://www.example.com/a', 'https://www.example.com/b?x=1&amp;y=2'];
  const xml = `\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${locs.map((l) => `<url><loc>${l}</loc></url>`).join('')}</urlset>`;
  const gz = gzipSync(Buffer.from(xml));
  const expected = ew.parseSitemap(gz).urls;
  assert.ok(expected.length >= 3 && !expected.includes('https://exa mple.com/bad'), `the module takes the good locs (${expected})`);
  await page.locator('#files').setInputFiles({ name: 'sitemap.xml.gz', mimeType: 'application/gzip', buffer: gz });
  await page.waitForFunction(() => /^\d+ lines? loaded from sitemap\.xml\.gz/.test(document.querySelector('#url-list-count')?.textContent ?? ''));
  const shown = await page.locator('#url-list .lrow').allInnerTexts();
  assert.deepEqual(shown.map((s) => s.trim()), expected);
  // a truncated stream: the browser's inflater fails and the console says so, naming the file
  await page.locator('#files').setInputFiles({ name: 'broken.xml.gz', mimeType: 'application/gzip', buffer: gz.subarray(0, gz.length - 12) });
  await page.locator('.field-error', { hasText: 'broken.xml.gz: the gzip data is damaged' }).waitFor();
  await page.close();
  assert.deepEqual(problems, []);
});
