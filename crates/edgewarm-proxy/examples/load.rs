//! Bounded load test of proxy → sandbox over loopback, against calling the sandbox directly in
//! the same run (the baseline): N clients for S seconds each way, every request signed by the
//! core. Prints throughput, p50/p99 latency, the added latency, error counts and memory growth;
//! exits non-zero on any error other than the sandbox's own throttling, or unbounded memory.
//!
//! `cargo run --release -p edgewarm-proxy --example load -- [--seconds 20] [--clients 200]`

use edgewarm::vendor::edgeone::DescribeContentQuota;
use edgewarm::{sign, Call, Credentials, Endpoint, Service, SigningParams, Site};
use edgewarm_proxy::ProxyConfig;
use edgewarm_sandbox::config::{TENCENT_SECRET_ID, TENCENT_SECRET_KEY};
use edgewarm_sandbox::http::{router, SandboxState};
use edgewarm_sandbox::{Sandbox, SandboxConfig, SystemClock};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(|l| l.to_string())
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

#[derive(Default)]
struct Tally {
    ok: AtomicU64,
    throttled: AtomicU64,
    errors: AtomicU64,
}

async fn serve(router: axum::Router) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = l.local_addr().expect("addr").to_string();
    tokio::spawn(async move {
        let _ = axum::serve(l, router).await;
    });
    addr
}

fn request() -> (Vec<(String, String)>, Vec<u8>) {
    let op = DescribeContentQuota {
        zone_id: Some("zone-sandbox".into()),
    };
    let mut req = op.build(&Endpoint::tencent(Service::Teo, Site::China));
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let creds = Credentials::new(TENCENT_SECRET_ID, TENCENT_SECRET_KEY);
    let _ = sign::sign_request(
        &mut req,
        Service::Teo,
        &creds,
        &SigningParams::new(now as i64, ""),
    );
    let mut headers = req.headers.clone();
    headers.push(("host".into(), req.host.clone()));
    (headers, req.body)
}

/// Runs `clients` loops for `secs` against `url`; returns sorted latencies (µs).
async fn run(url: String, proxied: bool, clients: usize, secs: u64, tally: Arc<Tally>) -> Vec<u64> {
    let stop = Arc::new(AtomicBool::new(false));
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .expect("client");
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, url, stop, tally) = (client.clone(), url.clone(), stop.clone(), tally.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let (headers, body) = request();
                let mut rb = client.post(&url);
                for (n, v) in headers {
                    if proxied && n == "host" {
                        continue;
                    }
                    rb = rb.header(n, v);
                }
                let t = Instant::now();
                let resp = rb.body(body).send().await;
                let text = match resp {
                    Ok(r) => r.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                lat.push(t.elapsed().as_micros() as u64);
                if text.contains("RequestLimitExceeded") {
                    tally.throttled.fetch_add(1, Ordering::Relaxed);
                } else if text.contains("PrefetchQuota") {
                    tally.ok.fetch_add(1, Ordering::Relaxed);
                } else {
                    tally.errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            lat
        }));
    }
    tokio::time::sleep(Duration::from_secs(secs)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap_or_default());
    }
    all.sort_unstable();
    all
}

fn pct(v: &[u64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() as f64 - 1.0) * p) as usize] as f64 / 1000.0
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let mut secs = 20u64;
    let mut clients = 200usize;
    let mut rate = 1_000_000u32;
    let args: Vec<String> = std::env::args().skip(1).collect();
    for w in args.windows(2) {
        match w[0].as_str() {
            "--seconds" => secs = w[1].parse().unwrap_or(secs),
            "--clients" => clients = w[1].parse().unwrap_or(clients),
            "--rate" => rate = w[1].parse().unwrap_or(rate),
            _ => {}
        }
    }
    let mut world = SandboxConfig::default();
    world.limits.rate_per_sec = rate;
    world.limits.burst = rate;
    let state = SandboxState {
        sandbox: Arc::new(Sandbox::new(world)),
        clock: Arc::new(SystemClock),
    };
    let direct = serve(router(state.clone())).await;
    let mut cfg = ProxyConfig::new("127.0.0.1:0");
    cfg.sandbox = Some(state);
    cfg.max_concurrency = clients * 2;
    cfg.max_connections = cfg.max_connections.max(clients * 2);
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let proxy = l.local_addr().expect("addr").to_string();
    tokio::spawn(edgewarm_proxy::serve(l, cfg, std::future::pending()));
    let rss0 = rss_kib();

    let base_tally = Arc::new(Tally::default());
    let base = run(
        format!("http://{direct}/"),
        false,
        clients,
        secs,
        base_tally.clone(),
    )
    .await;
    let rss1 = rss_kib();
    let proxy_tally = Arc::new(Tally::default());
    let via = run(
        format!("http://{proxy}/api/teo.tencentcloudapi.com/"),
        true,
        clients,
        secs,
        proxy_tally.clone(),
    )
    .await;
    let rss2 = rss_kib();

    let line = |name: &str, lat: &[u64], t: &Tally| {
        println!(
            "{name:>8}: {:>8.0} req/s  p50 {:>6.2} ms  p99 {:>6.2} ms  ok {} throttled {} errors {}",
            lat.len() as f64 / secs as f64,
            pct(lat, 0.5),
            pct(lat, 0.99),
            t.ok.load(Ordering::Relaxed),
            t.throttled.load(Ordering::Relaxed),
            t.errors.load(Ordering::Relaxed)
        )
    };
    println!("load: {clients} clients x {secs} s each way, sandbox rate limit {rate}/s");
    line("direct", &base, &base_tally);
    line("proxied", &via, &proxy_tally);
    println!(
        "added latency: p50 {:+.2} ms, p99 {:+.2} ms; throughput ratio proxied/direct {:.2}",
        pct(&via, 0.5) - pct(&base, 0.5),
        pct(&via, 0.99) - pct(&base, 0.99),
        via.len() as f64 / base.len().max(1) as f64
    );
    println!(
        "memory: RSS {} KiB at start, {} KiB after direct, {} KiB after proxied",
        rss0, rss1, rss2
    );
    let errors =
        base_tally.errors.load(Ordering::Relaxed) + proxy_tally.errors.load(Ordering::Relaxed);
    let grew = rss2.saturating_sub(rss1);
    if errors > 0 || grew > 256 * 1024 || via.is_empty() {
        eprintln!("load: FAILED ({errors} errors, memory grew {grew} KiB during the proxied run)");
        return std::process::ExitCode::FAILURE;
    }
    println!("load: ok");
    std::process::ExitCode::SUCCESS
}
