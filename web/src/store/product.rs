//! What the console says about the task in front of the user, kept apart from the store's core
//! so that every view says it the same way: one definition of "ready" and "refused" (the URL
//! panel, the plan, the primary button and the run card count alike), the fields a problem
//! belongs to (shown inline, next to the field), what a run launched with, and how a run ended
//! ("Completed", "Completed with failures", "Stopped: why") with what to do next. Pure data and
//! pure functions: tested without a browser.

use super::{Form, Notice, Run, RunStatus};
use crate::connection::Connection;
use edgewarm::error::ErrorClass;
use edgewarm::job::{JobKind, Phase, PhaseCounts, Progress};
use edgewarm::Service;

/// A problem that belongs to one field: shown next to it (`aria-invalid`, `aria-describedby`),
/// and the first one gets the focus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The `id` of the field's element (`urls`, `zone-id`, `rate`, …).
    pub field: String,
    /// What is wrong, naming the field and the rule.
    pub message: String,
}

impl FieldError {
    /// The `id` of the element that shows the message (`<field>-error`).
    pub fn message_id(field: &str) -> String {
        format!("{field}-error")
    }
}

/// The field a form problem (a notice from [`crate::spec::job_spec`]) belongs to, if any.
pub fn field_of(notice: &Notice, form: &Form) -> Option<String> {
    let prefix = match form.vendor.cloud() {
        edgewarm::Cloud::Tencent => "tc",
        edgewarm::Cloud::Alibaba => "ali",
    };
    let field = match notice.code.as_str() {
        "edgewarm.ZoneId" => "zone-id".to_string(),
        "edgewarm.SiteId" => "site-id".to_string(),
        "edgewarm.Rate" => "rate".to_string(),
        "edgewarm.Headers" => "headers".to_string(),
        "edgewarm.Region" => "region".to_string(),
        "edgewarm.Kind" => "purge-type".to_string(),
        "edgewarm.NoUrls" | "edgewarm.BadSource" => "urls".to_string(),
        "edgewarm.Connection" => match form.connection(form.vendor) {
            Connection::Keys { id, .. } if id.trim().is_empty() => format!("{prefix}-id"),
            Connection::Keys { .. } => format!("{prefix}-secret"),
            Connection::EdgeWorker { base, .. } if base.trim().is_empty() => {
                format!("{prefix}-worker")
            }
            Connection::EdgeWorker { .. } => format!("{prefix}-worker-token"),
            Connection::Sandbox => return None,
        },
        _ => return None,
    };
    Some(field)
}

/// What the URL list holds, counted once for every view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UrlCounts {
    /// URLs that will be sent.
    pub ready: usize,
    /// Lines refused (not a URL, or against the vendor's rules).
    pub refused: usize,
    /// Duplicates dropped.
    pub duplicates: usize,
}

impl UrlCounts {
    /// `5 URLs ready, 4 refused, 1 duplicate dropped`.
    pub fn sentence(&self) -> String {
        format!(
            "{} URL{} ready, {} refused, {} duplicate{} dropped",
            self.ready,
            plural(self.ready),
            self.refused,
            self.duplicates,
            plural(self.duplicates)
        )
    }
}

/// `s` unless `n` is 1.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The counts of the list for `service` and a job of `kind` (the URL panel's check: the one
/// definition).
pub fn url_counts(text: &str, service: Service, kind: JobKind) -> UrlCounts {
    let c = crate::components::urls::check_for(text, service, kind);
    UrlCounts {
        ready: c.ok,
        refused: c.problems.len(),
        duplicates: c.duplicates,
    }
}

/// Every field problem of the forms, in the order the fields appear (URLs first, then the
/// target, then the connection): empty when a job can be made.
pub fn validate(form: &Form) -> Vec<FieldError> {
    let mut out = Vec::new();
    let counts = url_counts(&form.list(), form.vendor, form.target.kind);
    if counts.ready == 0 {
        out.push(FieldError {
            field: "urls".into(),
            message: if counts.refused > 0 {
                format!(
                    "URLs: none of the {} line{} can be warmed (see the refused lines)",
                    counts.refused,
                    plural(counts.refused)
                )
            } else {
                "URLs: add at least one URL, one per line (or insert the sample URLs)".into()
            },
        });
    }
    if let Err(n) = crate::spec::job_spec(form) {
        let field = field_of(&n, form).unwrap_or_else(|| "urls".into());
        out.push(FieldError {
            field,
            message: n.text,
        });
    }
    out
}

/// What a run was launched with: its plan, shown by the run card.
#[derive(Debug, Clone, PartialEq)]
pub struct Launch {
    /// `Warm`, `Retry failed` or `Retry selected`.
    pub label: String,
    /// URLs the run will send (the job's URLs less those refused locally).
    pub planned: usize,
    /// Submit calls planned.
    pub batches: usize,
    /// Least time the submits take at the planned rate (s).
    pub min_seconds: f64,
    /// Counts of the run this one retries: `(succeeded, failed)`.
    pub retry_of: Option<(usize, usize)>,
    /// What the job does (warm, refresh, purge).
    pub kind: JobKind,
}

/// Where a job's phases stand, in words: `Purging — step 1 of 2` / `Warming — step 2 of 2` for
/// a refresh, `Purging` for a purge; `None` for a warm (one phase, nothing to say).
pub fn phase_line(kind: JobKind, phase: Phase) -> Option<String> {
    match (kind, phase) {
        (JobKind::Prefetch, _) => None,
        (JobKind::Purge { .. }, _) => Some("Purging".into()),
        (JobKind::Refresh, Phase::Purge) => Some("Purging — step 1 of 2".into()),
        (JobKind::Refresh, Phase::Prefetch) => Some("Warming — step 2 of 2".into()),
    }
}

/// A quota the job read, in words: `9 998 left, up to 1000 per call`, `unknown` parts left out.
pub fn quota_words(remaining: Option<u64>, batch: Option<usize>) -> String {
    match (remaining, batch) {
        (Some(r), Some(b)) => format!("{r} left, up to {b} per call"),
        (Some(r), None) => format!("{r} left"),
        (None, Some(b)) => format!("up to {b} per call"),
        (None, None) => "unknown".into(),
    }
}

/// The failures of a finished job per phase, in words: `1 purge failed, 2 warms failed` (a
/// refresh names both; a purge or a warm its own).
pub fn phase_failures(kind: JobKind, c: &PhaseCounts) -> String {
    let purge = format!(
        "{} purge{} failed (not warmed)",
        c.purge_failed,
        plural(c.purge_failed)
    );
    let warm = format!(
        "{} warm{} failed",
        c.prefetch_failed,
        plural(c.prefetch_failed)
    );
    match kind {
        JobKind::Prefetch => warm,
        JobKind::Purge { .. } => {
            format!("{} purge{} failed", c.purge_failed, plural(c.purge_failed))
        }
        JobKind::Refresh => format!("{purge}, {warm}"),
    }
}

/// Why a run stopped before every URL was final and warm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StopReason {
    /// The vendor refused the keys or the signature: nothing after the refusal was sent.
    Authentication {
        /// The vendor's code.
        code: String,
        /// The vendor's message.
        message: String,
    },
    /// The quota is used up: URLs were put off.
    Quota {
        /// URLs not sent.
        deferred: usize,
    },
    /// The user cancelled.
    Cancelled,
    /// The page was reloaded or closed mid-run; the job is saved.
    Interrupted,
    /// The API could not be reached.
    Network,
    /// The browser refused to keep the journal (quota, private mode, an aborted write).
    Storage {
        /// The browser's reason.
        message: String,
    },
    /// Another error halted the job.
    Other {
        /// The vendor's or edgewarm's code.
        code: String,
        /// Its message.
        message: String,
    },
}

impl StopReason {
    /// One word after "Stopped: ".
    pub fn word(&self) -> &'static str {
        match self {
            StopReason::Authentication { .. } => "authentication",
            StopReason::Quota { .. } => "quota",
            StopReason::Cancelled => "cancelled",
            StopReason::Interrupted => "interrupted",
            StopReason::Network => "network",
            StopReason::Storage { .. } => "storage",
            StopReason::Other { .. } => "error",
        }
    }
}

/// Where a run stands, as the run card says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// No run yet.
    Idle,
    /// Sending and tracking.
    Running,
    /// Paused by the user.
    Paused,
    /// Every URL warmed.
    Completed,
    /// Every URL final, some failed at the vendor.
    CompletedWithFailures {
        /// URLs that failed at the vendor (lines refused here before the run are not the
        /// run's: the URL panel counted them, and the run never planned them).
        failed: usize,
    },
    /// Ended before every URL was final and warm.
    Stopped(StopReason),
}

impl Outcome {
    /// Of the run `run`; `network_only` says whether every failure of the job was "the API
    /// could not be reached" (`edgewarm.Unreachable`).
    pub fn of(run: &Run, network_only: bool) -> Outcome {
        let Some(p) = run.progress.as_ref() else {
            return match run.status {
                RunStatus::Running => Outcome::Running,
                RunStatus::Paused => Outcome::Paused,
                RunStatus::Cancelled => Outcome::Stopped(StopReason::Cancelled),
                RunStatus::Interrupted => Outcome::Stopped(StopReason::Interrupted),
                RunStatus::StorageRefused => Outcome::Stopped(StopReason::Storage {
                    message: run.storage.clone().unwrap_or_default(),
                }),
                _ => Outcome::Idle,
            };
        };
        match run.status {
            RunStatus::Running => return Outcome::Running,
            RunStatus::Paused => return Outcome::Paused,
            RunStatus::Cancelled => return Outcome::Stopped(StopReason::Cancelled),
            RunStatus::Interrupted => return Outcome::Stopped(StopReason::Interrupted),
            RunStatus::StorageRefused => {
                return Outcome::Stopped(StopReason::Storage {
                    message: run.storage.clone().unwrap_or_default(),
                })
            }
            RunStatus::Idle | RunStatus::Done => {}
        }
        if run.status == RunStatus::Idle && !p.done {
            return Outcome::Idle;
        }
        Outcome::at_end(p, network_only)
    }

    fn at_end(p: &Progress, network_only: bool) -> Outcome {
        if let Some(e) = &p.halted {
            return Outcome::Stopped(match e.class {
                ErrorClass::Auth => StopReason::Authentication {
                    code: e.code.clone(),
                    message: e.message.clone(),
                },
                ErrorClass::Quota => StopReason::Quota {
                    deferred: p.deferred + p.pending,
                },
                _ => StopReason::Other {
                    code: e.code.clone(),
                    message: e.message.clone(),
                },
            });
        }
        if p.deferred > 0 {
            return Outcome::Stopped(StopReason::Quota {
                deferred: p.deferred,
            });
        }
        if p.pending + p.submitted > 0 {
            return Outcome::Stopped(StopReason::Other {
                code: "edgewarm.Unfinished".into(),
                message: format!("{} URL(s) have no final answer", p.pending + p.submitted),
            });
        }
        if p.failed > 0 && p.succeeded == 0 && network_only {
            return Outcome::Stopped(StopReason::Network);
        }
        if p.failed > 0 {
            Outcome::CompletedWithFailures { failed: p.failed }
        } else {
            Outcome::Completed
        }
    }

    /// The card's title: `Completed`, `Completed with failures`, `Stopped: authentication`, …
    pub fn title(&self) -> String {
        match self {
            Outcome::Idle => "Ready".into(),
            Outcome::Running => "Running".into(),
            Outcome::Paused => "Paused".into(),
            Outcome::Completed => "Completed".into(),
            Outcome::CompletedWithFailures { .. } => "Completed with failures".into(),
            Outcome::Stopped(why) => format!("Stopped: {}", why.word()),
        }
    }

    /// A stable name for tests and styles: `idle`, `running`, `paused`, `completed`,
    /// `failures`, `stopped`.
    pub fn state(&self) -> &'static str {
        match self {
            Outcome::Idle => "idle",
            Outcome::Running => "running",
            Outcome::Paused => "paused",
            Outcome::Completed => "completed",
            Outcome::CompletedWithFailures { .. } => "failures",
            Outcome::Stopped(_) => "stopped",
        }
    }

    /// Whether the run is over.
    pub fn ended(&self) -> bool {
        matches!(
            self,
            Outcome::Completed | Outcome::CompletedWithFailures { .. } | Outcome::Stopped(_)
        )
    }

    /// [`Outcome::next_step`] for a job of `kind`: a purge or a refresh says what it did.
    pub fn next_step_for(&self, kind: JobKind) -> String {
        match (self, kind) {
            (Outcome::Running, JobKind::Refresh) => "Each URL is purged first; it is warmed only once its purge is done. The table below fills in as they finish.".into(),
            (Outcome::Running, JobKind::Purge { .. }) => "The vendor is purging: the table below fills in as the purges finish.".into(),
            (Outcome::Completed, JobKind::Refresh) => "Every URL was purged, then warmed. Paste the next list, or see the tasks in History.".into(),
            (Outcome::Completed, JobKind::Purge { .. }) => "Every entry is purged: the next request for it goes to the origin. Paste the next list, or see the purge tasks in History.".into(),
            (Outcome::CompletedWithFailures { failed }, JobKind::Purge { .. } | JobKind::Refresh) => format!(
                "{failed} failed: the table below says why and in which step. A URL whose purge failed is not warmed. Fix the cause, then use \"Retry failed\".",
            ),
            _ => self.next_step(),
        }
    }

    /// What happened and what to do next, in a sentence or two.
    pub fn next_step(&self) -> String {
        match self {
            Outcome::Idle => {
                "Paste URLs (or insert the samples), then press the Warm button.".into()
            }
            Outcome::Running => {
                "The vendor is warming the URLs: the table below fills in as they finish.".into()
            }
            Outcome::Paused => "Nothing new is sent; answers still land. Resume to go on.".into(),
            Outcome::Completed => {
                "Every URL is warm. Paste the next list, or see the tasks in History.".into()
            }
            Outcome::CompletedWithFailures { failed } => format!(
                "{failed} URL{} failed: the table below says why. Fix the origin (or the list), then use \"Retry failed\" or select URLs and \"Retry selected\".",
                plural(*failed)
            ),
            Outcome::Stopped(StopReason::Authentication { code, message }) => format!(
                "The vendor refused the keys ({code}: {message}). Nothing more was sent. Check the key id and secret (\"change\" above), then warm again."
            ),
            Outcome::Stopped(StopReason::Quota { deferred }) => format!(
                "The quota is used up: {deferred} URL{} were not sent. Warm them again once the quota has room (History & quotas shows what is left).",
                plural(*deferred)
            ),
            Outcome::Stopped(StopReason::Cancelled) => {
                "You cancelled the run: the job is saved. Resume it from the banner at the top \
                 (nothing the vendor accepted is sent again), or Discard it."
                    .into()
            }
            Outcome::Stopped(StopReason::Interrupted) => {
                "The page was reloaded or closed mid-run: the job is saved. Resume it from the \
                 banner at the top (nothing the vendor accepted is sent again), or Discard it."
                    .into()
            }
            Outcome::Stopped(StopReason::Network) => {
                "The API could not be reached: check the network, the proxy or the edge worker, then use \"Retry failed\".".into()
            }
            Outcome::Stopped(StopReason::Storage { message }) => format!(
                "The browser refused to save the job ({message}), so nothing more was sent: without it a reload could not resume safely. Free some disk space or leave private browsing, then resume the job from the banner at the top."
            ),
            Outcome::Stopped(StopReason::Other { code, message }) => {
                format!("{code}: {message}. Fix what it names, then warm again.")
            }
        }
    }
}

/// Host names the sandbox serves for `service` (every vendor's built-in world:
/// `crates/edgewarm-sandbox/sandbox.example.toml`, zones, `cdn_domains`, `esa_sites`).
pub fn sandbox_domains(service: Service) -> &'static [&'static str] {
    match service {
        Service::Teo | Service::Cdn | Service::Esa => &["www.example.com", "static.example.com"],
    }
}

/// Sample URLs for the sandbox: pages and assets on its domains, one whose origin fails
/// (`/fail/`) and one the origin does not have (`/missing/`), so that a first run shows both
/// kinds of result.
pub fn sample_urls(service: Service) -> Vec<String> {
    let d = sandbox_domains(service);
    let (www, assets) = (d[0], d.get(1).copied().unwrap_or(d[0]));
    vec![
        format!("https://{www}/"),
        format!("https://{www}/index.html"),
        format!("https://{assets}/app.js"),
        format!("https://{assets}/style.css"),
        format!("https://{www}/fail/checkout.html"),
        format!("https://{assets}/missing/logo.png"),
    ]
}

/// `seconds` as `42 s`, `3 min 5 s` or `1 h 2 min`.
pub fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use edgewarm::ApiError;
    use std::rc::Rc;

    fn ended(p: Progress) -> Run {
        Run {
            status: RunStatus::Done,
            progress: Some(p),
            points: Rc::new(Vec::new()),
            resumable: false,
            ..Run::default()
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_run_refused_for_its_keys_is_stopped_never_completed() {
        let p = Progress {
            total: 3,
            pending: 3,
            done: true,
            halted: Some(ApiError {
                code: "AuthFailure.SignatureFailure".into(),
                message: "bad signature".into(),
                request_id: None,
                http_status: Some(200),
                class: ErrorClass::Auth,
                retryable: false,
            }),
            ..Progress::default()
        };
        let o = Outcome::of(&ended(p), false);
        assert_eq!(o.title(), "Stopped: authentication");
        assert!(o.next_step().contains("AuthFailure.SignatureFailure"));
        assert!(o.ended());
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn end_states_say_what_happened() {
        let base = Progress {
            total: 4,
            done: true,
            ..Progress::default()
        };
        let all = Progress {
            succeeded: 4,
            ..base.clone()
        };
        assert_eq!(Outcome::of(&ended(all), false), Outcome::Completed);
        let some = Progress {
            succeeded: 2,
            failed: 1,
            invalid: 1,
            ..base.clone()
        };
        assert_eq!(
            Outcome::of(&ended(some), false).title(),
            "Completed with failures"
        );
        let net = Progress {
            failed: 4,
            ..base.clone()
        };
        assert_eq!(
            Outcome::of(&ended(net.clone()), true).title(),
            "Stopped: network"
        );
        assert_eq!(
            Outcome::of(&ended(net), false).title(),
            "Completed with failures"
        );
        let refused_before = Progress {
            succeeded: 3,
            invalid: 1,
            ..base.clone()
        };
        assert_eq!(
            Outcome::of(&ended(refused_before), false),
            Outcome::Completed,
            "lines refused before the run are not the run's failures"
        );
        let quota = Progress {
            succeeded: 1,
            deferred: 3,
            ..base
        };
        assert_eq!(Outcome::of(&ended(quota), false).title(), "Stopped: quota");
        let cancelled = Run {
            status: RunStatus::Cancelled,
            ..Run::default()
        };
        assert_eq!(Outcome::of(&cancelled, false).title(), "Stopped: cancelled");
        assert_eq!(Outcome::of(&Run::default(), false), Outcome::Idle);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn problems_are_tied_to_their_fields() {
        // the wasm build parses URLs with the host's `URL` (in the tests, Node's)
        crate::host_url::install();
        let form = Form::default();
        let errors = validate(&form);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].field, "urls");
        let mut form = Form {
            urls: yew::AttrValue::from("https://www.example.com/a"),
            ..Form::default()
        };
        assert!(validate(&form).is_empty());
        form.target.zone_id = " ".into();
        assert_eq!(validate(&form)[0].field, "zone-id");
        form.target.zone_id = "zone-sandbox".into();
        form.target.rate = "fast".into();
        let e = validate(&form);
        assert_eq!(e[0].field, "rate");
        assert!(e[0].message.contains("Rate"), "the message names the field");
        form.target.rate = "20".into();
        form.tencent = Connection::Keys {
            id: String::new(),
            secret: String::new(),
            token: None,
        };
        assert_eq!(validate(&form)[0].field, "tc-id");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_samples_are_ready_for_every_vendor_and_the_counts_agree() {
        // the wasm build parses URLs with the host's `URL` (in the tests, Node's)
        crate::host_url::install();
        for service in [Service::Teo, Service::Cdn, Service::Esa] {
            let text = sample_urls(service).join("\n");
            let c = url_counts(&text, service, JobKind::Prefetch);
            assert_eq!((c.ready, c.refused), (6, 0), "{service:?}");
            assert!(text.contains("/fail/") && text.contains("/missing/"));
        }
        let c = url_counts(
            "https://www.example.com/a\nnot a url\nhttps://www.example.com/a\nftp://x",
            Service::Cdn,
            JobKind::Prefetch,
        );
        assert_eq!(c.sentence(), "1 URL ready, 2 refused, 1 duplicate dropped");
        assert_eq!(duration(125.0), "2 min 5 s");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn phases_are_said_per_kind() {
        assert_eq!(phase_line(JobKind::Prefetch, Phase::Prefetch), None);
        assert_eq!(
            phase_line(JobKind::Refresh, Phase::Purge).as_deref(),
            Some("Purging — step 1 of 2")
        );
        assert_eq!(
            phase_line(JobKind::Refresh, Phase::Prefetch).as_deref(),
            Some("Warming — step 2 of 2")
        );
        let c = PhaseCounts {
            phase: Phase::Prefetch,
            purge_failed: 1,
            prefetch_failed: 2,
        };
        assert_eq!(
            phase_failures(JobKind::Refresh, &c),
            "1 purge failed (not warmed), 2 warms failed"
        );
        let done = Outcome::Completed;
        assert!(done
            .next_step_for(JobKind::Purge {
                purge_type: edgewarm::job::PurgeType::Url
            })
            .starts_with("Every entry is purged"));
        assert_eq!(done.next_step_for(JobKind::Prefetch), done.next_step());
        assert_eq!(
            quota_words(Some(9), Some(1000)),
            "9 left, up to 1000 per call"
        );
        assert_eq!(quota_words(None, None), "unknown");
    }
}
