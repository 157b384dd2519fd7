//! Planning + signing benchmark: 1 000 000 URLs per vendor are validated, deduplicated, encoded,
//! planned into batches of the vendor's cap (`Job::new`), and every batch's submit request is
//! built and signed. Baseline in the same run: serialising the same URL list to JSON once (a
//! floor: every byte touched once). Prints the median of 3 runs, the ratio to the baseline and
//! the peak resident memory.
//!
//! `cargo run --release -p edgewarm --example plan_sign_bench -- [URLS]`

use edgewarm::job::{fixtures, Job};
use edgewarm::vendor::{cdn, edgeone, esa};
use edgewarm::{sign, Call, Credentials, Service, SigningParams};
use std::time::Instant;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(str::to_string)
        })
        .and_then(|l| {
            l.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn plan_and_sign(service: Service, urls: Vec<String>) -> usize {
    let creds = Credentials::new("AKIDBENCH", "bench-secret");
    let spec = fixtures::spec(service, &creds.id);
    let endpoint = spec.endpoint.clone();
    let job = Job::new(spec, urls, 1, 1_700_000_000_000);
    let mut signed = 0;
    for (i, b) in job.batches().iter().enumerate() {
        let sends: Vec<String> = b
            .urls
            .iter()
            .filter_map(|&u| job.urls().get(u as usize))
            .map(|u| u.send_url().to_string())
            .collect();
        let mut req = match service {
            Service::Teo => edgeone::CreatePrefetchTask {
                zone_id: Some(fixtures::ZONE_ID.into()),
                targets: Some(sends),
                ..Default::default()
            }
            .build(&endpoint),
            Service::Cdn => cdn::PushUrlsCache {
                urls: Some(sends),
                ..Default::default()
            }
            .build(&endpoint),
            Service::Esa => esa::PreloadCaches {
                site_id: Some(fixtures::SITE_ID),
                content: Some(sends),
                headers: None,
            }
            .build(&endpoint),
        };
        if sign::sign_request(
            &mut req,
            service,
            &creds,
            &SigningParams::new(1_700_000_000, format!("n{i}")),
        )
        .is_ok()
        {
            signed += 1;
        }
    }
    signed
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let urls: Vec<String> = (0..n)
        .map(|i| format!("https://www.example.com/assets/{}/file-{i}.js", i % 977))
        .collect();
    let base = median(
        (0..3)
            .map(|_| {
                let t = Instant::now();
                let s = serde_json::to_string(&urls).unwrap_or_default();
                std::hint::black_box(s.len());
                t.elapsed().as_secs_f64()
            })
            .collect(),
    );
    println!("baseline: JSON-serialise {n} URLs: {:.3} s", base);
    for service in Service::ALL {
        let mut batches = 0;
        let t = median(
            (0..3)
                .map(|_| {
                    let t = Instant::now();
                    batches = plan_and_sign(service, urls.clone());
                    t.elapsed().as_secs_f64()
                })
                .collect(),
        );
        println!(
            "{service}: plan + sign {n} URLs into {batches} signed calls: {t:.3} s median ({:.0} URLs/s), {:.1}x baseline, peak RSS {:.0} MiB",
            n as f64 / t,
            t / base,
            peak_rss_mib()
        );
    }
}
