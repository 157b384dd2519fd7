//! The sandbox driven through its sans-IO entry point with requests built and signed by the
//! core: every vendor's happy path, lifecycles over a manual clock, and the vendor error codes.

use edgewarm::vendor::{cdn, edgeone, esa};
use edgewarm::{sign, Call, Credentials, Endpoint, HttpRequest, Service, SigningParams, Site};
use edgewarm_sandbox::config::*;
use edgewarm_sandbox::{Reply, Sandbox, SandboxConfig};
use serde_json::{json, Value};

const T0: i64 = 1_700_000_000_000;

fn tencent() -> Credentials {
    Credentials::new(TENCENT_SECRET_ID, TENCENT_SECRET_KEY)
}

fn alibaba() -> Credentials {
    Credentials::new(ALIBABA_ACCESS_KEY_ID, ALIBABA_ACCESS_KEY_SECRET)
}

fn call<C: Call>(sb: &Sandbox, op: &C, now_ms: i64) -> Reply {
    call_with(
        sb,
        op,
        now_ms,
        now_ms,
        &if C::SERVICE == Service::Esa {
            alibaba()
        } else {
            tencent()
        },
    )
}

fn call_with<C: Call>(
    sb: &Sandbox,
    op: &C,
    signed_ms: i64,
    now_ms: i64,
    creds: &Credentials,
) -> Reply {
    let endpoint = match C::SERVICE {
        Service::Esa => Endpoint::esa("cn-hangzhou").unwrap(),
        s => Endpoint::tencent(s, Site::China),
    };
    let mut req: HttpRequest = op.build(&endpoint);
    let nonce = format!("nonce-{signed_ms}-{}", req.body.len());
    sign::sign_request(
        &mut req,
        C::SERVICE,
        creds,
        &SigningParams::new(signed_ms / 1000, nonce),
    )
    .unwrap();
    sb.handle(&req, now_ms)
}

fn tc_ok(r: &Reply) -> Value {
    let v = r.body_json();
    assert!(v["Response"]["Error"].is_null(), "unexpected error {v}");
    v["Response"].clone()
}

fn tc_code(r: &Reply) -> String {
    r.body_json()["Response"]["Error"]["Code"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn ali_code(r: &Reply) -> (u16, String) {
    (
        r.status,
        r.body_json()["Code"].as_str().unwrap_or("").to_string(),
    )
}

fn prefetch(urls: &[&str]) -> edgeone::CreatePrefetchTask {
    edgeone::CreatePrefetchTask {
        zone_id: Some("zone-sandbox".into()),
        targets: Some(urls.iter().map(|s| s.to_string()).collect()),
        ..Default::default()
    }
}

#[test]
fn edgeone_prefetch_lifecycle_with_failures_and_filters() {
    let sb = Sandbox::new(SandboxConfig::default());
    let r = tc_ok(&call(
        &sb,
        &prefetch(&[
            "https://www.example.com/a.js",
            "https://static.example.com/fail/b.js",
            "https://www.example.com/missing/c.js",
        ]),
        T0,
    ));
    let job = r["JobId"].as_str().unwrap().to_string();
    let describe = |now: i64, filters: Value| {
        let op: edgeone::DescribePrefetchTasks = serde_json::from_value(json!({
            "ZoneId": "zone-sandbox", "StartTime": "2023-11-14T00:00:00Z", "EndTime": "2023-11-15T00:00:00Z",
            "Filters": filters,
        }))
        .unwrap();
        tc_ok(&call(&sb, &op, now))
    };
    let early = describe(T0 + 1000, json!([{"Name": "job-id", "Values": [job]}]));
    assert_eq!(early["TotalCount"], 3);
    assert!(early["Tasks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["Status"] == "processing"));
    let late = describe(T0 + 10_000, json!([]));
    let by_target = |t: &str| {
        late["Tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["Target"] == t)
            .unwrap()
            .clone()
    };
    assert_eq!(
        by_target("https://www.example.com/a.js")["Status"],
        "success"
    );
    let failed = by_target("https://static.example.com/fail/b.js");
    assert_eq!(failed["Status"], "failed");
    assert_eq!(failed["FailType"], "originPullFailed");
    assert_eq!(
        by_target("https://www.example.com/missing/c.js")["Status"],
        "invalid"
    );
    let only_failed = describe(
        T0 + 10_000,
        json!([{"Name": "statuses", "Values": ["failed"]}]),
    );
    assert_eq!(only_failed["TotalCount"], 1);
    let paged: edgeone::DescribePrefetchTasks = serde_json::from_value(json!({
        "ZoneId": "zone-sandbox", "StartTime": "2023-11-14T00:00:00Z", "EndTime": "2023-11-15T00:00:00Z",
        "Offset": 1, "Limit": 1})).unwrap();
    let p = tc_ok(&call(&sb, &paged, T0 + 10_000));
    assert_eq!(
        (
            p["TotalCount"].as_i64(),
            p["Tasks"].as_array().unwrap().len()
        ),
        (Some(3), 1)
    );
    // the typed parser reads the sandbox's answers
    let parsed = edgewarm::response::parse::<edgeone::DescribePrefetchTasks>(
        200,
        &call(&sb, &paged, T0 + 10_000).body,
    )
    .unwrap();
    assert_eq!(parsed.total_count, Some(3));
}

#[test]
fn edgeone_errors_and_quota() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.teo_prefetch_batch = 2;
    cfg.limits.teo_prefetch_daily = 3;
    let sb = Sandbox::new(cfg);
    assert_eq!(
        tc_code(&call(&sb, &prefetch(&["https://other.example.org/a"]), T0)),
        "InvalidParameter.DomainNotFound"
    );
    let three = prefetch(&[
        "https://www.example.com/1",
        "https://www.example.com/2",
        "https://www.example.com/3",
    ]);
    assert_eq!(tc_code(&call(&sb, &three, T0)), "LimitExceeded.BatchQuota");
    tc_ok(&call(
        &sb,
        &prefetch(&["https://www.example.com/1", "https://www.example.com/2"]),
        T0,
    ));
    let quota = tc_ok(&call(
        &sb,
        &edgeone::DescribeContentQuota {
            zone_id: Some("zone-sandbox".into()),
        },
        T0,
    ));
    assert_eq!(quota["PrefetchQuota"][0]["DailyAvailable"], 1);
    let two = prefetch(&["https://www.example.com/4", "https://www.example.com/5"]);
    assert_eq!(tc_code(&call(&sb, &two, T0)), "LimitExceeded.DailyQuota");
    // next UTC day: quota back
    tc_ok(&call(&sb, &two, T0 + 86_400_000));
    // signatures
    let wrong = Credentials::new(TENCENT_SECRET_ID, "nope");
    assert_eq!(
        tc_code(&call_with(&sb, &two, T0, T0, &wrong)),
        "AuthFailure.SignatureFailure"
    );
    assert_eq!(
        tc_code(&call_with(&sb, &two, T0, T0 + 301_000, &tencent())),
        "AuthFailure.SignatureExpire"
    );
    let unknown = Credentials::new("AKIDunknown", "x");
    assert_eq!(
        tc_code(&call_with(&sb, &two, T0, T0, &unknown)),
        "AuthFailure.SecretIdNotFound"
    );
    let bad_zone = edgeone::DescribeContentQuota {
        zone_id: Some("zone-nope".into()),
    };
    assert_eq!(tc_code(&call(&sb, &bad_zone, T0)), "ResourceNotFound");
}

#[test]
fn rate_limit_per_api_and_credential() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.rate_per_sec = 5;
    cfg.limits.burst = 5;
    let sb = Sandbox::new(cfg);
    let q = cdn::DescribePushQuota {};
    let codes: Vec<String> = (0..7).map(|_| tc_code(&call(&sb, &q, T0))).collect();
    assert_eq!(codes.iter().filter(|c| c.is_empty()).count(), 5);
    assert_eq!(codes[6], "RequestLimitExceeded");
    assert_eq!(
        tc_code(&call(&sb, &q, T0 + 1000)),
        "",
        "refilled after a second"
    );
    assert_eq!(
        tc_code(&call(&sb, &prefetch(&["https://www.example.com/x"]), T0)),
        "",
        "other API has its own bucket"
    );
}

#[test]
fn cdn_push_flow() {
    let sb = Sandbox::new(SandboxConfig::default());
    let push = cdn::PushUrlsCache {
        urls: Some(vec![
            "https://www.example.com/a.png".into(),
            "https://www.example.com/fail/b.png".into(),
        ]),
        area: Some("global".into()),
        ..Default::default()
    };
    let task = tc_ok(&call(&sb, &push, T0))["TaskId"]
        .as_str()
        .unwrap()
        .to_string();
    let quota = tc_ok(&call(&sb, &cdn::DescribePushQuota {}, T0));
    // the documented default: 1000 per area and day (PushUrlsCache API page)
    assert_eq!(quota["UrlPush"][0]["Total"], 1000);
    assert_eq!(quota["UrlPush"][0]["Available"], 998);
    assert_eq!(
        quota["UrlPush"][1]["Available"], 998,
        "global counts against both areas"
    );
    let describe = cdn::DescribePushTasks {
        task_id: Some(task),
        ..Default::default()
    };
    let logs = tc_ok(&call(&sb, &describe, T0 + 6000));
    let statuses: Vec<&str> = logs["PushLogs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["Status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 2);
    assert!(statuses.contains(&"done") && statuses.contains(&"fail"));
    let wildcard = cdn::PushUrlsCache {
        urls: Some(vec!["https://*.example.com/a".into()]),
        ..Default::default()
    };
    assert_eq!(
        tc_code(&call(&sb, &wildcard, T0)),
        "InvalidParameter.CdnPushWildcardNotAllowed"
    );
    let foreign = cdn::PushUrlsCache {
        urls: Some(vec!["https://nope.example.org/a".into()]),
        ..Default::default()
    };
    assert_eq!(
        tc_code(&call(&sb, &foreign, T0)),
        "ResourceNotFound.CdnHostNotExists"
    );
    let urls: Vec<String> = (0..501)
        .map(|i| format!("https://www.example.com/{i}"))
        .collect();
    let big = cdn::PushUrlsCache {
        urls: Some(urls),
        ..Default::default()
    };
    assert_eq!(
        tc_code(&call(&sb, &big, T0)),
        "LimitExceeded.CdnPushExceedBatchLimit"
    );
}

#[test]
fn esa_preload_and_describe() {
    let sb = Sandbox::new(SandboxConfig::default());
    let op = esa::PreloadCaches {
        site_id: Some(100000001),
        content: Some(vec![
            "https://www.example.com/a.js".into(),
            "https://www.example.com/fail/x".into(),
        ]),
        headers: None,
    };
    let r = call(&sb, &op, T0);
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let out = edgewarm::response::parse::<esa::PreloadCaches>(r.status, &r.body).unwrap();
    assert!(out.task_id.is_some());
    let d = esa::DescribePreloadTasks {
        site_id: Some(100000001),
        ..Default::default()
    };
    let r = call(&sb, &d, T0 + 1000);
    let tasks = edgewarm::response::parse::<esa::DescribePreloadTasks>(r.status, &r.body).unwrap();
    assert!(tasks.tasks.iter().all(|t| t.status == "Refreshing"));
    let r = call(&sb, &d, T0 + 6000);
    let tasks = edgewarm::response::parse::<esa::DescribePreloadTasks>(r.status, &r.body).unwrap();
    let mut st: Vec<&str> = tasks.tasks.iter().map(|t| t.status.as_str()).collect();
    st.sort();
    assert_eq!(st, vec!["Complete", "Failed"]);
    let foreign = esa::PreloadCaches {
        site_id: Some(100000001),
        content: Some(vec!["https://x.org/a".into()]),
        headers: None,
    };
    assert_eq!(
        ali_code(&call(&sb, &foreign, T0)),
        (400, "InvalidParameter.RecordNotBelongToSite".into())
    );
    let wrong = Credentials::new(ALIBABA_ACCESS_KEY_ID, "bad");
    assert_eq!(
        ali_code(&call_with(&sb, &op, T0, T0, &wrong)),
        (400, "SignatureDoesNotMatch".into())
    );
    assert_eq!(
        ali_code(&call_with(&sb, &op, T0, T0 + 16 * 60_000, &alibaba())).1,
        "InvalidTimeStamp.Expired"
    );
}

#[test]
fn esa_scheduled_job_advances_in_slices() {
    let sb = Sandbox::new(SandboxConfig::default());
    let urls: Vec<String> = (0..10)
        .map(|i| format!("https://www.example.com/f{i}.js"))
        .collect();
    let mut list = urls.join("\n");
    list.push_str("\nhttps://elsewhere.example.org/x");
    let create = esa::CreateScheduledPreloadJob {
        insert_way: Some("textBox".into()),
        name: Some("nightly".into()),
        site_id: Some(100000001),
        url_list: Some(list),
        oss_url: None,
    };
    let r = call(&sb, &create, T0);
    let job = edgewarm::response::parse::<esa::CreateScheduledPreloadJob>(r.status, &r.body)
        .unwrap()
        .job;
    assert_eq!(
        (job.url_count, job.url_submitted, job.task_submitted),
        (Some(11), Some(10), Some(0))
    );
    assert_eq!(job.error_info.as_deref(), Some("InvalidDomain"));
    let plans = esa::CreateScheduledPreloadExecutions {
        id: Some(job.id.clone()),
        executions: Some(vec![esa::Execution {
            start_time: Some("2023-11-14T22:15:00Z".into()), // T0 + 100 s
            end_time: None,
            interval: Some(60),
            slice_len: Some(3),
        }]),
    };
    let r = call(&sb, &plans, T0);
    let created =
        edgewarm::response::parse::<esa::CreateScheduledPreloadExecutions>(r.status, &r.body)
            .unwrap();
    assert_eq!(created.success_count, Some(1));
    let plan = created.success_executions[0].id.clone();
    assert_eq!(
        created.success_executions[0].status.as_deref(),
        Some("waiting")
    );
    let get = esa::GetScheduledPreloadJob::new(job.id.clone());
    let submitted = |now: i64| {
        let r = call(&sb, &get, now);
        edgewarm::response::parse::<esa::GetScheduledPreloadJob>(r.status, &r.body)
            .unwrap()
            .job
            .task_submitted
    };
    assert_eq!(submitted(T0 + 99_000), Some(0));
    assert_eq!(submitted(T0 + 100_000), Some(3));
    assert_eq!(submitted(T0 + 160_000), Some(6));
    // stop freezes progress, start resumes
    assert_eq!(
        call(
            &sb,
            &esa::StopScheduledPreloadExecution::new(plan.clone()),
            T0 + 170_000
        )
        .status,
        200
    );
    assert_eq!(submitted(T0 + 400_000), Some(6));
    assert_eq!(
        call(
            &sb,
            &esa::StartScheduledPreloadExecution::new(plan.clone()),
            T0 + 400_000
        )
        .status,
        200
    );
    assert_eq!(submitted(T0 + 460_000), Some(9));
    assert_eq!(
        submitted(T0 + 520_000),
        Some(10),
        "capped at the accepted URLs"
    );
    let r = call(
        &sb,
        &esa::ListScheduledPreloadExecutions::new(job.id.clone()),
        T0 + 520_000,
    );
    let list = edgewarm::response::parse::<esa::ListScheduledPreloadExecutions>(r.status, &r.body)
        .unwrap();
    assert_eq!(list.executions[0].status.as_deref(), Some("finished"));
    // reset restarts progress
    assert_eq!(
        call(
            &sb,
            &esa::ResetScheduledPreloadJob::new(job.id.clone()),
            T0 + 600_000
        )
        .status,
        200
    );
    assert_eq!(submitted(T0 + 600_000), Some(3));
    // update, list jobs, delete
    let upd = esa::UpdateScheduledPreloadExecution {
        id: Some(plan.clone()),
        slice_len: Some(5),
        ..Default::default()
    };
    assert_eq!(call(&sb, &upd, T0 + 600_000).status, 200);
    let lj = esa::ListScheduledPreloadJobs {
        site_id: Some(100000001),
        ..Default::default()
    };
    let r = call(&sb, &lj, T0 + 600_000);
    assert_eq!(
        edgewarm::response::parse::<esa::ListScheduledPreloadJobs>(r.status, &r.body)
            .unwrap()
            .total_count,
        Some(1)
    );
    assert_eq!(
        call(
            &sb,
            &esa::DeleteScheduledPreloadExecution::new(plan.clone()),
            T0 + 600_000
        )
        .status,
        200
    );
    assert_eq!(
        ali_code(&call(
            &sb,
            &esa::StopScheduledPreloadExecution::new(plan),
            T0 + 600_000
        )),
        (404, "InvalidExecution.NotFound".into())
    );
    assert_eq!(
        call(
            &sb,
            &esa::DeleteScheduledPreloadJob::new(job.id.clone()),
            T0 + 600_000
        )
        .status,
        200
    );
    assert_eq!(
        ali_code(&call(&sb, &get, T0 + 600_000)),
        (404, "InvalidJob.NotFound".into())
    );
    let missing = esa::CreateScheduledPreloadJob {
        insert_way: Some("textBox".into()),
        name: Some("n".into()),
        site_id: Some(100000001),
        ..Default::default()
    };
    assert_eq!(
        ali_code(&call(&sb, &missing, T0)),
        (400, "MissingUrlList".into())
    );
}

#[test]
fn unknown_hosts_and_methods() {
    let sb = Sandbox::new(SandboxConfig::default());
    let req = HttpRequest::new(edgewarm::Method::Post, "evil.example.com");
    assert_eq!(sb.handle(&req, T0).status, 404);
}
