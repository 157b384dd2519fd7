//! One type for the headers a prefetch carries, whichever the vendor. A job's target keeps them
//! as [`Headers`] (ordered name/value pairs); each vendor's call gets them in its own wire form:
//! Tencent EdgeOne and CDN a list of [`Header`] objects (`{"Name": …, "Value": …}`), ESA a JSON
//! object of name → value. In a job spec or journal, EdgeOne and CDN targets write them as a list
//! of `[name, value]` pairs and ESA targets as an object, as before; either form is read for any
//! vendor.

use indexmap::IndexMap;
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// One header in Tencent's wire form: EdgeOne `Header` and CDN `HTTPHeader` (same fields in both
/// APIs: CreatePrefetchTask and PushUrlsCache API pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct Header {
    /// Header name, e.g. `User-Agent`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The value the header is sent with.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}
crate::record::param_record!(Header {
    name: "Name",
    value: "Value"
});

/// The headers of a job's prefetch requests, in the order given. Serialises as a list of
/// `[name, value]` pairs; [`Headers::serialize_as_map`] writes the ESA form (an object).
/// Deserialises from either form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Headers(Vec<(String, String)>);

impl Headers {
    /// No headers.
    pub fn new() -> Headers {
        Headers(Vec::new())
    }

    /// How many headers.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Tencent's wire form (EdgeOne `Headers`, CDN `Headers`); `None` when there is none, so
    /// the parameter is left out.
    pub fn to_tencent(&self) -> Option<Vec<Header>> {
        (!self.is_empty()).then(|| {
            self.0
                .iter()
                .map(|(n, v)| Header {
                    name: Some(n.clone()),
                    value: Some(v.clone()),
                })
                .collect()
        })
    }

    /// ESA's wire form (PreloadCaches `Headers`, an object; a repeated name keeps its first
    /// place and its last value); `None` when there is none.
    pub fn to_map(&self) -> Option<IndexMap<String, String>> {
        (!self.is_empty()).then(|| self.0.iter().cloned().collect())
    }

    /// Writes the headers as an object of name → value (ESA targets).
    pub fn serialize_as_map<S: Serializer>(h: &Headers, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(h.0.iter().map(|(n, v)| (n, v)))
    }
}

impl From<Vec<(String, String)>> for Headers {
    fn from(v: Vec<(String, String)>) -> Headers {
        Headers(v)
    }
}

impl FromIterator<(String, String)> for Headers {
    fn from_iter<I: IntoIterator<Item = (String, String)>>(it: I) -> Headers {
        Headers(it.into_iter().collect())
    }
}

impl IntoIterator for Headers {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Serialize for Headers {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Headers {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Headers, D::Error> {
        struct Either;
        impl<'de> Visitor<'de> for Either {
            type Value = Headers;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of [name, value] pairs or an object of name → value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Headers, A::Error> {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
                while let Some(pair) = seq.next_element::<(String, String)>()? {
                    v.push(pair);
                }
                Ok(Headers(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Headers, A::Error> {
                let mut v = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
                while let Some((name, value)) = map.next_entry::<String, String>()? {
                    // as an object reads: a repeated name keeps its place, the last value wins
                    match v
                        .iter_mut()
                        .find(|(n, _): &&mut (String, String)| *n == name)
                    {
                        Some(slot) => slot.1 = value,
                        None => v.push((name, value)),
                    }
                }
                Ok(Headers(v))
            }
        }
        d.deserialize_any(Either)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(feature = "jobs")]
    use crate::job::Target;

    #[cfg(feature = "jobs")]
    #[test]
    fn each_vendor_keeps_its_json_form_and_reads_the_other() {
        let tencent: Target =
            serde_json::from_str(r#"{"vendor":"cdn","headers":[["X-A","1"],["X-B","2"]]}"#)
                .unwrap();
        assert_eq!(
            serde_json::to_string(&tencent).unwrap(),
            r#"{"vendor":"cdn","area":null,"layer":null,"userAgent":null,"parseM3u8":null,"disableRange":null,"headers":[["X-A","1"],["X-B","2"]]}"#
        );
        let esa: Target =
            serde_json::from_str(r#"{"vendor":"esa","siteId":1,"headers":{"X-A":"1","X-B":"2"}}"#)
                .unwrap();
        assert_eq!(
            serde_json::to_string(&esa).unwrap(),
            r#"{"vendor":"esa","siteId":1,"headers":{"X-A":"1","X-B":"2"}}"#
        );
        let Target::Esa { headers, .. } = esa else {
            panic!("esa")
        };
        let Target::Cdn { headers: h2, .. } = tencent else {
            panic!("cdn")
        };
        assert_eq!(headers, h2);
        assert_eq!(
            headers.to_tencent().unwrap()[1],
            Header {
                name: Some("X-B".into()),
                value: Some("2".into())
            }
        );
        assert_eq!(headers.to_map().unwrap()["X-A"], "1");
        assert_eq!(Headers::new().to_tencent(), None);
        assert_eq!(Headers::new().to_map(), None);
    }

    #[test]
    fn an_object_with_a_repeated_name_reads_as_a_map_would() {
        let h: Headers = serde_json::from_str(r#"{"A":"1","B":"2","A":"3"}"#).unwrap();
        assert_eq!(h.iter().collect::<Vec<_>>(), vec![("A", "3"), ("B", "2")]);
    }

    #[cfg(feature = "jobs")]
    #[test]
    fn teo_is_read_as_the_vendor_edgeone_and_written_as_edgeone() {
        let t: Target = serde_json::from_str(r#"{"vendor":"teo","zoneId":"zone-1"}"#).unwrap();
        assert!(matches!(t, Target::Edgeone { .. }));
        assert_eq!(t.service(), crate::Service::Teo);
        assert!(serde_json::to_string(&t)
            .unwrap()
            .starts_with(r#"{"vendor":"edgeone","zoneId":"zone-1""#));
    }

    #[test]
    fn neither_a_list_nor_an_object_is_refused() {
        let e = serde_json::from_str::<Headers>("\"X-A: 1\"").unwrap_err();
        assert!(e.to_string().contains("[name, value] pairs"), "{e}");
    }
}
