#!/usr/bin/env node
// edgewarm CLI: push URLs to a CDN's prefetch API (or purge them, or refresh them: purge, wait
// until the purge is done, then prefetch), track them to the end, resume after a crash, retry
// the failed ones, show quotas. Credentials come only from the vendors' environment
// variables (never flags, which `ps` shows). Exit codes: 0 all succeeded, 1 some failed,
// 2 bad input, 3 auth or configuration.

import { parseArgs } from 'node:util';
import { readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as ew from '../lib/index.mjs';
import { journalFile } from '../lib/journal-file.mjs';
import { endpointFetch, summarize } from '../lib/warm.mjs';

const EXIT = { ok: 0, failed: 1, input: 2, config: 3 };
const USAGE = `usage:
  edgewarm push --vendor edgeone|cdn|esa [--zone ID | --site ID] [--region R] [--intl]
                [--proxy URL | --endpoint URL] [--rate N] [--journal FILE] [--json]
                [--dry-run [--sign-for-real]] [--area mainland|overseas|global]
                [--header 'Name: value']... [--max-sitemap-bytes N] [--purge-first] SOURCE...
  edgewarm purge --vendor edgeone|cdn|esa [--kind url|path|prefix|host|tag] [--tag-domain D]...
                (the push flags) SOURCE...
  edgewarm status --journal FILE [--json]
  edgewarm resume --journal FILE [--proxy URL | --endpoint URL] [--json]
  edgewarm retry-failed --journal FILE [--out FILE] [--proxy URL | --endpoint URL] [--json]
  edgewarm quota --vendor edgeone|cdn [--zone ID] [--intl] [--proxy URL | --endpoint URL] [--json]

SOURCE: a file (.txt, .csv, sitemap .xml/.xml.gz, .m3u8), - for stdin, or an http(s) URL of a
sitemap or playlist. A sitemap may be at most 52428800 bytes decompressed (--max-sitemap-bytes,
also the cap per fetch); an index may name at most 1000 sitemaps in all; a fetch follows at most
5 redirects, to http(s) only.
--purge-first makes push a refresh: every URL is purged, its purge tracked until done, and only
  then prefetched (a purge that lands after a prefetch would wipe it); a URL whose purge failed
  is not prefetched. The journal covers both phases: resume never purges twice.
purge --kind: url (default), path (prefix is the same: directories, CDN PurgePathCache), host
  (host names; EdgeOne and ESA) or tag (cache tags; EdgeOne and ESA). For host and tag, SOURCE
  is a file (or -) with one entry a line; # starts a comment. An EdgeOne tag purge names the
  domains its tags apply to with --tag-domain (CreatePurgeTask CacheTag.Domains).
--dry-run prints the calls without sending them, signed with a placeholder key
  (AKID-DRY-RUN-PLACEHOLDER / LTAI-DRY-RUN-PLACEHOLDER); --sign-for-real signs them with your keys.
  The secret and any session token are never printed (curl shows $TENCENTCLOUD_SESSION_TOKEN).
journal files are written owner-only (0600), atomically.
credentials (environment only): TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY,
  TENCENTCLOUD_SESSION_TOKEN; ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET,
  ALIBABA_CLOUD_SECURITY_TOKEN.
exit codes: 0 all succeeded, 1 some failed, 2 bad input, 3 auth or configuration.`;

class CliError extends Error {
  constructor(message, exit) {
    super(message);
    this.exit = exit;
  }
}

const options = {
  vendor: { type: 'string' },
  zone: { type: 'string' },
  site: { type: 'string' },
  region: { type: 'string' },
  intl: { type: 'boolean', default: false },
  proxy: { type: 'string' },
  endpoint: { type: 'string' },
  rate: { type: 'string' },
  journal: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  'sign-for-real': { type: 'boolean', default: false },
  'max-sitemap-bytes': { type: 'string' },
  area: { type: 'string' },
  header: { type: 'string', multiple: true },
  'poll-ms': { type: 'string' },
  kind: { type: 'string' },
  'tag-domain': { type: 'string', multiple: true },
  'purge-first': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

const VENDORS = { edgeone: 'teo', cdn: 'cdn', esa: 'esa' };
// `teo` is EdgeOne's API service code; read it as the vendor name `edgeone`.
const VENDOR_ALIASES = { teo: 'edgeone' };

function vendorOf(flags) {
  const v = Object.hasOwn(VENDOR_ALIASES, flags.vendor ?? '') ? VENDOR_ALIASES[flags.vendor] : flags.vendor;
  if (!v || !Object.hasOwn(VENDORS, v)) throw new CliError(`--vendor must be one of edgeone, cdn, esa (got ${JSON.stringify(flags.vendor)})`, EXIT.input);
  return v;
}

/** Credentials of a vendor from its usual environment variables. */
function credentialsFor(service) {
  const env = process.env;
  const [id, secret, token, names] =
    service === 'esa'
      ? [env.ALIBABA_CLOUD_ACCESS_KEY_ID, env.ALIBABA_CLOUD_ACCESS_KEY_SECRET, env.ALIBABA_CLOUD_SECURITY_TOKEN, 'ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET']
      : [env.TENCENTCLOUD_SECRET_ID, env.TENCENTCLOUD_SECRET_KEY, env.TENCENTCLOUD_SESSION_TOKEN, 'TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY'];
  if (!id || !secret) throw new CliError(`no credentials: set ${names} in the environment`, EXIT.config);
  return token ? { id, secret, token } : { id, secret };
}

function transportOf(flags) {
  if (flags.proxy && flags.endpoint) throw new CliError('give --proxy or --endpoint, not both', EXIT.input);
  for (const [name, value] of [['--proxy', flags.proxy], ['--endpoint', flags.endpoint]]) {
    if (value !== undefined && !/^https?:\/\/[^/]+/.test(value)) throw new CliError(`${name} must be an http(s) URL (got ${JSON.stringify(value)})`, EXIT.input);
  }
  if (flags.proxy) return { kind: 'proxy', base: flags.proxy };
  if (flags.endpoint) return { kind: 'endpoint', base: flags.endpoint };
  return { kind: 'vendor' };
}

/**
 * fetch for `--endpoint`: the vendor request goes to another base URL (a sandbox, a private
 * gateway) with its `Host` kept as signed (the Action's and the Vite plugin's own fetch).
 */
function fetchFor(transport) {
  if (transport.kind !== 'endpoint') return { transport, fetch: globalThis.fetch };
  return { transport: { kind: 'vendor' }, fetch: endpointFetch(new URL(transport.base)) };
}

/** The vendor's public endpoint; the defaults (China site, ESA `cn-hangzhou`) are the core's. */
function endpointFor(service, flags) {
  return ew.endpoint(service, { site: flags.intl ? 'intl' : 'china', region: flags.region });
}

function headersOf(flags) {
  return (flags.header ?? []).map((h) => {
    const i = h.indexOf(':');
    if (i <= 0) throw new CliError(`--header must be 'Name: value' (got ${JSON.stringify(h)})`, EXIT.input);
    return [h.slice(0, i).trim(), h.slice(i + 1).trim()];
  });
}

function targetOf(vendor, flags) {
  if (vendor === 'edgeone') {
    if (!flags.zone) throw new CliError('--zone is required for edgeone (the ZoneId, e.g. zone-2noz78a6ig3s)', EXIT.input);
    const domains = flags['tag-domain'] ?? [];
    return { vendor, zoneId: flags.zone, headers: headersOf(flags), ...(domains.length ? { cacheTagDomains: domains } : {}) };
  }
  if (vendor === 'esa') {
    if (!flags.site || !/^\d+$/.test(flags.site)) throw new CliError('--site is required for esa (the numeric SiteId)', EXIT.input);
    return { vendor, siteId: Number(flags.site), headers: Object.fromEntries(headersOf(flags)) };
  }
  return { vendor, area: flags.area, headers: headersOf(flags) };
}

function number(flags, name, min) {
  if (flags[name] === undefined) return undefined;
  const n = Number(flags[name]);
  if (!Number.isFinite(n) || n < min) throw new CliError(`--${name} must be a number ≥ ${min} (got ${JSON.stringify(flags[name])})`, EXIT.input);
  return n;
}

async function readSources(paths, flags) {
  if (paths.length === 0) throw new CliError('no SOURCE given (a file, - for stdin, or a sitemap URL)', EXIT.input);
  const cap = number(flags, 'max-sitemap-bytes', 1);
  if (cap !== undefined && !Number.isSafeInteger(cap)) throw new CliError(`--max-sitemap-bytes must be a whole number of bytes (got ${JSON.stringify(flags['max-sitemap-bytes'])})`, EXIT.input);
  const sources = [];
  for (const p of paths) {
    if (p === '-') {
      const chunks = [];
      for await (const c of process.stdin) chunks.push(c);
      sources.push({ name: 'stdin.txt', bytes: new Uint8Array(Buffer.concat(chunks)) });
    } else if (/^https?:\/\//i.test(p)) {
      sources.push({ url: p });
    } else {
      if (!existsSync(p)) throw new CliError(`no such file: ${p}`, EXIT.input);
      sources.push({ name: basename(p), bytes: new Uint8Array(readFileSync(p)) });
    }
  }
  const got = await ew.collectUrls(sources, cap === undefined ? {} : { maxBytes: cap, maxFetchBytes: cap });
  for (const r of got.rejected) process.stderr.write(`edgewarm: ${r.source}:${r.line}: ${r.rule}: ${r.message}\n`);
  for (const e of got.errors) process.stderr.write(`edgewarm: ${e.source}: ${e.message}\n`);
  if (got.errors.length > 0 && got.urls.length === 0) throw new CliError('no URL could be read from the sources', EXIT.input);
  return got;
}

function journalTo(path) {
  if (!path) return undefined;
  return journalFile(path, (e) => {
    throw new CliError(`cannot write the journal ${path}: ${e.message}`, EXIT.config);
  });
}

function progressPrinter(json) {
  const tty = process.stderr.isTTY && !json;
  let last = 0;
  return (p, final = false) => {
    const now = Date.now();
    if (!final && now - last < (tty ? 100 : 1000)) return;
    last = now;
    const finished = p.succeeded + p.failed + p.deferred + p.invalid;
    const counts = `${finished}/${p.total}  ✓${p.succeeded} ✗${p.failed} deferred ${p.deferred} invalid ${p.invalid} submitted ${p.submitted} pending ${p.pending}`;
    const eta = p.etaMs ? `  eta ${Math.ceil(p.etaMs / 1000)}s` : '';
    if (tty) {
      const width = 30;
      const filled = p.total ? Math.round((finished / p.total) * width) : width;
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${counts}${eta}\x1b[K${final ? '\n' : ''}`);
    } else {
      process.stderr.write(`edgewarm: ${counts}${eta}\n`);
    }
  };
}

function exitFor(s) {
  if (s.halted) return s.halted.class === 'auth' ? EXIT.config : EXIT.failed;
  return s.allSucceeded ? EXIT.ok : EXIT.failed;
}

function report(s, json) {
  if (json) {
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    return;
  }
  const c = s.counts;
  const kind = s.kind?.type === 'refresh' ? ' refresh' : s.kind?.type === 'purge' ? ` purge (${s.kind.purgeType})` : '';
  process.stdout.write(`${s.vendor}${kind}: ${s.total} URLs: ${c.succeeded} succeeded, ${c.failed} failed, ${c.deferred} deferred, ${c.invalid} invalid, ${c.pending + c.submitted} unfinished (${(s.durationMs / 1000).toFixed(1)} s)\n`);
  if (s.halted) process.stdout.write(`halted: ${s.halted.code}: ${s.halted.message}${ew.lookupCode(s.halted.code) ? ` — ${ew.lookupCode(s.halted.code).hint}` : ''}\n`);
  if (s.kind?.type === 'refresh' && c.failed > 0) process.stdout.write(`  ${s.phases.purgeFailed} failed in the purge (not prefetched), ${s.phases.prefetchFailed} in the prefetch\n`);
  for (const g of s.failures) process.stdout.write(`  ${g.urls} failed with ${g.code}: ${g.reason} — ${g.hint}\n`);
  for (const f of s.failed.slice(0, 20)) process.stdout.write(`  failed ${f.url}: ${f.code} ${f.reason}\n`);
  if (s.failed.length > 20) process.stdout.write(`  … and ${s.failed.length - 20} more (--json lists all)\n`);
  if (s.throttled > 0) process.stdout.write(`  the vendor throttled ${s.throttled} call(s); edgewarm slowed down and re-sent them\n`);
  if (s.counts.deferred > 0) process.stdout.write(s.quotaRecheckMs ? `  ${s.counts.deferred} URL(s) over the quota: the quota is asked again every ${s.quotaRecheckMs / 1000} s (resume to go on)\n` : `  ${s.counts.deferred} URL(s) over the quota were not sent (quota re-reading is off)\n`);
  if (s.journal && exitFor(s) !== EXIT.ok) process.stdout.write(`journal: ${s.journal} (edgewarm resume / retry-failed --journal ${s.journal})\n`);
}

async function run(job, flags, credentials) {
  const started = Date.now();
  const { transport, fetch } = fetchFor(transportOf(flags));
  const print = progressPrinter(flags.json);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await ew.runJob(job, { credentials, transport, fetch, signal: controller.signal, onProgress: (p) => print(p), writeJournal: journalTo(flags.journal) });
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  print(job.progress(Date.now()), true);
  const s = summarize(job, started, flags.journal);
  report(s, flags.json);
  return exitFor(s);
}

/** `--kind` of `purge`: the core's purge type (`prefix` is `path`). */
const PURGE_KINDS = { url: 'url', path: 'path', prefix: 'path', host: 'host', tag: 'tag' };

/** What a `push` or `purge` does: the job kind of the core (`undefined`: prefetch). */
function kindOf(command, vendor, flags) {
  if (command === 'push') {
    if (flags.kind !== undefined) throw new CliError('--kind goes with purge (push --purge-first refreshes URLs)', EXIT.input);
    return flags['purge-first'] ? { type: 'refresh' } : undefined;
  }
  if (flags['purge-first']) throw new CliError('--purge-first goes with push (purge only purges)', EXIT.input);
  const kind = flags.kind ?? 'url';
  if (!Object.hasOwn(PURGE_KINDS, kind)) throw new CliError(`--kind must be one of url, path, prefix, host, tag (got ${JSON.stringify(kind)})`, EXIT.input);
  const purgeType = PURGE_KINDS[kind];
  if (vendor === 'cdn' && (purgeType === 'host' || purgeType === 'tag')) throw new CliError(`--kind ${kind}: Tencent CDN purges URLs (PurgeUrlsCache) and paths (PurgePathCache) only`, EXIT.input);
  if (vendor === 'edgeone' && purgeType === 'tag' && !(flags['tag-domain'] ?? []).length) throw new CliError('--kind tag on edgeone needs --tag-domain D (one or more): the domains the tags apply to (CreatePurgeTask CacheTag.Domains)', EXIT.input);
  if (flags['tag-domain'] && !(vendor === 'edgeone' && purgeType === 'tag')) throw new CliError('--tag-domain goes with purge --vendor edgeone --kind tag', EXIT.input);
  return { type: 'purge', purgeType };
}

/** Host names or cache tags, one a line (no URL checks: the vendor checks them). */
async function readEntries(paths) {
  if (paths.length === 0) throw new CliError('no SOURCE given (a file with one entry a line, or - for stdin)', EXIT.input);
  const entries = [];
  for (const p of paths) {
    let text;
    if (p === '-') {
      const chunks = [];
      for await (const c of process.stdin) chunks.push(c);
      text = Buffer.concat(chunks).toString('utf8');
    } else {
      if (/^https?:\/\//i.test(p)) throw new CliError(`host names and cache tags are read from files, not URLs (got ${p})`, EXIT.input);
      if (!existsSync(p)) throw new CliError(`no such file: ${p}`, EXIT.input);
      text = readFileSync(p, 'utf8');
    }
    for (const line of text.split(/\r?\n/)) {
      const e = line.replace(/#.*/, '').trim();
      if (e) entries.push(e);
    }
  }
  if (entries.length === 0) throw new CliError('no entry could be read from the sources', EXIT.input);
  return { urls: entries, rejected: [], errors: [] };
}

async function push(flags, positionals, command = 'push') {
  const vendor = vendorOf(flags);
  const service = VENDORS[vendor];
  const target = targetOf(vendor, flags);
  const transportCheck = transportOf(flags);
  const rate = number(flags, 'rate', 0.01);
  const pollMs = number(flags, 'poll-ms', 100);
  const kind = kindOf(command, vendor, flags);
  const raw = kind?.type === 'purge' && (kind.purgeType === 'host' || kind.purgeType === 'tag');
  const got = raw ? await readEntries(positionals) : await readSources(positionals, flags);
  const dry = flags['dry-run'];
  if (flags['sign-for-real'] && !dry) throw new CliError('--sign-for-real goes with --dry-run', EXIT.input);
  const credentials = dry && !flags['sign-for-real'] ? placeholderCredentials(service) : credentialsFor(service);
  const spec = {
    target,
    endpoint: endpointFor(service, flags),
    keyId: credentials.id,
    options: { ...(rate ? { ratePerSec: rate } : {}), ...(pollMs ? { pollIntervalMs: pollMs } : {}) },
    ...(kind ? { kind } : {}),
  };
  const job = new ew.Job(spec, got.urls);
  if (dry) {
    const plan = job.plan();
    // the core's dry run replaces session tokens by their variable's name; the secret is never
    // on a request; the output is checked for both all the same before it is printed
    const requests = job.dryRun(Date.now(), credentials);
    const transport = transportCheck.kind === 'proxy' ? transportCheck : { kind: 'vendor' };
    const keyNote = flags['sign-for-real'] ? `signed with your key ${credentials.id}` : `signed with the placeholder key ${credentials.id} (--sign-for-real signs with yours)`;
    let out;
    if (flags.json) out = `${JSON.stringify({ plan, signedWith: flags['sign-for-real'] ? 'yourKey' : 'placeholder', requests: requests.map((r) => ({ url: ew.requestUrl(r, transport), curl: ew.toCurl(r, transport), request: r })) }, null, 2)}\n`;
    else {
      const what = kind?.type === 'refresh' ? 'refresh (purge first) of ' : kind?.type === 'purge' ? `purge (${kind.purgeType}) of ` : '';
      process.stderr.write(`edgewarm: ${what}${plan.urls} URLs (${plan.invalid} invalid) in ${plan.batches} calls of ≤ ${plan.batchCap}, at ${plan.ratePerSec}/s, ${keyNote}\n`);
      out = requests.map((r) => `${ew.toCurl(r, transport)}\n`).join('');
    }
    for (const secret of [credentials.secret, credentials.token]) {
      if (secret && out.includes(secret)) throw new CliError('refusing to print a dry run that contains a secret or session token', EXIT.config);
    }
    process.stdout.write(out);
    return EXIT.ok;
  }
  return run(job, flags, credentials);
}

/**
 * A dry run's key unless --sign-for-real: clearly a placeholder, so a printed Authorization is
 * never a live credential. A placeholder token stands in when the environment has one, so the
 * printed calls keep the token header (shown as its variable).
 */
function placeholderCredentials(service) {
  const esa = service === 'esa';
  const token = esa ? process.env.ALIBABA_CLOUD_SECURITY_TOKEN : process.env.TENCENTCLOUD_SESSION_TOKEN;
  const base = { id: esa ? 'LTAI-DRY-RUN-PLACEHOLDER' : 'AKID-DRY-RUN-PLACEHOLDER', secret: 'dry-run-placeholder' };
  return token ? { ...base, token: 'dry-run-placeholder-token' } : base;
}

function loadJournal(flags) {
  if (!flags.journal) throw new CliError('--journal FILE is required', EXIT.input);
  if (!existsSync(flags.journal)) throw new CliError(`no such journal: ${flags.journal}`, EXIT.input);
  return ew.Job.resume(readFileSync(flags.journal, 'utf8'));
}

function serviceOfJob(job) {
  return VENDORS[job.spec().target.vendor];
}

async function status(flags) {
  const job = loadJournal(flags);
  const s = summarize(job, Date.now(), flags.journal);
  s.durationMs = 0;
  report(s, flags.json);
  return exitFor(s);
}

async function resume(flags) {
  const job = loadJournal(flags);
  return run(job, flags, credentialsFor(serviceOfJob(job)));
}

async function retryFailed(flags) {
  const old = loadJournal(flags);
  const job = old.retryFailed();
  if (job.progress(Date.now()).total === 0) {
    process.stderr.write('edgewarm: no failed URL to retry\n');
    return EXIT.ok;
  }
  const out = flags.out ?? flags.journal.replace(/(\.json)?$/, '.retry.json');
  return run(job, { ...flags, journal: out }, credentialsFor(serviceOfJob(job)));
}

async function quota(flags) {
  const vendor = vendorOf(flags);
  if (vendor === 'esa') throw new CliError('ESA has no quota API; its limits are in the console (per-call caps: edgewarm validates them)', EXIT.input);
  const service = VENDORS[vendor];
  const credentials = credentialsFor(service);
  const { transport, fetch } = fetchFor(transportOf(flags));
  const input =
    vendor === 'edgeone'
      ? { action: 'DescribeContentQuota', params: flags.zone ? { ZoneId: flags.zone } : {} }
      : { action: 'DescribePushQuota', params: flags.area ? { Area: flags.area } : {} };
  const out = await ew.call({ ...input, endpoint: endpointFor(service, flags), credentials }, { transport, fetch });
  if (flags.json) process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  else {
    const rows = out.PrefetchQuota ?? out.UrlPush ?? [];
    for (const q of rows) process.stdout.write(`${q.Type ?? 'url'}${q.Area ? ` (${q.Area})` : ''}: ${q.Available} of ${q.Total} left today, ≤ ${q.Batch} per call\n`);
    if (rows.length === 0) process.stdout.write(`${JSON.stringify(out)}\n`);
  }
  return EXIT.ok;
}

async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new CliError(`${e.message}\n\n${USAGE}`, EXIT.input);
  }
  const { values: flags, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (flags.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || flags.help ? EXIT.ok : EXIT.input;
  }
  switch (command) {
    case 'push':
      return push(flags, rest);
    case 'purge':
      return push(flags, rest, 'purge');
    case 'status':
      return status(flags);
    case 'resume':
      return resume(flags);
    case 'retry-failed':
      return retryFailed(flags);
    case 'quota':
      return quota(flags);
    default:
      throw new CliError(`unknown command ${JSON.stringify(command)}\n\n${USAGE}`, EXIT.input);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof CliError) {
      process.stderr.write(`edgewarm: ${e.message}\n`);
      process.exit(e.exit);
    }
    if (e instanceof ew.EdgewarmError) {
      process.stderr.write(`edgewarm: ${e.code}${e.field ? ` (${e.field})` : ''}: ${e.message}${e.hint ? `\n  ${e.hint}` : ''}\n`);
      process.exit(e.class === 'auth' ? EXIT.config : e.kind === 'api' ? EXIT.failed : EXIT.input);
    }
    process.stderr.write(`edgewarm: ${e?.stack ?? e}\n`);
    process.exit(EXIT.config);
  },
);
