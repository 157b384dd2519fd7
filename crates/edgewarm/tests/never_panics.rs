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
