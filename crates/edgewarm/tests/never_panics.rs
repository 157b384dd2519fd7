//! Never-panics suite: every parser, builder, validator, signer and verifier of the core gets
//! arbitrary input. In wasm a panic kills the module, so each must answer with a value or a
//! typed error, whatever it is fed.

use edgewarm::{
    sign, urls, Credentials, Endpoint, HttpRequest, Limits, Method, Operation, Service,
    SigningParams, OPERATIONS,
};
use proptest::prelude::*;
use serde_json::Value;

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".*".prop_map(Value::String),
        "https?://[a-z*.]{0,12}/[^ ]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(
                prop_oneof![
                    "[A-Z][a-zA-Z]{0,12}",
                    Just("Targets".to_string()),
                    Just("Urls".to_string()),
                    Just("Content".to_string()),
                    Just("Headers".to_string()),
                    Just("Executions".to_string()),
                    Just("StartTime".to_string()),
                    Just("EndTime".to_string()),
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn any_request() -> impl Strategy<Value = HttpRequest> {
    (
        any::<bool>(),
        ".{0,30}",
        ".{0,60}",
        proptest::collection::vec(
            (
                prop_oneof![
                    Just("Authorization".to_string()),
                    Just("X-TC-Timestamp".to_string()),
                    Just("x-acs-date".to_string()),
                    Just("Content-Type".to_string()),
                    Just("x-acs-security-token".to_string()),
                    ".{0,12}"
                ],
                prop_oneof![
                    "TC3-HMAC-SHA256 Credential=[a-z/]{0,30}, SignedHeaders=[a-z;-]{0,20}, Signature=[a-f0-9]{0,64}",
                    "ACS3-HMAC-SHA256 Credential=[a-z]{0,8},SignedHeaders=[a-z;-]{0,40},Signature=[a-f0-9]{0,64}",
                    "[0-9]{0,14}",
                    ".{0,40}"
                ],
            ),
            0..8,
        ),
        proptest::collection::vec(any::<u8>(), 0..64),
    )
        .prop_map(|(get, host, query, headers, body)| HttpRequest {
            method: if get { Method::Get } else { Method::Post },
            host,
            path: "/".into(),
            query,
            headers,
            body,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn operations_from_any_params(params in any_json(), idx in 0usize..64, time in any::<i64>(), nonce in ".{0,40}") {
        let (service, action) = OPERATIONS[idx % OPERATIONS.len()];
        if let Ok(op) = Operation::from_parts(service, action, params) {
            let _ = op.validate(&Limits::default());
            let mut req = op.build(&Endpoint::default_for(service));
            let creds = Credentials::new("id", "secret").with_token("tok");
            let _ = sign::sign_request(&mut req, service, &creds, &SigningParams::new(time, nonce));
            let _ = sign::verify_request(&req, &creds, time);
        }
    }

    #[test]
    fn responses_from_any_bytes(body in proptest::collection::vec(any::<u8>(), 0..200), status in any::<u16>(), idx in 0usize..64) {
        let (service, action) = OPERATIONS[idx % OPERATIONS.len()];
        let op = Operation::from_parts(service, action, Value::Null).unwrap();
        let _ = op.parse_response(status, &body);
    }

    #[test]
    fn responses_from_any_json(body in any_json(), status in prop_oneof![Just(200u16), Just(400), Just(503), any::<u16>()], idx in 0usize..64) {
        let (service, action) = OPERATIONS[idx % OPERATIONS.len()];
        let op = Operation::from_parts(service, action, Value::Null).unwrap();
        let wrapped = serde_json::json!({"Response": body.clone()});
        let _ = op.parse_response(status, body.to_string().as_bytes());
        let _ = op.parse_response(status, wrapped.to_string().as_bytes());
    }

    #[test]
    fn verifiers_on_any_request(req in any_request(), now in any::<i64>()) {
        let creds = vec![Credentials::new("a", "b"), Credentials::new("c", "d").with_token("t")];
        let _ = sign::tc3::verify(&req, &creds, now);
        let _ = sign::acs3::verify(&req, &creds, now);
        let _ = sign::verify_request(&req, creds.as_slice(), now);
    }

    #[test]
    fn url_preparation_on_any_text(s in ".{0,80}", idx in 0usize..3) {
        let _ = urls::prepare(&s, Service::ALL[idx]);
        let _ = urls::prepare(&format!("https://{s}"), Service::ALL[idx]);
    }
}

#[cfg(feature = "jobs")]
mod jobs {
    use super::*;
    // ---- the job engine: journals are untrusted input, answers are the vendor's ----

    use edgewarm::job::{Job, Step, TransportError};

    const T0: i64 = 1_700_000_000_000;

    /// Journals written by the engine (the v1 fixtures, and a v2 one mid-run).
    fn journals() -> Vec<String> {
        let mut out: Vec<String> = [
            include_str!("fixtures/journal_v1_teo.json"),
            include_str!("fixtures/journal_v1_cdn.json"),
            include_str!("fixtures/journal_v1_esa.json"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let spec = edgewarm::job::fixtures::spec(Service::Cdn, "AKIDFAKE");
        let urls = (0..30)
            .map(|i| format!("https://www.example.com/{i}"))
            .collect();
        let mut job = Job::new(spec, urls, 3, T0);
        let _ = job.next_actions(T0, &Credentials::new("AKIDFAKE", "s"));
        out.push(job.journal().expect("a job writes its journal"));
        out
    }

    /// Every JSON pointer of a value.
    fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
        out.push(at.clone());
        match v {
            Value::Object(m) => m
                .iter()
                .for_each(|(k, v)| pointers(v, format!("{at}/{k}"), out)),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, v)| pointers(v, format!("{at}/{i}"), out)),
            _ => {}
        }
    }

    fn odd_value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::from(i64::MAX)),
            Just(Value::from(i64::MIN)),
            Just(Value::from(u64::MAX)),
            Just(Value::from(-1)),
            Just(Value::from(0)),
            Just(Value::from(1)),
            Just(Value::from(99)),
            Just(Value::from(1e300)),
            Just(Value::from(-0.5)),
            Just(Value::Null),
            Just(Value::from("")),
            Just(Value::from("sending")),
            Just(Value::from("tracking")),
            Just(Value::from("reconcile")),
            Just(serde_json::json!([])),
            Just(serde_json::json!({})),
            any::<i64>().prop_map(Value::from),
            ".{0,12}".prop_map(Value::from),
            any_json(),
        ]
    }

    /// An answer that every call kind reads (each output takes its own fields), with odd values.
    fn any_answer() -> impl Strategy<Value = (u16, Vec<u8>)> {
        let body = (
        prop_oneof![Just("t1".to_string()), ".{0,8}"],
        prop_oneof![
            Just("https://www.example.com/1".to_string()),
            Just("https://www.example.com/a/0.js".to_string()),
            ".{0,20}"
        ],
        prop_oneof![
            Just("done".to_string()),
            Just("process".to_string()),
            Just("success".to_string()),
            Just("processing".to_string()),
            Just("Complete".to_string()),
            Just("Refreshing".to_string()),
            Just("fail".to_string()),
            ".{0,8}"
        ],
        any::<i64>(),
        prop_oneof![Just(None), any::<String>().prop_map(Some)],
        prop_oneof![
            Just("".to_string()),
            Just("2023-11-14T22:13:20Z".to_string()),
            Just("2023-11-15 06:13:20".to_string()),
            ".{0,20}"
        ],
    )
        .prop_map(|(task, url, status, n, code, time)| {
            let row = serde_json::json!({
                "TaskId": task, "JobId": task, "Url": url, "Target": url, "Content": url,
                "Status": status, "CreateTime": time, "Type": "prefetch_url",
            });
            let mut r = serde_json::json!({
                "TaskId": task, "JobId": task, "RequestId": "r", "TotalCount": n,
                "PushLogs": [row], "Tasks": [row], "FailedList": [{"Reason": "x", "Targets": [url]}],
                "UrlPush": [{"Area": "mainland", "Batch": n, "Available": n}],
                "PrefetchQuota": [{"Type": "prefetch_url", "Batch": n, "DailyAvailable": n}],
            });
            if let Some(c) = code {
                r["Error"] = serde_json::json!({"Code": c, "Message": c});
                r["Code"] = Value::from(c);
            }
            r
        });
        prop_oneof![
            (body.clone(), any::<bool>()).prop_map(|(b, wrap)| {
                let b = if wrap {
                    serde_json::json!({ "Response": b })
                } else {
                    b
                };
                (200u16, b.to_string().into_bytes())
            }),
            (any::<u16>(), body).prop_map(|(s, b)| (s, b.to_string().into_bytes())),
            (any::<u16>(), proptest::collection::vec(any::<u8>(), 0..80)),
            (any::<u16>(), any_json()).prop_map(|(s, b)| (s, b.to_string().into_bytes())),
        ]
    }

    /// Runs a job for a few rounds, answering each call from `answers` (or a transport error).
    fn exercise(job: &mut Job, answers: &[(u16, Vec<u8>)], steps: &[(u32, u8)]) {
        let creds = Credentials::new("AKIDFAKE", "s");
        let mut now = T0 + 1_000;
        let mut k = 0;
        for &(advance, how) in steps {
            now += i64::from(advance);
            let _ = job.progress(now);
            for a in job.next_actions(now, &creds) {
                if let Step::Send { call_id, .. } = a {
                    match how % 8 {
                        0 => job.on_transport_error(call_id, TransportError::Unknown, now),
                        1 => job.on_transport_error(call_id, TransportError::NotSent, now),
                        _ if answers.is_empty() => {}
                        _ => {
                            let (status, body) = &answers[k % answers.len()];
                            k += 1;
                            let date = (how % 3 == 0).then_some(now + i64::from(advance) * 7);
                            job.on_response(call_id, *status, body, now, date);
                        }
                    }
                }
            }
            if let Ok(j) = job.journal() {
                let _ = Job::resume(&j);
            }
        }
        let _ = job.retry_failed(1, now);
        let _ = job.dry_run(now, &creds);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn resume_from_any_text(s in ".{0,300}", v in any_json()) {
            let _ = Job::resume(&s);
            if let Ok(mut job) = Job::resume(&v.to_string()) {
                exercise(&mut job, &[], &[(0, 2), (100_000, 2)]);
            }
        }

        #[test]
        fn resume_from_mutated_journals(
            which in 0usize..4,
            edits in proptest::collection::vec((any::<proptest::sample::Index>(), 0u8..4, odd_value()), 1..4),
            cut in any::<proptest::sample::Index>(),
            steps in proptest::collection::vec((0u32..200_000, any::<u8>()), 1..12),
            answers in proptest::collection::vec(any_answer(), 0..6),
        ) {
            let text = journals().swap_remove(which);
            let mut value: Value = serde_json::from_str(&text).unwrap();
            let mut truncated = None;
            for (at, op, new) in edits {
                let mut all = Vec::new();
                pointers(&value, String::new(), &mut all);
                let path = at.get(&all).clone();
                match op {
                    0 | 1 => {
                        if let Some(slot) = value.pointer_mut(&path) {
                            *slot = new;
                        }
                    }
                    2 => {
                        // remove a key or an element
                        if let Some((parent, last)) = path.rsplit_once('/') {
                            match value.pointer_mut(parent) {
                                Some(Value::Object(m)) => { m.remove(last); }
                                Some(Value::Array(a)) => {
                                    if let Ok(i) = last.parse::<usize>() {
                                        if i < a.len() { a.remove(i); }
                                    }
                                }
                                _ => {}
                            }
                        }
                    }
                    _ => {
                        let s = value.to_string();
                        let mut at = cut.index(s.len().max(1));
                        while !s.is_char_boundary(at) { at -= 1; }
                        truncated = Some(s[..at].to_string());
                    }
                }
            }
            let text = truncated.unwrap_or_else(|| value.to_string());
            if let Ok(mut job) = Job::resume(&text) {
                exercise(&mut job, &answers, &steps);
            }
        }

        #[test]
        fn on_response_with_any_answer_for_every_call_kind(
            which in 0usize..4,
            steps in proptest::collection::vec((0u32..400_000, any::<u8>()), 1..24),
            answers in proptest::collection::vec(any_answer(), 1..8),
        ) {
            let mut job = Job::resume(&journals()[which]).unwrap();
            exercise(&mut job, &answers, &steps);
        }
    }
}
