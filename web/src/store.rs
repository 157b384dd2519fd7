//! The console's one store: a `Reducible` state and the action enum that changes it (as Yew's
//! todomvc). Views dispatch actions; the runner dispatches progress. Pure data and pure
//! transitions, so it is tested without a browser. The job itself (possibly a million URLs)
//! lives with the runner; the store keeps what the views show.

use crate::connection::{Cloud, Connection};
use edgewarm::job::Progress;
use edgewarm::{ApiError, Service};
use std::rc::Rc;
use yew::Reducible;

/// Which page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// Connections, target, URLs, plan, dry run, run.
    Warm,
    /// Describe* task lists and quotas.
    History,
    /// ESA scheduled prefetch jobs and execution plans.
    Scheduled,
}

/// Target options, per vendor, as the forms hold them.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetForm {
    /// EdgeOne zone id.
    pub zone_id: String,
    /// Tencent international site.
    pub intl: bool,
    /// CDN `Area`.
    pub area: String,
    /// CDN `Layer` (`middle` or empty).
    pub layer: String,
    /// CDN `UserAgent`.
    pub user_agent: String,
    /// CDN `ParseM3U8`.
    pub parse_m3u8: bool,
    /// CDN `DisableRange`.
    pub disable_range: bool,
    /// Headers, one `Name: value` per line (CDN ≤ 20; EdgeOne and ESA too).
    pub headers: String,
    /// ESA site id (digits).
    pub site_id: String,
    /// ESA region.
    pub region: String,
    /// Requests per second.
    pub rate: String,
}

impl Default for TargetForm {
    fn default() -> Self {
        TargetForm {
            zone_id: "zone-sandbox".into(),
            intl: false,
            area: "mainland".into(),
            layer: String::new(),
            user_agent: String::new(),
            parse_m3u8: false,
            disable_range: false,
            headers: String::new(),
            site_id: "100000001".into(),
            region: "cn-hangzhou".into(),
            rate: "20".into(),
        }
    }
}

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// Nothing running.
    Idle,
    /// The runner is sending and tracking.
    Running,
    /// Paused by the user (nothing new is sent; answers still land).
    Paused,
    /// Every URL final.
    Done,
    /// Stopped by the user; the journal is kept for resume.
    Cancelled,
}

/// A message for the user: the vendor's code, a plain explanation and what to do next.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// `error` or `info`.
    pub error: bool,
    /// Vendor or edgewarm code.
    pub code: String,
    /// What happened.
    pub text: String,
    /// What to do next.
    pub hint: Option<String>,
}

impl Notice {
    /// From a vendor error, with the documented hint.
    pub fn api(e: &ApiError) -> Notice {
        let hint = edgewarm::vendor::codes::hint_any(&e.code).map(String::from);
        Notice {
            error: true,
            code: e.code.clone(),
            text: e.message.clone(),
            hint,
        }
    }

    /// A local error (validation, network).
    pub fn local(code: &str, text: impl Into<String>) -> Notice {
        Notice {
            error: true,
            code: code.into(),
            text: text.into(),
            hint: None,
        }
    }

    /// Information.
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            error: false,
            code: String::new(),
            text: text.into(),
            hint: None,
        }
    }
}

/// Counts at one moment, for the chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Seconds since the run started.
    pub t: f64,
    /// Pending + submitted.
    pub open: usize,
    /// Succeeded.
    pub succeeded: usize,
    /// Failed + invalid.
    pub failed: usize,
    /// Deferred.
    pub deferred: usize,
}

/// One signed call of the dry run.
#[derive(Debug, Clone, PartialEq)]
pub struct DryCall {
    /// Action.
    pub action: String,
    /// URLs in it.
    pub urls: usize,
    /// curl command (no secret in it).
    pub curl: String,
    /// Canonical request.
    pub canonical_request: String,
    /// String to sign.
    pub string_to_sign: String,
}

/// What the plan view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanView {
    /// URLs kept.
    pub urls: usize,
    /// URLs refused locally.
    pub invalid: usize,
    /// Calls.
    pub batches: usize,
    /// URLs per call.
    pub batch_cap: usize,
    /// Requests per second.
    pub rate: f64,
    /// Remaining quota before, if the vendor told.
    pub quota_before: Option<u64>,
    /// Least time the submits take (s).
    pub seconds: f64,
}

/// The whole console state.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Page shown.
    pub page: Page,
    /// Vendor worked on.
    pub vendor: Service,
    /// Tencent connection (EdgeOne, CDN).
    pub tencent: Connection,
    /// Alibaba connection (ESA).
    pub alibaba: Connection,
    /// Target forms.
    pub target: TargetForm,
    /// The URL list as typed, pasted or loaded.
    pub urls_text: String,
    /// The plan, once made.
    pub plan: Option<PlanView>,
    /// The dry run, once made.
    pub dry_run: Vec<DryCall>,
    /// Run status.
    pub status: RunStatus,
    /// Latest progress.
    pub progress: Option<Progress>,
    /// Progress over time.
    pub points: Vec<Point>,
    /// Messages, newest last.
    pub notices: Vec<Notice>,
    /// A saved journal exists (resume offered).
    pub resumable: bool,
}

impl Default for State {
    fn default() -> Self {
        State {
            page: Page::Warm,
            vendor: Service::Teo,
            tencent: Connection::Sandbox,
            alibaba: Connection::Sandbox,
            target: TargetForm::default(),
            urls_text: String::new(),
            plan: None,
            dry_run: Vec::new(),
            status: RunStatus::Idle,
            progress: None,
            points: Vec::new(),
            notices: Vec::new(),
            resumable: false,
        }
    }
}

impl State {
    /// The connection that signs for `service`.
    pub fn connection(&self, service: Service) -> &Connection {
        match Cloud::of(service) {
            Cloud::Tencent => &self.tencent,
            Cloud::Alibaba => &self.alibaba,
        }
    }

    /// Whether a run is in progress (running or paused).
    pub fn busy(&self) -> bool {
        matches!(self.status, RunStatus::Running | RunStatus::Paused)
    }
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Show a page.
    Show(Page),
    /// Work on a vendor (clears plan and dry run).
    Vendor(Service),
    /// Set a cloud's connection.
    Connect(Cloud, Connection),
    /// Replace the target form.
    Target(TargetForm),
    /// Replace the URL list.
    Urls(String),
    /// Append loaded URLs (files, drops).
    AddUrls(String),
    /// A plan was made.
    Planned(PlanView),
    /// A dry run was made.
    DryRun(Vec<DryCall>),
    /// A run started (or resumed).
    Started,
    /// New progress at `t` seconds.
    Progress(Progress, f64),
    /// Pause the run.
    Pause,
    /// Resume a paused run.
    Resume,
    /// Cancel the run.
    Cancel,
    /// The run ended.
    Finished,
    /// A message.
    Notify(Notice),
    /// Clear messages.
    ClearNotices,
    /// Whether a saved journal exists.
    Resumable(bool),
}

/// Points kept for the chart (older ones are thinned).
const MAX_POINTS: usize = 600;

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Show(page) => s.page = page,
            Action::Vendor(v) => {
                if s.busy() {
                    return self;
                }
                s.vendor = v;
                s.plan = None;
                s.dry_run.clear();
            }
            Action::Connect(cloud, c) => match cloud {
                Cloud::Tencent => s.tencent = c,
                Cloud::Alibaba => s.alibaba = c,
            },
            Action::Target(t) => {
                s.target = t;
                s.plan = None;
                s.dry_run.clear();
            }
            Action::Urls(text) => {
                s.urls_text = text;
                s.plan = None;
                s.dry_run.clear();
            }
            Action::AddUrls(text) => {
                if !s.urls_text.is_empty() && !s.urls_text.ends_with('\n') {
                    s.urls_text.push('\n');
                }
                s.urls_text.push_str(&text);
                s.plan = None;
                s.dry_run.clear();
            }
            Action::Planned(p) => s.plan = Some(p),
            Action::DryRun(calls) => s.dry_run = calls,
            Action::Started => {
                s.status = RunStatus::Running;
                s.points.clear();
                s.progress = None;
            }
            Action::Progress(p, t) => {
                let point = Point {
                    t,
                    open: p.pending + p.submitted,
                    succeeded: p.succeeded,
                    failed: p.failed + p.invalid,
                    deferred: p.deferred,
                };
                if s.points
                    .last()
                    .is_none_or(|last| last.t < t || *last != point)
                {
                    s.points.push(point);
                }
                if s.points.len() > MAX_POINTS {
                    // keep the first, thin the rest by half
                    let first = s.points[0];
                    let rest: Vec<Point> = s.points[1..].iter().copied().step_by(2).collect();
                    s.points = std::iter::once(first).chain(rest).collect();
                }
                if p.done && s.busy() {
                    s.status = RunStatus::Done;
                }
                s.progress = Some(p);
            }
            Action::Pause if s.status == RunStatus::Running => s.status = RunStatus::Paused,
            Action::Resume if s.status == RunStatus::Paused => s.status = RunStatus::Running,
            Action::Cancel if s.busy() => s.status = RunStatus::Cancelled,
            Action::Pause | Action::Resume | Action::Cancel => return self,
            Action::Finished => {
                if s.busy() {
                    s.status = RunStatus::Done;
                }
            }
            Action::Notify(n) => {
                s.notices.push(n);
                if s.notices.len() > 50 {
                    s.notices.remove(0);
                }
            }
            Action::ClearNotices => s.notices.clear(),
            Action::Resumable(r) => s.resumable = r,
        }
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(pending: usize, succeeded: usize, done: bool) -> Progress {
        Progress {
            total: pending + succeeded,
            pending,
            succeeded,
            done,
            ..Progress::default()
        }
    }

    fn run(actions: Vec<Action>) -> Rc<State> {
        actions
            .into_iter()
            .fold(Rc::new(State::default()), |s, a| s.reduce(a))
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn editing_the_inputs_drops_a_stale_plan() {
        let plan = PlanView {
            urls: 2,
            invalid: 0,
            batches: 1,
            batch_cap: 500,
            rate: 20.0,
            quota_before: None,
            seconds: 0.0,
        };
        let s = run(vec![
            Action::Urls("https://www.example.com/a".into()),
            Action::Planned(plan.clone()),
        ]);
        assert_eq!(s.plan.as_ref(), Some(&plan));
        let s = s.reduce(Action::AddUrls("https://www.example.com/b".into()));
        assert_eq!(
            s.urls_text,
            "https://www.example.com/a\nhttps://www.example.com/b"
        );
        assert!(s.plan.is_none());
        let s = run(vec![
            Action::Planned(plan),
            Action::Target(TargetForm::default()),
        ]);
        assert!(s.plan.is_none());
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn run_lifecycle_pause_resume_cancel_done() {
        let s = run(vec![Action::Started]);
        assert_eq!(s.status, RunStatus::Running);
        let s = s.reduce(Action::Pause);
        assert_eq!(s.status, RunStatus::Paused);
        assert!(s.busy());
        let s = s.reduce(Action::Pause);
        assert_eq!(s.status, RunStatus::Paused, "pausing twice changes nothing");
        let s = s
            .reduce(Action::Resume)
            .reduce(Action::Progress(progress(1, 1, false), 1.0));
        assert_eq!(s.status, RunStatus::Running);
        let s = s.reduce(Action::Progress(progress(0, 2, true), 2.0));
        assert_eq!(s.status, RunStatus::Done);
        assert_eq!(s.points.len(), 2);
        assert_eq!(s.points[1].succeeded, 2);
        let s = s.reduce(Action::Cancel);
        assert_eq!(
            s.status,
            RunStatus::Done,
            "a finished run cannot be cancelled"
        );
        let s = run(vec![Action::Started, Action::Cancel]);
        assert_eq!(s.status, RunStatus::Cancelled);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn vendor_cannot_change_under_a_running_job() {
        let s = run(vec![Action::Started, Action::Vendor(Service::Esa)]);
        assert_eq!(s.vendor, Service::Teo);
        let s = run(vec![Action::Vendor(Service::Esa)]);
        assert_eq!(s.vendor, Service::Esa);
        assert_eq!(s.connection(Service::Esa), &Connection::Sandbox);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_chart_keeps_a_bounded_number_of_points() {
        let mut s = run(vec![Action::Started]);
        for i in 0..5000 {
            s = s.reduce(Action::Progress(
                progress(5000 - i, i, false),
                f64::from(i as u32),
            ));
        }
        assert!(s.points.len() <= MAX_POINTS);
        assert_eq!(s.points[0].t, 0.0, "the start is kept");
        assert_eq!(s.progress.as_ref().map(|p| p.succeeded), Some(4999));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn notices_are_bounded_and_keys_never_show_in_debug() {
        let mut s = Rc::new(State::default());
        for i in 0..80 {
            s = s.reduce(Action::Notify(Notice::local("x", format!("n{i}"))));
        }
        assert_eq!(s.notices.len(), 50);
        assert_eq!(s.notices.last().map(|n| n.text.as_str()), Some("n79"));
        let s = s.reduce(Action::Connect(
            Cloud::Tencent,
            Connection::Keys {
                id: "AKIDREAL".into(),
                secret: "very-secret".into(),
                token: None,
            },
        ));
        assert!(!format!("{s:?}").contains("very-secret"));
    }
}
