//! The proxy under abuse, over real HTTP on loopback: foreign `Host` names (DNS rebinding) are
//! refused before routing and nothing reaches upstream; hundreds of stalled header and body
//! uploads are cut off and the service comes back by itself; the console's security headers;
//! one concurrency limit for the whole service. Timeouts are short (1 s) but every wait is
//! bounded generously (30 s), so the tests do not depend on the machine's speed.

use common::start;
use edgewarm::proxy_policy::{Policy, Scheme};
use edgewarm_proxy::{serve, ProxyConfig};
use edgewarm_sandbox::http::SandboxState;
use edgewarm_sandbox::{Sandbox, SandboxConfig, SystemClock};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Semaphore};

mod common;

/// The most any single wait in these tests may take: far above the 1 s timeouts.
const BOUND: Duration = Duration::from_secs(30);

/// A counting upstream stand-in: answers `{}` to every request, after `gate` gives a permit
/// when it is given one (to hold requests in flight), reporting each arrival on `arrived`.
struct StandIn {
    addr: String,
    requests: Arc<AtomicUsize>,
    arrived: mpsc::UnboundedReceiver<()>,
    gate: Option<Arc<Semaphore>>,
}

async fn stand_in(gated: bool) -> StandIn {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let requests = Arc::new(AtomicUsize::new(0));
    let (tx, arrived) = mpsc::unbounded_channel();
    let gate = gated.then(|| Arc::new(Semaphore::new(0)));
    let (count, g) = (requests.clone(), gate.clone());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (count, tx, g) = (count.clone(), tx.clone(), g.clone());
            tokio::spawn(async move {
                let mut got = Vec::new();
                let mut buf = vec![0u8; 16 * 1024];
                loop {
                    let Ok(n) = sock.read(&mut buf).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    got.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&got).to_ascii_lowercase();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let len = text[..end]
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if got.len() >= end + 4 + len {
                            break;
                        }
                    }
                }
                count.fetch_add(1, Ordering::SeqCst);
                let _ = tx.send(());
                if let Some(g) = g {
                    g.acquire().await.unwrap().forget();
                }
                let b = r#"{"Response":{"RequestId":"stand-in"}}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{b}",
                    b.len()
                );
                let _ = sock.write_all(answer.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    StandIn {
        addr,
        requests,
        arrived,
        gate,
    }
}

/// A console directory with an `index.html` and a script.
fn console_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("edgewarm-hardening-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>console</title><script type=module src=/app.js></script>",
    )
    .unwrap();
    std::fs::write(dir.join("app.js"), "export {};").unwrap();
    dir
}

fn config(up: &StandIn, static_dir: Option<PathBuf>) -> ProxyConfig {
    let mut c = ProxyConfig::new("127.0.0.1:0");
    c.policy = Policy::vendors().with_stand_in("allowed.test", &up.addr, Scheme::Http);
    c.static_dir = static_dir;
    c
}

/// Sends `raw` on a fresh connection and reads the whole answer (bounded).
async fn raw(addr: &str, raw: &str) -> (u16, String) {
    let answer = common::exchange(addr, raw.as_bytes(), BOUND).await;
    assert!(
        answer.closed,
        "the proxy answers and closes: {}",
        answer.text
    );
    (answer.status, answer.text)
}

fn get(path: &str, host: Option<&str>) -> String {
    match host {
        Some(h) => format!("GET {path} HTTP/1.1\r\nHost: {h}\r\nConnection: close\r\n\r\n"),
        None => format!("GET {path} HTTP/1.0\r\n\r\n"),
    }
}

fn post_api(host: &str) -> String {
    format!("POST /api/allowed.test/ HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}")
}

fn header<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let head = &text[..text.find("\r\n\r\n").unwrap_or(text.len())];
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn error_code(text: &str) -> String {
    let body = &text[text.find("\r\n\r\n").map_or(0, |i| i + 4)..];
    serde_json::from_str::<Value>(body).unwrap_or(Value::Null)["error"]["code"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[tokio::test]
async fn a_foreign_host_is_refused_before_routing_and_nothing_reaches_upstream() {
    let up = stand_in(false).await;
    let addr = start(config(&up, Some(console_dir("host")))).await;
    let port = addr.rsplit(':').next().unwrap().to_string();
    // the control: the proxy's own names reach the console and the upstream
    for host in [
        addr.clone(),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
    ] {
        let (status, text) = raw(&addr, &get("/", Some(&host))).await;
        assert_eq!(status, 200, "{host}: {text}");
    }
    let (status, text) = raw(&addr, &post_api(&addr)).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(up.requests.load(Ordering::SeqCst), 1);
    let foreign = [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost:{}", port.parse::<u16>().unwrap().wrapping_add(1)),
        "127.0.0.1".to_string(),
        format!("0.0.0.0:{port}"),
        format!("teo.tencentcloudapi.com:{port}"),
        format!("127.0.0.1:{port}@evil.example"),
    ];
    for host in &foreign {
        for request in [
            get("/", Some(host)),
            get("/index.html", Some(host)),
            get("/app.js", Some(host)),
            post_api(host),
            format!("OPTIONS /api/allowed.test/ HTTP/1.1\r\nHost: {host}\r\nOrigin: http://{host}\r\nConnection: close\r\n\r\n"),
        ] {
            let (status, text) = raw(&addr, &request).await;
            assert_eq!(status, 421, "{request:?}: {text}");
            assert_eq!(error_code(&text), "misdirected_host", "{text}");
            assert_eq!(header(&text, "x-content-type-options"), Some("nosniff"));
            assert!(!text.contains("<title>console"), "{text}");
        }
    }
    // no Host at all (HTTP/1.0)
    let (status, text) = raw(&addr, &get("/", None)).await;
    assert_eq!(
        (status, error_code(&text).as_str()),
        (421, "misdirected_host"),
        "{text}"
    );
    assert_eq!(
        up.requests.load(Ordering::SeqCst),
        1,
        "a refused request reached the upstream"
    );
}

#[tokio::test]
async fn allowed_hosts_a_wildcard_bind_and_the_sandbox_face() {
    let up = stand_in(false).await;
    // a --public bind on 0.0.0.0 with --allow-host: the wildcard is never a name or an origin
    let mut cfg = config(&up, None);
    cfg.allow_hosts = vec!["edgewarm.lan".into()];
    let listener = TcpListener::bind("0.0.0.0:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(serve(listener, cfg, std::future::pending()));
    let addr = format!("127.0.0.1:{port}");
    let (status, text) = raw(&addr, &get("/", Some(&format!("edgewarm.lan:{port}")))).await;
    assert_eq!(status, 200, "{text}");
    let (status, _) = raw(&addr, &get("/", Some(&format!("0.0.0.0:{port}")))).await;
    assert_eq!(status, 421);
    let with_origin = |origin: &str| {
        format!("POST /api/allowed.test/ HTTP/1.1\r\nHost: {addr}\r\nOrigin: {origin}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}")
    };
    let (status, text) = raw(&addr, &with_origin(&format!("http://0.0.0.0:{port}"))).await;
    assert_eq!(
        (status, error_code(&text).as_str()),
        (403, "origin_not_allowed")
    );
    let (status, text) = raw(&addr, &with_origin(&format!("http://edgewarm.lan:{port}"))).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        ProxyConfig::new("0.0.0.0:8787")
            .allowed_origins()
            .iter()
            .filter(|o| o.contains("0.0.0.0"))
            .count(),
        0
    );
    // sandbox mode: a vendor Host is answered by the sandbox (an SDK pointed here), a foreign one
    // is refused
    let mut cfg = ProxyConfig::new("127.0.0.1:0");
    cfg.sandbox = Some(SandboxState {
        sandbox: Arc::new(Sandbox::new(SandboxConfig::default())),
        clock: Arc::new(SystemClock),
    });
    let addr = start(cfg).await;
    let (status, text) = raw(&addr, "POST / HTTP/1.1\r\nHost: teo.tencentcloudapi.com\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}").await;
    assert_ne!(status, 421, "{text}");
    assert!(
        text.contains("AuthFailure"),
        "the sandbox asks for a signature: {text}"
    );
    let (status, _) = raw(&addr, &get("/", Some("rebind.example"))).await;
    assert_eq!(status, 421);
}

#[tokio::test]
async fn the_console_and_the_api_carry_their_security_headers() {
    let up = stand_in(false).await;
    let mut cfg = config(&up, Some(console_dir("headers")));
    cfg.connect_origins = vec!["https://edgewarm.example.workers.dev".into()];
    let addr = start(cfg).await;
    let csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' data:; connect-src 'self' https://edgewarm.example.workers.dev; \
frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";
    for path in ["/", "/index.html", "/app.js", "/some/console/route"] {
        let (status, text) = raw(&addr, &get(path, Some(&addr))).await;
        assert_eq!(status, 200, "{path}: {text}");
        assert_eq!(
            header(&text, "content-security-policy"),
            Some(csp),
            "{path}"
        );
        assert_eq!(header(&text, "x-content-type-options"), Some("nosniff"));
        assert_eq!(header(&text, "referrer-policy"), Some("no-referrer"));
    }
    // the placeholder page without a console directory too
    let bare = start(config(&up, None)).await;
    let (status, text) = raw(&bare, &get("/", Some(&bare))).await;
    assert_eq!(status, 200);
    assert!(header(&text, "content-security-policy")
        .is_some_and(|c| c.contains("frame-ancestors 'none'")));
    // /api answers, forwarded and refused, are never run as a page
    let origin = format!("http://{addr}");
    for request in [
        post_api(&addr),
        format!("POST /api/evil.example/ HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"),
        format!("OPTIONS /api/allowed.test/ HTTP/1.1\r\nHost: {addr}\r\nOrigin: {origin}\r\nConnection: close\r\n\r\n"),
    ] {
        let (status, text) = raw(&addr, &request).await;
        assert!(matches!(status, 200 | 204 | 403), "{text}");
        assert_eq!(header(&text, "content-security-policy"), Some("sandbox"), "{text}");
        assert_eq!(header(&text, "x-content-type-options"), Some("nosniff"), "{text}");
    }
}

/// Opens `n` connections that each send `prefix` and then stall; returns when each has been
/// closed by the proxy, with what it answered.
async fn stall(addr: &str, n: usize, prefix: String) -> Vec<String> {
    let mut socks = Vec::new();
    for _ in 0..n {
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(prefix.as_bytes()).await.unwrap();
        socks.push(s);
    }
    let waits = socks.into_iter().map(|mut s| {
        tokio::spawn(async move {
            let mut out = Vec::new();
            let closed = tokio::time::timeout(BOUND, async {
                let mut buf = [0u8; 4096];
                loop {
                    match s.read(&mut buf).await {
                        Ok(0) | Err(_) => break,
                        Ok(k) => out.extend_from_slice(&buf[..k]),
                    }
                }
            })
            .await;
            assert!(
                closed.is_ok(),
                "a stalled connection was still open after {BOUND:?}"
            );
            String::from_utf8_lossy(&out).into_owned()
        })
    });
    let mut answers = Vec::new();
    for w in waits.collect::<Vec<_>>() {
        answers.push(w.await.unwrap());
    }
    answers
}

#[tokio::test]
async fn three_hundred_stalled_header_uploads_are_cut_off_and_service_returns() {
    let up = stand_in(false).await;
    let mut cfg = config(&up, Some(console_dir("stalled-headers")));
    cfg.header_read_timeout = Duration::from_secs(1);
    cfg.idle_timeout = Duration::from_secs(1);
    // fewer connection slots than stalled clients: the rest wait in the backlog
    cfg.max_connections = 64;
    let addr = start(cfg).await;
    let started = Instant::now();
    let stalled = {
        let (addr, prefix) = (
            addr.clone(),
            format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Slow: "),
        );
        tokio::spawn(async move { stall(&addr, 300, prefix).await })
    };
    // a real client arriving during the stall is served once slots free up, without a restart
    let (status, text) = raw(&addr, &get("/index.html", Some(&addr))).await;
    assert_eq!(status, 200, "{text}");
    let answers = stalled.await.unwrap();
    assert_eq!(answers.len(), 300);
    assert!(
        answers.iter().all(|a| !a.starts_with("HTTP/1.1 200")),
        "a stalled request was served"
    );
    eprintln!(
        "300 stalled header uploads cut off in {:?} (header timeout 1 s, 64 connection slots)",
        started.elapsed()
    );
    let (status, _) = raw(&addr, &get("/", Some(&addr))).await;
    assert_eq!(status, 200);
    let (status, text) = raw(&addr, &post_api(&addr)).await;
    assert_eq!(status, 200, "{text}");
    // an idle kept-alive connection is closed too
    let idle = stall(&addr, 1, format!("GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n")).await;
    assert!(idle[0].starts_with("HTTP/1.1 200"), "{}", idle[0]);
}

#[tokio::test]
async fn three_hundred_stalled_body_uploads_get_408_and_never_block_the_service() {
    let up = stand_in(false).await;
    let mut cfg = config(&up, Some(console_dir("stalled-bodies")));
    cfg.body_read_timeout = Duration::from_secs(1);
    cfg.max_concurrency = 32;
    let addr = start(cfg).await;
    let stalled = {
        let addr2 = addr.clone();
        // half with a length, half chunked: both get one deadline for the whole body
        let a = format!("POST /api/allowed.test/ HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 1000\r\n\r\n{{\"a\":");
        let b = format!("POST /api/allowed.test/ HTTP/1.1\r\nHost: {addr}\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{{}}\r\n");
        tokio::spawn(async move {
            let (x, y) = tokio::join!(stall(&addr2, 150, a), stall(&addr2, 150, b));
            x.into_iter().chain(y).collect::<Vec<_>>()
        })
    };
    // stalled bodies hold connections, not the service's concurrency (32 < 300)
    let (status, text) = raw(&addr, &get("/", Some(&addr))).await;
    assert_eq!(status, 200, "{text}");
    let (status, text) = raw(&addr, &post_api(&addr)).await;
    assert_eq!(status, 200, "{text}");
    let answers = stalled.await.unwrap();
    assert_eq!(answers.len(), 300);
    for a in &answers {
        assert!(a.starts_with("HTTP/1.1 408"), "{a}");
        assert_eq!(error_code(a), "body_timeout", "{a}");
    }
    let (status, text) = raw(&addr, &post_api(&addr)).await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(
        up.requests.load(Ordering::SeqCst),
        2,
        "only the two complete calls reached the upstream"
    );
}

#[tokio::test]
async fn one_concurrency_limit_for_the_whole_service() {
    let mut up = stand_in(true).await;
    let mut cfg = config(&up, Some(console_dir("limit")));
    cfg.max_concurrency = 2;
    let addr = start(cfg).await;
    // two calls held at the upstream take the whole limit
    let held: Vec<_> = (0..2)
        .map(|_| {
            let addr = addr.clone();
            tokio::spawn(async move { raw(&addr, &post_api(&addr)).await })
        })
        .collect();
    for _ in 0..2 {
        tokio::time::timeout(BOUND, up.arrived.recv())
            .await
            .expect("the held calls reach the upstream");
    }
    for request in [
        get("/", Some(&addr)),
        get("/index.html", Some(&addr)),
        get("/app.js", Some(&addr)),
        post_api(&addr),
    ] {
        let (status, text) = raw(&addr, &request).await;
        assert_eq!(status, 503, "{request:?}: {text}");
        assert_eq!(error_code(&text), "overloaded");
    }
    up.gate.as_ref().unwrap().add_permits(100);
    for h in held {
        assert_eq!(h.await.unwrap().0, 200);
    }
    for path in ["/", "/index.html"] {
        assert_eq!(raw(&addr, &get(path, Some(&addr))).await.0, 200);
    }
    assert_eq!(
        up.requests.load(Ordering::SeqCst),
        2,
        "the shed call was not forwarded"
    );
}

#[tokio::test]
async fn the_binary_binds_beyond_loopback_only_with_public() {
    let bin = env!("CARGO_BIN_EXE_edgewarm-proxy");
    let refused = std::process::Command::new(bin)
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("not a loopback address") && err.contains("--public"),
        "{err}"
    );
    let bad = std::process::Command::new(bin)
        .args(["--connect-origin", "https://w.example; script-src *"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    // with --public it serves, answering its loopback names and refusing the wildcard as a Host
    let mut child = std::process::Command::new(bin)
        .args(["--public", "--listen", "0.0.0.0:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or_default()
        .to_string();
    let port = addr.rsplit(':').next().unwrap().to_string();
    let ok = raw(&addr, &get("/", Some(&addr))).await.0;
    let wildcard = raw(&addr, &get("/", Some(&format!("0.0.0.0:{port}"))))
        .await
        .0;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!((ok, wildcard), (200, 421), "{line}");
}
