//! The sandbox over HTTP: one axum fallback route that turns any request into the core's
//! [`HttpRequest`] (Host from the `Host` header, exactly as the real API hosts receive it) and
//! answers with [`Sandbox::handle`] at the clock's time.

use crate::{Clock, Reply, Sandbox};
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Response, StatusCode};
use axum::Router;
use edgewarm::{HttpRequest, Method};
use std::sync::Arc;

/// Largest request body the sandbox reads.
pub const MAX_BODY: usize = 8 * 1024 * 1024;

/// Shared state of the HTTP face.
#[derive(Clone)]
pub struct SandboxState {
    /// The sans-IO sandbox every request is handed to.
    pub sandbox: Arc<Sandbox>,
    /// The time each request is handled at (the system clock, or a manual one in tests).
    pub clock: Arc<dyn Clock>,
}

/// A router answering every path with the sandbox, except the inspection route
/// `GET /__sandbox/tasks?contains=TEXT` (no vendor has that path): the tasks whose target
/// contains `TEXT`, and which of their URLs are warm now by the cache model — so tests over
/// HTTP check "purged first, then warmed" instead of assuming it.
pub fn router(state: SandboxState) -> Router {
    Router::new()
        .route("/__sandbox/tasks", axum::routing::get(inspect_tasks))
        .fallback(serve)
        .with_state(state)
}

/// Answer of `GET /__sandbox/tasks`.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct TasksView {
    /// The sandbox clock's time of the answer (ms).
    now_ms: i64,
    /// The matching tasks in submission order.
    tasks: Vec<crate::TaskRecord>,
    /// The matching prefetch targets warm at `now_ms`.
    warm: Vec<String>,
}

async fn inspect_tasks(
    State(state): State<SandboxState>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response<Body> {
    let contains = url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "contains")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let now_ms = state.clock.now_ms();
    let tasks: Vec<_> = state
        .sandbox
        .tasks()
        .into_iter()
        .filter(|t| t.target.contains(&contains))
        .collect();
    let mut warm: Vec<String> = tasks
        .iter()
        .filter(|t| !t.purge)
        .map(|t| t.target.clone())
        .collect();
    warm.sort();
    warm.dedup();
    let is_warm = state.sandbox.warm_among(&warm, now_ms);
    let warm = warm
        .into_iter()
        .zip(is_warm)
        .filter_map(|(u, w)| w.then_some(u))
        .collect();
    let view = TasksView {
        now_ms,
        tasks,
        warm,
    };
    to_response(Reply::json(
        200,
        &serde_json::to_value(view).unwrap_or_default(),
    ))
}

/// Converts an axum request; `Err` for requests the vendors would refuse at the HTTP level.
pub async fn to_core_request(req: Request) -> Result<HttpRequest, Reply> {
    let method = match req.method().as_str() {
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => {
            return Err(Reply::json(
                405,
                &serde_json::json!({"error": {"code": "method_not_allowed",
                    "message": format!("{other} is not supported; the APIs take GET and POST")}}),
            ))
        }
    };
    let uri = req.uri().clone();
    let mut headers = Vec::new();
    for (name, value) in req.headers() {
        headers.push((
            name.as_str().to_string(),
            String::from_utf8_lossy(value.as_bytes()).into_owned(),
        ));
    }
    let host = req
        .headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| uri.host().map(str::to_string))
        .unwrap_or_default();
    let body = to_bytes(req.into_body(), MAX_BODY).await.map_err(|_| {
        Reply::json(
            413,
            &serde_json::json!({"error": {"code": "body_too_large",
            "message": format!("request bodies are limited to {MAX_BODY} bytes")}}),
        )
    })?;
    Ok(HttpRequest {
        method,
        host,
        path: uri.path().to_string(),
        query: uri.query().unwrap_or("").to_string(),
        headers,
        body: body.to_vec(),
    })
}

/// A [`Reply`] as an axum response.
pub fn to_response(reply: Reply) -> Response<Body> {
    if reply.is_reset() {
        // A body that fails: hyper aborts the connection mid-answer.
        return Response::new(Body::new(Broken));
    }
    let mut resp = Response::new(Body::from(reply.body));
    *resp.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (n, v) in reply.headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(n.as_bytes()),
            HeaderValue::from_str(&v),
        ) {
            resp.headers_mut().append(n, v);
        }
    }
    resp
}

async fn serve(State(state): State<SandboxState>, req: Request) -> Response<Body> {
    match to_core_request(req).await {
        Ok(core) => to_response(state.sandbox.handle(&core, state.clock.now_ms())),
        Err(reply) => to_response(reply),
    }
}

/// Real-origin mode: starts the background fetcher that GETs each prefetched URL's path from
/// the configured loopback origin (Host header kept) and settles the task from the status. Does
/// nothing when the config has no `real_origin`. Needs a Tokio runtime.
pub fn spawn_origin_worker(state: SandboxState) {
    let Some(origin) = state.sandbox.config().real_origin.clone() else {
        return;
    };
    let origin = origin.trim_end_matches('/').to_string();
    let client = match reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
    {
        Ok(c) => c,
        Err(_) => return,
    };
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            for check in state.sandbox.take_origin_checks() {
                let (client, sandbox, origin) =
                    (client.clone(), state.sandbox.clone(), origin.clone());
                tokio::spawn(async move {
                    let status = match url::Url::parse(&check.url) {
                        Ok(u) => {
                            let path = match u.query() {
                                Some(q) => format!("{}?{q}", u.path()),
                                None => u.path().to_string(),
                            };
                            let host = u.host_str().unwrap_or("").to_string();
                            match client
                                .get(format!("{origin}{path}"))
                                .header("host", host)
                                .send()
                                .await
                            {
                                Ok(r) => Some(r.status().as_u16()),
                                Err(_) => None,
                            }
                        }
                        Err(_) => None,
                    };
                    sandbox.settle_origin(check.task, status);
                });
            }
        }
    });
}

/// A response body that fails at once (the injected connection reset).
struct Broken;

impl http_body::Body for Broken {
    type Data = bytes::Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        let e = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected reset");
        std::task::Poll::Ready(Some(Err(e)))
    }
}
