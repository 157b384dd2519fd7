//! How a job submits to and tracks Alibaba ESA, whose task list differs from the Tencent ones:
//! DescribePreloadTasks has no task-id filter (the engine sweeps a time window), that window may
//! reach back at most 3 days (`InvalidTime`), `CreateTime` comes with or without a zone, and
//! PreloadCaches states no per-call cap (the engine learns one from refusals). Kept apart from
//! the shared engine files so the ESA rules read in one place.

use super::calls::Row;
use super::{Batch, BatchState, CallKind, Fate, Job};
use crate::error::{ApiError, ErrorClass};
use crate::headers::Headers;
use crate::operation::Operation;
use crate::times::rfc3339 as iso;
use crate::vendor::esa;
use crate::vendor::esa_purge_tracking as esa_purge;

/// ESA tolerates 15 minutes of clock skew (InvalidTimeStamp.Expired), so windows are padded by
/// 16 minutes on each side.
pub(super) const ESA_PAD_MS: i64 = 16 * 60_000;

/// How far inside DescribePreloadTasks' 3-day look-back (`Limits::esa_preload_lookback_secs`)
/// the engine stays: one hour (edgewarm's own margin, larger than the padding and any skew ESA
/// accepts). Batches submitted before `now − look-back + margin` are no longer swept; their URLs
/// are looked up one by one by `Content`.
pub(super) const LOOKBACK_MARGIN_MS: i64 = 3_600_000;

/// Page size of DescribePreloadTasks calls: 50, the documented maximum (DescribePreloadTasks
/// API page: "Valid values: 1 to 50").
pub(super) const PAGE: i64 = 50;

/// Fate code of a URL whose task ESA no longer lists.
pub const TRACKING_EXPIRED: &str = "edgewarm.TrackingExpired";

/// Fate code of a batch whose submit may have arrived but can no longer be checked.
pub const UNVERIFIABLE: &str = "edgewarm.Unverifiable";

impl Job {
    fn esa_lookback_ms(&self) -> i64 {
        self.spec
            .options
            .limits
            .esa_preload_lookback_secs
            .saturating_mul(1000)
    }

    /// Batches submitted before this (job clock) are tracked by per-URL look-ups: they left the
    /// window a sweep may ask for, or a sweep was refused.
    pub(super) fn esa_lookup_cut(&self, now_ms: i64) -> i64 {
        let window = now_ms - self.esa_lookback_ms() + LOOKBACK_MARGIN_MS;
        window.max(self.sweep.lookup_before_ms)
    }

    /// Whether tracking batch `i` is looked up URL by URL rather than swept.
    pub(super) fn esa_is_late(&self, i: usize, now_ms: i64) -> bool {
        self.batches
            .get(i)
            .and_then(|b| b.submitted_ms)
            .is_some_and(|s| s < self.esa_lookup_cut(now_ms))
    }

    /// Earliest submit of the ESA batches being swept (tracking and not late).
    pub(super) fn sweep_window_start(&self, now_ms: i64) -> Option<i64> {
        let cut = self.esa_lookup_cut(now_ms);
        self.batches
            .iter()
            .filter(|b| b.state == BatchState::Tracking)
            .filter_map(|b| b.submitted_ms)
            .filter(|s| *s >= cut)
            .min()
    }

    /// Position in batch `i` of the URL the next look-up asks about: the first still submitted
    /// at or after the cursor (`poll_offset`), else the first from the start.
    pub(super) fn esa_lookup_index(&self, i: usize) -> Option<usize> {
        let b = self.batches.get(i)?;
        let open = |k: &usize| {
            b.urls
                .get(*k)
                .and_then(|&u| self.urls.get(u as usize))
                .is_some_and(|e| matches!(e.fate, Fate::Submitted { .. }))
        };
        let from = usize::try_from(b.poll_offset).unwrap_or(0);
        (from..b.urls.len())
            .find(|k| open(k))
            .or_else(|| (0..from.min(b.urls.len())).find(|k| open(k)))
    }

    /// The ESA operation of a call; `None` for a call ESA has no operation for (there is no ESA
    /// prefetch quota API, so no `Quota` call).
    pub(super) fn esa_operation(
        &self,
        site_id: i64,
        headers: &Headers,
        kind: &CallKind,
        now_ms: i64,
    ) -> Option<Operation> {
        let off = self.clock_offset_ms;
        let server_now = now_ms + off;
        // the earliest StartTime a call may carry, in the server's time
        let earliest = self
            .esa_lookup_cut(now_ms)
            .max(now_ms - self.esa_lookback_ms())
            + off;
        let batch = |i: usize| self.batches.get(i);
        let purge = (self.phase == super::Phase::Purge)
            .then(|| self.purge_type_name())
            .flatten();
        let describe = |content: Option<String>, window: Option<(i64, i64)>, page: i64| match purge
        {
            Some(t) => Operation::EsaDescribePurgeTasks(esa_purge::EsaDescribePurgeTasks {
                site_id: Some(site_id),
                kind: Some(t.into()),
                status: None,
                content,
                start_time: window.map(|(s, _)| iso(s)),
                end_time: window.map(|(_, e)| iso(e)),
                page_number: Some(page.max(1)),
                page_size: Some(PAGE),
            }),
            None => Operation::DescribePreloadTasks(esa::DescribePreloadTasks {
                site_id: Some(site_id),
                content,
                start_time: window.map(|(s, _)| iso(s)),
                end_time: window.map(|(_, e)| iso(e)),
                page_number: Some(page.max(1)),
                page_size: Some(PAGE),
                status: None,
            }),
        };
        Some(match kind {
            // ESA has no prefetch quota API: a refresh reads only GetPurgeQuota
            CallKind::PrefetchQuota => return None,
            CallKind::Quota => match purge {
                Some(t) => Operation::GetPurgeQuota(esa_purge::GetPurgeQuota {
                    site_id: Some(site_id),
                    kind: Some(t.into()),
                }),
                None => return None,
            },
            CallKind::Submit { batch: i } if purge.is_some() => {
                let list = batch(*i).map(|b| self.esa_sends(b)).unwrap_or_default();
                let mut content = esa::PurgeContent::default();
                match purge {
                    Some("directory") => content.directories = Some(list),
                    Some("hostname") => content.hostnames = Some(list),
                    Some("cachetag") => content.cache_tags = Some(list),
                    _ => content.files = Some(list),
                }
                Operation::PurgeCaches(esa::PurgeCaches {
                    site_id: Some(site_id),
                    kind: purge.map(Into::into),
                    content: Some(content),
                    ..Default::default()
                })
            }
            CallKind::Submit { batch: i } => {
                let content = batch(*i).map(|b| self.esa_sends(b)).unwrap_or_default();
                Operation::PreloadCaches(esa::PreloadCaches {
                    site_id: Some(site_id),
                    content: Some(content),
                    headers: headers.to_map(),
                })
            }
            CallKind::Sweep { page } => {
                let start = self
                    .sweep_window_start(now_ms)
                    .map_or(server_now, |s| s + off)
                    - ESA_PAD_MS;
                let start = start.max(earliest);
                let end = (self.sweep.window_end_ms + off + ESA_PAD_MS).max(start + 1000);
                describe(None, Some((start, end)), *page)
            }
            // a late batch: one URL by `Content`, without a window (StartTime and EndTime go
            // together and may not reach back further than 3 days; without them ESA answers
            // what it still lists)
            CallKind::Poll { batch: i } => {
                let b = batch(*i)?;
                let k = self.esa_lookup_index(*i).unwrap_or(0);
                let url = b
                    .urls
                    .get(k)
                    .and_then(|&u| self.urls.get(u as usize))
                    .map(|e| e.send_url().to_string())
                    .unwrap_or_default();
                describe(Some(url), None, 1)
            }
            CallKind::Reconcile { batch: i } => {
                let b = batch(*i)?;
                let first = b
                    .urls
                    .first()
                    .and_then(|&u| self.urls.get(u as usize))
                    .map(|e| e.send_url().to_string())
                    .unwrap_or_default();
                let sent = b.last_sent_ms.map_or(server_now, |s| s + off) - ESA_PAD_MS;
                if sent >= earliest {
                    describe(Some(first), Some((sent, server_now + ESA_PAD_MS)), 1)
                } else {
                    describe(Some(first), None, 1)
                }
            }
        })
    }

    fn esa_sends(&self, b: &Batch) -> Vec<String> {
        b.urls
            .iter()
            .filter_map(|&i| self.urls.get(i as usize))
            .map(|u| u.send_url().to_string())
            .collect()
    }

    /// The task a lost submit of batch `i` became, from the rows of its first URL: a task that
    /// no other batch of the job owns, created no earlier than the submit (less the padding,
    /// and less [`esa::ZONELESS_TOLERANCE_MS`] when `CreateTime` gave no zone, so a misread zone
    /// can never hide an arrived batch and make the engine submit it twice); the newest wins.
    pub(super) fn esa_reconcile_pick(&self, i: usize, rows: &[Row]) -> Option<String> {
        let b = self.batches.get(i)?;
        let (url, send) = b
            .urls
            .first()
            .and_then(|&u| self.urls.get(u as usize))
            .map(|e| (e.url.clone(), e.send_url().to_string()))?;
        let sent = b.last_sent_ms.unwrap_or(0) + self.clock_offset_ms - ESA_PAD_MS;
        let owned = |t: &str| {
            self.batches
                .iter()
                .enumerate()
                .any(|(j, o)| j != i && o.task_id.as_deref() == Some(t))
        };
        rows.iter()
            .filter(|r| r.target == url || r.target == send)
            .filter(|r| !r.task_id.is_empty() && !owned(&r.task_id))
            .filter(|r| match r.created_ms {
                None => true,
                Some(c) if r.zoned => c >= sent,
                Some(c) => c >= sent - esa::ZONELESS_TOLERANCE_MS,
            })
            .max_by_key(|r| r.created_ms.unwrap_or(i64::MIN))
            .map(|r| r.task_id.clone())
    }

    /// The answer to a per-URL look-up of late batch `i`: rows of its task give the URL's fate;
    /// when ESA no longer lists the task, the URL ends `edgewarm.TrackingExpired` (its status
    /// can no longer be known) instead of being asked about for ever.
    pub(super) fn esa_apply_lookup(&mut self, i: usize, rows: &[Row], now_ms: i64) {
        let Some(k) = self.esa_lookup_index(i) else {
            self.esa_finish_if_final(i);
            return;
        };
        let task = self
            .batches
            .get(i)
            .and_then(|b| b.task_id.clone())
            .unwrap_or_default();
        let Some(u) = self.batches.get(i).and_then(|b| b.urls.get(k)).copied() else {
            return;
        };
        let (url, send) = match self.urls.get(u as usize) {
            Some(e) => (e.url.clone(), e.send_url().to_string()),
            None => return,
        };
        let mine: Vec<Row> = rows
            .iter()
            .filter(|r| r.target == url || r.target == send)
            .filter(|r| r.task_id.is_empty() || r.task_id == task)
            .cloned()
            .collect();
        let fate = match mine.iter().find_map(|r| r.fate.clone()) {
            Some(f) => Some(f),
            None if mine.is_empty() => Some(Fate::failed(TRACKING_EXPIRED, format!(
                    "ESA no longer lists task {task} for this URL (DescribePreloadTasks looks back at most {} days); its final status is unknown",
                    self.spec.options.limits.esa_preload_lookback_secs / 86_400
                ))),
            None => None,
        };
        if let (Some(f), Some(e)) = (fate, self.urls.get_mut(u as usize)) {
            if matches!(e.fate, Fate::Submitted { .. }) {
                e.fate = f;
            }
        }
        let interval = self.spec.options.poll_interval_ms;
        let next = self.esa_lookup_index(i);
        if let Some(b) = self.batches.get_mut(i) {
            b.poll_failures = 0;
            match next {
                Some(n) if n > k => {
                    b.poll_offset = n as i64;
                    b.next_poll_ms = now_ms;
                }
                _ => {
                    // a round over every open URL is done: the next one after the interval
                    b.poll_offset = 0;
                    b.next_poll_ms = now_ms + interval;
                }
            }
        }
        self.esa_finish_if_final(i);
    }

    fn esa_finish_if_final(&mut self, i: usize) {
        let done = self.batches.get(i).is_some_and(|b| {
            b.urls
                .iter()
                .all(|&u| self.urls.get(u as usize).is_none_or(|e| e.fate.is_final()))
        });
        if done {
            if let Some(b) = self.batches.get_mut(i) {
                b.state = BatchState::Done;
            }
        }
    }

    /// A sweep was refused (`InvalidTime`, `MissingTimeParameter` or another non-retryable
    /// answer): every batch tracking now is looked up URL by URL from here on, so a refused
    /// window is never asked again.
    pub(super) fn esa_sweep_refused(&mut self, now_ms: i64) {
        self.sweep.lookup_before_ms = self.sweep.lookup_before_ms.max(now_ms + 1);
        self.sweep.page = 0;
        self.sweep.next_ms = now_ms + self.spec.options.poll_interval_ms;
    }

    /// A submit of batch `i` was refused as too large or with an input error. Size refusals
    /// (`DomainNameOverLimit`: at most 500 domains per request; other over-limit answers) teach
    /// a lower per-call cap (half the batch) and re-plan; other input errors split this batch
    /// in two, so one bad URL never fails the good ones with it. Returns whether it split; a
    /// batch of one URL is not split (its refusal is its fate).
    pub(super) fn esa_split(&mut self, i: usize, e: &ApiError, now_ms: i64) -> bool {
        let len = self.batches.get(i).map_or(0, |b| b.urls.len());
        let splittable = matches!(e.class, ErrorClass::Invalid)
            || e.code == "InvalidParameter.RecordNotBelongToSite";
        if len < 2 || !splittable {
            return false;
        }
        if is_size_refusal(e) {
            let cap = (len / 2).max(1);
            self.quota.batch_cap = Some(self.quota.batch_cap.map_or(cap, |c| c.min(cap)));
            if let Some(b) = self.batches.get_mut(i) {
                b.state = BatchState::Planned;
                b.not_before_ms = now_ms;
                b.attempts = 0;
            }
            self.plan(now_ms);
        } else if let Some(b) = self.batches.get_mut(i) {
            let tail = b.urls.split_off(len / 2);
            b.state = BatchState::Planned;
            b.not_before_ms = now_ms;
            b.attempts = 0;
            let mut other = b.clone();
            other.urls = tail;
            self.batches.push(other);
        }
        true
    }
}

/// An answer saying the call carried too much: `DomainNameOverLimit` or any code or message
/// naming a limit (the per-call URL cap of PreloadCaches is undocumented, so its code is not
/// known in advance).
fn is_size_refusal(e: &ApiError) -> bool {
    let code = e.code.to_ascii_lowercase();
    let message = e.message.to_ascii_lowercase();
    e.code == "DomainNameOverLimit"
        || ["overlimit", "toomany", "exceed", "limit"]
            .iter()
            .any(|w| code.contains(w))
        || ["at most", "too many", "exceed", "over limit", "limit"]
            .iter()
            .any(|w| message.contains(w))
}
