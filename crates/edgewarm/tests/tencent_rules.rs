//! Boundary tests of every Tencent rule of issue 12, each at its limit: `n` accepted, `n + 1`
//! refused naming the field and the rule. EdgeOne quotas per type (DescribeContentQuota),
//! `EncodeUrl` deprecated and targets percent-encoded client-side, `Mode=edge` (China site only,
//! its own 1000/day), CDN `Layer` and DescribePushTasks `Limit`, the CDN code
//! `InvalidParameter.CdnStatInvalidMetric`, and the engine's quota re-read option.

use edgewarm::job::{Fate, Job, JobOptions, JobSpec, Step, Target};
use edgewarm::vendor::codes::{self, Cloud};
use edgewarm::vendor::{cdn, edgeone};
use edgewarm::{Call, Credentials, Endpoint, ErrorClass, Limits, Rule, Service, Site};

fn urls(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://www.example.com/{i}.js"))
        .collect()
}

fn refused<C: Call>(c: &C, limits: &Limits) -> Vec<(String, Rule)> {
    match c.validate(limits) {
        Ok(()) => vec![],
        Err(e) => e.errors.into_iter().map(|e| (e.field, e.rule)).collect(),
    }
}

fn prefetch(targets: Vec<String>) -> edgeone::CreatePrefetchTask {
    edgeone::CreatePrefetchTask {
        zone_id: Some("zone-1".into()),
        targets: Some(targets),
        ..Default::default()
    }
}

fn purge(kind: &str, targets: Vec<String>) -> edgeone::CreatePurgeTask {
    edgeone::CreatePurgeTask {
        zone_id: Some("zone-1".into()),
        kind: Some(kind.into()),
        targets: Some(targets),
        ..Default::default()
    }
}

fn quota(kind: &str, batch: i64, available: i64) -> edgeone::Quota {
    edgeone::Quota {
        batch: Some(batch),
        daily: Some(10_000),
        daily_available: Some(available),
        kind: kind.into(),
    }
}

#[test]
fn prefetch_cap_is_prefetch_url_batch() {
    let l = Limits::default();
    assert_eq!(l.teo_prefetch_batch, 2000);
    assert!(refused(&prefetch(urls(2000)), &l).is_empty());
    assert_eq!(
        refused(&prefetch(urls(2001)), &l),
        vec![("Targets".into(), Rule::MaxItems)]
    );
}

#[test]
fn content_quota_applies_each_type_to_its_own_cap() {
    let answer = edgeone::ContentQuotaOutput {
        prefetch_quota: vec![quota("prefetch_url", 5, 100)],
        purge_quota: vec![
            quota("purge_url", 3, 100),
            quota("purge_prefix", 4, 100),
            quota("purge_host", 2, 100),
            quota("purge_all", 1, 1),
            quota("purge_cache_tag", 6, 100),
        ],
        request_id: "r".into(),
    };
    let mut l = Limits::default();
    answer.apply_to(&mut l);
    assert_eq!(
        (
            l.teo_prefetch_batch,
            l.teo_purge_url_batch,
            l.teo_purge_prefix_batch,
            l.teo_purge_host_batch,
            l.teo_purge_cache_tag_batch
        ),
        (5, 3, 4, 2, 6)
    );
    assert!(refused(&prefetch(urls(5)), &l).is_empty());
    assert_eq!(
        refused(&prefetch(urls(6)), &l),
        vec![("Targets".into(), Rule::MaxItems)]
    );
    for (kind, cap) in [("purge_url", 3), ("purge_prefix", 4)] {
        assert!(refused(&purge(kind, urls(cap)), &l).is_empty(), "{kind}");
        assert_eq!(
            refused(&purge(kind, urls(cap + 1)), &l),
            vec![("Targets".into(), Rule::MaxItems)],
            "{kind}"
        );
    }
    let hosts = |n: usize| (0..n).map(|i| format!("h{i}.example.com")).collect();
    assert!(refused(&purge("purge_host", hosts(2)), &l).is_empty());
    assert_eq!(
        refused(&purge("purge_host", hosts(3)), &l),
        vec![("Targets".into(), Rule::MaxItems)]
    );
    let tags = |n: usize| (0..n).map(|i| format!("tag{i}")).collect();
    let mut t = purge("purge_cache_tag", tags(6));
    t.cache_tag = Some(edgeone::CacheTag {
        domains: Some(vec!["www.example.com".into()]),
    });
    assert!(refused(&t, &l).is_empty());
    t.targets = Some(tags(7));
    assert_eq!(refused(&t, &l), vec![("Targets".into(), Rule::MaxItems)]);
    // a type the answer does not carry keeps its own default
    let mut l = Limits::default();
    edgeone::ContentQuotaOutput {
        purge_quota: vec![quota("purge_url", 7, 100)],
        ..Default::default()
    }
    .apply_to(&mut l);
    assert_eq!((l.teo_purge_url_batch, l.teo_purge_prefix_batch), (7, 2000));
}

#[test]
fn encode_url_is_refused_and_targets_must_be_encoded() {
    let l = Limits::default();
    for flag in [true, false] {
        let mut p = prefetch(urls(1));
        p.encode_url = Some(flag);
        assert_eq!(
            refused(&p, &l),
            vec![("EncodeUrl".into(), Rule::Deprecated)]
        );
        let mut q = purge("purge_url", urls(1));
        q.encode_url = Some(flag);
        assert_eq!(
            refused(&q, &l),
            vec![("EncodeUrl".into(), Rule::Deprecated)]
        );
    }
    let raw = "https://www.example.com/中文 目录/a.png?q=é";
    let err = prefetch(vec![raw.into()]).validate(&l).unwrap_err().errors;
    assert_eq!(
        (err[0].field.as_str(), err[0].rule),
        ("Targets[0]", Rule::Characters)
    );
    let sent = edgewarm::urls::prepare(raw, Service::Teo).unwrap().send;
    assert_eq!(
        sent,
        "https://www.example.com/%E4%B8%AD%E6%96%87%20%E7%9B%AE%E5%BD%95/a.png?q=%C3%A9"
    );
    assert!(err[0].message.contains(&sent), "{}", err[0].message);
    assert!(refused(&prefetch(vec![sent.clone()]), &l).is_empty());
    assert_eq!(
        refused(&purge("purge_prefix", vec![raw.into()]), &l),
        vec![("Targets[0]".into(), Rule::Characters)]
    );
    assert!(refused(&purge("purge_url", vec![sent]), &l).is_empty());
    // cache tags are not URLs: not encoded
    let mut t = purge("purge_cache_tag", vec!["tag with space".into()]);
    t.cache_tag = Some(edgeone::CacheTag {
        domains: Some(vec!["www.example.com".into()]),
    });
    assert!(refused(&t, &l).is_empty());
}

fn teo_spec(site: Site, mode: Option<&str>, options: JobOptions) -> JobSpec {
    JobSpec {
        target: Target::Edgeone {
            zone_id: "zone-1".into(),
            mode: mode.map(String::from),
            headers: Default::default(),
            prefetch_media_segments: None,
            cache_tag_domains: Vec::new(),
        },
        endpoint: Endpoint::tencent(Service::Teo, site),
        key_id: "AKIDtest".into(),
        options,
        kind: Default::default(),
    }
}

fn creds() -> Credentials {
    Credentials::new("AKIDtest", "secret")
}

#[test]
fn preview_is_exactly_what_the_job_sends() {
    let raw = "https://www.example.com/路径 a.js";
    let job = Job::new(
        teo_spec(Site::China, None, JobOptions::default()),
        vec![raw.into()],
        1,
        0,
    );
    let preview = edgewarm::urls::prepare(raw, Service::Teo).unwrap();
    assert_eq!(preview.encoded, preview.send);
    let reqs = job.dry_run(0, &creds()).unwrap();
    let body: serde_json::Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert_eq!(body["Targets"], serde_json::json!([preview.encoded]));
    assert!(body.get("EncodeUrl").is_none(), "{body}");
}

#[test]
fn edge_mode_is_china_only() {
    let china = Endpoint::tencent(Service::Teo, Site::China);
    let intl = Endpoint::tencent(Service::Teo, Site::Intl);
    assert!(edgeone::check_mode(Some("edge"), &china).is_ok());
    assert!(edgeone::check_mode(Some("default"), &intl).is_ok());
    assert!(edgeone::check_mode(None, &intl).is_ok());
    let e = edgeone::check_mode(Some("edge"), &intl).unwrap_err().errors;
    assert_eq!((e[0].field.as_str(), e[0].rule), ("Mode", Rule::OneOf));
    // a job on intl with edge sends nothing and names the field and the rule on every URL
    let mut job = Job::new(
        teo_spec(Site::Intl, Some("edge"), JobOptions::default()),
        urls(3),
        1,
        0,
    );
    assert!(job.urls().iter().all(|u| matches!(
        &u.fate,
        Fate::Invalid(r) if r.rule == Rule::OneOf && r.message.starts_with("Mode:")
    )));
    assert_eq!(job.next_actions(0, &creds()), vec![Step::Done]);
    // intl with the default mode leaves Mode out (the intl API has none)
    let job = Job::new(
        teo_spec(Site::Intl, Some("default"), JobOptions::default()),
        urls(1),
        1,
        0,
    );
    let body: serde_json::Value =
        serde_json::from_slice(&job.dry_run(0, &creds()).unwrap()[0].body).unwrap();
    assert!(body.get("Mode").is_none(), "{body}");
}

#[test]
fn edge_mode_is_planned_against_its_own_quota() {
    let options = JobOptions {
        use_quota_api: false,
        ..JobOptions::default()
    };
    assert_eq!(options.limits.teo_edge_prefetch_daily, 1000);
    let mut job = Job::new(
        teo_spec(Site::China, Some("edge"), options),
        urls(1001),
        1,
        0,
    );
    let sends: Vec<usize> = job
        .next_actions(0, &creds())
        .into_iter()
        .filter_map(|a| match a {
            Step::Send { request, .. } => {
                let body: serde_json::Value = serde_json::from_slice(&request.body).ok()?;
                assert_eq!(body["Mode"], "edge");
                body["Targets"].as_array().map(Vec::len)
            }
            _ => None,
        })
        .collect();
    assert_eq!(sends, vec![1000], "1000 accepted");
    let deferred = job
        .urls()
        .iter()
        .filter(|u| matches!(u.fate, Fate::Deferred(_)))
        .count();
    assert_eq!(deferred, 1, "the 1001st waits for the edge quota");
}

#[test]
fn cdn_layer_and_describe_limit() {
    let l = Limits::default();
    for ok in ["middle", ""] {
        let p = cdn::PushUrlsCache {
            urls: Some(urls(1)),
            layer: Some(ok.into()),
            ..Default::default()
        };
        assert!(refused(&p, &l).is_empty(), "{ok:?}");
    }
    let p = cdn::PushUrlsCache {
        urls: Some(urls(1)),
        layer: Some("edge".into()),
        ..Default::default()
    };
    assert_eq!(refused(&p, &l), vec![("Layer".into(), Rule::OneOf)]);
    // the job refuses an undocumented Layer before sending
    let spec = JobSpec {
        target: Target::Cdn {
            area: None,
            layer: Some("edge".into()),
            user_agent: None,
            parse_m3u8: None,
            disable_range: None,
            headers: Default::default(),
        },
        endpoint: Endpoint::tencent(Service::Cdn, Site::China),
        key_id: "AKIDtest".into(),
        options: JobOptions::default(),
        kind: Default::default(),
    };
    let e = spec.check().unwrap_err().errors;
    assert_eq!((e[0].field.as_str(), e[0].rule), ("Layer", Rule::OneOf));
    // DescribePushTasks: Limit has no documented maximum, positive only
    let d = |limit: i64| cdn::DescribePushTasks {
        task_id: Some("t".into()),
        limit: Some(limit),
        ..Default::default()
    };
    assert!(refused(&d(1), &l).is_empty());
    assert!(refused(&d(100_000), &l).is_empty());
    assert_eq!(refused(&d(0), &l), vec![("Limit".into(), Rule::Range)]);
    // EdgeOne's Limit is documented up to 1000
    let t = |limit: i64| {
        edgeone::DescribePrefetchTasks(edgeone::DescribeTasks {
            zone_id: Some("zone-1".into()),
            limit: Some(limit),
            filters: Some(vec![edgeone::AdvancedFilter {
                name: Some("job-id".into()),
                values: Some(vec!["j".into()]),
                fuzzy: None,
            }]),
            ..Default::default()
        })
    };
    assert!(refused(&t(1000), &l).is_empty());
    assert_eq!(refused(&t(1001), &l), vec![("Limit".into(), Rule::Range)]);
}

#[test]
fn cdn_stat_invalid_metric_is_classified() {
    let info = codes::lookup(Cloud::Tencent, "InvalidParameter.CdnStatInvalidMetric").unwrap();
    assert_eq!((info.class, info.retryable), (ErrorClass::Invalid, false));
    assert!(info.hint.contains("metric"), "{}", info.hint);
}

#[test]
fn quota_is_re_read_every_15_minutes_by_default() {
    assert_eq!(JobOptions::default().quota_recheck_ms, 900_000);
}
