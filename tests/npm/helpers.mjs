// Shared by the npm tests: the sandbox's well-known credentials and the proxy the test command
// started (`cargo xtask test` sets EDGEWARM_PROXY to a `edgewarm-proxy --sandbox` on loopback).
import { readFileSync } from 'node:fs';

export const TENCENT = { id: 'AKIDSANDBOX0000000000000000000000000', secret: 'sandbox-tencent-secret' };
export const ALIBABA = { id: 'LTAISANDBOX0000000000000', secret: 'sandbox-alibaba-secret' };
export const credentialsFor = (service) => (service === 'esa' ? ALIBABA : TENCENT);

export const VALID_CALLS = JSON.parse(readFileSync(new URL('./fixtures/valid_calls.json', import.meta.url), 'utf8'));

/** `prepareUrl`'s recorded answer for each URL case and service (tests/url_answers.json, which
 * the Rust parser answers natively: crates/edgewarm/tests/url_answers.rs), in URL_CASES order. */
export const URL_ANSWERS = JSON.parse(readFileSync(new URL('../url_answers.json', import.meta.url), 'utf8'));

/** The proxy in sandbox mode; the tests need it and say so plainly when it is missing. */
export function proxyBase() {
  const base = process.env.EDGEWARM_PROXY;
  if (!base) throw new Error('EDGEWARM_PROXY is not set: run these tests through `cargo xtask test` (it starts `edgewarm-proxy --sandbox`)');
  return base;
}

/** A unique path prefix per run, so that sandbox state from other runs never mixes in. */
export const RUN = `run-${process.pid}-${Date.now().toString(36)}`;

/**
 * The sandbox's own record (`GET /__sandbox/tasks?contains=TEXT`, asked with a vendor Host so
 * the proxy hands it to the sandbox; a fresh connection each time, never one the proxy may be
 * closing as idle): every task whose target contains `contains` (`family`,
 * `purge`, `target`, `createdMs`, `doneMs`, `succeeded`) and the prefetched targets warm now by
 * its cache model. Lets tests check "purged, then warmed" instead of assuming it.
 */
export function sandboxTasks(contains, host = 'cdn.tencentcloudapi.com') {
  return sandboxTasksAt(proxyBase(), contains, host);
}

/** `sandboxTasks` of the sandbox proxy at `base` (a benchmark's own proxy). */
export async function sandboxTasksAt(base, contains, host = 'cdn.tencentcloudapi.com') {
  const { request } = await import('node:http');
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: url.hostname, port: url.port, path: `/__sandbox/tasks?contains=${encodeURIComponent(contains)}`, headers: { host, connection: 'close' }, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`sandbox tasks: ${res.statusCode} ${text.slice(0, 500)}`));
        else resolve(JSON.parse(text));
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Checks the sandbox's record of a refresh over `urls`: each URL purged exactly once and
 * prefetched exactly once, the prefetch sent only after its purge was done, and warm now.
 * Answers a list of what is wrong (empty when all holds).
 */
export function refreshProblems(view, urls) {
  const problems = [];
  const warm = new Set(view.warm);
  const byUrl = new Map(urls.map((u) => [u, { purges: [], prefetches: [] }]));
  for (const t of view.tasks) {
    const e = byUrl.get(t.target);
    if (e) (t.purge ? e.purges : e.prefetches).push(t);
  }
  for (const [url, { purges, prefetches }] of byUrl) {
    if (purges.length !== 1) problems.push(`${url}: purged ${purges.length} times`);
    if (prefetches.length !== 1) problems.push(`${url}: prefetched ${prefetches.length} times`);
    if (purges.length === 1 && prefetches.length === 1 && prefetches[0].createdMs < purges[0].doneMs) problems.push(`${url}: prefetched at ${prefetches[0].createdMs}, before its purge was done at ${purges[0].doneMs}`);
    if (!warm.has(url)) problems.push(`${url}: not warm`);
  }
  return problems;
}
