//! Alibaba Cloud ESA (`esa` 2024-09-10): the scheduled preload family, the immediate
//! PreloadCaches / DescribePreloadTasks and PurgeCaches. Where each parameter travels (query or
//! form body) and each HTTP method follow the generated SDK (alibabacloud-go-sdk `esa-20240910`,
//! `client_context_func.go` and the request models).
//!
//! One file per family: `scheduled` (scheduled preload jobs and their plans), `preload`
//! (PreloadCaches, DescribePreloadTasks), `purge` (PurgeCaches) and [`purge_tracking`]
//! (DescribePurgeTasks, GetPurgeQuota); this module holds what they share: the task-id answer,
//! ESA's task times and the site and domain checks. Every type is reachable as `esa::X`.

mod preload;
mod purge;
pub mod purge_tracking;
mod scheduled;

/// ESA's task times (kept here under their old paths).
pub use crate::times::{parse_task_time, ASSUMED_ZONELESS_OFFSET_HOURS, ZONELESS_TOLERANCE_MS};
pub use preload::*;
pub use purge::*;
pub use scheduled::*;

use crate::error::Rule;
use crate::validate::Checks;
use serde::Serialize;

/// Answer of PreloadCaches and PurgeCaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct TaskIdOutput {
    /// The task ESA created; DescribePreloadTasks / DescribePurgeTasks report its URLs.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub task_id: Option<String>,
    /// The vendor's `RequestId` for this answer: what its support asks for.
    pub request_id: String,
}
crate::record::answer_record!(nulls TaskIdOutput {
    task_id: "TaskId",
    request_id: "RequestId"
});

/// The distinct lower-case hosts of a list of URLs (those that parse).
fn hosts_of(urls: &[String]) -> usize {
    // kept sorted and distinct as they come (a list names few hosts): no sort of the whole list
    let mut hosts: Vec<String> = Vec::new();
    for host in urls.iter().filter_map(|u| crate::urls::host(u)) {
        let host = host.to_ascii_lowercase();
        if let Err(at) = hosts.binary_search(&host) {
            hosts.insert(at, host);
        }
    }
    hosts.len()
}

fn check_domains(c: &mut Checks, field: &str, urls: &[String], max: usize, rule: &str) {
    let n = hosts_of(urls);
    if n > max {
        c.fail(
            field,
            Rule::MaxItems,
            format!("the URLs span {n} domains; {rule} at most {max}"),
        );
    }
}

fn check_site(c: &mut Checks, site: Option<i64>) {
    match site {
        None => c.fail("SiteId", Rule::Required, "SiteId is required"),
        Some(s) if s <= 0 => c.fail("SiteId", Rule::Range, "SiteId must be a positive number"),
        Some(_) => {}
    }
}
