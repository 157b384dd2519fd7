//! The proxy's router and its layers: static console files, the `/api/` forwarder, the
//! sandbox's Host-routed face, and the limits that keep it from being abused (body size,
//! concurrency with load shedding, upstream timeout).

use crate::forward;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use edgewarm::proxy_policy::Policy;
use edgewarm_sandbox::http::SandboxState;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
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
    /// Origins whose pages may use the proxy (the proxy's own addresses).
    pub allowed_origins: Vec<String>,
    /// Upstream timeout.
    pub upstream_timeout: Duration,
    /// Requests handled at once; more are shed with 503.
    pub max_concurrency: usize,
}

impl ProxyConfig {
    /// Defaults for a proxy listening on `listen` (`host:port`).
    pub fn new(listen: &str) -> ProxyConfig {
        let port = listen.rsplit(':').next().unwrap_or("8787");
        ProxyConfig {
            policy: Policy::vendors(),
            sandbox: None,
            static_dir: None,
            allowed_origins: vec![
                format!("http://{listen}"),
                format!("http://127.0.0.1:{port}"),
                format!("http://localhost:{port}"),
                format!("http://[::1]:{port}"),
            ],
            upstream_timeout: Duration::from_secs(30),
            max_concurrency: 256,
        }
    }
}

const PLACEHOLDER: &str =
    "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>edgewarm</title>\
<body><h1>edgewarm proxy</h1><p>The console is not built yet. The proxy forwards \
<code>/api/&lt;vendor host&gt;/</code> to the vendor APIs (or the sandbox).</p></body></html>";

/// The router's state: the configuration and the upstream HTTP client.
pub struct Shared {
    /// Configuration.
    pub config: ProxyConfig,
    /// Client for the vendors: rustls with verified certificates, no redirects, timeout.
    pub client: reqwest::Client,
}

async fn console(shared: Arc<Shared>, req: Request) -> Response<Body> {
    if req.method() != axum::http::Method::GET && req.method() != axum::http::Method::HEAD {
        let r = edgewarm::proxy_policy::Refusal {
            status: 405,
            code: "method_not_allowed".into(),
            message: "the console's files are read with GET; API calls go to /api/<vendor host>/"
                .into(),
        };
        return forward::refusal_response(&r, None);
    }
    match &shared.config.static_dir {
        Some(dir) => {
            let serve = tower_http::services::ServeDir::new(dir)
                .append_index_html_on_directories(true)
                .fallback(tower_http::services::ServeFile::new(dir.join("index.html")));
            match serve.oneshot(req).await {
                Ok(r) => r.map(Body::new),
                Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            }
        }
        None => Response::builder()
            .header("content-type", "text/html; charset=utf-8")
            .body(Body::from(PLACEHOLDER))
            .unwrap_or_default(),
    }
}

async fn entry(State(shared): State<Arc<Shared>>, req: Request) -> Response<Body> {
    let vendor_host = req
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .and_then(edgewarm_sandbox::service_for_host)
        .is_some();
    if let (true, Some(sb)) = (vendor_host, &shared.config.sandbox) {
        return edgewarm_sandbox::http::router(sb.clone())
            .oneshot(req)
            .await
            .unwrap_or_default();
    }
    if req.uri().path().starts_with("/api") || req.uri().authority().is_some() {
        return forward::handle(shared, req).await;
    }
    console(shared, req).await
}

/// The proxy's router with its layers.
pub fn app(config: ProxyConfig) -> Router {
    let limit = config.max_concurrency.max(1);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.upstream_timeout)
        .connect_timeout(config.upstream_timeout.min(Duration::from_secs(10)))
        .https_only(false)
        .build()
        .unwrap_or_default();
    let shared = Arc::new(Shared { config, client });
    Router::new().fallback(entry).with_state(shared).layer(
        tower::ServiceBuilder::new()
            .layer(axum::error_handling::HandleErrorLayer::new(
                |_: tower::BoxError| async {
                    forward::refusal_response(
                        &edgewarm::proxy_policy::Refusal {
                            status: 503,
                            code: "overloaded".into(),
                            message: "the proxy is at its concurrency limit; retry shortly".into(),
                        },
                        None,
                    )
                },
            ))
            .load_shed()
            .concurrency_limit(limit),
    )
}
