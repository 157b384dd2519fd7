//! JS ⇄ Rust value conversion, one place: JSON-compatible output (plain objects, numbers for
//! 64-bit integers that fit) and input errors that name the argument.

use crate::errors::Thrown;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::{JsCast, JsValue};

/// Reads argument `what` as `T`. A property given as `undefined` is absent, as TypeScript's
/// optional fields allow (`{ limits: undefined }` reads as `{}`), at any depth.
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(without_undefined(value))
        .map_err(|e| Thrown::argument(what, &e.to_string()).into_js())
}

/// Reads an optional argument `what`: `undefined` or `null` is `T::default()`.
pub fn optional<T: DeserializeOwned + Default>(value: JsValue, what: &str) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, what)
    }
}

/// Whether `value` is a plain object (`{…}` or `Object.create(null)`), not an array, a typed
/// array, a class instance or a function.
fn is_plain_object(value: &JsValue) -> bool {
    if !value.is_object() || js_sys::Array::is_array(value) {
        return false;
    }
    let proto = js_sys::Object::get_prototype_of(value);
    proto.is_null()
        || JsValue::from(proto)
            == JsValue::from(js_sys::Object::get_prototype_of(&js_sys::Object::new()))
}

/// Whether an `undefined` sits anywhere inside `value` (a property of a plain object, an
/// element of an array), so that the common case is read as it came, without a copy.
fn holds_undefined(value: &JsValue) -> bool {
    if js_sys::Array::is_array(value) {
        let array = js_sys::Array::from(value);
        return array
            .iter()
            .any(|v: JsValue| v.is_undefined() || (v.is_object() && holds_undefined(&v)));
    }
    if !is_plain_object(value) {
        return false;
    }
    js_sys::Object::values(value.unchecked_ref())
        .iter()
        .any(|v: JsValue| v.is_undefined() || (v.is_object() && holds_undefined(&v)))
}

/// A copy of `value` with every `undefined` property of a plain object left out and every
/// `undefined` array element made `null` (what `JSON.stringify` does); `value` itself when it
/// holds none.
fn without_undefined(value: JsValue) -> JsValue {
    if !holds_undefined(&value) {
        return value;
    }
    if js_sys::Array::is_array(&value) {
        return js_sys::Array::from(&value)
            .iter()
            .map(|v| {
                if v.is_undefined() {
                    JsValue::NULL
                } else {
                    without_undefined(v)
                }
            })
            .collect::<js_sys::Array>()
            .into();
    }
    let out = js_sys::Object::new();
    for entry in js_sys::Object::entries(value.unchecked_ref()).iter() {
        let pair = js_sys::Array::from(&entry);
        let v = pair.get(1);
        if !v.is_undefined() {
            // setting a data property on a fresh plain object cannot fail
            let _ = js_sys::Reflect::set(&out, &pair.get(0), &without_undefined(v));
        }
    }
    out.into()
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
