//! Forgiving reads of vendor *answers* whose record shares its level with `RequestId`. The
//! forgiving field kinds (numbers that arrive as strings, strings that arrive as numbers, `null`
//! lists) are [`crate::record`]'s. A vendor changing a type must not make a successful call look
//! failed.

use serde::de::{self, DeserializeOwned};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

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
