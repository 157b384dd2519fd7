//! The sandbox's purge family for issue 15 and its cache model: CDN PurgeUrlsCache /
//! PurgePathCache go processing → done, are found by DescribePurgeTasks, spend the per-area
//! quota DescribePurgeQuota reports and refuse beyond their caps with the vendor's codes; a
//! prefetch warms a URL, a purge invalidates it, and a purge completing after a prefetch of the
//! same URL wipes it (the race a refresh job must avoid).

use edgewarm::vendor::{cdn, edgeone, esa, esa_purge_tracking};
use edgewarm::{sign, Call, Credentials, Endpoint, HttpRequest, SigningParams, Site};
use edgewarm_sandbox::config::*;
use edgewarm_sandbox::{Sandbox, SandboxConfig};
use serde_json::Value;

const T0: i64 = 1_700_000_000_000;

/// Builds `op` for `endpoint`, signs it with `creds` at `now_ms`, and returns the sandbox's answer.
fn signed_answer<C: Call>(
    sb: &Sandbox,
    op: &C,
    endpoint: &Endpoint,
    creds: &Credentials,
    now_ms: i64,
) -> Value {
    let mut req: HttpRequest = op.build(endpoint);
    sign::sign_request(
        &mut req,
        C::SERVICE,
        creds,
        &SigningParams::new(now_ms / 1000, format!("n{now_ms}")),
    )
    .unwrap();
    sb.handle(&req, now_ms).body_json()
}

/// A Tencent call on the China site: the answer's `Response`.
fn call<C: Call>(sb: &Sandbox, op: &C, now_ms: i64) -> Value {
    let endpoint = Endpoint::tencent(C::SERVICE, Site::China);
    let creds = Credentials::new(TENCENT_SECRET_ID, TENCENT_SECRET_KEY);
    signed_answer(sb, op, &endpoint, &creds, now_ms)["Response"].clone()
}

/// An ESA call in cn-hangzhou: the whole answer (ESA has no `Response` wrapper).
fn esa_call<C: Call>(sb: &Sandbox, op: &C, now_ms: i64) -> Value {
    let endpoint = Endpoint::esa("cn-hangzhou").unwrap();
    let creds = Credentials::new(ALIBABA_ACCESS_KEY_ID, ALIBABA_ACCESS_KEY_SECRET);
    signed_answer(sb, op, &endpoint, &creds, now_ms)
}

fn code(v: &Value) -> String {
    v["Error"]["Code"].as_str().unwrap_or("").to_string()
}

fn urls(n: usize, tag: &str) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://www.example.com/{tag}/{i}.js"))
        .collect()
}

fn purge_urls(u: &[String]) -> cdn::PurgeUrlsCache {
    cdn::PurgeUrlsCache {
        urls: Some(u.to_vec()),
        ..Default::default()
    }
}

fn push(u: &[String]) -> cdn::PushUrlsCache {
    cdn::PushUrlsCache {
        urls: Some(u.to_vec()),
        ..Default::default()
    }
}

fn task_done_ms(sb: &Sandbox) -> i64 {
    sb.config().limits.task_seconds as i64 * 1000
}

#[test]
fn cdn_url_purge_lifecycle_is_tracked_by_describe_purge_tasks() {
    let sb = Sandbox::new(SandboxConfig::default());
    let u = urls(3, "a");
    let out = call(&sb, &purge_urls(&u), T0);
    let task = out["TaskId"].as_str().expect("a task id").to_string();
    let describe = cdn::CdnDescribePurgeTasks {
        task_id: Some(task.clone()),
        ..Default::default()
    };
    let during = call(&sb, &describe, T0 + 1);
    assert_eq!(during["TotalCount"], 3);
    for row in during["PurgeLogs"].as_array().unwrap() {
        assert_eq!(row["Status"], "process");
        assert_eq!(row["PurgeType"], "url");
        assert_eq!(row["TaskId"], task.as_str());
    }
    let after = call(&sb, &describe, T0 + task_done_ms(&sb));
    let statuses: Vec<_> = after["PurgeLogs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(statuses, ["done", "done", "done"]);
    let path = cdn::PurgePathCache {
        paths: Some(vec!["https://www.example.com/a/".into()]),
        flush_type: Some("flush".into()),
        ..Default::default()
    };
    let out = call(&sb, &path, T0 + 10);
    assert!(out["TaskId"].is_string(), "{out}");
    let by_type = cdn::CdnDescribePurgeTasks {
        purge_type: Some("path".into()),
        start_time: Some("2023-11-14 00:00:00".into()),
        ..Default::default()
    };
    let paths = call(&sb, &by_type, T0 + 20);
    assert_eq!(paths["TotalCount"], 1);
    assert_eq!(paths["PurgeLogs"][0]["FlushType"], "flush");
}

#[test]
fn cdn_purge_caps_and_quotas_answer_with_the_vendor_codes() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.cdn_purge_url_batch = 5;
    cfg.limits.cdn_purge_url_daily = 8;
    cfg.limits.cdn_purge_path_batch = 2;
    cfg.limits.cdn_purge_path_daily = 3;
    let sb = Sandbox::new(cfg);
    assert!(call(&sb, &purge_urls(&urls(5, "b")), T0)["TaskId"].is_string());
    assert_eq!(
        code(&call(&sb, &purge_urls(&urls(6, "b")), T0)),
        "LimitExceeded.CdnPurgeUrlExceedBatchLimit"
    );
    assert!(call(&sb, &purge_urls(&urls(3, "c")), T0)["TaskId"].is_string());
    assert_eq!(
        code(&call(&sb, &purge_urls(&urls(1, "d")), T0)),
        "LimitExceeded.CdnPurgeUrlExceedDayLimit"
    );
    // the other area has its own quota
    let overseas = cdn::PurgeUrlsCache {
        area: Some("overseas".into()),
        ..purge_urls(&urls(1, "d"))
    };
    assert!(call(&sb, &overseas, T0)["TaskId"].is_string());
    let paths = |n: usize| cdn::PurgePathCache {
        paths: Some(
            (0..n)
                .map(|i| format!("https://www.example.com/p{i}/"))
                .collect(),
        ),
        flush_type: Some("delete".into()),
        ..Default::default()
    };
    assert_eq!(
        code(&call(&sb, &paths(3), T0)),
        "LimitExceeded.CdnPurgePathExceedBatchLimit"
    );
    assert!(call(&sb, &paths(2), T0)["TaskId"].is_string());
    assert_eq!(
        code(&call(&sb, &paths(2), T0)),
        "LimitExceeded.CdnPurgePathExceedDayLimit"
    );
    let quota = call(&sb, &cdn::DescribePurgeQuota {}, T0);
    assert_eq!(quota["UrlPurge"][0]["Area"], "mainland");
    assert_eq!(quota["UrlPurge"][0]["Batch"], 5);
    assert_eq!(quota["UrlPurge"][0]["Total"], 8);
    assert_eq!(quota["UrlPurge"][0]["Available"], 0);
    assert_eq!(quota["UrlPurge"][1]["Available"], 7);
    assert_eq!(quota["PathPurge"][0]["Available"], 1);
    let wildcard = purge_urls(&["https://*.example.com/a".to_string()]);
    assert_eq!(
        code(&call(&sb, &wildcard, T0)),
        "InvalidParameter.CdnPurgeWildcardNotAllowed"
    );
}

#[test]
fn prefetch_warms_and_a_purge_invalidates() {
    let sb = Sandbox::new(SandboxConfig::default());
    let done = task_done_ms(&sb);
    let u = urls(1, "w");
    assert!(!sb.is_warm(&u[0], T0));
    call(&sb, &push(&u), T0);
    assert!(!sb.is_warm(&u[0], T0 + 1), "still processing");
    assert!(sb.is_warm(&u[0], T0 + done));
    // purged after the prefetch completed: cold once the purge completes
    call(&sb, &purge_urls(&u), T0 + done + 1);
    assert!(sb.is_warm(&u[0], T0 + done + 2), "the purge is processing");
    assert!(!sb.is_warm(&u[0], T0 + 2 * done + 1));
    // purge first, prefetch after the purge completed: warm
    call(&sb, &push(&u), T0 + 2 * done + 2);
    assert!(sb.is_warm(&u[0], T0 + 3 * done + 2));
    // a directory purge covers the URL, another URL is untouched
    let other = "https://www.example.com/other.js".to_string();
    call(&sb, &push(std::slice::from_ref(&other)), T0 + 3 * done + 3);
    let dir = cdn::PurgePathCache {
        paths: Some(vec!["https://www.example.com/w/".into()]),
        flush_type: Some("delete".into()),
        ..Default::default()
    };
    call(&sb, &dir, T0 + 4 * done + 3);
    assert!(!sb.is_warm(&u[0], T0 + 5 * done + 3));
    assert!(sb.is_warm(&other, T0 + 5 * done + 3));
}

#[test]
fn a_purge_completing_after_a_prefetch_of_the_same_url_wipes_it() {
    let sb = Sandbox::new(SandboxConfig::default());
    let done = task_done_ms(&sb);
    let u = urls(1, "race");
    // the user's race: the purge is sent, the prefetch is sent before the purge is done; the
    // prefetch completes first, the purge completes later and wipes it
    call(&sb, &purge_urls(&u), T0 + 500);
    call(&sb, &push(&u), T0);
    assert!(sb.is_warm(&u[0], T0 + done), "warm for a moment");
    assert!(
        !sb.is_warm(&u[0], T0 + 500 + done),
        "wiped by the later purge"
    );
    // the same race on EdgeOne: a purge_url completing after the prefetch
    let teo_url = "https://www.example.com/teo.js".to_string();
    let prefetch = edgeone::CreatePrefetchTask {
        zone_id: Some("zone-sandbox".into()),
        targets: Some(vec![teo_url.clone()]),
        ..Default::default()
    };
    let purge = edgeone::CreatePurgeTask {
        zone_id: Some("zone-sandbox".into()),
        kind: Some("purge_url".into()),
        targets: Some(vec![teo_url.clone()]),
        ..Default::default()
    };
    let p = call(&sb, &prefetch, T0);
    assert!(p["JobId"].is_string(), "{p}");
    let q = call(&sb, &purge, T0 + 100);
    assert!(q["JobId"].is_string(), "{q}");
    assert!(sb.is_warm(&teo_url, T0 + done));
    assert!(!sb.is_warm(&teo_url, T0 + 100 + done));
}

fn esa_purge(files: &[String]) -> esa::PurgeCaches {
    esa::PurgeCaches {
        site_id: Some(100000001),
        kind: Some("file".into()),
        content: Some(esa::PurgeContent {
            files: Some(files.to_vec()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The ESA purge quota of the sandbox's site for one kind of purge (`file`, `directory`, …).
fn esa_purge_quota(sb: &Sandbox, kind: &str, now_ms: i64) -> Value {
    let op = esa_purge_tracking::GetPurgeQuota {
        site_id: Some(100000001),
        kind: Some(kind.into()),
    };
    esa_call(sb, &op, now_ms)
}

#[test]
fn esa_purges_are_tracked_and_counted_against_the_quota() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.esa_purge_daily = 4;
    let sb = Sandbox::new(cfg);
    let done = task_done_ms(&sb);
    let u = urls(3, "esa");
    let out = esa_call(&sb, &esa_purge(&u), T0);
    let task = out["TaskId"].as_str().expect("a task id").to_string();
    let describe = esa_purge_tracking::EsaDescribePurgeTasks {
        site_id: Some(100000001),
        kind: Some("file".into()),
        content: Some(u[0].clone()),
        ..Default::default()
    };
    let during = esa_call(&sb, &describe, T0 + 1);
    assert_eq!(during["TotalCount"], 1, "{during}");
    assert_eq!(during["Tasks"][0]["Status"], "Refreshing");
    assert_eq!(during["Tasks"][0]["TaskId"], task.as_str());
    let after = esa_call(&sb, &describe, T0 + done);
    assert_eq!(after["Tasks"][0]["Status"], "Complete");
    assert_eq!(after["Tasks"][0]["Process"], "100%");
    let quota = esa_purge_quota(&sb, "file", T0 + done);
    assert_eq!(quota["Quota"], "4");
    assert_eq!(quota["Usage"], "3");
    assert_eq!(quota["Quota30Day"], "200000");
    assert_eq!(quota["Usage30Day"], "3");
    let other = esa_purge_quota(&sb, "directory", T0 + done);
    assert_eq!(other["Usage"], "0");
    let over = esa_call(&sb, &esa_purge(&urls(2, "more")), T0 + done);
    assert_eq!(over["Code"], "QuotaExceeded", "{over}");
    let bad = esa_call(
        &sb,
        &esa_purge_tracking::EsaDescribePurgeTasks {
            site_id: Some(100000001),
            page_size: Some(51),
            ..Default::default()
        },
        T0,
    );
    assert_eq!(bad["Code"], "InvalidParameter", "{bad}");
}

#[test]
fn an_esa_purge_completing_after_a_preload_wipes_it() {
    let sb = Sandbox::new(SandboxConfig::default());
    let done = task_done_ms(&sb);
    let u = urls(1, "esa-race");
    let preload = esa::PreloadCaches {
        site_id: Some(100000001),
        content: Some(u.clone()),
        ..Default::default()
    };
    assert!(esa_call(&sb, &preload, T0)["TaskId"].is_string());
    esa_call(&sb, &esa_purge(&u), T0 + 300);
    assert!(sb.is_warm(&u[0], T0 + done));
    assert!(!sb.is_warm(&u[0], T0 + 300 + done));
}
