//! Feeding answers back: successes move batches and fates forward; errors are handled by class —
//! throttling slows the bucket and retries, clock skew corrects the offset and re-signs, server
//! failures retry with jittered back-off up to a cap, quota defers, bad input fails the batch,
//! bad credentials halt the job. A broken connection after sending makes the batch's fate
//! unknown: it is looked up before anything is sent again, so nothing is submitted twice.

use super::calls::{self, Answer, CallOp, Row};
use super::engine::mix;
use super::{
    BatchState, CallKind, Fate, InFlightCall, Job, JobKind, Phase, QuotaReading, Target,
    TransportError,
};
use crate::error::{ApiError, Error, ErrorClass};
use crate::vendor::codes;
use std::collections::HashMap;

fn is_clock_skew(code: &str) -> bool {
    matches!(
        code,
        "AuthFailure.SignatureExpire" | "InvalidTimeStamp.Expired" | "RequestTimeTooSkewed"
    )
}

/// The largest 10-digit number in a message (Tencent quotes the server time in seconds).
fn time_in_message(message: &str) -> Option<i64> {
    message
        .split(|c: char| !c.is_ascii_digit())
        .filter(|d| d.len() == 10)
        .filter_map(|d| d.parse::<i64>().ok())
        .max()
        .map(|s| s * 1000)
}

impl Job {
    fn backoff(&self, call_id: u64, attempts: u32) -> i64 {
        let base = 500i64.saturating_mul(1 << attempts.min(6)).min(30_000);
        let jitter = (mix(self.seed ^ call_id.rotate_left(7)) % 1000) as i64;
        base / 2 + base * jitter / 2000
    }

    fn fail_batch(&mut self, i: usize, code: &str, reason: &str) {
        // a failed probe tells nothing about the quota: the next deferred batch probes
        self.quota.probing = false;
        if let Some(b) = self.batches.get_mut(i) {
            b.state = BatchState::Done;
            for &u in &b.urls {
                if let Some(e) = self.urls.get_mut(u as usize) {
                    if !e.fate.is_final() {
                        e.fate = Fate::failed(code.to_string(), reason.to_string());
                    }
                }
            }
        }
    }

    /// Feeds the answer to call `call_id` (HTTP status and body) at `now_ms`. `server_date_ms`
    /// is the answer's `Date` header, if any (used to correct clock skew).
    pub fn on_response(
        &mut self,
        call_id: u64,
        status: u16,
        body: &[u8],
        now_ms: i64,
        server_date_ms: Option<i64>,
    ) {
        let Some(call) = self.calls.remove(&call_id) else {
            return;
        };
        let op = match self.operation(&call.kind, now_ms) {
            CallOp::Send(op) => op,
            // an answer to a call the vendor has no operation for, or to a batch the job does
            // not have: there is nothing it can change, so it is ignored
            CallOp::NoSuchCall | CallOp::UnknownBatch => return,
        };
        let area = match &self.spec.target {
            Target::Cdn { area, .. } => area.clone(),
            _ => None,
        };
        let key = self.bucket_key(&call.action);
        let purge_type = (self.phase == super::Phase::Purge)
            .then(|| self.purge_type_name())
            .flatten();
        match calls::read(
            &op,
            self.spec.target.service(),
            area.as_deref(),
            purge_type,
            status,
            body,
        ) {
            Ok(answer) => {
                self.pacer.succeeded(&key, now_ms);
                self.apply(call_id, &call, answer, now_ms);
            }
            Err(Error::Api(e)) => self.on_error(call_id, &call, e, now_ms, server_date_ms),
            Err(other) => {
                let e = ApiError {
                    code: "edgewarm.MalformedResponse".into(),
                    message: other.to_string(),
                    request_id: None,
                    http_status: Some(status),
                    class: ErrorClass::Server,
                    retryable: true,
                };
                self.on_error(call_id, &call, e, now_ms, server_date_ms)
            }
        }
    }

    /// Feeds a transport failure of call `call_id`.
    pub fn on_transport_error(&mut self, call_id: u64, kind: TransportError, now_ms: i64) {
        let Some(call) = self.calls.remove(&call_id) else {
            return;
        };
        match call.kind {
            CallKind::Submit { batch } => {
                let max = self.spec.options.max_attempts;
                let delay =
                    self.backoff(call_id, self.batches.get(batch).map_or(0, |b| b.attempts));
                if let Some(b) = self.batches.get_mut(batch) {
                    b.not_before_ms = now_ms + delay;
                    b.state = match kind {
                        TransportError::NotSent if b.attempts >= max => BatchState::Done,
                        TransportError::NotSent => BatchState::Planned,
                        TransportError::Unknown => BatchState::Reconcile,
                    };
                    if b.state == BatchState::Done {
                        self.fail_batch(
                            batch,
                            "edgewarm.Unreachable",
                            "the API could not be reached",
                        );
                    }
                }
                if kind == TransportError::NotSent {
                    let n = self.batches.get(batch).map_or(0, |b| b.urls.len() as u64);
                    self.refund_quota(n);
                }
            }
            _ => self.retry_later(call_id, &call, now_ms),
        }
    }

    /// Re-queues a non-submit call after a back-off.
    fn retry_later(&mut self, call_id: u64, call: &InFlightCall, now_ms: i64) {
        let delay = self.backoff(call_id, 2);
        match call.kind {
            CallKind::PrefetchQuota => {
                self.quota.failures += 1;
                self.quota.not_before_ms = now_ms + delay;
                if self.quota.failures >= self.spec.options.max_attempts {
                    self.prefetch_quota_unread(now_ms);
                }
            }
            CallKind::Quota if self.quota.checked => {
                // a re-read while batches are deferred: ask again after the back-off
                self.quota.recheck_ms = Some(now_ms + delay);
            }
            CallKind::Quota => {
                self.quota.failures += 1;
                self.quota.not_before_ms = now_ms + delay;
                if self.quota.failures >= self.spec.options.max_attempts {
                    self.quota.checked = true;
                }
            }
            CallKind::Poll { batch } | CallKind::Reconcile { batch } => {
                if let Some(b) = self.batches.get_mut(batch) {
                    b.next_poll_ms = now_ms + delay;
                    b.not_before_ms = now_ms + delay;
                }
            }
            CallKind::Sweep { .. } => self.sweep.next_ms = now_ms + delay,
            CallKind::Submit { .. } => {}
        }
    }

    fn on_error(
        &mut self,
        call_id: u64,
        call: &InFlightCall,
        e: ApiError,
        now_ms: i64,
        server_date_ms: Option<i64>,
    ) {
        let key = self.bucket_key(&call.action);
        if e.class == ErrorClass::Throttled {
            self.pacer.throttled(&key, now_ms);
            if let Some(s) = self.stats.get_mut(&call.action) {
                s.throttled += 1;
            }
        }
        if is_clock_skew(&e.code) {
            if let Some(server) = server_date_ms.or_else(|| time_in_message(&e.message)) {
                self.clock_offset_ms = server - now_ms;
            }
        }
        let retry = e.retryable || matches!(e.class, ErrorClass::Throttled | ErrorClass::Server);
        // a message in Chinese gets its English line in front (the vendor's text kept after it)
        let mut e = e;
        e.message = codes::english_message(self.spec.target.service().cloud(), &e.code, &e.message);
        match call.kind {
            CallKind::Submit { batch } => {
                let len = self.batches.get(batch).map_or(0, |b| b.urls.len() as u64);
                self.refund_quota(len);
                let attempts = self.batches.get(batch).map_or(0, |b| b.attempts);
                let esa = self.spec.target.service() == crate::vendor::Service::Esa;
                if !retry && self.on_host_refusal(batch, &e, now_ms) {
                    // one host is not served: it is found and left out; the others go on
                } else if esa && !retry && self.esa_split(batch, &e, now_ms) {
                    // ESA: too large (DomainNameOverLimit, …) or one bad URL: split, go on
                } else if e.class == ErrorClass::Quota
                    && (e.code.contains("Batch") || e.code.contains("ExceedBatch"))
                {
                    let cap = (len as usize / 2).max(1);
                    self.quota.batch_cap = Some(cap);
                    self.requeue(batch, now_ms, true);
                } else if e.class == ErrorClass::Quota {
                    self.quota.remaining = Some(0);
                    self.quota.probing = false;
                    self.defer(batch, now_ms, &format!("{}: {}", e.code, e.message));
                } else if e.class == ErrorClass::Auth && !retry {
                    self.requeue(batch, now_ms, false);
                    self.halted = Some(e);
                } else if retry
                    && (e.class == ErrorClass::Throttled
                        || attempts < self.spec.options.max_attempts)
                {
                    let delay = if is_clock_skew(&e.code) {
                        0
                    } else {
                        self.backoff(call_id, attempts)
                    };
                    if let Some(b) = self.batches.get_mut(batch) {
                        b.state = BatchState::Planned;
                        b.not_before_ms = now_ms + delay;
                        if e.class == ErrorClass::Throttled {
                            b.attempts = b.attempts.saturating_sub(1);
                        }
                    }
                } else {
                    self.fail_batch(batch, &e.code, &e.message);
                }
            }
            _ if e.class == ErrorClass::Auth && !retry => self.halted = Some(e),
            CallKind::PrefetchQuota if !retry => self.prefetch_quota_unread(now_ms),
            CallKind::Quota if !retry && self.quota.checked => self.reschedule_deferred(now_ms),
            CallKind::Quota if !retry => self.quota.checked = true,
            CallKind::Sweep { .. } if !retry => self.esa_sweep_refused(now_ms),
            CallKind::Reconcile { batch }
                if !retry && matches!(e.code.as_str(), "InvalidTime" | "MissingTimeParameter") =>
            {
                // ESA cannot say whether the submit arrived: resending could spend the quota
                // twice, so the batch ends with the reason (retry_failed resends it knowingly)
                self.fail_batch(
                    batch,
                    super::UNVERIFIABLE,
                    &format!("whether this batch arrived can no longer be checked ({}: {}); not resent, to never submit it twice", e.code, e.message),
                );
            }
            CallKind::Reconcile { batch } if !retry => self.requeue(batch, now_ms, false),
            CallKind::Poll { batch } if !retry => {
                let failures = self.batches.get(batch).map_or(0, |b| b.poll_failures) + 1;
                if let Some(b) = self.batches.get_mut(batch) {
                    b.poll_failures = failures;
                }
                if failures >= self.spec.options.max_attempts {
                    self.fail_batch(batch, &e.code, &e.message);
                } else {
                    self.retry_later(call_id, call, now_ms);
                }
            }
            _ => self.retry_later(call_id, call, now_ms),
        }
    }

    /// Every quota the phase needs is read: the first read plans the batches; a re-read while
    /// batches are deferred sends them on when there is room again, else waits for the next.
    fn quota_read(&mut self, now_ms: i64, recheck: bool) {
        if !recheck {
            self.plan(now_ms);
        } else if self.quota_room() == Some(0) {
            self.reschedule_deferred(now_ms);
        } else {
            // the quota has room again: the deferred batches go on
            self.undefer(now_ms, true);
        }
    }

    /// The prefetch quota a refresh reads ahead of its purges could not be read: the purges go
    /// on within the purge quota alone (the prefetch phase reads its quota again).
    fn prefetch_quota_unread(&mut self, now_ms: i64) {
        let recheck = self.quota.prefetch_due.take().unwrap_or(true);
        self.quota.failures = 0;
        self.quota.prefetch_ahead = None;
        self.quota_read(now_ms, recheck);
    }

    /// The quota still has no room: deferred URLs wait for the next re-read.
    fn reschedule_deferred(&mut self, now_ms: i64) {
        let at = now_ms + self.spec.options.quota_recheck_ms.max(0);
        self.quota.recheck_ms = Some(at);
        for b in self
            .batches
            .iter()
            .filter(|b| b.state == BatchState::Deferred)
        {
            for &u in &b.urls {
                if let Some(Fate::Deferred(d)) = self.urls.get_mut(u as usize).map(|e| &mut e.fate)
                {
                    d.until_ms = at;
                }
            }
        }
    }

    /// Back to planning: the batch's URLs are pending again (split to the new cap if `replan`).
    fn requeue(&mut self, batch: usize, now_ms: i64, replan: bool) {
        if let Some(b) = self.batches.get_mut(batch) {
            b.state = BatchState::Planned;
            b.not_before_ms = now_ms;
            b.attempts = 0;
        }
        if replan {
            self.plan(now_ms);
        }
    }

    fn apply(&mut self, call_id: u64, call: &InFlightCall, answer: Answer, now_ms: i64) {
        match (call.kind.clone(), answer) {
            (
                CallKind::Quota,
                Answer::Quota {
                    batch,
                    remaining,
                    prefetch,
                },
            ) => {
                let recheck = self.quota.checked;
                self.quota.checked = true;
                self.quota.failures = 0;
                self.quota.batch_cap = batch.filter(|b| *b > 0);
                let edge = self.spec.edge_mode();
                if !edge || self.phase == Phase::Purge {
                    // edge mode keeps its own prefetch quota: no quota API reports it
                    self.quota.remaining = remaining;
                }
                if self.phase == Phase::Purge && self.spec.kind == JobKind::Refresh {
                    // a refresh reads the prefetch quota too before purging: every URL it
                    // purges needs a prefetch
                    let limits = &self.spec.options.limits;
                    if edge {
                        self.quota.prefetch_ahead = Some(QuotaReading {
                            batch: prefetch.and_then(|p| p.batch),
                            remaining: Some(limits.teo_edge_prefetch_daily as u64),
                        });
                    } else if let Some(p) = prefetch {
                        self.quota.prefetch_ahead = Some(p);
                    } else if self.spec.has_quota_api(Phase::Prefetch) {
                        // CDN: DescribePushQuota, before the decision
                        self.quota.prefetch_due = Some(recheck);
                        return;
                    } else {
                        self.quota.prefetch_ahead = None;
                    }
                }
                self.quota_read(now_ms, recheck);
            }
            (
                CallKind::PrefetchQuota,
                Answer::Quota {
                    batch, remaining, ..
                },
            ) => {
                let recheck = self.quota.prefetch_due.take().unwrap_or(true);
                self.quota.failures = 0;
                self.quota.prefetch_ahead = Some(QuotaReading { batch, remaining });
                self.quota_read(now_ms, recheck);
            }
            (CallKind::Submit { batch }, Answer::Created { task_id, failed }) => {
                let failed: HashMap<String, String> = failed.into_iter().collect();
                let interval = self.spec.options.poll_interval_ms;
                if self.quota.probing {
                    // the probe was taken: the quota has room again
                    self.quota.probing = false;
                    self.undefer(now_ms, true);
                }
                let Some(b) = self.batches.get_mut(batch) else {
                    return;
                };
                b.task_id = Some(task_id.clone());
                b.state = BatchState::Tracking;
                b.submitted_ms = Some(call.sent_ms);
                b.next_poll_ms = now_ms + interval;
                b.poll_offset = 0;
                let mut open = 0;
                for &u in &b.urls {
                    if let Some(e) = self.urls.get_mut(u as usize) {
                        match failed.get(e.send_url()).or_else(|| failed.get(&e.url)) {
                            Some(reason) => {
                                e.fate = Fate::failed("edgewarm.Rejected", reason.clone())
                            }
                            None => {
                                e.fate = Fate::Submitted {
                                    task_id: task_id.clone(),
                                };
                                open += 1;
                            }
                        }
                    }
                }
                if open == 0 {
                    b.state = BatchState::Done;
                }
            }
            (CallKind::Poll { batch }, Answer::Rows { rows, .. })
                if self.spec.target.service() == crate::vendor::Service::Esa =>
            {
                self.esa_apply_lookup(batch, &rows, now_ms);
            }
            (
                CallKind::Poll { batch },
                Answer::Rows {
                    rows,
                    total,
                    page_len,
                },
            ) => {
                self.apply_rows(batch, &rows, now_ms);
                let interval = self.spec.options.poll_interval_ms;
                if let Some(b) = self.batches.get_mut(batch) {
                    b.poll_failures = 0;
                    let seen = b.poll_offset + page_len as i64;
                    if page_len > 0 && seen < total && b.state == BatchState::Tracking {
                        b.poll_offset = seen;
                        b.next_poll_ms = now_ms;
                    } else {
                        b.poll_offset = 0;
                        b.next_poll_ms = now_ms + interval;
                    }
                }
            }
            (
                CallKind::Sweep { page },
                Answer::Rows {
                    rows,
                    total,
                    page_len,
                },
            ) => {
                let by_task: HashMap<String, usize> = self
                    .batches
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.state == BatchState::Tracking)
                    .filter_map(|(i, b)| b.task_id.clone().map(|t| (t, i)))
                    .collect();
                let mut grouped: HashMap<usize, Vec<Row>> = HashMap::new();
                for r in rows {
                    if let Some(&i) = by_task.get(&r.task_id) {
                        grouped.entry(i).or_default().push(r);
                    }
                }
                for (i, rows) in grouped {
                    self.apply_rows(i, &rows, now_ms);
                }
                if page_len > 0 && page * 50 < total {
                    self.sweep.page = page + 1;
                } else {
                    self.sweep.page = 0;
                    self.sweep.next_ms = now_ms + self.spec.options.poll_interval_ms;
                }
            }
            (CallKind::Reconcile { batch }, Answer::Rows { rows, .. }) => {
                let Some(b) = self.batches.get(batch) else {
                    return;
                };
                let pad = if self.spec.target.service() == crate::vendor::Service::Esa {
                    16 * 60_000
                } else {
                    600_000
                };
                let sent = b.last_sent_ms.unwrap_or(0) + self.clock_offset_ms - pad;
                let first = b
                    .urls
                    .first()
                    .and_then(|&u| self.urls.get(u as usize))
                    .map(|e| (e.url.clone(), e.send_url().to_string()));
                let found = if self.spec.target.service() == crate::vendor::Service::Esa {
                    // by URL and task, with a tolerance for a zoneless CreateTime
                    self.esa_reconcile_pick(batch, &rows)
                } else {
                    rows.iter()
                        .find(|r| {
                            first
                                .as_ref()
                                .is_some_and(|(u, s)| r.target == *u || r.target == *s)
                                && r.created_ms.is_none_or(|c| c >= sent)
                        })
                        .map(|r| r.task_id.clone())
                };
                match found {
                    Some(task_id) => {
                        let interval = self.spec.options.poll_interval_ms;
                        let b = &mut self.batches[batch];
                        b.state = BatchState::Tracking;
                        b.task_id = Some(task_id.clone());
                        b.submitted_ms = b.last_sent_ms;
                        b.next_poll_ms = now_ms + interval.min(1000);
                        for &u in &b.urls {
                            if let Some(e) = self.urls.get_mut(u as usize) {
                                if !e.fate.is_final() {
                                    e.fate = Fate::Submitted {
                                        task_id: task_id.clone(),
                                    };
                                }
                            }
                        }
                    }
                    None => {
                        // it never arrived: its quota was not spent
                        let n = self.batches.get(batch).map_or(0, |b| b.urls.len() as u64);
                        self.refund_quota(n);
                        self.requeue(batch, now_ms, false)
                    }
                }
            }
            _ => self.retry_later(call_id, call, now_ms),
        }
    }

    /// Applies task rows to batch `i`'s URLs; the batch is done when all are final.
    fn apply_rows(&mut self, i: usize, rows: &[Row], _now_ms: i64) {
        let Some(b) = self.batches.get(i) else { return };
        let task = b.task_id.clone().unwrap_or_default();
        let mut index: HashMap<&str, u32> = HashMap::with_capacity(b.urls.len() * 2);
        for &u in &b.urls {
            if let Some(e) = self.urls.get(u as usize) {
                index.insert(e.url.as_str(), u);
                index.insert(e.send_url(), u);
            }
        }
        let mut updates = Vec::new();
        for r in rows {
            if !task.is_empty() && !r.task_id.is_empty() && r.task_id != task {
                continue;
            }
            if let (Some(&u), Some(f)) = (index.get(r.target.as_str()), r.fate.clone()) {
                updates.push((u, f));
            }
        }
        for (u, f) in updates {
            if let Some(e) = self.urls.get_mut(u as usize) {
                if matches!(e.fate, Fate::Submitted { .. }) {
                    e.fate = f;
                }
            }
        }
        let b = &mut self.batches[i];
        if b.urls
            .iter()
            .all(|&u| self.urls.get(u as usize).is_none_or(|e| e.fate.is_final()))
        {
            b.state = BatchState::Done;
        }
    }
}
