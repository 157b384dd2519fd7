//! Sending a signed request from the browser: through the proxy that served the console
//! (`/api/<host>/…`, same origin), or to the edge worker's `/sign` (which signs with its own
//! keys). One `fetch`, a timeout, no redirect; the answer's status, body and `Date`.

use edgewarm::job::TransportError;
use edgewarm::{Credentials, Endpoint, HttpRequest, Operation, Output, Service, SigningParams};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where requests go.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// The proxy at this page's origin.
    Proxy,
    /// The edge worker at `base`, signing mode.
    Worker {
        /// `https://…`
        base: String,
    },
}

/// An answer.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Body bytes.
    pub body: Vec<u8>,
    /// `Date` header (ms), when present.
    pub date_ms: Option<i64>,
}

const TIMEOUT_MS: i32 = 30_000;

fn text(v: JsValue) -> String {
    v.as_string()
        .or_else(|| {
            v.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "fetch failed".into())
}

/// Sends `request`; a failure before any answer is `TransportError::Unknown` (the browser
/// cannot tell whether it left).
pub async fn send(
    request: &HttpRequest,
    route: &Route,
) -> Result<Answer, (TransportError, String)> {
    let window = web_sys::window().ok_or((TransportError::NotSent, "no window".to_string()))?;
    let headers = web_sys::Headers::new().map_err(|e| (TransportError::NotSent, text(e)))?;
    let init = web_sys::RequestInit::new();
    init.set_redirect(web_sys::RequestRedirect::Manual);
    let url = match route {
        Route::Proxy => {
            init.set_method(request.method.as_str());
            for (n, v) in &request.headers {
                headers
                    .append(n, v)
                    .map_err(|e| (TransportError::NotSent, text(e)))?;
            }
            if request.method != edgewarm::Method::Get {
                init.set_body(&JsValue::from_str(&request.body_text()));
            }
            request.proxy_path()
        }
        Route::Worker { base } => {
            init.set_method("POST");
            headers
                .append("content-type", "application/json")
                .map_err(|e| (TransportError::NotSent, text(e)))?;
            let body = serde_json::json!({ "request": request }).to_string();
            init.set_body(&JsValue::from_str(&body));
            format!("{}/sign", base.trim_end_matches('/'))
        }
    };
    init.set_headers(&headers);
    let controller = web_sys::AbortController::new().ok();
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
        let c2 = c.clone();
        let abort = wasm_bindgen::closure::Closure::once_into_js(move || c2.abort());
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            abort.unchecked_ref(),
            TIMEOUT_MS,
        );
    }
    let response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(|e| (TransportError::Unknown, text(e)))?;
    let response: web_sys::Response = response
        .dyn_into()
        .map_err(|e| (TransportError::Unknown, text(e)))?;
    let status = response.status();
    let date_ms = response
        .headers()
        .get("date")
        .ok()
        .flatten()
        .map(|d| js_sys::Date::parse(&d))
        .filter(|d| d.is_finite())
        .map(|d| d as i64);
    let buffer = response
        .array_buffer()
        .map_err(|e| (TransportError::Unknown, text(e)))?;
    let buffer = JsFuture::from(buffer)
        .await
        .map_err(|e| (TransportError::Unknown, text(e)))?;
    Ok(Answer {
        status,
        body: js_sys::Uint8Array::new(&buffer).to_vec(),
        date_ms,
    })
}

/// Now (ms).
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// 16 random bytes as hex (the ACS3 nonce).
pub fn nonce() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One call end to end: `action` with `params` (vendor field names) validated, built for
/// `endpoint`, signed, sent, parsed. The error is ready to show (code, text, hint).
pub async fn call(
    service: Service,
    action: &str,
    params: serde_json::Value,
    endpoint: &Endpoint,
    credentials: &Credentials,
    route: &Route,
) -> Result<Output, crate::store::Notice> {
    use crate::store::Notice;
    let op = Operation::from_parts(service, action, params)
        .map_err(|e| Notice::local("edgewarm.Params", e.to_string()))?;
    op.validate(&edgewarm::Limits::default()).map_err(|e| {
        let first = e
            .errors
            .first()
            .map(|f| format!("{}: {}", f.field, f.message))
            .unwrap_or_default();
        Notice::local("edgewarm.Validation", first)
    })?;
    let mut request = op.build(endpoint);
    let params = SigningParams::new(now_ms().div_euclid(1000), nonce());
    edgewarm::sign::sign_request(&mut request, service, credentials, &params)
        .map_err(|e| Notice::local("edgewarm.Signing", e.to_string()))?;
    let answer = send(&request, route).await.map_err(|(_, e)| {
        Notice::local("edgewarm.Network", format!("the proxy did not answer: {e}"))
    })?;
    op.parse_response(answer.status, &answer.body)
        .map_err(|e| match e {
            edgewarm::Error::Api(api) => Notice::api(&api),
            other => Notice::local("edgewarm.MalformedResponse", other.to_string()),
        })
}
