// Warming from Node in one call, for the integrations that run where deploys happen (the Vite /
// Rollup plugin, the GitHub Action): options checked with errors naming the option, credentials
// from the vendors' environment variables, sources read, a journal that lets a cut-off run
// resume without resubmitting, and a summary per fate. Every decision is still the core's job
// engine's; this file only wires it to Node (files, node:http for `endpoint`, the clock).

import { readFileSync, existsSync } from 'node:fs';
import { basename } from 'node:path';
import http from 'node:http';
import https from 'node:https';
import * as ew from './index.mjs';
import { journalFile } from './journal-file.mjs';

export const VENDORS = { edgeone: 'teo', cdn: 'cdn', esa: 'esa' };
/** Other spellings read as a vendor name: `teo` is EdgeOne's API service code, not its name. */
export const VENDOR_ALIASES = { teo: 'edgeone' };


/** A problem with the options or the environment: `option` names what to fix. */
export class WarmError extends Error {
  constructor(option, detail) {
    super(`${option}: ${detail}`);
    this.name = 'WarmError';
    this.option = option;
    this.detail = detail;
  }
}

const CREDENTIAL_VARS = {
  teo: ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN'],
  cdn: ['TENCENTCLOUD_SECRET_ID', 'TENCENTCLOUD_SECRET_KEY', 'TENCENTCLOUD_SESSION_TOKEN'],
  esa: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN'],
};

/** The environment variables a vendor's credentials are read from: `[id, secret, token]`. */
export function credentialVars(vendor) {
  return CREDENTIAL_VARS[VENDORS[vendor]];
}

/** Credentials of a vendor from its usual environment variables (the CLI reads the same). */
export function envCredentials(vendor, env = process.env) {
  const [idVar, secretVar, tokenVar] = credentialVars(vendor);
  const id = env[idVar];
  const secret = env[secretVar];
  const token = env[tokenVar];
  if (!id || !secret) throw new WarmError('credentials', `set ${idVar} and ${secretVar} in the environment (${vendor === 'esa' ? 'an Alibaba Cloud AccessKey' : 'a Tencent Cloud API key'})`);
  return token ? { id, secret, token } : { id, secret };
}

/** `vendor`: one of edgeone, cdn, esa (`teo` read as edgeone); answers the canonical name. */
export function checkVendor(vendor, option = 'vendor') {
  const v = typeof vendor === 'string' && Object.hasOwn(VENDOR_ALIASES, vendor) ? VENDOR_ALIASES[vendor] : vendor;
  if (typeof v !== 'string' || !Object.hasOwn(VENDORS, v)) throw new WarmError(option, `must be one of edgeone, cdn, esa (got ${JSON.stringify(vendor)})`);
  return v;
}

function targetOf(o) {
  if (o.vendor === 'edgeone') {
    if (!o.zoneId) throw new WarmError('zoneId', 'is required for edgeone (the ZoneId, e.g. zone-2noz78a6ig3s)');
    return { vendor: 'edgeone', zoneId: String(o.zoneId), headers: [] };
  }
  if (o.vendor === 'esa') {
    if (o.siteId === undefined || !/^\d+$/.test(String(o.siteId))) throw new WarmError('siteId', `is required for esa and must be the numeric SiteId (got ${JSON.stringify(o.siteId)})`);
    return { vendor: 'esa', siteId: Number(o.siteId), headers: {} };
  }
  return { vendor: 'cdn', ...(o.area ? { area: o.area } : {}), headers: [] };
}

/** The vendor's public endpoint; the defaults (China site, ESA `cn-hangzhou`) are the core's. */
function endpointOf(o) {
  return ew.endpoint(VENDORS[o.vendor], { site: o.intl ? 'intl' : 'china', region: o.region || undefined });
}

/** `{transport, fetch}` for `proxy` (an edgewarm proxy or edge worker) or `endpoint`. */
export function transportOf({ proxy, endpoint } = {}) {
  if (proxy && endpoint) throw new WarmError('proxy', 'give proxy or endpoint, not both');
  for (const [name, value] of [['proxy', proxy], ['endpoint', endpoint]]) {
    if (value && !/^https?:\/\/[^/]+/.test(value)) throw new WarmError(name, `must be an http(s) URL (got ${JSON.stringify(value)})`);
  }
  if (proxy) return { transport: { kind: 'proxy', base: proxy }, fetch: globalThis.fetch };
  if (endpoint) return { transport: { kind: 'vendor' }, fetch: endpointFetch(new URL(endpoint)) };
  return { transport: { kind: 'vendor' }, fetch: globalThis.fetch };
}

/**
 * fetch for `endpoint`: the vendor request goes to another base URL (a sandbox, a private
 * gateway) with its `Host` kept as signed. fetch cannot set Host, so this uses node:http(s).
 * The CLI's `--endpoint` uses it too.
 */
export function endpointFetch(base) {
  const client = base.protocol === 'https:' ? https : http;
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const headers = { host: u.host };
      for (const [n, v] of init.headers ?? []) headers[n] = v;
      const req = client.request(
        { protocol: base.protocol, hostname: base.hostname, port: base.port, method: init.method ?? 'GET', path: `${base.pathname.replace(/\/+$/, '')}${u.pathname}${u.search}`, headers, signal: init.signal },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const h = new Headers();
            for (const [n, v] of Object.entries(res.headers)) if (v !== undefined) h.set(n, Array.isArray(v) ? v.join(', ') : v);
            resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: h }));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
}

/**
 * URLs from `urls` (strings) and `sources` (file paths, or http(s) URLs of sitemaps, lists or
 * playlists). Resolves to `collectUrls`' answer with the given URLs first.
 */
export async function gatherUrls({ urls = [], sources = [], signal } = {}) {
  const list = [];
  if (urls.length > 0) list.push({ name: 'urls.txt', bytes: new TextEncoder().encode(urls.join('\n')) });
  for (const s of sources) {
    if (/^https?:\/\//i.test(s)) list.push({ url: s });
    else {
      if (!existsSync(s)) throw new WarmError('sources', `no such file: ${s}`);
      list.push({ name: basename(s), bytes: new Uint8Array(readFileSync(s)) });
    }
  }
  return ew.collectUrls(list, { signal });
}

/** The hint for a vendor or engine code, when the core knows it. */
export function hintFor(code) {
  try {
    return ew.lookupCode(code)?.hint;
  } catch {
    return undefined;
  }
}

const ADVICE = {
  failed: 'the edge could not fetch it from the origin: check that the origin serves this URL, then run again (or `edgewarm retry-failed --journal FILE`)',
  deferred: 'the day\'s quota or the vendor\'s pacing put it off: run again later with the same journal to finish',
  invalid: 'the URL was refused before sending: fix it (domain not on the zone/site, bad scheme or encoding) and run again',
};

/** What to do about a URL's fate. */
export function adviceFor(entry) {
  return (entry.code && hintFor(entry.code)) || ADVICE[entry.fate] || '';
}

/** The summary of one job (the CLI's too): the core's counts and failure groups, every unsuccessful URL with its reason. */
export function summarize(job, startedMs, journal) {
  const p = job.progress(Date.now());
  // counts per fate, failures grouped by code with their hints, throttling: the core's summary
  const s = job.failureSummary();
  const entries = job.urls();
  const pick = (fate, f) => entries.filter((u) => u.fate.fate === fate).map((u) => ({ url: u.url, ...f(u.fate) }));
  const spec = job.spec();
  const phases = job.phaseCounts();
  return {
    vendor: spec.target.vendor,
    kind: spec.kind ?? { type: 'prefetch' },
    // the phase running and the failures of each (a refresh's failed purge is never prefetched)
    phases: { phase: phases.phase, purgeFailed: phases.purgeFailed, prefetchFailed: phases.prefetchFailed },
    total: p.total,
    counts: s.counts,
    allSucceeded: s.allSucceeded,
    done: p.done,
    halted: s.halted ?? null,
    durationMs: Date.now() - startedMs,
    requests: job.stats(),
    throttled: s.throttled,
    failures: s.failed,
    quotaRemaining: s.quotaRemaining ?? null,
    quotaRecheckMs: s.deferred?.recheckEveryMs ?? null,
    failed: pick('failed', (f) => ({ code: f.code, reason: f.reason })),
    deferred: pick('deferred', (f) => ({ untilMs: f.untilMs, reason: f.reason })),
    invalid: pick('invalid', (f) => ({ rule: f.rule, message: f.message })),
    journal: journal ?? null,
  };
}

function emptySummary(o) {
  const counts = { pending: 0, submitted: 0, succeeded: 0, failed: 0, deferred: 0, invalid: 0 };
  return { vendor: o.vendor, kind: o.purgeFirst ? { type: 'refresh' } : { type: 'prefetch' }, phases: { phase: o.purgeFirst ? 'purge' : 'prefetch', purgeFailed: 0, prefetchFailed: 0 }, total: 0, counts, allSucceeded: true, done: true, halted: null, durationMs: 0, requests: {}, throttled: 0, failures: [], quotaRemaining: null, quotaRecheckMs: null, failed: [], deferred: [], invalid: [], journal: o.journal ?? null };
}

/** Two summaries (a resumed job and the new one) as one. */
function merge(a, b) {
  const counts = {};
  for (const k of Object.keys(a.counts)) counts[k] = a.counts[k] + b.counts[k];
  const requests = { ...a.requests };
  for (const [k, v] of Object.entries(b.requests)) {
    const r = requests[k];
    requests[k] = r ? { ...r, sent: r.sent + v.sent, throttled: r.throttled + v.throttled } : v;
  }
  return {
    ...b,
    total: a.total + b.total,
    counts,
    phases: { phase: b.phases.phase, purgeFailed: a.phases.purgeFailed + b.phases.purgeFailed, prefetchFailed: a.phases.prefetchFailed + b.phases.prefetchFailed },
    allSucceeded: a.allSucceeded && b.allSucceeded,
    done: a.done && b.done,
    halted: a.halted ?? b.halted,
    durationMs: a.durationMs + b.durationMs,
    requests,
    throttled: a.throttled + b.throttled,
    failures: [...a.failures, ...b.failures],
    quotaRemaining: b.quotaRemaining ?? a.quotaRemaining,
    failed: [...a.failed, ...b.failed],
    deferred: [...a.deferred, ...b.deferred],
    invalid: [...a.invalid, ...b.invalid],
    resumed: a.total,
  };
}

/** Whether a summary is all-succeeded. */
export function allSucceeded(s) {
  return s.allSucceeded === true;
}

/**
 * Checks options and reads credentials; answers what a job needs. Options: `vendor`, `zoneId`,
 * `siteId`, `area`, `region`, `intl`, `proxy` / `endpoint`, `rate`, `pollMs`, `purgeFirst`,
 * `dryRun`, `env`.
 */
export function prepare(o) {
  o = { ...o, vendor: checkVendor(o.vendor) };
  // purge first: the engine's refresh job (purge, track each purge until done, then prefetch)
  const kind = o.purgeFirst ? { type: 'refresh' } : undefined;
  const target = targetOf(o);
  const endpoint = endpointOf(o);
  const { transport, fetch } = transportOf(o);
  const options = {};
  if (o.rate !== undefined && o.rate !== '') {
    const n = Number(o.rate);
    if (!Number.isFinite(n) || n < 0.01) throw new WarmError('rate', `must be a number of requests per second ≥ 0.01 (got ${JSON.stringify(o.rate)})`);
    options.ratePerSec = n;
  }
  if (o.pollMs !== undefined) options.pollIntervalMs = Number(o.pollMs);
  const credentials = o.dryRun ? dryRunCredentials(o) : envCredentials(o.vendor, o.env);
  return { target, endpoint, transport, fetch, options, credentials, kind };
}

/**
 * A dry run never signs with a live key: a clearly marked placeholder (the CLI's rule), so that
 * nothing it prints or returns could be replayed.
 */
function dryRunCredentials(o) {
  return o.vendor === 'esa'
    ? { id: 'LTAI-DRY-RUN-PLACEHOLDER', secret: 'dry-run-placeholder' }
    : { id: 'AKID-DRY-RUN-PLACEHOLDER', secret: 'dry-run-placeholder' };
}

/** The plan and the requests a run would send (nothing is sent). */
export function dryRun(o, urls) {
  const p = prepare({ ...o, dryRun: true });
  const job = new ew.Job({ target: p.target, endpoint: p.endpoint, keyId: p.credentials.id, options: p.options, kind: p.kind }, urls);
  try {
    const plan = job.plan();
    const requests = job.dryRun(Date.now(), p.credentials).map((r) => ({ method: r.method, url: ew.requestUrl(r, p.transport), bytes: r.body?.length ?? 0 }));
    return { plan, requests };
  } finally {
    job.free();
  }
}

/**
 * Warms `urls` to the end and answers the summary. With `journal` (a path): a journal of an
 * unfinished run there is resumed first (tasks already submitted are tracked, not resubmitted),
 * then the URLs it did not cover are warmed; the journal (a snapshot and append-only records) is
 * written before every send.
 * `onProgress(progress)` is called as answers arrive; `signal` stops the run.
 */
export async function warm(o, urls) {
  o = { ...o, vendor: checkVendor(o.vendor) };
  const p = prepare(o);
  const started = Date.now();
  const save = o.journal ? journalFile(o.journal) : undefined;
  const run = async (job) => {
    const t0 = Date.now();
    await ew.runJob(job, { credentials: p.credentials, transport: p.transport, fetch: p.fetch, signal: o.signal, onProgress: o.onProgress, writeJournal: save });
    return summarize(job, t0, o.journal);
  };
  let previous = null;
  let todo = urls;
  if (o.journal && existsSync(o.journal)) {
    let old = null;
    try {
      old = ew.Job.resume(readFileSync(o.journal, 'utf8'));
    } catch (e) {
      o.onNotice?.(`journal ${o.journal} cannot be resumed (${e.message}): starting afresh`);
    }
    if (old && !old.isDone() && old.spec().target.vendor === o.vendor) {
      o.onNotice?.(`resuming the unfinished run in ${o.journal}`);
      previous = await run(old);
      const covered = new Set(old.urls().map((u) => u.url));
      todo = urls.filter((u) => !covered.has(u));
    }
    old?.free();
  }
  if (previous && (todo.length === 0 || o.signal?.aborted)) return { ...previous, durationMs: Date.now() - started, resumed: previous.total };
  if (todo.length === 0) return emptySummary(o);
  const job = new ew.Job({ target: p.target, endpoint: p.endpoint, keyId: p.credentials.id, options: p.options, kind: p.kind }, todo);
  try {
    const now = await run(job);
    return previous ? { ...merge(previous, now), durationMs: Date.now() - started } : now;
  } finally {
    job.free();
  }
}
