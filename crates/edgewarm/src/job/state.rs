//! The journal's schema: where each URL stands ([`Fate`], [`UrlEntry`]), the batches and the
//! calls in flight, what the engine knows of the quota and of the ESA sweep, and its counters.
//! A [`super::Job`] is its spec plus these; the engine in [`super`] changes them only as answers
//! and time arrive. Renaming or removing a field here changes the journal format (see
//! [`super::JOURNAL_VERSION`]).

use crate::error::Rule;
use serde::{Deserialize, Serialize};

/// Where one URL stands. Every URL is in exactly one. Small (24 bytes natively, as big as the
/// task id's `String`): the rare fates with sentences keep them behind a box, so a million
/// pending URLs do not each carry room for two strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "fate", rename_all = "camelCase")]
#[serde(try_from = "super::tag_readers::FateFields")]
pub enum Fate {
    /// Not sent yet.
    Pending,
    /// Accepted by the vendor; being tracked.
    Submitted {
        /// JobId / TaskId.
        #[serde(rename = "taskId")]
        task_id: String,
    },
    /// The vendor reports the URL warmed.
    Succeeded,
    /// The vendor says it failed (see [`Failure`]).
    Failed(Box<Failure>),
    /// Over the quota: sent when the quota has room again (see [`Deferral`]).
    Deferred(Box<Deferral>),
    /// Refused locally before sending (see [`LocalRefusal`]).
    Invalid(Box<LocalRefusal>),
}

/// Why the vendor says a URL failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Failure {
    /// Vendor code or status (`originPullFailed`, `LimitExceeded.BatchQuota`, …).
    pub code: String,
    /// The vendor's message for the URL, or the engine's own (no final status in time, …).
    pub reason: String,
}

/// Until when and why a URL is put off for quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Deferral {
    /// When the quota is asked again (ms; see [`JobOptions::quota_recheck_ms`](super::JobOptions::quota_recheck_ms)); with
    /// re-reading off, when the URL was deferred. Not a reset time: none is documented.
    #[serde(rename = "untilMs")]
    pub until_ms: i64,
    /// Why it was put off: the vendor's quota error (`code: message`), or the quota read
    /// before sending being used up.
    pub reason: String,
}

/// Why a URL was refused before sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct LocalRefusal {
    /// The rule the URL (or the job's spec) breaks.
    pub rule: Rule,
    /// A sentence naming the field and what is wrong with it.
    pub message: String,
}

impl Fate {
    /// [`Fate::Failed`] with the vendor's `code` and `reason`.
    pub fn failed(code: impl Into<String>, reason: impl Into<String>) -> Fate {
        Fate::Failed(Box::new(Failure {
            code: code.into(),
            reason: reason.into(),
        }))
    }

    /// [`Fate::Deferred`] until `until_ms`, for `reason`.
    pub fn deferred(until_ms: i64, reason: impl Into<String>) -> Fate {
        Fate::Deferred(Box::new(Deferral {
            until_ms,
            reason: reason.into(),
        }))
    }

    /// [`Fate::Invalid`]: breaks `rule`, said by `message`.
    pub fn invalid(rule: Rule, message: impl Into<String>) -> Fate {
        Fate::Invalid(Box::new(LocalRefusal {
            rule,
            message: message.into(),
        }))
    }

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
            Fate::Failed(_) => "failed",
            Fate::Deferred(_) => "deferred",
            Fate::Invalid(_) => "invalid",
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
    #[serde(deserialize_with = "super::journal::read_once")]
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
    /// Accepted by the vendor; its task is polled until every URL is final.
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
    /// Where the batch is in its life: planned, sending, tracking, done, …
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
    /// One host's share of a batch the vendor refused for a host it does not serve (journal
    /// version 4): while such a batch is unanswered, other batches wait, so the foreign host
    /// is known (and left out of them) before they are sent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub host_probe: bool,
}

impl Batch {
    /// A batch of `urls` not sent yet, in `state` (planned, or deferred), not before
    /// `not_before_ms`.
    pub fn new(urls: Vec<u32>, state: BatchState, not_before_ms: i64) -> Batch {
        Batch {
            urls,
            state,
            attempts: 0,
            not_before_ms,
            task_id: None,
            submitted_ms: None,
            last_sent_ms: None,
            next_poll_ms: 0,
            poll_offset: 0,
            poll_failures: 0,
            host_probe: false,
        }
    }
}

/// What a call in flight is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "kind", rename_all = "camelCase")]
#[serde(try_from = "super::tag_readers::CallKindFields")]
pub enum CallKind {
    /// DescribeContentQuota / DescribePushQuota (the phase's quota; a refresh's purge phase
    /// reads the prefetch quota in the same EdgeOne answer).
    Quota,
    /// The prefetch quota read ahead of a refresh's purges where the vendor answers it apart
    /// (CDN DescribePushQuota; journal version 5).
    PrefetchQuota,
    /// Submit a batch.
    Submit {
        /// Index of the batch in the job's batch list.
        batch: usize,
    },
    /// Poll one batch's tasks (EdgeOne, CDN).
    Poll {
        /// Index of the batch in the job's batch list.
        batch: usize,
    },
    /// Sweep ESA's task list (one page).
    Sweep {
        /// Page number (from 1).
        page: i64,
    },
    /// Look up whether a batch arrived.
    Reconcile {
        /// Index of the batch in the job's batch list.
        batch: usize,
    },
}

/// A call in flight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct InFlightCall {
    /// What the call is for, and which batch or page it concerns.
    pub kind: CallKind,
    /// The vendor action sent (`PushUrlsCache`, `DescribePreloadTasks`, …).
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
    /// A refresh's purge phase (journal version 5): the prefetch quota read before the first
    /// purge (EdgeOne: the `prefetch_url` Quota of the same DescribeContentQuota answer; CDN:
    /// DescribePushQuota over the target's areas; EdgeOne edge mode: its configured daily
    /// figure), less one URL per purge sent since, since every purged URL needs a prefetch.
    /// Purges stay within it as within the purge quota. `None` when unknown (ESA has no
    /// prefetch quota API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub prefetch_ahead: Option<super::QuotaReading>,
    /// A refresh's purge phase (journal version 5): the purge quota is read and the prefetch
    /// quota is still to be read (CDN: a DescribePushQuota call) before any purge is sent;
    /// `true` when this read is a re-read while URLs are deferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub prefetch_due: Option<bool>,
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
    /// Calls of this action sent, retries included.
    pub sent: u64,
    /// Answers of this action that said the rate was exceeded.
    pub throttled: u64,
    /// First send (ms).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub first_ms: Option<i64>,
    /// Last send (ms).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub last_ms: Option<i64>,
}

/// Which of a job's phases runs. A prefetch job is in `Prefetch` only; a purge job in `Purge`
/// only; a refresh job purges every URL, and only when every purge batch is done (tracked to a
/// final status by the vendor's Describe call) moves the URLs whose purge succeeded to
/// `Prefetch`. Journals without a phase are prefetch jobs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum Phase {
    /// Purge calls (submit, track, look up, quota).
    Purge,
    /// Prefetch calls.
    #[default]
    Prefetch,
}

/// A host the vendor refused for this job's target (not on the account, zone or site, or in a
/// state that forbids the call): every URL of it fails with this code and reason, and batches
/// planned after the refusal leave them out before sending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct RefusedHost {
    /// The vendor's code (`InvalidParameter.DomainNotFound`, …).
    pub code: String,
    /// The sentence every URL of the host fails with: the host, an English line, the vendor's
    /// code and message.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::{Fate, UrlEntry};
    use crate::error::Rule;

    #[test]
    fn fates_keep_their_journal_shape_and_stay_small() {
        let cases = [
            (Fate::Pending, r#"{"fate":"pending"}"#),
            (
                Fate::Submitted {
                    task_id: "t-1".into(),
                },
                r#"{"fate":"submitted","taskId":"t-1"}"#,
            ),
            (Fate::Succeeded, r#"{"fate":"succeeded"}"#),
            (
                Fate::failed("originPullFailed", "origin said 502"),
                r#"{"fate":"failed","code":"originPullFailed","reason":"origin said 502"}"#,
            ),
            (
                Fate::deferred(1_700_000_000_000, "LimitExceeded: quota"),
                r#"{"fate":"deferred","untilMs":1700000000000,"reason":"LimitExceeded: quota"}"#,
            ),
            (
                Fate::invalid(
                    Rule::UrlScheme,
                    "the URL must start with http:// or https://",
                ),
                r#"{"fate":"invalid","rule":"url-scheme","message":"the URL must start with http:// or https://"}"#,
            ),
        ];
        for (fate, json) in cases {
            assert_eq!(serde_json::to_string(&fate).ok().as_deref(), Some(json));
            assert_eq!(serde_json::from_str::<Fate>(json).ok(), Some(fate));
        }
        let entry = UrlEntry {
            url: "https://a.example.com/é".into(),
            send: "https://a.example.com/%C3%A9".into(),
            encode: true,
            fate: Fate::Pending,
        };
        let json = r#"{"url":"https://a.example.com/é","send":"https://a.example.com/%C3%A9","encode":true,"fate":{"fate":"pending"}}"#;
        assert_eq!(serde_json::to_string(&entry).ok().as_deref(), Some(json));
        // the common fates carry no sentence: a pending URL is its strings and little more
        assert!(std::mem::size_of::<Fate>() <= 3 * std::mem::size_of::<usize>());
    }
}
