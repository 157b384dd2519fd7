//! The proxy policy for the edge worker: the very rules of the native proxy (the allowlist, the
//! header filter, the Origin check), from the core.

use crate::convert::to_js;
use crate::errors::throw;
use edgewarm::proxy_policy::{self, Policy, Scheme};
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
    serde_json::json!({"error": {"code": code, "message": message, "status": status}}).to_string()
}
