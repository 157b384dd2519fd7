//! The job engine as a JS class. The engine is sans-IO: JS asks `nextActions(now, credentials)`,
//! sends what it is told, feeds answers back with `onResponse` / `onTransportError`, and keeps
//! `journal()` wherever it likes. The package's fetch-based driver (`pkg/lib/driver.mjs`) is
//! that loop; this file only converts.

use crate::convert::{from_js, json_of_js, spec_from_js, to_js};
use crate::errors::{throw, Thrown};
use edgewarm::job::{Job, JobSpec, TransportError};
use edgewarm::Credentials;
use wasm_bindgen::prelude::*;

/// A prefetch job: every URL's fate, batches, pacing, quota and tracking state.
#[wasm_bindgen(js_name = Job)]
pub struct JsJob {
    inner: Job,
}

/// The spec from JS, with its rate checked (what every constructor takes first).
fn checked_spec(spec: JsValue) -> Result<JobSpec, JsValue> {
    let spec = spec_from_js(spec, "spec")?;
    edgewarm::job::pace::check_rate("spec.options.ratePerSec", spec.options.rate_per_sec)
        .map_err(throw)?;
    Ok(spec)
}

fn seed_of(seed: f64) -> u64 {
    if seed.is_finite() && seed >= 0.0 {
        seed.trunc() as u64
    } else {
        0
    }
}

#[wasm_bindgen(js_class = Job)]
impl JsJob {
    /// A job over `urls` (deduplicated and checked; invalid ones get the `invalid` fate), planned
    /// into batches of the vendor's per-call cap. `seed` drives nonces and jitter (give a random
    /// one); `nowMs` is the clock.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "JobSpec")] spec: JsValue,
        urls: Vec<String>,
        seed: f64,
        now_ms: f64,
    ) -> Result<JsJob, JsValue> {
        Ok(JsJob {
            inner: Job::new(checked_spec(spec)?, urls, seed_of(seed), now_ms as i64),
        })
    }

    /// A job over a text of one URL a line (LF or CRLF; white space around a URL trimmed, blank
    /// lines skipped), as UTF-8 bytes: the list crosses into wasm once, as one piece, and is
    /// kept only as the job's entries. Otherwise as `new Job`.
    #[wasm_bindgen(js_name = fromText)]
    pub fn from_text(
        #[wasm_bindgen(unchecked_param_type = "JobSpec")] spec: JsValue,
        text: &[u8],
        seed: f64,
        now_ms: f64,
    ) -> Result<JsJob, JsValue> {
        let spec = checked_spec(spec)?;
        let text = std::str::from_utf8(text).map_err(|e| {
            throw(edgewarm::ValidationErrors {
                errors: vec![edgewarm::ValidationError::new(
                    "text",
                    edgewarm::Rule::Characters,
                    format!(
                        "the URL list is not UTF-8 text (an invalid byte at offset {})",
                        e.valid_up_to()
                    ),
                )],
            })
        })?;
        Ok(JsJob {
            inner: Job::from_text(spec, text, seed_of(seed), now_ms as i64),
        })
    }

    /// Resumes from a journal of this version or an older one: one whole journal, or a
    /// snapshot and its records one per line (a torn last line is ignored). Throws
    /// `edgewarm.BadJournal` for a damaged one or one written by a newer edgewarm.
    pub fn resume(journal: &str) -> Result<JsJob, JsValue> {
        Ok(JsJob {
            inner: Job::resume(journal).map_err(throw)?,
        })
    }

    /// `resume` from a snapshot and its records kept apart (IndexedDB), in append order.
    #[wasm_bindgen(js_name = resumeParts)]
    pub fn resume_parts(snapshot: &str, records: Vec<String>) -> Result<JsJob, JsValue> {
        Ok(JsJob {
            inner: Job::resume_parts(snapshot, records.iter().map(String::as_str))
                .map_err(throw)?,
        })
    }

    /// What to do next: `send` (a signed request and its call id), `wait` (until a time, or an
    /// answer), or `done`.
    #[wasm_bindgen(js_name = nextActions, unchecked_return_type = "Step[]")]
    pub fn next_actions(
        &mut self,
        now_ms: f64,
        #[wasm_bindgen(unchecked_param_type = "Credentials")] credentials: JsValue,
    ) -> Result<JsValue, JsValue> {
        let creds: Credentials = from_js(credentials, "credentials")?;
        to_js(&self.inner.next_actions(now_ms as i64, &creds))
    }

    /// The signed submit call of every planned batch, as the job would send them now, without
    /// sending or changing anything (the CLI's and console's dry run).
    #[wasm_bindgen(js_name = dryRun, unchecked_return_type = "HttpRequest[]")]
    pub fn dry_run(
        &self,
        now_ms: f64,
        #[wasm_bindgen(unchecked_param_type = "Credentials")] credentials: JsValue,
    ) -> Result<JsValue, JsValue> {
        let creds: Credentials = from_js(credentials, "credentials")?;
        to_js(&self.inner.dry_run(now_ms as i64, &creds).map_err(throw)?)
    }

    /// The signed submit call of planned batch `batch` alone (`undefined` when it is not
    /// planned, or there is no such batch), as `dryRun` gives it: a large job's calls one at a
    /// time, without every request held at once.
    #[wasm_bindgen(js_name = dryRunBatch, unchecked_return_type = "HttpRequest | undefined")]
    pub fn dry_run_batch(
        &self,
        batch: usize,
        now_ms: f64,
        #[wasm_bindgen(unchecked_param_type = "Credentials")] credentials: JsValue,
    ) -> Result<JsValue, JsValue> {
        let creds: Credentials = from_js(credentials, "credentials")?;
        let call = self
            .inner
            .dry_run_batch(batch, now_ms as i64, &creds)
            .map_err(throw)?;
        to_js(&call.map(|c| c.request.redacted()))
    }

    /// Feeds the answer to call `callId`; `serverDateMs` is its `Date` header when present.
    #[wasm_bindgen(js_name = onResponse)]
    pub fn on_response(
        &mut self,
        call_id: f64,
        status: u16,
        body: &[u8],
        now_ms: f64,
        server_date_ms: Option<f64>,
    ) {
        self.inner.on_response(
            call_id as u64,
            status,
            body,
            now_ms as i64,
            server_date_ms.filter(|d| d.is_finite()).map(|d| d as i64),
        );
    }

    /// Feeds a transport failure of call `callId`: `notSent` (nothing left the machine) or
    /// `unknown` (sent, no complete answer).
    #[wasm_bindgen(js_name = onTransportError)]
    pub fn on_transport_error(
        &mut self,
        call_id: f64,
        #[wasm_bindgen(unchecked_param_type = "TransportError")] kind: JsValue,
        now_ms: f64,
    ) -> Result<(), JsValue> {
        let kind: TransportError = from_js(kind, "kind")?;
        self.inner
            .on_transport_error(call_id as u64, kind, now_ms as i64);
        Ok(())
    }

    /// Counts per fate, rate and ETA.
    #[wasm_bindgen(unchecked_return_type = "Progress")]
    pub fn progress(&self, now_ms: f64) -> Result<JsValue, JsValue> {
        to_js(&self.inner.progress(now_ms as i64))
    }

    /// The plan: URLs, batches, cap, rate and the least time the submits take, URLs per host
    /// and warnings for hosts the vendor refused or (given `servedHosts`, e.g. the sandbox's
    /// domains) that the target does not serve.
    #[wasm_bindgen(unchecked_return_type = "PlanSummary")]
    pub fn plan(&self, served_hosts: Option<Vec<String>>) -> Result<JsValue, JsValue> {
        to_js(&self.inner.plan_summary_for(served_hosts.as_deref()))
    }

    /// The hosts the vendor refused for this job: host → `{code, reason}`.
    #[wasm_bindgen(js_name = refusedHosts, unchecked_return_type = "Record<string, RefusedHost>")]
    pub fn refused_hosts(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.refused_hosts())
    }

    /// What the run has to say: URLs per fate, failures grouped by code with what to do,
    /// throttled calls, deferred URLs and when the quota is asked again, the halt.
    #[wasm_bindgen(js_name = failureSummary, unchecked_return_type = "FailureSummary")]
    pub fn failure_summary(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.failure_summary())
    }

    /// The phase running (`purge` or `prefetch`) and the failures of each phase (a refresh's
    /// failed purges are never prefetched).
    #[wasm_bindgen(js_name = phaseCounts, unchecked_return_type = "PhaseCounts")]
    pub fn phase_counts(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.phase_counts())
    }

    /// The prefetch quota a quota answer (`parseResponse(…)`: `{action, output}`) leaves for
    /// this job's target (CDN: the least over its areas); `undefined` for another answer.
    #[wasm_bindgen(js_name = prefetchQuota, unchecked_return_type = "QuotaReading | undefined")]
    pub fn prefetch_quota(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Output")] answer: JsValue,
    ) -> Result<JsValue, JsValue> {
        let serde_json::Value::Object(mut answer) = json_of_js(answer, "answer")? else {
            return Err(Thrown::argument("answer", "expected {action, output}").into_js());
        };
        let Some(serde_json::Value::String(action)) = answer.remove("action") else {
            return Err(Thrown::argument("answer", "missing field `action`").into_js());
        };
        let output = answer.remove("output").unwrap_or_default();
        let reading = self
            .inner
            .spec()
            .target
            .prefetch_quota_of(&action, output)
            .map_err(|e| Thrown::argument("answer", &e.to_string()).into_js())?;
        to_js(&reading)
    }

    /// Every URL with its fate (for export).
    #[wasm_bindgen(unchecked_return_type = "UrlEntry[]")]
    pub fn urls(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.urls())
    }

    /// The URLs whose fate is one of `fates` (`pending`, `submitted`, `succeeded`, `failed`,
    /// `deferred`, `invalid`), in input order: a summary of a million-URL job asks for the few
    /// that did not succeed without copying every entry into JS.
    #[wasm_bindgen(js_name = urlsByFate, unchecked_return_type = "UrlEntry[]")]
    pub fn urls_by_fate(&self, fates: Vec<String>) -> Result<JsValue, JsValue> {
        let picked: Vec<_> = self
            .inner
            .urls()
            .iter()
            .filter(|u| fates.iter().any(|f| f == u.fate.name()))
            .collect();
        to_js(&picked)
    }

    /// Calls sent, throttled, first and last send per action.
    #[wasm_bindgen(unchecked_return_type = "Record<string, ActionStats>")]
    pub fn stats(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.action_stats())
    }

    /// The job's spec (no secret is ever in it).
    #[wasm_bindgen(unchecked_return_type = "JobSpec")]
    pub fn spec(&self) -> Result<JsValue, JsValue> {
        to_js(self.inner.spec())
    }

    /// Every URL final and nothing in flight (or halted).
    #[wasm_bindgen(js_name = isDone)]
    pub fn is_done(&self) -> bool {
        self.inner.is_done()
    }

    /// The whole state as JSON (with its schema version), to store and `Job.resume` from;
    /// throws `edgewarm.JournalNotWritten` if the state cannot be written.
    pub fn journal(&self) -> Result<String, JsValue> {
        self.inner.journal().map_err(throw)
    }

    /// What to write to the journal now: `{kind: 'snapshot', text}` (replace everything stored
    /// with this line) or `{kind: 'record', text}` (append this line). Costs what changed since
    /// the last update, not the whole job; write it durably before sending.
    #[wasm_bindgen(js_name = journalUpdate, unchecked_return_type = "JournalWrite")]
    pub fn journal_update(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.journal_update().map_err(throw)?)
    }

    /// A new job over the URLs that failed, with the same spec.
    #[wasm_bindgen(js_name = retryFailed)]
    pub fn retry_failed(&self, seed: f64, now_ms: f64) -> JsJob {
        JsJob {
            inner: self.inner.retry_failed(seed_of(seed), now_ms as i64),
        }
    }
}
