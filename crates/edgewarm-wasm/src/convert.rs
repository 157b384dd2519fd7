//! JS ⇄ Rust value conversion, one place: JSON-compatible output (plain objects, numbers for
//! 64-bit integers that fit) and input errors that name the argument.

use crate::errors::Thrown;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;

/// Reads argument `what` as `T`.
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| Thrown::argument(what, &e.to_string()).into_js())
}

/// Writes `value` as a plain JS value.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true))
        .map_err(|e| Thrown::internal(&e.to_string()).into_js())
}

/// Reads argument `what` from JSON text (the fast path for large inputs: `JSON.stringify` in
/// the host and serde_json here beat converting value by value).
pub fn from_json<'a, T: serde::Deserialize<'a>>(text: &'a str, what: &str) -> Result<T, JsValue> {
    serde_json::from_str(text).map_err(|e| Thrown::argument(what, &e.to_string()).into_js())
}

/// Writes `value` as JSON text (for `JSON.parse` in the host).
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| Thrown::internal(&e.to_string()).into_js())
}

/// JSON text handed over as UTF-8 bytes: the host encodes with its native `TextEncoder` and the
/// bytes are copied in one go (a JS string is copied character by character by the glue).
pub fn utf8<'a>(bytes: &'a [u8], what: &str) -> Result<&'a str, JsValue> {
    std::str::from_utf8(bytes).map_err(|e| Thrown::argument(what, &e.to_string()).into_js())
}
