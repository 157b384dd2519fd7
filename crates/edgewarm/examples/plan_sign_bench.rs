//! Planning + signing benchmark, memory included: a list of N URLs (default 1 000 000; several
//! hosts, paths and queries, 50–70 bytes each, a few duplicates and a few needing encoding) is
//! written to a file; then, per vendor, ONE fresh process reads the file line by line, plans the
//! job (`Job::from_lines`: validate, dedupe, encode, batch) and builds + signs every batch's
//! submit call one at a time (`Job::dry_run_batch`), and reports its peak resident memory
//! (VmHWM) at the end. Baseline, in the same run: a process that only reads the file into a
//! list of lines. Each process runs 3 times; the medians are printed with the file's size, the
//! ratio of peak RSS to it, and the time against the baseline's.
//!
//! `cargo run --release -p edgewarm --example plan_sign_bench -- [URLS]`

use edgewarm::job::{fixtures, Job};
use edgewarm::{Credentials, Service};
use std::io::{BufRead, BufWriter, Write};
use std::process::Command;
use std::time::Instant;

const RUNS: usize = 3;

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:").map(str::to_string))
        })
        .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

/// A deterministic list of `n` URLs: five hosts, a dozen path shapes, a query on about a third,
/// one in 200 a repeat of an earlier URL, one in 50 with characters that need encoding.
fn write_urls(path: &std::path::Path, n: usize) -> std::io::Result<u64> {
    const HOSTS: [&str; 5] = [
        "www.example.com",
        "static.example.com",
        "img.example-cdn.net",
        "shop.example.org",
        "docs.example.io",
    ];
    const DIRS: [&str; 12] = [
        "assets/js",
        "assets/css",
        "images/2024/07",
        "blog/posts",
        "products/shoes",
        "video/hls/720p",
        "static/fonts",
        "docs/v2/guide",
        "media",
        "p",
        "catalog/kids/summer",
        "downloads",
    ];
    const EXTS: [&str; 6] = [".js", ".css", ".jpg", ".html", ".ts", ".woff2"];
    let mut out = BufWriter::new(std::fs::File::create(path)?);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut bytes = 0u64;
    for i in 0..n {
        let r = next();
        let line = if i > 0 && r % 200 == 0 {
            // a repeat: the URL of an earlier line
            let j = (next() % i as u64) as usize;
            url_of(j, &HOSTS, &DIRS, &EXTS)
        } else {
            url_of(i, &HOSTS, &DIRS, &EXTS)
        };
        bytes += line.len() as u64 + 1;
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(bytes)
}

fn url_of(i: usize, hosts: &[&str], dirs: &[&str], exts: &[&str]) -> String {
    let h = hosts[i % hosts.len()];
    let d = dirs[(i / 7) % dirs.len()];
    let e = exts[(i / 3) % exts.len()];
    let name = if i % 50 == 17 { "café menu" } else { "item" };
    let query = match i % 9 {
        0 => "?v=3",
        1 => "?w=640&q=80",
        2 => "?lang=en",
        _ => "",
    };
    format!("https://{h}/{d}/{name}-{i:07}{e}{query}")
}

/// The work of one process: read `file`, plan, sign batch by batch. Prints
/// `seconds peak_kib calls`.
fn child(what: &str, file: &str) {
    let t = Instant::now();
    let reader = std::io::BufReader::new(std::fs::File::open(file).expect("the URL file opens"));
    let lines = reader.lines().map_while(Result::ok);
    let calls = if what == "baseline" {
        let held: Vec<String> = lines.collect();
        std::hint::black_box(&held);
        held.len()
    } else {
        let service = Service::parse(what).expect("a service name");
        let creds = Credentials::new(
            if service == Service::Esa {
                "LTAIBENCH"
            } else {
                "AKIDBENCH"
            },
            "bench-secret",
        );
        let spec = fixtures::spec(service, &creds.id);
        let now = 1_700_000_000_000;
        let job = Job::from_lines(spec, lines, 1, now);
        let mut signed = 0;
        for i in 0..job.batches().len() {
            if let Ok(Some(call)) = job.dry_run_batch(i, now, &creds) {
                std::hint::black_box(&call);
                signed += 1;
            }
        }
        signed
    };
    println!("{} {} {calls}", t.elapsed().as_secs_f64(), peak_rss_kib());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        return child(&args[2], &args[3]);
    }
    let n: usize = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let file = std::env::temp_dir().join(format!("edgewarm-plan-bench-{n}.txt"));
    let bytes = write_urls(&file, n).expect("the URL file is written");
    let exe = std::env::current_exe().expect("own path");
    println!(
        "{n} URLs in {} ({bytes} bytes, {:.1} MiB, {:.1} bytes a line); one process per row, median of {RUNS}; \
         size_of UrlEntry {} B, Fate {} B",
        file.display(),
        bytes as f64 / 1048576.0,
        bytes as f64 / n as f64,
        std::mem::size_of::<edgewarm::job::UrlEntry>(),
        std::mem::size_of::<edgewarm::job::Fate>(),
    );
    let mut base_secs = 0.0;
    for what in ["baseline", "teo", "cdn", "esa"] {
        let mut secs = Vec::new();
        let mut kib = Vec::new();
        let mut calls = 0;
        for _ in 0..RUNS {
            let out = Command::new(&exe)
                .args(["--child", what])
                .arg(&file)
                .output()
                .expect("the child runs");
            let text = String::from_utf8_lossy(&out.stdout);
            let f: Vec<&str> = text.split_whitespace().collect();
            assert!(
                f.len() == 3 && out.status.success(),
                "{what}: {text} {}",
                String::from_utf8_lossy(&out.stderr)
            );
            secs.push(f[0].parse::<f64>().unwrap_or(0.0));
            kib.push(f[1].parse::<f64>().unwrap_or(0.0));
            calls = f[2].parse::<usize>().unwrap_or(0);
        }
        let (t, k) = (median(secs), median(kib));
        let mib = k / 1024.0;
        let ratio = k * 1024.0 / bytes as f64;
        if what == "baseline" {
            base_secs = t;
            println!(
                "baseline (read the file into {calls} lines): {t:.3} s, peak RSS {mib:.0} MiB ({ratio:.2}x the file)"
            );
        } else {
            println!(
                "{what}: read + plan + sign {calls} calls one at a time: {t:.3} s ({:.1}x baseline), peak RSS {mib:.0} MiB ({ratio:.2}x the file)",
                t / base_secs
            );
        }
    }
    let _ = std::fs::remove_file(&file);
}
