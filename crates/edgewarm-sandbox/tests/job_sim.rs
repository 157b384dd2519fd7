//! The job engine driven sans-IO against the sandbox on a simulated clock: every vendor to the
//! end, faults (5xx, resets, throttling bursts, a client clock 10 minutes off, a quota that runs
//! out), an unknown lower rate limit, and kill-and-resume at random points. Every URL must end
//! in exactly one fate, and the sandbox must have received no URL twice.

mod common;

use common::creds;

use edgewarm::job::{fixtures, Fate, Job, JobSpec};
use edgewarm::{Credentials, Service};
use edgewarm_sandbox::{Sandbox, SandboxConfig};
use proptest::prelude::*;

const T0: i64 = 1_700_000_000_000;

fn spec(service: Service) -> JobSpec {
    fixtures::spec(service, &creds(service).id)
}

fn urls(n: usize, tag: &str) -> Vec<String> {
    (0..n)
        .map(|i| match i % 50 {
            7 => format!("https://www.example.com/fail/{tag}/{i}.js"),
            9 => format!("https://static.example.com/missing/{tag}/{i}.css"),
            _ => format!("https://www.example.com/{tag}/{i}.js"),
        })
        .collect()
}

/// Runs the job until done (or `stop_after` sends, simulating a crash). Returns the sandbox time.
/// `skew` is how far the client clock is off; `lose` says which answers are lost in a crash.
fn drive(
    job: &mut Job,
    sb: &Sandbox,
    creds: &Credentials,
    now: i64,
    skew: i64,
    stop_after: Option<usize>,
) -> (i64, bool) {
    drive_saving(job, sb, creds, now, skew, stop_after, None)
}

/// [`drive`], and when `saved` is given, the job saved into it before every batch of sends
/// (write-ahead, as a journal is) and once more when it is done.
fn drive_saving(
    job: &mut Job,
    sb: &Sandbox,
    creds: &Credentials,
    now: i64,
    skew: i64,
    stop_after: Option<usize>,
    mut saved: Option<&mut Job>,
) -> (i64, bool) {
    common::drive_with(job, sb, creds, now, skew, stop_after, &mut |j| {
        if let Some(s) = saved.as_deref_mut() {
            *s = j.clone();
        }
    })
}

fn check_accounting(job: &Job, sb: &Sandbox, n: usize) {
    assert_eq!(job.urls().len(), n, "every input URL is in the job once");
    let p = job.progress(0);
    assert_eq!(p.pending + p.submitted, 0, "{p:?}");
    assert_eq!(p.succeeded + p.failed + p.deferred + p.invalid, n);
    common::check_no_duplicates(sb);
}

#[test]
fn every_vendor_to_the_end() {
    for service in Service::ALL {
        let sb = Sandbox::new(SandboxConfig::default());
        let list = urls(3000, service.name());
        let mut job = Job::new(spec(service), list, 42, T0);
        let (end, done) = drive(&mut job, &sb, &creds(service), T0, 0, None);
        assert!(done);
        check_accounting(&job, &sb, 3000);
        let p = job.progress(end);
        assert_eq!(
            p.failed, 120,
            "{service}: 60 failing + 60 invalid origins: {p:?}"
        );
        assert_eq!(p.succeeded, 2880, "{service}");
        let failed = job
            .urls()
            .iter()
            .find(|u| u.url.contains("/fail/"))
            .unwrap();
        assert!(matches!(&failed.fate, Fate::Failed(_)), "{:?}", failed.fate);
        let stats = job.action_stats();
        assert!(
            stats.values().all(|s| s.throttled == 0),
            "{service}: {stats:?}"
        );
    }
}

#[test]
fn invalid_urls_are_never_sent() {
    let sb = Sandbox::new(SandboxConfig::default());
    let mut list = urls(10, "x");
    list.push("ftp://www.example.com/a".into());
    list.push("https://*.example.com/a".into());
    list.push(list[0].clone());
    let mut job = Job::new(spec(Service::Cdn), list, 1, T0);
    drive(&mut job, &sb, &creds(Service::Cdn), T0, 0, None);
    let p = job.progress(T0);
    assert_eq!((p.total, p.invalid), (12, 2));
    assert_eq!(sb.submissions().len(), 10);
}

#[test]
fn faults_complete_or_defer_with_nothing_lost_or_duplicated() {
    for service in Service::ALL {
        let mut cfg = SandboxConfig::default();
        cfg.faults.error_every = 7;
        cfg.faults.reset_every = 11;
        cfg.faults.throttle_windows = vec![(T0 + 2_000, T0 + 4_000)];
        cfg.limits.teo_prefetch_daily = 2_500;
        cfg.limits.cdn_push_daily = 2_500;
        cfg.limits.esa_preload_daily = 2_500;
        let sb = Sandbox::new(cfg);
        let mut spec = spec(service);
        // quota re-reading off: deferred URLs are final (tencent_fidelity.rs covers resuming)
        spec.options.quota_recheck_ms = 0;
        let mut job = Job::new(spec, urls(4000, service.name()), 7, T0);
        // the client's clock is 10 minutes fast
        let (_, done) = drive(&mut job, &sb, &creds(service), T0, 600_000, None);
        assert!(done, "{service}");
        check_accounting(&job, &sb, 4000);
        let p = job.progress(T0);
        assert_eq!(
            p.deferred, 1500,
            "{service}: what exceeds the quota is deferred: {p:?}"
        );
        if service == Service::Esa {
            // 10 minutes is inside Alibaba's 15-minute window: nothing to correct
            assert_eq!(job.clock_offset_ms(), 0);
        } else {
            let off = job.clock_offset_ms();
            assert!(
                (-601_000..=-599_000).contains(&off),
                "{service}: learnt offset {off}"
            );
        }
        let deferred = job
            .urls()
            .iter()
            .find(|u| matches!(u.fate, Fate::Deferred(_)))
            .unwrap();
        let Fate::Deferred(d) = &deferred.fate else {
            unreachable!()
        };
        let until_ms = d.until_ms;
        assert!(until_ms > T0 && until_ms <= T0 + 86_400_000);
    }
}

#[test]
fn adapts_to_an_unknown_lower_rate_limit() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.rate_per_sec = 5;
    cfg.limits.burst = 5;
    let sb = Sandbox::new(cfg);
    let mut job = Job::new(spec(Service::Esa), urls(3000, "slow"), 3, T0);
    let (_, done) = drive(&mut job, &sb, &creds(Service::Esa), T0, 0, None);
    assert!(done);
    check_accounting(&job, &sb, 3000);
    let throttled: u64 = job.action_stats().values().map(|s| s.throttled).sum();
    assert!(throttled > 0, "the engine believed 20/s and was throttled");
    let bucket = job.pacer().buckets.values().find(|b| b.rate < b.base);
    assert!(
        bucket.is_some(),
        "and slowed down: {:?}",
        job.pacer().buckets
    );
}

#[test]
fn retry_failed_builds_a_job_of_the_failures() {
    let sb = Sandbox::new(SandboxConfig::default());
    let mut job = Job::new(spec(Service::Teo), urls(500, "r"), 5, T0);
    let (end, _) = drive(&mut job, &sb, &creds(Service::Teo), T0, 0, None);
    let retry = job.retry_failed(6, end);
    assert_eq!(retry.urls().len(), 20);
    assert!(retry.urls().iter().all(|u| u.fate == Fate::Pending));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Kill the driver after a random number of sends (the last answer lost), resume from the
    /// journal written before it, repeat; 0 duplicate submissions, 0 lost URLs.
    #[test]
    fn kill_and_resume(kills in proptest::collection::vec(1usize..60, 1..4), svc in 0usize..3, resets in 0u64..2) {
        let service = Service::ALL[svc];
        let mut cfg = SandboxConfig::default();
        cfg.faults.reset_every = if resets == 1 { 13 } else { 0 };
        let sb = Sandbox::new(cfg);
        let c = creds(service);
        let mut job = Job::new(spec(service), urls(1500, "k"), 11, T0);
        let mut now = T0;
        for k in kills {
            let journal = job.journal().unwrap();
            let mut running = Job::resume(&journal).unwrap();
            // the journal is written ahead: each loop persists before sending
            let (t, done) = drive_saving(&mut running, &sb, &c, now, 0, Some(k), Some(&mut job));
            now = t + 1000;
            if done {
                break;
            }
        }
        let mut last = Job::resume(&job.journal().unwrap()).unwrap();
        let (_, done) = drive(&mut last, &sb, &c, now, 0, None);
        prop_assert!(done);
        check_accounting(&last, &sb, 1500);
    }
}
