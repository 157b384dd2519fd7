//! The job's internally tagged enums (`Fate`, `CallKind`, `Target`, `JobKind`) are read by
//! flat readers, not serde's `Content`-buffering derive: every variant written is read back
//! equal, through serde_json and through the lean `value_de` reader (the wasm bindings'), with
//! the tag anywhere in the object and unknown fields ignored; a missing field or an unknown
//! tag is refused with the derive's words.

use edgewarm::job::spec::{JobKind, PurgeType, Target};
use edgewarm::job::state::{CallKind, Fate};
use edgewarm::{value_de, Headers, Rule};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use std::fmt::Debug;

/// Written, then read back by both readers, with the object's keys reversed too (the tag last).
fn round_trips<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: T) {
    let written = serde_json::to_value(&value).unwrap();
    let reversed: serde_json::Map<String, Value> = written
        .as_object()
        .unwrap()
        .iter()
        .rev()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for shape in [written.clone(), Value::Object(reversed)] {
        let text = shape.to_string();
        assert_eq!(serde_json::from_str::<T>(&text).unwrap(), value, "{text}");
        assert_eq!(value_de::from_value::<T>(shape).unwrap(), value, "{text}");
    }
}

fn refusal<T: DeserializeOwned + Debug>(v: Value) -> (String, String) {
    let json = serde_json::from_value::<T>(v.clone())
        .unwrap_err()
        .to_string();
    let lean = value_de::from_value::<T>(v).unwrap_err().to_string();
    (json, lean)
}

fn headers() -> Headers {
    serde_json::from_value(json!([["X-Warm", "1"], ["Accept", "*/*"]])).unwrap()
}

#[test]
fn every_variant_round_trips() {
    for fate in [
        Fate::Pending,
        Fate::Submitted {
            task_id: "t-1".into(),
        },
        Fate::Succeeded,
        Fate::failed("originPullFailed", "origin answered 502"),
        Fate::Deferred(Box::new(edgewarm::job::state::Deferral {
            until_ms: -5,
            reason: "quota".into(),
        })),
        Fate::Invalid(Box::new(edgewarm::job::state::LocalRefusal {
            rule: Rule::UrlHost,
            message: "no host".into(),
        })),
    ] {
        round_trips(fate);
    }
    for kind in [
        CallKind::Quota,
        CallKind::PrefetchQuota,
        CallKind::Submit { batch: 3 },
        CallKind::Poll { batch: 0 },
        CallKind::Sweep { page: 7 },
        CallKind::Reconcile { batch: 12 },
    ] {
        round_trips(kind);
    }
    for target in [
        Target::Edgeone {
            zone_id: "zone-1".into(),
            mode: Some("edge".into()),
            headers: headers(),
            prefetch_media_segments: Some("on".into()),
            cache_tag_domains: vec!["a.example.com".into()],
        },
        Target::Edgeone {
            zone_id: "zone-2".into(),
            mode: None,
            headers: Headers::new(),
            prefetch_media_segments: None,
            cache_tag_domains: vec![],
        },
        Target::Cdn {
            area: Some("overseas".into()),
            layer: Some("middle".into()),
            user_agent: Some("ua".into()),
            parse_m3u8: Some(true),
            disable_range: Some(false),
            headers: headers(),
        },
        Target::Esa {
            site_id: 42,
            headers: headers(),
        },
    ] {
        round_trips(target);
    }
    for kind in [
        JobKind::Prefetch,
        JobKind::Refresh,
        JobKind::Purge {
            purge_type: PurgeType::Tag,
        },
        JobKind::Purge {
            purge_type: PurgeType::Url,
        },
    ] {
        round_trips(kind);
    }
}

#[test]
fn defaults_aliases_and_unknown_fields() {
    let read = |v: Value| serde_json::from_value::<Target>(v).unwrap();
    assert_eq!(
        read(json!({"zoneId": "zone-1", "vendor": "teo", "comment": {"any": [1]}})),
        Target::Edgeone {
            zone_id: "zone-1".into(),
            mode: None,
            headers: Headers::new(),
            prefetch_media_segments: None,
            cache_tag_domains: vec![],
        }
    );
    assert_eq!(
        read(json!({"vendor": "cdn"})),
        Target::Cdn {
            area: None,
            layer: None,
            user_agent: None,
            parse_m3u8: None,
            disable_range: None,
            headers: Headers::new()
        }
    );
    // ESA's headers are written as an object and read as either shape
    assert_eq!(
        read(json!({"vendor": "esa", "siteId": 9, "headers": {"X-Warm": "1"}})),
        read(json!({"vendor": "esa", "siteId": 9, "headers": [["X-Warm", "1"]]}))
    );
    assert_eq!(
        serde_json::from_value::<JobKind>(json!({"type": "purge"})).unwrap(),
        JobKind::Purge {
            purge_type: PurgeType::Url
        }
    );
}

#[test]
fn refusals_name_the_field_or_the_tag() {
    let cases: Vec<((String, String), &str)> = vec![
        (
            refusal::<Target>(json!({"vendor": "akamai"})),
            "unknown variant `akamai`, expected one of `edgeone`, `teo`, `cdn`, `esa`",
        ),
        (
            refusal::<Target>(json!({"vendor": "esa"})),
            "missing field `siteId`",
        ),
        (
            refusal::<Target>(json!({"siteId": 1})),
            "missing field `vendor`",
        ),
        (
            refusal::<Target>(json!({"vendor": "esa", "siteId": "9"})),
            "invalid type: string \"9\", expected i64",
        ),
        (
            refusal::<Target>(json!({"vendor": "edgeone"})),
            "missing field `zoneId`",
        ),
        (
            refusal::<Fate>(json!({"fate": "submitted"})),
            "missing field `taskId`",
        ),
        (
            refusal::<Fate>(json!({"fate": "failed", "code": "x"})),
            "missing field `reason`",
        ),
        (
            refusal::<Fate>(json!({"fate": "deferred", "reason": "q"})),
            "missing field `untilMs`",
        ),
        (
            refusal::<Fate>(json!({"fate": "invalid", "rule": "no-such-rule", "message": "m"})),
            "unknown variant `no-such-rule`",
        ),
        (
            refusal::<Fate>(json!({"fate": "lost"})),
            "unknown variant `lost`",
        ),
        (
            refusal::<CallKind>(json!({"kind": "poll"})),
            "missing field `batch`",
        ),
        (
            refusal::<CallKind>(json!({"kind": "sweep"})),
            "missing field `page`",
        ),
        (
            refusal::<CallKind>(json!({"kind": "submit", "batch": -1})),
            "invalid value: integer `-1`",
        ),
        (
            refusal::<JobKind>(json!({"type": "warm"})),
            "unknown variant `warm`, expected one of `prefetch`, `purge`, `refresh`",
        ),
        (
            refusal::<Fate>(json!("pending")),
            "invalid type: string \"pending\", expected struct Fate",
        ),
    ];
    for ((json, lean), want) in cases {
        assert!(json.contains(want), "serde_json: {json:?} lacks {want:?}");
        assert!(lean.contains(want), "value_de: {lean:?} lacks {want:?}");
    }
}
