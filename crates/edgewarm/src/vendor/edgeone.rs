//! Tencent Cloud EdgeOne (`teo` 2022-09-01): prefetch, purge, their task histories and the
//! content quota. Field names and order are the vendor's (the teo 2022-09-01 API pages and the
//! tencentcloud-cli / tencentcloud-sdk-go models).

use super::{Call, Endpoint, Service};
use crate::error::{Rule, ValidationErrors};
use crate::limits::Limits;
use crate::request::Method;
use crate::times::parse_rfc3339;
use crate::validate::Checks;
use serde::{Deserialize, Serialize};

pub use crate::headers::Header;

/// A Describe filter (`AdvancedFilter`): filters AND, values OR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct AdvancedFilter {
    /// `job-id`, `target`, `domains`, `statuses` (purge also `type`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Values (≤ 20).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
    /// Whether the values match as substrings instead of exactly.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fuzzy: Option<bool>,
}
crate::record::param_record!(AdvancedFilter {
    name: "Name",
    values: "Values",
    fuzzy: "Fuzzy"
});

/// `CacheTag` of a `purge_cache_tag` purge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct CacheTag {
    /// Domains whose cache tags are purged.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domains: Option<Vec<String>>,
}
crate::record::param_record!(CacheTag { domains: "Domains" });

/// CreatePrefetchTask: warm URLs on EdgeOne.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct CreatePrefetchTask {
    /// Zone (site) id, or `*` for every zone of the account.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<String>,
    /// URLs to warm.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<String>>,
    /// `default` (to the middle tier) or `edge` (to the edge and the middle tier; whitelist
    /// feature with its own daily quota of 1000, CreatePrefetchTask API page, China site). The
    /// intl SDK and intl CreatePrefetchTask page have no `Mode`: see [`check_mode`].
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// Deprecated in teo 2022-09-01 (the SDK models mark it so; the intl CreatePrefetchTask page
    /// no longer lists it). Kept so that a captured SDK request still parses and rebuilds;
    /// validation refuses it ([`Rule::Deprecated`]) and edgewarm never sends it: targets are
    /// percent-encoded client-side ([`crate::urls::encode`]).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encode_url: Option<bool>,
    /// Headers the prefetch requests carry.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<Header>>,
    /// `on` / `off`: also warm the segments of M3U8 playlists (whitelist feature).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefetch_media_segments: Option<String>,
}
crate::record::param_record!(CreatePrefetchTask {
    zone_id: "ZoneId",
    targets: "Targets",
    mode: "Mode",
    encode_url: "EncodeUrl",
    headers: "Headers",
    prefetch_media_segments: "PrefetchMediaSegments"
});

/// DescribePrefetchTasks / DescribePurgeTasks request shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct DescribeTasks {
    /// The zone (`zone-…`) whose tasks are listed; omitted, the account's.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<String>,
    /// Window start, ISO 8601 (`2022-02-09T02:35:00Z`, `…+08:00`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Window end (≤ 7 days after the start).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// How many matching tasks to skip (paging with `Limit`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    /// Page size (DescribePrefetchTasks API page: "Default value: 20. Maximum value: 1000").
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// Conditions the tasks must all meet (job id, target, domain, status, type).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filters: Option<Vec<AdvancedFilter>>,
}
crate::record::param_record!(DescribeTasks {
    zone_id: "ZoneId",
    start_time: "StartTime",
    end_time: "EndTime",
    offset: "Offset",
    limit: "Limit",
    filters: "Filters"
});

/// DescribePrefetchTasks: prefetch history and progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(transparent)]
pub struct DescribePrefetchTasks(pub DescribeTasks);
crate::record::param_record!(DescribePrefetchTasks(DescribeTasks));

/// DescribePurgeTasks: purge history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(transparent)]
pub struct DescribePurgeTasks(pub DescribeTasks);
crate::record::param_record!(DescribePurgeTasks(DescribeTasks));

/// CreatePurgeTask: purge cached content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct CreatePurgeTask {
    /// Zone id (`*` not allowed with `purge_all`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<String>,
    /// `purge_url`, `purge_prefix`, `purge_host`, `purge_all`, `purge_cache_tag`.
    #[serde(rename = "Type")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `invalidate` or `delete` (prefix, host, all).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// URLs, prefixes, hosts or tags.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<String>>,
    /// Deprecated in teo 2022-09-01 like CreatePrefetchTask's: refused by validation, never
    /// sent by edgewarm (targets are percent-encoded client-side).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encode_url: Option<bool>,
    /// Domains for `purge_cache_tag`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_tag: Option<CacheTag>,
}
crate::record::param_record!(CreatePurgeTask {
    zone_id: "ZoneId",
    kind: "Type",
    method: "Method",
    targets: "Targets",
    encode_url: "EncodeUrl",
    cache_tag: "CacheTag"
});

/// DescribeContentQuota: per-call and daily purge / prefetch quotas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct DescribeContentQuota {
    /// The zone (`zone-…`) whose quotas are read.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_id: Option<String>,
}
crate::record::param_record!(DescribeContentQuota { zone_id: "ZoneId" });

/// One failure of a Create call (`FailReason`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct FailReason {
    /// Why, e.g. `domain not valid`.
    pub reason: String,
    /// The targets that failed.
    pub targets: Vec<String>,
}
crate::record::answer_record!(FailReason {
    reason: "Reason",
    targets: "Targets"
});

/// Answer of CreatePrefetchTask and CreatePurgeTask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateTaskOutput {
    /// Job id of the submitted batch.
    pub job_id: String,
    /// Targets refused by the server.
    pub failed_list: Vec<FailReason>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(CreateTaskOutput {
    job_id: "JobId",
    failed_list: "FailedList",
    request_id: "RequestId"
});

/// One task of a Describe answer (`Task`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct Task {
    /// The task (`JobId`) the target was submitted in.
    pub job_id: String,
    /// The URL (or prefix, host, tag).
    pub target: String,
    /// `prefetch_url`, `purge_url`, …
    #[serde(rename = "Type")]
    pub kind: String,
    /// How the purge invalidated: `invalidate` or `delete` (prefix, host and all purges).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// `processing`, `success`, `failed`, `timeout`, `canceled`, `invalid`.
    pub status: String,
    /// ISO 8601 creation time.
    pub create_time: String,
    /// ISO 8601 completion time.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
    /// `taskFailed`, `quotaExceeded`, `downloadManifestFailed`, `accessDenied`, `originPullFailed`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_type: Option<String>,
    /// The vendor's words on why the task failed.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_message: Option<String>,
}
crate::record::answer_record!(Task {
    job_id: "JobId",
    target: "Target",
    kind: "Type",
    method: "Method",
    status: "Status",
    create_time: "CreateTime",
    update_time: "UpdateTime",
    fail_type: "FailType",
    fail_message: "FailMessage"
});

/// Answer of DescribePrefetchTasks and DescribePurgeTasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribeTasksOutput {
    /// Tasks matching the query (all pages).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// The tasks of the page asked for.
    pub tasks: Vec<Task>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(DescribeTasksOutput {
    total_count: "TotalCount",
    tasks: "Tasks",
    request_id: "RequestId"
});

/// A quota (`Quota`, EdgeOne variant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct Quota {
    /// Most targets per call.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch: Option<i64>,
    /// Targets allowed per day for this type.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily: Option<i64>,
    /// What is left today.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub daily_available: Option<i64>,
    /// `prefetch_url`, `purge_url`, `purge_prefix`, `purge_host`, `purge_all`, `purge_cache_tag`.
    #[serde(rename = "Type")]
    pub kind: String,
}
crate::record::answer_record!(Quota {
    batch: "Batch",
    daily: "Daily",
    daily_available: "DailyAvailable",
    kind: "Type"
});

/// Answer of DescribeContentQuota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct ContentQuotaOutput {
    /// Purge quotas per type.
    pub purge_quota: Vec<Quota>,
    /// Prefetch quotas per type (`prefetch_url`).
    pub prefetch_quota: Vec<Quota>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(ContentQuotaOutput {
    purge_quota: "PurgeQuota",
    prefetch_quota: "PrefetchQuota",
    request_id: "RequestId"
});

impl ContentQuotaOutput {
    /// The quota of one type (`prefetch_url`, `purge_url`, `purge_prefix`, `purge_host`,
    /// `purge_all`, `purge_cache_tag`), from whichever list carries it.
    pub fn quota(&self, kind: &str) -> Option<&Quota> {
        self.prefetch_quota
            .iter()
            .chain(&self.purge_quota)
            .find(|q| q.kind == kind)
    }

    /// Applies each type's `Batch` to that type's per-call cap in `limits` (a type the answer
    /// does not carry keeps its default). DescribeContentQuota API page: one `Quota` per type.
    pub fn apply_to(&self, limits: &mut Limits) {
        let batch = |kind: &str| {
            self.quota(kind)
                .and_then(|q| q.batch)
                .and_then(|b| usize::try_from(b).ok())
                .filter(|b| *b > 0)
        };
        let caps: [(&str, &mut usize); 5] = [
            ("prefetch_url", &mut limits.teo_prefetch_batch),
            ("purge_url", &mut limits.teo_purge_url_batch),
            ("purge_prefix", &mut limits.teo_purge_prefix_batch),
            ("purge_host", &mut limits.teo_purge_host_batch),
            ("purge_cache_tag", &mut limits.teo_purge_cache_tag_batch),
        ];
        for (kind, cap) in caps {
            if let Some(b) = batch(kind) {
                *cap = b;
            }
        }
    }
}

/// Whether an endpoint is Tencent's international site (`*.intl.tencentcloudapi.com`).
pub fn is_intl(endpoint: &Endpoint) -> bool {
    endpoint
        .host
        .to_ascii_lowercase()
        .ends_with(".intl.tencentcloudapi.com")
}

/// `Mode` against the site: `edge` exists on the China site only (CreatePrefetchTask API page,
/// China site, documents it; the intl page and the intl SDK model have no `Mode`), so on the
/// intl site only `default` (or nothing) is accepted.
pub fn check_mode(mode: Option<&str>, endpoint: &Endpoint) -> Result<(), ValidationErrors> {
    let mut c = Checks::new();
    if is_intl(endpoint) && mode.is_some_and(|m| m != "default") {
        c.fail(
            "Mode",
            Rule::OneOf,
            format!(
                "Mode is {:?}; the international site ({}) has no edge prefetch (China site only): allowed: default",
                mode.unwrap_or_default(),
                endpoint.host
            ),
        );
    }
    c.finish()
}

/// Refuses the deprecated `EncodeUrl`, and targets that still need percent-encoding (the
/// server no longer encodes them): each is named with the form to send instead.
fn check_encoding(c: &mut Checks, encode_url: Option<bool>, targets: &Option<Vec<String>>) {
    if encode_url.is_some() {
        c.fail(
            "EncodeUrl",
            Rule::Deprecated,
            "EncodeUrl is deprecated in teo 2022-09-01: leave it out and send targets percent-encoded (RFC 3986)",
        );
    }
    for (i, t) in targets.iter().flatten().enumerate() {
        if crate::urls::needs_encoding(t) {
            if let Ok(p) = crate::urls::prepare(t, Service::Teo) {
                c.fail(
                    format!("Targets[{i}]"),
                    Rule::Characters,
                    format!(
                        "EdgeOne targets must be percent-encoded (RFC 3986, UTF-8): send {}",
                        p.send
                    ),
                );
            }
        }
    }
}

const PURGE_TYPES: [&str; 5] = [
    "purge_url",
    "purge_prefix",
    "purge_host",
    "purge_all",
    "purge_cache_tag",
];

fn check_headers(c: &mut Checks, headers: &Option<Vec<Header>>) {
    for (i, h) in headers.iter().flatten().enumerate() {
        c.required(&format!("Headers[{i}].Name"), &h.name);
        if h.value.is_none() {
            c.fail(
                format!("Headers[{i}].Value"),
                Rule::Required,
                "a header needs a Value",
            );
        }
    }
}

fn check_describe(
    d: &DescribeTasks,
    limits: &Limits,
    statuses: &[&str],
) -> Result<(), ValidationErrors> {
    let mut c = Checks::new();
    c.required("ZoneId", &d.zone_id);
    let has_job = d
        .filters
        .iter()
        .flatten()
        .any(|f| f.name.as_deref() == Some("job-id"));
    if d.start_time.is_none() && d.end_time.is_none() && !has_job {
        c.fail(
            "StartTime",
            Rule::Combination,
            "give StartTime and EndTime, or a job-id filter",
        );
    }
    c.window(
        ("StartTime", &d.start_time),
        ("EndTime", &d.end_time),
        parse_rfc3339,
        "ISO 8601 (2022-02-09T02:35:00Z)",
        Some(limits.teo_max_window_secs),
    );
    c.range("Offset", d.offset, 0, i64::MAX);
    c.range("Limit", d.limit, 1, limits.describe_max_limit);
    for (i, f) in d.filters.iter().flatten().enumerate() {
        c.required(&format!("Filters[{i}].Name"), &f.name);
        c.list(
            &format!("Filters[{i}].Values"),
            &f.values,
            limits.teo_filter_values,
        );
        if f.name.as_deref() == Some("statuses") {
            for (j, v) in f.values.iter().flatten().enumerate() {
                c.one_of(
                    &format!("Filters[{i}].Values[{j}]"),
                    &Some(v.clone()),
                    statuses,
                );
            }
        }
    }
    c.finish()
}

impl Call for CreatePrefetchTask {
    const SERVICE: Service = Service::Teo;
    const ACTION: &'static str = "CreatePrefetchTask";
    const METHOD: Method = Method::Post;
    type Output = CreateTaskOutput;

    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        c.required("ZoneId", &self.zone_id);
        c.url_list(
            "Targets",
            &self.targets,
            limits.teo_prefetch_batch,
            Service::Teo,
        );
        c.one_of("Mode", &self.mode, &["default", "edge"]);
        check_encoding(&mut c, self.encode_url, &self.targets);
        c.one_of(
            "PrefetchMediaSegments",
            &self.prefetch_media_segments,
            &["on", "off"],
        );
        check_headers(&mut c, &self.headers);
        c.finish()
    }
}

impl Call for DescribePrefetchTasks {
    const SERVICE: Service = Service::Teo;
    const ACTION: &'static str = "DescribePrefetchTasks";
    const METHOD: Method = Method::Post;
    type Output = DescribeTasksOutput;

    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
        let statuses = [
            "processing",
            "success",
            "failed",
            "timeout",
            "canceled",
            "invalid",
        ];
        check_describe(&self.0, limits, &statuses)
    }
}

impl Call for DescribePurgeTasks {
    const SERVICE: Service = Service::Teo;
    const ACTION: &'static str = "DescribePurgeTasks";
    const METHOD: Method = Method::Post;
    type Output = DescribeTasksOutput;

    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
        check_describe(
            &self.0,
            limits,
            &["processing", "success", "failed", "timeout", "canceled"],
        )
    }
}

impl Call for CreatePurgeTask {
    const SERVICE: Service = Service::Teo;
    const ACTION: &'static str = "CreatePurgeTask";
    const METHOD: Method = Method::Post;
    type Output = CreateTaskOutput;

    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        c.required("ZoneId", &self.zone_id);
        if c.required("Type", &self.kind) {
            c.one_of("Type", &self.kind, &PURGE_TYPES);
        }
        c.one_of("Method", &self.method, &["invalidate", "delete"]);
        match self.kind.as_deref() {
            Some("purge_all") if self.zone_id.as_deref() == Some("*") => {
                c.fail(
                    "ZoneId",
                    Rule::Combination,
                    "purge_all needs a real ZoneId, not *",
                );
            }
            Some(kind @ ("purge_url" | "purge_prefix")) => {
                let cap = if kind == "purge_url" {
                    limits.teo_purge_url_batch
                } else {
                    limits.teo_purge_prefix_batch
                };
                c.url_list("Targets", &self.targets, cap, Service::Teo);
            }
            Some("purge_host") => {
                c.list("Targets", &self.targets, limits.teo_purge_host_batch);
                for (i, h) in self.targets.iter().flatten().enumerate() {
                    if h.contains('*') || h.contains('/') || h.trim().is_empty() {
                        c.fail(
                            format!("Targets[{i}]"),
                            Rule::UrlHost,
                            "purge_host takes plain host names (no *.example.com, no scheme)",
                        );
                    }
                }
            }
            Some("purge_cache_tag") => {
                c.list("Targets", &self.targets, limits.teo_purge_cache_tag_batch);
                let domains = self.cache_tag.as_ref().and_then(|t| t.domains.clone());
                c.list("CacheTag.Domains", &domains, usize::MAX);
            }
            _ => {}
        }
        let url_targets = matches!(self.kind.as_deref(), Some("purge_url" | "purge_prefix"));
        check_encoding(
            &mut c,
            self.encode_url,
            if url_targets { &self.targets } else { &None },
        );
        c.finish()
    }
}

impl Call for DescribeContentQuota {
    const SERVICE: Service = Service::Teo;
    const ACTION: &'static str = "DescribeContentQuota";
    const METHOD: Method = Method::Post;
    type Output = ContentQuotaOutput;

    fn validate(&self, _limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        c.required("ZoneId", &self.zone_id);
        c.finish()
    }
}
