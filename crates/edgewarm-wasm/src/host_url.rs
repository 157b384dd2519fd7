//! The host's WHATWG `URL` as the core's URL parser and, with the sources, its resolver: both
//! wasm modules (the full one and the call module) are built without the core's `url` feature,
//! so the `url` crate and its IDNA tables stay out, and the runtime, which already parses URLs
//! and converts international host names, does it. Chromium's `URL` is looser than the
//! standard on host names; every host it gives back goes through the core's
//! `host_name::check_host`. Native builds keep the Rust parser; `tests/url_answers.json` holds
//! the two to the same answers (natively `crates/edgewarm/tests/url_answers.rs`, in Node
//! `tests/npm/call.test.mjs`, in Chromium the bundle page of `tests/npm/browser.test.mjs`).

use edgewarm::urls::{set_host_parser, UrlParts};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = URL)]
    type HostUrl;

    #[wasm_bindgen(catch, constructor, js_class = "URL")]
    fn new(url: &str) -> Result<HostUrl, JsValue>;

    #[wasm_bindgen(catch, constructor, js_class = "URL")]
    fn new_with_base(url: &str, base: &str) -> Result<HostUrl, JsValue>;

    #[wasm_bindgen(method, getter, js_class = "URL")]
    fn hostname(this: &HostUrl) -> String;

    #[wasm_bindgen(method, getter, js_class = "URL")]
    fn href(this: &HostUrl) -> String;

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

/// The host's message for a thrown `TypeError` ("Invalid URL").
fn message(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| "invalid URL".to_string())
}

/// `new URL(raw)`, read as the core's [`UrlParts`]; the host's message when it throws.
fn parse(raw: &str) -> Result<UrlParts, String> {
    let url = HostUrl::new(raw).map_err(message)?;
    edgewarm::host_name::parts_from_whatwg(
        url.hostname(),
        &url.port(),
        !url.username().is_empty() || !url.password().is_empty(),
        encode,
    )
}

/// `new URL(input, base).href`, its host checked as [`parse`] checks one (the sources' resolver).
#[cfg(feature = "sources")]
fn resolve(input: &str, base: Option<&str>) -> Result<String, String> {
    let url = match base {
        Some(base) => HostUrl::new_with_base(input, base),
        None => HostUrl::new(input),
    }
    .map_err(message)?;
    edgewarm::host_name::check_host(&url.hostname(), encode)?;
    Ok(url.href())
}

/// Installs the parser (and, with the sources, the resolver) when the module is instantiated.
#[wasm_bindgen(start)]
fn install_host_url() {
    set_host_parser(parse);
    #[cfg(feature = "sources")]
    edgewarm::sources::resolve::set_host_resolver(resolve);
}
