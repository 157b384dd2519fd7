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
