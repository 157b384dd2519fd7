//! Forgiving deserialisers for vendor *answers*: numbers that arrive as strings (ESA
//! `TotalCount`), strings that arrive as numbers (`AliUid`), and `null` lists. A vendor changing
//! a type must not make a successful call look failed.

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// `Option<i64>` from a number, a numeric string, or null.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// `Option<String>` from a string, a number or a bool (as text), or null.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}

/// `Vec<T>` where `null` or absence is an empty list.
pub fn vec_or_null<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// An answer that carries a record's fields and `RequestId` at one level (ESA's scheduled job
/// and plan answers): the record and the request id (`""` when absent). Read by hand rather
/// than with `#[serde(flatten)]`, whose buffering weighs several KB of wasm.
pub fn with_request_id<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<(T, String), D::Error> {
    let mut map = serde_json::Map::<String, Value>::deserialize(d)?;
    let request_id = match map.remove("RequestId") {
        None => String::new(),
        Some(v) => crate::value_de::from_value(v).map_err(de::Error::custom)?,
    };
    let record = crate::value_de::from_value(Value::Object(map)).map_err(de::Error::custom)?;
    Ok((record, request_id))
}
