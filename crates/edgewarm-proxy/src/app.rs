//! The proxy's router: the `Host` check (before anything else), static console files with their
//! security headers, the `/api/` forwarder, the sandbox's Host-routed face, and the limits that
//! keep it from being abused (one concurrency limit for the whole service, body size and body
//! read deadline, upstream timeout).

use crate::forward;
use crate::guard::{self, AllowedHosts, LOOPBACK_NAMES};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Response, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use edgewarm::proxy_policy::{Policy, Refusal, MAX_BODY_BYTES};
use edgewarm_sandbox::http::SandboxState;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

/// Everything the proxy needs to run.
#[derive(Clone)]
pub struct ProxyConfig {
    /// Which upstreams `/api/` may reach.
    pub policy: Policy,
    /// The in-process sandbox (sandbox mode), with its clock.
    pub sandbox: Option<SandboxState>,
    /// Directory of the console's files (`index.html`, wasm, …); a placeholder page without.
    pub static_dir: Option<PathBuf>,
    /// The address the proxy listens on (`host:port`); [`crate::serve`] sets it to the address
    /// actually bound. Port `0` (not known) lets the loopback names through on any port.
    pub listen: String,
    /// More `Host` names the proxy answers to (`--allow-host`): `name` (on the listen port) or
    /// `name:port`. Pages served under these names may also call `/api`.
    pub allow_hosts: Vec<String>,
    /// Origins the console may fetch from besides its own (edge workers): the CSP's
    /// `connect-src`. Checked with [`guard::parse_origin`].
    pub connect_origins: Vec<String>,
    /// How long a forwarded call may take before the proxy answers 504 `upstream_timeout`.
    pub upstream_timeout: Duration,
    /// Requests handled at once by the whole service; more are shed with 503.
    pub max_concurrency: usize,
    /// Connections open at once; more wait in the listen backlog until one closes.
    pub max_connections: usize,
    /// Time a client has to send a request's headers. Hyper restarts it when a kept-alive
    /// connection waits for its next request, so it also bounds idleness.
    pub header_read_timeout: Duration,
    /// Deadline for a whole request body (not per chunk); a slower body gets 408.
    pub body_read_timeout: Duration,
    /// A kept-alive connection with no request for this long is closed.
    pub idle_timeout: Duration,
}

impl ProxyConfig {
    /// Defaults for a proxy listening on `listen` (`host:port`).
    pub fn new(listen: &str) -> ProxyConfig {
        ProxyConfig {
            policy: Policy::vendors(),
            sandbox: None,
            static_dir: None,
            listen: listen.to_string(),
            allow_hosts: Vec::new(),
            connect_origins: Vec::new(),
            upstream_timeout: Duration::from_secs(30),
            max_concurrency: 256,
            max_connections: 512,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(5),
        }
    }

    /// The `Host` names (with ports) requests may carry: the loopback names, the listen address
    /// unless it is a wildcard (`0.0.0.0`, `[::]`), and `allow_hosts`.
    pub fn allowed_hosts(&self) -> AllowedHosts {
        let (listen_name, port) = guard::split_host_port(&self.listen)
            .map(|(n, p)| (n, p.unwrap_or(0)))
            .unwrap_or_default();
        let mut hosts: Vec<(String, u16)> = LOOPBACK_NAMES
            .iter()
            .map(|n| (n.to_string(), port))
            .collect();
        if !guard::is_unspecified(&listen_name) {
            hosts.push((listen_name, port));
        }
        for h in &self.allow_hosts {
            if let Some((name, p)) = guard::split_host_port(h) {
                if !guard::is_unspecified(&name) {
                    hosts.push((name, p.unwrap_or(port)));
                }
            }
        }
        hosts.dedup();
        AllowedHosts(hosts)
    }

    /// Origins whose pages may call `/api` from a browser: the allowed hosts over `http`
    /// (never a wildcard address).
    pub fn allowed_origins(&self) -> Vec<String> {
        self.allowed_hosts()
            .0
            .iter()
            .filter(|(_, port)| *port != 0)
            .map(|(name, port)| match port {
                80 => format!("http://{name}"),
                p => format!("http://{name}:{p}"),
            })
            .collect()
    }
}

/// Why the proxy cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The upstream HTTP client (rustls) could not be built.
    #[error("cannot build the upstream HTTPS client: {0}")]
    Client(String),
    /// A `--connect-origin` is not an origin.
    #[error("{0}")]
    Origin(String),
    /// The listener failed.
    #[error("listener: {0}")]
    Io(#[from] std::io::Error),
}

const PLACEHOLDER: &str =
    "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>edgewarm</title>\
<body><h1>edgewarm proxy</h1><p>The console is not built yet. The proxy forwards \
<code>/api/&lt;vendor host&gt;/</code> to the vendor APIs (or the sandbox).</p></body></html>";

/// The router's state: the configuration and the upstream HTTP client.
pub struct Shared {
    /// The configuration the proxy was started with.
    pub config: ProxyConfig,
    /// Client for the vendors: rustls with verified certificates, no redirects, timeout.
    pub client: reqwest::Client,
    /// Origins allowed to call `/api` from a browser.
    pub allowed_origins: Vec<String>,
    hosts: AllowedHosts,
    csp: HeaderValue,
    /// One limit for the whole service.
    permits: Arc<Semaphore>,
}

impl Shared {
    /// A permit of the service-wide concurrency limit, or the `503 overloaded` refusal.
    pub fn permit(&self) -> Result<OwnedSemaphorePermit, Refusal> {
        self.permits
            .clone()
            .try_acquire_owned()
            .map_err(|_| Refusal {
                status: 503,
                code: "overloaded".into(),
                message: "the proxy is at its concurrency limit; retry shortly".into(),
            })
    }

    /// Reads a whole request body within the body deadline and the size limit.
    pub async fn read_body(&self, body: Body) -> Result<bytes::Bytes, Refusal> {
        let deadline = self.config.body_read_timeout;
        match tokio::time::timeout(deadline, to_bytes(body, MAX_BODY_BYTES)).await {
            Err(_) => Err(Refusal {
                status: 408,
                code: "body_timeout".into(),
                message: format!(
                    "the request body did not arrive within {} s",
                    deadline.as_secs_f64()
                ),
            }),
            Ok(Err(_)) => Err(Refusal {
                status: 413,
                code: "body_too_large".into(),
                message: format!("request bodies are limited to {MAX_BODY_BYTES} bytes"),
            }),
            Ok(Ok(b)) => Ok(b),
        }
    }
}

async fn console(shared: &Shared, req: Request) -> Response<Body> {
    if req.method() != axum::http::Method::GET && req.method() != axum::http::Method::HEAD {
        let r = Refusal {
            status: 405,
            code: "method_not_allowed".into(),
            message: "the console's files are read with GET; API calls go to /api/<vendor host>/"
                .into(),
        };
        return forward::refusal_response(&r, None);
    }
    let _permit = match shared.permit() {
        Ok(p) => p,
        Err(r) => return forward::refusal_response(&r, None),
    };
    match &shared.config.static_dir {
        Some(dir) => {
            // `NAME.br` / `NAME.gz` beside a file (written by `cargo xtask console`) are sent
            // instead of it when the request's Accept-Encoding allows, with Content-Encoding;
            // without them, or without the encoding accepted, the file itself. The `.br` / `.gz`
            // name is derived from the path ServeDir has already checked (no `..`, no absolute
            // or Windows prefix), so it cannot reach outside `dir` either.
            let index = tower_http::services::ServeFile::new(dir.join("index.html"))
                .precompressed_br()
                .precompressed_gzip();
            let serve = tower_http::services::ServeDir::new(dir)
                .append_index_html_on_directories(true)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(index);
            let mut resp = match serve.oneshot(req).await {
                Ok(r) => r.map(Body::new),
                Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            };
            // the body depends on Accept-Encoding, so caches must key on it
            resp.headers_mut().insert(
                axum::http::header::VARY,
                HeaderValue::from_static("accept-encoding"),
            );
            resp
        }
        None => {
            let mut resp = Response::new(Body::from(PLACEHOLDER));
            resp.headers_mut().insert(
                "content-type",
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            resp
        }
    }
}

/// A request addressed to a vendor Host, answered by the sandbox: the body is read within the
/// deadline before a permit is taken, so slow uploads hold a connection, not the service.
async fn sandbox_face(shared: &Shared, sb: &SandboxState, req: Request) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let body = match shared.read_body(body).await {
        Ok(b) => b,
        Err(r) => return forward::refusal_response(&r, None),
    };
    let _permit = match shared.permit() {
        Ok(p) => p,
        Err(r) => return forward::refusal_response(&r, None),
    };
    edgewarm_sandbox::http::router(sb.clone())
        .oneshot(Request::from_parts(parts, Body::from(body)))
        .await
        .unwrap_or_default()
}

async fn entry(State(shared): State<Arc<Shared>>, req: Request) -> Response<Body> {
    let host = req
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .map(str::to_string);
    if let Some(sb) = &shared.config.sandbox {
        if host
            .as_deref()
            .and_then(edgewarm_sandbox::service_for_host)
            .is_some()
        {
            return sandbox_face(&shared, sb, req).await;
        }
    }
    if let Err(r) = shared.hosts.check(host.as_deref()) {
        crate::logging::refused(req.method().as_str(), &r.code, r.status);
        let mut resp = forward::refusal_response(&r, None);
        guard::api_headers(&mut resp);
        return resp;
    }
    if req.uri().path().starts_with("/api") || req.uri().authority().is_some() {
        let mut resp = forward::handle(shared.clone(), req).await;
        guard::api_headers(&mut resp);
        return resp;
    }
    let mut resp = console(&shared, req).await;
    guard::console_headers(&mut resp, &shared.csp);
    resp
}

/// The proxy's router. Fails when a connect origin is malformed or the upstream client cannot
/// be built (never a default client, which would follow redirects).
pub fn app(config: ProxyConfig) -> Result<Router, ProxyError> {
    let limit = config.max_concurrency.max(1);
    for o in &config.connect_origins {
        guard::parse_origin(o).map_err(ProxyError::Origin)?;
    }
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.upstream_timeout)
        .connect_timeout(config.upstream_timeout.min(Duration::from_secs(10)))
        .https_only(false)
        .build()
        .map_err(|e| ProxyError::Client(e.to_string()))?;
    let csp = HeaderValue::from_str(&guard::console_csp(&config.connect_origins))
        .map_err(|_| ProxyError::Origin("a --connect-origin is not a header value".into()))?;
    let shared = Arc::new(Shared {
        allowed_origins: config.allowed_origins(),
        hosts: config.allowed_hosts(),
        csp,
        permits: Arc::new(Semaphore::new(limit)),
        config,
        client,
    });
    Ok(Router::new().fallback(entry).with_state(shared))
}
