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
//! `deferredPurges`).

use super::{Job, JobOptions};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The journal schema this engine writes. Journals of older versions are migrated on
/// [`Job::resume`]; newer ones are refused.
pub const JOURNAL_VERSION: u64 = 5;

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

fn invalid(field: impl Into<String>, rule: impl Into<String>) -> JournalError {
    JournalError::Invalid {
        field: field.into(),
        rule: rule.into(),
    }
}

#[derive(Serialize)]
struct Versioned<'a> {
    version: u64,
    #[serde(flatten)]
    job: &'a Job,
}

/// Only the version, to choose how to read the rest.
#[derive(Deserialize)]
struct Peek {
    #[serde(default)]
    version: Option<Value>,
}

/// The job as a journal of [`JOURNAL_VERSION`].
pub(super) fn write(job: &Job) -> Result<String, JournalError> {
    serde_json::to_string(&Versioned {
        version: JOURNAL_VERSION,
        job,
    })
    .map_err(|e| JournalError::Write(e.to_string()))
}

/// Reads a journal of any supported version and checks it.
pub(super) fn read(text: &str) -> Result<Job, JournalError> {
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
        serde_json::from_value(migrate(value, version)?)
            .map_err(|e| JournalError::Malformed(e.to_string()))?
    } else {
        return Err(JournalError::UnsupportedVersion {
            found: version,
            supported: JOURNAL_VERSION,
        });
    };
    check(&job)?;
    Ok(job)
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
