//! Per-call caps and ranges used by validation. Limits are data, not constants: plans differ and
//! vendors change them (PushUrlsCache went from 20 to 500 URLs per call), so every default here
//! comes from the vendor docs (`spec/apis.md` §3) and every one can be overridden — by the caller,
//! or at run time from DescribeContentQuota / DescribePushQuota.

use serde::{Deserialize, Serialize};

/// The limits validation checks against. `Limits::default()` holds the documented defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", default)]
pub struct Limits {
    /// EdgeOne CreatePrefetchTask URLs per call (plan-dependent; DescribeContentQuota `Batch`,
    /// documented example 2000).
    pub teo_prefetch_batch: usize,
    /// EdgeOne CreatePurgeTask targets per call (DescribeContentQuota example 2000).
    pub teo_purge_batch: usize,
    /// CDN PushUrlsCache URLs per call ("每次最多可提交 500 条 URL").
    pub cdn_push_batch: usize,
    /// CDN custom prefetch headers per call (≤ 20).
    pub cdn_max_headers: usize,
    /// CDN header name length in bytes (≤ 128).
    pub cdn_header_name_bytes: usize,
    /// CDN header value length in bytes (≤ 1024).
    pub cdn_header_value_bytes: usize,
    /// ESA PreloadCaches URLs per call (the API cap is undocumented; the console allows 100).
    pub esa_preload_batch: usize,
    /// ESA PurgeCaches entries per call (undocumented; 100 as for preload).
    pub esa_purge_batch: usize,
    /// URLs in one ESA scheduled job's UrlList (undocumented; edgewarm's default 100 000).
    pub esa_job_urls: usize,
    /// Largest `Limit` of EdgeOne / CDN Describe calls (1000).
    pub describe_max_limit: i64,
    /// Longest EdgeOne Describe time window in seconds (7 days).
    pub teo_max_window_secs: i64,
    /// ESA `PageSize` range (1–50).
    pub esa_max_page_size: i64,
    /// EdgeOne AdvancedFilter `Values` per filter (≤ 20).
    pub teo_filter_values: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            teo_prefetch_batch: 2000,
            teo_purge_batch: 2000,
            cdn_push_batch: 500,
            cdn_max_headers: 20,
            cdn_header_name_bytes: 128,
            cdn_header_value_bytes: 1024,
            esa_preload_batch: 100,
            esa_purge_batch: 100,
            esa_job_urls: 100_000,
            describe_max_limit: 1000,
            teo_max_window_secs: 7 * 24 * 3600,
            esa_max_page_size: 50,
            teo_filter_values: 20,
        }
    }
}
