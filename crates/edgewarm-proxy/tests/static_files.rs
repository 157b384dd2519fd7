//! The console's files over real HTTP on loopback, as browsers fetch them: precompressed
//! `NAME.br` / `NAME.gz` copies are sent when Accept-Encoding allows (with Content-Encoding,
//! `Vary: Accept-Encoding` and the file's own Content-Type) and decompress to exactly the file;
//! the file itself otherwise; the security headers and the Host check apply to every answer;
//! and the `.br` / `.gz` lookup never reaches a file outside the console's directory.

use common::start;
use edgewarm_proxy::ProxyConfig;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

mod common;

/// The most a single answer may take: far above what a local file needs.
const BOUND: Duration = Duration::from_secs(30);

/// A secret beside the console's directory, with its own `.br` and `.gz`: never to be served.
const SECRET: &str = "secret-beside-the-console-dir";

/// One answer: status, headers (lower-case names) and the body bytes as received.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body decoded as its Content-Encoding says.
    fn decoded(&self) -> Vec<u8> {
        match self.header("content-encoding") {
            None => self.body.clone(),
            Some("br") => brotli_decode(&self.body),
            Some("gzip") => gzip_decode(&self.body),
            Some(other) => panic!("unexpected content-encoding {other}"),
        }
    }
}

/// `GET path` on a fresh connection with `Host: host` and, when given, `Accept-Encoding`.
async fn get(addr: &str, host: &str, path: &str, accept: Option<&str>) -> Answer {
    let accept = accept
        .map(|a| format!("Accept-Encoding: {a}\r\n"))
        .unwrap_or_default();
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: {host}\r\n{accept}Connection: close\r\n\r\n");
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(BOUND, s.read_to_end(&mut raw))
        .await
        .expect("the proxy answers within the bound")
        .unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let body = raw[end + 4..].to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let answer = Answer {
        status,
        headers,
        body,
    };
    assert!(
        answer.header("transfer-encoding").is_none(),
        "files are sent with a length"
    );
    if let Some(len) = answer.header("content-length") {
        assert_eq!(len.parse::<usize>().unwrap(), answer.body.len(), "{path}");
    }
    answer
}

fn brotli_encode(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(raw).unwrap();
    }
    out
}

fn brotli_decode(encoded: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(encoded, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn gzip_encode(raw: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(raw).unwrap();
    gz.finish().unwrap()
}

fn gzip_decode(encoded: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(encoded)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Writes `name` and, when `precompressed`, `name.br` and `name.gz` as the build does.
fn put(dir: &Path, name: &str, content: &[u8], precompressed: bool) {
    std::fs::write(dir.join(name), content).unwrap();
    if precompressed {
        std::fs::write(dir.join(format!("{name}.br")), brotli_encode(content)).unwrap();
        std::fs::write(dir.join(format!("{name}.gz")), gzip_encode(content)).unwrap();
    }
}

/// The files of a console build, each compressible, and what each is served as.
fn files() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let text = |s: &str, n: usize| s.repeat(n).into_bytes();
    // a wasm module header followed by a repetitive section, like a real module's code
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    for i in 0..4000u32 {
        wasm.extend_from_slice(&[0x20, (i % 7) as u8, 0x41, (i % 128) as u8, 0x6a, 0x0b]);
    }
    vec![
        (
            "index.html",
            text(
                "<!doctype html><title>console</title><script type=module src=/app.js></script>\n",
                20,
            ),
            "text/html",
        ),
        (
            "app.js",
            text("export const answer = 42; // glue\n", 200),
            "text/javascript",
        ),
        (
            "style.css",
            text("body { color: #123456; margin: 0 }\n", 200),
            "text/css",
        ),
        ("app_bg.wasm", wasm, "application/wasm"),
    ]
}

/// A console directory inside a parent that also holds the secret and its compressed copies.
fn console_dir(name: &str) -> PathBuf {
    let parent =
        std::env::temp_dir().join(format!("edgewarm-static-{}-{name}", std::process::id()));
    let dir = parent.join("dist");
    std::fs::create_dir_all(&dir).unwrap();
    for (file, content, _) in files() {
        put(&dir, file, &content, true);
    }
    put(&dir, "plain.js", b"export const plain = true;\n", false);
    put(&parent, "secret.txt", SECRET.as_bytes(), true);
    dir
}

async fn proxy(name: &str) -> (String, PathBuf) {
    let dir = console_dir(name);
    let mut config = ProxyConfig::new("127.0.0.1:0");
    config.static_dir = Some(dir.clone());
    (start(config).await, dir)
}

/// The console's security headers, on every answer of its files.
fn assert_console_headers(a: &Answer, what: &str) {
    assert!(
        a.header("content-security-policy")
            .is_some_and(|c| c.contains("script-src 'self' 'wasm-unsafe-eval'")),
        "{what}: CSP"
    );
    assert_eq!(
        a.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(a.header("referrer-policy"), Some("no-referrer"), "{what}");
    assert_eq!(a.header("vary"), Some("accept-encoding"), "{what}");
}

#[tokio::test]
async fn files_are_sent_precompressed_when_the_encoding_is_accepted() {
    let (addr, _) = proxy("encodings").await;
    // (Accept-Encoding, the encoding expected): brotli wins a tie, q-values decide otherwise
    let cases = [
        ("br", "br"),
        ("gzip", "gzip"),
        ("gzip, deflate, br, zstd", "br"),
        ("br;q=0.5, gzip;q=0.9", "gzip"),
        ("gzip, br;q=0", "gzip"),
    ];
    for (file, content, content_type) in files() {
        let path = format!("/{file}");
        for (accept, expected) in cases {
            let what = format!("{path} with Accept-Encoding: {accept}");
            let a = get(&addr, &addr, &path, Some(accept)).await;
            assert_eq!(a.status, 200, "{what}");
            assert_eq!(a.header("content-encoding"), Some(expected), "{what}");
            assert!(
                a.header("content-type")
                    .is_some_and(|t| t.starts_with(content_type)),
                "{what}: the file's own type, got {:?}",
                a.header("content-type")
            );
            assert!(a.body.len() < content.len() / 2, "{what}: compressed");
            assert_eq!(a.decoded(), content, "{what}: byte-identical once decoded");
            assert_console_headers(&a, &what);
        }
    }
    // the directory index and a console route (the index.html fallback) are compressed too
    let (_, index, _) = files().remove(0);
    for path in ["/", "/history/tasks"] {
        for accept in ["br", "gzip"] {
            let a = get(&addr, &addr, path, Some(accept)).await;
            assert_eq!(a.status, 200, "{path}");
            assert_eq!(a.header("content-encoding"), Some(accept), "{path}");
            assert_eq!(a.decoded(), index, "{path} with {accept}");
            assert_console_headers(&a, path);
        }
    }
}

#[tokio::test]
async fn the_file_itself_without_an_accepted_encoding_or_a_precompressed_copy() {
    let (addr, _) = proxy("identity").await;
    for (file, content, content_type) in files() {
        let path = format!("/{file}");
        for accept in [
            None,
            Some("identity"),
            Some("deflate"),
            Some("br;q=0, gzip;q=0"),
        ] {
            let what = format!("{path} with Accept-Encoding {accept:?}");
            let a = get(&addr, &addr, &path, accept).await;
            assert_eq!(a.status, 200, "{what}");
            assert_eq!(a.header("content-encoding"), None, "{what}");
            assert!(
                a.header("content-type")
                    .is_some_and(|t| t.starts_with(content_type)),
                "{what}"
            );
            assert_eq!(a.body, content, "{what}");
            assert_console_headers(&a, &what);
        }
    }
    // a file without .br / .gz beside it is sent as it is, whatever the browser accepts
    for accept in ["br", "gzip", "gzip, br"] {
        let a = get(&addr, &addr, "/plain.js", Some(accept)).await;
        assert_eq!(a.status, 200);
        assert_eq!(a.header("content-encoding"), None, "{accept}");
        assert_eq!(a.body, b"export const plain = true;\n");
        assert_console_headers(&a, "/plain.js");
    }
}

#[tokio::test]
async fn the_compressed_lookup_never_leaves_the_console_directory() {
    let (addr, dir) = proxy("traversal").await;
    let outside = dir.parent().unwrap();
    assert!(outside.join("secret.txt.br").is_file());
    let (_, index, _) = files().remove(0);
    let secret_br = std::fs::read(outside.join("secret.txt.br")).unwrap();
    let secret_gz = std::fs::read(outside.join("secret.txt.gz")).unwrap();
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/app.js/../../secret.txt",
        "/.%2e/secret.txt",
        "/..\\secret.txt",
        "/..%5csecret.txt",
    ] {
        for accept in [Some("br"), Some("gzip"), Some("br, gzip"), None] {
            let what = format!("{path} with {accept:?}");
            let a = get(&addr, &addr, path, accept).await;
            assert_ne!(a.body, secret_br, "{what}");
            assert_ne!(a.body, secret_gz, "{what}");
            let decoded = a.decoded();
            assert!(
                !String::from_utf8_lossy(&decoded).contains(SECRET),
                "{what}: the secret leaked"
            );
            // refused, or the console's own page (the fallback of every unknown path)
            assert!(
                a.status >= 400 || decoded == index,
                "{what}: {} with {} bytes",
                a.status,
                decoded.len()
            );
        }
    }
}

#[tokio::test]
async fn a_foreign_host_gets_no_file_in_any_encoding() {
    let (addr, _) = proxy("host").await;
    for path in ["/app_bg.wasm", "/app.js", "/"] {
        for accept in ["br", "gzip", "identity"] {
            let a = get(&addr, "rebinding.attacker.example", path, Some(accept)).await;
            assert_eq!(a.status, 421, "{path} {accept}");
            assert_eq!(a.header("content-encoding"), None);
            assert!(
                String::from_utf8_lossy(&a.body).contains("misdirected_host"),
                "{path}: a JSON refusal"
            );
        }
        // no Host at all (HTTP/1.0) is refused the same way
        let raw = format!("GET {path} HTTP/1.0\r\nAccept-Encoding: br, gzip\r\n\r\n");
        let a = common::exchange(&addr, raw.as_bytes(), BOUND).await;
        assert!(a.closed, "the proxy answers and closes");
        assert_eq!(a.status, 421, "{path} without Host: {}", a.text);
        assert!(!a.text.to_ascii_lowercase().contains("content-encoding"));
    }
}
