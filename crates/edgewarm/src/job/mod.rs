//! The sans-IO job engine: a prefetch, purge or refresh job (purge, wait until each purge is
//! done, then prefetch; see [`JobKind`] and [`Phase`]) of any size for any of the three
//! vendors. It plans batches within each call's cap and the day's quota, paces calls per
//! (vendor, action, credential), retries only what may succeed, tracks submitted work until
//! every URL is final, and serialises to a journal (no secret inside) that a crashed job resumes
//! from without resubmitting finished batches.
//!
//! The shell drives it: [`Job::next_actions`] says what to send (signed requests) and until when
//! to wait; [`Job::on_response`] / [`Job::on_transport_error`] feed answers back with the time.
//! It never sleeps, fetches or reads a clock.
//!
//! Where things are: [`spec`] holds the inputs a user writes (target, options), [`state`] the
//! journal's schema (fates, batches, calls in flight, quota, sweep); this module holds [`Job`]
//! and its accessors; `engine`, `calls`, `answers`, `esa_track`, `pace` and `quota` hold the
//! decisions (what to send, how to build each call, what an answer means, pacing, the quota).

mod answers;
mod calls;
mod engine;
mod esa_track;
pub mod fixtures;
mod hosts;
mod intake;
mod journal;
pub mod pace;
mod quota;
pub mod spec;
pub mod state;
mod summary;
mod tag_readers;
mod tracked;

pub use engine::PURGE_FAILED;
pub use esa_track::{TRACKING_EXPIRED, UNVERIFIABLE};
pub use hosts::{host_is_served, HostCount, HostWarning};
pub use quota::{cdn_push_areas, read_prefetch_quota, PhaseQuota, QuotaReading};
pub use spec::{JobKind, JobOptions, JobSpec, PurgeType, Target};
pub use state::{
    ActionStats, Batch, BatchState, CallKind, Deferral, Failure, Fate, InFlightCall, LocalRefusal,
    Phase, QuotaState, RefusedHost, Sweep, UrlEntry,
};
pub use summary::{DeferredSummary, FailureGroup, FailureSummary, FateCounts, ORIGIN_FAILURE_HINT};

use crate::error::ApiError;
use crate::vendor::Service;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A prefetch job: its spec, every URL's fate, batches, calls in flight and pacing. Serialises
/// as the journal ([`Job::journal`], schema [`JOURNAL_VERSION`]). The state is private: shells
/// read it through accessors and change it only by feeding answers and time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Job {
    /// What to do.
    #[serde(deserialize_with = "spec::read_spec")]
    pub(crate) spec: JobSpec,
    /// Seed of nonces and jitter (the shell gives a random one per job).
    pub(crate) seed: u64,
    /// Every input URL once (duplicates dropped), in input order, with its fate.
    pub(crate) urls: tracked::Tracked<UrlEntry>,
    /// The URLs grouped into calls within the per-call cap; a batch's index is its id.
    pub(crate) batches: tracked::Tracked<Batch>,
    /// Calls in flight.
    #[serde(deserialize_with = "journal::read_once")]
    pub(crate) calls: BTreeMap<u64, InFlightCall>,
    /// Next call id.
    pub(crate) next_call: u64,
    /// Server time − local time (ms), learnt from clock-skew answers.
    pub(crate) clock_offset_ms: i64,
    /// The send rate per (vendor, action, credential), slowed by throttling answers.
    #[serde(deserialize_with = "journal::read_once")]
    pub(crate) pacer: pace::Pacer,
    /// What the vendor's quota answers said: per-call cap, URLs left today, when to ask again.
    #[serde(deserialize_with = "journal::read_once")]
    pub(crate) quota: QuotaState,
    /// Where the paging through ESA's task list stands (ESA jobs only).
    #[serde(deserialize_with = "journal::read_once")]
    pub(crate) sweep: Sweep,
    /// Set when an error stops the job (bad credentials, …).
    #[serde(default, deserialize_with = "journal::read_once")]
    pub(crate) halted: Option<ApiError>,
    /// Calls sent and throttling answers, per vendor action.
    #[serde(deserialize_with = "journal::read_once")]
    pub(crate) stats: BTreeMap<String, ActionStats>,
    /// Created at (ms).
    pub(crate) created_ms: i64,
    /// The phase running (purge, then prefetch for a refresh).
    #[serde(default)]
    pub(crate) phase: Phase,
    /// Hosts the vendor refused for the target (journal version 4): their URLs fail without
    /// being sent.
    #[serde(default, deserialize_with = "journal::read_once")]
    pub(crate) refused_hosts: BTreeMap<String, RefusedHost>,
    /// A refresh's URLs whose purge was put off for quota (journal version 5), in input order:
    /// in the prefetch phase, the URLs waiting, never purged, for the next purge round; in a
    /// purge phase after the first, the URLs of that round. Empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) deferred_purges: Vec<u32>,
    /// Where the journal's append-only records stand (not state: see [`Job::journal_update`]).
    #[serde(skip)]
    pub(crate) cursor: journal::Cursor,
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
    /// URLs in the job (after dropping duplicates), whatever their fate.
    pub total: usize,
    /// URLs not sent yet.
    pub pending: usize,
    /// URLs the vendor accepted and the job is still tracking.
    pub submitted: usize,
    /// URLs the vendor reports warmed.
    pub succeeded: usize,
    /// URLs the vendor reports failed, or refused with a final error.
    pub failed: usize,
    /// URLs put off until the quota has room again.
    pub deferred: usize,
    /// URLs refused locally before sending (never sent).
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

/// Failures per phase (see [`Job::phase_counts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PhaseCounts {
    /// The phase running.
    pub phase: Phase,
    /// URLs whose purge failed (never prefetched).
    pub purge_failed: usize,
    /// URLs whose prefetch failed.
    pub prefetch_failed: usize,
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
    /// Submit calls the plan needs (quota lookups and polls not counted).
    pub batches: usize,
    /// Submit calls per second.
    pub rate_per_sec: f64,
    /// Lower bound of the submit phase at that rate (ms).
    pub min_duration_ms: i64,
    /// URLs per host, the largest first (see [`Job::host_counts`]).
    #[serde(default)]
    pub hosts: Vec<HostCount>,
    /// Hosts whose URLs will not get through: refused by the vendor, or not among the served
    /// hosts given to [`Job::plan_summary_for`].
    #[serde(default)]
    pub warnings: Vec<HostWarning>,
    /// The quotas the job has read, per phase (see [`Job::phase_quotas`]): a refresh states
    /// both phases' before its first purge; empty before any quota answer.
    #[serde(default)]
    pub quotas: Vec<PhaseQuota>,
    /// URLs the job may still submit in its phase within every quota it has read (a refresh's
    /// purges: within both the purge and the prefetch quota); absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub quota_room: Option<u64>,
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

pub use journal::{JournalError, JournalWrite, JOURNAL_VERSION};

impl Job {
    /// A job over `urls` (deduplicated, each checked for the vendor: invalid ones get the
    /// `Invalid` fate and are never sent), planned into batches of the vendor's per-call cap.
    pub fn new(spec: JobSpec, urls: Vec<String>, seed: u64, now_ms: i64) -> Job {
        Job::from_lines(spec, urls, seed, now_ms)
    }

    /// [`Job::new`] over any source of URLs (the lines of a file read one by one, …): each
    /// URL is kept as given, once, without another copy of the list being made.
    pub fn from_lines<I: IntoIterator<Item = String>>(
        spec: JobSpec,
        urls: I,
        seed: u64,
        now_ms: i64,
    ) -> Job {
        let urls = urls.into_iter();
        let capacity = urls.size_hint().0;
        let entries = intake::entries(&spec, urls, capacity);
        Job::planned(spec, entries, seed, now_ms)
    }

    /// The job over `entries` (deduplicated and checked), planned.
    fn planned(spec: JobSpec, entries: Vec<UrlEntry>, seed: u64, now_ms: i64) -> Job {
        let spec_problem = spec.check().is_err();
        let phase = if spec.kind.purge_type().is_some() {
            Phase::Purge
        } else {
            Phase::Prefetch
        };
        let needs_quota = spec.has_quota_api_in(phase);
        // edge mode has its own daily quota, which no quota API reports
        let remaining = (spec.edge_mode() && phase == Phase::Prefetch)
            .then_some(spec.options.limits.teo_edge_prefetch_daily as u64);
        let mut job = Job {
            pacer: pace::Pacer::new(spec.options.rate_per_sec),
            spec,
            seed,
            urls: entries.into(),
            batches: Default::default(),
            calls: BTreeMap::new(),
            next_call: 1,
            clock_offset_ms: 0,
            quota: QuotaState {
                checked: !needs_quota || spec_problem,
                remaining,
                ..QuotaState::default()
            },
            sweep: Sweep::default(),
            halted: None,
            stats: BTreeMap::new(),
            created_ms: now_ms,
            phase,
            refused_hosts: BTreeMap::new(),
            deferred_purges: Vec::new(),
            cursor: Default::default(),
        };
        job.plan(now_ms);
        job
    }

    /// The per-call cap in force: the vendor's answer, else the limits.
    pub fn batch_cap(&self) -> usize {
        let l = &self.spec.options.limits;
        let service = self.spec.target.service();
        let configured = match (self.phase, self.spec.kind.purge_type()) {
            (Phase::Purge, Some(t)) => t.batch_cap(service, l),
            _ => match service {
                Service::Teo => l.teo_prefetch_batch,
                Service::Cdn => l.cdn_push_batch,
                Service::Esa => l.esa_preload_batch,
            },
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
        // batch by batch, with no list of every free URL alongside
        let mut chunk = Vec::new();
        for (i, u) in self.urls.iter().enumerate() {
            if owned[i] || u.fate != Fate::Pending {
                continue;
            }
            if chunk.is_empty() {
                chunk.reserve_exact(cap.min(self.urls.len() - i));
            }
            chunk.push(i as u32);
            if chunk.len() == cap {
                let urls = std::mem::take(&mut chunk);
                self.batches
                    .push(Batch::new(urls, BatchState::Planned, now_ms));
            }
        }
        if !chunk.is_empty() {
            chunk.shrink_to_fit();
            self.batches
                .push(Batch::new(chunk, BatchState::Planned, now_ms));
        }
        self.fail_refused_hosts();
    }

    /// Counts per fate, rate and ETA.
    pub fn progress(&self, now_ms: i64) -> Progress {
        let c = self.fate_counts();
        let mut p = Progress {
            total: self.urls.len(),
            pending: c.pending,
            submitted: c.submitted,
            succeeded: c.succeeded,
            failed: c.failed,
            deferred: c.deferred,
            invalid: c.invalid,
            halted: self.halted.clone(),
            ..Progress::default()
        };
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
        // a refresh still in its purge phase has its prefetch ahead (next_actions moves on)
        let purge_ahead_of_prefetch =
            self.phase == Phase::Purge && self.spec.kind == JobKind::Refresh;
        // a refresh whose purges were put off for quota has a purge round ahead
        let round_ahead = waits_for_quota && !self.deferred_purges.is_empty();
        self.calls.is_empty()
            && (self.halted.is_some()
                || !purge_ahead_of_prefetch
                    && !round_ahead
                    && self.batches.iter().all(|b| {
                        b.state == BatchState::Done
                            || (b.state == BatchState::Deferred && !waits_for_quota)
                    }))
    }

    /// The journal: the whole state as JSON on one line, with its schema version (no secret is
    /// ever in a job): a journal that resumes on its own. Fails only if the state cannot be
    /// written as JSON. It does not touch the chain of [`Job::journal_update`].
    pub fn journal(&self) -> Result<String, JournalError> {
        journal::write(self)
    }

    /// What to write to the journal now, costing what changed since the last update rather
    /// than the whole job: the first update, and then one whenever the records written since
    /// outweigh it, is a [`JournalWrite::Snapshot`] (replace everything stored with it); the
    /// others are [`JournalWrite::Record`]s (append it as one more line). Each is one line of
    /// JSON. The shell writes it durably before it sends what [`Job::next_actions`] returned.
    pub fn journal_update(&mut self) -> Result<JournalWrite, JournalError> {
        journal::update(self)
    }

    /// Sets the URLs whose purge waits for a later round (written with the next record).
    pub(crate) fn set_deferred_purges(&mut self, urls: Vec<u32>) {
        self.deferred_purges = urls;
        self.cursor.deferred_changed = true;
    }

    /// Resumes from a journal of this schema version or an older one (migrated): one whole
    /// journal ([`Job::journal`]), or a snapshot followed by its records, one per line (what
    /// [`Job::journal_update`] wrote; a torn last line is ignored). A journal that is not one,
    /// comes from a newer edgewarm, or whose state does not hold together (an index out of
    /// range, a time out of bounds) is refused with the field and the rule. Calls that were in
    /// flight are forgotten; a batch whose submit was in flight is looked up at the vendor
    /// before anything is sent again.
    pub fn resume(journal: &str) -> Result<Job, JournalError> {
        let mut lines = journal.split('\n').filter(|l| !l.trim().is_empty());
        let snapshot = lines.next().unwrap_or("");
        Job::resume_parts(snapshot, lines)
    }

    /// [`Job::resume`] from a snapshot and the records appended after it, in order (as a store
    /// that keeps them apart, such as IndexedDB, holds them). A last record that does not read
    /// (torn by a crash while it was written) is ignored: the shell sends nothing before its
    /// record is written, so nothing it describes was sent.
    pub fn resume_parts<'a>(
        snapshot: &str,
        records: impl IntoIterator<Item = &'a str>,
    ) -> Result<Job, JournalError> {
        let mut job = journal::read_parts(snapshot, records)?;
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

    /// A new job over the URLs that failed, with the same spec. The hosts the vendor refused
    /// are carried over (see [`Job::refused_hosts`]): their URLs fail again at once with the
    /// same reason, without a call spent finding the host again.
    pub fn retry_failed(&self, seed: u64, now_ms: i64) -> Job {
        let urls = self
            .urls
            .iter()
            .filter(|u| matches!(u.fate, Fate::Failed(_)))
            .map(|u| u.url.clone())
            .collect();
        let mut job = Job::new(self.spec.clone(), urls, seed, now_ms);
        job.refused_hosts = self.refused_hosts.clone();
        job.fail_refused_hosts();
        job
    }

    /// The phase running: `Purge` (purge jobs, and refreshes until every purge is final) or
    /// `Prefetch`.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Where the phases stand: the phase running and the failures of each phase (a failed
    /// purge's reason begins with [`PURGE_FAILED`]).
    pub fn phase_counts(&self) -> PhaseCounts {
        let mut c = PhaseCounts {
            phase: self.phase,
            ..PhaseCounts::default()
        };
        let round = self.purge_round();
        for (i, u) in self.urls.iter().enumerate() {
            if let Fate::Failed(f) = &u.fate {
                let this_purge = self.phase == Phase::Purge && round.as_ref().is_none_or(|r| r[i]);
                if this_purge || f.reason.starts_with(PURGE_FAILED) {
                    c.purge_failed += 1;
                } else {
                    c.prefetch_failed += 1;
                }
            }
        }
        c
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
    /// take at that rate, URLs per host, and warnings for the hosts the vendor refused.
    pub fn plan_summary(&self) -> PlanSummary {
        self.plan_summary_for(None)
    }

    /// [`Job::plan_summary`] knowing which hosts the target serves (`served_hosts`, e.g. the
    /// sandbox's domains, or a zone's domain list; `*.example.com` covers sub-domains): each
    /// host is marked served or not, and the plan warns about every host not served.
    pub fn plan_summary_for(&self, served_hosts: Option<&[String]>) -> PlanSummary {
        let invalid = self.fate_counts().invalid;
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
            hosts: self.host_counts(served_hosts),
            warnings: self.host_warnings(served_hosts),
            quotas: self.phase_quotas(),
            quota_room: self.quota_room(),
        }
    }

    /// The quotas the job knows, per phase, the running phase's first: the figures its quota
    /// answers gave (less what it has submitted since); for a refresh in its purge phase, the
    /// prefetch quota read ahead as well (less one URL per purge sent, each needing a
    /// prefetch). EdgeOne edge mode's daily prefetch figure comes from the limits, as no quota
    /// API reports it. A phase whose quota is unknown is left out.
    pub fn phase_quotas(&self) -> Vec<PhaseQuota> {
        let service = self.spec.target.service();
        let edge_daily = |phase: Phase| self.spec.edge_mode() && phase == Phase::Prefetch;
        let entry = |phase: Phase, batch: Option<usize>, remaining: Option<u64>| {
            let source = if edge_daily(phase) {
                Some("limits")
            } else {
                quota::quota_source(service, phase)
            };
            match source {
                Some(source) if batch.is_some() || remaining.is_some() => Some(PhaseQuota {
                    phase,
                    source: source.to_string(),
                    batch,
                    remaining,
                }),
                _ => None,
            }
        };
        let mut out = Vec::new();
        out.extend(entry(
            self.phase,
            self.quota.batch_cap,
            self.quota.remaining,
        ));
        if self.phase == Phase::Purge && self.spec.kind == JobKind::Refresh {
            if let Some(p) = self.quota.prefetch_ahead {
                out.extend(entry(Phase::Prefetch, p.batch, p.remaining));
            }
        }
        out
    }
}
