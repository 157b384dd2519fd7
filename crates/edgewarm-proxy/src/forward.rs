//! The `/api/<vendor host>/` forwarder: origin check, route and header rules from the core's
//! policy, byte-exact body, the sandbox in-process or the vendor over HTTPS, typed JSON errors
//! (4xx refusals, 408 slow body, 502 unreachable, 504 timeout), CORS for the console's origin.

use crate::app::Shared;
use crate::logging;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Response, StatusCode};
use edgewarm::proxy_policy::{check_origin, Refusal};
use edgewarm::{HttpRequest, Method};
use std::sync::Arc;
use std::time::Instant;

/// Largest vendor answer relayed.
const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Headers a browser may send cross-origin: the core's list, the edge worker's too.
const ALLOW_HEADERS: &str = edgewarm::proxy_policy::CORS_ALLOW_HEADERS;

fn refuse(status: u16, code: &str, message: impl Into<String>) -> Refusal {
    Refusal {
        status,
        code: code.into(),
        message: message.into(),
    }
}

/// A refusal as a JSON response (with CORS when the origin is the console's).
pub fn refusal_response(r: &Refusal, origin: Option<&str>) -> Response<Body> {
    let mut resp = Response::new(Body::from(r.to_json()));
    *resp.status_mut() = StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_REQUEST);
    resp.headers_mut()
        .insert("content-type", HeaderValue::from_static("application/json"));
    cors(&mut resp, origin);
    resp
}

fn cors(resp: &mut Response<Body>, origin: Option<&str>) {
    if let Some(o) = origin.and_then(|o| HeaderValue::from_str(o).ok()) {
        let h = resp.headers_mut();
        h.insert("access-control-allow-origin", o);
        h.insert("vary", HeaderValue::from_static("Origin"));
        h.insert(
            "access-control-expose-headers",
            HeaderValue::from_static(edgewarm::proxy_policy::CORS_EXPOSE_HEADERS),
        );
    }
}

/// Handles one `/api/…` request.
pub async fn handle(shared: Arc<Shared>, req: Request) -> Response<Body> {
    let started = Instant::now();
    let method_text = req.method().as_str().to_string();
    let origin = req
        .headers()
        .get("origin")
        .map(|o| String::from_utf8_lossy(o.as_bytes()).into_owned());
    if let Err(r) = check_origin(origin.as_deref(), &shared.allowed_origins) {
        logging::refused(&method_text, &r.code, r.status);
        return refusal_response(&r, None);
    }
    let origin = origin.as_deref();
    let result = forward(&shared, req, origin).await;
    match result {
        Ok((resp, host, action)) => {
            logging::call(
                &method_text,
                &host,
                &action,
                resp.status().as_u16(),
                started.elapsed(),
            );
            resp
        }
        Err(r) => {
            logging::refused(&method_text, &r.code, r.status);
            refusal_response(&r, origin)
        }
    }
}

async fn forward(
    shared: &Shared,
    req: Request,
    origin: Option<&str>,
) -> Result<(Response<Body>, String, String), Refusal> {
    let cfg = &shared.config;
    if req.uri().authority().is_some() || req.uri().scheme().is_some() {
        return Err(refuse(
            400,
            "absolute_form",
            "absolute-form request targets are not proxied",
        ));
    }
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let upstream = cfg.policy.route(&target)?;
    let method = match req.method().as_str() {
        "OPTIONS" => return Ok((preflight(origin), upstream.host, "preflight".into())),
        "GET" => Method::Get,
        "POST" => Method::Post,
        other => {
            return Err(refuse(
                405,
                "method_not_allowed",
                format!("{other} is not proxied; GET and POST only"),
            ))
        }
    };
    let mut raw_headers = Vec::new();
    for (name, value) in req.headers() {
        let value = value.to_str().map_err(|_| {
            refuse(
                400,
                "bad_header",
                format!("header {name} is not visible ASCII"),
            )
        })?;
        raw_headers.push((name.as_str().to_string(), value.to_string()));
    }
    let headers = cfg.policy.request_headers(&raw_headers)?;
    let action = headers
        .iter()
        .find(|(n, _)| {
            n.eq_ignore_ascii_case("x-tc-action") || n.eq_ignore_ascii_case("x-acs-action")
        })
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    // the body first (within its deadline), then a permit: a slow upload holds its connection,
    // never a share of the service-wide limit
    let body = shared.read_body(req.into_body()).await?;
    let _permit = shared.permit()?;

    let mut resp = match &cfg.sandbox {
        Some(sb) => {
            let mut core = HttpRequest::new(method, upstream.host.clone());
            core.query = upstream.query.clone();
            core.headers = headers;
            core.headers.push(("Host".into(), upstream.host.clone()));
            core.body = body.to_vec();
            edgewarm_sandbox::http::to_response(sb.sandbox.handle(&core, sb.clock.now_ms()))
        }
        None => send(shared, method, &upstream, headers, body.to_vec()).await?,
    };
    let kept = cfg.policy.response_headers(
        &resp
            .headers()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect::<Vec<_>>(),
    );
    resp.headers_mut().clear();
    for (n, v) in kept {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(n.as_bytes()),
            HeaderValue::from_str(&v),
        ) {
            resp.headers_mut().append(n, v);
        }
    }
    cors(&mut resp, origin);
    Ok((resp, upstream.host, action))
}

async fn send(
    shared: &Shared,
    method: Method,
    upstream: &edgewarm::proxy_policy::Upstream,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
) -> Result<Response<Body>, Refusal> {
    let m = match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
    };
    let mut rb = shared
        .client
        .request(m, &upstream.url)
        .header("host", &upstream.host);
    for (n, v) in headers {
        rb = rb.header(n, v);
    }
    let answer = rb.body(body).send().await.map_err(|e| {
        if e.is_timeout() {
            refuse(
                504,
                "upstream_timeout",
                format!("{} did not answer in time", upstream.host),
            )
        } else {
            refuse(
                502,
                "upstream_unreachable",
                format!("{} could not be reached", upstream.host),
            )
        }
    })?;
    let status = answer.status().as_u16();
    if (300..400).contains(&status) {
        return Err(refuse(
            502,
            "upstream_redirect",
            format!(
                "{} answered a redirect, which is not followed",
                upstream.host
            ),
        ));
    }
    let mut headers = Vec::new();
    for (n, v) in answer.headers() {
        headers.push((n.clone(), v.clone()));
    }
    let mut buf = Vec::new();
    let mut answer = answer;
    loop {
        match answer.chunk().await {
            Ok(Some(chunk)) => {
                if buf.len() + chunk.len() > MAX_RESPONSE_BYTES {
                    return Err(refuse(
                        502,
                        "upstream_too_large",
                        "the vendor answer is too large",
                    ));
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(e) if e.is_timeout() => {
                return Err(refuse(
                    504,
                    "upstream_timeout",
                    "the vendor answer timed out",
                ))
            }
            Err(_) => {
                return Err(refuse(
                    502,
                    "upstream_reset",
                    "the vendor connection broke mid-answer",
                ))
            }
        }
    }
    let vendor_json =
        serde_json::from_slice::<serde_json::Value>(&buf).is_ok_and(|v| v.is_object());
    if status >= 500 && !vendor_json {
        return Err(refuse(
            502,
            "upstream_error",
            format!(
                "{} answered HTTP {status} without an API error body",
                upstream.host
            ),
        ));
    }
    let mut resp = Response::new(Body::from(buf));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    for (n, v) in headers {
        resp.headers_mut().append(n, v);
    }
    Ok(resp)
}

fn preflight(origin: Option<&str>) -> Response<Body> {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    let h = resp.headers_mut();
    h.insert(
        "access-control-allow-methods",
        HeaderValue::from_static(edgewarm::proxy_policy::CORS_ALLOW_METHODS),
    );
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static(ALLOW_HEADERS),
    );
    h.insert(
        "access-control-max-age",
        HeaderValue::from(edgewarm::proxy_policy::CORS_MAX_AGE_SECS),
    );
    cors(&mut resp, origin);
    resp
}
