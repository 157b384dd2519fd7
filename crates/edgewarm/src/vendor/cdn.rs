//! Tencent Cloud CDN (`cdn` 2018-06-06): PushUrlsCache, DescribePushTasks, DescribePushQuota and
//! the purge family PurgeUrlsCache, PurgePathCache, DescribePurgeTasks, DescribePurgeQuota.
//! Field names and order are the vendor's (the cdn 2018-06-06 API pages and the tencentcloud-cli /
//! tencentcloud-sdk-go models).

use super::{Call, Service};
use crate::error::{Rule, ValidationErrors};
use crate::limits::Limits;
use crate::request::Method;
use crate::times::parse_beijing;
use crate::validate::Checks;
use serde::{Deserialize, Serialize};

/// A custom prefetch header (`HTTPHeader`, the same fields as EdgeOne's `Header`): ≤ 20 per
/// call, Name ≤ 128 bytes, Value ≤ 1024 bytes (PushUrlsCache API page).
pub use crate::headers::Header;

/// PushUrlsCache: warm URLs on Tencent CDN (≤ 500 per call, 1000 per day per area by default).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct PushUrlsCache {
    /// URLs with `http://` or `https://`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
    /// User-Agent of the origin pulls (default `TencentCdn`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    /// `mainland` (default), `overseas` or `global`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// `middle` or empty: the only values the PushUrlsCache API page documents ("If this
    /// parameter is middle or left empty, prefetch will be performed onto the intermediate
    /// node"); anything else is refused by validation.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layer: Option<String>,
    /// Also warm the TS segments of M3U8 playlists (≤ 3 levels deep).
    #[serde(rename = "ParseM3U8")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parse_m3u8: Option<bool>,
    /// Disable Range origin pulls (grey release).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disable_range: Option<bool>,
    /// Headers the origin pulls of the prefetch carry.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<Header>>,
    /// Let the server encode non-ASCII URLs (PushUrlsCache API page: "Whether to encode the
    /// URL"; not deprecated, unlike EdgeOne's `EncodeUrl`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_encode: Option<bool>,
}
crate::record::param_record!(PushUrlsCache {
    urls: "Urls",
    user_agent: "UserAgent",
    area: "Area",
    layer: "Layer",
    parse_m3u8: "ParseM3U8",
    disable_range: "DisableRange",
    headers: "Headers",
    url_encode: "UrlEncode"
});

/// DescribePushTasks: prefetch history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct DescribePushTasks {
    /// Start of the time range, `YYYY-MM-DD hh:mm:ss` in Beijing time (UTC+8).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End of the time range, `YYYY-MM-DD hh:mm:ss` in Beijing time (UTC+8).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// A task id (TaskId or StartTime is required).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// A domain or a full `http(s)://` URL.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// How many matching entries to skip (paging with `Limit`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    /// Page size. DescribePushTasks API page: "默认为 20", no maximum documented, so validation
    /// only asks for a positive number and the engine pages with 100 and `Offset`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// `mainland`, `overseas`, `global`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// `fail`, `done`, `process`, `invalid`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
}
crate::record::param_record!(DescribePushTasks {
    start_time: "StartTime",
    end_time: "EndTime",
    task_id: "TaskId",
    keyword: "Keyword",
    offset: "Offset",
    limit: "Limit",
    area: "Area",
    status: "Status"
});

/// DescribePushQuota: prefetch quotas per area (no parameters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct DescribePushQuota {}
crate::record::param_record!(DescribePushQuota {});

/// Answer of PushUrlsCache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct PushUrlsCacheOutput {
    /// Task id of the batch.
    pub task_id: String,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(PushUrlsCacheOutput {
    task_id: "TaskId",
    request_id: "RequestId"
});

/// One URL of a push task (`PushTask`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct PushTask {
    /// The task the URL was submitted in.
    pub task_id: String,
    /// The URL as the vendor stored it.
    pub url: String,
    /// `fail`, `done`, `process`, `invalid` (the docs also show `Done`).
    pub status: String,
    /// Progress in percent.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<i64>,
    /// When the task was created, `YYYY-MM-DD hh:mm:ss` in Beijing time (UTC+8).
    pub create_time: String,
    /// The area the prefetch covers: `mainland`, `overseas` or `global`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// When the status last changed, `YYYY-MM-DD hh:mm:ss` in Beijing time (UTC+8).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time: Option<String>,
}
crate::record::answer_record!(PushTask {
    task_id: "TaskId",
    url: "Url",
    status: "Status",
    percent: "Percent",
    create_time: "CreateTime",
    area: "Area",
    update_time: "UpdateTime"
});

/// Answer of DescribePushTasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribePushTasksOutput {
    /// The entries of the page asked for.
    pub push_logs: Vec<PushTask>,
    /// How many entries match the filters over all pages.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(DescribePushTasksOutput {
    push_logs: "PushLogs",
    total_count: "TotalCount",
    request_id: "RequestId"
});

/// A quota (`Quota`, CDN variant: Total / Available / Area).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct PushQuota {
    /// Most URLs per call.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch: Option<i64>,
    /// URLs allowed per day in this area.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// URLs left today in this area.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available: Option<i64>,
    /// `mainland` or `overseas`.
    pub area: String,
}
crate::record::answer_record!(PushQuota {
    batch: "Batch",
    total: "Total",
    available: "Available",
    area: "Area"
});

/// Answer of DescribePushQuota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribePushQuotaOutput {
    /// Quotas per area.
    pub url_push: Vec<PushQuota>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(DescribePushQuotaOutput {
    url_push: "UrlPush",
    request_id: "RequestId"
});

const AREAS: [&str; 3] = ["mainland", "overseas", "global"];

impl Call for PushUrlsCache {
    const SERVICE: Service = Service::Cdn;
    const ACTION: &'static str = "PushUrlsCache";
    const METHOD: Method = Method::Post;
    type Output = PushUrlsCacheOutput;

    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        c.url_list("Urls", &self.urls, limits.cdn_push_batch, Service::Cdn);
        c.one_of("Area", &self.area, &AREAS);
        c.one_of("Layer", &self.layer, &["middle", ""]);
        if let Some(headers) = &self.headers {
            if headers.len() > limits.cdn_max_headers {
                c.fail(
                    "Headers",
                    Rule::MaxItems,
                    format!(
                        "{} headers; at most {}",
                        headers.len(),
                        limits.cdn_max_headers
                    ),
                );
            }
            for (i, h) in headers.iter().enumerate() {
                let name_field = format!("Headers[{i}].Name");
                if c.required(&name_field, &h.name) {
                    c.max_bytes(
                        &name_field,
                        h.name.as_deref().unwrap_or(""),
                        limits.cdn_header_name_bytes,
                    );
                }
                match &h.value {
                    Some(v) => c.max_bytes(
                        &format!("Headers[{i}].Value"),
                        v,
                        limits.cdn_header_value_bytes,
                    ),
                    None => c.fail(
                        format!("Headers[{i}].Value"),
                        Rule::Required,
                        "a header needs a Value",
                    ),
                }
            }
        }
        c.finish()
    }
}

impl Call for DescribePushTasks {
    const SERVICE: Service = Service::Cdn;
    const ACTION: &'static str = "DescribePushTasks";
    const METHOD: Method = Method::Post;
    type Output = DescribePushTasksOutput;

    fn validate(&self, _limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        if self.task_id.is_none() && self.start_time.is_none() {
            c.fail("StartTime", Rule::Combination, "give TaskId or StartTime");
        }
        c.window(
            ("StartTime", &self.start_time),
            ("EndTime", &self.end_time),
            parse_beijing,
            "YYYY-MM-DD hh:mm:ss",
            None,
        );
        c.range("Offset", self.offset, 0, i64::MAX);
        c.range("Limit", self.limit, 1, i64::MAX);
        c.one_of("Area", &self.area, &AREAS);
        c.one_of(
            "Status",
            &self.status,
            &["fail", "done", "process", "invalid"],
        );
        c.finish()
    }
}

impl Call for DescribePushQuota {
    const SERVICE: Service = Service::Cdn;
    const ACTION: &'static str = "DescribePushQuota";
    const METHOD: Method = Method::Post;
    type Output = DescribePushQuotaOutput;

    fn validate(&self, _limits: &Limits) -> Result<(), ValidationErrors> {
        Ok(())
    }
}

/// Purge areas: PurgeUrlsCache / PurgePathCache API pages document `mainland` and `overseas`
/// only ("指定刷新区域时，需要与域名加速区域匹配"; no `global`).
const PURGE_AREAS: [&str; 2] = ["mainland", "overseas"];

/// PurgeUrlsCache: purge URLs on Tencent CDN. Per call at most [`Limits::cdn_purge_url_batch`]
/// (1 000) URLs; per area and day 10 000 by default (PurgeUrlsCache API page: "默认情况下境内、
/// 境外加速区域每日 URL 刷新额度各为 10000 条，每次最多可提交 1000 条"); the account's real
/// figures are DescribePurgeQuota's `UrlPurge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct PurgeUrlsCache {
    /// URLs with `http://` or `https://`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub urls: Option<Vec<String>>,
    /// `mainland` or `overseas` (default: the domain's own acceleration area).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// Let the server encode non-ASCII characters before purging ("是否对中文字符进行编码后刷新").
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_encode: Option<bool>,
}
crate::record::param_record!(PurgeUrlsCache {
    urls: "Urls",
    area: "Area",
    url_encode: "UrlEncode"
});

/// PurgePathCache: purge directories on Tencent CDN. Per call at most
/// [`Limits::cdn_purge_path_batch`] (500) paths; per area and day 100 by default
/// (PurgePathCache API page: "默认情况下境内、境外加速区域每日目录刷新额度为各 100 条，每次最多可提交
/// 500 条"); the account's real figures are DescribePurgeQuota's `PathPurge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct PurgePathCache {
    /// Directories with `http://` or `https://` (e.g. `https://www.example.com/static/`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paths: Option<Vec<String>>,
    /// Required: `flush` (purge what changed) or `delete` (purge everything under the paths).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flush_type: Option<String>,
    /// Let the server encode non-ASCII characters before purging.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url_encode: Option<bool>,
    /// `mainland` or `overseas` (default: the domain's own acceleration area).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
}
crate::record::param_record!(PurgePathCache {
    paths: "Paths",
    flush_type: "FlushType",
    url_encode: "UrlEncode",
    area: "Area"
});

/// DescribePurgeTasks (CDN): URL and path purge history and progress (model field order of the
/// SDK's `DescribePurgeTasksRequest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct CdnDescribePurgeTasks {
    /// `url` or `path`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purge_type: Option<String>,
    /// Start of the time range, `YYYY-MM-DD hh:mm:ss` in Beijing time (UTC+8).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End of the time range, `YYYY-MM-DD hh:mm:ss` in Beijing time (UTC+8).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// A task id (TaskId or StartTime is required: "任务 ID 与起始时间必须填充一项").
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    /// Paging offset (default 0).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<i64>,
    /// Page size (default 20). The DescribePurgeTasks model documents no maximum: only a
    /// positive number is checked (assumed, as for DescribePushTasks).
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    /// A domain or a full `http(s)://` URL.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// `fail`, `done`, `process`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `mainland`, `overseas`, `global`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
}
crate::record::param_record!(CdnDescribePurgeTasks {
    purge_type: "PurgeType",
    start_time: "StartTime",
    end_time: "EndTime",
    task_id: "TaskId",
    offset: "Offset",
    limit: "Limit",
    keyword: "Keyword",
    status: "Status",
    area: "Area"
});

/// DescribePurgeQuota: purge quotas per area (no parameters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct DescribePurgeQuota {}
crate::record::param_record!(DescribePurgeQuota {});

/// Answer of PurgeUrlsCache and PurgePathCache: one task id for the batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct PurgeCacheOutput {
    /// Task id shared by the URLs / paths of the batch.
    pub task_id: String,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(PurgeCacheOutput {
    task_id: "TaskId",
    request_id: "RequestId"
});

/// One purged URL or path (`CdnPurgeTask`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct CdnPurgeTask {
    /// The task the URL or path was submitted in.
    pub task_id: String,
    /// The URL or path.
    pub url: String,
    /// `fail`, `done`, `process`.
    pub status: String,
    /// `url` or `path`.
    pub purge_type: String,
    /// `flush` (path purges only) or `delete`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flush_type: Option<String>,
    /// When the purge was submitted, `YYYY-MM-DD hh:mm:ss` in Beijing time (UTC+8).
    pub create_time: String,
}
crate::record::answer_record!(CdnPurgeTask {
    task_id: "TaskId",
    url: "Url",
    status: "Status",
    purge_type: "PurgeType",
    flush_type: "FlushType",
    create_time: "CreateTime"
});

/// Answer of DescribePurgeTasks (CDN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct CdnDescribePurgeTasksOutput {
    /// The entries of the page asked for.
    pub purge_logs: Vec<CdnPurgeTask>,
    /// How many entries match the filters over all pages.
    #[cfg_attr(feature = "ts", tsify(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(CdnDescribePurgeTasksOutput {
    purge_logs: "PurgeLogs",
    total_count: "TotalCount",
    request_id: "RequestId"
});

/// Answer of DescribePurgeQuota: the CDN `Quota` (Batch / Total / Available / Area) per area,
/// for URL and for path purges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribePurgeQuotaOutput {
    /// URL purge quotas per area.
    pub url_purge: Vec<PushQuota>,
    /// Path purge quotas per area.
    pub path_purge: Vec<PushQuota>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(DescribePurgeQuotaOutput {
    url_purge: "UrlPurge",
    path_purge: "PathPurge",
    request_id: "RequestId"
});

impl Call for PurgeUrlsCache {
    const SERVICE: Service = Service::Cdn;
    const ACTION: &'static str = "PurgeUrlsCache";
    const METHOD: Method = Method::Post;
    type Output = PurgeCacheOutput;

    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        c.url_list("Urls", &self.urls, limits.cdn_purge_url_batch, Service::Cdn);
        c.one_of("Area", &self.area, &PURGE_AREAS);
        c.finish()
    }
}

impl Call for PurgePathCache {
    const SERVICE: Service = Service::Cdn;
    const ACTION: &'static str = "PurgePathCache";
    const METHOD: Method = Method::Post;
    type Output = PurgeCacheOutput;

    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        c.url_list(
            "Paths",
            &self.paths,
            limits.cdn_purge_path_batch,
            Service::Cdn,
        );
        if c.required("FlushType", &self.flush_type) {
            c.one_of("FlushType", &self.flush_type, &["flush", "delete"]);
        }
        c.one_of("Area", &self.area, &PURGE_AREAS);
        c.finish()
    }
}

impl Call for CdnDescribePurgeTasks {
    const SERVICE: Service = Service::Cdn;
    const ACTION: &'static str = "DescribePurgeTasks";
    const METHOD: Method = Method::Post;
    type Output = CdnDescribePurgeTasksOutput;

    fn validate(&self, _limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        if self.task_id.is_none() && self.start_time.is_none() {
            c.fail("StartTime", Rule::Combination, "give TaskId or StartTime");
        }
        c.one_of("PurgeType", &self.purge_type, &["url", "path"]);
        c.window(
            ("StartTime", &self.start_time),
            ("EndTime", &self.end_time),
            parse_beijing,
            "YYYY-MM-DD hh:mm:ss",
            None,
        );
        c.range("Offset", self.offset, 0, i64::MAX);
        c.range("Limit", self.limit, 1, i64::MAX);
        c.one_of("Status", &self.status, &["fail", "done", "process"]);
        c.one_of("Area", &self.area, &AREAS);
        c.finish()
    }
}

impl Call for DescribePurgeQuota {
    const SERVICE: Service = Service::Cdn;
    const ACTION: &'static str = "DescribePurgeQuota";
    const METHOD: Method = Method::Post;
    type Output = DescribePurgeQuotaOutput;

    fn validate(&self, _limits: &Limits) -> Result<(), ValidationErrors> {
        Ok(())
    }
}
