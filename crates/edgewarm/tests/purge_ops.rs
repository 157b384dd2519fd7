//! The purge family added for issue 15: CDN PurgeUrlsCache / PurgePathCache / DescribePurgeTasks
//! / DescribePurgeQuota and ESA DescribePurgeTasks / GetPurgeQuota. Each cap is accepted at n
//! and refused at n + 1 naming the field and the rule; documented answers parse; requests have
//! the SDK's method, places and field order; the shared action name resolves per service.

use edgewarm::response::parse;
use edgewarm::vendor::codes::{self, Cloud};
use edgewarm::vendor::{cdn, esa_purge_tracking as esa};
use edgewarm::{
    Call, Endpoint, Error, ErrorClass, Limits, Method, Operation, Rule, Service, OPERATION_NAMES,
};
use serde_json::json;

fn refused<C: Call>(call: &C, limits: &Limits) -> Vec<(String, Rule)> {
    match call.validate(limits) {
        Ok(()) => vec![],
        Err(e) => e.errors.into_iter().map(|e| (e.field, e.rule)).collect(),
    }
}

fn urls(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://www.example.com/{i}.js"))
        .collect()
}

fn field(f: &str, r: Rule) -> Vec<(String, Rule)> {
    vec![(f.to_string(), r)]
}

#[test]
fn purge_urls_cache_caps_at_1000_by_default_and_follows_the_limits() {
    let l = Limits::default();
    assert_eq!(l.cdn_purge_url_batch, 1000);
    let call = |n| cdn::PurgeUrlsCache {
        urls: Some(urls(n)),
        ..Default::default()
    };
    assert!(refused(&call(1000), &l).is_empty());
    assert_eq!(refused(&call(1001), &l), field("Urls", Rule::MaxItems));
    let lower = Limits {
        cdn_purge_url_batch: 10,
        ..Limits::default()
    };
    assert!(refused(&call(10), &lower).is_empty());
    assert_eq!(refused(&call(11), &lower), field("Urls", Rule::MaxItems));
    assert_eq!(refused(&call(0), &l), field("Urls", Rule::NonEmpty));
    assert_eq!(
        refused(&cdn::PurgeUrlsCache::default(), &l),
        field("Urls", Rule::Required)
    );
    let bad = cdn::PurgeUrlsCache {
        urls: Some(vec![
            "ftp://www.example.com/a".into(),
            "https://*.example.com/a".into(),
        ]),
        area: Some("global".into()),
        url_encode: Some(true),
    };
    assert_eq!(
        refused(&bad, &l),
        vec![
            ("Urls[0]".into(), Rule::UrlScheme),
            ("Urls[1]".into(), Rule::Wildcard),
            ("Area".into(), Rule::OneOf),
        ]
    );
    for area in ["mainland", "overseas"] {
        let ok = cdn::PurgeUrlsCache {
            urls: Some(urls(1)),
            area: Some(area.into()),
            url_encode: Some(false),
        };
        assert!(refused(&ok, &l).is_empty(), "{area}");
    }
}

#[test]
fn purge_path_cache_caps_at_500_and_needs_a_flush_type() {
    let l = Limits::default();
    assert_eq!(l.cdn_purge_path_batch, 500);
    let call = |n, flush: &str| cdn::PurgePathCache {
        paths: Some(
            (0..n)
                .map(|i| format!("https://www.example.com/d{i}/"))
                .collect(),
        ),
        flush_type: Some(flush.into()),
        ..Default::default()
    };
    assert!(refused(&call(500, "flush"), &l).is_empty());
    assert!(refused(&call(500, "delete"), &l).is_empty());
    assert_eq!(
        refused(&call(501, "flush"), &l),
        field("Paths", Rule::MaxItems)
    );
    assert_eq!(
        refused(&call(1, "purge"), &l),
        field("FlushType", Rule::OneOf)
    );
    let no_type = cdn::PurgePathCache {
        paths: Some(vec!["https://www.example.com/d/".into()]),
        ..Default::default()
    };
    assert_eq!(refused(&no_type, &l), field("FlushType", Rule::Required));
    let bad_area = cdn::PurgePathCache {
        area: Some("global".into()),
        ..call(1, "flush")
    };
    assert_eq!(refused(&bad_area, &l), field("Area", Rule::OneOf));
}

#[test]
fn cdn_describe_purge_tasks_rules() {
    let l = Limits::default();
    let ok = cdn::CdnDescribePurgeTasks {
        purge_type: Some("path".into()),
        start_time: Some("2023-11-01 00:00:00".into()),
        end_time: Some("2023-11-02 00:00:00".into()),
        offset: Some(0),
        limit: Some(1),
        status: Some("process".into()),
        area: Some("global".into()),
        ..Default::default()
    };
    assert!(refused(&ok, &l).is_empty());
    let by_id = cdn::CdnDescribePurgeTasks {
        task_id: Some("t-1".into()),
        ..Default::default()
    };
    assert!(refused(&by_id, &l).is_empty());
    assert_eq!(
        refused(&cdn::CdnDescribePurgeTasks::default(), &l),
        field("StartTime", Rule::Combination)
    );
    let bad = cdn::CdnDescribePurgeTasks {
        purge_type: Some("prefix".into()),
        start_time: Some("2023-11-02 00:00:00".into()),
        end_time: Some("2023-11-01 00:00:00".into()),
        offset: Some(-1),
        limit: Some(0),
        status: Some("invalid".into()),
        area: Some("moon".into()),
        ..Default::default()
    };
    assert_eq!(
        refused(&bad, &l),
        vec![
            ("PurgeType".into(), Rule::OneOf),
            ("EndTime".into(), Rule::TimeOrder),
            ("Offset".into(), Rule::Range),
            ("Limit".into(), Rule::Range),
            ("Status".into(), Rule::OneOf),
            ("Area".into(), Rule::OneOf),
        ]
    );
    let format = cdn::CdnDescribePurgeTasks {
        start_time: Some("2023-11-01T00:00:00Z".into()),
        ..Default::default()
    };
    assert_eq!(refused(&format, &l), field("StartTime", Rule::TimeFormat));
}

#[test]
fn esa_describe_purge_tasks_rules() {
    let l = Limits::default();
    let ok = |size, page| esa::EsaDescribePurgeTasks {
        site_id: Some(1),
        kind: Some("directory".into()),
        status: Some("Refreshing".into()),
        content: Some("https://www.example.com/a".into()),
        start_time: Some("2023-11-01T00:00:00Z".into()),
        end_time: Some("2023-11-03T00:00:00Z".into()),
        page_number: Some(page),
        page_size: Some(size),
    };
    assert!(refused(&ok(50, 100_000), &l).is_empty());
    assert!(refused(&ok(1, 1), &l).is_empty());
    assert_eq!(refused(&ok(51, 1), &l), field("PageSize", Rule::Range));
    assert_eq!(refused(&ok(0, 1), &l), field("PageSize", Rule::Range));
    assert_eq!(
        refused(&ok(20, 100_001), &l),
        field("PageNumber", Rule::Range)
    );
    assert_eq!(
        refused(&esa::EsaDescribePurgeTasks::default(), &l),
        field("SiteId", Rule::Required)
    );
    let bad = esa::EsaDescribePurgeTasks {
        site_id: Some(0),
        kind: Some("cachekey".into()),
        status: Some("Done".into()),
        start_time: Some("2023-11-03T00:00:00Z".into()),
        end_time: Some("2023-11-01T00:00:00Z".into()),
        ..Default::default()
    };
    assert_eq!(
        refused(&bad, &l),
        vec![
            ("SiteId".into(), Rule::Range),
            ("Type".into(), Rule::OneOf),
            ("Status".into(), Rule::OneOf),
            ("EndTime".into(), Rule::TimeOrder),
        ]
    );
}

#[test]
fn get_purge_quota_rules() {
    let l = Limits::default();
    for kind in esa::PURGE_TYPES {
        let ok = esa::GetPurgeQuota {
            site_id: Some(7),
            kind: Some(kind.into()),
        };
        assert!(refused(&ok, &l).is_empty(), "{kind}");
    }
    let bad = esa::GetPurgeQuota {
        site_id: None,
        kind: Some("cachekey".into()),
    };
    assert_eq!(
        refused(&bad, &l),
        vec![
            ("SiteId".into(), Rule::Required),
            ("Type".into(), Rule::OneOf)
        ]
    );
}

#[test]
fn requests_have_the_sdk_method_places_and_order() {
    let cdn_ep = Endpoint::default_for(Service::Cdn);
    let shuffled = Operation::from_parts(
        Service::Cdn,
        "PurgePathCache",
        json!({"Area": "overseas", "FlushType": "delete", "UrlEncode": true, "Paths": ["https://a.com/p/"]}),
    )
    .unwrap();
    let req = shuffled.build(&cdn_ep);
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.header("X-TC-Action"), Some("PurgePathCache"));
    assert_eq!(
        req.body_text(),
        r#"{"Paths":["https://a.com/p/"],"FlushType":"delete","UrlEncode":true,"Area":"overseas"}"#
    );
    let esa_ep = Endpoint::esa("cn-hangzhou").unwrap();
    let tasks = Operation::from_parts(
        Service::Esa,
        "DescribePurgeTasks",
        json!({"SiteId": 1, "Type": "file", "Content": "https://a.com/a b"}),
    )
    .unwrap();
    let req = tasks.build(&esa_ep);
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.query,
        "Content=https%3A%2F%2Fa.com%2Fa%20b&SiteId=1&Type=file"
    );
    assert!(req.body.is_empty());
    let quota = Operation::from_parts(
        Service::Esa,
        "GetPurgeQuota",
        json!({"SiteId": 1, "Type": "hostname"}),
    )
    .unwrap();
    let req = quota.build(&esa_ep);
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.query, "SiteId=1&Type=hostname");
    assert!(req.body.is_empty());
}

#[test]
fn the_shared_action_name_resolves_per_service() {
    assert_eq!(
        Operation::resolve("DescribePurgeTasks", None),
        Some((Service::Teo, "DescribePurgeTasks"))
    );
    for (service, name) in [
        (Service::Cdn, "CdnDescribePurgeTasks"),
        (Service::Esa, "EsaDescribePurgeTasks"),
    ] {
        assert_eq!(
            Operation::resolve("DescribePurgeTasks", Some(service)),
            Some((service, "DescribePurgeTasks"))
        );
        assert_eq!(
            Operation::resolve(name, None),
            Some((service, "DescribePurgeTasks"))
        );
        let op = Operation::from_parts(service, "DescribePurgeTasks", json!({})).unwrap();
        let tag = serde_json::to_value(&op).unwrap();
        assert_eq!(tag["action"], name);
    }
    assert_eq!(
        Operation::resolve("GetPurgeQuota", Some(Service::Cdn)),
        None
    );
    let names: std::collections::HashSet<_> = OPERATION_NAMES.iter().map(|(n, _, _)| n).collect();
    assert_eq!(names.len(), OPERATION_NAMES.len(), "names are unique");
}

#[test]
fn documented_answers_parse() {
    let out = parse::<cdn::PurgeUrlsCache>(
        200,
        br#"{"Response": {"TaskId": "15475444535871929928456", "RequestId": "r"}}"#,
    )
    .unwrap();
    assert_eq!(out.task_id, "15475444535871929928456");
    let out = parse::<cdn::CdnDescribePurgeTasks>(
        200,
        br#"{"Response": {"PurgeLogs": [{"TaskId": "t", "Url": "https://a.com/p/", "Status": "done", "PurgeType": "path", "FlushType": "flush", "CreateTime": "2018-08-08 00:00:00"}], "TotalCount": 1, "RequestId": "r"}}"#,
    )
    .unwrap();
    assert_eq!(out.total_count, Some(1));
    assert_eq!(out.purge_logs[0].purge_type, "path");
    assert_eq!(out.purge_logs[0].flush_type.as_deref(), Some("flush"));
    let out = parse::<cdn::DescribePurgeQuota>(
        200,
        br#"{"Response": {"UrlPurge": [{"Batch": 1000, "Total": 10000, "Available": 9990, "Area": "mainland"}], "PathPurge": [{"Batch": 500, "Total": 100, "Available": 100, "Area": "overseas"}], "RequestId": "r"}}"#,
    )
    .unwrap();
    assert_eq!(out.url_purge[0].available, Some(9990));
    assert_eq!(out.path_purge[0].total, Some(100));
    let out = parse::<esa::GetPurgeQuota>(
        200,
        br#"{"RequestId": "15C66C7B-671A-4297-9187-2C4477247A74", "Quota": "100000", "Usage": "10", "Quota30Day": "200000", "Usage30Day": "20"}"#,
    )
    .unwrap();
    assert_eq!(
        (out.quota, out.usage, out.quota_30_day, out.usage_30_day),
        (Some(100_000), Some(10), Some(200_000), Some(20))
    );
    assert_eq!(out.available(), Some(99_990));
    let tight = esa::GetPurgeQuotaOutput {
        quota: Some(100),
        usage: Some(0),
        quota_30_day: Some(50),
        usage_30_day: Some(45),
        ..Default::default()
    };
    assert_eq!(tight.available(), Some(5));
    let out = parse::<esa::EsaDescribePurgeTasks>(
        200,
        br#"{"RequestId": "r", "PageNumber": 1, "PageSize": 20, "TotalCount": 1, "Tasks": [{"Content": "https://a.com/x", "CreateTime": "2024-01-01T00:00:00Z", "Process": "100%", "Status": "Complete", "TaskId": "1", "Type": "file"}]}"#,
    )
    .unwrap();
    assert_eq!(out.tasks[0].status, "Complete");
    assert_eq!(out.tasks[0].kind.as_deref(), Some("file"));
}

#[test]
fn purge_error_codes_are_classified() {
    for c in [
        "LimitExceeded.CdnPurgeUrlExceedBatchLimit",
        "LimitExceeded.CdnPurgeUrlExceedDayLimit",
        "LimitExceeded.CdnPurgePathExceedBatchLimit",
        "LimitExceeded.CdnPurgePathExceedDayLimit",
        "LimitExceeded.CdnPurgeExceedBatchLimit",
        "LimitExceeded.CdnPurgeExceedDayLimit",
    ] {
        assert_eq!(
            codes::classify(Cloud::Tencent, c, None),
            (ErrorClass::Quota, false),
            "{c}"
        );
    }
    let err = br#"{"Response": {"Error": {"Code": "LimitExceeded.CdnPurgeUrlExceedDayLimit", "Message": "x"}, "RequestId": "r"}}"#;
    let Error::Api(api) = parse::<cdn::PurgeUrlsCache>(200, err).unwrap_err() else {
        panic!("an API error")
    };
    assert_eq!(api.class, ErrorClass::Quota);
    assert_eq!(
        codes::classify(
            Cloud::Tencent,
            "InvalidParameter.CdnPurgeWildcardNotAllowed",
            None
        )
        .0,
        ErrorClass::Invalid
    );
}
