//! A refresh plans its quota over both phases, against the sandbox on its simulated clock: with
//! room today for K of N URLs (in the prefetch quota, or in the purge quota), exactly K URLs are
//! purged and then warmed, the other N − K are deferred before they are purged (so they are
//! never purged cold) with a reason naming the short quota; after the sandbox's daily reset a
//! resumed job finishes them, each URL purged once and then warmed once. A job left running
//! re-reads both quotas on the `quota_recheck_ms` schedule and finishes by itself.

mod common;

use common::{check_order, creds};

use edgewarm::job::{fixtures, Fate, Job, JobKind, Phase, Step, TransportError};
use edgewarm::{Credentials, Service};
use edgewarm_sandbox::{Sandbox, SandboxConfig};
use std::collections::HashMap;

const T0: i64 = 1_700_000_000_000;
const N: usize = 30;
const K: usize = 18;

/// A refresh of N URLs, purged in calls of 7 and prefetched in calls of 5 (several batches, so
/// the quota is met inside a batch as well as between batches).
fn refresh(service: Service, tag: &str) -> Job {
    let mut s = fixtures::spec(service, &creds(service).id);
    s.kind = JobKind::Refresh;
    let l = &mut s.options.limits;
    l.teo_purge_url_batch = 7;
    l.cdn_purge_url_batch = 7;
    l.esa_purge_files = 7;
    l.teo_prefetch_batch = 5;
    l.cdn_push_batch = 5;
    l.esa_preload_batch = 5;
    let urls = (0..N)
        .map(|i| format!("https://www.example.com/{tag}/{i}.js"))
        .collect();
    Job::new(s, urls, 13, T0)
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Short {
    Purge,
    Prefetch,
}

/// A sandbox whose `short` daily quota for `service` is K (the other at its default, far above N).
fn sandbox(service: Service, short: Short) -> Sandbox {
    let mut cfg = SandboxConfig::default();
    let l = &mut cfg.limits;
    match (service, short) {
        (Service::Teo, Short::Prefetch) => l.teo_prefetch_daily = K as u64,
        (Service::Teo, Short::Purge) => l.teo_purge_url_daily = K as u64,
        (Service::Cdn, Short::Prefetch) => l.cdn_push_daily = K as u64,
        (Service::Cdn, Short::Purge) => l.cdn_purge_url_daily = K as u64,
        (Service::Esa, Short::Purge) => l.esa_purge_daily = K as u64,
        (Service::Esa, Short::Prefetch) => unreachable!("ESA has no prefetch quota API"),
    }
    Sandbox::new(cfg)
}

/// The vendor action of a signed request.
fn action(req: &edgewarm::HttpRequest) -> String {
    req.header("x-tc-action")
        .or_else(|| req.header("x-acs-action"))
        .unwrap_or_default()
        .to_string()
}

/// Runs `job` from `now` until `stop` holds (checked before every round of sends) or the job
/// is done; waits are skipped on the sandbox's clock. Returns the time, whether the job is done,
/// and every call sent as (time, action).
fn drive_until(
    job: &mut Job,
    sb: &Sandbox,
    creds: &Credentials,
    mut now: i64,
    stop: &dyn Fn(&Job) -> bool,
) -> (i64, bool, Vec<(i64, String)>) {
    let mut sent = Vec::new();
    for _ in 0..1_000_000 {
        if stop(job) {
            return (now, false, sent);
        }
        let mut wait = None;
        let mut any = false;
        for step in job.next_actions(now, creds) {
            match step {
                Step::Send { call_id, request } => {
                    any = true;
                    sent.push((now, action(&request)));
                    let reply = sb.handle(&request, now);
                    if reply.is_reset() {
                        job.on_transport_error(call_id, TransportError::Unknown, now);
                    } else {
                        job.on_response(call_id, reply.status, &reply.body, now, Some(now));
                    }
                }
                Step::Wait { until_ms } => wait = until_ms,
                Step::Done => return (now, true, sent),
            }
        }
        if !any {
            now = wait.map_or(now + 1, |t| t.max(now + 1));
        }
    }
    panic!("the job did not finish: {:?}", job.progress(now));
}

/// Per URL: (purges, prefetches) the sandbox holds.
fn per_url(sb: &Sandbox) -> HashMap<String, (usize, usize)> {
    let mut out: HashMap<String, (usize, usize)> = HashMap::new();
    for t in sb.tasks() {
        let e = out.entry(t.target).or_default();
        if t.purge {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    out
}

/// Today: exactly K URLs purged then warmed; the other N − K deferred, never purged, with a
/// reason naming the short quota.
fn check_first_day(job: &Job, sb: &Sandbox, now: i64, short: Short, name: &str) {
    check_order(sb);
    let counts = per_url(sb);
    let purged = counts.values().filter(|c| c.0 > 0).count();
    assert_eq!(purged, K, "{name}: exactly K URLs purged today");
    assert!(
        counts.values().all(|&(p, f)| p == 1 && f == 1),
        "{name}: each purged URL purged once, then warmed once: {counts:?}"
    );
    let p = job.progress(now);
    assert_eq!((p.succeeded, p.deferred), (K, N - K), "{name}: {p:?}");
    let quota = match short {
        Short::Purge => "the purge quota leaves room for 18 of 30 URLs",
        Short::Prefetch => "the prefetch quota leaves room for 18 of 30 URLs",
    };
    for u in job.urls() {
        match &u.fate {
            Fate::Succeeded => assert!(sb.is_warm(&u.url, now), "{name}: {} is cold", u.url),
            Fate::Deferred(d) => {
                let reason = &d.reason;
                assert!(reason.starts_with(quota), "{name}: {reason}");
                assert!(reason.contains("not purged"), "{name}: {reason}");
                assert!(
                    !counts.contains_key(&u.url),
                    "{name}: {} was deferred but touched",
                    u.url
                );
            }
            other => panic!("{name}: {}: {other:?}", u.url),
        }
    }
}

/// The end: every URL purged once, then warmed once, and warm.
fn check_end(job: &Job, sb: &Sandbox, end: i64, name: &str) {
    check_order(sb);
    let counts = per_url(sb);
    assert_eq!(counts.len(), N, "{name}");
    assert!(
        counts.values().all(|&c| c == (1, 1)),
        "{name}: each URL purged once, then warmed once: {counts:?}"
    );
    assert!(sb.submissions().values().all(|c| *c == 1), "{name}");
    let p = job.progress(end);
    assert!(p.done, "{name}: {p:?}");
    assert_eq!(p.succeeded, N, "{name}: {p:?}");
    assert_eq!(job.phase(), Phase::Prefetch, "{name}");
    for u in job.urls() {
        assert!(sb.is_warm(&u.url, end), "{name}: {} is cold", u.url);
    }
}

/// Whether today's share is done: K warmed (succeeded in the prefetch phase), the rest
/// deferred, nothing in flight.
fn first_day_done(job: &Job) -> bool {
    let c = job.fate_counts();
    job.phase() == Phase::Prefetch
        && job.calls_in_flight() == 0
        && c.succeeded == K
        && c.deferred == N - K
}

#[test]
fn a_short_quota_defers_urls_before_their_purge_and_a_resumed_job_finishes_after_the_reset() {
    let cases = [
        (Service::Teo, Short::Prefetch),
        (Service::Teo, Short::Purge),
        (Service::Cdn, Short::Prefetch),
        (Service::Cdn, Short::Purge),
        (Service::Esa, Short::Purge),
    ];
    for (service, short) in cases {
        let name = format!("{service} {short:?}");
        let sb = sandbox(service, short);
        let c = creds(service);
        let mut job = refresh(service, &format!("{service}-{short:?}"));
        let (now, done, sent) = drive_until(&mut job, &sb, &c, T0, &first_day_done);
        assert!(!done, "{name}: the deferred URLs are still to do");
        check_first_day(&job, &sb, now, short, &name);
        // both quotas were read before the first purge
        let first_purge = sent
            .iter()
            .position(|(_, a)| {
                matches!(
                    a.as_str(),
                    "CreatePurgeTask" | "PurgeUrlsCache" | "PurgeCaches"
                )
            })
            .expect("a purge");
        let before: Vec<&str> = sent[..first_purge]
            .iter()
            .map(|(_, a)| a.as_str())
            .collect();
        let expected: &[&str] = match service {
            Service::Teo => &["DescribeContentQuota"],
            Service::Cdn => &["DescribePurgeQuota", "DescribePushQuota"],
            Service::Esa => &["GetPurgeQuota"],
        };
        assert_eq!(before, expected, "{name}");
        let journal = job.journal().expect("journal");
        // the job stops; the sandbox's day moves on; the journal is resumed after the reset
        let reset = sb.next_quota_reset(now);
        let mut resumed = Job::resume(&journal).expect("resumes");
        let (end, done, later) = drive_until(&mut resumed, &sb, &c, reset, &|_| false);
        assert!(done, "{name}");
        check_end(&resumed, &sb, end, &name);
        // nothing was purged or prefetched again: the rest went after the reset
        let late_purges = sb
            .tasks()
            .iter()
            .filter(|t| t.purge && t.created_ms >= reset)
            .count();
        assert_eq!(late_purges, N - K, "{name}");
        assert!(
            later.iter().all(|(t, _)| *t >= reset),
            "{name}: the resumed job runs after the reset"
        );
    }
}

#[test]
fn a_job_left_running_rereads_both_quotas_on_schedule_and_finishes() {
    for service in [Service::Teo, Service::Cdn] {
        for short in [Short::Prefetch, Short::Purge] {
            let name = format!("{service} {short:?}");
            let sb = sandbox(service, short);
            let c = creds(service);
            let mut job = refresh(service, &format!("run-{service}-{short:?}"));
            let every = job.spec().options.quota_recheck_ms;
            let reset = sb.next_quota_reset(T0);
            let (end, done, sent) = drive_until(&mut job, &sb, &c, T0, &|_| false);
            assert!(done, "{name}");
            check_end(&job, &sb, end, &name);
            // every purge before the reset is one of today's K; the rest after it
            let before_reset = sb
                .tasks()
                .iter()
                .filter(|t| t.purge && t.created_ms < reset)
                .count();
            assert_eq!(before_reset, K, "{name}");
            // the purge quota is re-read on the schedule, and (CDN) the prefetch quota with it
            let purge_quota = match service {
                Service::Teo => "DescribeContentQuota",
                _ => "DescribePurgeQuota",
            };
            // (EdgeOne's prefetch phase reads the same call: only the re-reads while the URLs
            // wait count, after today's first prefetch and before the last purge)
            let is_purge = |a: &str| matches!(a, "CreatePurgeTask" | "PurgeUrlsCache");
            let is_prefetch = |a: &str| matches!(a, "CreatePrefetchTask" | "PushUrlsCache");
            let first_prefetch = sent
                .iter()
                .find(|(_, a)| is_prefetch(a))
                .expect("a prefetch")
                .0;
            let last_purge = sent
                .iter()
                .rev()
                .find(|(_, a)| is_purge(a))
                .expect("a purge")
                .0;
            let rereads: Vec<i64> = sent
                .iter()
                .filter(|(t, a)| a == purge_quota && *t > first_prefetch && *t < last_purge)
                .map(|(t, _)| *t)
                .collect();
            assert!(rereads.len() >= 2, "{name}: {rereads:?}");
            assert!(
                rereads.windows(2).all(|w| w[1] - w[0] >= every),
                "{name}: re-read no more often than every {every} ms"
            );
            let resumed_at = sb
                .tasks()
                .iter()
                .filter(|t| t.purge && t.created_ms >= reset)
                .map(|t| t.created_ms)
                .min()
                .expect("purges after the reset");
            assert!(
                resumed_at < reset + every + 60_000,
                "{name}: went on {} ms after the reset",
                resumed_at - reset
            );
            if service == Service::Cdn {
                let push_reads = sent
                    .iter()
                    .filter(|(_, a)| a == "DescribePushQuota")
                    .count();
                assert!(push_reads > rereads.len(), "{name}: {push_reads}");
            }
        }
    }
}
