//! Request logging that cannot leak secrets: one line per proxied call with method, vendor host,
//! action, status and latency — never Authorization, tokens, cookies, queries or bodies.

use std::time::Duration;

/// Installs the stderr subscriber (`RUST_LOG` filters; default `info`).
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

/// Logs one forwarded call.
pub fn call(method: &str, host: &str, action: &str, status: u16, elapsed: Duration) {
    tracing::info!(
        method,
        host,
        action,
        status,
        ms = elapsed.as_secs_f64() * 1000.0,
        "proxied"
    );
}

/// Logs a refusal (code only).
pub fn refused(method: &str, code: &str, status: u16) {
    tracing::warn!(method, code, status, "refused");
}
