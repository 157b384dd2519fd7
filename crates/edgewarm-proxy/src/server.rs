//! The proxy's HTTP/1.1 server loop, written out (instead of `axum::serve`) for the limits a
//! stalled or hostile client must not get around: a cap on open connections, the header read
//! timeout (hyper's, which also runs while a kept-alive connection waits), an idle keep-alive
//! timeout, and a graceful stop. The body deadline and the concurrency limit live in the router.

use crate::app::{app, ProxyConfig, ProxyError};
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};
use tokio::time::Instant;
use tower::ServiceExt;

/// Requests in flight on one connection and when the last one ended: the idle watchdog's view.
struct Activity {
    in_flight: AtomicUsize,
    last: Mutex<Instant>,
}

impl Activity {
    fn touch(&self) {
        if let Ok(mut l) = self.last.lock() {
            *l = Instant::now();
        }
    }

    /// Resolves once the connection has had no request in flight for `idle`.
    async fn idle_for(&self, idle: Duration) {
        loop {
            let last = self
                .last
                .lock()
                .map(|l| *l)
                .unwrap_or_else(|_| Instant::now());
            let deadline = last + idle;
            if self.in_flight.load(Ordering::SeqCst) == 0 && Instant::now() >= deadline {
                return;
            }
            tokio::time::sleep_until(deadline.max(Instant::now() + idle / 4)).await;
        }
    }
}

/// Serves `config` on `listener` until `shutdown` resolves, then lets open requests finish.
/// The configuration's listen address is set to the one actually bound (so the `Host` check and
/// the allowed origins carry the real port).
pub async fn serve(
    listener: TcpListener,
    mut config: ProxyConfig,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ProxyError> {
    config.listen = listener.local_addr()?.to_string();
    let header_timeout = config.header_read_timeout;
    let idle = config.idle_timeout;
    let max_connections = config.max_connections.max(1);
    let connections = Arc::new(Semaphore::new(max_connections));
    let router = app(config)?;
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            p = connections.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            a = listener.accept() => match a {
                Ok((s, _)) => s,
                Err(e) => {
                    // out of file descriptors and the like: back off, keep serving
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let activity = Arc::new(Activity {
                in_flight: AtomicUsize::new(0),
                last: Mutex::new(Instant::now()),
            });
            let seen = activity.clone();
            let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
                let router = router.clone();
                let seen = seen.clone();
                seen.in_flight.fetch_add(1, Ordering::SeqCst);
                async move {
                    let resp = router.oneshot(req.map(Body::new)).await;
                    seen.touch();
                    seen.in_flight.fetch_sub(1, Ordering::SeqCst);
                    resp
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout)
                .keep_alive(true)
                .max_buf_size(64 * 1024);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            tokio::pin!(conn);
            let mut closing = false;
            loop {
                tokio::select! {
                    _ = conn.as_mut() => break,
                    () = activity.idle_for(idle), if !closing => {
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                    _ = stop.changed(), if !closing => {
                        closing = true;
                        conn.as_mut().graceful_shutdown();
                    }
                }
            }
        });
    }
    let _ = stop_tx.send(true);
    // wait (bounded) for the open connections to finish
    let all = u32::try_from(max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(10), connections.acquire_many(all)).await;
    Ok(())
}
