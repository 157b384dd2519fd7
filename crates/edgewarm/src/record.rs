//! Vendor answers read from their JSON object through a table of field names instead of serde's
//! derive. A derived `Deserialize` compiles a field visitor and a map visitor per type (and a
//! copy of each for every deserializer it meets); the answers, ~30 types, weighed ~20 KB of the
//! call module's wasm that way. Every answer field is one of four kinds — `String` (strict),
//! `Option<String>` and `Option<i64>` (forgiving: a number arrives as text, ESA's `TotalCount`, or
//! text as a number, `AliUid`; a vendor changing a type must not make a successful call look
//! failed) and `Vec<T>` (`null`
//! or absence is empty) — so one non-generic routine picks the members by name
//! ([`Members::of`]) and each type is a short list of field names ([`answer_record!`]). The text
//! of every error is the one serde's derive wrote (`invalid type: integer `3`, expected a
//! string`). The parameter models are read the same way ([`Params`], [`param_record!`]) by
//! [`crate::Operation::from_json`] and, from a received ESA request's form pairs, by
//! [`crate::rebuild`]; their serde derive stays for every other deserializer.

use crate::value_de::Error;
use serde::de::{self, Deserialize, Deserializer};
use serde_json::{Map, Value};

/// An answer type (or a record inside one) read from a JSON object by its field names.
pub trait Record: Sized {
    /// The value from `value`, which must be an object.
    fn from_value(value: Value) -> Result<Self, Error>;

    /// The value as JSON, as its serde derive writes it (the call module's answers are
    /// written by this, not by a serializer per type).
    fn to_json(&self) -> Value;
}

/// One field of a [`Record`] from its member (`None` when absent).
pub trait Field: Sized {
    /// The field's value.
    fn field(member: Option<Value>) -> Result<Self, Error>;

    /// Sets `slot` from the next member of `members` (not inlined: each field of a record is
    /// one call with two pointers).
    #[inline(never)]
    fn set(members: &mut Members, slot: &mut Self) -> Result<(), Error> {
        *slot = Self::field(members.take())?;
        Ok(())
    }

    /// Adds the field as member `name` of `object`; `nulls`: `None` is written `null` rather
    /// than left out.
    fn put(&self, object: &mut Map<String, Value>, name: &str, nulls: bool);
}

/// An element of a list field.
pub trait Element: Sized {
    /// The element's value.
    fn element(value: Value) -> Result<Self, Error>;

    /// The element as JSON.
    fn element_json(&self) -> Value;
}

/// Adds `value` (`None`: `null` when `nulls`, else nothing) as member `name`.
fn put(object: &mut Map<String, Value>, name: &str, value: Option<Value>, nulls: bool) {
    match value {
        Some(value) => {
            object.insert(name.to_string(), value);
        }
        None if nulls => {
            object.insert(name.to_string(), Value::Null);
        }
        None => {}
    }
}

/// The members of an object picked by field name, in the fields' order.
pub struct Members {
    slots: std::vec::IntoIter<Option<Value>>,
    /// The members are the texts of a form's pairs ([`Params`]).
    form: bool,
}

impl Members {
    /// The members `fields` of `value` (a type error naming `expecting` unless an object);
    /// other members are left out, as serde's derive does. `form`: the members are the texts
    /// of a form's pairs.
    pub fn of(
        value: Value,
        expecting: &'static str,
        fields: &[&str],
        form: bool,
    ) -> Result<Members, Error> {
        let Value::Object(map) = value else {
            return Err(invalid(&value, expecting));
        };
        let mut slots: Vec<Option<Value>> = Vec::with_capacity(fields.len());
        slots.resize_with(fields.len(), || None);
        for (key, member) in map {
            if let Some(i) = fields.iter().position(|f| *f == key) {
                slots[i] = Some(member);
            }
        }
        Ok(Members {
            slots: slots.into_iter(),
            form,
        })
    }

    /// The next field's member (`None` when absent).
    fn take(&mut self) -> Option<Value> {
        self.slots.next().flatten()
    }
}

#[cold]
fn invalid(value: &Value, expecting: &'static str) -> Error {
    de::Error::invalid_type(crate::value_de::unexpected(value), &expecting)
}

impl Field for String {
    fn field(member: Option<Value>) -> Result<Self, Error> {
        member.map_or(Ok(String::new()), String::element)
    }

    #[inline(never)]
    fn put(&self, object: &mut Map<String, Value>, name: &str, _nulls: bool) {
        put(object, name, Some(self.element_json()), false);
    }
}

impl Element for String {
    fn element(value: Value) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(invalid(&other, "a string")),
        }
    }

    fn element_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl Field for Option<String> {
    fn field(member: Option<Value>) -> Result<Self, Error> {
        Ok(match member {
            Some(Value::String(s)) => Some(s),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(Value::Bool(b)) => Some(b.to_string()),
            _ => None,
        })
    }

    #[inline(never)]
    fn put(&self, object: &mut Map<String, Value>, name: &str, nulls: bool) {
        put(object, name, self.clone().map(Value::String), nulls);
    }
}

impl Field for Option<i64> {
    fn field(member: Option<Value>) -> Result<Self, Error> {
        Ok(match member {
            Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        })
    }

    #[inline(never)]
    fn put(&self, object: &mut Map<String, Value>, name: &str, nulls: bool) {
        put(object, name, self.map(Value::from), nulls);
    }
}

impl<T: Element> Field for Vec<T> {
    fn field(member: Option<Value>) -> Result<Self, Error> {
        match member {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items.into_iter().map(T::element).collect(),
            Some(other) => Err(invalid(&other, "a sequence")),
        }
    }

    fn put(&self, object: &mut Map<String, Value>, name: &str, _nulls: bool) {
        let items = self.iter().map(T::element_json).collect();
        put(object, name, Some(Value::Array(items)), false);
    }
}

/// An answer that carries a record's fields and `RequestId` at one level (ESA's scheduled job
/// and plan answers): the record and the request id (`""` when absent). Read by hand rather
/// than with `#[serde(flatten)]`, whose buffering weighs several KB of wasm.
pub fn split_request_id<T: Record>(value: Value) -> Result<(T, String), Error> {
    let Value::Object(mut map) = value else {
        return Err(invalid(&value, "a map"));
    };
    let request_id = String::field(map.remove("RequestId"))?;
    Ok((T::from_value(Value::Object(map))?, request_id))
}

/// The JSON of an answer read by [`split_request_id`]: the record's members, then `RequestId`.
pub fn join_request_id<T: Record>(record: &T, request_id: &str) -> Value {
    let mut value = record.to_json();
    if let Value::Object(map) = &mut value {
        map.insert(
            "RequestId".to_string(),
            Value::String(request_id.to_string()),
        );
    }
    value
}

/// `T` from any deserializer: its JSON value first, then the field table.
pub fn deserialize<'de, D: Deserializer<'de>, T: Record>(d: D) -> Result<T, D::Error> {
    T::from_value(Value::deserialize(d)?).map_err(de::Error::custom)
}

/// Implements [`Record`], [`Element`] and `Deserialize` for an answer struct from its fields'
/// wire names, in declaration order.
/// `nulls`: the struct's `None` fields are written `null` (no `skip_serializing_if`).
macro_rules! answer_record {
    (nulls $ty:ident { $($field:ident: $wire:literal),* $(,)? }) => {
        $crate::record::answer_record!(@impl true, $ty { $($field: $wire),* });
    };
    ($ty:ident { $($field:ident: $wire:literal),* $(,)? }) => {
        $crate::record::answer_record!(@impl false, $ty { $($field: $wire),* });
    };
    (@impl $nulls:literal, $ty:ident { $($field:ident: $wire:literal),* }) => {
        impl $crate::record::Record for $ty {
            fn from_value(value: serde_json::Value) -> Result<Self, $crate::value_de::Error> {
                #[allow(unused_mut)]
                let mut members = $crate::record::Members::of(
                    value,
                    concat!("struct ", stringify!($ty)),
                    &[$($wire),*],
                    false,
                )?;
                // filled in place: an error drops one whole value, not each field read so far
                #[allow(unused_mut)]
                let mut out = <$ty as Default>::default();
                $($crate::record::Field::set(&mut members, &mut out.$field)?;)*
                Ok(out)
            }

            fn to_json(&self) -> serde_json::Value {
                #[allow(unused_mut)]
                let mut object = serde_json::Map::new();
                $($crate::record::Field::put(&self.$field, &mut object, $wire, $nulls);)*
                serde_json::Value::Object(object)
            }
        }

        impl $crate::record::Element for $ty {
            fn element(value: serde_json::Value) -> Result<Self, $crate::value_de::Error> {
                <$ty as $crate::record::Record>::from_value(value)
            }

            fn element_json(&self) -> serde_json::Value {
                <$ty as $crate::record::Record>::to_json(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::record::deserialize(d)
            }
        }
    };
}
pub(crate) use answer_record;

/// A parameter model (or a record inside one), read as serde's derive reads it from JSON data
/// (every field an `Option`: absent or `null` is `None`, anything else must be of the field's
/// type) or from the form pairs of a received ESA request (`form`: each member is a text that
/// becomes the field's type — a number, `true` / `false`, a string, or compact JSON text for
/// an array, a map or an object).
pub trait Params: Sized {
    /// The model from `value`, which must be an object.
    fn from_params(value: Value, form: bool) -> Result<Self, Error>;

    /// The model's members as its serde derive writes them (model order, `None` fields left
    /// out): what the request builders send, written by the field table rather than by a
    /// serializer per model.
    fn to_params(&self) -> Map<String, Value>;
}

/// A parameter field's value (inside its `Option`).
pub trait ParamValue: Sized {
    /// The value from `value` (`form`: a form pair's text).
    fn param(value: Value, form: bool) -> Result<Self, Error>;

    /// The value as JSON, as its serde derive writes it.
    fn param_json(&self) -> Value;
}

/// Adds a parameter field (left out when `None`) as member `name` (not generic: one copy).
pub fn put_param(object: &mut Map<String, Value>, name: &str, value: Option<Value>) {
    put(object, name, value, false);
}

/// Sets a parameter field from the next member (one generic copy per field type).
pub fn set_param<T: ParamValue>(members: &mut Members, slot: &mut Option<T>) -> Result<(), Error> {
    *slot = match members.take() {
        None | Some(Value::Null) => None,
        Some(value) => Some(T::param(value, members.form)?),
    };
    Ok(())
}

/// What an array, a map or an object is read from: a form pair's text is compact JSON.
pub fn structured(value: Value, form: bool) -> Result<Value, Error> {
    match value {
        Value::String(text) if form => serde_json::from_str(&text)
            .map_err(|e| de::Error::custom(format!("{text:?} is not the JSON text expected: {e}"))),
        value => Ok(value),
    }
}

impl ParamValue for String {
    fn param(value: Value, _form: bool) -> Result<Self, Error> {
        String::element(value)
    }

    fn param_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ParamValue for i64 {
    #[inline(never)]
    fn param(value: Value, form: bool) -> Result<Self, Error> {
        match value {
            Value::String(text) if form => text
                .parse()
                .map_err(|_| de::Error::custom(format!("{text:?} is not a number"))),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => i64::try_from(u)
                    .map_err(|_| de::Error::invalid_value(de::Unexpected::Unsigned(u), &"i64")),
                (None, Some(i)) => Ok(i),
                _ => Err(invalid(&Value::Number(n), "i64")),
            },
            other => Err(invalid(&other, "i64")),
        }
    }

    fn param_json(&self) -> Value {
        Value::from(*self)
    }
}

impl ParamValue for bool {
    #[inline(never)]
    fn param(value: Value, form: bool) -> Result<Self, Error> {
        match value {
            Value::String(text) if form => match text.as_str() {
                "true" => Ok(true),
                "false" => Ok(false),
                other => Err(de::Error::custom(format!(
                    "{other:?} is not a boolean (true or false)"
                ))),
            },
            Value::Bool(b) => Ok(b),
            other => Err(invalid(&other, "a boolean")),
        }
    }

    fn param_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl<T: ParamValue> ParamValue for Vec<T> {
    fn param(value: Value, form: bool) -> Result<Self, Error> {
        match structured(value, form)? {
            Value::Array(items) => items.into_iter().map(|v| T::param(v, false)).collect(),
            other => Err(invalid(&other, "a sequence")),
        }
    }

    fn param_json(&self) -> Value {
        Value::Array(self.iter().map(T::param_json).collect())
    }
}

impl ParamValue for indexmap::IndexMap<String, String> {
    fn param(value: Value, form: bool) -> Result<Self, Error> {
        match structured(value, form)? {
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| Ok((k, String::element(v)?)))
                .collect(),
            other => Err(invalid(&other, "a map")),
        }
    }

    fn param_json(&self) -> Value {
        Value::Object(
            self.iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect(),
        )
    }
}

/// Implements [`Params`] and [`ParamValue`] for a parameter struct (every field an `Option`,
/// the struct `Default`) from its fields' wire names, in declaration order.
macro_rules! param_record {
    ($ty:ident { $($field:ident: $wire:literal),* $(,)? }) => {
        impl $crate::record::Params for $ty {
            // not inlined: one copy whoever reads the model
            #[inline(never)]
            fn from_params(value: serde_json::Value, form: bool) -> Result<Self, $crate::value_de::Error> {
                #[allow(unused_mut, unused_variables)]
                let mut members = $crate::record::Members::of(
                    value,
                    concat!("struct ", stringify!($ty)),
                    &[$($wire),*],
                    form,
                )?;
                #[allow(unused_mut)]
                let mut out = <$ty as Default>::default();
                $($crate::record::set_param(&mut members, &mut out.$field)?;)*
                Ok(out)
            }

            #[inline(never)]
            fn to_params(&self) -> serde_json::Map<String, serde_json::Value> {
                #[allow(unused_mut)]
                let mut object = serde_json::Map::new();
                $($crate::record::put_param(
                    &mut object,
                    $wire,
                    self.$field.as_ref().map($crate::record::ParamValue::param_json),
                );)*
                object
            }
        }

        impl $crate::record::ParamValue for $ty {
            fn param(value: serde_json::Value, form: bool) -> Result<Self, $crate::value_de::Error> {
                let value = $crate::record::structured(value, form)?;
                <$ty as $crate::record::Params>::from_params(value, false)
            }

            fn param_json(&self) -> serde_json::Value {
                serde_json::Value::Object(<$ty as $crate::record::Params>::to_params(self))
            }
        }
    };
    // a `#[serde(transparent)]` newtype of another model
    ($ty:ident($inner:ty)) => {
        impl $crate::record::Params for $ty {
            fn from_params(value: serde_json::Value, form: bool) -> Result<Self, $crate::value_de::Error> {
                <$inner as $crate::record::Params>::from_params(value, form).map($ty)
            }

            fn to_params(&self) -> serde_json::Map<String, serde_json::Value> {
                <$inner as $crate::record::Params>::to_params(&self.0)
            }
        }
    };
}
pub(crate) use param_record;

#[cfg(test)]
mod tests {
    use crate::vendor::{cdn, edgeone, esa};
    use serde_json::json;

    fn read<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> Result<T, String> {
        crate::value_de::from_value(value.clone())
            .map_err(|e: crate::value_de::Error| e.to_string())
            .inspect(|_| {
                // the text reader reads the same
                let text = value.to_string();
                assert!(serde_json::from_str::<T>(&text).is_ok(), "{text}");
            })
    }

    #[test]
    fn fields_by_kind() {
        let out: cdn::DescribePushTasksOutput = read(json!({
            "PushLogs": [{"TaskId": "t", "Url": "u", "Status": "done", "Percent": "50",
                          "CreateTime": "c", "Area": 3, "UpdateTime": null, "Other": [1]}],
            "TotalCount": 1.9,
            "RequestId": "r"
        }))
        .unwrap();
        assert_eq!(out.request_id, "r");
        assert_eq!(out.total_count, Some(1));
        let task = &out.push_logs[0];
        assert_eq!(
            (
                task.percent,
                task.area.as_deref(),
                task.update_time.as_deref()
            ),
            (Some(50), Some("3"), None)
        );
        let empty: edgeone::CreateTaskOutput = read(json!({"FailedList": null})).unwrap();
        assert_eq!(empty, edgeone::CreateTaskOutput::default());
        let job: esa::ScheduledJobOutput =
            read(json!({"Id": "j", "AliUid": 12, "SiteId": "7", "RequestId": "r"})).unwrap();
        assert_eq!(
            (
                job.job.id.as_str(),
                job.job.ali_uid.as_deref(),
                job.job.site_id
            ),
            ("j", Some("12"), Some(7))
        );
        let quota: edgeone::ContentQuotaOutput =
            read(json!({"PrefetchQuota": [{"Type": "url", "Daily": 10}]})).unwrap();
        assert_eq!(quota.prefetch_quota[0].kind, "url");
        assert_eq!(quota.prefetch_quota[0].daily, Some(10));
    }

    #[test]
    fn form_texts_become_the_fields_types() {
        use crate::record::Params;
        use esa::PurgeCaches;
        let form = |pairs: &[(&str, &str)]| -> Result<PurgeCaches, String> {
            let map = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
                .collect();
            PurgeCaches::from_params(serde_json::Value::Object(map), true)
                .map_err(|e| e.to_string())
        };
        let read = form(&[
            ("SiteId", "-7"),
            ("Force", "true"),
            ("Type", "12"),
            (
                "Content",
                r#"{"Files":["u"],"CacheKeys":[{"Url":"k","Headers":{"a":"b"}}]}"#,
            ),
        ])
        .unwrap();
        assert_eq!(
            (read.site_id, read.force, read.kind.as_deref()),
            (Some(-7), Some(true), Some("12"))
        );
        let content = read.content.unwrap();
        assert_eq!(content.files, Some(vec!["u".to_string()]));
        assert_eq!(content.cache_keys.unwrap()[0].url.as_deref(), Some("k"));
        assert_eq!(
            form(&[("SiteId", "x")]).unwrap_err(),
            r#""x" is not a number"#
        );
        assert_eq!(
            form(&[("Force", "yes")]).unwrap_err(),
            r#""yes" is not a boolean (true or false)"#
        );
        let err = form(&[("Content", "{")]).unwrap_err();
        assert!(
            err.starts_with(r#""{" is not the JSON text expected: "#),
            "{err}"
        );
        assert_eq!(
            form(&[("Content", r#"{"Force":"1","PurgeAll":"true"}"#)]).unwrap_err(),
            r#"invalid type: string "true", expected a boolean"#
        );
    }

    #[test]
    fn errors_read_as_serde_derive_wrote_them() {
        for (value, message) in [
            (
                json!({"TaskId": 3}),
                "invalid type: integer `3`, expected a string",
            ),
            (
                json!({"TaskId": null}),
                "invalid type: null, expected a string",
            ),
            (
                json!(["a"]),
                "invalid type: sequence, expected struct PushUrlsCacheOutput",
            ),
        ] {
            let err = read::<cdn::PushUrlsCacheOutput>(value).unwrap_err();
            assert_eq!(err, message);
        }
        let err = read::<cdn::DescribePushQuotaOutput>(json!({"UrlPush": {}})).unwrap_err();
        assert_eq!(err, "invalid type: map, expected a sequence");
        let err = read::<cdn::DescribePushQuotaOutput>(json!({"UrlPush": [1]})).unwrap_err();
        assert_eq!(err, "invalid type: integer `1`, expected struct PushQuota");
        let err = read::<edgeone::CreateTaskOutput>(json!({"FailedList": [{"Targets": [true]}]}))
            .unwrap_err();
        assert_eq!(err, "invalid type: boolean `true`, expected a string");
    }
}
