//! Purge and refresh jobs driven sans-IO against the sandbox on its simulated clock: every
//! vendor's refresh ends with each URL purged and then warm, no URL purged or prefetched twice
//! and no prefetch submitted before its URL's purge was done; a failed purge keeps its URL from
//! being prefetched and says why; a job killed between or inside the phases resumes from its
//! journal without repeating a purge or a prefetch; plain purge jobs; older journals resume as
//! prefetch jobs.

mod common;

use common::{check_order, creds};

use edgewarm::job::{fixtures, Fate, Job, JobKind, JobSpec, Phase, PurgeType, PURGE_FAILED};
use edgewarm::{Credentials, Service};
use edgewarm_sandbox::{Sandbox, SandboxConfig};

const T0: i64 = 1_700_000_000_000;

fn spec(service: Service, kind: JobKind) -> JobSpec {
    let mut s = fixtures::spec(service, &creds(service).id);
    s.kind = kind;
    s
}

/// `n` URLs; every 50th (from the 13th) has its purge failed by the sandbox.
fn urls(n: usize, tag: &str) -> Vec<String> {
    (0..n)
        .map(|i| match i % 50 {
            13 => format!("https://www.example.com/purge-fail/{tag}/{i}.js"),
            _ => format!("https://www.example.com/{tag}/{i}.js"),
        })
        .collect()
}

/// Runs the job until done, or until `stop_after` sends (a crash: that answer is lost). The
/// journal is written before every round of sends (write-ahead) into `saved`.
fn drive(
    job: &mut Job,
    sb: &Sandbox,
    creds: &Credentials,
    now: i64,
    stop_after: Option<usize>,
    saved: &mut String,
) -> (i64, bool) {
    common::drive_with(job, sb, creds, now, 0, stop_after, &mut |j| {
        *saved = j.journal().expect("journal");
    })
}

fn check_refresh_end(job: &Job, sb: &Sandbox, end: i64, n: usize) {
    check_order(sb);
    let failing = n.div_ceil(50).min((n + 36) / 50);
    let p = job.progress(end);
    assert!(p.done, "{p:?}");
    assert_eq!(p.pending + p.submitted, 0, "{p:?}");
    assert_eq!(p.failed, failing, "{p:?}");
    assert_eq!(p.succeeded, n - failing, "{p:?}");
    assert_eq!(job.phase(), Phase::Prefetch);
    let phases = job.phase_counts();
    assert_eq!((phases.purge_failed, phases.prefetch_failed), (failing, 0));
    let summary = job.failure_summary();
    assert!(
        summary
            .failed
            .iter()
            .all(|g| g.reason.starts_with(PURGE_FAILED) && g.urls == failing),
        "{summary:?}"
    );
    for u in job.urls() {
        if u.url.contains("/purge-fail/") {
            match &u.fate {
                Fate::Failed(f) => {
                    assert!(f.reason.starts_with(PURGE_FAILED), "{}", f.reason)
                }
                other => panic!("{}: {other:?}", u.url),
            }
            assert!(!sb.is_warm(&u.url, end), "{} is warm", u.url);
        } else {
            assert_eq!(u.fate, Fate::Succeeded, "{}", u.url);
            assert!(sb.is_warm(&u.url, end), "{} is not warm", u.url);
        }
    }
    let prefetched = sb.tasks().iter().filter(|t| !t.purge).count();
    assert_eq!(
        prefetched,
        n - failing,
        "the failed purges are never prefetched"
    );
}

#[test]
fn refresh_purges_then_warms_on_every_vendor() {
    for service in Service::ALL {
        let sb = Sandbox::new(SandboxConfig::default());
        let list = urls(300, service.name());
        let mut job = Job::new(spec(service, JobKind::Refresh), list, 7, T0);
        assert_eq!(job.phase(), Phase::Purge);
        let mut saved = String::new();
        let (end, done) = drive(&mut job, &sb, &creds(service), T0, None, &mut saved);
        assert!(done, "{service}");
        check_refresh_end(&job, &sb, end, 300);
    }
}

#[test]
fn refresh_resumes_between_and_inside_the_phases_without_repeating_a_call() {
    for service in Service::ALL {
        // crash after the k-th send, for every k until the job ends uninterrupted
        let mut k = 1;
        loop {
            let sb = Sandbox::new(SandboxConfig::default());
            let list = urls(120, service.name());
            let c = creds(service);
            let mut job = Job::new(spec(service, JobKind::Refresh), list, 11, T0);
            let mut saved = String::new();
            let (now, done) = drive(&mut job, &sb, &c, T0, Some(k), &mut saved);
            if done {
                check_refresh_end(&job, &sb, now, 120);
                break;
            }
            let mut resumed = Job::resume(&saved).expect("resumes");
            let (end, done) = drive(&mut resumed, &sb, &c, now + 1, None, &mut saved);
            assert!(done, "{service} k={k}");
            check_refresh_end(&resumed, &sb, end, 120);
            k += 1;
            assert!(k < 400, "{service}: the job never ended");
        }
    }
}

#[test]
fn a_purge_job_purges_every_url_once_and_prefetches_nothing() {
    for service in Service::ALL {
        let sb = Sandbox::new(SandboxConfig::default());
        let list = urls(300, service.name());
        let kind = JobKind::Purge {
            purge_type: PurgeType::Url,
        };
        let mut job = Job::new(spec(service, kind), list, 3, T0);
        let mut saved = String::new();
        let (end, done) = drive(&mut job, &sb, &creds(service), T0, None, &mut saved);
        assert!(done, "{service}");
        let p = job.progress(end);
        assert_eq!((p.succeeded, p.failed), (294, 6), "{service}: {p:?}");
        let tasks = sb.tasks();
        assert!(
            tasks.iter().all(|t| t.purge),
            "{service}: nothing is prefetched"
        );
        assert_eq!(tasks.len(), 300, "{service}");
        assert!(sb.submissions().values().all(|c| *c == 1), "{service}");
        let failed = job
            .urls()
            .iter()
            .find(|u| u.url.contains("/purge-fail/"))
            .expect("a failing purge");
        assert!(
            matches!(&failed.fate, Fate::Failed(f) if f.reason.starts_with(PURGE_FAILED)),
            "{:?}",
            failed.fate
        );
    }
}

#[test]
fn older_journals_resume_as_prefetch_jobs() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../edgewarm/tests/fixtures");
    for name in [
        "journal_v1_cdn.json",
        "journal_v1_esa.json",
        "journal_v1_teo.json",
    ] {
        let text = std::fs::read_to_string(format!("{dir}/{name}")).expect("fixture");
        let job = Job::resume(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(job.spec().kind, JobKind::Prefetch, "{name}");
        assert_eq!(job.phase(), Phase::Prefetch, "{name}");
    }
    // a version-2 journal: today's prefetch journal without the new fields
    let job = Job::new(spec(Service::Cdn, JobKind::Prefetch), urls(10, "v2"), 1, T0);
    let mut v: serde_json::Value = serde_json::from_str(&job.journal().unwrap()).unwrap();
    v["version"] = 2.into();
    let map = v.as_object_mut().unwrap();
    map.remove("phase");
    map.remove("purgeFailed");
    map["spec"].as_object_mut().unwrap().remove("kind");
    let resumed = Job::resume(&v.to_string()).expect("a v2 journal resumes");
    assert_eq!(resumed.spec().kind, JobKind::Prefetch);
    assert_eq!(resumed.phase(), Phase::Prefetch);
    assert_eq!(resumed.urls(), job.urls());
}

#[test]
fn refresh_under_faults_in_both_phases_repeats_nothing() {
    for service in Service::ALL {
        let mut cfg = SandboxConfig::default();
        // 5xx, connection resets after sending (the submit's fate unknown: looked up by the
        // phase's Describe call) and a throttling burst, in the purge and in the prefetch phase
        cfg.faults.error_every = 7;
        cfg.faults.reset_every = 11;
        cfg.faults.throttle_windows = vec![(T0 + 1_000, T0 + 3_000), (T0 + 20_000, T0 + 60_000)];
        let sb = Sandbox::new(cfg);
        let mut s = spec(service, JobKind::Refresh);
        s.options.limits.teo_purge_url_batch = 40;
        s.options.limits.cdn_purge_url_batch = 40;
        s.options.limits.esa_purge_files = 40;
        s.options.limits.teo_prefetch_batch = 30;
        s.options.limits.cdn_push_batch = 30;
        s.options.limits.esa_preload_batch = 30;
        s.options.use_quota_api = false;
        let mut job = Job::new(s, urls(300, service.name()), 5, T0);
        let mut saved = String::new();
        let (end, done) = drive(&mut job, &sb, &creds(service), T0, None, &mut saved);
        assert!(done, "{service}");
        check_refresh_end(&job, &sb, end, 300);
        let stats = job.action_stats();
        let purge_action = match service {
            Service::Teo => "CreatePurgeTask",
            Service::Cdn => "PurgeUrlsCache",
            Service::Esa => "PurgeCaches",
        };
        assert!(
            stats.get(purge_action).is_some_and(|s| s.sent >= 8),
            "{service}: purges in batches of the purge cap: {stats:?}"
        );
    }
}
