//! `next_actions`: decide, at time `now`, which calls to send (signed) and until when to wait.
//! Order of business: the quota question first, then look-ups of batches whose fate is unknown
//! after a crash, then submits (paced, capped in flight, within the remaining quota), then polls.

use super::calls::CallOp;
use super::{BatchState, CallKind, DryRunCall, Fate, InFlightCall, Job, JobKind, Phase, Step};
use crate::credentials::Credentials;
use crate::error::{ApiError, Error};
use crate::request::HttpRequest;
use crate::sign::{sign_request, SigningParams};
use crate::vendor::Service;

/// SplitMix64: nonces and jitter from the job's seed (deterministic, never the clock).
pub(super) fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// How the reason of a URL whose purge failed begins.
pub const PURGE_FAILED: &str = "purge failed: ";

impl Job {
    /// The pacing key of an action.
    pub(super) fn bucket_key(&self, action: &str) -> String {
        format!(
            "{}.{}.{}",
            self.spec.target.service(),
            action,
            self.spec.key_id
        )
    }

    fn in_flight(&self, pred: impl Fn(&CallKind) -> bool) -> bool {
        self.calls.values().any(|c| pred(&c.kind))
    }

    /// Tries to send one call now; `Err(ready_at)` when its bucket is empty.
    fn try_send(
        &mut self,
        kind: CallKind,
        now_ms: i64,
        creds: &Credentials,
        out: &mut Vec<Step>,
    ) -> Result<(), i64> {
        let op = match self.operation(&kind, now_ms) {
            CallOp::Send(op) => op,
            // the vendor has no such call (ESA has no quota API), or the batch is gone: nothing
            // to send
            CallOp::NoSuchCall | CallOp::UnknownBatch => return Ok(()),
        };
        let action = op.action().to_string();
        let key = self.bucket_key(&action);
        if !self.pacer.try_take(&key, now_ms) {
            return Err(self.pacer.ready_at(&key, now_ms));
        }
        let call_id = self.next_call;
        self.next_call += 1;
        let service = self.spec.target.service();
        let mut request = op.build(&self.spec.endpoint);
        let signing_ms = now_ms + self.clock_offset_ms;
        let nonce = format!(
            "{:016x}{:016x}",
            mix(self.seed ^ call_id),
            mix(self.seed.rotate_left(29) ^ call_id)
        );
        if let Err(e) = sign_request(
            &mut request,
            service,
            creds,
            &SigningParams::new(signing_ms.div_euclid(1000), nonce),
        ) {
            self.halted = Some(ApiError {
                code: "edgewarm.SigningFailed".into(),
                message: e.to_string(),
                request_id: None,
                http_status: None,
                class: crate::error::ErrorClass::Invalid,
                retryable: false,
            });
            return Ok(());
        }
        let stats = self.stats.entry(action.clone()).or_default();
        stats.sent += 1;
        stats.first_ms.get_or_insert(now_ms);
        stats.last_ms = Some(now_ms);
        self.calls.insert(
            call_id,
            InFlightCall {
                kind,
                action,
                sent_ms: now_ms,
            },
        );
        out.push(Step::Send { call_id, request });
        Ok(())
    }

    /// The dry run: the signed submit call of every planned batch, in order, as the job would
    /// send them now (same operations, same signing), without changing the job. Quota lookups
    /// and tracking polls are left out. The requests are for showing, so any session token is
    /// replaced by its environment variable's name ([`HttpRequest::redacted`]).
    pub fn dry_run(&self, now_ms: i64, creds: &Credentials) -> Result<Vec<HttpRequest>, Error> {
        Ok(self
            .dry_run_explained(now_ms, creds)?
            .into_iter()
            .map(|call| call.request.redacted())
            .collect())
    }

    /// [`Job::dry_run`] with every signature's intermediates (canonical request, string to
    /// sign) and the number of URLs of each call, for "explain" views. The requests are not
    /// redacted.
    pub fn dry_run_explained(
        &self,
        now_ms: i64,
        creds: &Credentials,
    ) -> Result<Vec<DryRunCall>, Error> {
        let service = self.spec.target.service();
        let mut out = Vec::new();
        for (i, batch) in self.batches.iter().enumerate() {
            if batch.state != BatchState::Planned {
                continue;
            }
            let CallOp::Send(op) = self.operation(&CallKind::Submit { batch: i }, now_ms) else {
                continue;
            };
            let mut request = op.build(&self.spec.endpoint);
            let nonce = format!(
                "{:016x}{:016x}",
                mix(self.seed ^ i as u64),
                mix(!self.seed ^ i as u64)
            );
            let signing = sign_request(
                &mut request,
                service,
                creds,
                &SigningParams::new((now_ms + self.clock_offset_ms).div_euclid(1000), nonce),
            )?;
            out.push(DryRunCall {
                request,
                signing,
                urls: batch.urls.len(),
            });
        }
        Ok(out)
    }

    /// Defers batch `i` until the quota has room: the quota is asked again (or a probe sent)
    /// after [`super::JobOptions::quota_recheck_ms`]; no reset time is assumed.
    pub(super) fn defer(&mut self, i: usize, now_ms: i64, reason: &str) {
        let every = self.spec.options.quota_recheck_ms;
        let until = if every > 0 {
            let at = self.quota.recheck_ms.unwrap_or(now_ms + every);
            self.quota.recheck_ms = Some(at);
            at
        } else {
            now_ms
        };
        if let Some(b) = self.batches.get_mut(i) {
            b.state = BatchState::Deferred;
            b.not_before_ms = until;
            for &u in &b.urls {
                if let Some(entry) = self.urls.get_mut(u as usize) {
                    entry.fate = Fate::Deferred {
                        until_ms: until,
                        reason: reason.to_string(),
                    };
                }
            }
        }
    }

    /// Deferred batches go back to planning (their URLs pending again), all of them or the
    /// first only (a probe).
    pub(super) fn undefer(&mut self, now_ms: i64, all: bool) {
        for b in self
            .batches
            .iter_mut()
            .filter(|b| b.state == BatchState::Deferred)
        {
            b.state = BatchState::Planned;
            b.not_before_ms = now_ms;
            b.attempts = 0;
            for &u in &b.urls {
                if let Some(e) = self.urls.get_mut(u as usize) {
                    if matches!(e.fate, Fate::Deferred { .. }) {
                        e.fate = Fate::Pending;
                    }
                }
            }
            if !all {
                break;
            }
        }
        if !self.batches.iter().any(|b| b.state == BatchState::Deferred) {
            self.quota.recheck_ms = None;
        }
    }

    /// While batches are deferred: at the re-read time, ask the quota API again, or (where
    /// none answers) re-send the first deferred batch as a probe.
    fn recheck_quota(
        &mut self,
        now: i64,
        creds: &Credentials,
        out: &mut Vec<Step>,
        soon: &mut impl FnMut(i64),
    ) {
        if self.spec.options.quota_recheck_ms <= 0
            || !self.batches.iter().any(|b| b.state == BatchState::Deferred)
            || self.in_flight(|k| matches!(k, CallKind::Quota | CallKind::PrefetchQuota))
            || self.quota.prefetch_due.is_some()
        {
            return;
        }
        let at = self.quota.recheck_ms.unwrap_or(now);
        if at > now {
            soon(at);
            return;
        }
        if self.spec.has_quota_api(self.phase) {
            if let Err(t) = self.try_send(CallKind::Quota, now, creds, out) {
                soon(t);
            }
        } else if !self.quota.probing {
            self.quota.probing = true;
            self.quota.remaining = None;
            self.undefer(now, false);
            self.quota.recheck_ms = None;
        }
    }

    /// What to do at `now_ms` (the shell's clock; the engine adds its learnt clock offset when
    /// signing). Sends are paced; the last action is `Wait` or `Done`.
    pub fn next_actions(&mut self, now_ms: i64, creds: &Credentials) -> Vec<Step> {
        let mut out = Vec::new();
        let mut wake: Option<i64> = None;
        let mut soon = |t: i64| wake = Some(wake.map_or(t, |w: i64| w.min(t)));
        if self.halted.is_none() {
            self.step(now_ms, creds, &mut out, &mut soon);
        }
        if self.is_done() {
            out.push(Step::Done);
        } else {
            out.push(Step::Wait {
                until_ms: wake.map(|w| w.max(now_ms)),
            });
        }
        out
    }

    fn step(
        &mut self,
        now: i64,
        creds: &Credentials,
        out: &mut Vec<Step>,
        soon: &mut impl FnMut(i64),
    ) {
        // 0. a refresh whose purges are all final goes on to prefetch; one whose prefetches
        // are final goes back to purge the URLs put off for quota
        self.end_purge_phase(now);
        self.start_purge_round(now);
        // 1. the quota, before any submit (a refresh: the purge and the prefetch quota)
        let due = if !self.quota.checked {
            Some(CallKind::Quota)
        } else if self.quota.prefetch_due.is_some() {
            Some(CallKind::PrefetchQuota)
        } else {
            None
        };
        if let Some(kind) = due {
            if self.quota.not_before_ms > now {
                soon(self.quota.not_before_ms);
            } else if !self.in_flight(|k| matches!(k, CallKind::Quota | CallKind::PrefetchQuota)) {
                if let Err(t) = self.try_send(kind, now, creds, out) {
                    soon(t);
                }
            }
            return;
        }
        // 1b. deferred batches: ask the quota again when it is time
        self.recheck_quota(now, creds, out, soon);
        // 2. batches whose submit may or may not have arrived
        for i in 0..self.batches.len() {
            let b = &self.batches[i];
            if b.state != BatchState::Reconcile
                || self.in_flight(|k| *k == CallKind::Reconcile { batch: i })
            {
                continue;
            }
            if b.not_before_ms > now {
                soon(b.not_before_ms);
                continue;
            }
            if let Err(t) = self.try_send(CallKind::Reconcile { batch: i }, now, creds, out) {
                soon(t);
                break;
            }
        }
        // 3. submits
        let max_in_flight = self.spec.options.max_in_flight.max(1);
        let mut in_flight = self
            .calls
            .values()
            .filter(|c| matches!(c.kind, CallKind::Submit { .. }))
            .count();
        let probing = self.probing_hosts();
        let mut i = 0;
        while i < self.batches.len() {
            let (state, not_before, len, probe) = {
                let b = &self.batches[i];
                (b.state, b.not_before_ms, b.urls.len(), b.host_probe)
            };
            if state != BatchState::Planned {
                i += 1;
                continue;
            }
            // while a refused batch's hosts are probed one by one, the other batches wait for
            // the answers (they would be refused for the same host)
            if !probe && probing {
                i += 1;
                continue;
            }
            if not_before > now {
                soon(not_before);
                i += 1;
                continue;
            }
            if in_flight >= max_in_flight {
                break;
            }
            if let Some(rem) = self.quota_room() {
                if (len as u64) > rem {
                    if rem == 0 {
                        let what = self.short_quota_reason();
                        self.defer(i, now, &what);
                        i += 1;
                        continue;
                    }
                    let rest = self.batches[i].urls.split_off(rem as usize);
                    let mut tail = self.batches[i].clone();
                    tail.urls = rest;
                    self.batches.push(tail);
                }
            }
            let len = self.batches[i].urls.len() as u64;
            match self.try_send(CallKind::Submit { batch: i }, now, creds, out) {
                Ok(()) => {
                    in_flight += 1;
                    let b = &mut self.batches[i];
                    b.state = BatchState::Sending;
                    b.attempts += 1;
                    b.last_sent_ms = Some(now);
                    self.spend_quota(len);
                }
                Err(t) => {
                    soon(t);
                    break;
                }
            }
            if self.halted.is_some() {
                return;
            }
            i += 1;
        }
        // 4. polls
        let timeout = self.spec.options.track_timeout_ms;
        let esa = self.spec.target.service() == Service::Esa;
        let mut esa_tracking = false;
        for i in 0..self.batches.len() {
            let b = &self.batches[i];
            if b.state != BatchState::Tracking {
                continue;
            }
            if b.submitted_ms.is_some_and(|s| now - s > timeout) {
                self.give_up_tracking(i);
                continue;
            }
            // ESA: swept while DescribePreloadTasks can still list the batch in a window;
            // afterwards (3-day look-back, or a refused sweep) looked up URL by URL as a poll
            if esa && !self.esa_is_late(i, now) {
                esa_tracking = true;
                continue;
            }
            if self.in_flight(|k| *k == CallKind::Poll { batch: i }) {
                continue;
            }
            if b.next_poll_ms > now {
                soon(b.next_poll_ms);
                continue;
            }
            if let Err(t) = self.try_send(CallKind::Poll { batch: i }, now, creds, out) {
                soon(t);
                break;
            }
        }
        if esa_tracking && !self.in_flight(|k| matches!(k, CallKind::Sweep { .. })) {
            if self.sweep.next_ms > now {
                soon(self.sweep.next_ms);
            } else {
                if self.sweep.page == 0 {
                    self.sweep.page = 1;
                    self.sweep.window_end_ms = now + 120_000;
                }
                let page = self.sweep.page;
                if let Err(t) = self.try_send(CallKind::Sweep { page }, now, creds, out) {
                    soon(t);
                }
            }
        }
    }

    /// The purge phase ends once every purge batch is final (done, or deferred for good) and
    /// nothing is in flight: failed purges say so in their reason (`purge failed: …`), and a
    /// refresh moves every URL whose purge the vendor reported done to the prefetch phase
    /// (pending again), with the prefetch's own caps, quota and tracking. Until then no URL is
    /// prefetched, and a journal written at any point resumes on the same side of the line.
    ///
    /// A refresh's URLs put off for quota were never purged: they do not hold the others back.
    /// Once every other purge is final and one succeeded, the phase ends; the put-off URLs stay
    /// deferred (in [`Job::deferred_purges`]) for a later purge round
    /// ([`Job::start_purge_round`]).
    pub(super) fn end_purge_phase(&mut self, now: i64) {
        if self.phase != Phase::Purge || !self.calls.is_empty() || self.halted.is_some() {
            return;
        }
        let waits_for_quota = self.spec.options.quota_recheck_ms > 0;
        let refresh = self.spec.kind == JobKind::Refresh;
        let all_final = self.batches.iter().all(|b| {
            b.state == BatchState::Done || (b.state == BatchState::Deferred && !waits_for_quota)
        });
        // a refresh goes on with what it could purge, when something was purged
        let goes_on = refresh
            && self
                .batches
                .iter()
                .all(|b| matches!(b.state, BatchState::Done | BatchState::Deferred))
            && self
                .batches
                .iter()
                .filter(|b| b.state == BatchState::Done)
                .flat_map(|b| &b.urls)
                .any(|&u| {
                    self.urls
                        .get(u as usize)
                        .is_some_and(|e| e.fate == Fate::Succeeded)
                });
        if !all_final && !goes_on {
            return;
        }
        let round = self.purge_round();
        for (i, e) in self.urls.iter_mut().enumerate() {
            if round.as_ref().is_some_and(|r| !r[i]) {
                continue;
            }
            match &mut e.fate {
                Fate::Failed { reason, .. } if !reason.starts_with(PURGE_FAILED) => {
                    *reason = format!("{PURGE_FAILED}{reason}");
                }
                Fate::Succeeded if refresh => e.fate = Fate::Pending,
                _ => {}
            }
        }
        if !refresh {
            return;
        }
        let mut later: Vec<u32> = self
            .batches
            .iter()
            .filter(|b| b.state == BatchState::Deferred)
            .flat_map(|b| b.urls.iter().copied())
            .filter(|&u| {
                self.urls
                    .get(u as usize)
                    .is_some_and(|e| matches!(e.fate, Fate::Deferred { .. }))
            })
            .collect();
        later.sort_unstable();
        self.set_deferred_purges(later);
        self.phase = Phase::Prefetch;
        self.batches.clear();
        self.sweep = super::Sweep::default();
        let edge = self.spec.edge_mode();
        self.quota = super::QuotaState {
            checked: !self.spec.has_quota_api_in(Phase::Prefetch),
            remaining: edge.then_some(self.spec.options.limits.teo_edge_prefetch_daily as u64),
            ..super::QuotaState::default()
        };
        self.plan(now);
    }

    /// A refresh whose prefetches are all final, with URLs whose purge was put off for quota
    /// (and quota re-reading on): a new purge round over those URLs begins, still deferred. The
    /// quotas (purge and prefetch) are read again when the deferral says
    /// ([`super::JobOptions::quota_recheck_ms`]); the URLs they leave room for are purged, then
    /// prefetched, and so on until none is left.
    pub(super) fn start_purge_round(&mut self, now: i64) {
        if self.phase != Phase::Prefetch
            || self.spec.kind != JobKind::Refresh
            || self.deferred_purges.is_empty()
            || self.spec.options.quota_recheck_ms <= 0
            || !self.calls.is_empty()
            || self.halted.is_some()
            || !self.batches.iter().all(|b| b.state == BatchState::Done)
        {
            return;
        }
        let waiting: Vec<u32> = self
            .deferred_purges
            .iter()
            .copied()
            .filter(|&u| {
                self.urls
                    .get(u as usize)
                    .is_some_and(|e| matches!(e.fate, Fate::Deferred { .. }))
            })
            .collect();
        let until = waiting
            .iter()
            .filter_map(|&u| match self.urls.get(u as usize).map(|e| &e.fate) {
                Some(Fate::Deferred { until_ms, .. }) => Some(*until_ms),
                _ => None,
            })
            .min()
            .unwrap_or(now)
            .max(now);
        self.phase = Phase::Purge;
        self.batches.clear();
        self.sweep = super::Sweep::default();
        self.quota = super::QuotaState {
            checked: true,
            remaining: Some(0),
            recheck_ms: Some(until),
            ..super::QuotaState::default()
        };
        let cap = self.batch_cap();
        for chunk in waiting.chunks(cap) {
            self.batches.push(super::Batch::new(
                chunk.to_vec(),
                BatchState::Deferred,
                until,
            ));
        }
        for &u in &waiting {
            if let Some(Fate::Deferred { until_ms, .. }) =
                self.urls.get_mut(u as usize).map(|e| &mut e.fate)
            {
                *until_ms = until;
            }
        }
        self.set_deferred_purges(waiting);
        self.fail_refused_hosts();
    }

    /// The URLs of the purge round running, as a mask over the job's URLs; `None` when every
    /// URL is (the first round, and every job that is no refresh).
    pub(super) fn purge_round(&self) -> Option<Vec<bool>> {
        if self.deferred_purges.is_empty() || self.phase != Phase::Purge {
            return None;
        }
        let mut mask = vec![false; self.urls.len()];
        for &u in &self.deferred_purges {
            if let Some(m) = mask.get_mut(u as usize) {
                *m = true;
            }
        }
        Some(mask)
    }

    /// URLs the job may still submit in this phase: the quota left, and for a refresh's purges
    /// also the prefetch quota read ahead (each purged URL needs a prefetch); `None` when no
    /// figure is known.
    pub(super) fn quota_room(&self) -> Option<u64> {
        let ahead = self.prefetch_ahead_left();
        match (self.quota.remaining, ahead) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The prefetch quota read ahead, where it bounds this phase's submits (a refresh's purge
    /// phase).
    fn prefetch_ahead_left(&self) -> Option<u64> {
        (self.phase == Phase::Purge && self.spec.kind == JobKind::Refresh)
            .then(|| self.quota.prefetch_ahead.and_then(|q| q.remaining))
            .flatten()
    }

    /// `n` URLs were submitted: they spend the quota (and a refresh's purges the prefetch quota
    /// read ahead).
    pub(super) fn spend_quota(&mut self, n: u64) {
        self.adjust_quota(|rem| rem.saturating_sub(n));
    }

    /// `n` URLs submitted were not taken (refused, or never arrived): their quota is back.
    pub(super) fn refund_quota(&mut self, n: u64) {
        self.adjust_quota(|rem| rem.saturating_add(n));
    }

    /// Applies `change` to the quota left, and to the prefetch quota a refresh read ahead.
    fn adjust_quota(&mut self, change: impl Fn(u64) -> u64) {
        if let Some(rem) = self.quota.remaining.as_mut() {
            *rem = change(*rem);
        }
        if self.prefetch_ahead_left().is_some() {
            if let Some(rem) = self
                .quota
                .prefetch_ahead
                .as_mut()
                .and_then(|q| q.remaining.as_mut())
            {
                *rem = change(*rem);
            }
        }
    }

    /// Why the URLs left are put off: which quota has no room. A refresh names the quota that
    /// is short (the purge's, the prefetch's read ahead, or both) and how many of the round's
    /// URLs it leaves room for; the rest are never purged, so they stay warm.
    fn short_quota_reason(&self) -> String {
        let refresh = self.spec.kind == JobKind::Refresh && self.phase == Phase::Purge;
        if !refresh {
            return match self.phase {
                Phase::Purge => "the purge quota is used up",
                Phase::Prefetch => "the prefetch quota is used up",
            }
            .to_string();
        }
        // the round's URLs: those sent so far and those waiting to be sent
        let (mut sent, mut total) = (0usize, 0usize);
        for b in &self.batches {
            total += b.urls.len();
            if !matches!(b.state, BatchState::Planned | BatchState::Deferred) {
                sent += b.urls.len();
            }
        }
        let which = match (self.quota.remaining, self.prefetch_ahead_left()) {
            (Some(p), Some(f)) if p == f => "the purge and the prefetch quota leave",
            (_, Some(0)) => "the prefetch quota leaves",
            _ => "the purge quota leaves",
        };
        format!(
            "{which} room for {sent} of {total} URLs today: the rest are not purged, so they stay warm until the quota has room again"
        )
    }

    /// Tracking ran out of time: the URLs still submitted fail.
    pub(super) fn give_up_tracking(&mut self, i: usize) {
        if let Some(b) = self.batches.get_mut(i) {
            b.state = BatchState::Done;
            for &u in &b.urls {
                if let Some(e) = self.urls.get_mut(u as usize) {
                    if matches!(e.fate, Fate::Submitted { .. }) {
                        e.fate = Fate::Failed {
                            code: "edgewarm.TrackingTimeout".into(),
                            reason: "the vendor did not report a final status in time".into(),
                        };
                    }
                }
            }
        }
    }
}
