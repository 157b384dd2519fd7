//! The sandbox's mutable state: tasks with their lifecycle, ESA scheduled jobs and plans, daily
//! usage per quota scope, and id counters (deterministic: no randomness, so tests can predict).

use crate::config::{OriginRule, SandboxConfig};
use std::collections::HashMap;

/// How a prefetched URL ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The origin answered and the URL is warm.
    Success,
    /// The origin pull failed.
    Failed {
        /// The EdgeOne `FailType` reported (`originPullFailed`, …).
        fail_type: String,
        /// The failure message the task list reports.
        message: String,
    },
    /// The origin answered non-2xx.
    Invalid {
        /// The failure message the task list reports.
        message: String,
    },
    /// Real-origin mode: waiting for the origin fetch.
    Pending,
}

/// Which API family a task belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    /// EdgeOne CreatePrefetchTask.
    TeoPrefetch,
    /// EdgeOne CreatePurgeTask (detail: the purge type and method).
    TeoPurge,
    /// CDN PushUrlsCache.
    CdnPush,
    /// ESA PreloadCaches.
    EsaPreload,
    /// ESA PurgeCaches.
    EsaPurge,
    /// CDN PurgeUrlsCache (detail `url`) and PurgePathCache (detail `path|flush` or
    /// `path|delete`).
    CdnPurge,
}

impl Task {
    /// Whether this task is a purge whose reach covers `url`: the URL itself, a path or prefix
    /// it starts with, its host, or everything (cache tags are not modelled: they cover none).
    pub fn purges(&self, url: &str) -> bool {
        let no_query = |u: &str| u.split(['?', '#']).next().unwrap_or("").to_string();
        let kind = self.detail.split('|').next().unwrap_or("");
        match (self.kind, kind) {
            (TaskKind::TeoPurge, "purge_url") | (TaskKind::CdnPurge, "url") => self.target == url,
            (TaskKind::EsaPurge, "file" | "cachekey") => self.target == url,
            (TaskKind::TeoPurge, "purge_prefix")
            | (TaskKind::CdnPurge, "path")
            | (TaskKind::EsaPurge, "directory") => url.starts_with(&self.target),
            (TaskKind::TeoPurge, "purge_host") | (TaskKind::EsaPurge, "hostname") => {
                host_of(url).is_some_and(|h| h.eq_ignore_ascii_case(&self.target))
            }
            (TaskKind::EsaPurge, "ignoreParams") => no_query(url) == no_query(&self.target),
            (TaskKind::TeoPurge, "purge_all") | (TaskKind::EsaPurge, "purgeall") => true,
            _ => false,
        }
    }

    /// Whether this task is a purge of one URL, its target ([`Task::purges`] is `target == url`).
    fn purges_only_its_target(&self) -> bool {
        let kind = self.detail.split('|').next().unwrap_or("");
        matches!(
            (self.kind, kind),
            (TaskKind::TeoPurge, "purge_url")
                | (TaskKind::CdnPurge, "url")
                | (TaskKind::EsaPurge, "file" | "cachekey")
        )
    }

    /// Whether this task is a prefetch (of any outcome).
    pub fn warms_any(&self) -> bool {
        matches!(
            self.kind,
            TaskKind::TeoPrefetch | TaskKind::CdnPush | TaskKind::EsaPreload
        )
    }

    /// Whether this task is a prefetch of `url` that warmed it.
    fn warms(&self, url: &str) -> bool {
        matches!(
            self.kind,
            TaskKind::TeoPrefetch | TaskKind::CdnPush | TaskKind::EsaPreload
        ) && self.target == url
            && self.outcome == Outcome::Success
    }
}

/// One URL (or target) of a submitted batch.
#[derive(Debug, Clone)]
pub struct Task {
    /// The API family, which decides the task list it shows in.
    pub kind: TaskKind,
    /// Job id / task id of the batch.
    pub job_id: String,
    /// Zone id / site id / area.
    pub scope: String,
    /// The URL or target.
    pub target: String,
    /// Purge type or method where it applies.
    pub detail: String,
    /// Creation time (ms).
    pub created_ms: i64,
    /// When it leaves `processing` (ms).
    pub done_ms: i64,
    /// How the task ends once `done_ms` has passed.
    pub outcome: Outcome,
}

impl Task {
    /// Whether the task has ended at `now`.
    pub fn done(&self, now_ms: i64) -> bool {
        now_ms >= self.done_ms && self.outcome != Outcome::Pending
    }
}

/// A plan of an ESA scheduled job.
#[derive(Debug, Clone)]
pub struct Execution {
    /// The plan's id, as ESA's `Id` of an execution.
    pub id: String,
    /// The scheduled job the plan belongs to.
    pub job_id: String,
    /// Start (ms) and its text as given.
    pub start_ms: i64,
    /// Text of StartTime.
    pub start_text: String,
    /// End (ms), if any, and its text.
    pub end_ms: Option<i64>,
    /// Text of EndTime.
    pub end_text: String,
    /// Seconds between slices.
    pub interval_s: i64,
    /// URLs per slice.
    pub slice_len: i64,
    /// Stopped by StopScheduledPreloadExecution.
    pub stopped: bool,
    /// Slices counted before the current run.
    pub banked_slices: i64,
    /// When the current run started (ms).
    pub run_from_ms: i64,
}

impl Execution {
    /// Slices of the current run up to `now`.
    pub fn live_slices(&self, now_ms: i64) -> i64 {
        if self.stopped {
            return 0;
        }
        let from = self.run_from_ms.max(self.start_ms);
        let until = self.end_ms.map_or(now_ms, |e| e.min(now_ms));
        if until < from {
            return 0;
        }
        (until - from) / (self.interval_s.max(1) * 1000) + 1
    }

    /// All slices so far.
    pub fn slices(&self, now_ms: i64) -> i64 {
        self.banked_slices.saturating_add(self.live_slices(now_ms))
    }
}

/// An ESA scheduled preload job.
#[derive(Debug, Clone)]
pub struct Job {
    /// The job's id, as ESA's `Id` of a scheduled job.
    pub id: String,
    /// The name given at creation.
    pub name: String,
    /// The ESA site the job belongs to.
    pub site_id: i64,
    /// `textBox` / `oss`.
    pub insert_way: String,
    /// The URLs that passed the checks (the domain belongs to the site, the URL parses).
    pub urls: Vec<String>,
    /// All URL lines given.
    pub url_count: i64,
    /// Error kinds (`InvalidDomain`, `InvalidUrl`).
    pub error_info: Vec<String>,
    /// Domains of the URLs.
    pub domains: Vec<String>,
    /// Creation time (ms).
    pub created_ms: i64,
    /// The id of the URL list file, as ESA answers in `FileId`.
    pub file_id: String,
}

/// Everything that changes.
#[derive(Debug, Default)]
pub struct World {
    /// Every task, in submission order (added with [`World::add_task`]).
    pub tasks: Vec<Task>,
    /// Indexes into `tasks` per vendor task id, in submission order: a task list filtered by
    /// task id (how the engine polls) reads its own tasks, not every task of the world — the
    /// sandbox stays fast at a million URLs.
    by_job: HashMap<String, Vec<usize>>,
    /// ESA jobs by id, in creation order.
    pub jobs: indexmap::IndexMap<String, Job>,
    /// ESA plans by id.
    pub executions: indexmap::IndexMap<String, Execution>,
    /// Units used per (quota scope, quota day).
    pub usage: HashMap<(String, i64), u64>,
    /// Where the quota day starts: its UTC offset in ms (`quota_reset_utc_offset_minutes`).
    pub quota_offset_ms: i64,
    /// Tasks before this index were handed to the real-origin fetcher.
    pub origin_scan: usize,
    counter: u64,
    requests: u64,
}

/// The UTC day number of a time.
pub fn day_of(now_ms: i64) -> i64 {
    now_ms.div_euclid(86_400_000)
}

/// The first moment after `now_ms` at which the daily quotas restart, for a quota day that
/// starts at midnight of UTC offset `offset_ms` (assumed: no vendor documents it).
pub fn next_quota_reset(now_ms: i64, offset_ms: i64) -> i64 {
    (day_of(now_ms + offset_ms) + 1) * 86_400_000 - offset_ms
}

impl World {
    /// The tasks of one family, newest first (the order every task list answers in).
    pub fn newest(&self, kind: TaskKind) -> impl Iterator<Item = &Task> {
        self.tasks.iter().rev().filter(move |t| t.kind == kind)
    }

    /// As [`World::newest`], only the tasks of vendor task id `job` when one is given.
    pub fn newest_of<'a>(
        &'a self,
        kind: TaskKind,
        job: Option<&str>,
    ) -> Box<dyn Iterator<Item = &'a Task> + 'a> {
        match job {
            None => Box::new(self.newest(kind)),
            Some(id) => Box::new(
                self.by_job
                    .get(id)
                    .map(|v| v.as_slice())
                    .unwrap_or_default()
                    .iter()
                    .rev()
                    .filter_map(|&i| self.tasks.get(i))
                    .filter(move |t| t.kind == kind),
            ),
        }
    }

    /// Adds a task (indexed by its vendor task id).
    pub fn add_task(&mut self, task: Task) {
        self.by_job
            .entry(task.job_id.clone())
            .or_default()
            .push(self.tasks.len());
        self.tasks.push(task);
    }

    /// An empty world whose quota day starts at midnight of UTC offset `offset_ms`.
    pub fn with_quota_offset(offset_ms: i64) -> World {
        World {
            quota_offset_ms: offset_ms,
            ..World::default()
        }
    }

    /// Counts a request; returns its 1-based number.
    pub fn next_request(&mut self) -> u64 {
        self.requests += 1;
        self.requests
    }

    /// How many times each (family, URL) was submitted: duplicates are counts above one.
    pub fn submissions(&self) -> HashMap<(String, String), u64> {
        let mut m = HashMap::new();
        for t in &self.tasks {
            *m.entry((format!("{:?}", t.kind), t.target.clone()))
                .or_insert(0) += 1;
        }
        m
    }

    /// A fresh number.
    pub fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// A request id shaped like the vendors' UUIDs.
    pub fn request_id(&mut self) -> String {
        let n = self.next();
        format!("5a4d0000-0000-4000-8000-{n:012x}")
    }

    /// Units used today (the quota day) in `scope`.
    /// The cache model: `url` is warm at `now` when a prefetch of it has completed and no purge
    /// covering it completed at or after that prefetch (a purge finishing after a prefetch of
    /// the same URL wipes it — the race a purge-then-prefetch job must avoid). Tasks still
    /// processing count for neither.
    pub fn is_warm(&self, url: &str, now_ms: i64) -> bool {
        self.warm_among(&[url], now_ms)[0]
    }

    /// [`World::is_warm`] for each of `urls`, in one pass over the tasks: a prefetch or a URL
    /// purge finds its URL by lookup, only prefix, host and whole-site purges are matched
    /// against every URL — so the inspection route stays fast over a million tasks.
    pub fn warm_among(&self, urls: &[&str], now_ms: i64) -> Vec<bool> {
        let index: HashMap<&str, usize> = urls.iter().enumerate().map(|(i, u)| (*u, i)).collect();
        let mut warmed: Vec<Option<i64>> = vec![None; urls.len()];
        let mut purged: Vec<Option<i64>> = vec![None; urls.len()];
        for t in self.tasks.iter().filter(|t| t.done(now_ms)) {
            if t.warms_any() || t.purges_only_its_target() {
                let Some(&i) = index.get(t.target.as_str()) else {
                    continue;
                };
                if t.warms(urls[i]) {
                    warmed[i] = warmed[i].max(Some(t.done_ms));
                } else if t.purges(urls[i]) {
                    purged[i] = purged[i].max(Some(t.done_ms));
                }
            } else {
                for (i, u) in urls.iter().enumerate() {
                    if t.purges(u) {
                        purged[i] = purged[i].max(Some(t.done_ms));
                    }
                }
            }
        }
        warmed
            .into_iter()
            .zip(purged)
            .map(|w| match w {
                (Some(w), Some(p)) => w > p,
                (w, _) => w.is_some(),
            })
            .collect()
    }

    pub fn used(&self, scope: &str, now_ms: i64) -> u64 {
        self.usage
            .get(&(scope.to_string(), day_of(now_ms + self.quota_offset_ms)))
            .copied()
            .unwrap_or(0)
    }

    /// Adds `units` to the day's usage of `scope` (the day in the quota's clock).
    pub fn spend(&mut self, scope: &str, now_ms: i64, units: u64) {
        *self
            .usage
            .entry((scope.to_string(), day_of(now_ms + self.quota_offset_ms)))
            .or_default() += units;
    }
}

/// How the configured origins answer `url`.
pub fn outcome_for(config: &SandboxConfig, url: &str) -> Outcome {
    if config.real_origin.is_some() {
        return Outcome::Pending;
    }
    let rule: Option<&OriginRule> = config
        .origins
        .iter()
        .find(|r| url.contains(&r.url_contains));
    match rule {
        Some(r) if r.outcome == "invalid" => Outcome::Invalid {
            message: r
                .message
                .clone()
                .unwrap_or_else(|| format!("origin answered {}", r.status.unwrap_or(404))),
        },
        Some(r) => Outcome::Failed {
            fail_type: r
                .fail_type
                .clone()
                .unwrap_or_else(|| "originPullFailed".into()),
            message: r
                .message
                .clone()
                .unwrap_or_else(|| "origin pull failed".into()),
        },
        None => Outcome::Success,
    }
}

/// Marks a purge target the sandbox fails: one containing this (a fixed rule, so tests can make
/// a purge fail without configuring an origin).
pub const PURGE_FAIL_MARK: &str = "/purge-fail/";

/// How a purge of `target` ends: failed when it contains [`PURGE_FAIL_MARK`], else success.
pub fn purge_outcome(target: &str) -> Outcome {
    if target.contains(PURGE_FAIL_MARK) {
        Outcome::Failed {
            fail_type: "purgeFailed".into(),
            message: "the sandbox fails purges of /purge-fail/ URLs".into(),
        }
    } else {
        Outcome::Success
    }
}

/// The lower-case host of a URL, if it parses.
pub fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .host_str()
        .map(|h| h.to_ascii_lowercase())
}

/// RFC 3339 text of a time in ms (UTC, seconds precision).
pub fn iso(ms: i64) -> String {
    edgewarm::times::rfc3339(ms)
}

/// `YYYY-MM-DD hh:mm:ss` (CDN and ESA task lists), Beijing time.
pub fn plain_time(ms: i64) -> String {
    edgewarm::times::beijing(ms)
}

/// A task list's time window in ms, read with `parse`; an end not given is open.
pub fn window(
    start: &Option<String>,
    end: &Option<String>,
    parse: fn(&str) -> Option<i64>,
) -> (i64, i64) {
    let s = start.as_deref().and_then(parse).unwrap_or(i64::MIN);
    let e = end.as_deref().and_then(parse).unwrap_or(i64::MAX);
    (s, e)
}

/// Parses RFC 3339 into ms.
pub fn parse_iso(s: &str) -> Option<i64> {
    edgewarm::times::parse_rfc3339(s).map(|t| t * 1000)
}

/// Parses `YYYY-MM-DD hh:mm:ss` (Beijing time) into ms.
pub fn parse_plain(s: &str) -> Option<i64> {
    edgewarm::times::parse_beijing(s).map(|t| t * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(kind: TaskKind, target: &str, detail: &str, done_ms: i64, ok: bool) -> Task {
        Task {
            kind,
            job_id: format!("j{done_ms}"),
            scope: "s".into(),
            target: target.into(),
            detail: detail.into(),
            created_ms: done_ms - 1,
            done_ms,
            outcome: if ok {
                Outcome::Success
            } else {
                Outcome::Failed {
                    fail_type: "originPullFailed".into(),
                    message: "origin".into(),
                }
            },
        }
    }

    /// The one-pass answer is the per-URL answer over prefetches, URL, prefix and host purges,
    /// failed and unfinished tasks, and tasks of other URLs.
    #[test]
    fn warm_among_agrees_with_is_warm_url_by_url() {
        let mut w = World::default();
        let (a, b, c, d, e) = (
            "https://h.example/a",
            "https://h.example/dir/b",
            "https://other.example/c",
            "https://other.example/d",
            "https://other.example/e",
        );
        for t in [
            task(TaskKind::CdnPush, a, "", 10, true),
            task(TaskKind::CdnPurge, a, "url", 20, true),
            task(
                TaskKind::CdnPurge,
                "https://h.example/dir/",
                "path",
                25,
                true,
            ),
            task(TaskKind::CdnPush, b, "", 30, true),
            task(TaskKind::CdnPush, c, "", 35, true),
            task(TaskKind::TeoPurge, "other.example", "purge_host", 40, true),
            task(TaskKind::CdnPush, d, "", 50, true),
            task(TaskKind::CdnPush, e, "", 50, false),
            task(TaskKind::CdnPush, "https://h.example/x", "", 50, true),
            task(TaskKind::CdnPush, a, "", 1_000, true),
        ] {
            w.add_task(t);
        }
        let urls = [a, b, c, d, e];
        let each: Vec<bool> = urls.iter().map(|u| w.is_warm(u, 60)).collect();
        assert_eq!(each, [false, true, false, true, false]);
        assert_eq!(w.warm_among(&urls, 60), each);
        assert!(w.warm_among(&urls, 1_000)[0], "warmed again later");
    }
}
