//! Sending a signed request from the browser: through the proxy that served the console
//! (`/api/<host>/…`, same origin), or to the edge worker's `/sign` (which signs with its own
//! keys, for the bearer token of the connection). One `fetch` through gloo-net, a timeout, no
//! redirect; the answer's status, body and `Date`. The worker's own refusals (`401`, `403`,
//! `429`, `501`, … as `{"error": {"code", "message"}}`) become plain notices.

use edgewarm::job::TransportError;
use edgewarm::{Call, Credentials, Endpoint, HttpRequest, SigningParams};
use wasm_bindgen::{JsCast, JsValue};

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
    // read as text, as every other JSON the console reads: one instance of serde_json's reader
    let text = std::str::from_utf8(body).ok()?;
    let e = serde_json::from_str::<Envelope>(text).ok()?.error;
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

/// A vendor's answer as the runner feeds it to the job.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status, unchanged.
    pub status: u16,
    /// The body, byte for byte.
    pub body: Vec<u8>,
    /// `Date` header (ms), when present.
    pub date_ms: Option<i64>,
}

/// How long a call may take before it is given up (assumed: the vendors document no limit).
const TIMEOUT_MS: u32 = 30_000;

fn transport(kind: TransportError) -> impl Fn(gloo_net::Error) -> (TransportError, String) {
    move |e| (kind, e.to_string())
}

fn js_text(v: JsValue) -> String {
    v.as_string()
        .or_else(|| {
            v.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "the browser refused the request".into())
}

/// Headers built fallibly (gloo-net's own `header` throws on a value the browser refuses).
fn headers(pairs: &[(&str, &str)]) -> Result<gloo_net::http::Headers, (TransportError, String)> {
    let raw = web_sys::Headers::new().map_err(|e| (TransportError::NotSent, js_text(e)))?;
    for (n, v) in pairs {
        raw.append(n, v).map_err(|e| {
            (
                TransportError::NotSent,
                format!("header {n}: {}", js_text(e)),
            )
        })?;
    }
    Ok(gloo_net::http::Headers::from_raw(raw))
}

/// The body of the edge worker's `/sign`: the unsigned request it signs and sends.
#[derive(serde::Serialize)]
struct SignRequest<'a> {
    request: &'a HttpRequest,
}

/// Sends `request` with gloo-net (no redirect followed, aborted after [`TIMEOUT_MS`]); a
/// failure before any answer is `TransportError::Unknown` (the browser cannot tell whether it
/// left).
pub async fn send(
    request: &HttpRequest,
    route: &Route,
) -> Result<Answer, (TransportError, String)> {
    use gloo_net::http::{Method, RequestBuilder};
    let (url, method, headers, body) = match route {
        Route::Proxy => {
            let pairs: Vec<(&str, &str)> = request
                .headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let (method, body) = match request.method {
                edgewarm::Method::Get => (Method::GET, None),
                _ => (Method::POST, Some(request.body_text())),
            };
            (request.proxy_path(), method, headers(&pairs)?, body)
        }
        Route::Worker { base, token } => {
            let bearer = format!("Bearer {}", token.trim());
            (
                format!("{}/sign", base.trim_end_matches('/')),
                Method::POST,
                headers(&[
                    ("content-type", "application/json"),
                    ("authorization", &bearer),
                ])?,
                Some(
                    serde_json::to_string(&SignRequest { request })
                        .map_err(|e| (TransportError::NotSent, e.to_string()))?,
                ),
            )
        }
    };
    let abort = web_sys::AbortController::new().ok();
    let signal = abort.as_ref().map(|c| c.signal());
    let builder = RequestBuilder::new(&url)
        .method(method)
        .headers(headers)
        .redirect(web_sys::RequestRedirect::Manual)
        .abort_signal(signal.as_ref());
    let built = match body {
        Some(body) => builder.body(body),
        None => builder.build(),
    };
    let built = built.map_err(transport(TransportError::NotSent))?;
    // dropped (cancelled) once the answer is read
    let _timeout =
        abort.map(|c| gloo_timers::callback::Timeout::new(TIMEOUT_MS, move || c.abort()));
    let response = built
        .send()
        .await
        .map_err(transport(TransportError::Unknown))?;
    let status = response.status();
    let date_ms = response
        .headers()
        .get("date")
        .map(|d| js_sys::Date::parse(&d))
        .filter(|d| d.is_finite())
        .map(|d| d as i64);
    let body = response
        .binary()
        .await
        .map_err(transport(TransportError::Unknown))?;
    Ok(Answer {
        status,
        body,
        date_ms,
    })
}

/// Now, in milliseconds since the Unix epoch (the browser's clock).
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// 16 random bytes from `crypto.getRandomValues`, or a notice saying why there are none: a
/// signature is never made with a predictable nonce.
fn random_bytes() -> Result<[u8; 16], crate::store::Notice> {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .ok_or_else(|| {
            crate::store::Notice::local(
                "edgewarm.NoRandomness",
                "this browser gives the page no crypto.getRandomValues, so nothing can be signed safely: open the console over https (or localhost) in a current browser",
            )
        })?;
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|e| {
            crate::store::Notice::local(
                "edgewarm.NoRandomness",
                format!("crypto.getRandomValues failed ({e:?}), so nothing can be signed safely"),
            )
        })?;
    Ok(bytes)
}

/// 16 random bytes as hex (the ACS3 nonce); a notice when the browser has no randomness.
pub fn try_nonce() -> Result<String, crate::store::Notice> {
    Ok(random_bytes()?.iter().map(|b| format!("{b:02x}")).collect())
}

/// A random job seed (it drives the nonces the job signs with); a notice when the browser has
/// no randomness.
pub fn random_seed() -> Result<u64, crate::store::Notice> {
    let b = random_bytes()?;
    Ok(u64::from_le_bytes([
        b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
    ]))
}

/// One typed call end to end: `op` validated, built for `endpoint`, signed, sent, its answer
/// parsed into the operation's own output type. The error is ready to show (code, text, hint).
pub async fn call<C: Call>(
    op: C,
    endpoint: &Endpoint,
    credentials: &Credentials,
    route: &Route,
) -> Result<C::Output, crate::store::Notice> {
    use crate::store::Notice;
    op.validate(&edgewarm::Limits::default()).map_err(|e| {
        let first = e
            .errors
            .first()
            .map(|f| format!("{}: {}", f.field, f.message))
            .unwrap_or_default();
        Notice::local("edgewarm.Validation", first)
    })?;
    let mut request = op.build(endpoint);
    let params = SigningParams::new(now_ms().div_euclid(1000), try_nonce()?);
    edgewarm::sign::sign_request(&mut request, C::SERVICE, credentials, &params)
        .map_err(|e| Notice::local("edgewarm.Signing", e.to_string()))?;
    let answer = send(&request, route).await.map_err(|(_, e)| {
        Notice::local("edgewarm.Network", format!("the proxy did not answer: {e}"))
    })?;
    if let Route::Worker { .. } = route {
        if let Some(refusal) = worker_refusal(answer.status, &answer.body) {
            return Err(refusal);
        }
    }
    edgewarm::response::parse::<C>(answer.status, &answer.body).map_err(|e| match e {
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
