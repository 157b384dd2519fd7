//! The native driver against the sandbox over real HTTP on loopback: faults at the HTTP level
//! (502s, connection resets, a throttling burst, a client clock 10 minutes off, a quota that runs
//! out), an unknown lower rate limit, and kill-and-resume from the journal file while requests
//! are still in flight. Nothing lost, nothing duplicated.

use edgewarm::job::{Fate, Job, JobOptions, JobSpec, Target};
use edgewarm::{Credentials, Endpoint, Service, Site};
use edgewarm_driver::{run, DriverConfig, DriverError, Transport};
use edgewarm_sandbox::config::*;
use edgewarm_sandbox::http::{router, SandboxState};
use edgewarm_sandbox::{Sandbox, SandboxConfig, SystemClock};
use std::sync::Arc;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

async fn sandbox(world: SandboxConfig) -> (Arc<Sandbox>, String) {
    let sb = Arc::new(Sandbox::new(world));
    let state = SandboxState {
        sandbox: sb.clone(),
        clock: Arc::new(SystemClock),
    };
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, router(state)).await.unwrap() });
    (sb, base)
}

fn job(service: Service, n: usize) -> (Job, Credentials) {
    let (target, endpoint, creds) = match service {
        Service::Teo => (
            Target::Edgeone {
                zone_id: "zone-sandbox".into(),
                mode: None,
                headers: vec![],
                prefetch_media_segments: None,
            },
            Endpoint::tencent(Service::Teo, Site::China),
            Credentials::new(TENCENT_SECRET_ID, TENCENT_SECRET_KEY),
        ),
        Service::Cdn => (
            Target::Cdn {
                area: None,
                layer: None,
                user_agent: None,
                parse_m3u8: None,
                disable_range: None,
                headers: vec![],
            },
            Endpoint::tencent(Service::Cdn, Site::China),
            Credentials::new(TENCENT_SECRET_ID, TENCENT_SECRET_KEY),
        ),
        Service::Esa => (
            Target::Esa {
                site_id: 100000001,
                headers: Default::default(),
            },
            Endpoint::esa("cn-hangzhou").unwrap(),
            Credentials::new(ALIBABA_ACCESS_KEY_ID, ALIBABA_ACCESS_KEY_SECRET),
        ),
    };
    let mut options = JobOptions {
        poll_interval_ms: 500,
        ..JobOptions::default()
    };
    options.limits.teo_prefetch_batch = 200;
    options.limits.cdn_push_batch = 100;
    let spec = JobSpec {
        target,
        endpoint,
        key_id: creds.id.clone(),
        options,
    };
    let urls = (0..n)
        .map(|i| format!("https://www.example.com/{service}/{i}.js"))
        .collect();
    (Job::new(spec, urls, 99, now()), creds)
}

fn world() -> SandboxConfig {
    let mut w = SandboxConfig::default();
    w.limits.task_seconds = 1;
    w
}

fn assert_clean(job: &Job, sb: &Sandbox, n: usize) {
    let p = job.progress(now());
    assert_eq!(p.total, n);
    assert_eq!(p.pending + p.submitted, 0, "{p:?}");
    let dups: u64 = sb.submissions().values().map(|c| c.saturating_sub(1)).sum();
    assert_eq!(dups, 0, "duplicated submissions");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_over_http() {
    for service in Service::ALL {
        let mut w = world();
        w.faults.error_every = 5;
        w.faults.reset_every = 7;
        w.faults.throttle_windows = vec![(now() + 300, now() + 900)];
        w.limits.teo_prefetch_daily = 700;
        w.limits.cdn_push_daily = 700;
        w.limits.esa_preload_daily = 700;
        let (sb, base) = sandbox(w).await;
        let (mut job, creds) = job(service, 1000);
        // quota re-reading off: what exceeds the quota stays deferred and the run ends
        job.spec.options.quota_recheck_ms = 0;
        let mut config = DriverConfig::new(Transport::Direct { base });
        config.clock_skew_ms = 600_000;
        let r = tokio::time::timeout(
            std::time::Duration::from_secs(60),
            run(&mut job, &creds, &config, |_| {}),
        )
        .await;
        assert!(
            r.is_ok(),
            "{service}: stuck: {:?}\n{:?}\ncalls {:?}",
            job.progress(now()),
            job.batches
                .iter()
                .map(|b| (b.state, b.attempts, b.not_before_ms - now()))
                .collect::<Vec<_>>(),
            job.calls
        );
        assert_clean(&job, &sb, 1000);
        let p = job.progress(now());
        assert_eq!(p.deferred, 300, "{service}: {p:?}");
        assert_eq!(p.succeeded, 700, "{service}: {p:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_lower_limit_is_adapted_to() {
    let mut w = world();
    w.limits.rate_per_sec = 8;
    w.limits.burst = 8;
    let (sb, base) = sandbox(w).await;
    let (mut job, creds) = job(Service::Esa, 3000);
    run(
        &mut job,
        &creds,
        &DriverConfig::new(Transport::Direct { base }),
        |_| {},
    )
    .await
    .unwrap();
    assert_clean(&job, &sb, 3000);
    assert!(job.action_stats().values().any(|s| s.throttled > 0));
    assert!(job.urls.iter().all(|u| u.fate == Fate::Succeeded));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_and_resume_from_the_journal_file() {
    for (service, kills) in [
        (Service::Teo, [2u64, 3, 5]),
        (Service::Cdn, [1, 4, 9]),
        (Service::Esa, [3, 7, 20]),
    ] {
        let (sb, base) = sandbox(world()).await;
        let (mut job, creds) = job(service, 2000);
        let dir =
            std::env::temp_dir().join(format!("edgewarm-journal-{}-{service}", std::process::id()));
        let path = dir.with_extension("json");
        let mut config = DriverConfig::new(Transport::Direct { base });
        config.journal = Some(path.clone());
        for k in kills {
            config.stop_after_sends = Some(k);
            match run(&mut job, &creds, &config, |_| {}).await {
                Err(DriverError::Stopped(_)) => {}
                other => panic!("expected a stop, got {other:?}"),
            }
            // the process "dies": only the journal survives; in-flight requests still land
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            job = Job::resume(&std::fs::read_to_string(&path).unwrap()).unwrap();
        }
        config.stop_after_sends = None;
        run(&mut job, &creds, &config, |_| {}).await.unwrap();
        assert_clean(&job, &sb, 2000);
        assert!(
            job.urls.iter().all(|u| u.fate == Fate::Succeeded),
            "{service}"
        );
        let _ = std::fs::remove_file(&path);
    }
}
