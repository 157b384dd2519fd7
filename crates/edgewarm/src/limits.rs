//! Per-call caps and ranges used by validation. Limits are data, not constants: plans differ and
//! vendors change them (PushUrlsCache went from 20 to 500 URLs per call), so every default here
//! comes from the vendors' API pages (each field names its page, or says "assumed") and every one
//! can be overridden — by the caller, or at run time from DescribeContentQuota / DescribePushQuota.

use serde::{Deserialize, Serialize};

/// The limits validation checks against. `Limits::default()` holds the documented defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
