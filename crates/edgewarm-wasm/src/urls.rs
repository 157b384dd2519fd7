//! URL checks for JS: the per-vendor preview of one URL and order-keeping dedupe. Part of the
//! call module (no `sources` feature needed): a caller building a call checks its URLs first.

use crate::convert::{from_js, to_js};
use crate::errors::throw;
use edgewarm::error::{ValidationError, ValidationErrors};
use edgewarm::{urls, Service};
use wasm_bindgen::prelude::*;

/// Checks one URL for `service` and returns what is sent and the encoded form that is warmed;
/// throws a `ValidationError` (field `url`) naming the rule it breaks.
#[wasm_bindgen(js_name = prepareUrl, unchecked_return_type = "PreparedUrl")]
pub fn prepare_url(
    url: &str,
    #[wasm_bindgen(unchecked_param_type = "Service")] service: JsValue,
) -> Result<JsValue, JsValue> {
    let service: Service = from_js(service, "service")?;
    match urls::prepare(url, service) {
        Ok(p) => to_js(&p),
        Err((rule, message)) => Err(throw(ValidationErrors {
            errors: vec![ValidationError::new("url", rule, message)],
        })),
    }
}

/// Keeps the first of every repeated URL, in order.
#[wasm_bindgen(js_name = dedupe)]
pub fn dedupe(urls: Vec<String>) -> Vec<String> {
    urls::dedupe(urls)
}
