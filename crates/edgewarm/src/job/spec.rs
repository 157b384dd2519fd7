//! A job's inputs: where it warms ([`Target`]), how ([`JobOptions`]) and with which endpoint and
//! key id ([`JobSpec`]). This is what a user writes; everything else in a journal is the engine's
//! state ([`super::state`]).

use crate::error::ValidationErrors;
use crate::headers::Headers;
use crate::limits::Limits;
use crate::validate::Checks;
use crate::vendor::{edgeone, Endpoint, Service};
use serde::{Deserialize, Serialize};

/// Where a job warms URLs and with which vendor options.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "vendor", rename_all = "lowercase")]
#[serde(try_from = "super::tag_readers::TargetFields")]
pub enum Target {
    /// Tencent EdgeOne (API service code `teo`, read as an alias of `edgeone`: see
    /// `job/tag_readers.rs`).
    Edgeone {
        /// The EdgeOne zone (`ZoneId`, `zone-…`) whose domains the URLs belong to.
        #[serde(rename = "zoneId")]
        zone_id: String,
        /// `default` or `edge`. `edge` exists on the China site only (CreatePrefetchTask API
        /// page, China site; absent from the intl page and SDK): refused on intl by
        /// [`JobSpec::check`]. It has its own daily quota (`Limits::teo_edge_prefetch_daily`).
        #[serde(default)]
        #[cfg_attr(feature = "ts", tsify(optional))]
        mode: Option<String>,
        /// Headers the prefetch requests carry.
        #[serde(default)]
        #[cfg_attr(feature = "ts", tsify(type = "[string, string][]"))]
        headers: Headers,
        /// `on` / `off`.
        #[serde(default, rename = "prefetchMediaSegments")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        prefetch_media_segments: Option<String>,
        /// The domains a cache-tag purge applies to (`CacheTag.Domains`): CreatePurgeTask
        /// requires them when `Type` is `purge_cache_tag` (CreatePurgeTask API page: "节点缓存清除
        /// 类型取值为 purge_cache_tag 时，该参数必填，入参值为域名"); unused by other kinds.
        #[serde(
            default,
            rename = "cacheTagDomains",
            skip_serializing_if = "Vec::is_empty"
        )]
        #[cfg_attr(feature = "ts", tsify(optional))]
        cache_tag_domains: Vec<String>,
    },
    /// Tencent CDN (`cdn`): PushUrlsCache with its options.
    Cdn {
        /// `mainland`, `overseas`, `global`.
        #[serde(default)]
        #[cfg_attr(feature = "ts", tsify(optional))]
        area: Option<String>,
        /// `middle` or empty: the only values the PushUrlsCache API page documents.
        #[serde(default)]
        #[cfg_attr(feature = "ts", tsify(optional))]
        layer: Option<String>,
        /// User-Agent of origin pulls.
        #[serde(default, rename = "userAgent")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        user_agent: Option<String>,
        /// Warm M3U8 segments server-side.
        #[serde(default, rename = "parseM3u8")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        parse_m3u8: Option<bool>,
        /// Disable Range origin pulls.
        #[serde(default, rename = "disableRange")]
        #[cfg_attr(feature = "ts", tsify(optional))]
        disable_range: Option<bool>,
        /// Custom headers (≤ 20).
        #[serde(default)]
        #[cfg_attr(feature = "ts", tsify(type = "[string, string][]"))]
        headers: Headers,
    },
    /// Alibaba ESA: PreloadCaches on one site.
    Esa {
        /// The ESA site (`SiteId`) whose domains the URLs belong to.
        #[serde(rename = "siteId")]
        site_id: i64,
        /// Headers the preload requests carry (sent as one JSON object, `Headers`).
        #[serde(default, serialize_with = "Headers::serialize_as_map")]
        #[cfg_attr(feature = "ts", tsify(type = "Record<string, string>"))]
        headers: Headers,
    },
}

impl Target {
    /// The vendor service.
    pub fn service(&self) -> Service {
        match self {
            Target::Edgeone { .. } => Service::Teo,
            Target::Cdn { .. } => Service::Cdn,
            Target::Esa { .. } => Service::Esa,
        }
    }
}

/// Tunables of a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", default)]
pub struct JobOptions {
    /// Requests per second per (vendor, action, credential).
    pub rate_per_sec: f64,
    /// Between two polls of the same task (ms).
    pub poll_interval_ms: i64,
    /// Attempts per call before its URLs fail.
    pub max_attempts: u32,
    /// Submit calls in flight at once.
    pub max_in_flight: usize,
    /// Ask DescribeContentQuota / DescribePushQuota before planning.
    pub use_quota_api: bool,
    /// Give up tracking a task after this long (ms).
    pub track_timeout_ms: i64,
    /// While URLs are deferred for quota, ask the quota again this often (ms; default 15 min)
    /// and go on as soon as it has room. No vendor documents when its daily quotas reset
    /// (DescribeContentQuota, DescribePushQuota and the ESA pages are silent), so the engine
    /// assumes no reset time: it re-reads DescribeContentQuota / DescribePushQuota, or, where
    /// no quota API answers (ESA, EdgeOne `Mode=edge`, `use_quota_api` off), re-sends one
    /// deferred batch as a probe. `0` turns re-reading off: deferred URLs are then final and
    /// the job ends with them.
    pub quota_recheck_ms: i64,
    /// The vendor limits the plan keeps to (per-call caps, daily quotas), overridable when a
    /// plan differs from the documented defaults.
    pub limits: Limits,
}

impl Default for JobOptions {
    fn default() -> Self {
        JobOptions {
            rate_per_sec: 20.0,
            poll_interval_ms: 5_000,
            max_attempts: 8,
            max_in_flight: 8,
            use_quota_api: true,
            track_timeout_ms: 3_600_000,
            quota_recheck_ms: 900_000,
            limits: Limits::default(),
        }
    }
}

impl JobSpec {
    /// Rules of the target that depend on the endpoint or that no later call checks before
    /// sending: EdgeOne `Mode=edge` exists on the China site only ([`edgeone::check_mode`]);
    /// CDN `Layer` is `middle` or empty (PushUrlsCache API page). A job whose spec breaks one
    /// marks every URL `Invalid` with the field and the rule, and sends nothing.
    pub fn check(&self) -> Result<(), ValidationErrors> {
        match &self.target {
            Target::Edgeone { mode, .. } => edgeone::check_mode(mode.as_deref(), &self.endpoint),
            Target::Cdn { layer, .. } => {
                let mut c = Checks::new();
                c.one_of("Layer", layer, &["middle", ""]);
                c.finish()
            }
            Target::Esa { .. } => Ok(()),
        }?;
        if let Some(t) = self.kind.purge_type() {
            if t.vendor_name(self.target.service()).is_none() {
                let mut c = Checks::new();
                c.fail(
                    "kind.purgeType",
                    crate::error::Rule::OneOf,
                    format!(
                        "{} has no {t:?} purge (url or path only)",
                        self.target.service()
                    ),
                );
                return c.finish();
            }
            if let (
                PurgeType::Tag,
                Target::Edgeone {
                    cache_tag_domains, ..
                },
            ) = (t, &self.target)
            {
                if cache_tag_domains.iter().all(|d| d.trim().is_empty()) {
                    let mut c = Checks::new();
                    c.fail(
                        "target.cacheTagDomains",
                        crate::error::Rule::Required,
                        "an EdgeOne cache-tag purge needs the domains its tags apply to \
                         (CreatePurgeTask CacheTag.Domains)"
                            .to_string(),
                    );
                    return c.finish();
                }
            }
        }
        Ok(())
    }

    /// EdgeOne `Mode=edge`: planned against its own daily quota, which no quota API reports.
    pub(crate) fn edge_mode(&self) -> bool {
        matches!(&self.target, Target::Edgeone { mode: Some(m), .. } if m == "edge")
    }

    /// Whether a quota API answers for this job's submits (DescribeContentQuota for EdgeOne
    /// `prefetch_url`, DescribePushQuota for CDN; none for ESA or EdgeOne edge mode).
    pub(crate) fn has_quota_api(&self, phase: super::Phase) -> bool {
        match phase {
            // DescribeContentQuota, DescribePurgeQuota, GetPurgeQuota
            super::Phase::Purge => self.options.use_quota_api,
            super::Phase::Prefetch => {
                self.options.use_quota_api
                    && self.target.service() != Service::Esa
                    && !self.edge_mode()
            }
        }
    }

    /// Whether the quota is asked before the first submit of `phase` (EdgeOne edge mode asks
    /// too, for the per-call cap, but keeps its own daily figure).
    pub(crate) fn has_quota_api_in(&self, phase: super::Phase) -> bool {
        match phase {
            super::Phase::Purge => self.options.use_quota_api,
            super::Phase::Prefetch => {
                self.options.use_quota_api && self.target.service() != Service::Esa
            }
        }
    }
}

/// Reads a [`JobSpec`]: a journal's spec and a spec given alone (`Job` constructors in wasm)
/// both read through this one function, so that a wasm holds one copy of the reader
/// (`#[inline(never)]`: inlined into each caller, each would carry its own, some 50 KB).
#[inline(never)]
pub fn read_spec<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<JobSpec, D::Error> {
    JobSpec::deserialize(deserializer)
}

/// What a job is: the target, the endpoint, the credential's key id (public; it keys the
/// pacing buckets) and the options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct JobSpec {
    /// Which vendor product the job warms, with that vendor's options.
    pub target: Target,
    /// Endpoint (host, region, language).
    pub endpoint: Endpoint,
    /// SecretId / AccessKeyId (never the secret).
    pub key_id: String,
    /// How the job runs: rate, polling, retries, quota use and limits.
    #[serde(default)]
    pub options: JobOptions,
    /// What the job does to each URL: prefetch (the default, and what every journal without a
    /// kind is), purge, or refresh (purge, wait until the purge is done, then prefetch).
    #[serde(default)]
    pub kind: JobKind,
}

/// What a job does to its URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(tag = "type", rename_all = "camelCase")]
#[serde(from = "super::tag_readers::JobKindFields")]
pub enum JobKind {
    /// Prefetch every URL (PreloadCaches, PushUrlsCache, CreatePrefetchTask).
    #[default]
    Prefetch,
    /// Purge every entry with the vendor's purge of `purge_type`.
    Purge {
        /// What the entries are: URLs, paths / prefixes, hosts or cache tags.
        #[serde(default, rename = "purgeType")]
        purge_type: PurgeType,
    },
    /// Purge every URL, track the purge until it is done, then prefetch it.
    Refresh,
}

/// What a purge names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum PurgeType {
    /// URLs (all vendors).
    #[default]
    Url,
    /// Paths / prefixes / directories (CDN PurgePathCache, EdgeOne `purge_prefix`, ESA
    /// `directory`).
    Path,
    /// Host names (EdgeOne `purge_host`, ESA `hostname`; CDN has none).
    Host,
    /// Cache tags (EdgeOne `purge_cache_tag`, ESA `cachetag`; CDN has none).
    Tag,
}

impl JobKind {
    /// The purge a job of this kind makes, if any (a refresh purges URLs).
    pub fn purge_type(&self) -> Option<PurgeType> {
        match self {
            JobKind::Prefetch => None,
            JobKind::Purge { purge_type } => Some(*purge_type),
            JobKind::Refresh => Some(PurgeType::Url),
        }
    }
}

impl PurgeType {
    /// The vendor's name of this purge type: EdgeOne `purge_*`, CDN `url` / `path`, ESA
    /// `file` / `directory` / `hostname` / `cachetag`; `None` where the vendor has no such
    /// purge (CDN host and tag).
    pub fn vendor_name(&self, service: Service) -> Option<&'static str> {
        Some(match (service, self) {
            (Service::Teo, PurgeType::Url) => "purge_url",
            (Service::Teo, PurgeType::Path) => "purge_prefix",
            (Service::Teo, PurgeType::Host) => "purge_host",
            (Service::Teo, PurgeType::Tag) => "purge_cache_tag",
            (Service::Cdn, PurgeType::Url) => "url",
            (Service::Cdn, PurgeType::Path) => "path",
            (Service::Cdn, _) => return None,
            (Service::Esa, PurgeType::Url) => "file",
            (Service::Esa, PurgeType::Path) => "directory",
            (Service::Esa, PurgeType::Host) => "hostname",
            (Service::Esa, PurgeType::Tag) => "cachetag",
        })
    }

    /// The per-call cap of this purge type on `service` (from [`Limits`]).
    pub fn batch_cap(&self, service: Service, l: &Limits) -> usize {
        match (service, self) {
            (Service::Teo, PurgeType::Url) => l.teo_purge_url_batch,
            (Service::Teo, PurgeType::Path) => l.teo_purge_prefix_batch,
            (Service::Teo, PurgeType::Host) => l.teo_purge_host_batch,
            (Service::Teo, PurgeType::Tag) => l.teo_purge_cache_tag_batch,
            (Service::Cdn, PurgeType::Path) => l.cdn_purge_path_batch,
            (Service::Cdn, _) => l.cdn_purge_url_batch,
            (Service::Esa, PurgeType::Url) => l.esa_purge_files,
            (Service::Esa, PurgeType::Path) => l.esa_purge_directories,
            (Service::Esa, PurgeType::Host) => l.esa_purge_hostnames,
            (Service::Esa, PurgeType::Tag) => l.esa_purge_cache_tags,
        }
    }
}
