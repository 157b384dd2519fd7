//! A refresh's quota planning seen from the engine alone, with canned vendor answers: both
//! quotas are read before the first purge (EdgeOne in one DescribeContentQuota answer, CDN with
//! DescribePurgeQuota then DescribePushQuota, ESA GetPurgeQuota only), the purges stay within
//! the smaller, the rest is deferred unpurged with a reason naming the short quota, and the plan
//! states both phases' quotas; `retry_failed` keeps the hosts the vendor refused; a version-4
//! journal resumes and a broken `deferredPurges` is refused with the field.

use edgewarm::job::{
    fixtures, Fate, Job, JobKind, JobOptions, Phase, PhaseQuota, Step, JOURNAL_VERSION,
};
use edgewarm::{Credentials, Service};
use serde_json::{json, Value};

const T0: i64 = 1_700_000_000_000;

fn creds() -> Credentials {
    Credentials::new("AKIDFAKE", "fake-secret")
}

fn urls(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://www.example.com/{i}.js"))
        .collect()
}

fn job(service: Service, kind: JobKind, n: usize) -> Job {
    let mut spec = fixtures::spec(service, "AKIDFAKE");
    spec.kind = kind;
    Job::new(spec, urls(n), 1, T0)
}

/// The calls the job sends now: (call id, action, JSON body or query).
fn sends(job: &mut Job, now: i64) -> Vec<(u64, String, Value)> {
    job.next_actions(now, &creds())
        .into_iter()
        .filter_map(|s| match s {
            Step::Send { call_id, request } => {
                let action = request
                    .header("x-tc-action")
                    .or_else(|| request.header("x-acs-action"))
                    .unwrap_or_default()
                    .to_string();
                let body = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
                Some((call_id, action, body))
            }
            _ => None,
        })
        .collect()
}

/// Sends now and expects exactly one call, of `action`; returns its id.
fn one_call(job: &mut Job, now: i64, action: &str) -> u64 {
    let s = sends(job, now);
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].1, action, "{s:?}");
    s[0].0
}

fn tencent(body: Value) -> Vec<u8> {
    let mut b = body;
    b["RequestId"] = json!("r");
    json!({ "Response": b }).to_string().into_bytes()
}

fn teo_quota(purge: i64, prefetch: i64) -> Vec<u8> {
    tencent(json!({
        "PurgeQuota": [{"Type": "purge_url", "Batch": 1000, "Daily": 10000, "DailyAvailable": purge}],
        "PrefetchQuota": [{"Type": "prefetch_url", "Batch": 500, "Daily": 10000, "DailyAvailable": prefetch}],
    }))
}

fn cdn_quota(field: &str, available: i64, batch: i64) -> Vec<u8> {
    tencent(json!({
        field: [{"Area": "mainland", "Batch": batch, "Total": 10000, "Available": available}],
    }))
}

/// The deferred URLs' reasons (all the same), and how many.
fn deferred(job: &Job) -> (usize, String) {
    let reasons: Vec<&str> = job
        .urls()
        .iter()
        .filter_map(|u| match &u.fate {
            Fate::Deferred { reason, .. } => Some(reason.as_str()),
            _ => None,
        })
        .collect();
    let first = reasons.first().map(|r| r.to_string()).unwrap_or_default();
    assert!(reasons.iter().all(|r| *r == first), "{reasons:?}");
    (reasons.len(), first)
}

/// The URLs of the purge submits sent now.
fn purged(s: &[(u64, String, Value)]) -> usize {
    s.iter()
        .map(|(_, _, b)| {
            b["Targets"]
                .as_array()
                .or(b["Urls"].as_array())
                .map_or(0, Vec::len)
        })
        .sum()
}

#[test]
fn edgeone_reads_both_quotas_in_one_answer_and_purges_within_the_prefetch_quota() {
    let mut job = job(Service::Teo, JobKind::Refresh, 10);
    let plan = job.plan_summary();
    assert!(plan.quotas.is_empty(), "nothing read yet: {plan:?}");
    assert_eq!(plan.quota_room, None);
    let id = one_call(&mut job, T0, "DescribeContentQuota");
    job.on_response(id, 200, &teo_quota(100, 7), T0 + 10, None);
    let plan = job.plan_summary();
    assert_eq!(
        plan.quotas,
        vec![
            PhaseQuota {
                phase: Phase::Purge,
                source: "DescribeContentQuota".into(),
                batch: Some(1000),
                remaining: Some(100),
            },
            PhaseQuota {
                phase: Phase::Prefetch,
                source: "DescribeContentQuota".into(),
                batch: Some(500),
                remaining: Some(7),
            },
        ]
    );
    assert_eq!(
        plan.quota_room,
        Some(7),
        "the prefetch quota bounds the purges"
    );
    let json = serde_json::to_value(&plan).expect("serialises");
    assert_eq!(json["quotaRoom"], 7);
    assert_eq!(json["quotas"][1]["phase"], "prefetch");
    assert_eq!(json["quotas"][1]["remaining"], 7);
    let s = sends(&mut job, T0 + 20);
    assert!(s.iter().all(|(_, a, _)| a == "CreatePurgeTask"), "{s:?}");
    assert_eq!(purged(&s), 7);
    let (n, reason) = deferred(&job);
    assert_eq!(n, 3);
    assert_eq!(
        reason,
        "the prefetch quota leaves room for 7 of 10 URLs today: the rest are not purged, so they stay warm until the quota has room again"
    );
    let after = job.plan_summary();
    assert_eq!(after.quota_room, Some(0));
    assert_eq!(after.quotas[0].remaining, Some(93));
    assert_eq!(
        after.quotas[1].remaining,
        Some(0),
        "7 purged: 7 prefetches ahead"
    );
}

#[test]
fn cdn_reads_the_push_quota_after_the_purge_quota_and_before_any_purge() {
    let mut job = job(Service::Cdn, JobKind::Refresh, 10);
    let id = one_call(&mut job, T0, "DescribePurgeQuota");
    job.on_response(id, 200, &cdn_quota("UrlPurge", 4, 1000), T0 + 10, None);
    assert_eq!(
        job.plan_summary().quota_room,
        Some(4),
        "the purge quota alone so far"
    );
    // no purge before the prefetch quota is read
    let id = one_call(&mut job, T0 + 20, "DescribePushQuota");
    job.on_response(id, 200, &cdn_quota("UrlPush", 50, 500), T0 + 30, None);
    let plan = job.plan_summary();
    let sources: Vec<(Phase, &str, Option<u64>)> = plan
        .quotas
        .iter()
        .map(|q| (q.phase, q.source.as_str(), q.remaining))
        .collect();
    assert_eq!(
        sources,
        vec![
            (Phase::Purge, "DescribePurgeQuota", Some(4)),
            (Phase::Prefetch, "DescribePushQuota", Some(50)),
        ]
    );
    assert_eq!(plan.quota_room, Some(4));
    let s = sends(&mut job, T0 + 40);
    assert!(s.iter().all(|(_, a, _)| a == "PurgeUrlsCache"), "{s:?}");
    assert_eq!(purged(&s), 4);
    let (n, reason) = deferred(&job);
    assert_eq!(n, 6);
    assert!(
        reason.starts_with(
            "the purge quota leaves room for 4 of 10 URLs today: the rest are not purged"
        ),
        "{reason}"
    );
}

#[test]
fn both_quotas_short_alike_are_both_named() {
    let mut job = job(Service::Teo, JobKind::Refresh, 5);
    let id = one_call(&mut job, T0, "DescribeContentQuota");
    job.on_response(id, 200, &teo_quota(2, 2), T0 + 10, None);
    assert_eq!(purged(&sends(&mut job, T0 + 20)), 2);
    let (n, reason) = deferred(&job);
    assert_eq!(n, 3);
    assert!(
        reason.starts_with("the purge and the prefetch quota leave room for 2 of 5 URLs"),
        "{reason}"
    );
}

#[test]
fn esa_reads_the_purge_quota_only_and_other_jobs_state_their_own_phase() {
    let mut esa = job(Service::Esa, JobKind::Refresh, 5);
    let id = one_call(&mut esa, T0, "GetPurgeQuota");
    let body = json!({"RequestId": "r", "Quota": "100", "Usage": "97", "Quota30Day": "0", "Usage30Day": "0"});
    esa.on_response(id, 200, body.to_string().as_bytes(), T0 + 10, None);
    let plan = esa.plan_summary();
    assert_eq!(
        plan.quotas.len(),
        1,
        "ESA has no prefetch quota API: {plan:?}"
    );
    assert_eq!(plan.quotas[0].phase, Phase::Purge);
    assert_eq!(plan.quotas[0].source, "GetPurgeQuota");
    assert_eq!(plan.quota_room, Some(3));
    // a prefetch job states the prefetch quota, and a refresh's prefetch phase reads its own
    let mut prefetch = job(Service::Cdn, JobKind::Prefetch, 5);
    let id = one_call(&mut prefetch, T0, "DescribePushQuota");
    prefetch.on_response(id, 200, &cdn_quota("UrlPush", 9, 500), T0 + 10, None);
    let plan = prefetch.plan_summary();
    assert_eq!(plan.quotas.len(), 1);
    assert_eq!(
        (plan.quotas[0].phase, plan.quotas[0].remaining),
        (Phase::Prefetch, Some(9))
    );
    assert_eq!(plan.quota_room, Some(9));
    // a purge job is bounded by its purge quota only
    let mut purge = job(
        Service::Teo,
        JobKind::Purge {
            purge_type: Default::default(),
        },
        5,
    );
    let id = one_call(&mut purge, T0, "DescribeContentQuota");
    purge.on_response(id, 200, &teo_quota(100, 0), T0 + 10, None);
    let plan = purge.plan_summary();
    assert_eq!(plan.quotas.len(), 1, "{plan:?}");
    assert_eq!(plan.quota_room, Some(100));
    assert_eq!(purged(&sends(&mut purge, T0 + 20)), 5);
}

#[test]
fn retry_failed_keeps_the_refused_hosts_and_spends_no_call_on_them() {
    let options = JobOptions {
        use_quota_api: false,
        ..JobOptions::default()
    };
    let list: Vec<String> = (0..6)
        .map(|i| match i % 2 {
            0 => format!("https://www.example.com/{i}.js"),
            _ => format!("https://locked.example.org/{i}.png"),
        })
        .collect();
    let mut job = Job::new(
        fixtures::spec_with(Service::Cdn, "AKIDFAKE", options),
        list,
        1,
        T0,
    );
    let s = sends(&mut job, T0);
    assert_eq!(s.len(), 1);
    let refusal = tencent(json!({"Error": {
        "Code": "ResourceNotFound.CdnHostNotExists",
        "Message": "域名不存在: locked.example.org"}}));
    job.on_response(s[0].0, 200, &refusal, T0 + 10, None);
    assert!(job.refused_hosts().contains_key("locked.example.org"));
    let mut retry = job.retry_failed(2, T0 + 100);
    assert_eq!(retry.urls().len(), 3);
    assert_eq!(retry.refused_hosts(), job.refused_hosts());
    let steps = retry.next_actions(T0 + 100, &creds());
    assert_eq!(
        steps,
        vec![Step::Done],
        "no call is spent on a known foreign host"
    );
    assert!(retry.urls().iter().all(|u| matches!(
        &u.fate,
        Fate::Failed { code, reason } if code == "ResourceNotFound.CdnHostNotExists" && reason.contains("locked.example.org")
    )));
}

#[test]
fn a_version_4_refresh_journal_resumes_and_purges_within_its_purge_quota() {
    let fresh = job(Service::Cdn, JobKind::Refresh, 4);
    let mut v4: Value = serde_json::from_str(&fresh.journal().expect("journal")).expect("JSON");
    assert_eq!(v4["version"], JOURNAL_VERSION);
    // built from today's schema: version 6 only adds `journalGen` (absent from a whole journal
    // of a job that wrote no snapshot) and the records that may follow
    const { assert!(JOURNAL_VERSION == 6) };
    assert!(v4.get("journalGen").is_none());
    v4["version"] = json!(4);
    // a v4 refresh that had read its purge quota (and no prefetch quota: v4 never did)
    v4["quota"]["checked"] = json!(true);
    v4["quota"]["remaining"] = json!(10);
    let mut old = Job::resume(&v4.to_string()).expect("a version-4 journal resumes");
    assert_eq!(old.phase(), Phase::Purge);
    assert_eq!(old.plan_summary().quota_room, Some(10));
    // no prefetch quota ahead: the purges go within the purge quota (the prefetch phase reads
    // its own); a v4 journal is not made to wait for a read it never planned
    let s = sends(&mut old, T0 + 10);
    assert_eq!(purged(&s), 4, "{s:?}");
}

#[test]
fn a_broken_deferred_purges_list_is_refused_with_the_field() {
    let fresh = job(Service::Teo, JobKind::Refresh, 4);
    let good: Value = serde_json::from_str(&fresh.journal().expect("journal")).expect("JSON");
    let mut out_of_range = good.clone();
    out_of_range["deferredPurges"] = json!([9]);
    let err = Job::resume(&out_of_range.to_string()).unwrap_err();
    assert!(err.to_string().contains("deferredPurges[0]"), "{err}");
    let mut twice = good.clone();
    twice["deferredPurges"] = json!([1, 1]);
    let err = Job::resume(&twice.to_string()).unwrap_err();
    assert!(err.to_string().contains("deferredPurges[1]"), "{err}");
    let prefetch = job(Service::Teo, JobKind::Prefetch, 4);
    let mut v: Value = serde_json::from_str(&prefetch.journal().expect("journal")).expect("JSON");
    v["deferredPurges"] = json!([0]);
    let err = Job::resume(&v.to_string()).unwrap_err();
    assert!(err.to_string().contains("only a refresh"), "{err}");
    // in the prefetch phase the URLs waiting for their purge are in no prefetch batch
    let mut in_batch = v.clone();
    in_batch["spec"]["kind"] = json!({"type": "refresh"});
    let err = Job::resume(&in_batch.to_string()).unwrap_err();
    assert!(err.to_string().contains("in a prefetch batch"), "{err}");
}
