//! The proxy policy for the edge worker: the very rules of the native proxy (the allowlist, the
//! header filter, the Origin check, the CORS lists), from the core, and the signing policy of
//! its `/sign` (bearer token, action allowlist, lower-only limits, rebuild before signing).

use crate::calls::{build_and_sign, Prepared, Signing, WithoutCredentials};
use crate::convert::{js_of, json_of_js, json_of_text, read, to_js, to_json, utf8};
use crate::errors::throw;
use edgewarm::proxy_policy::{self, Policy, Refusal, Scheme};
use edgewarm::rebuild::operation_from_request;
use edgewarm::HttpRequest;
use wasm_bindgen::prelude::*;

/// The allowlist and header rules.
#[wasm_bindgen(js_name = ProxyPolicy)]
pub struct JsPolicy {
    inner: Policy,
}

#[wasm_bindgen(js_class = ProxyPolicy)]
impl JsPolicy {
    /// The vendor API hosts (teo, cdn: China and intl; ESA's documented regions).
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsPolicy {
        JsPolicy {
            inner: Policy::vendors(),
        }
    }

    /// Sends `host` to a stand-in at `connect` over plain HTTP (tests on loopback only).
    #[wasm_bindgen(js_name = withStandIn)]
    pub fn with_stand_in(&self, host: &str, connect: &str) -> JsPolicy {
        JsPolicy {
            inner: self
                .inner
                .clone()
                .with_stand_in(host, connect, Scheme::Http),
        }
    }

    /// The allowed host names.
    pub fn hosts(&self) -> Vec<String> {
        self.inner.hosts().map(String::from).collect()
    }

    /// Where `/api/<host>/<path>?<query>` may go (the raw target); throws the refusal (with
    /// `httpStatus` and a stable `code`) otherwise.
    #[wasm_bindgen(unchecked_return_type = "Upstream")]
    pub fn route(&self, target: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.route(target).map_err(throw)?)
    }

    /// The request headers to forward (`[name, value]` pairs in, the same out, filtered); throws
    /// on CR/LF.
    #[wasm_bindgen(js_name = requestHeaders, unchecked_return_type = "[string, string][]")]
    pub fn request_headers(
        &self,
        #[wasm_bindgen(unchecked_param_type = "[string, string][]")] headers: JsValue,
    ) -> Result<JsValue, JsValue> {
        let headers: Vec<(String, String)> = crate::convert::from_js(headers, "headers")?;
        to_js(&self.inner.request_headers(&headers).map_err(throw)?)
    }

    /// `POST /sign`'s intent signed in one crossing: a `CallInput` JSON (`action`, `params`,
    /// `endpoint`, `limits` as `signLimits` gave them) with `credentials` and optional
    /// `signing`, validated, built, routed (a host outside the policy is refused before anything
    /// is signed) and signed; out, `{service, request, explain}` JSON. `undefined` when the call
    /// is valid but `credentials` is absent or null (the worker answers that it holds no keys).
    /// `host_nonce` gives ACS3 its nonce.
    #[wasm_bindgen(js_name = signCallJson)]
    pub fn sign_call_json(
        &self,
        input: &[u8],
        host_nonce: &js_sys::Function,
    ) -> Result<Option<String>, JsValue> {
        let signing = Signing {
            hash_from: usize::MAX,
            host_nonce,
            without_credentials: WithoutCredentials::Answer,
        };
        let route = |request: &HttpRequest| {
            self.inner
                .route(&format!("/api/{}{}", request.host, request.path))
                .map(drop)
                .map_err(throw)
        };
        Ok(match build_and_sign(input, signing, &route)? {
            Prepared::Signed(json) => Some(json),
            Prepared::NoCredentials | Prepared::Unsigned { .. } => None,
        })
    }

    /// The response headers to pass back.
    #[wasm_bindgen(js_name = responseHeaders, unchecked_return_type = "[string, string][]")]
    pub fn response_headers(
        &self,
        #[wasm_bindgen(unchecked_param_type = "[string, string][]")] headers: JsValue,
    ) -> Result<JsValue, JsValue> {
        let headers: Vec<(String, String)> = crate::convert::from_js(headers, "headers")?;
        to_js(&self.inner.response_headers(&headers))
    }
}

impl Default for JsPolicy {
    fn default() -> Self {
        JsPolicy::new()
    }
}

/// Checks a browser's `Origin` against the allowed origins (no `Origin` passes: curl, the CLI).
#[wasm_bindgen(js_name = checkOrigin)]
pub fn check_origin(origin: Option<String>, allowed: Vec<String>) -> Result<(), JsValue> {
    proxy_policy::check_origin(origin.as_deref(), &allowed).map_err(throw)
}

/// The proxy's JSON body for a refusal thrown by `route`, `requestHeaders` or `checkOrigin`.
#[wasm_bindgen(js_name = refusalJson)]
pub fn refusal_json(status: u16, code: &str, message: &str) -> String {
    Refusal {
        status,
        code: code.into(),
        message: message.into(),
    }
    .to_json()
}

/// The CORS lists and the body limit, shared by the native proxy and the edge worker.
#[derive(serde::Serialize, tsify::Tsify)]
#[serde(rename_all = "camelCase")]
pub struct CorsPolicy {
    /// `Access-Control-Allow-Methods`.
    pub allow_methods: &'static str,
    /// `Access-Control-Allow-Headers`.
    pub allow_headers: &'static str,
    /// `Access-Control-Expose-Headers`.
    pub expose_headers: &'static str,
    /// `Access-Control-Max-Age` (seconds).
    pub max_age_secs: u32,
    /// Largest request body forwarded, in bytes.
    pub max_body_bytes: usize,
}

/// The CORS lists and the body limit of the core's proxy policy.
#[wasm_bindgen(js_name = corsPolicy, unchecked_return_type = "CorsPolicy")]
pub fn cors_policy() -> Result<JsValue, JsValue> {
    to_js(&CorsPolicy {
        allow_methods: proxy_policy::CORS_ALLOW_METHODS,
        allow_headers: proxy_policy::CORS_ALLOW_HEADERS,
        expose_headers: proxy_policy::CORS_EXPOSE_HEADERS,
        max_age_secs: proxy_policy::CORS_MAX_AGE_SECS,
        max_body_bytes: proxy_policy::MAX_BODY_BYTES,
    })
}

/// The actions the edge worker's `/sign` may sign, from `EDGEWARM_SIGN_ACTIONS` (unset or
/// blank: the default prefetch-and-reads list); throws a 500 refusal naming unknown actions.
#[wasm_bindgen(js_name = signActions)]
pub fn sign_actions(configured: Option<String>) -> Result<Vec<String>, JsValue> {
    proxy_policy::sign_actions(configured.as_deref()).map_err(throw)
}

/// The default signing allowlist (the prefetch family and reads).
#[wasm_bindgen(js_name = defaultSignActions)]
pub fn default_sign_actions() -> Vec<String> {
    proxy_policy::DEFAULT_SIGN_ACTIONS
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// Throws a 403 `action_not_allowed` refusal for an action outside the allowlist.
#[wasm_bindgen(js_name = checkSignAction)]
pub fn check_sign_action(action: &str, allowed: Vec<String>) -> Result<(), JsValue> {
    proxy_policy::check_sign_action(action, &allowed).map_err(throw)
}

/// Checks an `Authorization` header against the bearer token (constant time, length hidden);
/// throws a 401 `unauthorized` refusal otherwise.
#[wasm_bindgen(js_name = checkBearer)]
pub fn check_bearer(authorization: Option<String>, token: &str) -> Result<(), JsValue> {
    proxy_policy::check_bearer(authorization.as_deref(), token).map_err(throw)
}

/// The limits a signing call is validated with: the defaults, lowered where `limits` asks;
/// throws a 400 `limits_above_default` refusal for a cap raised above its default.
#[wasm_bindgen(js_name = signLimits, unchecked_return_type = "Limits")]
pub fn sign_limits(
    #[wasm_bindgen(unchecked_param_type = "Partial<Limits> | undefined")] limits: JsValue,
) -> Result<JsValue, JsValue> {
    let limits = crate::convert::limits(json_of_js(limits, "limits")?, "limits")?;
    let limits = proxy_policy::sign_limits(limits.as_ref()).map_err(throw)?;
    Ok(js_of(limits.to_json()))
}

/// What `rebuildRequestJson` takes: a request built elsewhere and optional lower caps (the
/// `limits` member, taken out first and read by its field table).
#[derive(serde::Deserialize)]
struct RebuildInput {
    request: HttpRequest,
}

/// The result of `rebuildRequestJson`.
#[derive(serde::Serialize)]
struct Rebuilt {
    service: edgewarm::Service,
    request: HttpRequest,
}

/// A request built elsewhere, read back into its operation, validated (default limits, lowered
/// by `limits`) and rebuilt by the core, unsigned: `{request, limits?}` JSON in,
/// `{service, request}` JSON out. Caller bytes are never returned as they came.
#[wasm_bindgen(js_name = rebuildRequestJson)]
pub fn rebuild_request_json(input: &[u8]) -> Result<String, JsValue> {
    let mut input = json_of_text(utf8(input, "input")?, "input")?;
    let limits = match input.as_object_mut().and_then(|o| o.remove("limits")) {
        Some(limits) => crate::convert::limits(limits, "input")?,
        None => None,
    };
    let input: RebuildInput = read(input, "input")?;
    let limits = proxy_policy::sign_limits(limits.as_ref()).map_err(throw)?;
    let (op, endpoint) = operation_from_request(&input.request).map_err(throw)?;
    op.validate(&limits).map_err(throw)?;
    to_json(&Rebuilt {
        service: op.service(),
        request: op.build(&endpoint),
    })
}
