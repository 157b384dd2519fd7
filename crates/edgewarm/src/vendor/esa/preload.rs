//! ESA's immediate preload: PreloadCaches (warm URLs now) and DescribePreloadTasks (the
//! history the job engine tracks them through).

use super::super::{Call, Service};
use super::{check_domains, check_site, TaskIdOutput};
use crate::error::{Rule, ValidationErrors};
use crate::limits::Limits;
use crate::request::Method;
use crate::times::parse_rfc3339;
use crate::validate::Checks;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// PreloadCaches: warm URLs now (all in the query of a POST without body). URLs per call: none
/// documented, 100 assumed ([`Limits::esa_preload_batch`]); at most 500 domains per request
/// (`DomainNameOverLimit`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct PreloadCaches {
    /// The ESA site (`SiteId`) the URLs belong to.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub site_id: Option<i64>,
    /// URLs (encoded by the caller: ESA does not encode).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub content: Option<Vec<String>>,
    /// Headers of the prefetch requests (default `Accept-Encoding: gzip`), in order.
    #[cfg_attr(feature = "ts", tsify(optional, type = "Record<string, string>"))]
    pub headers: Option<IndexMap<String, String>>,
}
crate::record::param_record!(PreloadCaches {
    site_id: "SiteId",
    content: "Content",
    headers: "Headers"
});

/// DescribePreloadTasks: immediate prefetch history (query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct DescribePreloadTasks {
    /// The ESA site (`SiteId`) the URLs belong to.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub site_id: Option<i64>,
    /// Only the tasks of this URL (matched exactly).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub content: Option<String>,
    /// `yyyy-MM-ddTHH:mm:ssZ`, UTC; given together with EndTime (`MissingTimeParameter`
    /// otherwise) and no further back than 3 days (`InvalidTime`) — DescribePreloadTasks API
    /// page. Check the look-back with [`DescribePreloadTasks::validate_at`].
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub start_time: Option<String>,
    /// Later than StartTime; given together with StartTime.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub end_time: Option<String>,
    /// The page to return, from 1 (at most 100000).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub page_number: Option<i64>,
    /// 1–50 (default 20).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub page_size: Option<i64>,
    /// `Complete`, `Refreshing`, `Failed`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub status: Option<String>,
}
crate::record::param_record!(DescribePreloadTasks {
    site_id: "SiteId",
    content: "Content",
    start_time: "StartTime",
    end_time: "EndTime",
    page_number: "PageNumber",
    page_size: "PageSize",
    status: "Status"
});

/// One task of DescribePreloadTasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct PreloadTask {
    /// The URL the task warms.
    pub content: String,
    /// `2023-03-28 14:28:57` (no zone given: DescribePreloadTasks model) or ISO 8601 with `Z`
    /// (`2023-03-28T06:28:57Z`, as its sibling DescribePurgeTasks answers). Read it with
    /// [`parse_task_time`](super::parse_task_time).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub create_time: Option<String>,
    /// Failure reason (`Origin Timeout`, …).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub description: Option<String>,
    /// Progress as a percentage string (`100%` when complete).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub process: Option<String>,
    /// `Complete`, `Refreshing`, `Failed`.
    pub status: String,
    /// The PreloadCaches task the URL was submitted in.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub task_id: Option<String>,
}
crate::record::answer_record!(nulls PreloadTask {
    content: "Content",
    create_time: "CreateTime",
    description: "Description",
    process: "Process",
    status: "Status",
    task_id: "TaskId"
});

/// Answer of DescribePreloadTasks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct DescribePreloadTasksOutput {
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
    pub tasks: Vec<PreloadTask>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(nulls DescribePreloadTasksOutput {
    page_number: "PageNumber",
    page_size: "PageSize",
    total_count: "TotalCount",
    tasks: "Tasks",
    request_id: "RequestId"
});

impl Call for PreloadCaches {
    const SERVICE: Service = Service::Esa;
    const ACTION: &'static str = "PreloadCaches";
    const METHOD: Method = Method::Post;
    type Output = TaskIdOutput;

    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        check_site(&mut c, self.site_id);
        if c.list("Content", &self.content, limits.esa_preload_batch) {
            c.urls(
                "Content",
                self.content.as_deref().unwrap_or_default(),
                Service::Esa,
            );
            for (i, u) in self.content.iter().flatten().enumerate() {
                if u.bytes().any(|b| !b.is_ascii_graphic()) {
                    c.fail(
                        format!("Content[{i}]"),
                        Rule::Characters,
                        "ESA needs URLs percent-encoded (use urls::prepare(..).send)",
                    );
                }
            }
            check_domains(
                &mut c,
                "Content",
                self.content.as_deref().unwrap_or_default(),
                limits.esa_preload_domains,
                "one PreloadCaches call may span (DomainNameOverLimit)",
            );
        }
        for (name, _) in self.headers.iter().flatten() {
            if name.trim().is_empty() || name.bytes().any(|b| !b.is_ascii_graphic() || b == b':') {
                c.fail(
                    format!("Headers.{name}"),
                    Rule::Characters,
                    "not a valid HTTP header name",
                );
            }
        }
        c.finish()
    }
}

impl Call for DescribePreloadTasks {
    const SERVICE: Service = Service::Esa;
    const ACTION: &'static str = "DescribePreloadTasks";
    const METHOD: Method = Method::Get;
    type Output = DescribePreloadTasksOutput;

    /// The rules that need no clock: StartTime and EndTime together (`MissingTimeParameter`),
    /// ISO 8601, EndTime later, and a window no longer than the look-back (it cannot be longer
    /// and still start within it); PageNumber 1–100000, PageSize 1–50 (DescribePreloadTasks API
    /// page). The look-back from now is [`DescribePreloadTasks::validate_at`].
    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        check_site(&mut c, self.site_id);
        self.check_times(&mut c, limits, None);
        c.range("PageNumber", self.page_number, 1, 100_000);
        c.range("PageSize", self.page_size, 1, limits.esa_max_page_size);
        c.one_of(
            "Status",
            &self.status,
            &["Complete", "Refreshing", "Failed"],
        );
        c.finish()
    }
}

impl DescribePreloadTasks {
    fn check_times(&self, c: &mut Checks, limits: &Limits, now_ms: Option<i64>) {
        match (&self.start_time, &self.end_time) {
            (Some(_), None) => c.fail(
                "EndTime",
                Rule::Combination,
                "StartTime and EndTime go together (MissingTimeParameter): EndTime is missing",
            ),
            (None, Some(_)) => c.fail(
                "StartTime",
                Rule::Combination,
                "StartTime and EndTime go together (MissingTimeParameter): StartTime is missing",
            ),
            _ => {}
        }
        let back = limits.esa_preload_lookback_secs;
        c.window(
            ("StartTime", &self.start_time),
            ("EndTime", &self.end_time),
            parse_rfc3339,
            "yyyy-MM-ddTHH:mm:ssZ",
            Some(back),
        );
        let start = self.start_time.as_deref().and_then(parse_rfc3339);
        if let (Some(start), Some(now)) = (start, now_ms) {
            let earliest = now.div_euclid(1000) - back;
            if start < earliest {
                c.fail(
                    "StartTime",
                    Rule::TimeWindow,
                    format!(
                        "StartTime is {} s before now; DescribePreloadTasks looks back at most {back} s ({} days) (InvalidTime)",
                        now.div_euclid(1000) - start,
                        back / 86_400
                    ),
                );
            }
        }
    }

    /// [`Call::validate`] plus the look-back rule at `now_ms` (the caller's clock): StartTime
    /// no earlier than `esa_preload_lookback_secs` (3 days) before now, which ESA refuses with
    /// `InvalidTime` (DescribePreloadTasks API page).
    pub fn validate_at(&self, limits: &Limits, now_ms: i64) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        check_site(&mut c, self.site_id);
        self.check_times(&mut c, limits, Some(now_ms));
        c.range("PageNumber", self.page_number, 1, 100_000);
        c.range("PageSize", self.page_size, 1, limits.esa_max_page_size);
        c.one_of(
            "Status",
            &self.status,
            &["Complete", "Refreshing", "Failed"],
        );
        c.finish()
    }
}
