//! Native baseline for `bench/sign.sh`: build + sign + parse a 500-URL PushUrlsCache, the same
//! work the npm package's benchmark times in Node. Prints the median µs per request of 9 rounds.
//!
//! `cargo run --release -p edgewarm --example sign_bench -- [--validate]`

use edgewarm::vendor::cdn::PushUrlsCache;
use edgewarm::{response, sign, Call, Credentials, Endpoint, Limits, Service, SigningParams, Site};
use std::time::Instant;

fn main() {
    let validate = std::env::args().any(|a| a == "--validate");
    let urls: Vec<String> = (0..500)
        .map(|i| format!("https://www.example.com/static/build/assets/chunk-{i:06x}.js"))
        .collect();
    let input = serde_json::json!({ "Urls": urls }).to_string();
    let answer = br#"{"Response":{"TaskId":"15475444535871929928456","RequestId":"b6d1f0a2"}}"#;
    let creds = Credentials::new(
        "AKIDSANDBOX0000000000000000000000000",
        "sandbox-tencent-secret",
    );
    let endpoint = Endpoint::tencent(Service::Cdn, Site::China);
    let once = || {
        // from JSON text, as the binding receives it
        let op: PushUrlsCache = serde_json::from_str(&input).expect("params");
        if validate {
            op.validate(&Limits::default()).expect("valid");
        }
        let mut req = op.build(&endpoint);
        let out = sign::sign_request(
            &mut req,
            Service::Cdn,
            &creds,
            &SigningParams::new(1_795_500_000, ""),
        )
        .expect("signed");
        assert!(!out.signature.is_empty());
        let parsed = response::parse::<PushUrlsCache>(200, answer).expect("parsed");
        assert!(!parsed.task_id.is_empty());
    };
    let n = 1000;
    for _ in 0..200 {
        once();
    }
    let mut rounds = Vec::new();
    for _ in 0..9 {
        let t = Instant::now();
        for _ in 0..n {
            once();
        }
        rounds.push(t.elapsed().as_secs_f64() * 1e6 / f64::from(n));
    }
    rounds.sort_by(f64::total_cmp);
    println!(
        "native Rust, 500-URL PushUrlsCache build{} + sign + parse: median {:.1} µs",
        if validate { " (validated)" } else { "" },
        rounds[4]
    );
}
