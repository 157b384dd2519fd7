//! The loop every engine-on-the-sandbox simulation runs: the job's steps sent to the in-process
//! sandbox on its drivable clock, answers fed back, waits skipped — with a crash point and a
//! write-ahead save, so kill-and-resume tests share one driver.

use edgewarm::job::{Job, Step, TransportError};
use edgewarm::Credentials;
use edgewarm_sandbox::Sandbox;

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
    for _ in 0..2_000_000 {
        let actions = job.next_actions(now + skew, creds);
        save(job);
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
