//! ESA's scheduled preload family (CreateScheduledPreloadJob … DeleteScheduledPreloadExecution):
//! a job holding a URL list and time-sliced plans (executions) that warm it slice by slice.

use super::super::{Call, Service};
use super::check_site;
use crate::error::{Rule, ValidationErrors};
use crate::limits::Limits;
use crate::request::Method;
use crate::times::parse_rfc3339;
use crate::validate::Checks;
use serde::{Deserialize, Serialize};

/// CreateScheduledPreloadJob: a job holding the URL list (all parameters in the form body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct CreateScheduledPreloadJob {
    /// `textBox` (URLs in `UrlList`) or `oss` (URLs in the file at `OssUrl`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub insert_way: Option<String>,
    /// A name for people to recognise the job by in the ESA console.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub name: Option<String>,
    /// OSS object with the URL list (`oss`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub oss_url: Option<String>,
    /// The ESA site (`SiteId`) whose domains the URLs belong to.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub site_id: Option<i64>,
    /// URLs separated by `\n` (`textBox`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub url_list: Option<String>,
}
crate::record::param_record!(CreateScheduledPreloadJob {
    insert_way: "InsertWay",
    name: "Name",
    oss_url: "OssUrl",
    site_id: "SiteId",
    url_list: "UrlList"
});

/// A request with only a job or plan `Id` (in the query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct IdParams {
    /// Job id or plan id.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub id: Option<String>,
}
crate::record::param_record!(IdParams { id: "Id" });

macro_rules! id_operation {
    ($(#[$doc:meta])* $name:ident, $method:expr, $output:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
        #[cfg_attr(feature = "ts", derive(tsify::Tsify))]
        #[serde(transparent)]
        pub struct $name(pub IdParams);
        crate::record::param_record!($name(IdParams));

        impl $name {
            /// The operation for `id`.
            pub fn new(id: impl Into<String>) -> Self {
                $name(IdParams { id: Some(id.into()) })
            }
        }

        impl Call for $name {
            const SERVICE: Service = Service::Esa;
            const ACTION: &'static str = stringify!($name);
            const METHOD: Method = $method;
            type Output = $output;

            fn validate(&self, _limits: &Limits) -> Result<(), ValidationErrors> {
                let mut c = Checks::new();
                c.required("Id", &self.0.id);
                c.finish()
            }
        }
    };
}

id_operation!(
    /// ResetScheduledPreloadJob: restart a job's progress from the beginning.
    ResetScheduledPreloadJob, Method::Post, ScheduledJobOutput
);
id_operation!(
    /// GetScheduledPreloadJob: one job.
    GetScheduledPreloadJob, Method::Get, ScheduledJobOutput
);
id_operation!(
    /// DeleteScheduledPreloadJob: delete a job and its plans.
    DeleteScheduledPreloadJob, Method::Post, RequestIdOutput
);
id_operation!(
    /// ListScheduledPreloadExecutions: the plans of a job (`Id` = job id).
    ListScheduledPreloadExecutions, Method::Get, ListExecutionsOutput
);
id_operation!(
    /// StartScheduledPreloadExecution: start a plan (`Id` = plan id). Answers the plan
    /// (StartScheduledPreloadExecutionResponseBody: AliUid, EndTime, Id, Interval, JobId,
    /// SliceLen, StartTime, Status).
    StartScheduledPreloadExecution, Method::Post, ExecutionOutput
);
id_operation!(
    /// StopScheduledPreloadExecution: pause a plan. Answers the plan
    /// (StopScheduledPreloadExecutionResponseBody, same fields as Start).
    StopScheduledPreloadExecution, Method::Post, ExecutionOutput
);
id_operation!(
    /// DeleteScheduledPreloadExecution: delete a plan.
    DeleteScheduledPreloadExecution, Method::Post, RequestIdOutput
);

/// ListScheduledPreloadJobs: jobs of a site (query).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct ListScheduledPreloadJobs {
    /// Site id (required).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub site_id: Option<i64>,
    /// Created after, milliseconds since the epoch.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub start_time: Option<i64>,
    /// Created before, milliseconds since the epoch.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub end_time: Option<i64>,
    /// Page, from 1 (a positive int32; the ListScheduledPreloadJobs model documents no range).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub page_number: Option<i64>,
    /// Page size (a positive int32; the ListScheduledPreloadJobs model documents no range).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub page_size: Option<i64>,
}
crate::record::param_record!(ListScheduledPreloadJobs {
    site_id: "SiteId",
    start_time: "StartTime",
    end_time: "EndTime",
    page_number: "PageNumber",
    page_size: "PageSize"
});

/// One time-sliced plan: every `Interval` seconds, `SliceLen` URLs, between the two times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct Execution {
    /// Start, ISO 8601 (`2024-06-03T16:00:00Z`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub start_time: Option<String>,
    /// End of the plan, ISO 8601 like the start.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub end_time: Option<String>,
    /// Seconds between slices.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub interval: Option<i64>,
    /// URLs per slice.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub slice_len: Option<i64>,
}
crate::record::param_record!(Execution {
    start_time: "StartTime",
    end_time: "EndTime",
    interval: "Interval",
    slice_len: "SliceLen"
});

/// CreateScheduledPreloadExecutions: add plans to a job (`Id` in the query, `Executions` as one
/// JSON string in the form body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct CreateScheduledPreloadExecutions {
    /// The scheduled job (`Id`) the plans are added to.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub id: Option<String>,
    /// The time-sliced plans to add.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub executions: Option<Vec<Execution>>,
}
crate::record::param_record!(CreateScheduledPreloadExecutions {
    id: "Id",
    executions: "Executions"
});

/// UpdateScheduledPreloadExecution: change one plan (`Id` in the query, the rest in the body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase")]
pub struct UpdateScheduledPreloadExecution {
    /// The plan (`Id` of an execution) to change.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub id: Option<String>,
    /// The plan's new start, ISO 8601.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub start_time: Option<String>,
    /// The plan's new end, ISO 8601.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub end_time: Option<String>,
    /// Seconds between slices.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub interval: Option<i64>,
    /// URLs per slice.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub slice_len: Option<i64>,
}
crate::record::param_record!(UpdateScheduledPreloadExecution {
    id: "Id",
    start_time: "StartTime",
    end_time: "EndTime",
    interval: "Interval",
    slice_len: "SliceLen"
});

/// A scheduled preload job as ESA returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct ScheduledJob {
    /// The Alibaba Cloud account (`AliUid`) that owns it.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub ali_uid: Option<String>,
    /// When the job was created, ISO 8601.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub created_at: Option<String>,
    /// Domains of the URLs.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub domains: Option<String>,
    /// Why URLs of the job were refused, comma-separated: `InvalidUrl`, `InvalidDomain`,
    /// `QuotaExcess`, `OtherErrors` (CreateScheduledPreloadJob API page, `ErrorInfo`). These
    /// are values of a created job, not API error codes; read them typed with
    /// [`ScheduledJob::errors`].
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub error_info: Option<String>,
    /// OSS object listing the URLs that failed the checks.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub failed_file_oss: Option<String>,
    /// URL list file id.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub file_id: Option<String>,
    /// The job's id (`Id`), which every later call on the job names.
    pub id: String,
    /// `textBox` or `oss`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub insert_way: Option<String>,
    /// The name given at creation.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub name: Option<String>,
    /// The ESA site (`SiteId`) whose domains the URLs belong to.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub site_id: Option<i64>,
    /// URLs submitted to the prefetch system so far.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub task_submitted: Option<i64>,
    /// The job's task type: `preload`, `refresh` or `path` (the TaskType of the scheduled
    /// preload job models; "任务类型（刷新/预热）"). Kept as text: other values pass through.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub task_type: Option<String>,
    /// URLs in the job.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub url_count: Option<i64>,
    /// URLs the job accepted after its checks; `ErrorInfo` says why others were not.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub url_submitted: Option<i64>,
    /// Plans of the job (list answers only).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub execution_count: Option<i64>,
}
crate::record::answer_record!(nulls ScheduledJob {
    ali_uid: "AliUid",
    created_at: "CreatedAt",
    domains: "Domains",
    error_info: "ErrorInfo",
    failed_file_oss: "FailedFileOss",
    file_id: "FileId",
    id: "Id",
    insert_way: "InsertWay",
    name: "Name",
    site_id: "SiteId",
    task_submitted: "TaskSubmitted",
    task_type: "TaskType",
    url_count: "UrlCount",
    url_submitted: "UrlSubmitted",
    execution_count: "ExecutionCount"
});

/// Answer of Create/Get/ResetScheduledPreloadJob: the job plus the request id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct ScheduledJobOutput {
    /// The job, whose fields the answer carries at its top level.
    #[serde(flatten)]
    pub job: ScheduledJob,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}

// by hand: the record's fields and `RequestId` share one level (`record::split_request_id`)
impl crate::record::Record for ScheduledJobOutput {
    fn from_value(value: serde_json::Value) -> Result<Self, crate::value_de::Error> {
        let (job, request_id) = crate::record::split_request_id(value)?;
        Ok(ScheduledJobOutput { job, request_id })
    }

    fn to_json(&self) -> serde_json::Value {
        crate::record::join_request_id(&self.job, &self.request_id)
    }
}

impl<'de> Deserialize<'de> for ScheduledJobOutput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::record::deserialize(d)
    }
}

/// Answer with nothing but a request id (DeleteScheduledPreloadJob,
/// DeleteScheduledPreloadExecution).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct RequestIdOutput {
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(RequestIdOutput {
    request_id: "RequestId"
});

/// Answer of ListScheduledPreloadJobs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct ListScheduledJobsOutput {
    /// Jobs of this page.
    pub jobs: Vec<ScheduledJob>,
    /// Total (a string in the Go model; both accepted).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub total_count: Option<i64>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(nulls ListScheduledJobsOutput {
    jobs: "Jobs",
    total_count: "TotalCount",
    request_id: "RequestId"
});

/// A plan as ESA returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct ExecutionInfo {
    /// The Alibaba Cloud account (`AliUid`) that owns it.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub ali_uid: Option<String>,
    /// End of the plan, ISO 8601 like the start.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub end_time: Option<String>,
    /// The plan's id (`Id`), which Update/Start/Stop/DeleteScheduledPreloadExecution name.
    pub id: String,
    /// Seconds between slices.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub interval: Option<i64>,
    /// The scheduled job the plan belongs to.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub job_id: Option<String>,
    /// URLs per slice.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub slice_len: Option<i64>,
    /// Start of the plan, ISO 8601.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub start_time: Option<String>,
    /// `waiting`, `running`, `finished`, `failed`, `stopped`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub status: Option<String>,
}
crate::record::answer_record!(nulls ExecutionInfo {
    ali_uid: "AliUid",
    end_time: "EndTime",
    id: "Id",
    interval: "Interval",
    job_id: "JobId",
    slice_len: "SliceLen",
    start_time: "StartTime",
    status: "Status"
});

/// Answer of Update/Start/StopScheduledPreloadExecution: the plan plus the request id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct ExecutionOutput {
    /// The plan, whose fields the answer carries at its top level.
    #[serde(flatten)]
    pub execution: ExecutionInfo,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}

// by hand: the record's fields and `RequestId` share one level (`record::split_request_id`)
impl crate::record::Record for ExecutionOutput {
    fn from_value(value: serde_json::Value) -> Result<Self, crate::value_de::Error> {
        let (execution, request_id) = crate::record::split_request_id(value)?;
        Ok(ExecutionOutput {
            execution,
            request_id,
        })
    }

    fn to_json(&self) -> serde_json::Value {
        crate::record::join_request_id(&self.execution, &self.request_id)
    }
}

impl<'de> Deserialize<'de> for ExecutionOutput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::record::deserialize(d)
    }
}

/// Answer of CreateScheduledPreloadExecutions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateExecutionsOutput {
    /// The plans ESA created.
    pub success_executions: Vec<ExecutionInfo>,
    /// The plans ESA refused (`FailedMessages` says why).
    pub failed_executions: Vec<ExecutionInfo>,
    /// ESA's reason for each refused plan.
    pub failed_messages: Vec<String>,
    /// How many plans were created.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub success_count: Option<i64>,
    /// How many plans the call asked for.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub total_count: Option<i64>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(nulls CreateExecutionsOutput {
    success_executions: "SuccessExecutions",
    failed_executions: "FailedExecutions",
    failed_messages: "FailedMessages",
    success_count: "SuccessCount",
    total_count: "TotalCount",
    request_id: "RequestId"
});

/// Answer of ListScheduledPreloadExecutions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct ListExecutionsOutput {
    /// The job's plans on this page.
    pub executions: Vec<ExecutionInfo>,
    /// How many plans the job has over all pages.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub total_count: Option<i64>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(nulls ListExecutionsOutput {
    executions: "Executions",
    total_count: "TotalCount",
    request_id: "RequestId"
});

/// One reason of a scheduled job's `ErrorInfo` (CreateScheduledPreloadJob API page: "InvalidUrl：
/// 链接格式不正确。InvalidDomain：域名归属校验不通过。QuotaExcess：超出配额上限。OtherErrors：其它错误。").
/// The job was created; these say why some of its URLs were not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduledJobError {
    /// `InvalidUrl`: a URL is malformed.
    InvalidUrl,
    /// `InvalidDomain`: a URL's domain does not belong to the site.
    InvalidDomain,
    /// `QuotaExcess`: more URLs than the quota allows.
    QuotaExcess,
    /// `OtherErrors`: any other reason, without detail.
    OtherErrors,
    /// A value the page does not list, as given.
    Other(String),
}

impl ScheduledJobError {
    /// The value as ESA writes it.
    pub fn as_str(&self) -> &str {
        match self {
            ScheduledJobError::InvalidUrl => "InvalidUrl",
            ScheduledJobError::InvalidDomain => "InvalidDomain",
            ScheduledJobError::QuotaExcess => "QuotaExcess",
            ScheduledJobError::OtherErrors => "OtherErrors",
            ScheduledJobError::Other(s) => s,
        }
    }

    /// What it means for people.
    pub fn hint(&self) -> &'static str {
        match self {
            ScheduledJobError::InvalidUrl => {
                "Some URLs are malformed; they were not added to the job."
            }
            ScheduledJobError::InvalidDomain => {
                "Some URLs' domains do not belong to the site; they were not added to the job."
            }
            ScheduledJobError::QuotaExcess => {
                "The job holds more URLs than the quota allows; the excess was not added."
            }
            ScheduledJobError::OtherErrors | ScheduledJobError::Other(_) => {
                "Some URLs were refused; see the failed-URL file (FailedFileOss)."
            }
        }
    }
}

impl ScheduledJob {
    /// The job's `ErrorInfo`, typed (empty when every URL was taken).
    pub fn errors(&self) -> Vec<ScheduledJobError> {
        self.error_info
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| match s {
                "InvalidUrl" => ScheduledJobError::InvalidUrl,
                "InvalidDomain" => ScheduledJobError::InvalidDomain,
                "QuotaExcess" => ScheduledJobError::QuotaExcess,
                "OtherErrors" => ScheduledJobError::OtherErrors,
                other => ScheduledJobError::Other(other.to_string()),
            })
            .collect()
    }
}

fn check_execution(c: &mut Checks, prefix: &str, e: &Execution) {
    if e.interval.is_none() {
        c.fail(
            format!("{prefix}Interval"),
            Rule::Required,
            "Interval (seconds) is required",
        );
    }
    if e.slice_len.is_none() {
        c.fail(
            format!("{prefix}SliceLen"),
            Rule::Required,
            "SliceLen (URLs per slice) is required",
        );
    }
    c.range(&format!("{prefix}Interval"), e.interval, 1, i32::MAX as i64);
    c.range(
        &format!("{prefix}SliceLen"),
        e.slice_len,
        1,
        i32::MAX as i64,
    );
    c.window(
        (&format!("{prefix}StartTime"), &e.start_time),
        (&format!("{prefix}EndTime"), &e.end_time),
        parse_rfc3339,
        "ISO 8601 (2024-06-03T16:00:00Z)",
        None,
    );
}

impl Call for CreateScheduledPreloadJob {
    const SERVICE: Service = Service::Esa;
    const ACTION: &'static str = "CreateScheduledPreloadJob";
    const METHOD: Method = Method::Post;
    type Output = ScheduledJobOutput;

    fn body_fields() -> &'static [&'static str] {
        &["InsertWay", "Name", "OssUrl", "SiteId", "UrlList"]
    }

    fn validate(&self, limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        c.required("Name", &self.name);
        check_site(&mut c, self.site_id);
        if c.required("InsertWay", &self.insert_way) {
            c.one_of("InsertWay", &self.insert_way, &["textBox", "oss"]);
        }
        match self.insert_way.as_deref() {
            Some("textBox") => {
                let lines: Vec<&str> = self
                    .url_list
                    .as_deref()
                    .unwrap_or("")
                    .split('\n')
                    .map(|l| l.strip_suffix('\r').unwrap_or(l))
                    .filter(|l| !l.is_empty())
                    .collect();
                if lines.is_empty() {
                    c.fail(
                        "UrlList",
                        Rule::Combination,
                        "InsertWay textBox needs UrlList (URLs, one per line)",
                    );
                } else if lines.len() > limits.esa_job_urls {
                    c.fail(
                        "UrlList",
                        Rule::MaxItems,
                        format!(
                            "{} URLs; one job holds at most {}",
                            lines.len(),
                            limits.esa_job_urls
                        ),
                    );
                } else {
                    let owned: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
                    c.urls("UrlList", &owned, Service::Esa);
                }
            }
            Some("oss") => {
                if self.oss_url.as_deref().is_none_or(|u| u.trim().is_empty()) {
                    c.fail("OssUrl", Rule::Combination, "InsertWay oss needs OssUrl");
                } else if let Some(u) = &self.oss_url {
                    if let Err((rule, m)) = crate::urls::prepare(u, Service::Esa) {
                        c.fail("OssUrl", rule, m);
                    }
                }
            }
            _ => {}
        }
        c.finish()
    }
}

impl Call for ListScheduledPreloadJobs {
    const SERVICE: Service = Service::Esa;
    const ACTION: &'static str = "ListScheduledPreloadJobs";
    const METHOD: Method = Method::Get;
    type Output = ListScheduledJobsOutput;

    /// PageNumber and PageSize: positive int32 (the ListScheduledPreloadJobs model types them
    /// int32 and documents no range or maximum).
    fn validate(&self, _limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        check_site(&mut c, self.site_id);
        c.range("StartTime", self.start_time, 0, i64::MAX);
        c.range("EndTime", self.end_time, 0, i64::MAX);
        if let (Some(s), Some(e)) = (self.start_time, self.end_time) {
            if e < s {
                c.fail("EndTime", Rule::TimeOrder, "EndTime is before StartTime");
            }
        }
        c.range("PageNumber", self.page_number, 1, i32::MAX as i64);
        c.range("PageSize", self.page_size, 1, i32::MAX as i64);
        c.finish()
    }
}

impl Call for CreateScheduledPreloadExecutions {
    const SERVICE: Service = Service::Esa;
    const ACTION: &'static str = "CreateScheduledPreloadExecutions";
    const METHOD: Method = Method::Post;
    type Output = CreateExecutionsOutput;

    fn body_fields() -> &'static [&'static str] {
        &["Executions"]
    }

    fn validate(&self, _limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        c.required("Id", &self.id);
        if c.list("Executions", &self.executions, usize::MAX) {
            for (i, e) in self.executions.iter().flatten().enumerate() {
                check_execution(&mut c, &format!("Executions[{i}]."), e);
            }
        }
        c.finish()
    }
}

impl Call for UpdateScheduledPreloadExecution {
    const SERVICE: Service = Service::Esa;
    const ACTION: &'static str = "UpdateScheduledPreloadExecution";
    const METHOD: Method = Method::Post;
    type Output = ExecutionOutput;

    fn body_fields() -> &'static [&'static str] {
        &["EndTime", "Interval", "SliceLen", "StartTime"]
    }

    fn validate(&self, _limits: &Limits) -> Result<(), ValidationErrors> {
        let mut c = Checks::new();
        c.required("Id", &self.id);
        c.range("Interval", self.interval, 1, i32::MAX as i64);
        c.range("SliceLen", self.slice_len, 1, i32::MAX as i64);
        c.window(
            ("StartTime", &self.start_time),
            ("EndTime", &self.end_time),
            parse_rfc3339,
            "ISO 8601 (2024-06-03T16:00:00Z)",
            None,
        );
        c.finish()
    }
}
