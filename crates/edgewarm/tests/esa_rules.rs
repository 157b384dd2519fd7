//! The documented ESA rules at their boundaries: n accepted, n + 1 refused with the field and
//! the rule named (PurgeCaches caps per Type and its 10-domain rule, PreloadCaches' 500
//! domains and assumed 100 URLs, DescribePreloadTasks' paired times and 3-day look-back,
//! ListScheduledPreloadJobs' positive paging), the answer formats (CreateTime with and without
//! zone, Start/Stop answering the plan, ErrorInfo values) and the ESA codes.

use edgewarm::vendor::codes::{lookup, Cloud};
use edgewarm::vendor::esa::{self, ScheduledJobError};
use edgewarm::{Call, Endpoint, ErrorClass, Limits, Rule};

fn errs<C: Call>(c: &C) -> Vec<(String, Rule)> {
    match c.validate(&Limits::default()) {
        Ok(()) => vec![],
        Err(e) => e.errors.into_iter().map(|e| (e.field, e.rule)).collect(),
    }
}

/// `n` URLs over `domains` hosts.
fn urls(n: usize, domains: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://h{}.example.com/p/{i}.js", i % domains.max(1)))
        .collect()
}

fn purge(kind: &str, content: esa::PurgeContent) -> esa::PurgeCaches {
    esa::PurgeCaches {
        site_id: Some(1),
        kind: Some(kind.into()),
        content: Some(content),
        ..Default::default()
    }
}

#[test]
fn purge_caps_per_type() {
    let strings = |n: usize| (0..n).map(|i| format!("t{i}")).collect::<Vec<_>>();
    // (type, documented cap, content of n)
    type Make = fn(Vec<String>) -> esa::PurgeContent;
    let cases: [(&str, usize, &str, Make, bool); 5] = [
        (
            "file",
            1000,
            "Content.Files",
            |v| esa::PurgeContent {
                files: Some(v),
                ..Default::default()
            },
            true,
        ),
        (
            "directory",
            100,
            "Content.Directories",
            |v| esa::PurgeContent {
                directories: Some(v),
                ..Default::default()
            },
            true,
        ),
        (
            "ignoreParams",
            100,
            "Content.IgnoreParams",
            |v| esa::PurgeContent {
                ignore_params: Some(v),
                ..Default::default()
            },
            true,
        ),
        (
            "cachetag",
            30,
            "Content.CacheTags",
            |v| esa::PurgeContent {
                cache_tags: Some(v),
                ..Default::default()
            },
            false,
        ),
        (
            "hostname",
            10,
            "Content.Hostnames",
            |v| esa::PurgeContent {
                hostnames: Some(v),
                ..Default::default()
            },
            false,
        ),
    ];
    for (kind, cap, field, make, are_urls) in cases {
        let list = |n| if are_urls { urls(n, 3) } else { strings(n) };
        assert_eq!(
            errs(&purge(kind, make(list(cap)))),
            vec![],
            "{kind}: {cap} accepted"
        );
        assert_eq!(
            errs(&purge(kind, make(list(cap + 1)))),
            vec![(field.to_string(), Rule::MaxItems)],
            "{kind}: {} refused",
            cap + 1
        );
    }
    // cachekey: no cap documented, 100 assumed
    let keys = |n: usize| esa::PurgeContent {
        cache_keys: Some((0..n).map(|_| esa::CacheKey::default()).collect()),
        ..Default::default()
    };
    assert_eq!(errs(&purge("cachekey", keys(100))), vec![]);
    assert_eq!(
        errs(&purge("cachekey", keys(101))),
        vec![("Content.CacheKeys".to_string(), Rule::MaxItems)]
    );
}

#[test]
fn purge_urls_span_at_most_ten_domains() {
    for (kind, field) in [
        ("file", "Content.Files"),
        ("directory", "Content.Directories"),
        ("ignoreParams", "Content.IgnoreParams"),
    ] {
        let make = |v: Vec<String>| match kind {
            "file" => esa::PurgeContent {
                files: Some(v),
                ..Default::default()
            },
            "directory" => esa::PurgeContent {
                directories: Some(v),
                ..Default::default()
            },
            _ => esa::PurgeContent {
                ignore_params: Some(v),
                ..Default::default()
            },
        };
        assert_eq!(
            errs(&purge(kind, make(urls(20, 10)))),
            vec![],
            "{kind}: 10 domains"
        );
        let e = purge(kind, make(urls(20, 11)))
            .validate(&Limits::default())
            .unwrap_err()
            .errors;
        assert_eq!(
            (e[0].field.as_str(), e[0].rule),
            (field, Rule::MaxItems),
            "{kind}"
        );
        assert!(e[0].message.contains("11 domains"), "{}", e[0].message);
    }
}

#[test]
fn preload_caches_cap_and_domains() {
    let pre = |v: Vec<String>| esa::PreloadCaches {
        site_id: Some(1),
        content: Some(v),
        headers: None,
    };
    // URLs per call: 100 assumed (overridable)
    assert_eq!(errs(&pre(urls(100, 1))), vec![]);
    assert_eq!(
        errs(&pre(urls(101, 1))),
        vec![("Content".to_string(), Rule::MaxItems)]
    );
    let more = Limits {
        esa_preload_batch: 1000,
        ..Limits::default()
    };
    assert!(pre(urls(1000, 1)).validate(&more).is_ok());
    // domains per request: 500 (DomainNameOverLimit)
    let wide = Limits {
        esa_preload_batch: 10_000,
        ..Limits::default()
    };
    assert!(pre(urls(500, 500)).validate(&wide).is_ok());
    let e = pre(urls(501, 501)).validate(&wide).unwrap_err().errors;
    assert_eq!(
        (e[0].field.as_str(), e[0].rule),
        ("Content", Rule::MaxItems)
    );
    assert!(
        e[0].message.contains("DomainNameOverLimit"),
        "{}",
        e[0].message
    );
}

const NOW: i64 = 1_700_000_000_000; // 2023-11-14T22:13:20Z

fn describe(start: Option<&str>, end: Option<&str>) -> esa::DescribePreloadTasks {
    esa::DescribePreloadTasks {
        site_id: Some(1),
        start_time: start.map(String::from),
        end_time: end.map(String::from),
        ..Default::default()
    }
}

#[test]
fn describe_preload_tasks_times_go_together() {
    assert_eq!(errs(&describe(None, None)), vec![]);
    assert_eq!(
        errs(&describe(
            Some("2023-11-14T00:00:00Z"),
            Some("2023-11-14T01:00:00Z")
        )),
        vec![]
    );
    assert_eq!(
        errs(&describe(Some("2023-11-14T00:00:00Z"), None)),
        vec![("EndTime".to_string(), Rule::Combination)]
    );
    let e = describe(None, Some("2023-11-14T00:00:00Z"))
        .validate(&Limits::default())
        .unwrap_err()
        .errors;
    assert_eq!(
        (e[0].field.as_str(), e[0].rule),
        ("StartTime", Rule::Combination)
    );
    assert!(e[0].message.contains("MissingTimeParameter"));
}

#[test]
fn describe_preload_tasks_looks_back_three_days() {
    let l = Limits::default();
    // exactly 3 days back: accepted; one second more: refused (InvalidTime)
    let at = describe(Some("2023-11-11T22:13:20Z"), Some("2023-11-14T22:13:20Z"));
    assert!(at.validate_at(&l, NOW).is_ok());
    let over = describe(Some("2023-11-11T22:13:19Z"), Some("2023-11-14T22:00:00Z"));
    let e = over.validate_at(&l, NOW).unwrap_err().errors;
    assert_eq!(
        (e[0].field.as_str(), e[0].rule),
        ("StartTime", Rule::TimeWindow)
    );
    assert!(e[0].message.contains("InvalidTime"), "{}", e[0].message);
    // without a clock: a window longer than the look-back cannot start within it
    let long = describe(Some("2023-11-01T00:00:00Z"), Some("2023-11-04T00:00:01Z"));
    assert_eq!(errs(&long), vec![("EndTime".to_string(), Rule::TimeWindow)]);
    let three = describe(Some("2023-11-01T00:00:00Z"), Some("2023-11-04T00:00:00Z"));
    assert_eq!(errs(&three), vec![]);
    // and the documented page size 1–50 stays
    let page = |n| esa::DescribePreloadTasks {
        site_id: Some(1),
        page_size: Some(n),
        ..Default::default()
    };
    assert_eq!(errs(&page(50)), vec![]);
    assert_eq!(errs(&page(51)), vec![("PageSize".to_string(), Rule::Range)]);
}

#[test]
fn list_scheduled_jobs_paging_is_positive_only() {
    let list = |n: Option<i64>, s: Option<i64>| esa::ListScheduledPreloadJobs {
        site_id: Some(1),
        page_number: n,
        page_size: s,
        ..Default::default()
    };
    // no invented 1–50: 500 (a captured SDK request) and the int32 maximum are fine
    assert_eq!(errs(&list(Some(1), Some(500))), vec![]);
    assert_eq!(
        errs(&list(Some(i32::MAX as i64), Some(i32::MAX as i64))),
        vec![]
    );
    assert_eq!(
        errs(&list(Some(0), Some(1))),
        vec![("PageNumber".to_string(), Rule::Range)]
    );
    assert_eq!(
        errs(&list(Some(1), Some(0))),
        vec![("PageSize".to_string(), Rule::Range)]
    );
}

#[test]
fn create_time_with_and_without_zone() {
    let (plain, zoned) = esa::parse_task_time("2023-03-28 14:28:57").unwrap();
    assert!(!zoned);
    let (iso, zoned_iso) = esa::parse_task_time("2023-03-28T06:28:57Z").unwrap();
    assert!(zoned_iso);
    // the zoneless text is read at the assumed UTC+8: the same instant
    assert_eq!(plain, iso);
    assert_eq!(
        esa::parse_task_time("2023-03-28T14:28:57+08:00").unwrap(),
        (iso, true)
    );
    assert!(esa::parse_task_time("28/03/2023").is_none());
    const { assert!(esa::ZONELESS_TOLERANCE_MS >= 20 * 3_600_000) };
}

#[test]
fn start_and_stop_answer_the_plan() {
    let body = br#"{"RequestId":"r1","AliUid":"15685865xxx14622","EndTime":"2024-06-04T02:02:09Z",
        "Id":"66599bd7397885b43804901c","Interval":30,"JobId":"665d3af3621bccf3fe29e1a4",
        "SliceLen":10,"StartTime":"2024-06-03T16:00:00Z","Status":"running"}"#;
    for out in [
        edgewarm::response::parse::<esa::StartScheduledPreloadExecution>(200, body).unwrap(),
        edgewarm::response::parse::<esa::StopScheduledPreloadExecution>(200, body).unwrap(),
    ] {
        assert_eq!(out.request_id, "r1");
        let x = out.execution;
        assert_eq!(x.id, "66599bd7397885b43804901c");
        assert_eq!(x.job_id.as_deref(), Some("665d3af3621bccf3fe29e1a4"));
        assert_eq!((x.interval, x.slice_len), (Some(30), Some(10)));
        assert_eq!(x.status.as_deref(), Some("running"));
        assert_eq!(x.ali_uid.as_deref(), Some("15685865xxx14622"));
        assert!(x.start_time.is_some() && x.end_time.is_some());
    }
}

#[test]
fn job_answers_carry_the_job_and_request_id_at_one_level() {
    let body = br#"{"RequestId":"r2","Id":"j1","Name":"nightly","AliUid":15685865,"UrlCount":"3",
        "Unknown":[1]}"#;
    let out = edgewarm::response::parse::<esa::GetScheduledPreloadJob>(200, body).unwrap();
    assert_eq!(out.request_id, "r2");
    assert_eq!(out.job.id, "j1");
    assert_eq!(out.job.name.as_deref(), Some("nightly"));
    assert_eq!(out.job.ali_uid.as_deref(), Some("15685865"));
    assert_eq!(out.job.url_count, Some(3));
    // written back flat, as the answer came (the record's fields, then RequestId)
    let json = serde_json::to_value(&out).unwrap();
    assert_eq!(json["Id"], "j1");
    assert_eq!(json["RequestId"], "r2");
    assert!(json.get("Job").is_none());
    // no RequestId: empty; an ill-typed one: a malformed answer naming the type expected
    let out = edgewarm::response::parse::<esa::GetScheduledPreloadJob>(200, br#"{"Id":"j"}"#);
    assert_eq!(out.unwrap().request_id, "");
    let bad = br#"{"Id":"j","RequestId":7}"#;
    let err = edgewarm::response::parse::<esa::GetScheduledPreloadJob>(200, bad).unwrap_err();
    assert!(err.to_string().contains("expected a string"), "{err}");
}

#[test]
fn quota_excess_is_an_error_info_value() {
    let job = esa::ScheduledJob {
        error_info: Some("InvalidDomain,QuotaExcess".into()),
        ..Default::default()
    };
    assert_eq!(
        job.errors(),
        vec![
            ScheduledJobError::InvalidDomain,
            ScheduledJobError::QuotaExcess
        ]
    );
    assert!(ScheduledJobError::QuotaExcess.hint().contains("quota"));
    assert!(esa::ScheduledJob::default().errors().is_empty());
    assert!(lookup(Cloud::Alibaba, "QuotaExcess").is_none());
}

#[test]
fn esa_codes_in_the_table() {
    for code in ["MissingTimeParameter", "InvalidTime", "DomainNameOverLimit"] {
        let info = lookup(Cloud::Alibaba, code).unwrap_or_else(|| panic!("{code} missing"));
        assert_eq!(info.class, ErrorClass::Invalid, "{code}");
        assert!(!info.retryable, "{code}");
        assert!(!info.hint.is_empty());
    }
}

#[test]
fn esa_vpc_endpoints_and_proxy_policy() {
    let e = Endpoint::esa_vpc("cn-hangzhou").unwrap();
    assert_eq!(e.host, "esa-vpc.cn-hangzhou.aliyuncs.com");
    assert_eq!(e.region.as_deref(), Some("cn-hangzhou"));
    assert!(Endpoint::esa_vpc("evil.com/x").is_none());
    let policy = edgewarm::proxy_policy::Policy::vendors();
    let hosts: Vec<&str> = policy.hosts().collect();
    for h in [
        "esa.cn-hangzhou.aliyuncs.com",
        "esa-vpc.cn-hangzhou.aliyuncs.com",
        "esa.ap-southeast-1.aliyuncs.com",
        "esa-vpc.ap-southeast-1.aliyuncs.com",
    ] {
        assert!(hosts.contains(&h), "{h} allowed");
    }
    assert!(!hosts.contains(&"esa-vpc.evil.aliyuncs.com"));
}
