//! What the sandbox cloud knows: credentials, EdgeOne zones, CDN domains, ESA sites, limits and
//! which origins misbehave. Loaded from TOML or JSON; [`SandboxConfig::default`] is the built-in
//! world with LocalStack-style well-known fake keys that a newcomer can type.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// Well-known sandbox Tencent SecretId.
pub const TENCENT_SECRET_ID: &str = "AKIDSANDBOX0000000000000000000000000";
/// Well-known sandbox Tencent SecretKey.
pub const TENCENT_SECRET_KEY: &str = "sandbox-tencent-secret";
/// Well-known sandbox Alibaba AccessKey ID.
pub const ALIBABA_ACCESS_KEY_ID: &str = "LTAISANDBOX0000000000000";
/// Well-known sandbox Alibaba AccessKey secret.
pub const ALIBABA_ACCESS_KEY_SECRET: &str = "sandbox-alibaba-secret";

/// A key pair the sandbox accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyConfig {
    /// SecretId / AccessKeyId.
    pub id: String,
    /// SecretKey / AccessKeySecret.
    pub secret: String,
    /// STS token, when these are temporary credentials.
    #[serde(default)]
    pub token: Option<String>,
}

/// An EdgeOne zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneConfig {
    /// Zone id, e.g. `zone-sandbox`.
    pub id: String,
    /// Host names served by the zone.
    pub domains: Vec<String>,
}

/// An ESA site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteConfig {
    /// The site's id, as requests give it in `SiteId`.
    pub id: i64,
    /// Region (`cn-hangzhou`, `ap-southeast-1`).
    pub region: String,
    /// Record names (host names) of the site.
    pub domains: Vec<String>,
}

/// How an origin answers prefetches of matching URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginRule {
    /// Applies to URLs containing this text.
    pub url_contains: String,
    /// `failed` (the origin pull fails) or `invalid` (the origin answers non-2xx).
    pub outcome: String,
    /// HTTP status the origin answers (invalid), informational.
    #[serde(default)]
    pub status: Option<u16>,
    /// EdgeOne FailType for `failed` (default `originPullFailed`).
    #[serde(default)]
    pub fail_type: Option<String>,
    /// The message the task list reports for these URLs (a default one when absent).
    #[serde(default)]
    pub message: Option<String>,
}

/// Per-call and daily limits the sandbox enforces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LimitConfig {
    /// Requests per second per (API, credential): 20 (every teo and cdn API page: "A maximum of
    /// 20 requests can be initiated per second for this API"). ESA documents no rate: assumed
    /// the same.
    pub rate_per_sec: u32,
    /// Burst size of the rate limiter. Assumed: one second's worth (`rate_per_sec`).
    pub burst: u32,
    /// EdgeOne `prefetch_url` targets per call: 2000 (DescribeContentQuota API example, Batch);
    /// beyond it `LimitExceeded.BatchQuota`.
    pub teo_prefetch_batch: u64,
    /// EdgeOne `prefetch_url` targets per day and zone: 10000 (DescribeContentQuota API
    /// example, Daily); beyond it `LimitExceeded.DailyQuota`.
    pub teo_prefetch_daily: u64,
    /// EdgeOne `Mode=edge` prefetches per day and zone: 1000, not consuming `prefetch_url`'s
    /// (CreatePrefetchTask API page, China site). The per-call cap is `prefetch_url`'s
    /// (assumed). On the intl site `Mode` is answered `UnknownParameter` (assumed: the intl
    /// API defines no `Mode`).
    pub teo_edge_prefetch_daily: u64,
    /// EdgeOne `purge_url` targets per call: 2000 (DescribeContentQuota API example).
    pub teo_purge_url_batch: u64,
    /// EdgeOne `purge_url` targets per day: 10000 (DescribeContentQuota API example).
    pub teo_purge_url_daily: u64,
    /// EdgeOne `purge_prefix` targets per call: 2000 (DescribeContentQuota API example).
    pub teo_purge_prefix_batch: u64,
    /// EdgeOne `purge_prefix` targets per day: 10000 (DescribeContentQuota API example).
    pub teo_purge_prefix_daily: u64,
    /// EdgeOne `purge_host` targets per call: 2000 (DescribeContentQuota API example).
    pub teo_purge_host_batch: u64,
    /// EdgeOne `purge_host` targets per day: 10000 (DescribeContentQuota API example).
    pub teo_purge_host_daily: u64,
    /// EdgeOne `purge_all` per call: 2000 (DescribeContentQuota API example).
    pub teo_purge_all_batch: u64,
    /// EdgeOne `purge_all` per day: 10000 (DescribeContentQuota API example).
    pub teo_purge_all_daily: u64,
    /// EdgeOne `purge_cache_tag` targets per call: assumed 2000 (the example lists no such
    /// Quota; the other types' value).
    pub teo_purge_cache_tag_batch: u64,
    /// EdgeOne `purge_cache_tag` targets per day: assumed 10000 (as above).
    pub teo_purge_cache_tag_daily: u64,
    /// CDN PushUrlsCache URLs per call: 500 (PushUrlsCache API page); beyond it
    /// `LimitExceeded.CdnPushExceedBatchLimit`.
    pub cdn_push_batch: u64,
    /// CDN push URLs per day, for each area (mainland and overseas; `global` counts against
    /// both), reported per area by DescribePushQuota; beyond it
    /// `LimitExceeded.CdnPushExceedDayLimit`. 1000 per area, the vendor's default
    /// (PushUrlsCache API page: "By default, a maximum of 1000 URLs can be prefetched per day for
    /// regions either within or outside the Chinese mainland"). Tests that push more raise it
    /// in their own config.
    pub cdn_push_daily: u64,
    /// CDN PurgeUrlsCache URLs per call: 1000 (PurgeUrlsCache API page); beyond it
    /// `LimitExceeded.CdnPurgeUrlExceedBatchLimit`.
    pub cdn_purge_url_batch: u64,
    /// CDN URL purges per day and area: 10000 (PurgeUrlsCache API page); beyond it
    /// `LimitExceeded.CdnPurgeUrlExceedDayLimit`.
    pub cdn_purge_url_daily: u64,
    /// CDN PurgePathCache paths per call: 500 (PurgePathCache API page); beyond it
    /// `LimitExceeded.CdnPurgePathExceedBatchLimit`.
    pub cdn_purge_path_batch: u64,
    /// CDN path purges per day and area: 100 (PurgePathCache API page); beyond it
    /// `LimitExceeded.CdnPurgePathExceedDayLimit`.
    pub cdn_purge_path_daily: u64,
    /// The sandbox's daily quotas restart at midnight of this UTC offset (minutes). Assumed:
    /// no vendor documents when its daily quotas reset; 480 = midnight Beijing time. The engine
    /// does not rely on it: it re-reads the quota (`JobOptions::quota_recheck_ms`).
    pub quota_reset_utc_offset_minutes: i64,
    /// ESA PreloadCaches URLs per call. Assumed 100 (the API page states no cap; the console
    /// accepts 100); beyond it the sandbox answers `InvalidParameter` (code assumed too).
    pub esa_preload_batch: u64,
    /// ESA PreloadCaches URLs per day and site. Assumed (no ESA prefetch quota is documented);
    /// beyond it the sandbox answers `QuotaExceeded` (code assumed).
    pub esa_preload_daily: u64,
    /// ESA PreloadCaches distinct domains per request: 500 (`DomainNameOverLimit`).
    pub esa_preload_domains: u64,
    /// ESA DescribePreloadTasks: seconds StartTime may reach back: 3 days (`InvalidTime`;
    /// StartTime without EndTime or the reverse: `MissingTimeParameter`).
    pub esa_preload_lookback_secs: u64,
    /// ESA DescribePreloadTasks: seconds a task stays listed; 0 = for ever. Assumed (the
    /// vendor documents no retention beyond the 3-day look-back).
    pub esa_task_retention_secs: u64,
    /// How ESA DescribePreloadTasks writes `CreateTime`: `beijing` (`YYYY-MM-DD hh:mm:ss` at
    /// UTC+8, no zone: the model's example), `utc` (the same text at UTC: a zone a reader may
    /// misread) or `iso` (ISO 8601 with `Z`, as DescribePurgeTasks answers).
    pub esa_create_time: String,
    /// ESA PurgeCaches `file` URLs per call: 1000 (PurgeCaches API page).
    pub esa_purge_files: u64,
    /// ESA purges per site, type and day: 100000 (GetPurgeQuota API example, `Quota`); beyond it
    /// PurgeCaches answers `QuotaExceeded` (code assumed).
    pub esa_purge_daily: u64,
    /// ESA purges per site and type in 30 days: 200000 (GetPurgeQuota API example,
    /// `Quota30Day`).
    pub esa_purge_30day: u64,
    /// ESA PurgeCaches `directory` entries per call: 100 (PurgeCaches API page).
    pub esa_purge_directories: u64,
    /// ESA PurgeCaches `ignoreParams` entries per call: 100 (PurgeCaches API page).
    pub esa_purge_ignore_params: u64,
    /// ESA PurgeCaches `cachetag` entries per call: 30 (PurgeCaches API page).
    pub esa_purge_cache_tags: u64,
    /// ESA PurgeCaches `hostname` entries per call: 10 (PurgeCaches API page).
    pub esa_purge_hostnames: u64,
    /// ESA PurgeCaches `cachekey` entries per call: assumed 100 (none documented).
    pub esa_purge_cache_keys: u64,
    /// ESA PurgeCaches: domains one `file` / `directory` / `ignoreParams` call may span: 10
    /// (PurgeCaches API page).
    pub esa_purge_domains: u64,
    /// ESA CreateScheduledPreloadJob: URLs one job takes; the rest is refused with `QuotaExcess`
    /// in the job's `ErrorInfo`. Assumed 100 000 (undocumented).
    pub esa_job_urls: u64,
    /// Seconds a task stays `processing` before it ends. Assumed 5: the vendors say about 5 to
    /// 30 minutes (ESA console preload page, EdgeOne FAQ); the sandbox is quicker so runs end.
    pub task_seconds: u64,
}

impl Default for LimitConfig {
    /// The vendors' documented values; the per-call ESA caps are the core's own defaults
    /// ([`edgewarm::Limits`], which names each source), so the twin and the client agree.
    fn default() -> Self {
        let core = edgewarm::Limits::default();
        let cap = |n: usize| n as u64;
        LimitConfig {
            rate_per_sec: 20,
            burst: 20,
            teo_prefetch_batch: 2000,
            teo_prefetch_daily: 10_000,
            teo_edge_prefetch_daily: 1000,
            teo_purge_url_batch: 2000,
            teo_purge_url_daily: 10_000,
            teo_purge_prefix_batch: 2000,
            teo_purge_prefix_daily: 10_000,
            teo_purge_host_batch: 2000,
            teo_purge_host_daily: 10_000,
            teo_purge_all_batch: 2000,
            teo_purge_all_daily: 10_000,
            teo_purge_cache_tag_batch: 2000,
            teo_purge_cache_tag_daily: 10_000,
            cdn_push_batch: 500,
            cdn_push_daily: 1000,
            cdn_purge_url_batch: 1000,
            cdn_purge_url_daily: 10_000,
            cdn_purge_path_batch: 500,
            cdn_purge_path_daily: 100,
            quota_reset_utc_offset_minutes: 480,
            esa_preload_batch: cap(core.esa_preload_batch),
            esa_preload_daily: 100_000,
            esa_preload_domains: cap(core.esa_preload_domains),
            esa_preload_lookback_secs: 3 * 86_400,
            esa_task_retention_secs: 0,
            esa_create_time: "beijing".into(),
            esa_purge_files: cap(core.esa_purge_files),
            esa_purge_daily: 100_000,
            esa_purge_30day: 200_000,
            esa_purge_directories: cap(core.esa_purge_directories),
            esa_purge_ignore_params: cap(core.esa_purge_ignore_params),
            esa_purge_cache_tags: cap(core.esa_purge_cache_tags),
            esa_purge_hostnames: cap(core.esa_purge_hostnames),
            esa_purge_cache_keys: cap(core.esa_purge_cache_keys),
            esa_purge_domains: cap(core.esa_purge_domains),
            esa_job_urls: cap(core.esa_job_urls),
            task_seconds: 5,
        }
    }
}

impl LimitConfig {
    /// `(Batch, Daily)` of an EdgeOne quota type (`prefetch_url`, `purge_url`, …), as
    /// DescribeContentQuota reports them: one Quota per type.
    pub fn teo_quota(&self, kind: &str) -> Option<(u64, u64)> {
        Some(match kind {
            "prefetch_url" => (self.teo_prefetch_batch, self.teo_prefetch_daily),
            "purge_url" => (self.teo_purge_url_batch, self.teo_purge_url_daily),
            "purge_prefix" => (self.teo_purge_prefix_batch, self.teo_purge_prefix_daily),
            "purge_host" => (self.teo_purge_host_batch, self.teo_purge_host_daily),
            "purge_all" => (self.teo_purge_all_batch, self.teo_purge_all_daily),
            "purge_cache_tag" => (
                self.teo_purge_cache_tag_batch,
                self.teo_purge_cache_tag_daily,
            ),
            _ => return None,
        })
    }
}

/// Injected faults, for resilience tests (all off by default).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultConfig {
    /// Every Nth request (counted over all APIs) is answered HTTP 502 with an HTML body.
    pub error_every: u64,
    /// Every Nth request is dropped before it is processed: the connection is reset.
    pub reset_every: u64,
    /// Time windows `[start_ms, end_ms)` in which every request is throttled.
    pub throttle_windows: Vec<(i64, i64)>,
}

/// The whole sandbox world.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SandboxConfig {
    /// The SecretId / SecretKey pairs the sandbox accepts for EdgeOne and CDN.
    pub tencent_keys: Vec<KeyConfig>,
    /// The AccessKey pairs the sandbox accepts for ESA.
    pub alibaba_keys: Vec<KeyConfig>,
    /// The EdgeOne zones that exist, with their domains.
    pub zones: Vec<ZoneConfig>,
    /// Tencent CDN domains.
    pub cdn_domains: Vec<String>,
    /// The ESA sites that exist, with their region and domains.
    pub esa_sites: Vec<SiteConfig>,
    /// Per-call caps, daily quotas and rates, each defaulting to the vendor's documented figure.
    pub limits: LimitConfig,
    /// Origins that fail or answer non-2xx for matching URLs; all others warm.
    pub origins: Vec<OriginRule>,
    /// Real-origin mode: fetch each prefetched URL's path from this loopback origin
    /// (`http://127.0.0.1:8080`) and decide the outcome from its status.
    pub real_origin: Option<String>,
    /// Server errors, resets and throttling injected on purpose, to test the clients' retries.
    pub faults: FaultConfig,
    /// ESA PurgeCaches refuses a host that is not a record of the site with
    /// `InvalidParameter.RecordNotBelongToSite`, as PreloadCaches does. Off by default:
    /// PreloadCaches documents the refusal (PreloadCaches API page), PurgeCaches does not, so
    /// whether a purge is refused is assumed either way.
    pub esa_purge_checks_records: bool,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        let domains = vec![
            "www.example.com".to_string(),
            "static.example.com".to_string(),
        ];
        SandboxConfig {
            tencent_keys: vec![KeyConfig {
                id: TENCENT_SECRET_ID.into(),
                secret: TENCENT_SECRET_KEY.into(),
                token: None,
            }],
            alibaba_keys: vec![KeyConfig {
                id: ALIBABA_ACCESS_KEY_ID.into(),
                secret: ALIBABA_ACCESS_KEY_SECRET.into(),
                token: None,
            }],
            zones: vec![ZoneConfig {
                id: "zone-sandbox".into(),
                domains: domains.clone(),
            }],
            cdn_domains: domains.clone(),
            esa_sites: vec![SiteConfig {
                id: 100000001,
                region: "cn-hangzhou".into(),
                domains,
            }],
            limits: LimitConfig::default(),
            origins: vec![
                OriginRule {
                    url_contains: "/fail/".into(),
                    outcome: "failed".into(),
                    status: None,
                    fail_type: Some("originPullFailed".into()),
                    message: Some("origin pull failed: connection refused".into()),
                },
                OriginRule {
                    url_contains: "/missing/".into(),
                    outcome: "invalid".into(),
                    status: Some(404),
                    fail_type: None,
                    message: Some("origin answered 404".into()),
                },
            ],
            real_origin: None,
            faults: FaultConfig::default(),
            esa_purge_checks_records: false,
        }
    }
}

/// Why a config file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// Reading the file failed.
    #[error("cannot read {path}: {source}")]
    Read {
        /// Where the configuration came from (its path).
        path: String,
        /// Why the file could not be read.
        source: std::io::Error,
    },
    /// The content does not parse.
    #[error("{path}: {message}")]
    Parse {
        /// Where the configuration came from (its path).
        path: String,
        /// What the TOML or JSON parser said, with the line and column.
        message: String,
    },
}

impl SandboxConfig {
    /// Parses TOML (or JSON when the text starts with `{`).
    pub fn parse(text: &str, origin: &str) -> Result<SandboxConfig, ConfigError> {
        let parsed = if text.trim_start().starts_with('{') {
            serde_json::from_str(text).map_err(|e| e.to_string())
        } else {
            toml::from_str(text).map_err(|e| e.to_string())
        };
        parsed.map_err(|message| ConfigError::Parse {
            path: origin.into(),
            message,
        })
    }

    /// Loads a TOML or JSON file.
    pub fn load(path: &Path) -> Result<SandboxConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.display().to_string(),
            source,
        })?;
        SandboxConfig::parse(&text, &path.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_json_round_trip() {
        let d = SandboxConfig::default();
        let t = toml::to_string(&d).unwrap();
        assert_eq!(SandboxConfig::parse(&t, "t").unwrap(), d);
        let j = serde_json::to_string(&d).unwrap();
        assert_eq!(SandboxConfig::parse(&j, "j").unwrap(), d);
        let partial = SandboxConfig::parse("[limits]\nrate_per_sec = 5\n", "p").unwrap();
        assert_eq!(partial.limits.rate_per_sec, 5);
        assert_eq!(partial.limits.cdn_push_batch, 500);
        assert!(SandboxConfig::parse("limits = 3", "bad").is_err());
    }
}

#[cfg(test)]
mod example_file {
    use super::*;

    /// The documented example (`sandbox.example.toml`) is the built-in world, so the README and
    /// the default cannot drift apart.
    #[test]
    fn example_file_is_the_default() {
        let text = include_str!("../sandbox.example.toml");
        assert_eq!(
            SandboxConfig::parse(text, "sandbox.example.toml").unwrap(),
            SandboxConfig::default()
        );
    }

    /// Every limit is written out in the example file (with its source beside it), not left to
    /// fall back on the built-in value: the file's `[limits]` keys are exactly the default's.
    #[test]
    fn example_file_lists_every_limit() {
        let text = include_str!("../sandbox.example.toml");
        let file: toml::Table = toml::from_str(text).unwrap();
        let keys = |t: &toml::Table| -> std::collections::BTreeSet<String> {
            t.get("limits")
                .and_then(|l| l.as_table())
                .map(|l| l.keys().cloned().collect())
                .unwrap_or_default()
        };
        let default: toml::Table =
            toml::from_str(&toml::to_string(&SandboxConfig::default()).unwrap()).unwrap();
        let (in_file, in_default) = (keys(&file), keys(&default));
        assert!(in_default.len() > 30, "{in_default:?}");
        let missing: Vec<_> = in_default.difference(&in_file).collect();
        let unknown: Vec<_> = in_file.difference(&in_default).collect();
        assert!(
            missing.is_empty(),
            "limits missing from the example file: {missing:?}"
        );
        assert!(
            unknown.is_empty(),
            "unknown limits in the example file: {unknown:?}"
        );
    }
}
