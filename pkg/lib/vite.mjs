// `edgewarm/vite`: a Vite and Rollup plugin that warms what a production build just wrote. After
// each output is written it takes every emitted chunk and asset, keeps those the include /
// exclude patterns allow, and warms `baseUrl + fileName` (plus any extra URLs or sources) with
// the package's job engine; a journal in the project's cache directory lets a cut-off build's
// warming resume on the next build. Vite runs it on `vite build` only; Rollup ignores `apply`
// and runs it on every build with an output written.

import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import { WarmError, allSucceeded, checkVendor, dryRun, gatherUrls, warm, adviceFor } from './warm.mjs';

/** Files a build writes that are not served: source maps and Vite's own manifests. */
const DEFAULT_EXCLUDE = [/\.map$/, /(^|\/)\.vite\//];

/** A glob (`*`, `**`, `?`, `{a,b}`) as a RegExp over `/`-separated file names. */
export function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i += 1;
        if (glob[i + 1] === '/') {
          i += 1;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((p) => p.replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|[\]\\}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function patterns(value, option) {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.map((p) => {
    if (p instanceof RegExp) return p;
    if (typeof p === 'string') return globToRegExp(p);
    throw new WarmError(option, `must be globs or RegExps (got ${JSON.stringify(p)})`);
  });
}

const matches = (list, name) => list.some((re) => (re.lastIndex = 0, re.test(name)));

function joinUrl(base, fileName) {
  return `${base.replace(/\/*$/, '/')}${fileName.split('/').map(encodeURIComponent).join('/')}`;
}

/** One journal per vendor and output directory: `<dir>/<vendor>-<out>-<hash>.json`. */
function journalPath(dir, vendor, outputOptions) {
  const out = resolve(outputOptions.dir ?? outputOptions.file ?? 'dist');
  const tag = createHash('sha256').update(out).digest('hex').slice(0, 8);
  return join(dir, `${vendor}-${basename(out).replace(/[^A-Za-z0-9._-]+/g, '_')}-${tag}.json`);
}

/**
 * The plugin. Options: `vendor` (required), `baseUrl` (default: Vite's `base` when absolute),
 * `zoneId` / `siteId` / `region` / `intl`, `proxy` / `endpoint`, `urls` / `sources` (extra),
 * `include` / `exclude` (globs or RegExps over file names), `purgeFirst`, `dryRun`, `rate`,
 * `failOnError` (default true), `journal` (path; default in the cache directory), `logger`.
 */
export default function edgewarm(options = {}) {
  const o = { failOnError: true, ...options };
  o.vendor = checkVendor(o.vendor);
  const include = patterns(o.include, 'include');
  const exclude = patterns(o.exclude, 'exclude') ?? DEFAULT_EXCLUDE;
  let viteBase;
  let cacheDir;
  let ssr = false;
  let root = process.cwd();
  const say = (line) => (o.logger ?? ((l) => process.stdout.write(`${l}\n`)))(`edgewarm: ${line}`);

  return {
    name: 'edgewarm',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      viteBase = config.base;
      cacheDir = config.cacheDir;
      root = config.root ?? root;
      ssr = Boolean(config.build?.ssr);
    },
    async writeBundle(outputOptions, bundle) {
      // server bundles are not served from the CDN
      if (ssr || this.environment?.config?.consumer === 'server') return;
      const baseUrl = o.baseUrl ?? (/^https?:\/\//i.test(viteBase ?? '') ? viteBase : undefined);
      if (!baseUrl) throw new WarmError('baseUrl', `is required: the absolute URL the build is served from (Vite's base is ${JSON.stringify(viteBase ?? null)})`);
      if (!/^https?:\/\/[^/]+/i.test(baseUrl)) throw new WarmError('baseUrl', `must be an http(s) URL (got ${JSON.stringify(baseUrl)})`);
      const files = Object.keys(bundle)
        .map((k) => bundle[k].fileName ?? k)
        .filter((f) => (!include || matches(include, f)) && !matches(exclude, f))
        .sort();
      const got = await gatherUrls({ urls: [...files.map((f) => joinUrl(baseUrl, f)), ...(o.urls ?? [])], sources: o.sources ?? [] });
      for (const r of got.rejected) say(`skipped ${r.source}:${r.line}: ${r.rule}: ${r.message}`);
      for (const e of got.errors) say(`source not read: ${e.source}: ${e.message}`);
      if (got.urls.length === 0) return;
      if (o.dryRun) {
        const { plan } = dryRun(o, got.urls);
        say(`dry run: ${plan.urls} URLs (${plan.invalid} invalid) in ${plan.batches} calls of ≤ ${plan.batchCap}; nothing sent`);
        return;
      }
      const journal = o.journal ? resolve(root, o.journal) : journalPath(cacheDir ? resolve(root, cacheDir, 'edgewarm') : join(root, 'node_modules/.cache/edgewarm'), o.vendor, outputOptions);
      const s = await warm({ ...o, journal, onNotice: say }, got.urls);
      const c = s.counts;
      say(`${s.total} URLs on ${s.vendor}: ${c.succeeded} warmed, ${c.failed} failed, ${c.deferred} deferred, ${c.invalid} invalid${c.pending + c.submitted ? `, ${c.pending + c.submitted} unfinished` : ''} (${(s.durationMs / 1000).toFixed(1)} s)`);
      if (allSucceeded(s)) return;
      const reasons = [
        ...(s.halted ? [`halted: ${s.halted.code}: ${s.halted.message}`] : []),
        ...s.failed.map((f) => `${f.url}: ${f.code}: ${f.reason} — ${adviceFor({ ...f, fate: 'failed' })}`),
        ...s.deferred.map((f) => `${f.url}: deferred: ${f.reason}`),
        ...s.invalid.map((f) => `${f.url}: invalid: ${f.rule}: ${f.message}`),
      ];
      const text = `${reasons.length} not warmed:\n  ${reasons.slice(0, 20).join('\n  ')}${reasons.length > 20 ? `\n  … and ${reasons.length - 20} more` : ''}\n  journal: ${journal}`;
      if (o.failOnError) this.error(`edgewarm: ${text}`);
      else say(text);
    },
  };
}

export { edgewarm };
