//! Typed values from an owned JSON [`Value`] through a lean deserialiser. serde_json's own
//! `Value` deserialiser reads a struct from an object *or* an array, so every model it reads
//! compiles both serde's map and sequence visitors; JSON objects are the only shape the vendors
//! and callers send for a struct, so this one reads structs from objects only (an array is an
//! "invalid type" error) and keeps the call module's wasm a good deal smaller. Everything else
//! reads as with serde_json: numbers as `u64`, then `i64`, then `f64`; enums from strings.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Number, Value};
use std::fmt;

/// An error of the lean reader, with serde_json's texts (`invalid type: null, expected a
/// string`). Its own type rather than `serde_json::Error`: serde_json's type errors display
/// serde's `Unexpected`, whose floating-point arm compiles the standard library's float
/// formatting (~18 KB) into the call module's wasm; this one writes a float as serde_json does
/// (its shortest round-trip text, through `Number`) and every other value as serde does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Error {
        Error(msg.to_string())
    }

    #[cold]
    fn invalid_type(unexp: Unexpected, exp: &dyn de::Expected) -> Error {
        Error(format!("invalid type: {}, expected {}", Shown(unexp), exp))
    }

    #[cold]
    fn invalid_value(unexp: Unexpected, exp: &dyn de::Expected) -> Error {
        Error(format!("invalid value: {}, expected {}", Shown(unexp), exp))
    }
}

/// An unexpected value as serde_json's errors write it: `null` for unit, a float in its
/// shortest round-trip form, the rest as serde's `Unexpected` does.
struct Shown<'a>(Unexpected<'a>);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Unexpected::*;
        match self.0 {
            Bool(b) => write!(f, "boolean `{b}`"),
            Unsigned(i) => write!(f, "integer `{i}`"),
            Signed(i) => write!(f, "integer `{i}`"),
            Float(v) => match Number::from_f64(v) {
                Some(n) => write!(f, "floating point `{n}`"),
                None if v.is_nan() => f.write_str("floating point `NaN`"),
                None if v > 0.0 => f.write_str("floating point `inf`"),
                None => f.write_str("floating point `-inf`"),
            },
            Char(c) => write!(f, "character `{c}`"),
            Str(s) => write!(f, "string {s:?}"),
            Bytes(_) => f.write_str("byte array"),
            Unit => f.write_str("null"),
            Option => f.write_str("Option value"),
            NewtypeStruct => f.write_str("newtype struct"),
            Seq => f.write_str("sequence"),
            Map => f.write_str("map"),
            Enum => f.write_str("enum"),
            UnitVariant => f.write_str("unit variant"),
            NewtypeVariant => f.write_str("newtype variant"),
            TupleVariant => f.write_str("tuple variant"),
            StructVariant => f.write_str("struct variant"),
            Other(other) => f.write_str(other),
        }
    }
}

/// `T` from `value` (structs from JSON objects only).
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, Error> {
    T::deserialize(De(value))
}

/// What `value` is, for "invalid type" errors.
pub fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// The deserialiser itself (the rebuild of ESA form values reads with it too).
pub(crate) struct De(pub(crate) Value);

impl De {
    // not generic: one copy for every visitor
    fn invalid(&self, expected: &dyn de::Expected) -> Error {
        de::Error::invalid_type(unexpected(&self.0), expected)
    }
}

impl<'de> de::Deserializer<'de> for De {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (None, Some(i)) => visitor.visit_i64(i),
                _ => visitor.visit_f64(n.as_f64().unwrap_or_default()),
            },
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => visitor.visit_seq(Seq(items.into_iter())),
            Value::Object(map) => visitor.visit_map(Members::new(map)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_string(s),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Seq(items.into_iter())),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Members::new(map)),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(UnitVariant(s)),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct tuple_struct
    }
}

/// The elements of an array.
struct Seq(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Seq {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(De(v))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The members of an object, each key followed by its value.
struct Members {
    entries: <Map<String, Value> as IntoIterator>::IntoIter,
    value: Option<Value>,
}

impl Members {
    fn new(map: Map<String, Value>) -> Members {
        Members {
            entries: map.into_iter(),
            value: None,
        }
    }
}

impl Members {
    // not generic: one copy for every key type
    fn next_key(&mut self) -> Option<String> {
        let (key, value) = self.entries.next()?;
        self.value = Some(value);
        Some(key)
    }
}

/// A member's name: always a string.
struct Key(String);

impl<'de> de::Deserializer<'de> for Key {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.0)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de> MapAccess<'de> for Members {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.next_key() {
            Some(key) => seed.deserialize(Key(key)).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(De(self.value.take().unwrap_or(Value::Null)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An enum written as the name of a unit variant.
struct UnitVariant(String);

impl<'de> EnumAccess<'de> for UnitVariant {
    type Error = Error;
    type Variant = UnitOnly;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, UnitOnly), Error> {
        let name: de::value::StringDeserializer<Error> = self.0.into_deserializer();
        seed.deserialize(name).map(|v| (v, UnitOnly))
    }
}

/// The variant of a [`UnitVariant`]: only a unit variant can be written as a bare name.
struct UnitOnly;

impl<'de> VariantAccess<'de> for UnitOnly {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, _: T) -> Result<T::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"newtype variant",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Error> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"struct variant",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Model {
        id: String,
        #[serde(default)]
        count: Option<i64>,
        #[serde(default)]
        items: Vec<Item>,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        n: u32,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Url,
        Path,
    }

    fn both(json: &str) -> (Result<Model, String>, Result<Model, String>) {
        let value: Value = serde_json::from_str(json).unwrap();
        (
            from_value(value.clone()).map_err(|e| e.to_string()),
            serde_json::from_value(value).map_err(|e| e.to_string()),
        )
    }

    #[test]
    fn reads_as_serde_json_does() {
        for json in [
            r#"{"Id":"a","Count":-3,"Items":[{"n":1},{"n":2}],"Kind":"path","Other":[1,{}]}"#,
            r#"{"Id":"a","Count":null}"#,
            r#"{"Id":"a","Kind":"dir"}"#,
            r#"{"Id":7}"#,
            r#"{"Count":1}"#,
            r#"{"Id":"a","Items":[{"n":-1}]}"#,
            r#"{"Id":"a","Items":{"n":1}}"#,
            r#"{"Id":"a","Count":1.5}"#,
            r#"{"Id":"a","Count":-0.1}"#,
            r#"{"Id":"a","Count":1e300}"#,
            r#"{"Id":"a","Count":12345678901234567890123.0}"#,
            r#"{"Id":"a","Count":2.5e-8}"#,
            r#"{"Id":"a","Count":18446744073709551615}"#,
            r#"{"Id":1.25}"#,
            r#"{"Id":true}"#,
            r#"{"Id":null}"#,
            r#"{"Id":"a","Items":[{"n":7.0}]}"#,
            r#""text""#,
        ] {
            let (lean, serde_json) = both(json);
            assert_eq!(lean, serde_json, "{json}");
        }
        let (lean, _) = both(r#"{"Id":"a","Kind":"url"}"#);
        assert_eq!(lean.unwrap().kind, Some(Kind::Url));
    }

    #[test]
    fn a_struct_is_an_object_only() {
        let (lean, serde_json) = both(r#"["a", 1]"#);
        assert!(serde_json.is_ok());
        assert_eq!(
            lean.unwrap_err(),
            "invalid type: sequence, expected struct Model"
        );
    }
}
