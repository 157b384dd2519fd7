//! The Rust URL parser (the `url` crate, native builds) answers every case of
//! `tests/url_answers.json` exactly as recorded there. The npm package's wasm modules parse with
//! the host's WHATWG `URL` instead (no IDNA tables in the wasm), and `tests/npm/call.test.mjs`
//! (Node) and `browser.test.mjs` (Chromium) hold them to the same file: the file is where the
//! two parsers are proven to agree. Each answer has the JS shape of `prepareUrl`: the prepared
//! URL, or the `ValidationError`'s name, code, field and rule.

use edgewarm::urls::prepare;
use edgewarm::Service;
use serde_json::{json, Value};

const CASES: &str = include_str!("../../../tests/url_answers.json");

/// `prepareUrl(url, service)` as the JS API returns it (or the error's identifying fields).
fn answer(url: &str, service: Service) -> Value {
    match prepare(url, service) {
        Ok(prepared) => json!(prepared),
        Err((rule, _)) => json!({
            "name": "ValidationError",
            "code": "edgewarm.Validation",
            "field": "url",
            "rule": rule,
        }),
    }
}

#[test]
fn the_rust_parser_answers_as_recorded() {
    let cases: Vec<Value> = serde_json::from_str(CASES).expect("tests/url_answers.json parses");
    assert!(cases.len() >= 90, "the file holds the cases");
    for case in &cases {
        let url = case["url"].as_str().expect("url");
        let service: Service =
            serde_json::from_value(case["service"].clone()).expect("teo, cdn or esa");
        assert_eq!(answer(url, service), case["answer"], "{url} ({service:?})");
    }
}

#[test]
fn the_cases_reach_every_answer() {
    let cases: Vec<Value> = serde_json::from_str(CASES).expect("tests/url_answers.json parses");
    let rules: std::collections::BTreeSet<&str> = cases
        .iter()
        .filter_map(|c| c["answer"]["rule"].as_str())
        .collect();
    for rule in ["url-host", "url-syntax", "url-scheme", "wildcard"] {
        assert!(rules.contains(rule), "a case is refused for {rule}");
    }
    assert!(
        cases
            .iter()
            .any(|c| c["answer"]["needsEncoding"] == json!(true)),
        "a case needs encoding"
    );
}
