//! The sans-IO job engine: a prefetch job of any size for any of the three vendors. It plans
//! batches within each call's cap and the day's quota, paces calls per (vendor, action,
//! credential), retries only what may succeed, tracks submitted work until every URL is final,
//! and serialises to a journal (no secret inside) that a crashed job resumes from without
//! resubmitting finished batches.
//!
//! The shell drives it: [`Job::next_actions`] says what to send (signed requests) and until when
//! to wait; [`Job::on_response`] / [`Job::on_transport_error`] feed answers back with the time.
//! It never sleeps, fetches or reads a clock.

mod answers;
mod calls;
mod engine;
mod esa_track;
pub mod fixtures;
mod journal;
pub mod pace;
mod quota;
mod summary;

pub use esa_track::{TRACKING_EXPIRED, UNVERIFIABLE};
pub use quota::{cdn_push_areas, read_prefetch_quota, QuotaReading};
pub use summary::{DeferredSummary, FailureGroup, FailureSummary, FateCounts, ORIGIN_FAILURE_HINT};

use crate::error::{ApiError, Rule, ValidationErrors};
use crate::headers::Headers;
use crate::limits::Limits;
use crate::urls;
use crate::validate::Checks;
use crate::vendor::{edgeone, Endpoint, Service};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a job warms URLs and with which vendor options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "vendor", rename_all = "lowercase")]
pub enum Target {
    /// Tencent EdgeOne (API service code `teo`, read here as an alias of `edgeone`).
    #[serde(alias = "teo")]
    Edgeone {
        /// Zone id.
        #[serde(rename = "zoneId")]
        zone_id: String,
        /// `default` or `edge`. `edge` exists on the China site only (CreatePrefetchTask API
        /// page, China site; absent from the intl page and SDK): refused on intl by
        /// [`JobSpec::check`]. It has its own daily quota (`Limits::teo_edge_prefetch_daily`).
        #[serde(default)]
        #[cfg_attr(feature = "ts", tsify(optional))]
        mode: Option<String>,
        /// Headers the prefetch requests carry.
        #[serde(default)]
        #[cfg_attr(feature = "ts", tsify(type = "[string, string][]"))]
        headers: Headers,
        /// `on` / `off`.
        #[serde(default, rename = "prefetchMediaSegments")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        prefetch_media_segments: Option<String>,
    },
    /// Tencent CDN.
    Cdn {
        /// `mainland`, `overseas`, `global`.
        #[serde(default)]
        #[cfg_attr(feature = "ts", tsify(optional))]
        area: Option<String>,
        /// `middle` or empty: the only values the PushUrlsCache API page documents.
        #[serde(default)]
        #[cfg_attr(feature = "ts", tsify(optional))]
        layer: Option<String>,
        /// User-Agent of origin pulls.
        #[serde(default, rename = "userAgent")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        user_agent: Option<String>,
        /// Warm M3U8 segments server-side.
        #[serde(default, rename = "parseM3u8")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        parse_m3u8: Option<bool>,
        /// Disable Range origin pulls.
        #[serde(default, rename = "disableRange")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        disable_range: Option<bool>,
        /// Custom headers (≤ 20).
        #[serde(default)]
        #[cfg_attr(feature = "ts", tsify(type = "[string, string][]"))]
        headers: Headers,
    },
    /// Alibaba ESA.
    Esa {
        /// Site id.
        #[serde(rename = "siteId")]
        site_id: i64,
        /// Prefetch headers.
        #[serde(default, serialize_with = "Headers::serialize_as_map")]
        #[cfg_attr(feature = "ts", tsify(type = "Record<string, string>"))]
        headers: Headers,
    },
}

impl Target {
    /// The vendor service.
    pub fn service(&self) -> Service {
        match self {
            Target::Edgeone { .. } => Service::Teo,
            Target::Cdn { .. } => Service::Cdn,
            Target::Esa { .. } => Service::Esa,
        }
    }
}

/// Tunables of a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", default)]
pub struct JobOptions {
    /// Requests per second per (vendor, action, credential).
    pub rate_per_sec: f64,
    /// Between two polls of the same task (ms).
    pub poll_interval_ms: i64,
    /// Attempts per call before its URLs fail.
    pub max_attempts: u32,
    /// Submit calls in flight at once.
    pub max_in_flight: usize,
    /// Ask DescribeContentQuota / DescribePushQuota before planning.
    pub use_quota_api: bool,
    /// Give up tracking a task after this long (ms).
    pub track_timeout_ms: i64,
    /// While URLs are deferred for quota, ask the quota again this often (ms; default 15 min)
    /// and go on as soon as it has room. No vendor documents when its daily quotas reset
    /// (DescribeContentQuota, DescribePushQuota and the ESA pages are silent), so the engine
    /// assumes no reset time: it re-reads DescribeContentQuota / DescribePushQuota, or, where
    /// no quota API answers (ESA, EdgeOne `Mode=edge`, `use_quota_api` off), re-sends one
    /// deferred batch as a probe. `0` turns re-reading off: deferred URLs are then final and
    /// the job ends with them.
    pub quota_recheck_ms: i64,
    /// Per-call caps.
    pub limits: Limits,
}

impl Default for JobOptions {
    fn default() -> Self {
        JobOptions {
            rate_per_sec: 20.0,
            poll_interval_ms: 5_000,
            max_attempts: 8,
            max_in_flight: 8,
            use_quota_api: true,
            track_timeout_ms: 3_600_000,
            quota_recheck_ms: 900_000,
            limits: Limits::default(),
        }
    }
}

impl JobSpec {
    /// Rules of the target that depend on the endpoint or that no later call checks before
    /// sending: EdgeOne `Mode=edge` exists on the China site only ([`edgeone::check_mode`]);
    /// CDN `Layer` is `middle` or empty (PushUrlsCache API page). A job whose spec breaks one
    /// marks every URL `Invalid` with the field and the rule, and sends nothing.
    pub fn check(&self) -> Result<(), ValidationErrors> {
        match &self.target {
            Target::Edgeone { mode, .. } => edgeone::check_mode(mode.as_deref(), &self.endpoint),
            Target::Cdn { layer, .. } => {
                let mut c = Checks::new();
                c.one_of("Layer", layer, &["middle", ""]);
                c.finish()
            }
            Target::Esa { .. } => Ok(()),
        }
    }

    /// EdgeOne `Mode=edge`: planned against its own daily quota, which no quota API reports.
    pub(crate) fn edge_mode(&self) -> bool {
        matches!(&self.target, Target::Edgeone { mode: Some(m), .. } if m == "edge")
    }

    /// Whether a quota API answers for this job's submits (DescribeContentQuota for EdgeOne
    /// `prefetch_url`, DescribePushQuota for CDN; none for ESA or EdgeOne edge mode).
    pub(crate) fn has_quota_api(&self) -> bool {
        self.options.use_quota_api && self.target.service() != Service::Esa && !self.edge_mode()
    }
}

/// What a job is: the target, the endpoint, the credential's key id (public; it keys the
/// pacing buckets) and the options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct JobSpec {
    /// Vendor target.
    pub target: Target,
    /// Endpoint (host, region, language).
    pub endpoint: Endpoint,
    /// SecretId / AccessKeyId (never the secret).
    pub key_id: String,
    /// Options.
    #[serde(default)]
    pub options: JobOptions,
}

/// Where one URL stands. Every URL is in exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "fate", rename_all = "camelCase")]
pub enum Fate {
    /// Not sent yet.
    Pending,
    /// Accepted by the vendor; being tracked.
    Submitted {
        /// JobId / TaskId.
        #[serde(rename = "taskId")]
        task_id: String,
    },
    /// Warmed.
    Succeeded,
    /// The vendor says it failed.
    Failed {
        /// Vendor code or status (`originPullFailed`, `LimitExceeded.BatchQuota`, …).
        code: String,
        /// Why.
        reason: String,
    },
    /// Over the quota: sent when the quota has room again.
    Deferred {
        /// When the quota is asked again (ms; see [`JobOptions::quota_recheck_ms`]); with
        /// re-reading off, when the URL was deferred. Not a reset time: none is documented.
        #[serde(rename = "untilMs")]
        until_ms: i64,
        /// Why.
        reason: String,
    },
    /// Refused locally before sending.
    Invalid {
        /// The rule.
        rule: Rule,
        /// Why.
        message: String,
    },
}

impl Fate {
    /// Succeeded, failed, deferred or invalid.
    pub fn is_final(&self) -> bool {
        !matches!(self, Fate::Pending | Fate::Submitted { .. })
    }

    /// The fate's name: `pending`, `submitted`, `succeeded`, `failed`, `deferred`, `invalid`.
    pub fn name(&self) -> &'static str {
        match self {
            Fate::Pending => "pending",
            Fate::Submitted { .. } => "submitted",
            Fate::Succeeded => "succeeded",
            Fate::Failed { .. } => "failed",
            Fate::Deferred { .. } => "deferred",
            Fate::Invalid { .. } => "invalid",
        }
    }
}

/// One URL of the job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct UrlEntry {
    /// As given.
    pub url: String,
    /// As sent when it differs from `url` (ESA: percent-encoded); empty when the same.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub send: String,
    /// Needs encoding (Tencent: EncodeUrl / UrlEncode).
    #[serde(default)]
    pub encode: bool,
    /// Where it stands.
    pub fate: Fate,
}

impl UrlEntry {
    /// The form put in the call.
    pub fn send_url(&self) -> &str {
        if self.send.is_empty() {
            &self.url
        } else {
            &self.send
        }
    }
}

/// Where a batch stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum BatchState {
    /// Waiting to be sent (after `not_before_ms`).
    Planned,
    /// A submit call is in flight.
    Sending,
    /// Unknown whether a submit arrived (crash or broken connection): look it up first.
    Reconcile,
    /// Submitted; polling.
    Tracking,
    /// Every URL final.
    Done,
    /// Over quota until the quota has room again.
    Deferred,
}

/// URLs sent in one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Batch {
    /// Indexes into the job's URLs.
    pub urls: Vec<u32>,
    /// State.
    pub state: BatchState,
    /// Submit attempts so far.
    pub attempts: u32,
    /// Not before (ms): back-off and deferral.
    pub not_before_ms: i64,
    /// JobId / TaskId once submitted.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub task_id: Option<String>,
    /// When the accepted submit was sent (ms).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub submitted_ms: Option<i64>,
    /// When the last submit attempt was sent (ms).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub last_sent_ms: Option<i64>,
    /// Next poll (ms).
    pub next_poll_ms: i64,
    /// Paging offset of the current poll round.
    pub poll_offset: i64,
    /// Poll failures in a row.
    pub poll_failures: u32,
}

/// What a call in flight is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CallKind {
    /// DescribeContentQuota / DescribePushQuota.
    Quota,
    /// Submit a batch.
    Submit {
        /// Batch index.
        batch: usize,
    },
    /// Poll one batch's tasks (EdgeOne, CDN).
    Poll {
        /// Batch index.
        batch: usize,
    },
    /// Sweep ESA's task list (one page).
    Sweep {
        /// Page number (from 1).
        page: i64,
    },
    /// Look up whether a batch arrived.
    Reconcile {
        /// Batch index.
        batch: usize,
    },
}

/// A call in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct InFlightCall {
    /// Purpose.
    pub kind: CallKind,
    /// Action name.
    pub action: String,
    /// Sent at (ms, job clock).
    pub sent_ms: i64,
}

/// What the engine knows of the day's quota.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct QuotaState {
    /// Whether the quota API was asked (or not needed).
    pub checked: bool,
    /// Per-call cap from the vendor, if it said.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub batch_cap: Option<usize>,
    /// URLs left today, if known.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub remaining: Option<u64>,
    /// Quota API failures in a row.
    pub failures: u32,
    /// Next quota question not before (ms).
    pub not_before_ms: i64,
    /// While batches are deferred: when the quota is asked again (or a probe is sent).
    #[serde(default)]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub recheck_ms: Option<i64>,
    /// A deferred batch was re-sent as a probe (no quota API answers for this job): when it is
    /// accepted, the other deferred batches go on too.
    #[serde(default)]
    pub probing: bool,
}

/// ESA tracking sweep (DescribePreloadTasks has no task-id filter: page through a window).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Sweep {
    /// Page to ask next; 0 when no sweep is running.
    pub page: i64,
    /// When the next sweep starts (ms).
    pub next_ms: i64,
    /// End of the current sweep's window (ms).
    pub window_end_ms: i64,
    /// Batches submitted before this (ms) are no longer swept but looked up URL by URL: a
    /// sweep was refused (`InvalidTime`). Those older than DescribePreloadTasks' 3-day
    /// look-back are looked up that way too.
    #[serde(default)]
    pub lookup_before_ms: i64,
}

/// Counters for progress and benchmarks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct ActionStats {
    /// Calls sent.
    pub sent: u64,
    /// Throttling answers.
    pub throttled: u64,
    /// First send (ms).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub first_ms: Option<i64>,
    /// Last send (ms).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub last_ms: Option<i64>,
}

/// A prefetch job: its spec, every URL's fate, batches, calls in flight and pacing. Serialises
/// as the journal ([`Job::journal`], schema [`JOURNAL_VERSION`]). The state is private: shells
/// read it through accessors and change it only by feeding answers and time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    /// What to do.
    pub(crate) spec: JobSpec,
    /// Seed of nonces and jitter (the shell gives a random one per job).
    pub(crate) seed: u64,
    /// Every URL.
    pub(crate) urls: Vec<UrlEntry>,
    /// Every batch.
    pub(crate) batches: Vec<Batch>,
    /// Calls in flight.
    pub(crate) calls: BTreeMap<u64, InFlightCall>,
    /// Next call id.
    pub(crate) next_call: u64,
    /// Server time − local time (ms), learnt from clock-skew answers.
    pub(crate) clock_offset_ms: i64,
    /// Pacing.
    pub(crate) pacer: pace::Pacer,
    /// Quota knowledge.
    pub(crate) quota: QuotaState,
    /// ESA sweep.
    pub(crate) sweep: Sweep,
    /// Set when an error stops the job (bad credentials, …).
    pub(crate) halted: Option<ApiError>,
    /// Per-action counters.
    pub(crate) stats: BTreeMap<String, ActionStats>,
    /// Created at (ms).
    pub(crate) created_ms: i64,
}

/// What the shell must do next.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Step {
    /// Send this signed request and feed the answer back with `call_id`.
    Send {
        /// Call id for [`Job::on_response`].
        #[serde(rename = "callId")]
        call_id: u64,
        /// The signed request.
        request: crate::request::HttpRequest,
    },
    /// Nothing to send before `until_ms` (or before an answer arrives, when `None`).
    Wait {
        /// Wake-up time (ms), if any.
        #[serde(rename = "untilMs")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        until_ms: Option<i64>,
    },
    /// Every URL is final, or the job is halted.
    Done,
}

/// How a transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum TransportError {
    /// Nothing was sent (connection refused, DNS): safe to resend.
    NotSent,
    /// Sent, but no complete answer (reset, timeout): it may have arrived.
    Unknown,
}

/// Counts per fate and derived figures.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// All URLs.
    pub total: usize,
    /// Per fate.
    pub pending: usize,
    /// Per fate.
    pub submitted: usize,
    /// Per fate.
    pub succeeded: usize,
    /// Per fate.
    pub failed: usize,
    /// Per fate.
    pub deferred: usize,
    /// Per fate.
    pub invalid: usize,
    /// URLs that reached a final fate per second since the job started.
    pub rate_per_sec: f64,
    /// Estimated ms to finish, when a rate is known.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub eta_ms: Option<i64>,
    /// Every URL final (or halted).
    pub done: bool,
    /// The error that halted the job.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub halted: Option<ApiError>,
}

/// What the plan looks like before anything is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PlanSummary {
    /// URLs kept (after dedupe), including invalid ones.
    pub urls: usize,
    /// URLs refused locally (fate `invalid`).
    pub invalid: usize,
    /// URLs per call in force.
    pub batch_cap: usize,
    /// Calls planned.
    pub batches: usize,
    /// Submit calls per second.
    pub rate_per_sec: f64,
    /// Lower bound of the submit phase at that rate (ms).
    pub min_duration_ms: i64,
}

/// One submit call of a dry run: the signed request, the signature's intermediates and how many
/// URLs the call carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DryRunCall {
    /// The signed request, as the job would send it now.
    pub request: crate::request::HttpRequest,
    /// Canonical request and string to sign, for "explain" views.
    pub signing: crate::sign::SigningOutput,
    /// URLs in the call.
    pub urls: usize,
}

pub use journal::{JournalError, JOURNAL_VERSION};

impl Job {
    /// A job over `urls` (deduplicated, each checked for the vendor: invalid ones get the
    /// `Invalid` fate and are never sent), planned into batches of the vendor's per-call cap.
    pub fn new(spec: JobSpec, urls: Vec<String>, seed: u64, now_ms: i64) -> Job {
        let service = spec.target.service();
        let mut entries = Vec::with_capacity(urls.len());
        let keep: Vec<bool> = {
            let mut seen = std::collections::HashSet::with_capacity(urls.len());
            urls.iter().map(|u| seen.insert(u.as_str())).collect()
        };
        let spec_problem = spec.check().err().and_then(|e| e.errors.into_iter().next());
        for (url, keep) in urls.into_iter().zip(keep) {
            if !keep {
                continue;
            }
            if let Some(p) = &spec_problem {
                entries.push(UrlEntry {
                    send: String::new(),
                    encode: false,
                    url,
                    fate: Fate::Invalid {
                        rule: p.rule,
                        message: format!("{}: {}", p.field, p.message),
                    },
                });
                continue;
            }
            let entry = match urls::prepare(&url, service) {
                Ok(p) => {
                    let send = if p.send == url { String::new() } else { p.send };
                    UrlEntry {
                        send,
                        encode: p.needs_encoding,
                        url,
                        fate: Fate::Pending,
                    }
                }
                Err((rule, message)) => UrlEntry {
                    send: String::new(),
                    encode: false,
                    url,
                    fate: Fate::Invalid { rule, message },
                },
            };
            entries.push(entry);
        }
        let needs_quota = spec.options.use_quota_api && service != Service::Esa;
        // edge mode has its own daily quota, which no quota API reports
        let remaining = spec
            .edge_mode()
            .then_some(spec.options.limits.teo_edge_prefetch_daily as u64);
        let mut job = Job {
            pacer: pace::Pacer::new(spec.options.rate_per_sec),
            spec,
            seed,
            urls: entries,
            batches: Vec::new(),
            calls: BTreeMap::new(),
            next_call: 1,
            clock_offset_ms: 0,
            quota: QuotaState {
                checked: !needs_quota || spec_problem.is_some(),
                remaining,
                ..QuotaState::default()
            },
            sweep: Sweep::default(),
            halted: None,
            stats: BTreeMap::new(),
            created_ms: now_ms,
        };
        job.plan(now_ms);
        job
    }

    /// The per-call cap in force: the vendor's answer, else the limits.
    pub fn batch_cap(&self) -> usize {
        let l = &self.spec.options.limits;
        let configured = match self.spec.target.service() {
            Service::Teo => l.teo_prefetch_batch,
            Service::Cdn => l.cdn_push_batch,
            Service::Esa => l.esa_preload_batch,
        };
        self.quota
            .batch_cap
            .map_or(configured, |c| c.min(configured))
            .max(1)
    }

    /// (Re)plans every pending URL that is in no live batch into batches of the cap.
    pub(crate) fn plan(&mut self, now_ms: i64) {
        let cap = self.batch_cap();
        let mut owned = vec![false; self.urls.len()];
        for b in &self.batches {
            if b.state != BatchState::Planned {
                for &u in &b.urls {
                    if let Some(o) = owned.get_mut(u as usize) {
                        *o = true;
                    }
                }
            }
        }
        self.batches.retain(|b| b.state != BatchState::Planned);
        let free: Vec<u32> = (0..self.urls.len())
            .filter(|&i| !owned[i] && self.urls[i].fate == Fate::Pending)
            .map(|i| i as u32)
            .collect();
        for chunk in free.chunks(cap) {
            self.batches.push(Batch {
                urls: chunk.to_vec(),
                state: BatchState::Planned,
                attempts: 0,
                not_before_ms: now_ms,
                task_id: None,
                submitted_ms: None,
                last_sent_ms: None,
                next_poll_ms: 0,
                poll_offset: 0,
                poll_failures: 0,
            });
        }
    }

    /// Counts per fate, rate and ETA.
    pub fn progress(&self, now_ms: i64) -> Progress {
        let mut p = Progress {
            total: self.urls.len(),
            halted: self.halted.clone(),
            ..Progress::default()
        };
        for u in &self.urls {
            match u.fate {
                Fate::Pending => p.pending += 1,
                Fate::Submitted { .. } => p.submitted += 1,
                Fate::Succeeded => p.succeeded += 1,
                Fate::Failed { .. } => p.failed += 1,
                Fate::Deferred { .. } => p.deferred += 1,
                Fate::Invalid { .. } => p.invalid += 1,
            }
        }
        let finished = p.succeeded + p.failed + p.deferred;
        let secs = (now_ms - self.created_ms).max(1) as f64 / 1000.0;
        p.rate_per_sec = finished as f64 / secs;
        let left = p.pending + p.submitted;
        if p.rate_per_sec > 0.0 && left > 0 {
            p.eta_ms = Some((left as f64 / p.rate_per_sec * 1000.0) as i64);
        }
        p.done = self.is_done();
        p
    }

    /// Every URL final and nothing in flight, or halted with nothing in flight. Deferred
    /// batches wait for the quota while [`JobOptions::quota_recheck_ms`] is positive.
    pub fn is_done(&self) -> bool {
        let waits_for_quota = self.spec.options.quota_recheck_ms > 0;
        self.calls.is_empty()
            && (self.halted.is_some()
                || self.batches.iter().all(|b| {
                    b.state == BatchState::Done
                        || (b.state == BatchState::Deferred && !waits_for_quota)
                }))
    }

    /// The journal: the whole state as JSON, with its schema version (no secret is ever in a
    /// job). Fails only if the state cannot be written as JSON.
    pub fn journal(&self) -> Result<String, JournalError> {
        journal::write(self)
    }

    /// Resumes from a journal of this schema version or an older one (migrated). A journal
    /// that is not one, comes from a newer edgewarm, or whose state does not hold together
    /// (an index out of range, a time out of bounds) is refused with the field and the rule.
    /// Calls that were in flight are forgotten; a batch whose submit was in flight is looked
    /// up at the vendor before anything is sent again.
    pub fn resume(journal: &str) -> Result<Job, JournalError> {
        let mut job = journal::read(journal)?;
        let calls = std::mem::take(&mut job.calls);
        for call in calls.values() {
            if let CallKind::Submit { batch } = call.kind {
                if let Some(b) = job.batches.get_mut(batch) {
                    b.state = BatchState::Reconcile;
                }
            }
        }
        for b in job
            .batches
            .iter_mut()
            .filter(|b| b.state == BatchState::Sending)
        {
            b.state = BatchState::Reconcile;
        }
        if job.sweep.page > 0 {
            job.sweep.page = 0;
        }
        for b in &mut job.batches {
            b.poll_offset = 0;
        }
        Ok(job)
    }

    /// A new job over the URLs that failed, with the same spec.
    pub fn retry_failed(&self, seed: u64, now_ms: i64) -> Job {
        let urls = self
            .urls
            .iter()
            .filter(|u| matches!(u.fate, Fate::Failed { .. }))
            .map(|u| u.url.clone())
            .collect();
        Job::new(self.spec.clone(), urls, seed, now_ms)
    }

    /// Per-action counters (sent, throttled, first and last send).
    pub fn action_stats(&self) -> &BTreeMap<String, ActionStats> {
        &self.stats
    }

    /// What the job does: target, endpoint, key id, options.
    pub fn spec(&self) -> &JobSpec {
        &self.spec
    }

    /// Every URL with its fate, in input order (after dedupe).
    pub fn urls(&self) -> &[UrlEntry] {
        &self.urls
    }

    /// Every batch (planned, in flight, tracking, done or deferred), read-only.
    pub fn batches(&self) -> &[Batch] {
        &self.batches
    }

    /// Calls sent and not answered yet.
    pub fn calls_in_flight(&self) -> usize {
        self.calls.len()
    }

    /// Server time − local time (ms), learnt from clock-skew answers.
    pub fn clock_offset_ms(&self) -> i64 {
        self.clock_offset_ms
    }

    /// The pacing buckets (rate in force per vendor, action and key id).
    pub fn pacer(&self) -> &pace::Pacer {
        &self.pacer
    }

    /// What the engine knows of the quota.
    pub fn quota(&self) -> &QuotaState {
        &self.quota
    }

    /// The ESA tracking sweep.
    pub fn sweep(&self) -> &Sweep {
        &self.sweep
    }

    /// The error that halted the job, if any.
    pub fn halted(&self) -> Option<&ApiError> {
        self.halted.as_ref()
    }

    /// When the job was created (ms).
    pub fn created_ms(&self) -> i64 {
        self.created_ms
    }

    /// The plan: URLs, invalid ones, batches, the cap, the rate and the least time the submits
    /// take at that rate.
    pub fn plan_summary(&self) -> PlanSummary {
        let invalid = self
            .urls
            .iter()
            .filter(|u| matches!(u.fate, Fate::Invalid { .. }))
            .count();
        let rate = self.spec.options.rate_per_sec;
        let batches = self.batches.len();
        let min_duration_ms = if rate.is_finite() && rate > 0.0 {
            (batches.saturating_sub(1) as f64 * 1000.0 / rate) as i64
        } else {
            0
        };
        PlanSummary {
            urls: self.urls.len(),
            invalid,
            batch_cap: self.batch_cap(),
            batches,
            rate_per_sec: rate,
            min_duration_ms,
        }
    }
}
