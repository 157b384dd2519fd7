//! # edgewarm-proxy — between the console and the vendor APIs
//!
//! Browsers cannot call the vendor APIs (no CORS), so the console sends its signed calls here:
//! `/api/<vendor host>/?<query>` is forwarded to `https://<vendor host>/?<query>` when the core's
//! [`edgewarm::proxy_policy`] allows it, with the signed headers and body byte-exact and the
//! vendor's answer returned unchanged plus CORS for the console's own origin. In `--sandbox` mode
//! the vendor hosts are answered by the in-process [`edgewarm_sandbox::Sandbox`], which also
//! answers requests addressed to a vendor Host directly (an SDK whose TCP connection is sent here).
//!
//! It answers only its own `Host` names ([`guard`]: loopback, the bound address, `--allow-host`),
//! serves the console with a strict CSP, and bounds what a client can hold ([`server`]: header,
//! body and idle timeouts, a connection cap; one concurrency limit for the whole service).

pub mod app;
pub mod forward;
pub mod guard;
pub mod logging;
pub mod server;

pub use app::{app, ProxyConfig, ProxyError};
pub use server::serve;
