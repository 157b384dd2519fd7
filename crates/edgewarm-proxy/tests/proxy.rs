//! The proxy over real HTTP on loopback: the sandbox behind it for all three vendors, a loopback
//! stand-in for an allowed host (a test-only allowlist entry) to prove that nothing else is ever
//! forwarded, upstream faults answered with typed JSON, CORS and origin rules, body limits, and
//! secret hygiene in logs and forwarded bytes.

use common::start;
use edgewarm::proxy_policy::{Policy, Scheme};
use edgewarm::vendor::{cdn, edgeone, esa};
use edgewarm::{sign, Call, Credentials, Endpoint, Service, SigningParams, Site};
use edgewarm_proxy::ProxyConfig;
use edgewarm_sandbox::config::*;
use edgewarm_sandbox::http::SandboxState;
use edgewarm_sandbox::{Sandbox, SandboxConfig, SystemClock};
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod common;

/// Everything the stand-in upstream received, raw.
type Seen = Arc<Mutex<Vec<String>>>;

/// A raw HTTP/1.1 stand-in: records every request's bytes and answers by the query's `mode`.
async fn stand_in() -> (String, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let seen: Seen = Arc::default();
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                break;
            };
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let mut got = Vec::new();
                loop {
                    let n =
                        match tokio::time::timeout(Duration::from_millis(200), sock.read(&mut buf))
                            .await
                        {
                            Ok(Ok(n)) if n > 0 => n,
                            _ => break,
                        };
                    got.extend_from_slice(&buf[..n]);
                    let text = String::from_utf8_lossy(&got);
                    if let Some(head_end) = text.find("\r\n\r\n") {
                        let len = text[..head_end]
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        if got.len() >= head_end + 4 + len {
                            break;
                        }
                    }
                }
                let text = String::from_utf8_lossy(&got).into_owned();
                log.lock().unwrap().push(text.clone());
                let first = text.lines().next().unwrap_or("").to_string();
                let answer = if first.contains("mode=reset") {
                    return; // drop the connection without answering
                } else if first.contains("mode=slow") {
                    tokio::time::sleep(Duration::from_secs(3)).await;
                    "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}".to_string()
                } else if first.contains("mode=redirect") {
                    "HTTP/1.1 302 Found\r\nlocation: http://169.254.169.254/\r\ncontent-length: 0\r\n\r\n".to_string()
                } else if first.contains("mode=html500") {
                    "HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/html\r\ncontent-length: 5\r\n\r\noops!".to_string()
                } else if first.contains("mode=json500") {
                    let b = r#"{"Code":"InternalError","Message":"x","RequestId":"r"}"#;
                    format!("HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{b}", b.len())
                } else {
                    let b = r#"{"Response":{"RequestId":"stand-in"}}"#;
                    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nset-cookie: a=b\r\ncontent-length: {}\r\n\r\n{b}", b.len())
                };
                let _ = sock.write_all(answer.as_bytes()).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (addr, seen)
}

fn sandbox_config(listen: &str) -> ProxyConfig {
    let mut c = ProxyConfig::new(listen);
    c.sandbox = Some(SandboxState {
        sandbox: Arc::new(Sandbox::new(SandboxConfig::default())),
        clock: Arc::new(SystemClock),
    });
    c
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn signed<C: Call>(op: &C, creds: &Credentials) -> edgewarm::HttpRequest {
    let endpoint = match C::SERVICE {
        Service::Esa => Endpoint::esa("cn-hangzhou").unwrap(),
        s => Endpoint::tencent(s, Site::China),
    };
    let mut req = op.build(&endpoint);
    sign::sign_request(
        &mut req,
        C::SERVICE,
        creds,
        &SigningParams::new(now(), format!("n{}", rand_nonce())),
    )
    .unwrap();
    req
}

fn rand_nonce() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

async fn via_proxy(
    addr: &str,
    req: &edgewarm::HttpRequest,
    origin: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let url = format!(
        "http://{addr}/api/{}/{}",
        req.host,
        if req.query.is_empty() {
            String::new()
        } else {
            format!("?{}", req.query)
        }
    );
    let client = reqwest::Client::new();
    let mut rb = if req.method == edgewarm::Method::Get {
        client.get(url)
    } else {
        client.post(url)
    };
    for (n, v) in &req.headers {
        rb = rb.header(n, v);
    }
    if let Some(o) = origin {
        rb = rb.header("origin", o);
    }
    let resp = rb.body(req.body.clone()).send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = serde_json::from_slice(&resp.bytes().await.unwrap()).unwrap_or(Value::Null);
    (status, headers, body)
}

#[tokio::test]
async fn all_three_vendors_through_the_proxy_to_the_sandbox() {
    let addr = start(sandbox_config("127.0.0.1:0")).await;
    let tc = Credentials::new(TENCENT_SECRET_ID, TENCENT_SECRET_KEY);
    let ali = Credentials::new(ALIBABA_ACCESS_KEY_ID, ALIBABA_ACCESS_KEY_SECRET);
    let op = edgeone::CreatePrefetchTask {
        zone_id: Some("zone-sandbox".into()),
        targets: Some(vec!["https://www.example.com/a.js".into()]),
        ..Default::default()
    };
    let (status, _, body) = via_proxy(&addr, &signed(&op, &tc), None).await;
    assert_eq!(status, 200);
    assert!(body["Response"]["JobId"].is_string(), "{body}");
    let push = cdn::PushUrlsCache {
        urls: Some(vec!["https://static.example.com/b.css".into()]),
        ..Default::default()
    };
    let (_, _, body) = via_proxy(&addr, &signed(&push, &tc), None).await;
    assert!(body["Response"]["TaskId"].is_string(), "{body}");
    let pre = esa::PreloadCaches {
        site_id: Some(100000001),
        content: Some(vec!["https://www.example.com/c".into()]),
        headers: None,
    };
    let (status, _, body) = via_proxy(&addr, &signed(&pre, &ali), None).await;
    assert_eq!(status, 200, "{body}");
    let get = esa::ListScheduledPreloadJobs {
        site_id: Some(100000001),
        ..Default::default()
    };
    let (status, _, body) = via_proxy(&addr, &signed(&get, &ali), None).await;
    assert_eq!((status, body["TotalCount"].as_i64()), (200, Some(0)));
    // a tampered request gets the vendor's code through the proxy
    let mut bad = signed(&op, &tc);
    bad.body.push(b' ');
    let (_, _, body) = via_proxy(&addr, &bad, None).await;
    assert_eq!(
        body["Response"]["Error"]["Code"],
        "AuthFailure.SignatureFailure"
    );
}

#[tokio::test]
async fn vendor_host_requests_reach_the_sandbox_directly() {
    // an SDK whose TCP connection is redirected here sends Host: teo.tencentcloudapi.com, POST /
    let addr = start(sandbox_config("127.0.0.1:0")).await;
    let tc = Credentials::new(TENCENT_SECRET_ID, TENCENT_SECRET_KEY);
    let req = signed(
        &edgeone::DescribeContentQuota {
            zone_id: Some("zone-sandbox".into()),
        },
        &tc,
    );
    let mut raw = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        req.host,
        req.body.len()
    );
    for (n, v) in &req.headers {
        raw.push_str(&format!("{n}: {v}\r\n"));
    }
    raw.push_str("\r\n");
    let mut s = TcpStream::connect(&addr).await.unwrap();
    s.write_all(raw.as_bytes()).await.unwrap();
    s.write_all(&req.body).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    assert!(out.contains("PrefetchQuota"), "{out}");
}

/// Sends `raw` (with `Host: HOST` naming the proxy's own address) and reads the answer.
async fn raw_request(addr: &str, raw: &[u8]) -> (u16, String) {
    let raw = String::from_utf8_lossy(raw).replace("Host: HOST\r\n", &format!("Host: {addr}\r\n"));
    let answer = common::exchange(addr, raw.as_bytes(), Duration::from_secs(30)).await;
    // every request here says `Connection: close`, so the proxy ends each exchange
    assert!(
        answer.closed,
        "the proxy ends the exchange: {}",
        answer.text
    );
    (answer.status, answer.text)
}

#[tokio::test]
async fn not_an_open_relay() {
    let (up, seen) = stand_in().await;
    let mut cfg = ProxyConfig::new("127.0.0.1:0");
    cfg.policy = Policy::vendors().with_stand_in("allowed.test", &up, Scheme::Http);
    let addr = start(cfg).await;
    // the control: the allowed stand-in is reachable
    let (status, text) = raw_request(&addr, b"POST /api/allowed.test/ HTTP/1.1\r\nHost: HOST\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}").await;
    assert_eq!(status, 200, "{text}");
    assert_eq!(seen.lock().unwrap().len(), 1);
    seen.lock().unwrap().clear();
    let targets = [
        "/api/evil.example.com/",
        "/api/127.0.0.1/",
        &format!("/api/{up}/"),
        "/api/[::1]/",
        "/api/2130706433/",
        "/api/0177.0.0.1/",
        "/api/0x7f000001/",
        "/api/169.254.169.254/",
        "/api/169.254.169.254/latest/meta-data/",
        "/api/metadata.google.internal/",
        "/api/user@allowed.test/",
        "/api/allowed.test@evil.com/",
        "/api/allowed.test:80/",
        "/api/allowed.test:8080/",
        "/api/allowed.test%2eevil.com/",
        "/api/allowed%2Etest/",
        "/api/allowed.test%2F..%2Fevil/",
        "/api/allowed.test/%2e%2e/",
        "/api/allowed.test/../evil.com/",
        "/api/allowed.test//evil.com/",
        "/api/allowed.test/x",
        "/api/allowed.test/..",
        "/api/allowed.test.evil.com/",
        "/api/evil.com/allowed.test/",
        "/api/ALLOWED.TEST.evil/",
        "/api/xn--allowed-test.com/",
        "/api/аllowed.test/",
        "/api/allowed.tеst/",
        "/api/teo.tencentcloudapi.com.evil.com/",
        "/api/esa.evil.aliyuncs.com/",
        "/api/esa.cn-hangzhou.aliyuncs.com.evil/",
        "/api//allowed.test/",
        "/api/",
        "/api",
        "/api/allowed.test\\evil/",
        "/api/allowed.test/%0d%0aX-Injected:%201",
        "/apiallowed.test/",
        "/api/http://evil.com/",
        "/api/https:%2F%2Fevil.com/",
        "/api/file:///etc/passwd",
        "/api/gopher://allowed.test/",
        "/api/allowed.test%00.evil.com/",
    ];
    let mut refused = 0;
    for t in targets.iter() {
        let raw = format!(
            "POST {t} HTTP/1.1\r\nHost: HOST\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
        );
        let (status, text) = raw_request(&addr, raw.as_bytes()).await;
        assert!((400..500).contains(&status), "{t}: {status} {text}");
        if status != 400 || !text.is_empty() {
            refused += 1;
        }
    }
    // absolute-form targets, CRLF in path and headers, other methods
    let extra: [&[u8]; 6] = [
        b"GET http://evil.com/ HTTP/1.1\r\nHost: evil.com\r\nConnection: close\r\n\r\n",
        b"GET http://allowed.test/api/allowed.test/ HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n",
        b"POST /api/allowed.test/\rX: y HTTP/1.1\r\nHost: HOST\r\nConnection: close\r\n\r\n",
        b"POST /api/allowed.test/ HTTP/1.1\r\nHost: HOST\r\nX-TC-Action: a\rb\r\nConnection: close\r\n\r\n",
        b"CONNECT allowed.test:80 HTTP/1.1\r\nHost: allowed.test:80\r\nConnection: close\r\n\r\n",
        b"DELETE /api/allowed.test/ HTTP/1.1\r\nHost: HOST\r\nConnection: close\r\n\r\n",
    ];
    for raw in extra {
        let (status, text) = raw_request(&addr, raw).await;
        assert!(
            (400..500).contains(&status),
            "{}: {status} {text}",
            String::from_utf8_lossy(raw)
        );
        refused += 1;
    }
    assert!(refused >= 40 + 6 - 1, "{refused}");
    assert!(
        seen.lock().unwrap().is_empty(),
        "forwarded: {:?}",
        seen.lock().unwrap()
    );
    // every refusal that reaches the app is a JSON error with a stable code
    let (status, text) = raw_request(
        &addr,
        b"POST /api/evil.example.com/ HTTP/1.1\r\nHost: HOST\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert_eq!(status, 403);
    assert!(text.contains(r#""code":"host_not_allowed""#), "{text}");
    // an upstream redirect is not followed
    let (status, text) = raw_request(&addr, b"POST /api/allowed.test/?mode=redirect HTTP/1.1\r\nHost: HOST\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").await;
    assert_eq!(status, 502, "{text}");
    assert!(text.contains("upstream_redirect"));
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "only the redirecting call reached the stand-in"
    );
}

#[tokio::test]
async fn faults_are_typed_and_the_proxy_keeps_serving() {
    let (up, _seen) = stand_in().await;
    // a port with nothing listening
    let closed = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap()
        .to_string();
    let mut cfg = ProxyConfig::new("127.0.0.1:0");
    cfg.upstream_timeout = Duration::from_millis(800);
    cfg.policy = Policy::vendors()
        .with_stand_in("allowed.test", &up, Scheme::Http)
        .with_stand_in("down.test", &closed, Scheme::Http);
    let addr = start(cfg).await;
    let post = |t: &str| {
        format!("POST {t} HTTP/1.1\r\nHost: HOST\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    };
    for (target, want, code) in [
        ("/api/allowed.test/?mode=reset", 502, "upstream_"),
        ("/api/allowed.test/?mode=slow", 504, "upstream_timeout"),
        ("/api/allowed.test/?mode=html500", 502, "upstream_error"),
        ("/api/down.test/", 502, "upstream_unreachable"),
    ] {
        let (status, text) = raw_request(&addr, post(target).as_bytes()).await;
        assert_eq!(status, want, "{target}: {text}");
        assert!(
            text.contains(code) && text.contains("application/json"),
            "{target}: {text}"
        );
    }
    // a vendor JSON error on 5xx passes unchanged
    let (status, text) =
        raw_request(&addr, post("/api/allowed.test/?mode=json500").as_bytes()).await;
    assert_eq!(status, 500);
    assert!(text.contains("InternalError"));
    // and the proxy still serves, without the stand-in's cookie
    let (status, text) = raw_request(&addr, post("/api/allowed.test/").as_bytes()).await;
    assert_eq!(status, 200);
    assert!(!text.to_ascii_lowercase().contains("set-cookie"), "{text}");
}

#[tokio::test]
async fn origins_cors_and_limits() {
    let (up, seen) = stand_in().await;
    let mut cfg = ProxyConfig::new("127.0.0.1:0");
    cfg.policy = Policy::vendors().with_stand_in("allowed.test", &up, Scheme::Http);
    let addr = start(cfg).await;
    let port = addr.rsplit(':').next().unwrap();
    let client = reqwest::Client::new();
    let url = format!("http://{addr}/api/allowed.test/");
    let r = client
        .post(&url)
        .header("origin", "https://evil.example")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    assert!(r.headers().get("access-control-allow-origin").is_none());
    assert_eq!(
        serde_json::from_slice::<Value>(&r.bytes().await.unwrap()).unwrap()["error"]["code"],
        "origin_not_allowed"
    );
    let r = client
        .post(&url)
        .header("origin", format!("http://{addr}"))
        .header("cookie", "s=1")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        format!("http://{addr}").as_str()
    );
    assert!(
        !seen
            .lock()
            .unwrap()
            .last()
            .unwrap()
            .to_ascii_lowercase()
            .contains("cookie"),
        "cookie forwarded"
    );
    let r = client
        .request(reqwest::Method::OPTIONS, &url)
        .header("origin", format!("http://localhost:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 204);
    assert!(r.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("x-acs-signature-nonce"));
    let big = vec![b'a'; 8 * 1024 * 1024 + 1];
    let r = client.post(&url).body(big).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 413);
}

#[tokio::test]
async fn secrets_stay_out_of_logs_and_forwarded_bytes() {
    let secret = "SeCrEt-KeY-That-Must-Not-Leak-42";
    let token = "sts-token-that-must-not-be-logged";
    let logs = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || LogSink(sink.clone()))
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let (up, seen) = stand_in().await;
    let mut cfg = ProxyConfig::new("127.0.0.1:0");
    cfg.policy = Policy::vendors().with_stand_in("teo.tencentcloudapi.com", &up, Scheme::Http);
    let addr = start(cfg).await;
    let creds = Credentials::new("AKIDhygiene", secret).with_token(token);
    let op = edgeone::CreatePrefetchTask {
        zone_id: Some("zone-sandbox".into()),
        targets: Some(vec!["https://www.example.com/a.js".into()]),
        ..Default::default()
    };
    let req = signed(&op, &creds);
    let auth = req.header("authorization").unwrap().to_string();
    let (status, _, _) = via_proxy(&addr, &req, None).await;
    assert_eq!(status, 200);
    let forwarded = seen.lock().unwrap().join("\n");
    assert!(
        forwarded.contains(&auth),
        "the signed Authorization is forwarded byte-exact"
    );
    assert!(!forwarded.contains(secret), "secret key forwarded");
    // and a whole run through proxy + sandbox holding the same key
    let world = SandboxConfig {
        tencent_keys: vec![KeyConfig {
            id: "AKIDhygiene".into(),
            secret: secret.into(),
            token: Some(token.into()),
        }],
        ..SandboxConfig::default()
    };
    let mut cfg = ProxyConfig::new("127.0.0.1:0");
    cfg.sandbox = Some(SandboxState {
        sandbox: Arc::new(Sandbox::new(world)),
        clock: Arc::new(SystemClock),
    });
    let addr = start(cfg).await;
    let req = signed(&op, &creds);
    let (status, _, body) = via_proxy(&addr, &req, None).await;
    assert_eq!(status, 200);
    assert!(body["Response"]["JobId"].is_string(), "{body}");
    assert!(!body.to_string().contains(secret));
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(
        logged.matches("proxied").count() >= 2,
        "both calls were logged: {logged}"
    );
    for needle in [secret, token, &auth, "Signature="] {
        assert!(!logged.contains(needle), "{needle} in logs: {logged}");
    }
}

struct LogSink(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
