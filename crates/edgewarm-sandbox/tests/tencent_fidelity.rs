//! The sandbox as the Tencent clouds' twin for issue 12, and the engine end to end on its
//! drivable clock: the sandbox answers each rule with the vendor's code (EdgeOne quotas per
//! type, `Mode=edge` with its own quota and China site only, raw non-ASCII targets, the
//! deprecated `EncodeUrl`, CDN quotas per area, the simulated quota reset); a non-ASCII EdgeOne
//! job reaches the sandbox percent-encoded without `EncodeUrl`; deferred jobs resume when the
//! sandbox's quota comes back; CDN DescribePushTasks is paged by 100 with `Offset`.

use edgewarm::job::{fixtures, Fate, Job, JobOptions, JobSpec, Step, Target, TransportError};
use edgewarm::vendor::{cdn, edgeone};
use edgewarm::{sign, Call, Credentials, Endpoint, HttpRequest, Service, SigningParams, Site};
use edgewarm_sandbox::config::*;
use edgewarm_sandbox::{Reply, Sandbox, SandboxConfig};
use serde_json::Value;

const T0: i64 = 1_700_000_000_000;

fn creds(service: Service) -> Credentials {
    match service {
        Service::Esa => Credentials::new(ALIBABA_ACCESS_KEY_ID, ALIBABA_ACCESS_KEY_SECRET),
        _ => Credentials::new(TENCENT_SECRET_ID, TENCENT_SECRET_KEY),
    }
}

fn call_at<C: Call>(sb: &Sandbox, op: &C, site: Site, now_ms: i64) -> Value {
    let mut req: HttpRequest = op.build(&Endpoint::tencent(C::SERVICE, site));
    sign::sign_request(
        &mut req,
        C::SERVICE,
        &creds(C::SERVICE),
        &SigningParams::new(now_ms / 1000, format!("n{now_ms}")),
    )
    .unwrap();
    sb.handle(&req, now_ms).body_json()["Response"].clone()
}

fn call<C: Call>(sb: &Sandbox, op: &C, now_ms: i64) -> Value {
    call_at(sb, op, Site::China, now_ms)
}

fn code(v: &Value) -> String {
    v["Error"]["Code"].as_str().unwrap_or("").to_string()
}

fn prefetch(targets: &[&str], mode: Option<&str>) -> edgeone::CreatePrefetchTask {
    edgeone::CreatePrefetchTask {
        zone_id: Some("zone-sandbox".into()),
        targets: Some(targets.iter().map(|t| t.to_string()).collect()),
        mode: mode.map(String::from),
        ..Default::default()
    }
}

fn many(n: usize, tag: &str) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://www.example.com/{tag}/{i}.js"))
        .collect()
}

fn quota_of(v: &Value, list: &str, kind: &str) -> Value {
    v[list]
        .as_array()
        .and_then(|l| l.iter().find(|q| q["Type"] == kind))
        .cloned()
        .unwrap_or(Value::Null)
}

/// The sandbox zone's DescribeContentQuota answer: one entry per prefetch and purge type.
fn content_quota(sb: &Sandbox, now_ms: i64) -> Value {
    let op = edgeone::DescribeContentQuota {
        zone_id: Some("zone-sandbox".into()),
    };
    call(sb, &op, now_ms)
}

#[test]
fn sandbox_answers_edgeone_rules_with_the_vendors_codes() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.teo_purge_url_batch = 2;
    cfg.limits.teo_edge_prefetch_daily = 3;
    let sb = Sandbox::new(cfg);
    // quotas per type, each with its own Batch and DailyAvailable
    let q = content_quota(&sb, T0);
    assert_eq!(quota_of(&q, "PurgeQuota", "purge_url")["Batch"], 2);
    assert_eq!(quota_of(&q, "PurgeQuota", "purge_prefix")["Batch"], 2000);
    assert_eq!(
        quota_of(&q, "PurgeQuota", "purge_cache_tag")["Daily"],
        10_000
    );
    assert_eq!(
        quota_of(&q, "PrefetchQuota", "prefetch_url")["Daily"],
        10_000
    );
    let purge = |kind: &str, n: usize| edgeone::CreatePurgeTask {
        zone_id: Some("zone-sandbox".into()),
        kind: Some(kind.into()),
        targets: Some(many(n, kind)),
        ..Default::default()
    };
    assert!(code(&call(&sb, &purge("purge_url", 2), T0)).is_empty());
    assert_eq!(
        code(&call(&sb, &purge("purge_url", 3), T0)),
        "LimitExceeded.BatchQuota"
    );
    assert!(code(&call(&sb, &purge("purge_prefix", 3), T0)).is_empty());
    let q = content_quota(&sb, T0);
    assert_eq!(
        quota_of(&q, "PurgeQuota", "purge_url")["DailyAvailable"],
        9_998
    );
    assert_eq!(
        quota_of(&q, "PurgeQuota", "purge_prefix")["DailyAvailable"],
        9_997
    );
    // Mode=edge: its own daily quota, not prefetch_url's
    let edge3 = prefetch(
        &[
            "https://www.example.com/e/1",
            "https://www.example.com/e/2",
            "https://www.example.com/e/3",
        ],
        Some("edge"),
    );
    assert!(code(&call(&sb, &edge3, T0)).is_empty());
    let edge1 = prefetch(&["https://www.example.com/e/4"], Some("edge"));
    assert_eq!(code(&call(&sb, &edge1, T0)), "LimitExceeded.DailyQuota");
    let q = content_quota(&sb, T0);
    assert_eq!(
        quota_of(&q, "PrefetchQuota", "prefetch_url")["DailyAvailable"],
        10_000
    );
    // Mode exists on the China site only
    let intl = call_at(&sb, &edge1, Site::Intl, T0);
    assert_eq!(code(&intl), "UnknownParameter");
    assert!(intl["Error"]["Message"].as_str().unwrap().contains("Mode"));
    // raw non-ASCII targets are refused; the deprecated EncodeUrl still makes the server encode
    let raw = "https://www.example.com/中文/a b.png";
    assert_eq!(
        code(&call(&sb, &prefetch(&[raw], None), T0)),
        "InvalidParameter.Target"
    );
    let mut legacy = prefetch(&[raw], None);
    legacy.encode_url = Some(true);
    assert!(code(&call(&sb, &legacy, T0)).is_empty());
    let recorded: Vec<String> = sb
        .submissions()
        .into_keys()
        .filter(|(kind, _)| kind == "TeoPrefetch")
        .map(|(_, t)| t)
        .collect();
    assert!(recorded.contains(&"https://www.example.com/%E4%B8%AD%E6%96%87/a%20b.png".to_string()));
}

#[test]
fn sandbox_answers_cdn_rules_per_area_and_resets_its_quota() {
    let mut cfg = SandboxConfig::default();
    cfg.limits.cdn_push_daily = 5;
    let sb = Sandbox::new(cfg);
    let push = |n: usize, area: &str, tag: &str| cdn::PushUrlsCache {
        urls: Some(many(n, tag)),
        area: Some(area.into()),
        ..Default::default()
    };
    assert!(code(&call(&sb, &push(3, "global", "g"), T0)).is_empty());
    assert!(code(&call(&sb, &push(2, "overseas", "o"), T0)).is_empty());
    assert_eq!(
        code(&call(&sb, &push(1, "overseas", "o2"), T0)),
        "LimitExceeded.CdnPushExceedDayLimit"
    );
    assert!(code(&call(&sb, &push(2, "mainland", "m"), T0)).is_empty());
    let q = call(&sb, &cdn::DescribePushQuota {}, T0);
    let avail = |area: &str| {
        q["UrlPush"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["Area"] == area)
            .unwrap()["Available"]
            .clone()
    };
    assert_eq!((avail("mainland"), avail("overseas")), (0.into(), 0.into()));
    assert_eq!(
        code(&call(&sb, &push(501, "mainland", "b"), T0)),
        "LimitExceeded.CdnPushExceedBatchLimit"
    );
    // the simulated reset (assumed midnight Beijing time): not a millisecond before
    let reset = sb.next_quota_reset(T0);
    assert_eq!((reset + 8 * 3_600_000) % 86_400_000, 0);
    assert_eq!(
        code(&call(&sb, &push(1, "mainland", "r0"), reset - 1)),
        "LimitExceeded.CdnPushExceedDayLimit"
    );
    assert!(code(&call(&sb, &push(5, "mainland", "r1"), reset)).is_empty());
}

/// Every request the engine sent: (time, action, body).
type Sent = Vec<(i64, String, Value)>;

fn action_of(req: &HttpRequest) -> String {
    req.header("x-tc-action")
        .or_else(|| req.header("x-acs-action"))
        .unwrap_or_default()
        .to_string()
}

/// Drives `job` against `sb` on the sandbox's clock until it is done.
fn drive(job: &mut Job, sb: &Sandbox, creds: &Credentials, mut now: i64) -> (i64, Sent) {
    let mut sent = Vec::new();
    for _ in 0..2_000_000 {
        let mut wait = None;
        let mut any = false;
        for a in job.next_actions(now, creds) {
            match a {
                Step::Send { call_id, request } => {
                    any = true;
                    let body = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
                    sent.push((now, action_of(&request), body));
                    let reply: Reply = sb.handle(&request, now);
                    if reply.is_reset() {
                        job.on_transport_error(call_id, TransportError::Unknown, now);
                    } else {
                        job.on_response(call_id, reply.status, &reply.body, now, Some(now));
                    }
                }
                Step::Wait { until_ms } => wait = until_ms,
                Step::Done => return (now, sent),
            }
        }
        if !any {
            now = wait.map_or(now + 1, |t| t.max(now + 1));
        }
    }
    panic!("the job did not finish: {:?}", job.progress(now));
}

fn spec(target: Target, endpoint: Endpoint, service: Service) -> JobSpec {
    JobSpec {
        target,
        endpoint,
        key_id: creds(service).id.clone(),
        options: JobOptions::default(),
        kind: Default::default(),
    }
}

fn edgeone(mode: Option<&str>) -> JobSpec {
    spec(
        Target::Edgeone {
            zone_id: "zone-sandbox".into(),
            mode: mode.map(String::from),
            headers: Default::default(),
            prefetch_media_segments: None,
            cache_tag_domains: Vec::new(),
        },
        Endpoint::tencent(Service::Teo, Site::China),
        Service::Teo,
    )
}

fn cdn_spec() -> JobSpec {
    fixtures::spec(Service::Cdn, &creds(Service::Cdn).id)
}

#[test]
fn non_ascii_edgeone_job_reaches_the_sandbox_percent_encoded() {
    let sb = Sandbox::new(SandboxConfig::default());
    let urls: Vec<String> = [
        "https://www.example.com/中文目录/图片.png",
        "https://www.example.com/path with spaces/file name.jpg",
        "https://www.example.com/emoji/😀.png",
        "https://www.example.com/already%20encoded%E4%B8%AD.txt",
        "https://www.example.com/q?a=1&b=c d&e=f+g",
        "https://www.example.com/Ünïcödé/façade.jpg",
        "https://www.example.com/plain.js",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut job = Job::new(edgeone(None), urls.clone(), 5, T0);
    let (_, sent) = drive(&mut job, &sb, &creds(Service::Teo), T0);
    let creates: Vec<&Value> = sent
        .iter()
        .filter(|(_, a, _)| a == "CreatePrefetchTask")
        .map(|(_, _, b)| b)
        .collect();
    assert!(!creates.is_empty());
    for body in &creates {
        assert!(body.get("EncodeUrl").is_none(), "EncodeUrl sent: {body}");
    }
    let p = job.progress(T0);
    assert_eq!(p.succeeded, urls.len(), "{p:?}");
    let mut recorded: Vec<String> = sb
        .submissions()
        .into_keys()
        .filter(|(kind, _)| kind == "TeoPrefetch")
        .map(|(_, t)| t)
        .collect();
    recorded.sort();
    let mut want: Vec<String> = urls
        .iter()
        .map(|u| edgewarm::urls::prepare(u, Service::Teo).unwrap().send)
        .collect();
    want.sort();
    assert_eq!(recorded, want);
    assert!(recorded.contains(
        &"https://www.example.com/%E4%B8%AD%E6%96%87%E7%9B%AE%E5%BD%95/%E5%9B%BE%E7%89%87.png"
            .to_string()
    ));
    assert!(
        recorded.contains(&"https://www.example.com/already%20encoded%E4%B8%AD.txt".to_string())
    );
    assert!(recorded.contains(&"https://www.example.com/q?a=1&b=c%20d&e=f+g".to_string()));
    assert!(recorded.iter().all(|t| t.is_ascii() && !t.contains(' ')));
}

#[test]
fn deferred_jobs_resume_when_the_sandbox_quota_comes_back() {
    // (name, spec, sandbox config, the quota action the engine re-reads, if any)
    let mut teo_cfg = SandboxConfig::default();
    teo_cfg.limits.teo_prefetch_daily = 300;
    let mut edge_cfg = SandboxConfig::default();
    edge_cfg.limits.teo_edge_prefetch_daily = 300;
    let mut edge_spec = edgeone(Some("edge"));
    // engine and sandbox agree on the edge quota the sandbox simulates
    edge_spec.options.limits.teo_edge_prefetch_daily = 300;
    let mut cdn_cfg = SandboxConfig::default();
    cdn_cfg.limits.cdn_push_daily = 300;
    let cases = [
        (
            "edgeone",
            edgeone(None),
            teo_cfg,
            Some("DescribeContentQuota"),
        ),
        ("edgeone edge", edge_spec, edge_cfg, None),
        ("cdn", cdn_spec(), cdn_cfg, Some("DescribePushQuota")),
    ];
    for (name, spec, cfg, quota_action) in cases {
        let sb = Sandbox::new(cfg);
        let service = spec.target.service();
        let every = spec.options.quota_recheck_ms;
        let mut job = Job::new(spec, many(500, name.replace(' ', "-").as_str()), 9, T0);
        let reset = sb.next_quota_reset(T0);
        let (end, sent) = drive(&mut job, &sb, &creds(service), T0);
        let p = job.progress(end);
        assert_eq!((p.succeeded, p.deferred), (500, 0), "{name}: {p:?}");
        let submit = |a: &str| a == "CreatePrefetchTask" || a == "PushUrlsCache";
        let submitted: usize = sent
            .iter()
            .filter(|(_, a, _)| submit(a))
            .filter_map(|(t, _, b)| {
                let n = b["Targets"].as_array().or(b["Urls"].as_array())?.len();
                Some((t, n))
            })
            .filter(|(t, _)| **t < reset)
            .map(|(_, n)| n)
            .sum();
        assert!(
            submitted >= 300,
            "{name}: {submitted} sent before the reset"
        );
        // the deferred URLs go on after the sandbox's reset, within one re-read interval
        let resumed = sent
            .iter()
            .filter(|(t, a, _)| submit(a) && *t >= reset)
            .map(|(t, _, _)| *t)
            .min()
            .expect("submits after the reset");
        assert!(
            resumed < reset + every + 60_000,
            "{name}: resumed {} ms after the reset",
            resumed - reset
        );
        if let Some(q) = quota_action {
            let rereads: Vec<i64> = sent
                .iter()
                .filter(|(t, a, _)| a == q && *t > T0)
                .map(|(t, _, _)| *t)
                .collect();
            assert!(
                rereads.len() >= 2,
                "{name}: the quota is re-read on a schedule"
            );
            assert!(rereads.windows(2).all(|w| w[1] - w[0] >= every));
        }
        assert!(
            sb.submissions().values().all(|c| *c == 1),
            "{name}: no duplicate"
        );
        let all_succeeded = job.urls().iter().all(|u| matches!(u.fate, Fate::Succeeded));
        assert!(all_succeeded, "{name}");
    }
}

#[test]
fn cdn_push_tasks_are_paged_by_100_with_offset() {
    let sb = Sandbox::new(SandboxConfig::default());
    let mut job = Job::new(cdn_spec(), many(250, "paging"), 3, T0);
    let (end, sent) = drive(&mut job, &sb, &creds(Service::Cdn), T0);
    assert_eq!(job.progress(end).succeeded, 250);
    let polls: Vec<&Value> = sent
        .iter()
        .filter(|(_, a, _)| a == "DescribePushTasks")
        .map(|(_, _, b)| b)
        .collect();
    assert!(polls.iter().all(|b| b["Limit"].as_i64() == Some(100)));
    let mut offsets: Vec<i64> = polls.iter().filter_map(|b| b["Offset"].as_i64()).collect();
    offsets.sort();
    offsets.dedup();
    assert_eq!(
        offsets,
        vec![0, 100, 200],
        "one task of 250 URLs, three pages"
    );
}

/// EdgeOne `purge_host` and `purge_cache_tag` are capped by their own Quota (DescribeContentQuota
/// answers one per type): n accepted, n + 1 refused with `LimitExceeded.BatchQuota`, and each
/// type's day with `LimitExceeded.DailyQuota`, without touching the other types.
#[test]
fn edgeone_purge_host_and_cache_tag_have_their_own_caps() {
    let mut cfg = SandboxConfig::default();
    cfg.zones[0].domains = (0..6).map(|i| format!("h{i}.example.com")).collect();
    cfg.limits.teo_purge_host_batch = 3;
    cfg.limits.teo_purge_host_daily = 5;
    cfg.limits.teo_purge_cache_tag_batch = 4;
    cfg.limits.teo_purge_cache_tag_daily = 6;
    let sb = Sandbox::new(cfg);
    let hosts = |from: usize, n: usize| edgeone::CreatePurgeTask {
        zone_id: Some("zone-sandbox".into()),
        kind: Some("purge_host".into()),
        targets: Some(
            (from..from + n)
                .map(|i| format!("h{i}.example.com"))
                .collect(),
        ),
        ..Default::default()
    };
    let tags = |n: usize, tag: &str| edgeone::CreatePurgeTask {
        zone_id: Some("zone-sandbox".into()),
        kind: Some("purge_cache_tag".into()),
        targets: Some((0..n).map(|i| format!("{tag}{i}")).collect()),
        cache_tag: Some(edgeone::CacheTag {
            domains: Some(vec!["h0.example.com".into()]),
        }),
        ..Default::default()
    };
    let quota = || {
        call(
            &sb,
            &edgeone::DescribeContentQuota {
                zone_id: Some("zone-sandbox".into()),
            },
            T0,
        )
    };
    let q = quota();
    assert_eq!(quota_of(&q, "PurgeQuota", "purge_host")["Batch"], 3);
    assert_eq!(quota_of(&q, "PurgeQuota", "purge_cache_tag")["Batch"], 4);
    assert_eq!(quota_of(&q, "PurgeQuota", "purge_url")["Batch"], 2000);

    assert_eq!(
        code(&call(&sb, &hosts(0, 4), T0)),
        "LimitExceeded.BatchQuota"
    );
    assert!(code(&call(&sb, &hosts(0, 3), T0)).is_empty());
    assert!(code(&call(&sb, &hosts(3, 2), T0)).is_empty());
    assert_eq!(
        code(&call(&sb, &hosts(5, 1), T0)),
        "LimitExceeded.DailyQuota"
    );

    assert_eq!(
        code(&call(&sb, &tags(5, "a"), T0)),
        "LimitExceeded.BatchQuota"
    );
    assert!(code(&call(&sb, &tags(4, "a"), T0)).is_empty());
    assert!(code(&call(&sb, &tags(2, "b"), T0)).is_empty());
    assert_eq!(
        code(&call(&sb, &tags(1, "c"), T0)),
        "LimitExceeded.DailyQuota"
    );

    let q = quota();
    assert_eq!(
        quota_of(&q, "PurgeQuota", "purge_host")["DailyAvailable"],
        0
    );
    assert_eq!(
        quota_of(&q, "PurgeQuota", "purge_cache_tag")["DailyAvailable"],
        0
    );
    assert_eq!(
        quota_of(&q, "PurgeQuota", "purge_url")["DailyAvailable"],
        10_000,
        "other types untouched"
    );
}

/// CDN PushUrlsCache `Layer`: "middle" or empty is taken (PushUrlsCache API page); any other
/// value is refused by the sandbox with `InvalidParameter.CdnParamError` naming `Layer`.
#[test]
fn cdn_layer_is_middle_or_empty() {
    let sb = Sandbox::new(SandboxConfig::default());
    let push = |layer: Option<&str>, tag: &str| cdn::PushUrlsCache {
        urls: Some(many(1, tag)),
        layer: layer.map(String::from),
        ..Default::default()
    };
    assert!(code(&call(&sb, &push(None, "none"), T0)).is_empty());
    assert!(code(&call(&sb, &push(Some(""), "empty"), T0)).is_empty());
    assert!(code(&call(&sb, &push(Some("middle"), "middle"), T0)).is_empty());
    for layer in ["edge", "Middle", "middle "] {
        let r = call(&sb, &push(Some(layer), "bad"), T0);
        assert_eq!(code(&r), "InvalidParameter.CdnParamError", "{layer:?}");
        assert!(r["Error"]["Message"].as_str().unwrap().contains("Layer"));
    }
}
