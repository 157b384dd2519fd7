//! Real-origin mode: prefetched URLs are fetched from a loopback origin and their outcome follows
//! the origin's status (2xx success, other status invalid, unreachable failed).

use edgewarm::vendor::edgeone;
use edgewarm::{sign, Call, Credentials, Endpoint, Service, SigningParams, Site};
use edgewarm_sandbox::config::{TENCENT_SECRET_ID, TENCENT_SECRET_KEY};
use edgewarm_sandbox::http::{spawn_origin_worker, SandboxState};
use edgewarm_sandbox::{Clock, ManualClock, Sandbox, SandboxConfig};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test]
async fn outcomes_follow_the_origin() {
    let origin = axum::Router::new()
        .route("/ok.js", axum::routing::get(|| async { "console.log(1)" }))
        .route(
            "/gone.js",
            axum::routing::get(|| async { (axum::http::StatusCode::NOT_FOUND, "no") }),
        );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(l, origin).await.unwrap() });

    let cfg = SandboxConfig {
        real_origin: Some(format!("http://{addr}")),
        ..SandboxConfig::default()
    };
    let clock = ManualClock::at(1_700_000_000_000);
    let state = SandboxState {
        sandbox: Arc::new(Sandbox::new(cfg)),
        clock: Arc::new(clock.clone()),
    };
    spawn_origin_worker(state.clone());

    let creds = Credentials::new(TENCENT_SECRET_ID, TENCENT_SECRET_KEY);
    let call = |op: &dyn Fn() -> edgewarm::HttpRequest| {
        let mut req = op();
        sign::sign_request(
            &mut req,
            Service::Teo,
            &creds,
            &SigningParams::new(1_700_000_000, ""),
        )
        .unwrap();
        let reply = state.sandbox.handle(&req, clock.now_ms());
        serde_json::from_slice::<serde_json::Value>(&reply.body).unwrap()
    };
    let create = edgeone::CreatePrefetchTask {
        zone_id: Some("zone-sandbox".into()),
        targets: Some(vec![
            "https://www.example.com/ok.js".into(),
            "https://www.example.com/gone.js".into(),
        ]),
        ..Default::default()
    };
    let endpoint = Endpoint::tencent(Service::Teo, Site::China);
    let r = call(&|| create.build(&endpoint));
    assert!(r["Response"]["JobId"].is_string(), "{r}");
    clock.advance(10_000);
    let describe: edgeone::DescribePrefetchTasks = serde_json::from_value(serde_json::json!({
        "ZoneId": "zone-sandbox", "StartTime": "2023-11-14T00:00:00Z", "EndTime": "2023-11-15T00:00:00Z"}))
    .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..100 {
        let r = call(&|| describe.build(&endpoint));
        statuses = r["Response"]["Tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["Target"].as_str().unwrap().to_string(),
                    t["Status"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        if statuses.iter().all(|(_, s)| s != "processing") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    statuses.sort();
    assert_eq!(
        statuses,
        vec![
            (
                "https://www.example.com/gone.js".to_string(),
                "invalid".to_string()
            ),
            (
                "https://www.example.com/ok.js".to_string(),
                "success".to_string()
            ),
        ]
    );
}
