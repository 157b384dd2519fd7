// The GitHub Action: warms a list, a sitemap or a playlist right after a deploy, with the
// package's job engine (batched to the vendor's caps, paced, tracked to the end). It reads its
// inputs the way the runner passes them (INPUT_<NAME>), credentials only from the vendors'
// environment variables (masked at once), writes outputs to GITHUB_OUTPUT and a Markdown report
// to GITHUB_STEP_SUMMARY, logs progress in groups and failures as annotations. It is bundled
// (JS and wasm) into action/dist/index.mjs by `cargo xtask action`, so a runner needs no install.

import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { EOL } from 'node:os';
import { WarmError, adviceFor, allSucceeded, checkVendor, credentialVars, dryRun, gatherUrls, prepare, warm } from '../../pkg/lib/warm.mjs';

const MAX_ANNOTATIONS = 50;
const MAX_ROWS = 100;

// ---- the runner's protocol ----

const escapeData = (s) => String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
const command = (name, message, props = {}) => {
  const p = Object.entries(props)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(v)}`)
    .join(',');
  process.stdout.write(`::${name}${p ? ` ${p}` : ''}::${escapeData(message)}${EOL}`);
};
const log = (line) => process.stdout.write(`${line}${EOL}`);
let openGroup = false;
const group = (title) => {
  log(`::group::${title}`);
  openGroup = true;
};
const endGroup = () => {
  if (openGroup) log('::endgroup::');
  openGroup = false;
};

/** An input as the runner passes it: `INPUT_` + the name upper-cased, spaces as `_`. */
function input(name) {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function bool(name) {
  const v = input(name);
  if (v === '' || ['false', 'False', 'FALSE'].includes(v)) return false;
  if (['true', 'True', 'TRUE'].includes(v)) return true;
  throw new WarmError(name, `must be true or false (got ${JSON.stringify(v)})`);
}

const lines = (name) =>
  input(name)
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));

function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT;
  const text = String(value);
  if (!file) {
    log(`output ${name}: ${text}`);
    return;
  }
  if (!text.includes('\n')) appendFileSync(file, `${name}=${text}${EOL}`);
  else {
    const delimiter = `ghadelimiter_${randomUUID()}`;
    appendFileSync(file, `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}${EOL}`);
  }
}

function writeSummary(markdown) {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown);
}

/** Masks every credential variable that is set, before anything else is printed. */
function maskCredentials() {
  for (const vendor of ['edgeone', 'esa']) {
    for (const name of credentialVars(vendor)) {
      const v = process.env[name];
      if (v) for (const line of v.split(/\r?\n/)) if (line.trim()) command('add-mask', line.trim());
    }
  }
}

// ---- the report ----

const cell = (s) => String(s ?? '').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const figure = (n) => n.toLocaleString('en-US');

function markdown(s, options) {
  const c = s.counts;
  const out = [];
  out.push(`### edgewarm: ${figure(s.total)} URLs on ${s.vendor}${allSucceeded(s) ? ' — all warmed' : ''}`, '');
  out.push('| Fate | URLs |', '| --- | ---: |');
  out.push(`| ✅ succeeded | ${figure(c.succeeded)} |`, `| ❌ failed | ${figure(c.failed)} |`, `| ⏸️ deferred | ${figure(c.deferred)} |`, `| ⚠️ invalid | ${figure(c.invalid)} |`);
  if (c.pending + c.submitted > 0) out.push(`| ⏳ unfinished | ${figure(c.pending + c.submitted)} |`);
  out.push('');
  const quota = s.quotaRemaining !== null && s.quotaRemaining !== undefined ? `${figure(s.quotaRemaining)} URLs` : s.vendor === 'esa' ? 'not reported (ESA has no quota API)' : 'unknown';
  const calls = Object.entries(s.requests)
    .map(([action, r]) => `${action} × ${r.sent}${r.throttled ? ` (${r.throttled} throttled)` : ''}`)
    .join(', ');
  out.push(`Quota left today: ${quota}. Took ${(s.durationMs / 1000).toFixed(1)} s${calls ? `; calls: ${calls}` : ''}.`);
  if (s.resumed) out.push('', `Resumed an unfinished run of ${figure(s.resumed)} URLs from the journal.`);
  if (s.halted) out.push('', `**Halted:** \`${cell(s.halted.code)}\`: ${cell(s.halted.message)}${s.halted.hint ? ` — ${cell(s.halted.hint)}` : ''}`);
  const rows = [
    ...s.failed.map((f) => ({ url: f.url, fate: 'failed', code: f.code, reason: `${f.code}: ${f.reason}` })),
    ...s.deferred.map((f) => ({ url: f.url, fate: 'deferred', reason: f.reason })),
    ...s.invalid.map((f) => ({ url: f.url, fate: 'invalid', reason: `${f.rule}: ${f.message}` })),
  ];
  if (rows.length > 0) {
    out.push('', '#### URLs not warmed', '', '| URL | Fate | Vendor reason | What to do |', '| --- | --- | --- | --- |');
    for (const r of rows.slice(0, MAX_ROWS)) out.push(`| ${cell(r.url)} | ${r.fate} | ${cell(r.reason)} | ${cell(adviceFor(r))} |`);
    if (rows.length > MAX_ROWS) out.push('', `… and ${figure(rows.length - MAX_ROWS)} more: the \`summary\` output lists every one.`);
  }
  if (s.journal && !allSucceeded(s)) out.push('', `Journal: \`${cell(s.journal)}\` — keep it with \`actions/cache\` and run again to resume.`);
  if (options.failOn === 'none' && !allSucceeded(s)) out.push('', '_fail-on: none — the step passes anyway._');
  return `${out.join('\n')}\n`;
}

function annotate(s) {
  let n = 0;
  for (const f of s.failed) {
    if (n++ >= MAX_ANNOTATIONS) break;
    command('error', `${f.url}: ${f.code}: ${f.reason}`, { title: 'edgewarm: not warmed' });
  }
  for (const f of [...s.deferred, ...s.invalid]) {
    if (n++ >= MAX_ANNOTATIONS) break;
    command('warning', `${f.url}: ${f.reason ?? `${f.rule}: ${f.message}`}`, { title: 'edgewarm: not warmed' });
  }
  if (n > MAX_ANNOTATIONS) command('warning', `${s.failed.length + s.deferred.length + s.invalid.length - MAX_ANNOTATIONS} more URLs not warmed: see the job summary`);
  if (s.halted) command('error', `${s.halted.code}: ${s.halted.message}${s.halted.hint ? ` — ${s.halted.hint}` : ''}`, { title: 'edgewarm: halted' });
}

// ---- the run ----

/** The action's input for an option named by the shared warming code. */
const INPUT_OF = { zoneId: 'zone-id', siteId: 'site-id', purgeFirst: 'purge-first', dryRun: 'dry-run' };

function readOptions() {
  const vendor = checkVendor(input('vendor'), 'vendor');
  const failOn = input('fail-on') || 'any-failed';
  if (failOn !== 'any-failed' && failOn !== 'none') throw new WarmError('fail-on', `must be any-failed or none (got ${JSON.stringify(failOn)})`);
  return {
    vendor,
    zoneId: input('zone-id') || undefined,
    siteId: input('site-id') || undefined,
    region: input('region') || undefined,
    intl: bool('intl'),
    purgeFirst: bool('purge-first'),
    proxy: input('proxy') || undefined,
    endpoint: input('endpoint') || undefined,
    rate: input('rate') || undefined,
    journal: input('journal') || undefined,
    dryRun: bool('dry-run'),
    failOn,
  };
}

async function main() {
  maskCredentials();
  const options = readOptions();
  const urls = lines('urls');
  const sources = lines('sources');
  if (urls.length === 0 && sources.length === 0) throw new WarmError('urls', 'give urls or sources (newline-separated)');
  prepare(options); // every input and the credentials checked before anything is read or sent

  group(`Collect URLs (${urls.length} given, ${sources.length} sources)`);
  const got = await gatherUrls({ urls, sources });
  for (const r of got.rejected) command('warning', `${r.source}:${r.line}: ${r.rule}: ${r.message}`, { title: 'edgewarm: line skipped' });
  for (const e of got.errors) command('warning', `${e.source}: ${e.message}`, { title: 'edgewarm: source not read' });
  log(`${got.urls.length} URLs (${got.duplicates} duplicates dropped, ${got.rejected.length} lines skipped)`);
  endGroup();
  if (got.urls.length === 0) throw new WarmError('sources', got.errors.length > 0 ? 'no URL could be read from the sources' : 'no URL to warm');

  if (options.dryRun) {
    group(`Dry run: ${got.urls.length} URLs on ${options.vendor}`);
    const { plan, requests } = dryRun(options, got.urls);
    log(`${plan.urls} URLs (${plan.invalid} invalid) in ${plan.batches} calls of ≤ ${plan.batchCap}, at ${plan.ratePerSec}/s`);
    for (const r of requests) log(`${r.method} ${r.url} (${r.bytes} bytes)`);
    endGroup();
    for (const name of ['succeeded', 'failed', 'deferred', 'invalid']) setOutput(name, 0);
    setOutput('summary', JSON.stringify({ vendor: options.vendor, dryRun: true, plan, requests }, null, 2));
    writeSummary(`### edgewarm dry run: ${figure(plan.urls)} URLs on ${options.vendor}\n\n${plan.batches} calls of ≤ ${plan.batchCap} URLs at ${plan.ratePerSec}/s; ${plan.invalid} invalid. Nothing was sent.\n`);
    return 0;
  }

  group(`Warm ${got.urls.length} URLs on ${options.vendor}`);
  let last = 0;
  const line = (p) => `${p.succeeded + p.failed + p.deferred + p.invalid}/${p.total} final: ${p.succeeded} succeeded, ${p.failed} failed, ${p.deferred} deferred, ${p.invalid} invalid; ${p.submitted} in tasks, ${p.pending} pending`;
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const s = await warm(
    {
      ...options,
      signal: controller.signal,
      onNotice: (m) => log(m),
      onProgress: (p) => {
        if (Date.now() - last < 2000) return;
        last = Date.now();
        log(line(p));
      },
    },
    got.urls,
  );
  log(`${s.total} URLs: ${s.counts.succeeded} succeeded, ${s.counts.failed} failed, ${s.counts.deferred} deferred, ${s.counts.invalid} invalid, ${s.counts.pending + s.counts.submitted} unfinished in ${(s.durationMs / 1000).toFixed(1)} s`);
  endGroup();
  annotate(s);
  setOutput('succeeded', s.counts.succeeded);
  setOutput('failed', s.counts.failed);
  setOutput('deferred', s.counts.deferred);
  setOutput('invalid', s.counts.invalid);
  setOutput('summary', JSON.stringify(s, null, 2));
  writeSummary(markdown(s, options));
  if (s.halted) return 1;
  return options.failOn === 'any-failed' && !allSucceeded(s) ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    endGroup();
    const message = e instanceof WarmError ? `${INPUT_OF[e.option] ?? e.option}: ${e.detail}` : `${e?.code ? `${e.code}: ` : ''}${e?.message ?? e}${e?.hint ? ` — ${e.hint}` : ''}`;
    command('error', message, { title: 'edgewarm' });
    writeSummary(`### edgewarm did not run\n\n${cell(message)}\n`);
    process.exitCode = 1;
  },
);
