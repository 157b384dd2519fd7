//! Sending a signed request from the browser: through the proxy that served the console
//! (`/api/<host>/…`, same origin), or to the edge worker's `/sign` (which signs with its own
//! keys, for the bearer token of the connection). One `fetch`, a timeout, no redirect; the
//! answer's status, body and `Date`. The worker's own refusals (`401`, `403`, `429`, `501`, …
//! as `{"error": {"code", "message"}}`) become plain notices.

use edgewarm::job::TransportError;
use edgewarm::{Credentials, Endpoint, HttpRequest, Operation, Output, Service, SigningParams};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Where requests go.
#[derive(Clone, PartialEq)]
pub enum Route {
    /// The proxy at this page's origin.
    Proxy,
    /// The edge worker at `base`, signing mode.
    Worker {
        /// `https://…`
        base: String,
        /// Its `/sign` bearer token (sent as `Authorization: Bearer`, never shown).
        token: String,
    },
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Route::Proxy => f.write_str("Proxy"),
            Route::Worker { base, .. } => write!(f, "Worker({base}, ** token redacted **)"),
        }
    }
}

/// The edge worker's refusal in an answer (`{"error": {"code", "message"}}` with a 4xx/5xx),
/// as a notice that says what to do; `None` for anything else (vendor answers).
pub fn worker_refusal(status: u16, body: &[u8]) -> Option<crate::store::Notice> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        error: Refusal,
    }
    #[derive(serde::Deserialize)]
    struct Refusal {
        code: String,
        message: String,
    }
    if status < 400 {
        return None;
    }
    let e = serde_json::from_slice::<Envelope>(body).ok()?.error;
    let hint = match e.code.as_str() {
        "unauthorized" => "Check the worker token under Connection: it must be the worker's EDGEWARM_SIGN_TOKEN.",
        "action_not_allowed" => "The worker's owner must add this action to EDGEWARM_SIGN_ACTIONS.",
        "rate_limited" => "The worker limits calls per token (EDGEWARM_SIGN_RATE): wait and retry, or ask its owner to raise the rate.",
        "signing_disabled" => "The worker's owner must set EDGEWARM_SIGN_TOKEN and the vendor keys as worker secrets.",
        "sign_actions_invalid" => "The worker's EDGEWARM_SIGN_ACTIONS names an action edgewarm does not have: its owner must fix it.",
        "limits_above_default" => "A signing call may lower a cap, never raise it.",
        "origin_not_allowed" => "Add this console's origin to the worker's ALLOWED_ORIGINS.",
        _ => "The edge worker refused the call.",
    };
    Some(crate::store::Notice {
        error: true,
        code: format!("worker.{}", e.code),
        text: format!("edge worker ({status}): {}", e.message),
        hint: Some(hint.into()),
    })
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
        Route::Worker { base, token } => {
            init.set_method("POST");
            headers
                .append("content-type", "application/json")
                .map_err(|e| (TransportError::NotSent, text(e)))?;
            headers
                .append("authorization", &format!("Bearer {}", token.trim()))
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
    if let Route::Worker { .. } = route {
        if let Some(refusal) = worker_refusal(answer.status, &answer.body) {
            return Err(refusal);
        }
    }
    op.parse_response(answer.status, &answer.body)
        .map_err(|e| match e {
            edgewarm::Error::Api(api) => Notice::api(&api),
            other => Notice::local("edgewarm.MalformedResponse", other.to_string()),
        })
}

#[cfg(test)]
mod tests {
    use super::worker_refusal;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn worker_refusals_become_plain_notices_with_what_to_do() {
        let cases = [
            (401, "unauthorized", "EDGEWARM_SIGN_TOKEN"),
            (403, "action_not_allowed", "EDGEWARM_SIGN_ACTIONS"),
            (429, "rate_limited", "EDGEWARM_SIGN_RATE"),
            (501, "signing_disabled", "EDGEWARM_SIGN_TOKEN"),
            (403, "origin_not_allowed", "ALLOWED_ORIGINS"),
        ];
        for (status, code, named) in cases {
            let body = format!(
                r#"{{"error":{{"code":"{code}","message":"refused: {code}","status":{status}}}}}"#
            );
            let n = worker_refusal(status, body.as_bytes()).expect("a refusal notice");
            assert!(n.error);
            assert_eq!(n.code, format!("worker.{code}"));
            assert!(
                n.text.contains(&status.to_string()) && n.text.contains(code),
                "{}",
                n.text
            );
            assert!(
                n.hint.as_deref().unwrap_or("").contains(named),
                "{code}: {:?}",
                n.hint
            );
        }
        // a vendor answer (not the worker's refusal envelope) is left to the vendor parser
        assert!(worker_refusal(400, br#"{"Response":{"Error":{"Code":"X"}}}"#).is_none());
        assert!(worker_refusal(200, br#"{"error":{"code":"x","message":"y"}}"#).is_none());
    }
}
