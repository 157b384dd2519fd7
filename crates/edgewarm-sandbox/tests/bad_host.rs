//! A bad host never sinks good URLs: prefetch, purge and refresh jobs on every vendor, driven
//! sans-IO against the sandbox, with URLs of a host the account does not serve mixed into good
//! ones. The sandbox refuses such a batch as each vendor does (EdgeOne
//! `InvalidParameter.DomainNotFound`, CDN `ResourceNotFound.CdnHostNotExists`, ESA
//! `InvalidParameter.RecordNotBelongToSite`), naming the host; a second mode strips the host
//! from the answers, as a vendor whose message names none, so the engine splits by host. Every
//! good URL must succeed, every foreign URL fail with a reason naming the host and the code,
//! the extra calls stay within one per distinct host of the refused batch, no URL is submitted
//! twice, refused calls spend no quota, and a job killed in the middle of the split resumes.

mod common;

use common::creds;

use edgewarm::job::{fixtures, Fate, Job, JobKind, JobSpec, PurgeType, Step, PURGE_FAILED};
use edgewarm::Service;
use edgewarm_sandbox::{Sandbox, SandboxConfig};

/// The sandbox with ESA PurgeCaches refusing foreign records as PreloadCaches does (assumed).
fn sandbox() -> Sandbox {
    Sandbox::new(SandboxConfig {
        esa_purge_checks_records: true,
        ..SandboxConfig::default()
    })
}

const T0: i64 = 1_700_000_000_000;
const FOREIGN: &str = "evil.example.net";

fn spec(service: Service, kind: JobKind) -> JobSpec {
    let mut s = fixtures::spec(service, &creds(service).id);
    s.kind = kind;
    s
}

/// `n` URLs over the sandbox's two hosts, every `every`-th (from the 3rd) on [`FOREIGN`].
fn urls(n: usize, every: usize, tag: &str) -> Vec<String> {
    (0..n)
        .map(|i| match (i % every, i % 2) {
            (3, _) => format!("https://{FOREIGN}/{tag}/{i}.js"),
            (_, 0) => format!("https://www.example.com/{tag}/{i}.js"),
            _ => format!("https://static.example.com/{tag}/{i}.css"),
        })
        .collect()
}

/// The vendor's submit action of a job's phase.
fn submit_action(service: Service, purge: bool) -> &'static str {
    match (service, purge) {
        (Service::Teo, false) => "CreatePrefetchTask",
        (Service::Teo, true) => "CreatePurgeTask",
        (Service::Cdn, false) => "PushUrlsCache",
        (Service::Cdn, true) => "PurgeUrlsCache",
        (Service::Esa, false) => "PreloadCaches",
        (Service::Esa, true) => "PurgeCaches",
    }
}

fn host_code(service: Service) -> &'static str {
    match service {
        Service::Teo => "InvalidParameter.DomainNotFound",
        Service::Cdn => "ResourceNotFound.CdnHostNotExists",
        Service::Esa => "InvalidParameter.RecordNotBelongToSite",
    }
}

/// Runs the job against the sandbox until done, or until `stop_after` sends (a crash: that
/// answer is lost). With `anonymous`, answers never name the foreign host (as a vendor whose
/// message names none). The journal is written before every round of sends into `saved`.
fn drive(
    job: &mut Job,
    sb: &Sandbox,
    now: i64,
    anonymous: bool,
    stop_after: Option<usize>,
    saved: &mut String,
) -> (i64, bool) {
    drive_latent(job, sb, now, anonymous, stop_after, 0, saved)
}

/// [`drive`] where every answer arrives `latency` ms after its request (the sandbox handles it
/// when sent), so that several calls are in flight at once.
fn drive_latent(
    job: &mut Job,
    sb: &Sandbox,
    now: i64,
    anonymous: bool,
    stop_after: Option<usize>,
    latency: i64,
    saved: &mut String,
) -> (i64, bool) {
    let creds = creds(job.spec().target.service());
    let mut now = now;
    let mut sends = 0usize;
    let mut flying: Vec<(i64, u64, edgewarm_sandbox::Reply)> = Vec::new();
    for _ in 0..200_000 {
        // answers due now, in the order they were sent
        while let Some(k) = flying.iter().position(|(at, _, _)| *at <= now) {
            let (_, call_id, reply) = flying.remove(k);
            job.on_response(call_id, reply.status, &reply.body, now, Some(now));
        }
        let actions = job.next_actions(now, &creds);
        *saved = job.journal().expect("journal");
        let mut wait = None;
        for a in actions {
            match a {
                Step::Send { call_id, request } => {
                    sends += 1;
                    let mut reply = sb.handle(&request, now);
                    if stop_after.is_some_and(|s| sends >= s) {
                        return (now, false);
                    }
                    if anonymous {
                        let body = String::from_utf8_lossy(&reply.body).replace(FOREIGN, "");
                        reply.body = body.into_bytes();
                    }
                    flying.push((now + latency, call_id, reply));
                }
                Step::Wait { until_ms } => wait = until_ms,
                Step::Done => return (now, true),
            }
        }
        let due = flying.iter().map(|(at, _, _)| *at).min();
        if due.is_some_and(|d| d <= now) {
            continue;
        }
        let next = match (wait, due) {
            (Some(w), Some(d)) => w.min(d),
            (Some(t), None) | (None, Some(t)) => t,
            (None, None) => now + 1,
        };
        now = next.max(now + 1);
    }
    panic!("job did not finish");
}

/// Every good URL ended `ok` (succeeded), every foreign one failed with the host's reason
/// (after `prefix`); nothing was submitted twice, and the foreign host is remembered.
fn check_fates(job: &Job, sb: &Sandbox, prefix: &str) {
    let service = job.spec().target.service();
    let code = host_code(service);
    for u in job.urls() {
        if u.url.contains(FOREIGN) {
            match &u.fate {
                Fate::Failed(f) => {
                    let (c, reason) = (&f.code, &f.reason);
                    assert_eq!(c, code, "{service} {}", u.url);
                    assert!(
                        reason.starts_with(&format!("{prefix}host {FOREIGN} refused by ")),
                        "{service}: {reason}"
                    );
                    assert!(reason.contains(code), "{service}: {reason}");
                }
                other => panic!("{service} {}: {other:?}", u.url),
            }
        } else {
            assert_eq!(u.fate, Fate::Succeeded, "{service} {}", u.url);
        }
    }
    assert_eq!(
        job.refused_hosts().keys().collect::<Vec<_>>(),
        vec![FOREIGN],
        "{service}"
    );
    let dups: Vec<_> = sb
        .submissions()
        .into_iter()
        .filter(|(_, c)| *c > 1)
        .collect();
    assert!(dups.is_empty(), "{service}: submitted twice: {dups:?}");
    assert!(
        sb.tasks().iter().all(|t| !t.target.contains(FOREIGN)),
        "{service}: no foreign URL was ever accepted"
    );
}

/// Submit calls of `action`, and the calls a job without the foreign host would make: one per
/// `cap` good URLs.
fn submits(job: &Job, action: &str) -> u64 {
    job.action_stats().get(action).map_or(0, |s| s.sent)
}

fn good(job: &Job) -> usize {
    job.urls()
        .iter()
        .filter(|u| !u.url.contains(FOREIGN))
        .count()
}

#[test]
fn prefetch_500_urls_with_one_foreign_host_on_every_vendor() {
    for anonymous in [false, true] {
        for service in Service::ALL {
            let sb = sandbox();
            let list = urls(500, 40, service.name());
            let mut job = Job::new(spec(service, JobKind::Prefetch), list, 3, T0);
            let mut saved = String::new();
            let (_, done) = drive(&mut job, &sb, T0, anonymous, None, &mut saved);
            assert!(done, "{service}");
            check_fates(&job, &sb, "");
            let good = good(&job);
            assert_eq!(job.progress(0).succeeded, good, "{service}");
            assert_eq!(job.progress(0).failed, 500 - good, "{service}");
            // the calls: one per cap of good URLs, plus the refused one, plus (splitting by
            // host) at most one per distinct host of the refused batch
            let cap = job.batch_cap();
            let normal = good.div_ceil(cap) as u64;
            let sent = submits(&job, submit_action(service, false));
            let bound = if anonymous {
                normal + 1 + 3
            } else {
                normal + 1
            };
            assert!(
                sent <= bound,
                "{service} anonymous={anonymous}: {sent} submits, at most {bound}"
            );
            assert!(sent > normal, "{service}: the refused call is counted");
            eprintln!("{service} anonymous={anonymous}: {sent} submits, {normal} without the foreign host");
            // refused calls spend no quota (EdgeOne and CDN read it from their quota API)
            if service != Service::Esa {
                let daily = match service {
                    Service::Teo => sb.config().limits.teo_prefetch_daily,
                    _ => sb.config().limits.cdn_push_daily,
                };
                assert_eq!(
                    job.quota_left(),
                    Some(daily - good as u64),
                    "{service}: the quota counts the good URLs only"
                );
            }
            // the summary names the code, the host and what to do
            let s = job.failure_summary();
            let g = s
                .failed
                .iter()
                .find(|g| g.code == host_code(service))
                .expect("a group of the host's code");
            assert_eq!(g.urls, 500 - good);
            assert!(g.reason.contains(FOREIGN) && g.documented, "{g:?}");
        }
    }
}

#[test]
fn later_batches_leave_the_foreign_host_out_without_a_call() {
    for service in Service::ALL {
        // a daily quota that holds the whole job, so that every batch goes today
        let mut config = SandboxConfig {
            esa_purge_checks_records: true,
            ..SandboxConfig::default()
        };
        config.limits.cdn_push_daily = 100_000;
        let sb = Sandbox::new(config);
        // several batches on every vendor (ESA: 100 URLs per call; CDN: 500)
        let list = urls(2400, 25, service.name());
        let mut job = Job::new(spec(service, JobKind::Prefetch), list, 5, T0);
        let mut saved = String::new();
        let (_, done) = drive(&mut job, &sb, T0, true, None, &mut saved);
        assert!(done, "{service}");
        check_fates(&job, &sb, "");
        let cap = job.batch_cap();
        let normal = good(&job).div_ceil(cap) as u64;
        let sent = submits(&job, submit_action(service, false));
        assert!(
            sent <= normal + 4,
            "{service}: {sent} submits for {normal} batches: the foreign host is refused once"
        );
    }
}

#[test]
fn batches_refused_while_in_flight_together_wait_for_the_probes() {
    for service in Service::ALL {
        let mut config = SandboxConfig {
            esa_purge_checks_records: true,
            ..SandboxConfig::default()
        };
        config.limits.cdn_push_daily = 100_000;
        let sb = Sandbox::new(config);
        let list = urls(2400, 25, service.name());
        let mut job = Job::new(spec(service, JobKind::Prefetch), list, 17, T0);
        let mut saved = String::new();
        // 2 s per answer at 20 calls/s: every planned batch is in flight before the first
        // refusal arrives
        let (_, done) = drive_latent(&mut job, &sb, T0, true, None, 2_000, &mut saved);
        assert!(done, "{service}");
        check_fates(&job, &sb, "");
        let normal = good(&job).div_ceil(job.batch_cap()) as u64;
        let planned = 2400usize.div_ceil(job.batch_cap()) as u64;
        let sent = submits(&job, submit_action(service, false));
        // the refused batches in flight (at most `max_in_flight`), the probes of the first (one
        // per host), then each waiting batch once
        let in_flight = planned.min(job.spec().options.max_in_flight as u64);
        let bound = normal + in_flight + 3;
        eprintln!("{service}: {sent} submits; {normal} without the foreign host; bound {bound}");
        assert!(sent <= bound, "{service}: {sent} > {bound}");
    }
}

#[test]
fn purge_jobs_isolate_the_foreign_host_on_every_vendor() {
    for anonymous in [false, true] {
        for service in Service::ALL {
            let sb = sandbox();
            let list = urls(500, 40, service.name());
            let kind = JobKind::Purge {
                purge_type: PurgeType::Url,
            };
            let mut job = Job::new(spec(service, kind), list, 9, T0);
            let mut saved = String::new();
            let (_, done) = drive(&mut job, &sb, T0, anonymous, None, &mut saved);
            assert!(done, "{service}");
            // a purge job's failures say they are purge failures
            check_fates(&job, &sb, PURGE_FAILED);
            let cap = job.batch_cap();
            let normal = good(&job).div_ceil(cap) as u64;
            let sent = submits(&job, submit_action(service, true));
            let bound = if anonymous { normal + 4 } else { normal + 1 };
            assert!(sent <= bound, "{service}: {sent} > {bound}");
        }
    }
}

#[test]
fn refresh_jobs_purge_and_warm_the_good_urls_only() {
    for service in Service::ALL {
        let sb = sandbox();
        let list = urls(500, 40, service.name());
        let mut job = Job::new(spec(service, JobKind::Refresh), list, 11, T0);
        let mut saved = String::new();
        let (end, done) = drive(&mut job, &sb, T0, true, None, &mut saved);
        assert!(done, "{service}");
        check_fates(&job, &sb, PURGE_FAILED);
        for u in job.urls() {
            assert_eq!(
                sb.is_warm(&u.url, end),
                !u.url.contains(FOREIGN),
                "{service} {}",
                u.url
            );
        }
        // the host refused in the purge phase is never sent to prefetch
        assert!(
            submits(&job, submit_action(service, false))
                <= good(&job).div_ceil(job.batch_cap()) as u64,
            "{service}: {:?}",
            job.action_stats()
        );
    }
}

#[test]
fn a_job_killed_in_the_middle_of_the_split_resumes_from_its_journal() {
    for service in Service::ALL {
        for stop in 1..=7 {
            let sb = sandbox();
            let list = urls(500, 40, service.name());
            let mut job = Job::new(spec(service, JobKind::Prefetch), list, 13, T0);
            let mut saved = String::new();
            let (now, done) = drive(&mut job, &sb, T0, true, Some(stop), &mut saved);
            assert!(!done, "{service} stop {stop}");
            let mut resumed = Job::resume(&saved).expect("the journal resumes");
            let (_, done) = drive(&mut resumed, &sb, now + 1, true, None, &mut saved);
            assert!(done, "{service} stop {stop}");
            check_fates(&resumed, &sb, "");
        }
    }
}

#[test]
fn the_plan_warns_about_hosts_the_sandbox_does_not_serve() {
    let sb = sandbox();
    for service in Service::ALL {
        let job = Job::new(
            spec(service, JobKind::Prefetch),
            urls(100, 10, "plan"),
            1,
            T0,
        );
        let served = sb.served_hosts(&job.spec().target);
        assert_eq!(served, vec!["static.example.com", "www.example.com"]);
        let plan = job.plan_summary_for(Some(&served));
        let hosts: Vec<(&str, usize, Option<bool>)> = plan
            .hosts
            .iter()
            .map(|h| (h.host.as_str(), h.urls, h.served))
            .collect();
        assert_eq!(
            hosts,
            vec![
                ("www.example.com", 50, Some(true)),
                ("static.example.com", 40, Some(true)),
                (FOREIGN, 10, Some(false)),
            ],
            "{service}"
        );
        assert_eq!(plan.warnings.len(), 1);
        assert_eq!(plan.warnings[0].host, FOREIGN);
        assert_eq!(plan.warnings[0].urls, 10);
        assert!(plan.warnings[0].message.contains(FOREIGN));
        // without the served hosts the plan still lists them, unmarked and without warnings
        let plain = job.plan_summary();
        assert!(plain.hosts.iter().all(|h| h.served.is_none()));
        assert!(plain.warnings.is_empty());
    }
}

#[test]
fn after_a_refusal_the_plan_warns_without_being_told() {
    let sb = sandbox();
    let mut job = Job::new(
        spec(Service::Cdn, JobKind::Prefetch),
        urls(100, 10, "after"),
        1,
        T0,
    );
    let mut saved = String::new();
    drive(&mut job, &sb, T0, false, None, &mut saved);
    let plan = Job::resume(&saved).expect("resumes").plan_summary();
    assert_eq!(plan.warnings.len(), 1, "{plan:?}");
    let w = &plan.warnings[0];
    assert_eq!(w.code.as_deref(), Some("ResourceNotFound.CdnHostNotExists"));
    assert!(w.message.contains(FOREIGN), "{}", w.message);
    // the refusal reads in English first, the vendor's Chinese kept after it
    let reason = job
        .urls()
        .iter()
        .find_map(|u| match &u.fate {
            Fate::Failed(f) => Some(f.reason.clone()),
            _ => None,
        })
        .expect("a failed URL");
    assert!(
        reason.contains("The domain was not found in this account's CDN.")
            && reason.contains("未查询到该域名"),
        "{reason}"
    );
}
