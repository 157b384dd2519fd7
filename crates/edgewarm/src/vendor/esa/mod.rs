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

pub use preload::*;
pub use purge::*;
pub use scheduled::*;

use crate::error::Rule;
use crate::lenient;
use crate::validate::{parse_rfc3339, Checks};
use serde::{Deserialize, Serialize};

/// Answer of PreloadCaches and PurgeCaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "PascalCase", default)]
pub struct TaskIdOutput {
    /// Task id.
    #[serde(deserialize_with = "lenient::opt_string")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub task_id: Option<String>,
    /// Request id.
    pub request_id: String,
}

/// UTC+8, assumed for ESA task times written without a zone (`2023-03-28 14:28:57`): the
/// DescribePreloadTasks model gives no zone. Callers that compare such times must allow
/// [`ZONELESS_TOLERANCE_MS`].
pub const ASSUMED_ZONELESS_OFFSET_HOURS: i8 = 8;

/// How far a zoneless time read as UTC+8 can be from the truth: any real zone (UTC−12 to
/// UTC+14) is at most 20 hours from UTC+8; 24 hours leaves a margin.
pub const ZONELESS_TOLERANCE_MS: i64 = 24 * 3_600_000;

/// An ESA task time in milliseconds since the epoch, and whether its zone was given. Reads ISO
/// 8601 with a zone (`2023-03-28T06:28:57Z`, `…+08:00`, as DescribePurgeTasks answers) and
/// `YYYY-MM-DD hh:mm:ss` without a zone (DescribePreloadTasks `CreateTime`), the latter at the
/// assumed UTC+8 ([`ASSUMED_ZONELESS_OFFSET_HOURS`]). `None` for anything else.
pub fn parse_task_time(s: &str) -> Option<(i64, bool)> {
    let s = s.trim();
    if let Some(t) = parse_rfc3339(s) {
        return Some((t.saturating_mul(1000), true));
    }
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    let t = time::PrimitiveDateTime::parse(s, f)
        .or_else(|_| {
            let f =
                time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
            time::PrimitiveDateTime::parse(s, f)
        })
        .ok()?;
    let offset = time::UtcOffset::from_hms(ASSUMED_ZONELESS_OFFSET_HOURS, 0, 0).ok()?;
    Some((
        t.assume_offset(offset)
            .unix_timestamp()
            .saturating_mul(1000),
        false,
    ))
}

/// The distinct lower-case hosts of a list of URLs (those that parse).
fn hosts_of(urls: &[String]) -> usize {
    let mut hosts: Vec<String> = urls
        .iter()
        .filter_map(|u| url::Url::parse(u).ok())
        .filter_map(|u| u.host_str().map(|h| h.to_ascii_lowercase()))
        .collect();
    hosts.sort();
    hosts.dedup();
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
