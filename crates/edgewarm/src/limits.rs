//! Per-call caps and ranges used by validation. Limits are data, not constants: plans differ and
//! vendors change them (PushUrlsCache went from 20 to 500 URLs per call), so every default here
//! comes from the vendors' API pages (each field names its page, or says "assumed") and every one
//! can be overridden — by the caller, or at run time from DescribeContentQuota / DescribePushQuota.

use serde::{de, Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// The limits validation checks against. `Limits::default()` holds the documented defaults.
/// Read by one reader, its field table ([`Limits::from_value`]), whether they come from a call,
/// a job's spec or a journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", default)]
pub struct Limits {
    /// EdgeOne `prefetch_url` targets per CreatePrefetchTask call. Plan-dependent: the engine
    /// reads the `prefetch_url` Quota's `Batch` from DescribeContentQuota; 2000 is the default
    /// used when it is not asked (the DescribeContentQuota API example, `prefetch_url` Batch).
    pub teo_prefetch_batch: usize,
    /// EdgeOne `Mode=edge` prefetches per day: 1000, a quota of its own that does not consume the
    /// regular one (CreatePrefetchTask API page, China site: "边缘预热默认分配单独的预热额度
    /// 1000 条/天"). DescribeContentQuota reports no edge type (its `Quota.Type` values are
    /// purge_* and prefetch_url), so the engine plans edge jobs against this value.
    pub teo_edge_prefetch_daily: usize,
    /// EdgeOne CreatePurgeTask `purge_url` targets per call: 2000 (DescribeContentQuota API
    /// example, `purge_url` Batch); replaced by the `purge_url` Quota when asked.
    pub teo_purge_url_batch: usize,
    /// EdgeOne CreatePurgeTask `purge_prefix` targets per call: 2000 (DescribeContentQuota API
    /// example, `purge_prefix` Batch).
    pub teo_purge_prefix_batch: usize,
    /// EdgeOne CreatePurgeTask `purge_host` targets per call: 2000 (DescribeContentQuota API
    /// example, `purge_host` Batch).
    pub teo_purge_host_batch: usize,
    /// EdgeOne CreatePurgeTask `purge_cache_tag` targets per call. Assumed 2000: the
    /// DescribeContentQuota example lists no `purge_cache_tag` Quota (the other types' value).
    pub teo_purge_cache_tag_batch: usize,
    /// CDN PushUrlsCache URLs per call: 500 (PushUrlsCache API page: "每次最多可提交 500 条
    /// URL"); replaced by DescribePushQuota's `Batch` of the job's area(s) when asked.
    pub cdn_push_batch: usize,
    /// CDN PurgeUrlsCache URLs per call: 1 000 (PurgeUrlsCache API page: "每次最多可提交 1000
    /// 条"); the account's figure is DescribePurgeQuota's `UrlPurge` `Batch`.
    pub cdn_purge_url_batch: usize,
    /// CDN PurgePathCache paths per call: 500 (PurgePathCache API page: "每次最多可提交 500 条");
    /// the account's figure is DescribePurgeQuota's `PathPurge` `Batch`.
    pub cdn_purge_path_batch: usize,
    /// CDN custom prefetch headers per call: 20 (PushUrlsCache API page, `Headers`).
    pub cdn_max_headers: usize,
    /// CDN header name length in bytes: 128 (PushUrlsCache API page, `Headers`).
    pub cdn_header_name_bytes: usize,
    /// CDN header value length in bytes: 1024 (PushUrlsCache API page, `Headers`).
    pub cdn_header_value_bytes: usize,
    /// ESA PreloadCaches URLs per call. Assumed: the PreloadCaches API page states no cap; 100 is
    /// what the console's preload page accepts ("一次最多不超过100URL"). Override it
    /// when the account allows more; the engine also learns a lower cap from the vendor's
    /// answers (`DomainNameOverLimit` and other size refusals).
    pub esa_preload_batch: usize,
    /// ESA PreloadCaches distinct host names per call: 500 (the `DomainNameOverLimit` answer of
    /// PreloadCaches: at most 500 domains per request).
    pub esa_preload_domains: usize,
    /// ESA PurgeCaches `file` URLs per call: 1 000 (PurgeCaches API page; "Purge cache by URL"
    /// console page: up to 1,000 URLs).
    pub esa_purge_files: usize,
    /// ESA PurgeCaches `directory` entries per call: 100 (PurgeCaches API page).
    pub esa_purge_directories: usize,
    /// ESA PurgeCaches `ignoreParams` entries per call: 100 (PurgeCaches API page).
    pub esa_purge_ignore_params: usize,
    /// ESA PurgeCaches `cachetag` entries per call: 30 (PurgeCaches API page).
    pub esa_purge_cache_tags: usize,
    /// ESA PurgeCaches `hostname` entries per call: 10 (PurgeCaches API page).
    pub esa_purge_hostnames: usize,
    /// ESA PurgeCaches `cachekey` entries per call. Assumed 100: the PurgeCaches page states
    /// no cap for this type (the `directory` cap is taken).
    pub esa_purge_cache_keys: usize,
    /// ESA PurgeCaches: host names the URLs of one `file`, `directory` or `ignoreParams` call
    /// may span: 10 (PurgeCaches API page).
    pub esa_purge_domains: usize,
    /// ESA DescribePreloadTasks: how far back StartTime may reach, in seconds: 3 days
    /// (DescribePreloadTasks API page, error `InvalidTime`).
    pub esa_preload_lookback_secs: i64,
    /// URLs in one ESA scheduled job's UrlList (undocumented; edgewarm's default 100 000).
    pub esa_job_urls: usize,
    /// Largest `Limit` of EdgeOne DescribePrefetchTasks / DescribePurgeTasks: 1000
    /// (DescribePrefetchTasks API page: "Default value: 20. Maximum value: 1000"). CDN
    /// DescribePushTasks documents no maximum (default 20): its `Limit` is only checked positive.
    pub describe_max_limit: i64,
    /// Longest EdgeOne DescribePrefetchTasks / DescribePurgeTasks time window in seconds: 7 days.
    /// Assumed: neither API page states a window; the teo SDK's `InvalidParameter.ParameterError`
    /// text (tencentcloud-sdk-go, teo 2022-09-01 `errors.go`) names the range
    /// "[开始时间, 开始+ 7天]" (start time to start + 7 days).
    pub teo_max_window_secs: i64,
    /// ESA DescribePreloadTasks largest `PageSize`: 50 (DescribePreloadTasks API page: "Valid
    /// values: 1 to 50"). ListScheduledPreloadJobs documents no range (positive only).
    pub esa_max_page_size: i64,
    /// EdgeOne AdvancedFilter `Values` per filter: ≤ 20 (DescribePrefetchTasks API page:
    /// "Filters.Values 的上限为 20"; DescribePurgeTasks takes the same `Filters`).
    pub teo_filter_values: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            teo_prefetch_batch: 2000,
            teo_edge_prefetch_daily: 1000,
            teo_purge_url_batch: 2000,
            teo_purge_prefix_batch: 2000,
            teo_purge_host_batch: 2000,
            teo_purge_cache_tag_batch: 2000,
            cdn_push_batch: 500,
            cdn_purge_url_batch: 1000,
            cdn_purge_path_batch: 500,
            cdn_max_headers: 20,
            cdn_header_name_bytes: 128,
            cdn_header_value_bytes: 1024,
            esa_preload_batch: 100,
            esa_preload_domains: 500,
            esa_purge_files: 1000,
            esa_purge_directories: 100,
            esa_purge_ignore_params: 100,
            esa_purge_cache_tags: 30,
            esa_purge_hostnames: 10,
            esa_purge_cache_keys: 100,
            esa_purge_domains: 10,
            esa_preload_lookback_secs: 3 * 86_400,
            esa_job_urls: 100_000,
            describe_max_limit: 1000,
            teo_max_window_secs: 7 * 24 * 3600,
            esa_max_page_size: 50,
            teo_filter_values: 20,
        }
    }
}

/// A field of [`Limits`] as its table sees it: a count or a signed number (seconds, page sizes).
/// The wire names (serde's camelCase) of [`Limits`]' fields, in declaration order.
const NAMES: [&str; 27] = [
    "teoPrefetchBatch",
    "teoEdgePrefetchDaily",
    "teoPurgeUrlBatch",
    "teoPurgePrefixBatch",
    "teoPurgeHostBatch",
    "teoPurgeCacheTagBatch",
    "cdnPushBatch",
    "cdnPurgeUrlBatch",
    "cdnPurgePathBatch",
    "cdnMaxHeaders",
    "cdnHeaderNameBytes",
    "cdnHeaderValueBytes",
    "esaPreloadBatch",
    "esaPreloadDomains",
    "esaPurgeFiles",
    "esaPurgeDirectories",
    "esaPurgeIgnoreParams",
    "esaPurgeCacheTags",
    "esaPurgeHostnames",
    "esaPurgeCacheKeys",
    "esaPurgeDomains",
    "esaPreloadLookbackSecs",
    "esaJobUrls",
    "describeMaxLimit",
    "teoMaxWindowSecs",
    "esaMaxPageSize",
    "teoFilterValues",
];

enum Slot<'a> {
    Count(&'a mut usize),
    Signed(&'a mut i64),
}

impl Limits {
    /// Field `i` (in declaration order, named `NAMES[i]`): the table the call module reads,
    /// writes and compares limits by, instead of serde's derive (whose visitor and serializer
    /// weigh several KB of its wasm). Not inlined: one copy for every use.
    #[inline(never)]
    fn slot(&mut self, i: usize) -> Slot<'_> {
        match i {
            0 => Slot::Count(&mut self.teo_prefetch_batch),
            1 => Slot::Count(&mut self.teo_edge_prefetch_daily),
            2 => Slot::Count(&mut self.teo_purge_url_batch),
            3 => Slot::Count(&mut self.teo_purge_prefix_batch),
            4 => Slot::Count(&mut self.teo_purge_host_batch),
            5 => Slot::Count(&mut self.teo_purge_cache_tag_batch),
            6 => Slot::Count(&mut self.cdn_push_batch),
            7 => Slot::Count(&mut self.cdn_purge_url_batch),
            8 => Slot::Count(&mut self.cdn_purge_path_batch),
            9 => Slot::Count(&mut self.cdn_max_headers),
            10 => Slot::Count(&mut self.cdn_header_name_bytes),
            11 => Slot::Count(&mut self.cdn_header_value_bytes),
            12 => Slot::Count(&mut self.esa_preload_batch),
            13 => Slot::Count(&mut self.esa_preload_domains),
            14 => Slot::Count(&mut self.esa_purge_files),
            15 => Slot::Count(&mut self.esa_purge_directories),
            16 => Slot::Count(&mut self.esa_purge_ignore_params),
            17 => Slot::Count(&mut self.esa_purge_cache_tags),
            18 => Slot::Count(&mut self.esa_purge_hostnames),
            19 => Slot::Count(&mut self.esa_purge_cache_keys),
            20 => Slot::Count(&mut self.esa_purge_domains),
            21 => Slot::Signed(&mut self.esa_preload_lookback_secs),
            22 => Slot::Count(&mut self.esa_job_urls),
            23 => Slot::Signed(&mut self.describe_max_limit),
            24 => Slot::Signed(&mut self.teo_max_window_secs),
            25 => Slot::Signed(&mut self.esa_max_page_size),
            _ => Slot::Count(&mut self.teo_filter_values),
        }
    }

    /// The limits from a JSON value, as serde's derive reads them (every field optional, its
    /// default when absent; other members ignored; the derive's error texts).
    pub fn from_value(value: Value) -> Result<Limits, crate::value_de::Error> {
        let Value::Object(map) = value else {
            return Err(de::Error::invalid_type(
                crate::value_de::unexpected(&value),
                &"struct Limits",
            ));
        };
        let mut out = Limits::default();
        for (key, member) in map {
            if let Some(i) = NAMES.iter().position(|name| *name == key) {
                match out.slot(i) {
                    Slot::Count(n) => *n = number(member, "usize")?,
                    Slot::Signed(n) => *n = number(member, "i64")?,
                }
            }
        }
        Ok(out)
    }

    /// The limits as JSON, as serde's derive writes them.
    pub fn to_json(&self) -> Value {
        let mut copy = self.clone();
        let mut map = serde_json::Map::new();
        for (i, name) in NAMES.iter().enumerate() {
            let value = match copy.slot(i) {
                Slot::Count(n) => Value::from(*n),
                Slot::Signed(n) => Value::from(*n),
            };
            map.insert(name.to_string(), value);
        }
        Value::Object(map)
    }

    /// The fields of `self` above those of `base`: `(wire name, value, base value)`, in
    /// declaration order.
    pub fn above(&self, base: &Limits) -> Vec<(&'static str, String, String)> {
        let (mut asked, mut base) = (self.clone(), base.clone());
        let mut above = Vec::new();
        for (i, name) in NAMES.iter().enumerate() {
            let (a, b) = match (asked.slot(i), base.slot(i)) {
                (Slot::Count(a), Slot::Count(b)) if *a > *b => (a.to_string(), b.to_string()),
                (Slot::Signed(a), Slot::Signed(b)) if *a > *b => (a.to_string(), b.to_string()),
                _ => continue,
            };
            above.push((*name, a, b));
        }
        above
    }
}

/// Through the field table: every field optional (its default when absent), other members
/// ignored, serde's texts for a value of the wrong type. Not serde's derive: one reader of the
/// limits instead of two that must agree, and a few KB less in each wasm.
impl<'de> Deserialize<'de> for Limits {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Limits, D::Error> {
        Limits::from_value(Value::deserialize(deserializer)?).map_err(de::Error::custom)
    }
}

/// A number field's value (`expected`: `usize` or `i64`), with the errors serde's own
/// integer visitors give.
fn number<T: TryFrom<u64> + TryFrom<i64>>(
    value: Value,
    expected: &'static str,
) -> Result<T, crate::value_de::Error> {
    if let Value::Number(n) = &value {
        if let Some(u) = n.as_u64() {
            return T::try_from(u)
                .map_err(|_| de::Error::invalid_value(de::Unexpected::Unsigned(u), &expected));
        }
        if let Some(i) = n.as_i64() {
            return T::try_from(i)
                .map_err(|_| de::Error::invalid_value(de::Unexpected::Signed(i), &expected));
        }
    }
    Err(de::Error::invalid_type(
        crate::value_de::unexpected(&value),
        &expected,
    ))
}

#[cfg(test)]
mod table_tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_table_writes_as_serde_derive_does() {
        let custom = Limits {
            cdn_push_batch: 7,
            teo_max_window_secs: -3,
            ..Limits::default()
        };
        assert_eq!(custom.to_json(), serde_json::to_value(&custom).unwrap());
        assert_eq!(
            Limits::default().to_json(),
            serde_json::to_value(Limits::default()).unwrap()
        );
    }

    /// What the derive read and refused (its texts, recorded before the table replaced it),
    /// through the table, serde_json's text reader and the lean reader alike.
    #[test]
    fn every_reader_reads_through_the_table() {
        let with = |f: fn(&mut Limits)| {
            let mut l = Limits::default();
            f(&mut l);
            Ok(l)
        };
        let cases: Vec<(Value, Result<Limits, &str>)> = vec![
            (
                json!(null),
                Err("invalid type: null, expected struct Limits"),
            ),
            (
                json!(3),
                Err("invalid type: integer `3`, expected struct Limits"),
            ),
            (
                json!("x"),
                Err("invalid type: string \"x\", expected struct Limits"),
            ),
            (
                json!([1]),
                Err("invalid type: sequence, expected struct Limits"),
            ),
            (json!({}), Ok(Limits::default())),
            (json!({"cdnPushBatch": 12}), with(|l| l.cdn_push_batch = 12)),
            (json!({"cdnPushBatch": 0}), with(|l| l.cdn_push_batch = 0)),
            (
                json!({"esaJobUrls": 18446744073709551615u64}),
                with(|l| l.esa_job_urls = usize::MAX),
            ),
            (
                json!({"teoMaxWindowSecs": -1}),
                with(|l| l.teo_max_window_secs = -1),
            ),
            (
                json!({"cdnPushBatch": null}),
                Err("invalid type: null, expected usize"),
            ),
            (
                json!({"cdnPushBatch": true}),
                Err("invalid type: boolean `true`, expected usize"),
            ),
            (
                json!({"cdnPushBatch": -1}),
                Err("invalid value: integer `-1`, expected usize"),
            ),
            (
                json!({"cdnPushBatch": 1.5}),
                Err("invalid type: floating point `1.5`, expected usize"),
            ),
            (
                json!({"cdnPushBatch": "5"}),
                Err("invalid type: string \"5\", expected usize"),
            ),
            (
                json!({"cdnPushBatch": {}}),
                Err("invalid type: map, expected usize"),
            ),
            (
                json!({"teoMaxWindowSecs": 18446744073709551615u64}),
                Err("invalid value: integer `18446744073709551615`, expected i64"),
            ),
            (
                json!({"teoMaxWindowSecs": []}),
                Err("invalid type: sequence, expected i64"),
            ),
            (
                json!({"other": [1], "cdn_push_batch": "x"}),
                Ok(Limits::default()),
            ),
            (
                json!({"cdnPushBatch": 1, "describeMaxLimit": 2, "teoFilterValues": "x"}),
                Err("invalid type: string \"x\", expected usize"),
            ),
        ];
        for (input, want) in cases {
            let want = want.map_err(str::to_string);
            let table = Limits::from_value(input.clone()).map_err(|e| e.to_string());
            let lean =
                crate::value_de::from_value::<Limits>(input.clone()).map_err(|e| e.to_string());
            // serde_json's text reader adds where in the text the error is
            let text = serde_json::from_str::<Limits>(&input.to_string())
                .map_err(|e| e.to_string().split(" at line").next().unwrap().to_string());
            assert_eq!(table, want, "table: {input}");
            assert_eq!(lean, want, "lean reader: {input}");
            assert_eq!(text, want, "serde_json: {input}");
        }
    }

    #[test]
    fn above_names_each_raised_field_in_order() {
        let asked = Limits {
            cdn_push_batch: 501,
            esa_max_page_size: 51,
            teo_prefetch_batch: 1,
            ..Limits::default()
        };
        assert_eq!(
            asked.above(&Limits::default()),
            vec![
                ("cdnPushBatch", "501".to_string(), "500".to_string()),
                ("esaMaxPageSize", "51".to_string(), "50".to_string()),
            ]
        );
    }
}
