//! Alibaba Cloud ESA (`esa` 2024-09-10) purge tracking: DescribePurgeTasks (the history and
//! progress of PurgeCaches tasks) and GetPurgeQuota (daily and 30-day purge quota per type).
//! Kept apart from PurgeCaches so that purge jobs can track and plan purges with the same typed
//! calls as every other operation. Method and parameter places follow the generated SDK: both
//! put every parameter in the query; DescribePurgeTasks is a GET, GetPurgeQuota a POST.

use super::super::{Call, Service};
use crate::error::{Rule, ValidationErrors};
use crate::limits::Limits;
use crate::request::Method;
use crate::times::parse_rfc3339;
use crate::validate::Checks;
use serde::{Deserialize, Serialize};

/// The purge types of DescribePurgeTasks and GetPurgeQuota (SDK models
/// `DescribePurgeTasksRequest.type`, `GetPurgeQuotaRequest.type`: file (default), cachetag,
/// directory, ignoreParams, hostname, purgeall).
pub const PURGE_TYPES: [&str; 6] = [
    "file",
    "cachetag",
    "directory",
    "ignoreParams",
    "hostname",
    "purgeall",
];

/// DescribePurgeTasks (ESA): purge task history (GET, all in the query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct EsaDescribePurgeTasks {
    /// Site id; required (SDK model: "You must always specify SiteId").
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub site_id: Option<i64>,
    /// One of [`PURGE_TYPES`].
    #[serde(rename = "Type")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub kind: Option<String>,
    /// `Complete`, `Refreshing`, `Failed`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub status: Option<String>,
    /// The purged object, exact match.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub content: Option<String>,
    /// Start of the time range, `yyyy-MM-ddTHH:mm:ssZ` in UTC.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub start_time: Option<String>,
    /// Later than StartTime ("The end time must be later than the start time").
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub end_time: Option<String>,
    /// 1–100000 (SDK model: "Valid values: 1 to 100000").
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub page_number: Option<i64>,
    /// 1–50, default 20 (SDK model: "Maximum value: 50").
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub page_size: Option<i64>,
}
crate::record::param_record!(EsaDescribePurgeTasks {
    site_id: "SiteId",
    kind: "Type",
    status: "Status",
    content: "Content",
    start_time: "StartTime",
    end_time: "EndTime",
    page_number: "PageNumber",
    page_size: "PageSize"
});

/// GetPurgeQuota: the purge quota of one type on a site (POST, all in the query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct GetPurgeQuota {
    /// Site id; required (SDK model `GetPurgeQuotaRequest`: "This parameter is required").
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub site_id: Option<i64>,
    /// One of [`PURGE_TYPES`]; `file` when absent (GetPurgeQuota API page: "file (default)";
    /// the SDK model calls it required, edgewarm always sends it from its jobs).
    #[serde(rename = "Type")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub kind: Option<String>,
}
crate::record::param_record!(GetPurgeQuota {
    site_id: "SiteId",
    kind: "Type"
});

/// One task of ESA DescribePurgeTasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct EsaPurgeTask {
    /// The purged object (URL, directory, tag, host…).
    pub content: String,
    /// ISO 8601 (`2024-01-01T00:00:00Z`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub create_time: Option<String>,
    /// ESA's words on why the purge failed.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub description: Option<String>,
    /// Progress, e.g. `100%`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub process: Option<String>,
    /// `Complete`, `Refreshing`, `Failed`.
    pub status: String,
    /// The PurgeCaches task the object was submitted in.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub task_id: Option<String>,
    /// One of [`PURGE_TYPES`].
    #[serde(rename = "Type")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub kind: Option<String>,
}
crate::record::answer_record!(nulls EsaPurgeTask {
    content: "Content",
    create_time: "CreateTime",
    description: "Description",
    process: "Process",
    status: "Status",
    task_id: "TaskId",
    kind: "Type"
});

/// Answer of ESA DescribePurgeTasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct EsaDescribePurgeTasksOutput {
    /// The page returned, from 1.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub page_number: Option<i64>,
    /// Tasks per page.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub page_size: Option<i64>,
    /// Tasks matching the filters over all pages.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub total_count: Option<i64>,
    /// The tasks of this page.
    pub tasks: Vec<EsaPurgeTask>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(nulls EsaDescribePurgeTasksOutput {
    page_number: "PageNumber",
    page_size: "PageSize",
    total_count: "TotalCount",
    tasks: "Tasks",
    request_id: "RequestId"
});

/// Answer of GetPurgeQuota. The vendor sends every figure as a string (`"100000"`); they are
/// read as numbers (text or number accepted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct GetPurgeQuotaOutput {
    /// Daily quota of the type.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub quota: Option<i64>,
    /// How much of the daily quota was used today.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub usage: Option<i64>,
    /// 30-day quota; 0 when none is configured (GetPurgeQuota API page).
    #[serde(rename = "Quota30Day")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub quota_30_day: Option<i64>,
    /// Used within 30 days.
    #[serde(rename = "Usage30Day")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub usage_30_day: Option<i64>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(nulls GetPurgeQuotaOutput {
    quota: "Quota",
    usage: "Usage",
    quota_30_day: "Quota30Day",
    usage_30_day: "Usage30Day",
    request_id: "RequestId"
});

impl GetPurgeQuotaOutput {
    /// What is left today, and within 30 days when a 30-day quota is configured: the smaller.
    pub fn available(&self) -> Option<i64> {
        let day = self.quota.map(|q| (q - self.usage.unwrap_or(0)).max(0));
        let month = self
            .quota_30_day
            .filter(|q| *q > 0)
            .map(|q| (q - self.usage_30_day.unwrap_or(0)).max(0));
        match (day, month) {
            (Some(d), Some(m)) => Some(d.min(m)),
            (d, m) => d.or(m),
        }
    }
}

fn check_site(c: &mut Checks, site: Option<i64>) {
    match site {
        None => c.fail("SiteId", Rule::Required, "SiteId is required"),
        Some(s) if s <= 0 => c.fail("SiteId", Rule::Range, "SiteId must be a positive number"),
        Some(_) => {}
    }
}

impl Call for EsaDescribePurgeTasks {
    const SERVICE: Service = Service::Esa;
    const ACTION: &'static str = "DescribePurgeTasks";
    const METHOD: Method = Method::Get;
    type Output = EsaDescribePurgeTasksOutput;

    /// SiteId required; Type and Status from their lists; times ISO 8601 with EndTime not before
    /// StartTime (no look-back is documented for purge tasks: none checked, assumed);
    /// PageNumber 1–100000 and PageSize 1–50 (SDK model `DescribePurgeTasksRequest`).
    fn validate(&self, _limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        check_site(&mut c, self.site_id);
        c.one_of("Type", &self.kind, &PURGE_TYPES);
        c.one_of(
            "Status",
            &self.status,
            &["Complete", "Refreshing", "Failed"],
        );
        c.window(
            ("StartTime", &self.start_time),
            ("EndTime", &self.end_time),
            parse_rfc3339,
            "yyyy-MM-ddTHH:mm:ssZ",
            None,
        );
        c.range("PageNumber", self.page_number, 1, 100_000);
        c.range("PageSize", self.page_size, 1, 50);
        c.finish()
    }
}

impl Call for GetPurgeQuota {
    const SERVICE: Service = Service::Esa;
    const ACTION: &'static str = "GetPurgeQuota";
    const METHOD: Method = Method::Post;
    type Output = GetPurgeQuotaOutput;

    fn validate(&self, _limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        check_site(&mut c, self.site_id);
        c.one_of("Type", &self.kind, &PURGE_TYPES);
        c.finish()
    }
}
