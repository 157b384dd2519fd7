//! The loop every engine-on-the-sandbox simulation runs: the job's steps sent to the in-process
//! sandbox on its drivable clock, answers fed back, waits skipped — with a crash point and a
//! write-ahead save, so kill-and-resume tests share one driver — and what those tests share
//! besides: the sandbox's credentials per vendor, and the check that a refresh prefetched
//! nothing before its purge was done. Each test file uses a part of it.
#![allow(dead_code)]

use edgewarm::job::{Job, JournalWrite, Step, TransportError};
use edgewarm::{Credentials, Service};
use edgewarm_sandbox::config::{
    ALIBABA_ACCESS_KEY_ID, ALIBABA_ACCESS_KEY_SECRET, TENCENT_SECRET_ID, TENCENT_SECRET_KEY,
};
use edgewarm_sandbox::Sandbox;
use std::collections::HashMap;

/// The sandbox's well-known key of `service`'s cloud.
pub fn creds(service: Service) -> Credentials {
    match service {
        Service::Esa => Credentials::new(ALIBABA_ACCESS_KEY_ID, ALIBABA_ACCESS_KEY_SECRET),
        _ => Credentials::new(TENCENT_SECRET_ID, TENCENT_SECRET_KEY),
    }
}

/// No URL reached the sandbox twice for the same API family.
pub fn check_no_duplicates(sb: &Sandbox) {
    let dups: Vec<_> = sb
        .submissions()
        .into_iter()
        .filter(|(_, c)| *c > 1)
        .collect();
    assert!(
        dups.is_empty(),
        "submitted twice: {:?}",
        &dups[..dups.len().min(5)]
    );
}

/// What the sandbox holds after refreshes: no URL purged or prefetched twice, and every
/// prefetch submitted no earlier than the completion of a successful purge of its URL.
pub fn check_order(sb: &Sandbox) {
    check_no_duplicates(sb);
    let tasks = sb.tasks();
    let purged: HashMap<&str, i64> = tasks
        .iter()
        .filter(|t| t.purge && t.succeeded)
        .map(|t| (t.target.as_str(), t.done_ms))
        .collect();
    for t in tasks.iter().filter(|t| !t.purge) {
        let done = purged
            .get(t.target.as_str())
            .unwrap_or_else(|| panic!("{} prefetched without a successful purge", t.target));
        assert!(
            t.created_ms >= *done,
            "{} prefetched at {} before its purge was done at {done}",
            t.target,
            t.created_ms
        );
    }
}

/// A journal kept as a shell keeps it: the lines of [`Job::journal_update`], a snapshot
/// replacing them all and a record appended.
#[derive(Default)]
pub struct JournalLog {
    pub lines: Vec<String>,
    /// Writes so far.
    pub writes: usize,
}

impl JournalLog {
    pub fn write(&mut self, job: &mut Job) {
        match job.journal_update().expect("journal update") {
            JournalWrite::Snapshot(t) => self.lines = vec![t],
            JournalWrite::Record(t) => self.lines.push(t),
        }
        self.writes += 1;
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// The job resumed from the snapshot and records is the job resumed from one whole
    /// journal of it.
    pub fn check_replays(&self, job: &Job) {
        let replayed = Job::resume(&self.text()).expect("the records replay");
        let whole = Job::resume(&job.journal().expect("journal")).expect("whole journal");
        assert!(
            replayed == whole,
            "snapshot + {} records differ from the whole journal",
            self.lines.len() - 1
        );
    }
}

/// Runs `job` against `sb` from sandbox time `now` until it is done, or until `stop_after`
/// sends (a crash: that answer and everything after it is lost). `skew` is how far the job's
/// clock is off the sandbox's. `save` sees the job before every round of sends (write-ahead, as
/// a journal is) and once more when it is done. Returns the sandbox time and whether the job
/// finished.
pub fn drive_with(
    job: &mut Job,
    sb: &Sandbox,
    creds: &Credentials,
    mut now: i64,
    skew: i64,
    stop_after: Option<usize>,
    save: &mut dyn FnMut(&Job),
) -> (i64, bool) {
    let mut sends = 0usize;
    // every simulation also writes its journal as snapshot + records, and checks now and then
    // (and at every end) that they replay to the job
    let mut log = JournalLog::default();
    for _ in 0..2_000_000 {
        let actions = job.next_actions(now + skew, creds);
        save(job);
        log.write(job);
        if log.writes % 23 == 0 {
            log.check_replays(job);
        }
        let mut sent_any = false;
        let mut wait = None;
        for a in actions {
            match a {
                Step::Send { call_id, request } => {
                    sent_any = true;
                    sends += 1;
                    let reply = sb.handle(&request, now);
                    if stop_after.is_some_and(|s| sends >= s) {
                        return (now, false);
                    }
                    if reply.is_reset() {
                        job.on_transport_error(call_id, TransportError::Unknown, now + skew);
                    } else {
                        job.on_response(call_id, reply.status, &reply.body, now + skew, Some(now));
                    }
                }
                Step::Wait { until_ms } => wait = until_ms,
                Step::Done => {
                    save(job);
                    log.write(job);
                    log.check_replays(job);
                    return (now, true);
                }
            }
        }
        if !sent_any {
            now = match wait {
                Some(t) => (t - skew).max(now + 1),
                None => now + 1,
            };
        }
    }
    panic!("job did not finish");
}
