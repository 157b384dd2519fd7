//! Per-operation behaviour: HTTP method and parameter location for every operation (the vendors'
//! API pages and SDK models),
//! endpoints, and each validation rule the issue names, with the field and rule it reports.

use edgewarm::vendor::{cdn, edgeone, esa};
use edgewarm::{Call, Endpoint, Limits, Method, Operation, Rule, Service, Site, OPERATIONS};
use serde_json::json;

fn op(service: Service, action: &str, params: serde_json::Value) -> Operation {
    Operation::from_parts(service, action, params).unwrap()
}

fn rules(o: &Operation) -> Vec<(String, Rule)> {
    match o.validate(&Limits::default()) {
        Ok(()) => vec![],
        Err(e) => e.errors.into_iter().map(|e| (e.field, e.rule)).collect(),
    }
}

#[test]
fn every_operation_of_the_issue_is_supported() {
    let want = [
        (Service::Teo, "CreatePrefetchTask"),
        (Service::Teo, "DescribePrefetchTasks"),
        (Service::Teo, "CreatePurgeTask"),
        (Service::Teo, "DescribePurgeTasks"),
        (Service::Teo, "DescribeContentQuota"),
        (Service::Cdn, "PushUrlsCache"),
        (Service::Cdn, "DescribePushTasks"),
        (Service::Cdn, "DescribePushQuota"),
        (Service::Esa, "CreateScheduledPreloadJob"),
        (Service::Esa, "ResetScheduledPreloadJob"),
        (Service::Esa, "GetScheduledPreloadJob"),
        (Service::Esa, "ListScheduledPreloadJobs"),
        (Service::Esa, "DeleteScheduledPreloadJob"),
        (Service::Esa, "CreateScheduledPreloadExecutions"),
        (Service::Esa, "ListScheduledPreloadExecutions"),
        (Service::Esa, "UpdateScheduledPreloadExecution"),
        (Service::Esa, "StartScheduledPreloadExecution"),
        (Service::Esa, "StopScheduledPreloadExecution"),
        (Service::Esa, "DeleteScheduledPreloadExecution"),
        (Service::Esa, "PreloadCaches"),
        (Service::Esa, "DescribePreloadTasks"),
        (Service::Esa, "PurgeCaches"),
        (Service::Cdn, "PurgeUrlsCache"),
        (Service::Cdn, "PurgePathCache"),
        (Service::Cdn, "DescribePurgeTasks"),
        (Service::Cdn, "DescribePurgeQuota"),
        (Service::Esa, "DescribePurgeTasks"),
        (Service::Esa, "GetPurgeQuota"),
    ];
    assert_eq!(OPERATIONS.len(), want.len());
    for w in want {
        assert!(OPERATIONS.contains(&w), "{w:?} missing");
    }
    assert!(Operation::from_parts(Service::Cdn, "CreatePrefetchTask", json!({})).is_err());
}

#[test]
fn tencent_calls_are_json_posts_with_protocol_headers() {
    for (service, action) in OPERATIONS.iter().filter(|(s, _)| *s != Service::Esa) {
        let o = op(*service, action, json!({}));
        let req = o.build(&Endpoint::tencent(*service, Site::Intl).with_region("ap-singapore"));
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.host, format!("{service}.intl.tencentcloudapi.com"));
        assert_eq!(req.header("Content-Type"), Some("application/json"));
        assert_eq!(req.header("X-TC-Action"), Some(*action));
        assert_eq!(req.header("X-TC-Version"), Some(service.version()));
        assert_eq!(req.header("X-TC-Region"), Some("ap-singapore"));
        assert_eq!(req.body, b"{}");
        assert_eq!(req.query, "");
    }
}

#[test]
fn tencent_body_keeps_model_order_and_drops_nulls() {
    let o = op(
        Service::Teo,
        "CreatePrefetchTask",
        json!({"Headers": [{"Value": "v", "Name": "n"}], "EncodeUrl": null, "Targets": ["https://a.com/中"], "ZoneId": "z"}),
    );
    let req = o.build(&Endpoint::default_for(Service::Teo));
    assert_eq!(
        String::from_utf8(req.body).unwrap(),
        r#"{"ZoneId":"z","Targets":["https://a.com/中"],"Headers":[{"Name":"n","Value":"v"}]}"#
    );
}

#[test]
fn esa_methods_and_parameter_locations() {
    // (action, method, query keys, body keys) per the generated ESA SDK (alibabacloud-go-sdk
    // esa-20240910 client_context_func.go and request models)
    let table: [(&str, Method, &[&str], &[&str]); 14] = [
        (
            "CreateScheduledPreloadJob",
            Method::Post,
            &[],
            &["InsertWay", "Name", "OssUrl", "SiteId", "UrlList"],
        ),
        (
            "CreateScheduledPreloadExecutions",
            Method::Post,
            &["Id"],
            &["Executions"],
        ),
        ("GetScheduledPreloadJob", Method::Get, &["Id"], &[]),
        (
            "ListScheduledPreloadJobs",
            Method::Get,
            &["EndTime", "PageNumber", "PageSize", "SiteId", "StartTime"],
            &[],
        ),
        ("ListScheduledPreloadExecutions", Method::Get, &["Id"], &[]),
        (
            "UpdateScheduledPreloadExecution",
            Method::Post,
            &["Id"],
            &["EndTime", "Interval", "SliceLen", "StartTime"],
        ),
        ("StartScheduledPreloadExecution", Method::Post, &["Id"], &[]),
        ("StopScheduledPreloadExecution", Method::Post, &["Id"], &[]),
        (
            "DeleteScheduledPreloadExecution",
            Method::Post,
            &["Id"],
            &[],
        ),
        ("ResetScheduledPreloadJob", Method::Post, &["Id"], &[]),
        ("DeleteScheduledPreloadJob", Method::Post, &["Id"], &[]),
        (
            "PreloadCaches",
            Method::Post,
            &["Content", "Headers", "SiteId"],
            &[],
        ),
        (
            "DescribePreloadTasks",
            Method::Get,
            &[
                "Content",
                "EndTime",
                "PageNumber",
                "PageSize",
                "SiteId",
                "StartTime",
                "Status",
            ],
            &[],
        ),
        (
            "PurgeCaches",
            Method::Post,
            &["Content", "EdgeComputePurge", "Force", "SiteId", "Type"],
            &[],
        ),
    ];
    let values = json!({
        "Id": "x", "InsertWay": "textBox", "Name": "n", "OssUrl": "o", "SiteId": 1, "UrlList": "https://a.com/x",
        "Executions": [{"Interval": 1, "SliceLen": 2}], "EndTime": "2024-01-01T00:00:00Z",
        "StartTime": "2024-01-01T00:00:00Z", "PageNumber": 1, "PageSize": 2, "Interval": 3,
        "SliceLen": 4, "Content": ["https://a.com/x"], "Headers": {"A": "1"}, "Status": "Failed",
        "Type": "file", "Force": true, "EdgeComputePurge": false,
    });
    for (action, method, query, body) in table {
        let mut params = serde_json::Map::new();
        for k in query.iter().chain(body) {
            let mut v = values[*k].clone();
            if action == "ListScheduledPreloadJobs" && (*k == "StartTime" || *k == "EndTime") {
                v = json!(1_700_000_000_000i64);
            }
            if action == "DescribePreloadTasks" && *k == "Content" {
                v = json!("https://a.com/x");
            }
            if action == "PurgeCaches" && *k == "Content" {
                v = json!({"Files": ["https://a.com/x"]});
            }
            params.insert(k.to_string(), v);
        }
        let o = op(Service::Esa, action, serde_json::Value::Object(params));
        let req = o.build(&Endpoint::esa("ap-southeast-1").unwrap());
        assert_eq!(req.method, method, "{action}");
        assert_eq!(req.host, "esa.ap-southeast-1.aliyuncs.com");
        assert_eq!(req.header("x-acs-action"), Some(action));
        let qkeys: Vec<String> = edgewarm::encoding::form_decode(&req.query)
            .unwrap()
            .into_iter()
            .map(|p| p.0)
            .collect();
        assert_eq!(
            qkeys,
            query.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "{action} query"
        );
        let bkeys: Vec<String> =
            edgewarm::encoding::form_decode(std::str::from_utf8(&req.body).unwrap())
                .unwrap()
                .into_iter()
                .map(|p| p.0)
                .collect();
        assert_eq!(
            bkeys,
            body.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "{action} body"
        );
        assert_eq!(
            req.header("content-type").is_some(),
            !body.is_empty(),
            "{action}"
        );
        assert!(
            o.validate(&Limits::default()).is_ok(),
            "{action}: {:?}",
            o.validate(&Limits::default())
        );
    }
}

#[test]
fn esa_arrays_and_maps_are_json_strings() {
    let o = esa::PurgeCaches {
        site_id: Some(9_007_199_254_740_993),
        kind: Some("purgeall".into()),
        content: Some(esa::PurgeContent {
            purge_all: Some(true),
            ..Default::default()
        }),
        force: Some(true),
        edge_compute_purge: None,
    };
    let req = o.build(&Endpoint::default_for(Service::Esa));
    assert_eq!(
        req.query,
        "Content=%7B%22PurgeAll%22%3Atrue%7D&Force=true&SiteId=9007199254740993&Type=purgeall"
    );
}

#[test]
fn validation_urls_scheme_host_and_empty_lists() {
    let o = op(
        Service::Teo,
        "CreatePrefetchTask",
        json!({"ZoneId": "z", "Targets": []}),
    );
    assert_eq!(rules(&o), vec![("Targets".into(), Rule::NonEmpty)]);
    let o = op(
        Service::Teo,
        "CreatePrefetchTask",
        json!({"Targets": ["ftp://a.com/x", "https://ok.com/a", "https:///nohost", "https://a.com/tab\t"]}),
    );
    assert_eq!(
        rules(&o),
        vec![
            ("ZoneId".into(), Rule::Required),
            ("Targets[0]".into(), Rule::UrlScheme),
            ("Targets[2]".into(), Rule::UrlHost),
            ("Targets[3]".into(), Rule::Characters),
        ]
    );
}

#[test]
fn validation_per_call_caps_are_overridable() {
    let urls: Vec<String> = (0..501).map(|i| format!("https://a.com/{i}")).collect();
    let o = cdn::PushUrlsCache {
        urls: Some(urls),
        ..Default::default()
    };
    let err = o.validate(&Limits::default()).unwrap_err();
    assert_eq!(err.errors[0].rule, Rule::MaxItems);
    assert!(
        err.errors[0].message.contains("500"),
        "{}",
        err.errors[0].message
    );
    let bigger = Limits {
        cdn_push_batch: 1000,
        ..Limits::default()
    };
    assert!(o.validate(&bigger).is_ok());
}

#[test]
fn validation_cdn_headers_and_wildcards() {
    let mut headers: Vec<cdn::Header> = (0..21)
        .map(|i| cdn::Header {
            name: Some(format!("X-{i}")),
            value: Some("v".into()),
        })
        .collect();
    headers[3].name = Some("N".repeat(129));
    headers[4].value = Some("V".repeat(1025));
    let o = cdn::PushUrlsCache {
        urls: Some(vec!["https://*.example.com/a".into()]),
        headers: Some(headers),
        area: Some("moon".into()),
        ..Default::default()
    };
    let got: Vec<(String, Rule)> = o
        .validate(&Limits::default())
        .unwrap_err()
        .errors
        .into_iter()
        .map(|e| (e.field, e.rule))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Urls[0]".into(), Rule::Wildcard),
            ("Area".into(), Rule::OneOf),
            ("Headers".into(), Rule::MaxItems),
            ("Headers[3].Name".into(), Rule::MaxLength),
            ("Headers[4].Value".into(), Rule::MaxLength),
        ]
    );
}

#[test]
fn validation_describe_windows_and_limits() {
    let base = |start: &str, end: &str, limit: i64| {
        edgeone::DescribePrefetchTasks(edgeone::DescribeTasks {
            zone_id: Some("z".into()),
            start_time: Some(start.into()),
            end_time: Some(end.into()),
            limit: Some(limit),
            ..Default::default()
        })
    };
    let ok = base(
        "2024-01-01T00:00:00+08:00",
        "2024-01-07T23:59:59+08:00",
        1000,
    );
    assert!(ok.validate(&Limits::default()).is_ok());
    let long = base("2024-01-01T00:00:00Z", "2024-01-08T00:00:01Z", 20);
    assert_eq!(
        long.validate(&Limits::default()).unwrap_err().errors[0].rule,
        Rule::TimeWindow
    );
    let reversed = base("2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z", 20);
    assert_eq!(
        reversed.validate(&Limits::default()).unwrap_err().errors[0].rule,
        Rule::TimeOrder
    );
    let bad = base("yesterday", "2024-01-01T00:00:00Z", 1001);
    let errs = bad.validate(&Limits::default()).unwrap_err().errors;
    assert_eq!(
        (errs[0].field.as_str(), errs[0].rule),
        ("StartTime", Rule::TimeFormat)
    );
    assert_eq!(
        (errs[1].field.as_str(), errs[1].rule),
        ("Limit", Rule::Range)
    );
    let cdn_rev = cdn::DescribePushTasks {
        start_time: Some("2024-01-02 00:00:00".into()),
        end_time: Some("2024-01-01 00:00:00".into()),
        ..Default::default()
    };
    assert_eq!(
        cdn_rev.validate(&Limits::default()).unwrap_err().errors[0].rule,
        Rule::TimeOrder
    );
    let esa_page = esa::DescribePreloadTasks {
        site_id: Some(1),
        page_size: Some(51),
        ..Default::default()
    };
    let e = esa_page.validate(&Limits::default()).unwrap_err().errors;
    assert_eq!((e[0].field.as_str(), e[0].rule), ("PageSize", Rule::Range));
    let esa_page0 = esa::ListScheduledPreloadJobs {
        site_id: Some(1),
        page_size: Some(0),
        ..Default::default()
    };
    assert_eq!(
        esa_page0.validate(&Limits::default()).unwrap_err().errors[0].field,
        "PageSize"
    );
}

#[test]
fn validation_insert_way_rules() {
    let job = |way: &str, list: Option<&str>, oss: Option<&str>| esa::CreateScheduledPreloadJob {
        insert_way: Some(way.into()),
        name: Some("n".into()),
        oss_url: oss.map(Into::into),
        site_id: Some(1),
        url_list: list.map(Into::into),
    };
    let e = job("textBox", None, Some("https://b.oss/x"))
        .validate(&Limits::default())
        .unwrap_err()
        .errors;
    assert_eq!(
        (e[0].field.as_str(), e[0].rule),
        ("UrlList", Rule::Combination)
    );
    let e = job("oss", Some("https://a.com/x"), Some(""))
        .validate(&Limits::default())
        .unwrap_err()
        .errors;
    assert_eq!(
        (e[0].field.as_str(), e[0].rule),
        ("OssUrl", Rule::Combination)
    );
    let e = job("Textbox", None, None)
        .validate(&Limits::default())
        .unwrap_err()
        .errors;
    assert_eq!((e[0].field.as_str(), e[0].rule), ("InsertWay", Rule::OneOf));
    assert!(job(
        "textBox",
        Some("https://a.com/1\r\nhttps://a.com/2\n"),
        None
    )
    .validate(&Limits::default())
    .is_ok());
    let e = job("textBox", Some("https://a.com/1\nnot a url"), None)
        .validate(&Limits::default())
        .unwrap_err()
        .errors;
    assert_eq!(e[0].field, "UrlList[1]");
}

// needs a URL parser: the `url` feature (without it the call module's wasm parses with the
// host's WHATWG URL, checked against this build in tests/npm/call.test.mjs)
#[cfg(feature = "url")]
#[test]
fn validation_esa_needs_encoded_urls_and_previews_them() {
    let raw = "https://www.example.com/中文 b.js";
    let o = esa::PreloadCaches {
        site_id: Some(1),
        content: Some(vec![raw.into()]),
        headers: None,
    };
    let e = o.validate(&Limits::default()).unwrap_err().errors;
    assert_eq!(
        (e[0].field.as_str(), e[0].rule),
        ("Content[0]", Rule::Characters)
    );
    let prepared = edgewarm::urls::prepare(raw, Service::Esa).unwrap();
    assert_eq!(
        prepared.send,
        "https://www.example.com/%E4%B8%AD%E6%96%87%20b.js"
    );
    let o = esa::PreloadCaches {
        site_id: Some(1),
        content: Some(vec![prepared.send]),
        headers: None,
    };
    assert!(o.validate(&Limits::default()).is_ok());
}

#[test]
fn validation_purge_rules() {
    let o = edgeone::CreatePurgeTask {
        zone_id: Some("*".into()),
        kind: Some("purge_all".into()),
        ..Default::default()
    };
    assert_eq!(
        o.validate(&Limits::default()).unwrap_err().errors[0].rule,
        Rule::Combination
    );
    let o = edgeone::CreatePurgeTask {
        zone_id: Some("z".into()),
        kind: Some("purge_host".into()),
        targets: Some(vec!["*.test.com".into()]),
        ..Default::default()
    };
    assert_eq!(
        o.validate(&Limits::default()).unwrap_err().errors[0].field,
        "Targets[0]"
    );
}

#[test]
fn endpoints() {
    assert_eq!(
        Endpoint::tencent(Service::Teo, Site::China).host,
        "teo.tencentcloudapi.com"
    );
    assert_eq!(
        Endpoint::tencent(Service::Cdn, Site::Intl).host,
        "cdn.intl.tencentcloudapi.com"
    );
    assert_eq!(
        Endpoint::esa("cn-hangzhou").unwrap().host,
        "esa.cn-hangzhou.aliyuncs.com"
    );
    assert!(Endpoint::esa("evil.com/x").is_none());
}

#[cfg(feature = "jobs")]
#[test]
fn dry_run_signs_every_planned_batch_without_changing_the_job() {
    use edgewarm::job::{Job, JobSpec, Target};
    let spec: JobSpec = serde_json::from_value(serde_json::json!({
        "target": {"vendor": "cdn"},
        "endpoint": {"host": "cdn.tencentcloudapi.com"},
        "keyId": "AKIDEXAMPLE",
        "options": {"limits": {"cdnPushBatch": 2}}
    }))
    .unwrap();
    assert!(matches!(spec.target, Target::Cdn { .. }));
    let urls: Vec<String> = (0..5)
        .map(|i| format!("https://www.example.com/{i}"))
        .collect();
    let job = Job::new(spec, urls, 7, 1_700_000_000_000);
    let before = job.journal();
    let creds = edgewarm::Credentials::new("AKIDEXAMPLE", "secret");
    let requests = job.dry_run(1_700_000_000_000, &creds).unwrap();
    assert_eq!(requests.len(), job.batches().len());
    assert_eq!(job.journal(), before, "a dry run changes nothing");
    let explained = job.dry_run_explained(1_700_000_000_000, &creds).unwrap();
    let per_call: Vec<usize> = explained.iter().map(|c| c.urls).collect();
    assert_eq!(per_call, [2, 2, 1], "each call with its URL count");
    for r in &requests {
        assert!(edgewarm::sign::tc3::verify(r, &creds, 1_700_000_000).is_ok());
        assert!(r.body_text().contains("https://www.example.com/"));
    }
}

#[test]
fn curl_rendering_quotes_and_hides_session_tokens() {
    let mut req = edgewarm::HttpRequest::new(edgewarm::Method::Post, "cdn.tencentcloudapi.com");
    req.headers.push(("X-TC-Token".into(), "sts-value".into()));
    req.headers.push(("X-Note".into(), "it's".into()));
    req.body = br#"{"Urls":["https://a.com/x"]}"#.to_vec();
    let curl = req.to_curl("http://127.0.0.1:8787/api/cdn.tencentcloudapi.com/");
    assert_eq!(
        curl,
        r#"curl -sS -X POST 'http://127.0.0.1:8787/api/cdn.tencentcloudapi.com/' -H "X-TC-Token: $TENCENTCLOUD_SESSION_TOKEN" -H 'X-Note: it'\''s' --data-binary '{"Urls":["https://a.com/x"]}'"#
    );
    assert!(!curl.contains("sts-value"));
    assert_eq!(req.proxy_path(), "/api/cdn.tencentcloudapi.com/");
}
