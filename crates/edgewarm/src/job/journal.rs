//! The journal: a job written as JSON so that a crashed or reloaded shell resumes it without
//! resubmitting anything. A journal is untrusted input (a file on disk, a browser's
//! localStorage): it carries a schema version, older versions are migrated at one point
//! ([`migrate`]), newer ones are refused, and the state read back is checked to hold together
//! (every index in range, every time and counter within bounds) before the engine touches it,
//! so that no journal can make the engine panic or submit a URL twice.
//!
//! Versions: 1 is the journal of the first engine (no `version` field); 2 adds the field and
//! is otherwise the same schema; 3 adds job kinds and phases; 4 adds the hosts the vendor
//! refused (`refusedHosts`); 5 adds a refresh's quota planning over both phases (the prefetch
//! quota read ahead of the purges, `quota.prefetchAhead` / `quota.prefetchDue`, the call
//! `prefetchQuota`, and the URLs whose purge was put off for a later round,
//! `deferredPurges`); 6 splits the journal into a snapshot and append-only records.
//!
//! **Snapshot and records.** Rewriting the whole job before every send costs O(job) per call:
//! for a million URLs, a hundred megabytes a call. So [`update`] writes a snapshot (the whole
//! job, with `journalGen`, its generation) first, and after that records: one line of JSON per
//! update holding only what changed — the job's small head (calls in flight, quota, pacing,
//! sweep, counters), the fates of the URLs and the batches marked changed since the last
//! update ([`super::tracked`]; a URL's text never changes after planning) — so that a write
//! costs O(that call). When the records written since the
//! snapshot outweigh it, the next update is a new snapshot (compaction: the total written stays
//! within twice the records). Reading replays the records over their snapshot in order; a
//! record of another generation or out of sequence is refused, and a last one that does not
//! read (torn by a crash mid-write) is ignored. Old whole-JSON journals are a snapshot without
//! records, and still resume.

use super::state::{ActionStats, Batch, InFlightCall, Phase, QuotaState, RefusedHost, Sweep};
use super::tracked::Changes;
use super::{pace, Fate, Job, JobOptions};
use crate::error::ApiError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The journal schema this engine writes. Journals of older versions are migrated on
/// [`Job::resume`]; newer ones are refused.
pub const JOURNAL_VERSION: u64 = 6;

/// Times in a journal (ms since the epoch, offsets, intervals) lie within ±2^50 ms (about
/// 35 000 years): edgewarm's own bound, so that the engine's arithmetic on them cannot overflow.
const MAX_MS: i64 = 1 << 50;

/// Counters in a journal (attempts, failures, calls sent) stay below 2^40: edgewarm's own
/// bound, far above any real job, so that counting on cannot overflow.
const MAX_COUNT: u64 = 1 << 40;

/// Why a journal could not be written or used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    /// Not JSON, or not a job's shape.
    #[error("journal: not a job journal: {0}")]
    Malformed(String),
    /// Written by a newer edgewarm.
    #[error("journal: version {found} is newer than this edgewarm reads (up to {supported}); resume it with the edgewarm that wrote it")]
    UnsupportedVersion {
        /// The journal's version.
        found: u64,
        /// The newest version this engine reads.
        supported: u64,
    },
    /// A field whose value breaks a rule of the schema (index out of range, time out of
    /// bounds, …).
    #[error("journal: {field}: {rule}")]
    Invalid {
        /// Path of the field (`batches[3].urls[0]`).
        field: String,
        /// The rule it breaks.
        rule: String,
    },
    /// The job could not be written as JSON.
    #[error("journal: the job cannot be written as JSON: {0}")]
    Write(String),
}

#[cold]
fn invalid(field: impl Into<String>, rule: impl Into<String>) -> JournalError {
    JournalError::Invalid {
        field: field.into(),
        rule: rule.into(),
    }
}

#[derive(Serialize)]
struct Versioned<'a> {
    version: u64,
    /// The snapshot's generation: its records carry the same.
    #[serde(rename = "journalGen", skip_serializing_if = "is_zero")]
    gen: u64,
    #[serde(flatten)]
    job: &'a Job,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Only the version and generation, to choose how to read the rest.
#[derive(Deserialize)]
struct Peek {
    #[serde(default)]
    version: Option<Value>,
    #[serde(default, rename = "journalGen")]
    gen: u64,
}

/// One write to the journal (see [`Job::journal_update`](super::Job::journal_update)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "kind", content = "text", rename_all = "camelCase")]
pub enum JournalWrite {
    /// The whole job: replace everything stored for it with this line.
    Snapshot(String),
    /// What changed since the last write: append this line after the others.
    Record(String),
}

impl JournalWrite {
    /// The line to write.
    pub fn text(&self) -> &str {
        match self {
            JournalWrite::Snapshot(t) | JournalWrite::Record(t) => t,
        }
    }
}

/// Where the chain of snapshot and records stands: bookkeeping of the shell's journal, not
/// the job's state (equal whatever it holds, never serialised).
#[derive(Debug, Clone, Default)]
pub struct Cursor {
    /// Generation of the last snapshot written or read.
    gen: u64,
    /// Records written since that snapshot.
    seq: u64,
    /// A snapshot was written by this job (else the next update is one).
    started: bool,
    /// Bytes of the last snapshot, and of the records since.
    snapshot_bytes: usize,
    record_bytes: usize,
    /// `deferred_purges` changed since the last update.
    pub(super) deferred_changed: bool,
}

impl PartialEq for Cursor {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Records smaller than this in total never trigger a new snapshot (assumed: edgewarm's own
/// floor, so that a small job is not rewritten after every few calls).
const MIN_COMPACT_BYTES: usize = 64 * 1024;

/// The job's state apart from its spec, URLs and batches: small, written whole in each record.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HeadRef<'a> {
    calls: &'a BTreeMap<u64, InFlightCall>,
    next_call: u64,
    clock_offset_ms: i64,
    pacer: &'a pace::Pacer,
    quota: &'a QuotaState,
    sweep: &'a Sweep,
    halted: &'a Option<ApiError>,
    stats: &'a BTreeMap<String, ActionStats>,
    phase: Phase,
    refused_hosts: &'a BTreeMap<String, RefusedHost>,
}

/// Reads a part of the job that snapshots and records both hold (the calls in flight, pacing,
/// quota, sweep, halt, stats, refused hosts) through one function per part, not inlined: a
/// wasm then holds one reader of each, not one inside the snapshot's and one inside the
/// record's.
#[inline(never)]
pub(crate) fn read_once<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer)
}

/// A `T` read through [`read_once`]: for the items of the job's lists that snapshots and
/// records both hold (URLs, fates, batches).
pub(crate) struct Once<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Once<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_once(deserializer).map(Once)
    }
}

/// [`HeadRef`] read back.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Head {
    #[serde(deserialize_with = "read_once")]
    calls: BTreeMap<u64, InFlightCall>,
    next_call: u64,
    clock_offset_ms: i64,
    #[serde(deserialize_with = "read_once")]
    pacer: pace::Pacer,
    #[serde(deserialize_with = "read_once")]
    quota: QuotaState,
    #[serde(deserialize_with = "read_once")]
    sweep: Sweep,
    #[serde(default, deserialize_with = "read_once")]
    halted: Option<ApiError>,
    #[serde(deserialize_with = "read_once")]
    stats: BTreeMap<String, ActionStats>,
    phase: Phase,
    #[serde(deserialize_with = "read_once")]
    refused_hosts: BTreeMap<String, RefusedHost>,
}

/// A record's place in the chain.
#[derive(Serialize, Deserialize)]
struct At {
    gen: u64,
    seq: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RecordOut<'a> {
    record: At,
    head: HeadRef<'a>,
    n_urls: usize,
    /// The fates of the URLs that changed (a URL's text never changes after planning).
    fates: Vec<(u32, &'a Fate)>,
    n_batches: usize,
    batches: Vec<(u32, &'a Batch)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    deferred_purges: Option<&'a [u32]>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RecordIn {
    record: At,
    head: Head,
    n_urls: usize,
    fates: Vec<(u32, Once<Fate>)>,
    n_batches: usize,
    batches: Vec<(u32, Once<Batch>)>,
    #[serde(default)]
    deferred_purges: Option<Vec<u32>>,
}

/// The job as a journal of [`JOURNAL_VERSION`].
pub(super) fn write(job: &Job) -> Result<String, JournalError> {
    snapshot(job, job.cursor.gen)
}

fn snapshot(job: &Job, gen: u64) -> Result<String, JournalError> {
    serde_json::to_string(&Versioned {
        version: JOURNAL_VERSION,
        gen,
        job,
    })
    .map_err(|e| JournalError::Write(e.to_string()))
}

fn indexes<'a, T>(changes: &[u32], items: &'a [T]) -> Vec<(u32, &'a T)> {
    changes
        .iter()
        .filter_map(|&i| items.get(i as usize).map(|x| (i, x)))
        .collect()
}

/// The next write of the chain: a snapshot first and when the records outweigh the last one
/// (or when the job changed shape: every batch or URL moved), else a record of what changed.
pub(super) fn update(job: &mut Job) -> Result<JournalWrite, JournalError> {
    let c = &job.cursor;
    let outweighed = c.record_bytes > c.snapshot_bytes.max(MIN_COMPACT_BYTES);
    if !c.started || outweighed || job.urls.all_changed() || job.batches.all_changed() {
        let gen = c.gen + 1;
        let text = snapshot(job, gen)?;
        job.urls.forget_changes();
        job.batches.forget_changes();
        job.cursor = Cursor {
            gen,
            seq: 0,
            started: true,
            snapshot_bytes: text.len(),
            record_bytes: 0,
            deferred_changed: false,
        };
        return Ok(JournalWrite::Snapshot(text));
    }
    let (Changes::Some(urls), Changes::Some(batches)) =
        (job.urls.take_changes(), job.batches.take_changes())
    else {
        // all_changed was checked above; a snapshot would have been written
        return Err(JournalError::Write(
            "the job changed shape mid-update".into(),
        ));
    };
    let seq = job.cursor.seq + 1;
    // every field of the job is named here, so that a new one is written somewhere: the
    // head (each record), the snapshot only (fixed at creation), or tracked
    let Job {
        spec: _,
        seed: _,
        urls: _,
        batches: _,
        calls,
        next_call,
        clock_offset_ms,
        pacer,
        quota,
        sweep,
        halted,
        stats,
        created_ms: _,
        phase,
        refused_hosts,
        deferred_purges,
        cursor,
    } = &*job;
    let record = RecordOut {
        record: At {
            gen: cursor.gen,
            seq,
        },
        head: HeadRef {
            calls,
            next_call: *next_call,
            clock_offset_ms: *clock_offset_ms,
            pacer,
            quota,
            sweep,
            halted,
            stats,
            phase: *phase,
            refused_hosts,
        },
        n_urls: job.urls.len(),
        fates: urls
            .iter()
            .filter_map(|&i| job.urls.get(i as usize).map(|u| (i, &u.fate)))
            .collect(),
        n_batches: job.batches.len(),
        batches: indexes(&batches, &job.batches),
        deferred_purges: cursor
            .deferred_changed
            .then_some(deferred_purges.as_slice()),
    };
    let text = serde_json::to_string(&record).map_err(|e| JournalError::Write(e.to_string()))?;
    job.cursor.seq = seq;
    job.cursor.record_bytes += text.len();
    job.cursor.deferred_changed = false;
    Ok(JournalWrite::Record(text))
}

/// Reads a snapshot and replays its records (see the module's doc), then checks the state.
pub(super) fn read_parts<'a>(
    snapshot: &str,
    records: impl IntoIterator<Item = &'a str>,
) -> Result<Job, JournalError> {
    let (mut job, gen) = read_snapshot(snapshot)?;
    let mut records = records
        .into_iter()
        .filter(|r| !r.trim().is_empty())
        .peekable();
    let mut seq = 0;
    while let Some(text) = records.next() {
        let last = records.peek().is_none();
        let record: RecordIn = match serde_json::from_str(text) {
            Ok(r) => r,
            // torn by a crash while it was written: nothing it describes was sent
            Err(_) if last => break,
            Err(e) => {
                return Err(invalid(
                    format!("records[{seq}]"),
                    format!("does not read ({e}); only the last record may be torn"),
                ))
            }
        };
        let field = format!("records[{seq}].record");
        if record.record.gen != gen {
            return Err(invalid(
                field,
                format!(
                    "belongs to snapshot {} but follows snapshot {gen}",
                    record.record.gen
                ),
            ));
        }
        if record.record.seq != seq + 1 {
            return Err(invalid(
                field,
                format!(
                    "is number {} where number {} comes next",
                    record.record.seq,
                    seq + 1
                ),
            ));
        }
        replay(&mut job, record, seq as usize)?;
        seq += 1;
    }
    job.cursor = Cursor {
        gen,
        ..Cursor::default()
    };
    check(&job)?;
    Ok(job)
}

/// Applies one record: its head replaces the job's, its URLs and batches replace theirs.
fn replay(job: &mut Job, r: RecordIn, n: usize) -> Result<(), JournalError> {
    let at = |f: &str| format!("records[{n}].{f}");
    if r.n_urls != job.urls.len() {
        return Err(invalid(
            at("nUrls"),
            format!("the job has {} URLs, not {}", job.urls.len(), r.n_urls),
        ));
    }
    let n_urls = job.urls.len();
    for (i, Once(fate)) in r.fates {
        let Some(entry) = job.urls.replay_mut(i as usize) else {
            return Err(invalid(
                at("fates"),
                format!("URL index {i} is out of range (the job has {n_urls} URLs)"),
            ));
        };
        entry.fate = fate;
    }
    job.batches.replay_truncate(r.n_batches);
    for (i, Once(batch)) in r.batches {
        if job.batches.replay(i as usize, batch).is_none() || i as usize >= r.n_batches {
            return Err(invalid(
                at("batches"),
                format!(
                    "batch index {i} leaves a gap (the job has {} batches)",
                    r.n_batches
                ),
            ));
        }
    }
    if job.batches.len() != r.n_batches {
        return Err(invalid(
            at("nBatches"),
            format!(
                "{} batches were given for {}",
                job.batches.len(),
                r.n_batches
            ),
        ));
    }
    let h = r.head;
    job.calls = h.calls;
    job.next_call = h.next_call;
    job.clock_offset_ms = h.clock_offset_ms;
    job.pacer = h.pacer;
    job.quota = h.quota;
    job.sweep = h.sweep;
    job.halted = h.halted;
    job.stats = h.stats;
    job.phase = h.phase;
    job.refused_hosts = h.refused_hosts;
    if let Some(d) = r.deferred_purges {
        job.deferred_purges = d;
    }
    Ok(())
}

/// Reads a snapshot (a whole journal) of any supported version, unchecked, and its generation.
fn read_snapshot(text: &str) -> Result<(Job, u64), JournalError> {
    let peek: Peek =
        serde_json::from_str(text).map_err(|e| JournalError::Malformed(e.to_string()))?;
    let version = match peek.version {
        None => 1,
        Some(v) => v
            .as_u64()
            .filter(|n| *n >= 1)
            .ok_or_else(|| invalid("version", format!("must be a whole number ≥ 1, not {v}")))?,
    };
    let job: Job = if version == JOURNAL_VERSION {
        serde_json::from_str(text).map_err(|e| JournalError::Malformed(e.to_string()))?
    } else if version < JOURNAL_VERSION {
        let value: Value =
            serde_json::from_str(text).map_err(|e| JournalError::Malformed(e.to_string()))?;
        // back to text and read as a current journal: reading the job from a `Value` would
        // compile the whole job's deserialisers a second time, for a path taken once per old
        // journal (about 20 KB of a wasm)
        let migrated = serde_json::to_string(&migrate(value, version)?)
            .map_err(|e| JournalError::Malformed(e.to_string()))?;
        serde_json::from_str(&migrated).map_err(|e| JournalError::Malformed(e.to_string()))?
    } else {
        return Err(JournalError::UnsupportedVersion {
            found: version,
            supported: JOURNAL_VERSION,
        });
    };
    Ok((job, peek.gen))
}

/// The migration point: a journal of version `from` brought up to [`JOURNAL_VERSION`], one
/// version at a time. A change to the schema adds a step here and bumps the version.
fn migrate(mut value: Value, from: u64) -> Result<Value, JournalError> {
    let mut version = from;
    while version < JOURNAL_VERSION {
        value = match version {
            // 1 → 2: the `version` field is new; the rest is the same schema
            1 => value,
            // 2 → 3: job kinds (`spec.kind`) and phases (`phase`, `purgeFailed`) are new; a
            // journal without them is a prefetch job, which their defaults say
            2 => value,
            // 3 → 4: `refusedHosts` is new; a journal without it has refused none, which its
            // default says
            3 => value,
            // 4 → 5: `quota.prefetchAhead`, `quota.prefetchDue` and `deferredPurges` are new; a
            // journal without them has read no prefetch quota ahead (a refresh in its purge
            // phase goes on within the purge quota; a re-read reads both) and put off no purge,
            // which their defaults say
            4 => value,
            // 5 → 6: `journalGen` is new, and records may follow; a journal without it is a
            // whole job with none, which its default says
            5 => value,
            other => return Err(invalid("version", format!("no migration from {other}"))),
        };
        version += 1;
    }
    if let Value::Object(map) = &mut value {
        map.insert("version".into(), Value::from(JOURNAL_VERSION));
    }
    Ok(value)
}

fn time(field: &str, ms: i64) -> Result<(), JournalError> {
    if (-MAX_MS..=MAX_MS).contains(&ms) {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("{ms} is out of bounds (±{MAX_MS} ms)"),
        ))
    }
}

fn count(field: &str, n: u64) -> Result<(), JournalError> {
    if n < MAX_COUNT {
        Ok(())
    } else {
        Err(invalid(
            field,
            format!("{n} is out of bounds (< {MAX_COUNT})"),
        ))
    }
}

fn options(o: &JobOptions) -> Result<(), JournalError> {
    if !(o.rate_per_sec.is_finite() && o.rate_per_sec > 0.0) {
        return Err(invalid(
            "spec.options.ratePerSec",
            "must be a finite number > 0",
        ));
    }
    time("spec.options.pollIntervalMs", o.poll_interval_ms)?;
    time("spec.options.trackTimeoutMs", o.track_timeout_ms)?;
    time("spec.options.quotaRecheckMs", o.quota_recheck_ms)?;
    time(
        "spec.options.limits.esaPreloadLookbackSecs",
        o.limits.esa_preload_lookback_secs.saturating_mul(1000),
    )?;
    Ok(())
}

/// The state holds together: indexes in range (each URL in at most one batch, so nothing is
/// submitted twice), times and counters within bounds, rates finite and positive.
fn check(job: &Job) -> Result<(), JournalError> {
    options(&job.spec.options)?;
    if job.phase == super::Phase::Purge && job.spec.kind.purge_type().is_none() {
        return Err(invalid("phase", "a prefetch job has no purge phase"));
    }
    time("createdMs", job.created_ms)?;
    time("clockOffsetMs", job.clock_offset_ms)?;
    count("nextCall", job.next_call)?;
    let q = &job.quota;
    time("quota.notBeforeMs", q.not_before_ms)?;
    if let Some(r) = q.recheck_ms {
        time("quota.recheckMs", r)?;
    }
    count("quota.failures", q.failures.into())?;
    let s = &job.sweep;
    if !(0..=i64::from(u32::MAX)).contains(&s.page) {
        return Err(invalid("sweep.page", "must be between 0 and 2^32 − 1"));
    }
    time("sweep.nextMs", s.next_ms)?;
    time("sweep.windowEndMs", s.window_end_ms)?;
    time("sweep.lookupBeforeMs", s.lookup_before_ms)?;
    for (key, b) in &job.pacer.buckets {
        if !(b.rate.is_finite() && b.rate > 0.0 && b.base.is_finite() && b.base > 0.0) {
            return Err(invalid(
                format!("pacer.buckets[{key}]"),
                "rate and base must be finite numbers > 0",
            ));
        }
        if !(b.tat_ms.is_finite() && b.tat_ms.abs() <= MAX_MS as f64) {
            return Err(invalid(
                format!("pacer.buckets[{key}].tatMs"),
                format!("must be finite and within ±{MAX_MS} ms"),
            ));
        }
    }
    for (action, st) in &job.stats {
        count(&format!("stats[{action}].sent"), st.sent)?;
        count(&format!("stats[{action}].throttled"), st.throttled)?;
    }
    let mut owner: Vec<Option<usize>> = vec![None; job.urls.len()];
    for (i, b) in job.batches.iter().enumerate() {
        let at = |f: &str| format!("batches[{i}].{f}");
        time(&at("notBeforeMs"), b.not_before_ms)?;
        time(&at("nextPollMs"), b.next_poll_ms)?;
        for (f, v) in [
            ("submittedMs", b.submitted_ms),
            ("lastSentMs", b.last_sent_ms),
        ] {
            if let Some(v) = v {
                time(&at(f), v)?;
            }
        }
        if !(0..=MAX_MS).contains(&b.poll_offset) {
            return Err(invalid(at("pollOffset"), "must be between 0 and 2^50"));
        }
        count(&at("attempts"), b.attempts.into())?;
        count(&at("pollFailures"), b.poll_failures.into())?;
        for (k, &u) in b.urls.iter().enumerate() {
            let field = format!("batches[{i}].urls[{k}]");
            let Some(slot) = owner.get_mut(u as usize) else {
                return Err(invalid(
                    field,
                    format!(
                        "URL index {u} is out of range (the job has {} URLs)",
                        job.urls.len()
                    ),
                ));
            };
            if let Some(first) = slot.replace(i) {
                return Err(invalid(
                    field,
                    format!("URL index {u} is already in batch {first}: a URL is in one batch"),
                ));
            }
        }
    }
    if !job.deferred_purges.is_empty() && job.spec.kind != super::JobKind::Refresh {
        return Err(invalid(
            "deferredPurges",
            "only a refresh puts purges off for a later round",
        ));
    }
    let mut seen = vec![false; job.urls.len()];
    for (k, &u) in job.deferred_purges.iter().enumerate() {
        let field = format!("deferredPurges[{k}]");
        let Some(slot) = seen.get_mut(u as usize) else {
            return Err(invalid(
                field,
                format!(
                    "URL index {u} is out of range (the job has {} URLs)",
                    job.urls.len()
                ),
            ));
        };
        if std::mem::replace(slot, true) {
            return Err(invalid(field, format!("URL index {u} is listed twice")));
        }
        // in the prefetch phase they wait, never purged: none may be in a (prefetch) batch
        if job.phase == super::Phase::Prefetch && owner[u as usize].is_some() {
            return Err(invalid(
                field,
                format!("URL index {u} waits for its purge but is in a prefetch batch"),
            ));
        }
    }
    for host in job.refused_hosts.keys() {
        if host.is_empty() {
            return Err(invalid("refusedHosts", "a host name is never empty"));
        }
    }
    for (i, u) in job.urls.iter().enumerate() {
        if let super::Fate::Deferred(d) = &u.fate {
            time(&format!("urls[{i}].fate.untilMs"), d.until_ms)?;
        }
    }
    Ok(())
}
