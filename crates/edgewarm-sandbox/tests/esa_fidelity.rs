//! ESA's documented rules end to end: the sandbox answers them with the vendor's codes, and the
//! job engine, driven on the sandbox's clock, copes — a job tracked for four days (past
//! DescribePreloadTasks' 3-day look-back) ends every URL with a fate and never loops on
//! `InvalidTime`; a `DomainNameOverLimit` (or an undocumented per-call cap) makes it split and
//! succeed; a `CreateTime` in another zone format never makes it submit a batch twice.

use edgewarm::job::{fixtures, Fate, Job, JobOptions, JobSpec, Step, TransportError};
use edgewarm::vendor::esa;
use edgewarm::{Call, Credentials, Endpoint, Service};
use edgewarm_sandbox::config::*;
use edgewarm_sandbox::{Reply, Sandbox, SandboxConfig};
use std::collections::BTreeMap;

const T0: i64 = 1_700_000_000_000;
const DAY: i64 = 86_400_000;
const SITE: i64 = fixtures::SITE_ID;

fn creds() -> Credentials {
    Credentials::new(ALIBABA_ACCESS_KEY_ID, ALIBABA_ACCESS_KEY_SECRET)
}

fn spec(options: JobOptions) -> JobSpec {
    fixtures::spec_with(Service::Esa, ALIBABA_ACCESS_KEY_ID, options)
}

/// Four-day tracking: polls every 30 minutes, tracking allowed for 5 days.
fn long_options() -> JobOptions {
    JobOptions {
        poll_interval_ms: 30 * 60_000,
        track_timeout_ms: 5 * DAY,
        ..JobOptions::default()
    }
}

fn urls(n: usize, tag: &str) -> Vec<String> {
    (0..n)
        .map(|i| match i % 50 {
            7 => format!("https://www.example.com/fail/{tag}/{i}.js"),
            _ => format!("https://www.example.com/{tag}/{i}.js"),
        })
        .collect()
}

/// What the driver saw: vendor codes answered, per action.
#[derive(Default, Debug)]
struct Seen {
    codes: BTreeMap<String, u64>,
    actions: BTreeMap<String, u64>,
}

/// Runs the job to the end on the sandbox's clock. `drop_submit_answer(n)` loses the answer of
/// the n-th PreloadCaches (the sandbox processed it; the engine hears a broken connection).
fn drive(job: &mut Job, sb: &Sandbox, drop_submit_answer: impl Fn(u64) -> bool) -> (i64, Seen) {
    let creds = creds();
    let mut now = T0;
    let mut seen = Seen::default();
    let mut submits = 0u64;
    for _ in 0..5_000_000 {
        let mut sent_any = false;
        let mut wait = None;
        for a in job.next_actions(now, &creds) {
            match a {
                Step::Send { call_id, request } => {
                    sent_any = true;
                    let action = request.header("x-acs-action").unwrap_or("").to_string();
                    *seen.actions.entry(action.clone()).or_default() += 1;
                    let reply: Reply = sb.handle(&request, now);
                    if let Some(code) = reply.body_json()["Code"].as_str() {
                        *seen.codes.entry(code.to_string()).or_default() += 1;
                    }
                    let lost = action == "PreloadCaches" && {
                        submits += 1;
                        reply.status == 200 && drop_submit_answer(submits)
                    };
                    if lost || reply.is_reset() {
                        job.on_transport_error(call_id, TransportError::Unknown, now);
                    } else {
                        job.on_response(call_id, reply.status, &reply.body, now, Some(now));
                    }
                }
                Step::Wait { until_ms } => wait = until_ms,
                Step::Done => return (now, seen),
            }
        }
        if !sent_any {
            now = wait.map_or(now + 1, |t| t.max(now + 1));
        }
    }
    panic!("the job did not finish: {:?}", job.progress(now));
}

/// Every URL final, each submitted exactly once.
fn check_once(job: &Job, sb: &Sandbox, n: usize) {
    let p = job.progress(0);
    assert_eq!((p.total, p.pending, p.submitted), (n, 0, 0), "{p:?}");
    let subs = sb.submissions();
    assert_eq!(subs.len(), n, "every URL reached the sandbox");
    let dups: Vec<_> = subs.iter().filter(|(_, c)| **c > 1).collect();
    assert!(
        dups.is_empty(),
        "submitted twice: {:?}",
        &dups[..dups.len().min(5)]
    );
}

#[test]
fn four_day_job_is_tracked_to_the_end_by_content_lookups() {
    let mut cfg = SandboxConfig::default();
    // the prefetches take three and a half days: still running when the 3-day look-back ends
    cfg.limits.task_seconds = 84 * 3600;
    let sb = Sandbox::new(cfg);
    let mut job = Job::new(spec(long_options()), urls(300, "four"), 1, T0);
    let (end, seen) = drive(&mut job, &sb, |_| false);
    assert!(end > T0 + 3 * DAY + 12 * 3_600_000, "tracked past 3.5 days");
    check_once(&job, &sb, 300);
    let p = job.progress(end);
    assert_eq!((p.succeeded, p.failed), (294, 6), "{p:?}");
    // the engine never asked for a window ESA refuses
    assert_eq!(seen.codes.get("InvalidTime"), None, "{seen:?}");
    assert_eq!(seen.codes.get("MissingTimeParameter"), None);
    // a bounded number of look-ups: ~13 h of 30-minute rounds over 300 URLs, plus the sweeps
    let describes = seen.actions["DescribePreloadTasks"];
    assert!(describes < 15_000, "{describes} DescribePreloadTasks calls");
    assert!(job.sweep().lookup_before_ms == 0, "no sweep was refused");
}

#[test]
fn four_day_job_past_the_vendor_history_ends_with_a_fate() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.task_seconds = 4 * 86_400;
    cfg.limits.esa_task_retention_secs = 3 * 86_400;
    let sb = Sandbox::new(cfg);
    let mut job = Job::new(spec(long_options()), urls(200, "gone"), 2, T0);
    let (end, seen) = drive(&mut job, &sb, |_| false);
    assert!(
        end > T0 + 3 * DAY && end < T0 + 4 * DAY,
        "ends when ESA forgets"
    );
    check_once(&job, &sb, 200);
    assert_eq!(seen.codes.get("InvalidTime"), None, "{seen:?}");
    for u in job.urls() {
        match &u.fate {
            Fate::Failed(f) => {
                assert_eq!(f.code, edgewarm::job::TRACKING_EXPIRED);
                assert!(f.reason.contains("3 days"), "{}", f.reason);
            }
            other => panic!("{}: {other:?}", u.url),
        }
    }
}

#[test]
fn a_refused_sweep_falls_back_to_lookups_instead_of_looping() {
    let mut cfg = SandboxConfig::default();
    // this sandbox looks back only one day: the engine's 3-day sweeps get InvalidTime
    cfg.limits.esa_preload_lookback_secs = 86_400;
    cfg.limits.task_seconds = 2 * 86_400;
    let sb = Sandbox::new(cfg);
    let mut job = Job::new(spec(long_options()), urls(200, "short"), 3, T0);
    let (end, seen) = drive(&mut job, &sb, |_| false);
    check_once(&job, &sb, 200);
    let p = job.progress(end);
    assert_eq!((p.succeeded, p.failed), (196, 4), "{p:?}");
    let refused = seen.codes.get("InvalidTime").copied().unwrap_or(0);
    assert!(
        (1..=2).contains(&refused),
        "refused {refused} times: {seen:?}"
    );
    // refused once the window (submit − 16 min padding) left the one-day look-back
    assert!(job.sweep().lookup_before_ms > T0 + DAY - 3_600_000);
}

#[test]
fn domain_name_over_limit_splits_the_batch_and_succeeds() {
    let mut cfg = SandboxConfig::default();
    let hosts: Vec<String> = (0..20).map(|i| format!("h{i}.example.com")).collect();
    cfg.esa_sites[0].domains = hosts.clone();
    cfg.limits.esa_preload_domains = 4;
    let sb = Sandbox::new(cfg);
    let list: Vec<String> = (0..200)
        .map(|i| format!("https://{}/d/{i}.js", hosts[i % 20]))
        .collect();
    let mut job = Job::new(spec(JobOptions::default()), list, 4, T0);
    let (end, seen) = drive(&mut job, &sb, |_| false);
    check_once(&job, &sb, 200);
    assert_eq!(job.progress(end).succeeded, 200, "no good URL failed");
    assert!(seen.codes.get("DomainNameOverLimit").copied().unwrap_or(0) > 0);
    assert_eq!(
        job.quota().batch_cap,
        Some(3),
        "learnt: 3 URLs span at most 3 domains"
    );
}

#[test]
fn an_undocumented_lower_url_cap_is_learnt() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.esa_preload_batch = 40;
    let sb = Sandbox::new(cfg);
    let mut job = Job::new(spec(JobOptions::default()), urls(300, "cap"), 5, T0);
    let (end, seen) = drive(&mut job, &sb, |_| false);
    check_once(&job, &sb, 300);
    assert_eq!(job.progress(end).succeeded, 294);
    assert_eq!(job.quota().batch_cap, Some(25));
    // one refusal per halving, not one per batch
    assert!(seen.codes["InvalidParameter"] <= 3, "{seen:?}");
}

#[test]
fn create_time_in_any_zone_format_never_resubmits() {
    for format in ["beijing", "utc", "iso"] {
        let mut cfg = SandboxConfig::default();
        cfg.limits.esa_create_time = format.into();
        let sb = Sandbox::new(cfg);
        let mut job = Job::new(spec(JobOptions::default()), urls(1000, format), 6, T0);
        // every other accepted submit's answer is lost: the engine must look the batch up
        let (end, seen) = drive(&mut job, &sb, |n| n % 2 == 1);
        check_once(&job, &sb, 1000);
        assert_eq!(job.progress(end).succeeded, 980, "{format}");
        assert_eq!(
            seen.actions["PreloadCaches"], 10,
            "{format}: each batch sent once"
        );
    }
}

fn call<C: Call>(sb: &Sandbox, op: &C, now: i64) -> Reply {
    let mut req = op.build(&Endpoint::esa("cn-hangzhou").unwrap());
    let n = format!("{now:x}");
    edgewarm::sign::sign_request(
        &mut req,
        Service::Esa,
        &creds(),
        &edgewarm::SigningParams::new(now / 1000, n),
    )
    .unwrap();
    sb.handle(&req, now)
}

fn code(r: &Reply) -> (u16, String) {
    (
        r.status,
        r.body_json()["Code"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn the_sandbox_answers_the_vendor_codes() {
    let sb = Sandbox::new(SandboxConfig::default());
    let iso = |ms: i64| {
        time::OffsetDateTime::from_unix_timestamp(ms / 1000)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap()
    };
    let describe = |s: Option<i64>, e: Option<i64>| esa::DescribePreloadTasks {
        site_id: Some(SITE),
        start_time: s.map(iso),
        end_time: e.map(iso),
        ..Default::default()
    };
    let now = T0 + 10 * DAY;
    assert_eq!(
        call(&sb, &describe(Some(now - 3 * DAY), Some(now)), now).status,
        200
    );
    assert_eq!(
        code(&call(
            &sb,
            &describe(Some(now - 3 * DAY - 1000), Some(now)),
            now
        )),
        (400, "InvalidTime".into())
    );
    assert_eq!(
        code(&call(&sb, &describe(Some(now - DAY), None), now)),
        (400, "MissingTimeParameter".into())
    );
    assert_eq!(
        code(&call(&sb, &describe(None, Some(now)), now)),
        (400, "MissingTimeParameter".into())
    );
    assert_eq!(call(&sb, &describe(None, None), now).status, 200);

    // PurgeCaches: file 1000, hostname 10, 10 domains
    let files = |n: usize, domains: usize| esa::PurgeCaches {
        site_id: Some(SITE),
        kind: Some("file".into()),
        content: Some(esa::PurgeContent {
            files: Some(
                (0..n)
                    .map(|i| format!("https://h{}.example.com/{i}", i % domains))
                    .collect(),
            ),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(call(&sb, &files(1000, 2), now).status, 200);
    assert_eq!(
        code(&call(&sb, &files(1001, 2), now)),
        (400, "InvalidParameter".into())
    );
    assert_eq!(call(&sb, &files(20, 10), now).status, 200);
    let r = call(&sb, &files(20, 11), now);
    assert_eq!(code(&r), (400, "InvalidParameter".into()));
    assert!(r.body_json()["Message"]
        .as_str()
        .unwrap()
        .contains("11 domains"));
    let hosts = |n: usize| esa::PurgeCaches {
        site_id: Some(SITE),
        kind: Some("hostname".into()),
        content: Some(esa::PurgeContent {
            hostnames: Some((0..n).map(|i| format!("h{i}.example.com")).collect()),
            ..Default::default()
        }),
        ..Default::default()
    };
    assert_eq!(call(&sb, &hosts(10), now).status, 200);
    assert_eq!(
        code(&call(&sb, &hosts(11), now)),
        (400, "InvalidParameter".into())
    );

    // PreloadCaches: more domains than a request may span
    let mut cfg = SandboxConfig::default();
    cfg.esa_sites[0].domains = (0..4).map(|i| format!("h{i}.example.com")).collect();
    cfg.limits.esa_preload_domains = 3;
    let narrow = Sandbox::new(cfg);
    let pre = |d: usize| esa::PreloadCaches {
        site_id: Some(SITE),
        content: Some(
            (0..d)
                .map(|i| format!("https://h{i}.example.com/x"))
                .collect(),
        ),
        headers: None,
    };
    assert_eq!(call(&narrow, &pre(3), now).status, 200);
    assert_eq!(
        code(&call(&narrow, &pre(4), now)),
        (400, "DomainNameOverLimit".into())
    );
}

#[test]
fn scheduled_plans_answer_typed_and_quota_excess_is_error_info() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.esa_job_urls = 2;
    let sb = Sandbox::new(cfg);
    let create = esa::CreateScheduledPreloadJob {
        insert_way: Some("textBox".into()),
        name: Some("j".into()),
        site_id: Some(SITE),
        url_list: Some(
            "https://www.example.com/a\nhttps://www.example.com/b\nhttps://www.example.com/c"
                .into(),
        ),
        ..Default::default()
    };
    let r = call(&sb, &create, T0);
    let job = edgewarm::response::parse::<esa::CreateScheduledPreloadJob>(r.status, &r.body)
        .unwrap()
        .job;
    assert_eq!(job.errors(), vec![esa::ScheduledJobError::QuotaExcess]);
    assert_eq!((job.url_count, job.url_submitted), (Some(3), Some(2)));
    let plans = esa::CreateScheduledPreloadExecutions {
        id: Some(job.id.clone()),
        executions: Some(vec![esa::Execution {
            start_time: Some("2023-11-14T22:13:20Z".into()),
            end_time: None,
            interval: Some(60),
            slice_len: Some(1),
        }]),
    };
    let r = call(&sb, &plans, T0);
    let plan =
        edgewarm::response::parse::<esa::CreateScheduledPreloadExecutions>(r.status, &r.body)
            .unwrap()
            .success_executions[0]
            .id
            .clone();
    let r = call(
        &sb,
        &esa::StopScheduledPreloadExecution::new(plan.clone()),
        T0 + 1000,
    );
    let stopped =
        edgewarm::response::parse::<esa::StopScheduledPreloadExecution>(r.status, &r.body).unwrap();
    assert_eq!(stopped.execution.id, plan);
    assert_eq!(stopped.execution.status.as_deref(), Some("stopped"));
    assert_eq!(stopped.execution.job_id.as_deref(), Some(job.id.as_str()));
    let r = call(
        &sb,
        &esa::StartScheduledPreloadExecution::new(plan.clone()),
        T0 + 2000,
    );
    let started =
        edgewarm::response::parse::<esa::StartScheduledPreloadExecution>(r.status, &r.body)
            .unwrap();
    assert_eq!(started.execution.interval, Some(60));
    assert_ne!(started.execution.status.as_deref(), Some("stopped"));
}

#[test]
fn vpc_endpoints_are_served() {
    let sb = Sandbox::new(SandboxConfig::default());
    let op = esa::DescribePreloadTasks {
        site_id: Some(SITE),
        ..Default::default()
    };
    let mut req = op.build(&Endpoint::esa_vpc("cn-hangzhou").unwrap());
    edgewarm::sign::sign_request(
        &mut req,
        Service::Esa,
        &creds(),
        &edgewarm::SigningParams::new(T0 / 1000, "n1"),
    )
    .unwrap();
    assert_eq!(sb.handle(&req, T0).status, 200);
}

/// PurgeCaches caps of the other types (PurgeCaches API page): `directory` and `ignoreParams`
/// 100 entries, `cachetag` 30 — n accepted, n + 1 refused with `InvalidParameter` (code
/// assumed) naming the field; `directory` and `ignoreParams` URLs span at most 10 domains.
#[test]
fn purge_caps_of_directory_ignore_params_and_cache_tag() {
    let sb = Sandbox::new(SandboxConfig::default());
    let now = T0;
    let purge = |kind: &str, content: esa::PurgeContent| esa::PurgeCaches {
        site_id: Some(SITE),
        kind: Some(kind.into()),
        content: Some(content),
        ..Default::default()
    };
    let spread = |n: usize, domains: usize, tail: &str| -> Option<Vec<String>> {
        Some(
            (0..n)
                .map(|i| format!("https://h{}.example.com/{i}{tail}", i % domains))
                .collect(),
        )
    };
    let dirs = |n: usize, domains: usize| {
        purge(
            "directory",
            esa::PurgeContent {
                directories: spread(n, domains, "/"),
                ..Default::default()
            },
        )
    };
    let params = |n: usize, domains: usize| {
        purge(
            "ignoreParams",
            esa::PurgeContent {
                ignore_params: spread(n, domains, ".js"),
                ..Default::default()
            },
        )
    };
    let tags = |n: usize| {
        purge(
            "cachetag",
            esa::PurgeContent {
                cache_tags: Some((0..n).map(|i| format!("tag{i}")).collect()),
                ..Default::default()
            },
        )
    };
    let refused = |r: &Reply, field: &str| {
        assert_eq!(code(r), (400, "InvalidParameter".into()));
        let message = r.body_json()["Message"].as_str().unwrap_or("").to_string();
        assert!(message.contains(field), "{message}");
    };
    let defaults = LimitConfig::default();
    assert_eq!(
        (
            defaults.esa_purge_directories,
            defaults.esa_purge_ignore_params,
            defaults.esa_purge_cache_tags,
            defaults.esa_purge_domains
        ),
        (100, 100, 30, 10)
    );
    assert_eq!(call(&sb, &dirs(100, 2), now).status, 200);
    refused(&call(&sb, &dirs(101, 2), now), "Directories");
    assert_eq!(call(&sb, &dirs(20, 10), now).status, 200);
    refused(&call(&sb, &dirs(20, 11), now), "11 domains");
    assert_eq!(call(&sb, &params(100, 2), now).status, 200);
    refused(&call(&sb, &params(101, 2), now), "IgnoreParams");
    assert_eq!(call(&sb, &params(20, 10), now).status, 200);
    refused(&call(&sb, &params(20, 11), now), "11 domains");
    assert_eq!(call(&sb, &tags(30), now).status, 200);
    refused(&call(&sb, &tags(31), now), "CacheTags");
}

/// ListScheduledPreloadJobs pages with any positive PageSize / PageNumber (the API page gives
/// no range): what is asked is honoured, never clamped; zero or less is `InvalidParameter`.
#[test]
fn scheduled_job_list_pages_with_any_positive_size() {
    let sb = Sandbox::new(SandboxConfig::default());
    for i in 0..3 {
        let create = esa::CreateScheduledPreloadJob {
            insert_way: Some("textBox".into()),
            name: Some(format!("j{i}")),
            site_id: Some(SITE),
            url_list: Some(format!("https://www.example.com/list/{i}.js")),
            ..Default::default()
        };
        assert_eq!(call(&sb, &create, T0 + i).status, 200);
    }
    let list = |number: Option<i64>, size: Option<i64>| esa::ListScheduledPreloadJobs {
        site_id: Some(SITE),
        page_number: number,
        page_size: size,
        ..Default::default()
    };
    let names = |r: &Reply| -> Vec<String> {
        assert_eq!(r.status, 200, "{:?}", r.body_json());
        assert_eq!(r.body_json()["TotalCount"], 3);
        r.body_json()["Jobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|j| j["Name"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(names(&call(&sb, &list(None, None), T0)).len(), 3);
    assert_eq!(names(&call(&sb, &list(Some(1), Some(2)), T0)).len(), 2);
    assert_eq!(names(&call(&sb, &list(Some(2), Some(2)), T0)).len(), 1);
    assert_eq!(names(&call(&sb, &list(Some(1), Some(1)), T0)).len(), 1);
    assert!(names(&call(&sb, &list(Some(3), Some(2)), T0)).is_empty());
    // far past any invented maximum (the old 50 or 500): all three, one page
    assert_eq!(names(&call(&sb, &list(Some(1), Some(10_000)), T0)).len(), 3);
    let max = i64::from(i32::MAX);
    assert_eq!(names(&call(&sb, &list(Some(1), Some(max)), T0)).len(), 3);
    assert!(names(&call(&sb, &list(Some(max), Some(max)), T0)).is_empty());
    for (number, size, field) in [
        (Some(1), Some(0), "PageSize"),
        (Some(1), Some(-5), "PageSize"),
        (Some(0), Some(10), "PageNumber"),
        (Some(-1), None, "PageNumber"),
    ] {
        let r = call(&sb, &list(number, size), T0);
        assert_eq!(
            code(&r),
            (400, "InvalidParameter".into()),
            "{number:?} {size:?}"
        );
        let message = r.body_json()["Message"].as_str().unwrap_or("").to_string();
        assert!(message.contains(field), "{message}");
    }
}

/// No vendor documents when a daily quota resets (issue 12, rule 10), and ESA has no preload
/// quota API: a job over the quota defers what the vendor refuses and probes with one deferred
/// batch on the re-read schedule, going on as soon as the sandbox's quota is back — each URL
/// accepted exactly once, the job finished within one re-read interval of the reset.
#[test]
fn deferred_esa_job_resumes_when_the_sandbox_quota_comes_back() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.esa_preload_daily = 300;
    let sb = Sandbox::new(cfg);
    let reset = sb.next_quota_reset(T0);
    let options = JobOptions::default();
    let every = options.quota_recheck_ms;
    let list: Vec<String> = (0..500)
        .map(|i| format!("https://www.example.com/deferred/{i}.js"))
        .collect();
    let mut job = Job::new(spec(options), list, 5, T0);
    let (end, seen) = drive(&mut job, &sb, |_| false);
    let p = job.progress(end);
    assert_eq!((p.succeeded, p.deferred, p.failed), (500, 0, 0), "{p:?}");
    assert!(end > reset, "the last URLs could only go after the reset");
    // within one re-read interval of the reset (plus sending and tracking on the sandbox clock)
    assert!(
        end < reset + every + 10 * 60_000,
        "finished {} ms after the reset",
        end - reset
    );
    assert!(
        seen.codes.keys().any(|c| c.contains("Quota")),
        "the sandbox refused over its quota: {:?}",
        seen.codes
    );
    // probes are paced by the re-read interval, not a loop: at most one per interval until the
    // reset, plus the batches that go through after it
    let probes_bound = ((reset - T0) / every + 2) as u64 + 10;
    assert!(
        seen.actions["PreloadCaches"] <= probes_bound,
        "{} PreloadCaches calls for 500 URLs ({probes_bound} allowed)",
        seen.actions["PreloadCaches"]
    );
    check_once(&job, &sb, 500);
}
