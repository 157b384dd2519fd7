//! JS ⇄ Rust value conversion, one place: JSON-compatible output (plain objects, numbers for
//! 64-bit integers that fit) and input errors that name the argument.

use crate::errors::Thrown;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsValue;

/// Reads argument `what` as `T`: the host's `JSON.stringify` (which leaves out a property given
/// as `undefined`, as TypeScript's optional fields allow — `{ limits: undefined }` reads as
/// `{}` — at any depth, and writes an `undefined` array element as `null`), then the core's
/// lean JSON reader (`edgewarm::value_de`), the one every input shares: no second deserialiser
/// per type in the wasm.
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    read(json_of_js(value, what)?, what)
}

/// Reads argument `what` as a job spec with the journal's reader of one
/// (`edgewarm::job::spec::read_spec`), so that the wasm holds one (the lean reader's would be a
/// second, some 50 KB). Its errors read as the lean reader's: no "at line … column …", the text
/// being the host's `JSON.stringify`.
#[cfg(feature = "jobs")]
pub fn spec_from_js(value: JsValue, what: &str) -> Result<edgewarm::job::JobSpec, JsValue> {
    let text = match stringify(value, what)? {
        Some(text) => text,
        None => "null".to_string(),
    };
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    edgewarm::job::spec::read_spec(&mut deserializer)
        .and_then(|spec| deserializer.end().map(|()| spec))
        .map_err(|e| {
            let message = e.to_string();
            let position = format!(" at line {} column {}", e.line(), e.column());
            let message = message.strip_suffix(&position).unwrap_or(&message);
            Thrown::argument(what, message).into_js()
        })
}

/// The host's `JSON.stringify` of argument `what`; `None` for `undefined` (and a function),
/// which have no JSON text.
fn stringify(value: JsValue, what: &str) -> Result<Option<String>, JsValue> {
    let text = js_sys::JSON::stringify(&value).map_err(|e| {
        let reason = js_sys::Error::from(e).message();
        Thrown::argument(what, &format!("not JSON data: {}", String::from(reason))).into_js()
    })?;
    Ok(text.as_string())
}

/// Argument `what` as a JSON value (the host's `JSON.stringify`, as [`from_js`] reads it), for
/// the types the core reads by their own field table (`Limits::from_value`).
pub fn json_of_js(value: JsValue, what: &str) -> Result<serde_json::Value, JsValue> {
    // `undefined` (and a function) has no JSON text: read as `null`
    match stringify(value, what)? {
        Some(text) => json_of_text(&text, what),
        None => Ok(serde_json::Value::Null),
    }
}

/// JSON text of argument `what` as a JSON value.
pub fn json_of_text(text: &str, what: &str) -> Result<serde_json::Value, JsValue> {
    serde_json::from_str(text).map_err(|e| Thrown::argument(what, &e.to_string()).into_js())
}

/// `T` from the JSON value of argument `what` by the core's lean reader.
pub fn read<T: DeserializeOwned>(value: serde_json::Value, what: &str) -> Result<T, JsValue> {
    edgewarm::value_de::from_value(value)
        .map_err(|e| Thrown::argument(what, &e.to_string()).into_js())
}

/// The limits of argument `what` (`null`: none), read by their field table.
pub fn limits(value: serde_json::Value, what: &str) -> Result<Option<edgewarm::Limits>, JsValue> {
    if value.is_null() {
        return Ok(None);
    }
    edgewarm::Limits::from_value(value)
        .map(Some)
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

/// Writes `value` as a plain JS value.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    edgewarm::value_ser::to_value(value)
        .map(js_of)
        .map_err(|e| Thrown::internal(&e.to_string()).into_js())
}

/// A JSON value as a plain JS value, as serde-wasm-bindgen wrote one (maps as objects):
/// `null` (serde's unit and `None`) as `undefined`, numbers as JS numbers (an integer beyond
/// 2^53 rounded rather than refused; no answer carries one). Every output goes
/// through serde_json's `Value` serializer, which the core already carries, so each type has
/// one serializer in the wasm instead of two.
pub fn js_of(value: serde_json::Value) -> JsValue {
    use serde_json::Value;
    match value {
        Value::Null => JsValue::UNDEFINED,
        Value::Bool(b) => JsValue::from_bool(b),
        Value::Number(n) => JsValue::from_f64(n.as_f64().unwrap_or_default()),
        Value::String(s) => JsValue::from_str(&s),
        Value::Array(items) => items
            .into_iter()
            .map(js_of)
            .collect::<js_sys::Array>()
            .into(),
        Value::Object(map) => {
            let object = js_sys::Object::new();
            for (k, v) in map {
                // setting a data property on a fresh plain object cannot fail
                let _ = js_sys::Reflect::set(&object, &JsValue::from_str(&k), &js_of(v));
            }
            object.into()
        }
    }
}

/// Reads argument `what` from JSON text into an owned `T` through the core's lean reader
/// (`edgewarm::value_de`), the one [`from_js`] and the call parameters use: no serde_json text
/// deserialiser per type.
pub fn from_json_owned<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, JsValue> {
    read(json_of_text(text, what)?, what)
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
