//! The console's one store: a `Reducible` state and the action enum that changes it (as Yew's
//! todomvc). Views dispatch actions; the runner dispatches progress. Pure data and pure
//! transitions, so it is tested without a browser. The job itself (possibly a million URLs)
//! lives with the runner; the store keeps what the views show.

use crate::connection::Connection;
use edgewarm::job::Progress;
use edgewarm::Cloud;
use edgewarm::{ApiError, Service};
use std::rc::Rc;
use yew::{AttrValue, Reducible};

pub mod product;

/// Which page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Page {
    /// Connections, target, URLs, plan, dry run, run.
    #[default]
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
    /// What happened, in the vendor's or edgewarm's words.
    pub text: String,
    /// What to do next.
    pub hint: Option<String>,
}

impl Notice {
    /// From a vendor error: an English line in front of a Chinese vendor message (the vendor's
    /// words kept after it), and the documented hint naming the field where the message does.
    pub fn api(e: &ApiError) -> Notice {
        Notice {
            error: true,
            code: e.code.clone(),
            text: e.english_message(),
            hint: e.hint(&[]),
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

    /// A plain information message, not an error.
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
    /// URLs the vendor has taken or answered: submitted, succeeded or failed.
    pub sent: usize,
    /// URLs warmed so far.
    pub succeeded: usize,
    /// Failed + invalid.
    pub failed: usize,
    /// URLs put off until the quota has room.
    pub deferred: usize,
}

/// One signed call of the dry run.
#[derive(Debug, Clone, PartialEq)]
pub struct DryCall {
    /// The vendor action of the call (`PushUrlsCache`, …).
    pub action: String,
    /// URLs in it.
    pub urls: usize,
    /// curl command (no secret in it).
    pub curl: String,
    /// The canonical request the signature covers.
    pub canonical_request: String,
    /// String to sign.
    pub string_to_sign: String,
}

/// What the plan view shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanView {
    /// URLs in the job after dropping duplicates, invalid ones included.
    pub urls: usize,
    /// URLs refused locally.
    pub invalid: usize,
    /// Lines refused, as the URL panel counts them (not URLs, or against the vendor's rules).
    pub refused: usize,
    /// Submit calls the plan needs.
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

/// What the forms hold: the vendor, both clouds' connections, the target and the URL list.
/// Changes only when the user edits them, never on a progress tick.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// Vendor worked on.
    pub vendor: Service,
    /// Tencent connection (EdgeOne, CDN).
    pub tencent: Connection,
    /// Alibaba connection (ESA).
    pub alibaba: Connection,
    /// The target fields of every vendor (zone, area, site, …), kept when the vendor changes.
    pub target: TargetForm,
    /// The URL list as typed, pasted or loaded: one shared string (possibly megabytes), cloned
    /// as a pointer by every reduce and every view, copied only when the list itself changes.
    pub urls: AttrValue,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            vendor: Service::Teo,
            tencent: Connection::Sandbox,
            alibaba: Connection::Sandbox,
            target: TargetForm::default(),
            urls: AttrValue::Static(""),
        }
    }
}

impl Form {
    /// The connection that signs for `service`.
    pub fn connection(&self, service: Service) -> &Connection {
        match service.cloud() {
            Cloud::Tencent => &self.tencent,
            Cloud::Alibaba => &self.alibaba,
        }
    }
}

/// The plan and the dry run of the current forms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Planned {
    /// The plan, once made.
    pub plan: Option<PlanView>,
    /// The dry run, once made.
    pub dry_run: Vec<DryCall>,
}

/// The run as the run panel shows it: the only part a progress tick changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Where the run stands.
    pub status: RunStatus,
    /// The engine's last progress report, once a run has started.
    pub progress: Option<Progress>,
    /// Progress over time (bounded: [`MAX_POINTS`]).
    pub points: Rc<Vec<Point>>,
    /// A saved journal exists (resume offered).
    pub resumable: bool,
}

impl Default for Run {
    fn default() -> Self {
        Run {
            status: RunStatus::Idle,
            progress: None,
            points: Rc::new(Vec::new()),
            resumable: false,
        }
    }
}

impl Run {
    /// Whether a run is in progress (running or paused).
    pub fn busy(&self) -> bool {
        matches!(self.status, RunStatus::Running | RunStatus::Paused)
    }
}

/// The whole console state, one shared slice per concern: a reduce copies only the slice it
/// changes (a progress tick copies [`Run`], never the URL list), and each view subscribes to the
/// slices it shows, so a tick re-renders the run panel alone.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct State {
    /// The page (tab) the console shows.
    pub page: Page,
    /// Forms (vendor, connections, target, URLs).
    pub form: Rc<Form>,
    /// Plan and dry run.
    pub planned: Rc<Planned>,
    /// The run panel's state: the only slice a progress tick replaces.
    pub run: Rc<Run>,
    /// Messages, newest last.
    pub notices: Rc<Vec<Notice>>,
    /// Problems shown next to their fields (see [`product`]).
    pub field_errors: Rc<Vec<product::FieldError>>,
    /// What the current run was launched with (see [`product`]).
    pub launch: Rc<Option<product::Launch>>,
}

impl State {
    /// The connection that signs for `service`.
    pub fn connection(&self, service: Service) -> &Connection {
        self.form.connection(service)
    }

    /// Whether a run is in progress (running or paused).
    pub fn busy(&self) -> bool {
        self.run.busy()
    }

    fn forms_changed(&mut self) {
        if *self.planned != Planned::default() {
            self.planned = Rc::new(Planned::default());
        }
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
    Urls(AttrValue),
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
    /// Show a notice.
    Notify(Notice),
    /// Remove every notice.
    ClearNotices,
    /// Whether a saved journal exists.
    Resumable(bool),
    /// Problems of the forms, each shown next to its field (empty: none).
    FieldErrors(Vec<product::FieldError>),
    /// A run was launched with this plan.
    Launched(product::Launch),
}

/// Points kept for the chart (older ones are thinned).
pub const MAX_POINTS: usize = 600;

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // a shallow copy: one pointer per slice; `Rc::make_mut` copies the one slice changed
        let mut s = (*self).clone();
        match action {
            Action::Show(page) => s.page = page,
            Action::Vendor(v) => {
                if s.busy() || s.form.vendor == v {
                    return self;
                }
                Rc::make_mut(&mut s.form).vendor = v;
                s.forms_changed();
            }
            Action::Connect(cloud, c) => {
                let form = Rc::make_mut(&mut s.form);
                match cloud {
                    Cloud::Tencent => form.tencent = c,
                    Cloud::Alibaba => form.alibaba = c,
                }
            }
            Action::Target(t) => {
                Rc::make_mut(&mut s.form).target = t;
                s.forms_changed();
            }
            Action::Urls(text) => {
                Rc::make_mut(&mut s.form).urls = text;
                s.forms_changed();
            }
            Action::AddUrls(text) => {
                let old = s.form.urls.as_str();
                let mut all = String::with_capacity(old.len() + 1 + text.len());
                all.push_str(old);
                if !all.is_empty() && !all.ends_with('\n') {
                    all.push('\n');
                }
                all.push_str(&text);
                Rc::make_mut(&mut s.form).urls = AttrValue::from(all);
                s.forms_changed();
            }
            Action::Planned(p) => Rc::make_mut(&mut s.planned).plan = Some(p),
            Action::DryRun(calls) => Rc::make_mut(&mut s.planned).dry_run = calls,
            Action::Started => {
                let run = Rc::make_mut(&mut s.run);
                run.status = RunStatus::Running;
                run.points = Rc::new(Vec::new());
                run.progress = None;
            }
            Action::Progress(p, t) => {
                let run = Rc::make_mut(&mut s.run);
                let point = Point {
                    t,
                    open: p.pending + p.submitted,
                    sent: p.submitted + p.succeeded + p.failed,
                    succeeded: p.succeeded,
                    failed: p.failed + p.invalid,
                    deferred: p.deferred,
                };
                let points = Rc::make_mut(&mut run.points);
                if points
                    .last()
                    .is_none_or(|last| last.t < t || *last != point)
                {
                    points.push(point);
                }
                if points.len() > MAX_POINTS {
                    // keep the first, thin the rest by half
                    let first = points[0];
                    let rest: Vec<Point> = points[1..].iter().copied().step_by(2).collect();
                    *points = std::iter::once(first).chain(rest).collect();
                }
                if p.done && run.busy() {
                    run.status = RunStatus::Done;
                }
                run.progress = Some(p);
            }
            Action::Pause if s.run.status == RunStatus::Running => {
                Rc::make_mut(&mut s.run).status = RunStatus::Paused
            }
            Action::Resume if s.run.status == RunStatus::Paused => {
                Rc::make_mut(&mut s.run).status = RunStatus::Running
            }
            Action::Cancel if s.busy() => Rc::make_mut(&mut s.run).status = RunStatus::Cancelled,
            Action::Pause | Action::Resume | Action::Cancel => return self,
            Action::Finished => {
                if s.busy() {
                    Rc::make_mut(&mut s.run).status = RunStatus::Done;
                }
            }
            Action::Notify(n) => {
                let notices = Rc::make_mut(&mut s.notices);
                notices.push(n);
                if notices.len() > 50 {
                    notices.remove(0);
                }
            }
            Action::ClearNotices => s.notices = Rc::new(Vec::new()),
            Action::Resumable(r) => {
                if s.run.resumable == r {
                    return self;
                }
                Rc::make_mut(&mut s.run).resumable = r
            }
            Action::FieldErrors(errors) => s.field_errors = Rc::new(errors),
            Action::Launched(launch) => {
                // the plan shown was this run's: the next plan is made for the next run
                if s.planned.plan.is_some() {
                    Rc::make_mut(&mut s.planned).plan = None;
                }
                s.launch = Rc::new(Some(launch));
            }
        }
        // a field's problem goes away as soon as the field is fixed (only the fields in error
        // are checked again, so a problem never appears before the user acts)
        if !s.field_errors.is_empty() && !Rc::ptr_eq(&s.form, &self.form) {
            let now = product::validate(&s.form);
            let kept: Vec<product::FieldError> = s
                .field_errors
                .iter()
                .filter_map(|e| now.iter().find(|n| n.field == e.field).cloned())
                .collect();
            if kept != *s.field_errors {
                s.field_errors = Rc::new(kept);
            }
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
            refused: 0,
            batches: 1,
            batch_cap: 500,
            rate: 20.0,
            quota_before: None,
            seconds: 0.0,
        };
        let s = run(vec![
            Action::Urls(AttrValue::from("https://www.example.com/a")),
            Action::Planned(plan.clone()),
        ]);
        assert_eq!(s.planned.plan.as_ref(), Some(&plan));
        let s = s.reduce(Action::AddUrls("https://www.example.com/b".into()));
        assert_eq!(
            s.form.urls.as_str(),
            "https://www.example.com/a\nhttps://www.example.com/b"
        );
        assert!(s.planned.plan.is_none());
        let s = run(vec![
            Action::Planned(plan),
            Action::Target(TargetForm::default()),
        ]);
        assert!(s.planned.plan.is_none());
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn run_lifecycle_pause_resume_cancel_done() {
        let s = run(vec![Action::Started]);
        assert_eq!(s.run.status, RunStatus::Running);
        let s = s.reduce(Action::Pause);
        assert_eq!(s.run.status, RunStatus::Paused);
        assert!(s.busy());
        let s = s.reduce(Action::Pause);
        assert_eq!(
            s.run.status,
            RunStatus::Paused,
            "pausing twice changes nothing"
        );
        let s = s
            .reduce(Action::Resume)
            .reduce(Action::Progress(progress(1, 1, false), 1.0));
        assert_eq!(s.run.status, RunStatus::Running);
        let s = s.reduce(Action::Progress(progress(0, 2, true), 2.0));
        assert_eq!(s.run.status, RunStatus::Done);
        assert_eq!(s.run.points.len(), 2);
        assert_eq!(s.run.points[1].succeeded, 2);
        let s = s.reduce(Action::Cancel);
        assert_eq!(
            s.run.status,
            RunStatus::Done,
            "a finished run cannot be cancelled"
        );
        let s = run(vec![Action::Started, Action::Cancel]);
        assert_eq!(s.run.status, RunStatus::Cancelled);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn vendor_cannot_change_under_a_running_job() {
        let s = run(vec![Action::Started, Action::Vendor(Service::Esa)]);
        assert_eq!(s.form.vendor, Service::Teo);
        let s = run(vec![Action::Vendor(Service::Esa)]);
        assert_eq!(s.form.vendor, Service::Esa);
        assert_eq!(s.connection(Service::Esa), &Connection::Sandbox);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_progress_tick_shares_the_url_list_and_every_other_slice() {
        let urls: String = (0..100_000)
            .map(|i| format!("https://www.example.com/{i}\n"))
            .collect();
        let s = run(vec![
            Action::Urls(AttrValue::from(urls)),
            Action::Notify(Notice::info("hello")),
            Action::Started,
        ]);
        let text = s.form.urls.as_str().as_ptr();
        let next = s
            .clone()
            .reduce(Action::Progress(progress(5, 1, false), 1.0));
        assert!(Rc::ptr_eq(&s.form, &next.form), "the forms are not copied");
        assert_eq!(next.form.urls.as_str().as_ptr(), text, "nor the URL text");
        assert!(Rc::ptr_eq(&s.planned, &next.planned));
        assert!(Rc::ptr_eq(&s.notices, &next.notices));
        assert!(
            !Rc::ptr_eq(&s.run, &next.run),
            "the run slice is the one that changes"
        );
        let same = next.clone().reduce(Action::Resumable(false));
        assert!(
            Rc::ptr_eq(&same, &next),
            "a no-op keeps the same state (no render)"
        );
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
        assert!(s.run.points.len() <= MAX_POINTS);
        assert_eq!(s.run.points[0].t, 0.0, "the start is kept");
        assert_eq!(s.run.progress.as_ref().map(|p| p.succeeded), Some(4999));
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
