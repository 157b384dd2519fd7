//! A request read back into its operation and rebuilt by the core is the very request: for every
//! operation, as the console builds and signs it (placeholder keys, STS token, region,
//! language), and for arbitrary text in the parameters. This is what lets the edge worker sign
//! only what the core built without breaking the console's calls.

use edgewarm::rebuild::operation_from_request;
use edgewarm::{sign, Credentials, Endpoint, Operation, Service, SigningParams, Site, OPERATIONS};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Rich parameters for every operation (every field set where the model has it).
fn fixture(action: &str) -> Value {
    match action {
        "CreatePrefetchTask" => {
            json!({"ZoneId": "zone-2noz78a6ig3s", "Targets": ["https://www.example.com/a b.js", "https://www.example.com/中.css?x=1&y=2"],
            "Mode": "default", "EncodeUrl": true, "Headers": [{"Name": "User-Agent", "Value": "edgewarm \"quoted\""}], "PrefetchMediaSegments": "on"})
        }
        "DescribePrefetchTasks" | "DescribePurgeTasks" => {
            json!({"ZoneId": "zone-1", "StartTime": "2024-01-01T00:00:00Z", "EndTime": "2024-01-02T00:00:00+08:00",
            "Offset": 20, "Limit": 100, "Filters": [{"Name": "statuses", "Values": ["failed", "timeout"], "Fuzzy": false}]})
        }
        "CreatePurgeTask" => {
            json!({"ZoneId": "zone-1", "Type": "purge_cache_tag", "Method": "invalidate", "Targets": ["tag-a"], "EncodeUrl": false,
            "CacheTag": {"Domains": ["www.example.com"]}})
        }
        "DescribeContentQuota" => json!({"ZoneId": "zone-1"}),
        "PushUrlsCache" => {
            json!({"Urls": ["https://www.example.com/x.js"], "UserAgent": "ua/1.0", "Area": "global", "Layer": "middle",
            "ParseM3U8": true, "DisableRange": false, "Headers": [{"Name": "X-A", "Value": "1"}], "UrlEncode": true})
        }
        "DescribePushTasks" => {
            json!({"StartTime": "2024-01-01 00:00:00", "EndTime": "2024-01-02 00:00:00", "TaskId": "t-1", "Keyword": "www.example.com",
            "Offset": 0, "Limit": 50, "Area": "mainland", "Status": "done"})
        }
        "DescribePushQuota" => json!({}),
        "CreateScheduledPreloadJob" => {
            json!({"InsertWay": "textBox", "Name": "nightly 夜 & co=1+2", "OssUrl": "https://bucket.oss.example.com/list.txt",
            "SiteId": 9_007_199_254_740_993i64, "UrlList": "https://www.example.com/a\nhttps://www.example.com/b%20c"})
        }
        "CreateScheduledPreloadExecutions" => {
            json!({"Id": "job-1", "Executions": [{"StartTime": "2024-06-03T16:00:00Z", "EndTime": "2024-06-04T16:00:00Z", "Interval": 60, "SliceLen": 5}, {"Interval": 1, "SliceLen": 2}]})
        }
        "ListScheduledPreloadJobs" => {
            json!({"SiteId": 1, "StartTime": 1_700_000_000_000i64, "EndTime": 1_700_000_100_000i64, "PageNumber": 2, "PageSize": 50})
        }
        "UpdateScheduledPreloadExecution" => {
            json!({"Id": "plan-1", "StartTime": "2024-06-03T16:00:00Z", "EndTime": "2024-06-04T16:00:00Z", "Interval": 30, "SliceLen": 10})
        }
        "PreloadCaches" => {
            json!({"SiteId": 123_456_789, "Content": ["https://www.example.com/a.txt", "https://www.example.com/%E4%B8%AD?q=1&r=2"],
            "Headers": {"Accept-Encoding": "gzip", "X-Zeta": "z", "X-Alpha": "a"}})
        }
        "DescribePreloadTasks" => {
            json!({"SiteId": 1, "Content": "https://www.example.com/a.txt", "StartTime": "2024-01-01T00:00:00Z", "EndTime": "2024-01-02T00:00:00Z",
            "PageNumber": 1, "PageSize": 20, "Status": "Failed"})
        }
        "PurgeCaches" => {
            json!({"SiteId": 1, "Type": "cachekey", "Content": {"CacheKeys": [{"Url": "https://www.example.com/a", "Headers": {"Accept-Language": "zh"}}],
            "Files": ["https://www.example.com/b"], "PurgeAll": false}, "Force": true, "EdgeComputePurge": false})
        }
        // the Id-only family
        _ => json!({"Id": "id-0042"}),
    }
}

fn endpoints(service: Service) -> Vec<Endpoint> {
    match service {
        Service::Esa => vec![
            Endpoint::esa("cn-hangzhou").unwrap(),
            Endpoint::esa("ap-southeast-1").unwrap(),
        ],
        s => vec![
            Endpoint::tencent(s, Site::China),
            Endpoint::tencent(s, Site::Intl)
                .with_region("ap-singapore")
                .with_language("en-US"),
        ],
    }
}

#[test]
fn every_operation_rebuilds_byte_identical_from_its_signed_request() {
    let creds = Credentials::new("edge-worker", "signed-by-the-worker").with_token("stale-sts");
    for (service, action) in OPERATIONS {
        let op = Operation::from_parts(*service, action, fixture(action)).unwrap();
        for endpoint in endpoints(*service) {
            let original = op.build(&endpoint);
            let mut signed = original.clone();
            sign::sign_request(
                &mut signed,
                *service,
                &creds,
                &SigningParams::new(1_700_000_000, "0123456789abcdef0123456789abcdef"),
            )
            .unwrap();
            let (back, back_endpoint) = operation_from_request(&signed)
                .unwrap_or_else(|e| panic!("{action} on {}: {e}", endpoint.host));
            assert_eq!(back, op, "{action}: the operation");
            assert_eq!(
                Operation::from_http_request(&signed).unwrap(),
                op,
                "{action}"
            );
            assert_eq!(
                back.build(&back_endpoint),
                original,
                "{action} on {}: the rebuilt request",
                endpoint.host
            );
        }
    }
}

#[test]
fn caller_bytes_are_replaced_by_the_cores() {
    // the same operation written differently: pretty JSON, an unknown field, a query
    let op =
        Operation::from_parts(Service::Cdn, "PushUrlsCache", fixture("PushUrlsCache")).unwrap();
    let canonical = op.build(&Endpoint::default_for(Service::Cdn));
    let mut odd = canonical.clone();
    odd.body = serde_json::to_vec_pretty(&json!({"Urls": ["https://www.example.com/x.js"], "Extra": "ignored",
        "UserAgent": "ua/1.0", "Area": "global", "Layer": "middle", "ParseM3U8": true, "DisableRange": false,
        "Headers": [{"Name": "X-A", "Value": "1"}], "UrlEncode": true}))
    .unwrap();
    odd.query = "Action=Other".into();
    let (back, endpoint) = operation_from_request(&odd).unwrap();
    assert_eq!(back.build(&endpoint), canonical);
    // ESA: parameters moved between query and body, unsorted, `+` for spaces
    let op = Operation::from_parts(
        Service::Esa,
        "CreateScheduledPreloadJob",
        fixture("CreateScheduledPreloadJob"),
    )
    .unwrap();
    let canonical = op.build(&Endpoint::default_for(Service::Esa));
    let mut moved = canonical.clone();
    moved.query = String::from_utf8(canonical.body.clone()).unwrap();
    moved.body.clear();
    let (back, endpoint) = operation_from_request(&moved).unwrap();
    assert_eq!(back.build(&endpoint), canonical);
}

proptest! {
    #[test]
    fn arbitrary_text_survives_the_round_trip(
        name in "\\PC{0,40}",
        url in "https://www\\.example\\.com/[a-z0-9%&=+ ?#中-]{0,30}",
        header in "[A-Za-z][A-Za-z0-9-]{0,15}",
        value in "\\PC{0,20}",
        site in 1i64..i64::MAX,
        force in any::<bool>(),
    ) {
        let cases = [
            (Service::Esa, "CreateScheduledPreloadJob", json!({"InsertWay": "textBox", "Name": name, "SiteId": site, "UrlList": url})),
            (Service::Esa, "PreloadCaches", json!({"SiteId": site, "Content": [url, name], "Headers": {header.clone(): value}})),
            (Service::Esa, "PurgeCaches", json!({"SiteId": site, "Type": "directory", "Content": {"Directories": [name]}, "Force": force})),
            (Service::Esa, "DescribePreloadTasks", json!({"SiteId": site, "Content": value, "Status": name})),
            (Service::Teo, "CreatePrefetchTask", json!({"ZoneId": name, "Targets": [url], "Headers": [{"Name": header, "Value": value}]})),
        ];
        for (service, action, params) in cases {
            let op = Operation::from_parts(service, action, params).unwrap();
            let original = op.build(&Endpoint::default_for(service));
            let (back, endpoint) = operation_from_request(&original).unwrap();
            prop_assert_eq!(&back, &op);
            prop_assert_eq!(back.build(&endpoint), original);
        }
    }
}
