//! # edgewarm-sandbox — an offline twin of the three prefetch APIs
//!
//! Answers vendor-style requests routed by their Host (`teo.tencentcloudapi.com`,
//! `cdn.intl.tencentcloudapi.com`, `esa.cn-hangzhou.aliyuncs.com`, …) the way the clouds do:
//! signatures verified with the core's `verify` (wrong or expired ones get the vendor's own code),
//! rate limits per API and credential, per-call caps and daily quotas, task lifecycles that
//! advance with a clock the caller passes in, and ESA scheduled jobs sliced over time.
//!
//! [`Sandbox::handle`] is sans-IO (request + time in, reply out); `http::router` serves it over
//! HTTP (feature `http`, on by default; without it the crate needs no axum, tokio or reqwest).

pub mod clock;
pub mod config;
mod esa;
#[cfg(feature = "http")]
pub mod http;
mod ratelimit;
mod tencent;
mod world;

pub use clock::{Clock, ManualClock, SystemClock};
pub use config::SandboxConfig;

use edgewarm::{Credentials, HttpRequest, Service};
use std::sync::Mutex;

/// An HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status as the vendor would send it; 0 marks an injected reset ([`Reply::reset`]).
    pub status: u16,
    /// The answer's headers (its content type).
    pub headers: Vec<(String, String)>,
    /// The answer's body: JSON in the vendor's shape (HTML for injected 502s).
    pub body: Vec<u8>,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: value.to_string().into_bytes(),
        }
    }

    /// The marker for "reset the connection without answering" (injected fault).
    pub fn reset() -> Reply {
        Reply {
            status: 0,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Whether this is the reset marker.
    pub fn is_reset(&self) -> bool {
        self.status == 0
    }

    /// The body parsed as JSON (tests).
    pub fn body_json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// The sandbox cloud.
pub struct Sandbox {
    config: SandboxConfig,
    tencent_keys: Vec<Credentials>,
    alibaba_keys: Vec<Credentials>,
    state: Mutex<State>,
}

struct State {
    world: world::World,
    limiter: ratelimit::RateLimiter,
}

fn keys(list: &[config::KeyConfig]) -> Vec<Credentials> {
    list.iter()
        .map(|k| {
            let c = Credentials::new(k.id.clone(), k.secret.clone());
            match &k.token {
                Some(t) => c.with_token(t.clone()),
                None => c,
            }
        })
        .collect()
}

/// Which service a Host belongs to; `None` for hosts the sandbox does not serve.
pub fn service_for_host(host: &str) -> Option<Service> {
    let host = host.split(':').next().unwrap_or("").to_ascii_lowercase();
    match host.as_str() {
        "teo.tencentcloudapi.com" | "teo.intl.tencentcloudapi.com" => Some(Service::Teo),
        "cdn.tencentcloudapi.com" | "cdn.intl.tencentcloudapi.com" => Some(Service::Cdn),
        h if (h.starts_with("esa.") || h.starts_with("esa-vpc."))
            && h.ends_with(".aliyuncs.com") =>
        {
            Some(Service::Esa)
        }
        _ => None,
    }
}

impl Sandbox {
    /// A sandbox of `config`.
    pub fn new(config: SandboxConfig) -> Sandbox {
        let quota_offset_ms = config.limits.quota_reset_utc_offset_minutes * 60_000;
        Sandbox {
            tencent_keys: keys(&config.tencent_keys),
            alibaba_keys: keys(&config.alibaba_keys),
            config,
            state: Mutex::new(State {
                world: world::World::with_quota_offset(quota_offset_ms),
                limiter: ratelimit::RateLimiter::default(),
            }),
        }
    }

    /// The configuration the sandbox was built with.
    pub fn config(&self) -> &SandboxConfig {
        &self.config
    }

    /// The host names the sandbox serves for a job's target, lower-case: the domains of the
    /// EdgeOne zone (every zone's for `*`), the CDN domains, or the ESA site's records. An
    /// unknown zone or site serves none. Shells pass them to
    /// [`edgewarm::job::Job::plan_summary_for`] so the plan warns about a foreign host before
    /// anything is sent; the sandbox refuses any other host as each vendor does.
    pub fn served_hosts(&self, target: &edgewarm::job::Target) -> Vec<String> {
        use edgewarm::job::Target;
        let c = &self.config;
        let hosts: Vec<&String> = match target {
            Target::Edgeone { zone_id, .. } => c
                .zones
                .iter()
                .filter(|z| zone_id == "*" || z.id == *zone_id)
                .flat_map(|z| z.domains.iter())
                .collect(),
            Target::Cdn { .. } => c.cdn_domains.iter().collect(),
            Target::Esa { site_id, .. } => c
                .esa_sites
                .iter()
                .filter(|s| s.id == *site_id)
                .flat_map(|s| s.domains.iter())
                .collect(),
        };
        let mut out: Vec<String> = hosts.into_iter().map(|h| h.to_ascii_lowercase()).collect();
        out.sort();
        out.dedup();
        out
    }

    /// When the simulated daily quotas next restart after `now_ms`
    /// (`limits.quota_reset_utc_offset_minutes`; assumed, no vendor documents it).
    pub fn next_quota_reset(&self, now_ms: i64) -> i64 {
        world::next_quota_reset(
            now_ms,
            self.config.limits.quota_reset_utc_offset_minutes * 60_000,
        )
    }

    /// Answers one request at `now_ms`. The Host (header, else `req.host`) picks the service.
    pub fn handle(&self, req: &HttpRequest, now_ms: i64) -> Reply {
        let host = req
            .header("host")
            .unwrap_or(&req.host)
            .trim()
            .to_ascii_lowercase();
        let Some(service) = service_for_host(&host) else {
            return Reply::json(
                404,
                &serde_json::json!({"error": {"code": "unknown_host",
                    "message": format!("the sandbox does not serve {host:?}")}}),
            );
        };
        let mut state = self.lock();
        let State { world, limiter } = &mut *state;
        let n = world.next_request();
        let faults = &self.config.faults;
        if faults.reset_every > 0 && n % faults.reset_every == 0 {
            return Reply::reset();
        }
        if faults.error_every > 0 && n % faults.error_every == 0 {
            return Reply {
                status: 502,
                headers: vec![("content-type".into(), "text/html".into())],
                body: b"<html><body>502 Bad Gateway</body></html>".to_vec(),
            };
        }
        if faults
            .throttle_windows
            .iter()
            .any(|(a, b)| now_ms >= *a && now_ms < *b)
        {
            let rid = world.request_id();
            return match service {
                Service::Esa => Reply::json(
                    400,
                    &serde_json::json!({"RequestId": rid, "Code": "Throttling.User",
                        "Message": "Request was denied due to user flow control."}),
                ),
                _ => Reply::json(
                    200,
                    &serde_json::json!({"Response": {"Error": {"Code": "RequestLimitExceeded",
                        "Message": "请求的次数超过了频率限制。"}, "RequestId": rid}}),
                ),
            };
        }
        match service {
            Service::Teo | Service::Cdn => {
                tencent::handle(self, world, limiter, service, req, now_ms)
            }
            Service::Esa => esa::handle(self, world, limiter, &host, req, now_ms),
        }
    }
}

/// A prefetched URL waiting for the real-origin fetcher: its task index and URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginCheck {
    /// Task index (pass back to [`Sandbox::settle_origin`]).
    pub task: usize,
    /// The prefetched URL.
    pub url: String,
}

/// One task of the sandbox as tests see it (see [`Sandbox::tasks`]; over HTTP,
/// `GET /__sandbox/tasks`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskRecord {
    /// API family (`TeoPrefetch`, `CdnPurge`, …), as [`Sandbox::submissions`] names it.
    pub family: String,
    /// A purge (else a prefetch).
    pub purge: bool,
    /// The URL, path, host or tag.
    pub target: String,
    /// Submitted at (ms, sandbox clock).
    pub created_ms: i64,
    /// Final at (ms).
    pub done_ms: i64,
    /// Ended in success.
    pub succeeded: bool,
}

impl Sandbox {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Real-origin mode: the URLs submitted since the last call, to fetch from the origin.
    pub fn take_origin_checks(&self) -> Vec<OriginCheck> {
        let mut state = self.lock();
        let world = &mut state.world;
        let from = world.origin_scan.min(world.tasks.len());
        let checks = world.tasks[from..]
            .iter()
            .enumerate()
            .filter(|(_, t)| t.outcome == world::Outcome::Pending)
            .map(|(i, t)| OriginCheck {
                task: from + i,
                url: t.target.clone(),
            })
            .collect();
        world.origin_scan = world.tasks.len();
        checks
    }

    /// Whether `url` is warm in the sandbox's cache at `now_ms`: a prefetch of it completed
    /// and no purge covering it completed at or after that prefetch (see
    /// [`world::World::is_warm`]).
    pub fn is_warm(&self, url: &str, now_ms: i64) -> bool {
        self.lock().world.is_warm(url, now_ms)
    }

    /// [`Sandbox::is_warm`] for each of `urls`, in one pass over the tasks.
    pub fn warm_among(&self, urls: &[String], now_ms: i64) -> Vec<bool> {
        let urls: Vec<&str> = urls.iter().map(String::as_str).collect();
        self.lock().world.warm_among(&urls, now_ms)
    }

    /// Every task the sandbox holds (prefetches and purges, with their kind, target, creation
    /// and completion times), in submission order: tests check the order of purges and
    /// prefetches per URL with it.
    pub fn tasks(&self) -> Vec<TaskRecord> {
        self.lock()
            .world
            .tasks
            .iter()
            .map(|t| TaskRecord {
                family: format!("{:?}", t.kind),
                purge: !t.warms_any(),
                target: t.target.clone(),
                created_ms: t.created_ms,
                done_ms: t.done_ms,
                succeeded: t.outcome == world::Outcome::Success,
            })
            .collect()
    }

    /// Submissions per (API family, URL) so far; a count above one is a duplicate.
    pub fn submissions(&self) -> std::collections::HashMap<(String, String), u64> {
        self.lock().world.submissions()
    }

    /// Records what the origin answered for a check: an HTTP status, or `None` when the fetch
    /// failed (connection refused, timeout).
    pub fn settle_origin(&self, task: usize, status: Option<u16>) {
        let mut state = self.lock();
        if let Some(t) = state.world.tasks.get_mut(task) {
            t.outcome = match status {
                Some(s) if (200..300).contains(&s) => world::Outcome::Success,
                Some(s) => world::Outcome::Invalid {
                    message: format!("origin answered {s}"),
                },
                None => world::Outcome::Failed {
                    fail_type: "originPullFailed".into(),
                    message: "the origin could not be reached".into(),
                },
            };
        }
    }
}

/// Validation limits for the sandbox's own use of the core's checks: per-call caps are lifted
/// so that the sandbox can answer them with the vendors' own limit codes instead.
pub(crate) fn relaxed_limits() -> edgewarm::Limits {
    edgewarm::Limits {
        teo_prefetch_batch: usize::MAX,
        teo_purge_url_batch: usize::MAX,
        teo_purge_prefix_batch: usize::MAX,
        teo_purge_host_batch: usize::MAX,
        teo_purge_cache_tag_batch: usize::MAX,
        cdn_push_batch: usize::MAX,
        cdn_purge_url_batch: usize::MAX,
        cdn_purge_path_batch: usize::MAX,
        esa_preload_batch: usize::MAX,
        esa_job_urls: usize::MAX,
        ..edgewarm::Limits::default()
    }
}
