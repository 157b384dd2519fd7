// The job engine's fetch-based driver: sends what `job.nextActions` asks for, sleeps until the
// engine's next wake-up (timers, abortable), feeds every answer or transport failure back, and
// hands the journal to `writeJournal` (a snapshot or an append-only record, O(the call)) or
// `saveJournal` (the whole job) before every send so that a crash can resume without
// resubmitting. Every decision is the core's.

import { sendRequest } from './transport.mjs';

/** Resolves after `ms`, on abort, or when `poke` is called — and cleans up after itself. */
function sleep(ms, signal) {
  let poke;
  const promise = new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    signal?.addEventListener('abort', done, { once: true });
    poke = done;
    if (signal?.aborted) done();
  });
  return { promise, poke };
}

/**
 * Runs `job` until every URL is final (or the job halts, or `signal` aborts).
 * Options: `credentials` (required), `transport` (`{kind:'vendor'}` or `{kind:'proxy', base}`),
 * `fetch`, `signal`, `onProgress(progress)`, `writeJournal({kind, text})` (`snapshot`: replace
 * the journal with `text`; `record`: append it; may return a promise) or `saveJournal(text)`,
 * `now()` (ms), `timeoutMs` per request (30 000). Resolves to the final progress.
 */
export async function runJob(job, options) {
  const { credentials, transport = { kind: 'vendor' }, fetch = globalThis.fetch, signal, onProgress, saveJournal, writeJournal, now = () => Date.now(), timeoutMs = 30_000 } = options;
  const persist = writeJournal ? () => writeJournal(job.journalUpdate()) : saveJournal ? () => saveJournal(job.journal()) : null;
  if (!credentials) throw new TypeError('runJob: credentials are required');
  const inFlight = new Set();
  let wake = null; // resolves the current sleep early when an answer arrives
  const answered = () => wake?.();

  const feed = (callId, outcome) => {
    if (outcome.error) job.onTransportError(callId, outcome.error, now());
    else job.onResponse(callId, outcome.status, outcome.body, now(), outcome.dateMs);
    onProgress?.(job.progress(now()));
  };

  while (!signal?.aborted) {
    const actions = job.nextActions(now(), credentials);
    const sends = actions.filter((a) => a.type === 'send');
    if (sends.length > 0 && persist) await persist();
    let until;
    let done = false;
    for (const action of actions) {
      if (action.type === 'send') {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), timeoutMs);
        const p = sendRequest(action.request, { transport, fetch, signal: controller.signal })
          .then(
            (answer) => ({ ...answer }),
            (e) => ({ error: controller.signal.aborted || !isNotSent(e) ? 'unknown' : 'notSent' }),
          )
          .then((outcome) => {
            clearTimeout(timer);
            inFlight.delete(p);
            feed(action.callId, outcome);
            answered();
          });
        inFlight.add(p);
      } else if (action.type === 'wait') {
        until = action.untilMs;
      } else if (action.type === 'done') {
        done = true;
      }
    }
    if (done) break;
    if (sends.length > 0) continue;
    const ms = until === undefined ? 3_600_000 : until - now();
    const nap = sleep(ms, signal);
    wake = nap.poke;
    await nap.promise;
    wake = null;
  }
  await Promise.allSettled([...inFlight]);
  if (persist) await persist();
  return job.progress(now());
}

/** Whether a fetch failure happened before anything was sent (connection refused, DNS). */
function isNotSent(e) {
  const code = e?.cause?.code ?? e?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}
