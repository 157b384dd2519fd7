//! The host's WHATWG `URL` as the core's URL parser, for the call module (built without the
//! `rust-url` feature): the `url` crate and its IDNA tables stay out of that wasm, and the
//! runtime that already parses URLs and converts international host names does it. The full
//! module keeps the Rust parser; `tests/npm/call.test.mjs` (Node) and the bundle page of
//! `tests/npm/browser.test.mjs` (Chromium, whose `URL` is looser on host names: the core's
//! `host_name::check_host` closes the gap) check the two agree.

use edgewarm::urls::{set_host_parser, UrlParts};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = URL)]
    type HostUrl;

    #[wasm_bindgen(catch, constructor, js_class = "URL")]
    fn new(url: &str) -> Result<HostUrl, JsValue>;

    #[wasm_bindgen(method, getter, js_class = "URL")]
    fn hostname(this: &HostUrl) -> String;

    #[wasm_bindgen(method, getter, js_class = "URL")]
    fn port(this: &HostUrl) -> String;

    #[wasm_bindgen(method, getter, js_class = "URL")]
    fn username(this: &HostUrl) -> String;

    #[wasm_bindgen(method, getter, js_class = "URL")]
    fn password(this: &HostUrl) -> String;
}

/// The host's ASCII form of a Unicode host name (its own IDNA).
fn encode(host: &str) -> Option<String> {
    HostUrl::new(&format!("http://{host}/"))
        .ok()
        .map(|u| u.hostname())
}

/// `new URL(raw)`, read as the core's [`UrlParts`]; the host's message when it throws.
fn parse(raw: &str) -> Result<UrlParts, String> {
    let url = HostUrl::new(raw).map_err(|e| {
        e.dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "invalid URL".to_string())
    })?;
    edgewarm::host_name::parts_from_whatwg(
        url.hostname(),
        &url.port(),
        !url.username().is_empty() || !url.password().is_empty(),
        encode,
    )
}

/// Installs the parser when the module is instantiated.
#[wasm_bindgen(start)]
fn install_host_url() {
    set_host_parser(parse);
}
