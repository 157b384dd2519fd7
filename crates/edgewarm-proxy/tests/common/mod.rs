//! What both proxy test files need to talk to a proxy over loopback: starting one on a free
//! port, and one raw HTTP exchange on a fresh connection, so that malformed, stalled or
//! hostile requests can be sent byte for byte.

use edgewarm_proxy::{serve, ProxyConfig};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Starts the proxy with `config` on a free loopback port and returns its address.
pub async fn start(config: ProxyConfig) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    tokio::spawn(serve(listener, config, std::future::pending()));
    addr
}

/// What came back from one raw exchange.
pub struct Answer {
    /// The status code of the first status line, 0 when there was none.
    pub status: u16,
    /// Everything read, lossily decoded.
    pub text: String,
    /// Whether the connection ended (closed or reset by the proxy) before the bound passed.
    pub closed: bool,
}

/// Writes `raw` on a fresh connection to `addr`, then reads until the proxy ends the
/// connection or `bound` passes, whichever comes first.
pub async fn exchange(addr: &str, raw: &[u8], bound: Duration) -> Answer {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(raw).await.unwrap();
    let mut out = Vec::new();
    let read = tokio::time::timeout(bound, s.read_to_end(&mut out)).await;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Answer {
        status,
        text,
        closed: read.is_ok(),
    }
}
