//! The console's one store: a `Reducible` state and the action enum that changes it (as Yew's
//! todomvc). Views dispatch actions; the runner dispatches progress. Pure data and pure
//! transitions, so it is tested without a browser. The job itself (possibly a million URLs)
//! lives with the runner; the store keeps what the views show.

use crate::connection::Connection;
use edgewarm::job::{HostCount, HostWarning, JobKind, Progress};
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

/// Target options, per vendor, as the forms hold them (saved with a running job, so a reload
/// restores them: no secret is in here).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
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
    /// What the job does: warm (prefetch), refresh (purge, then warm) or purge only.
    pub kind: JobKind,
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
            kind: JobKind::Prefetch,
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
    /// Stopped by a reload or a closed tab while running; the journal is kept for resume.
    Interrupted,
    /// Stopped because the browser refused to keep the journal ([`Run::storage`] says why).
    StorageRefused,
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
    /// Remaining prefetch quota before, if the vendor told.
    pub quota_before: Option<u64>,
    /// Remaining purge quota before (purge and refresh jobs), if the vendor told.
    pub purge_quota_before: Option<u64>,
    /// Least time the submits take (s).
    pub seconds: f64,
    /// What the job does.
    pub kind: JobKind,
    /// URLs per host, the largest first, each marked served or not when that is known.
    pub hosts: Vec<HostCount>,
    /// Hosts whose URLs will not get through, in sentences.
    pub warnings: Vec<HostWarning>,
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
    /// The URL list as typed or pasted in the text box: one shared string, cloned as a pointer
    /// by every reduce and every view, copied only when the list itself changes.
    pub urls: AttrValue,
    /// URLs loaded from files and sitemaps, one a line: held here (possibly a million lines), never
    /// copied into the text box; shown as a virtualised list.
    pub loaded: AttrValue,
    /// The files [`Form::loaded`] came from.
    pub files: Rc<Vec<String>>,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            vendor: Service::Teo,
            tencent: Connection::Sandbox,
            alibaba: Connection::Sandbox,
            target: TargetForm::default(),
            urls: AttrValue::Static(""),
            loaded: AttrValue::Static(""),
            files: Rc::new(Vec::new()),
        }
    }
}

impl Form {
    /// The whole list the job takes: the typed lines, then the loaded ones (borrowed when one of
    /// them is empty; joined only when a job or a check needs both).
    pub fn list(&self) -> std::borrow::Cow<'_, str> {
        match (self.urls.is_empty(), self.loaded.is_empty()) {
            (_, true) => std::borrow::Cow::Borrowed(self.urls.as_str()),
            (true, false) => std::borrow::Cow::Borrowed(self.loaded.as_str()),
            (false, false) => {
                let mut all = String::with_capacity(self.urls.len() + 1 + self.loaded.len());
                all.push_str(&self.urls);
                if !all.ends_with('\n') {
                    all.push('\n');
                }
                all.push_str(&self.loaded);
                std::borrow::Cow::Owned(all)
            }
        }
    }

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
    /// When this run retries the failed URLs of an earlier one: that run's last counts, shown
    /// next to this run's own.
    pub retry_of: Option<Progress>,
    /// The next start is a retry of this run (set by [`Action::Retrying`]).
    retrying: bool,
    /// Why the browser refused to keep the journal, when that stopped the run.
    pub storage: Option<String>,
}

impl Default for Run {
    fn default() -> Self {
        Run {
            status: RunStatus::Idle,
            progress: None,
            points: Rc::new(Vec::new()),
            resumable: false,
            retry_of: None,
            retrying: false,
            storage: None,
        }
    }
}

impl Run {
    /// Whether a run is in progress (running or paused).
    pub fn busy(&self) -> bool {
        matches!(self.status, RunStatus::Running | RunStatus::Paused)
    }

    /// A run a reload interrupted, as its saved journal left it: its counts, resumable.
    pub fn interrupted(progress: Progress) -> Run {
        Run {
            status: RunStatus::Interrupted,
            progress: Some(progress),
            resumable: true,
            ..Run::default()
        }
    }
}

/// What one vendor shows while another is on screen: its run and its messages, put back when
/// the user switches to it again.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parked {
    /// The vendor's run.
    pub run: Rc<Run>,
    /// The vendor's messages.
    pub notices: Rc<Vec<Notice>>,
    /// What the vendor's run was launched with.
    pub launch: Rc<Option<product::Launch>>,
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
    /// The other vendors' runs and messages, while they are not shown (never shown).
    pub parked: Rc<Vec<(Service, Parked)>>,
    /// Problems shown next to their fields (see [`product`]).
    pub field_errors: Rc<Vec<product::FieldError>>,
    /// What the current run was launched with (see [`product`]).
    pub launch: Rc<Option<product::Launch>>,
}

impl State {
    /// The run of `service`, shown or parked.
    pub fn run_of(&self, service: Service) -> Option<&Run> {
        if service == self.form.vendor {
            return Some(&self.run);
        }
        self.parked
            .iter()
            .find(|(s, _)| *s == service)
            .map(|(_, p)| &*p.run)
    }

    /// The connection that signs for `service`.
    pub fn connection(&self, service: Service) -> &Connection {
        self.form.connection(service)
    }

    /// Whether a run is in progress (running or paused).
    pub fn busy(&self) -> bool {
        self.run.busy()
    }

    /// The state a page load starts from: the page its URL names, the forms a running job saved,
    /// and each vendor's saved (unfinished) job as an interrupted, resumable run with its counts.
    pub fn restored(page: Page, form: Form, saved: Vec<(Service, Progress)>) -> State {
        let mut s = State {
            page,
            form: Rc::new(form),
            ..State::default()
        };
        for (service, progress) in saved {
            let run = Rc::new(Run::interrupted(progress));
            if service == s.form.vendor {
                s.run = run;
            } else {
                Rc::make_mut(&mut s.parked).push((
                    service,
                    Parked {
                        run,
                        ..Parked::default()
                    },
                ));
            }
        }
        s
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
    /// What the job does (warm, refresh, purge).
    Kind(JobKind),
    /// Replace the URL list.
    Urls(AttrValue),
    /// Append loaded URLs (files, drops).
    AddUrls(String),
    /// Replace the URLs loaded from files with these files' (names, one URL a line).
    LoadFiles(Vec<String>, String),
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
    /// What a runner reports about its vendor's job (progress, its end, its messages): applied
    /// to that vendor's run whether it is shown or not, so nothing of one vendor's job ever
    /// lands on another's.
    For(Service, Box<Action>),
    /// The next start retries the failed URLs of the shown run (its counts are kept beside).
    Retrying,
    /// The saved job was discarded: nothing to resume.
    Discarded,
    /// Problems of the forms, each shown next to its field (empty: none).
    FieldErrors(Vec<product::FieldError>),
    /// A run was launched with this plan.
    Launched(product::Launch),
    /// The saved jobs read after the page loaded (IndexedDB answers after the first render):
    /// each vendor's counts, and the URL list of those whose forms were saved without it.
    Restored(Vec<(Service, Progress)>, Vec<(Service, AttrValue)>),
    /// The browser refused to keep the journal: the run stopped (the reason, in its words).
    StorageRefused(String),
}

/// Applies a run action to one vendor's run and messages; `false` when nothing changed.
fn apply(run: &mut Rc<Run>, notices: &mut Rc<Vec<Notice>>, action: Action) -> bool {
    match action {
        Action::Started => {
            let r = Rc::make_mut(run);
            let previous = r.progress.take();
            r.retry_of = if std::mem::take(&mut r.retrying) {
                previous
            } else {
                None
            };
            r.status = RunStatus::Running;
            r.points = Rc::new(Vec::new());
            r.resumable = false;
            r.storage = None;
        }
        Action::StorageRefused(why) => {
            let r = Rc::make_mut(run);
            r.status = RunStatus::StorageRefused;
            r.storage = Some(why);
            // what was kept before the refusal is consistent with what was sent
            r.resumable = true;
        }
        Action::Progress(p, t) => {
            let r = Rc::make_mut(run);
            let point = Point {
                t,
                open: p.pending + p.submitted,
                sent: p.submitted + p.succeeded + p.failed,
                succeeded: p.succeeded,
                failed: p.failed + p.invalid,
                deferred: p.deferred,
            };
            let points = Rc::make_mut(&mut r.points);
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
            if p.done && r.busy() {
                r.status = RunStatus::Done;
            }
            r.progress = Some(p);
        }
        Action::Pause if run.status == RunStatus::Running => {
            Rc::make_mut(run).status = RunStatus::Paused
        }
        Action::Resume if run.status == RunStatus::Paused => {
            Rc::make_mut(run).status = RunStatus::Running
        }
        Action::Cancel if run.busy() => {
            // the runner saves the journal as it stops: the job can be resumed
            let r = Rc::make_mut(run);
            r.status = RunStatus::Cancelled;
            r.resumable = true;
        }
        Action::Finished => {
            let r = Rc::make_mut(run);
            if r.busy() {
                r.status = RunStatus::Done;
            }
            // the journal of a finished job is closed: nothing to resume
            r.resumable = false;
        }
        Action::Notify(n) => {
            let list = Rc::make_mut(notices);
            list.push(n);
            if list.len() > 50 {
                list.remove(0);
            }
        }
        Action::ClearNotices => *notices = Rc::new(Vec::new()),
        Action::Resumable(r) => {
            if run.resumable == r {
                return false;
            }
            Rc::make_mut(run).resumable = r
        }
        Action::Retrying => {
            if run.busy() || run.retrying {
                return false;
            }
            Rc::make_mut(run).retrying = true;
        }
        Action::Discarded => {
            let r = Rc::make_mut(run);
            r.resumable = false;
            if r.status == RunStatus::Interrupted {
                *r = Run::default();
            }
        }
        _ => return false,
    }
    true
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
                // park the shown vendor's run and messages; bring back the new one's
                let parked = Rc::make_mut(&mut s.parked);
                let back = parked
                    .iter()
                    .position(|(p, _)| *p == v)
                    .map(|i| parked.remove(i).1)
                    .unwrap_or_default();
                let old = s.form.vendor;
                let run = std::mem::replace(&mut s.run, back.run);
                let notices = std::mem::replace(&mut s.notices, back.notices);
                let launch = std::mem::replace(&mut s.launch, back.launch);
                if *run != Run::default() || !notices.is_empty() || launch.is_some() {
                    parked.push((
                        old,
                        Parked {
                            run,
                            notices,
                            launch,
                        },
                    ));
                }
                // another vendor's form problems are not this one's
                s.field_errors = Rc::new(Vec::new());
                let form = Rc::make_mut(&mut s.form);
                form.vendor = v;
                // a purge the new vendor does not have (CDN: hosts, tags) becomes a URL purge
                if let JobKind::Purge { purge_type } = form.target.kind {
                    if purge_type.vendor_name(v).is_none() {
                        form.target.kind = JobKind::Purge {
                            purge_type: Default::default(),
                        };
                    }
                }
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
            Action::Kind(kind) => {
                if s.busy() || s.form.target.kind == kind {
                    return self;
                }
                Rc::make_mut(&mut s.form).target.kind = kind;
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
            Action::Restored(saved, urls) => {
                for (service, progress) in saved {
                    let run = Rc::new(Run::interrupted(progress));
                    if service == s.form.vendor {
                        if s.run.status != RunStatus::Idle || s.run.progress.is_some() {
                            continue;
                        }
                        s.run = run;
                    } else {
                        let parked = Rc::make_mut(&mut s.parked);
                        if parked.iter().any(|(v, _)| *v == service) {
                            continue;
                        }
                        parked.push((
                            service,
                            Parked {
                                run,
                                ..Parked::default()
                            },
                        ));
                    }
                }
                if let Some((_, text)) = urls.into_iter().find(|(v, _)| *v == s.form.vendor) {
                    if s.form.urls.is_empty() && s.form.loaded.is_empty() && !s.busy() {
                        let form = Rc::make_mut(&mut s.form);
                        form.loaded = text;
                        form.files = Rc::new(vec!["the saved job".into()]);
                    }
                }
            }
            Action::LoadFiles(files, text) => {
                if s.busy() {
                    return self;
                }
                let form = Rc::make_mut(&mut s.form);
                form.loaded = AttrValue::from(text);
                form.files = Rc::new(files);
                s.forms_changed();
            }
            Action::Planned(p) => Rc::make_mut(&mut s.planned).plan = Some(p),
            Action::DryRun(calls) => Rc::make_mut(&mut s.planned).dry_run = calls,
            Action::For(service, inner) => {
                let changed = if service == s.form.vendor {
                    apply(&mut s.run, &mut s.notices, *inner)
                } else {
                    let parked = Rc::make_mut(&mut s.parked);
                    let i = match parked.iter().position(|(v, _)| *v == service) {
                        Some(i) => i,
                        None => {
                            parked.push((service, Parked::default()));
                            parked.len() - 1
                        }
                    };
                    let p = &mut parked[i].1;
                    apply(&mut p.run, &mut p.notices, *inner)
                };
                if !changed {
                    return self;
                }
            }
            Action::FieldErrors(errors) => s.field_errors = Rc::new(errors),
            Action::Launched(launch) => {
                // the plan shown was this run's: the next plan is made for the next run
                if s.planned.plan.is_some() {
                    Rc::make_mut(&mut s.planned).plan = None;
                }
                s.launch = Rc::new(Some(launch));
            }
            other => {
                if !apply(&mut s.run, &mut s.notices, other) {
                    return self;
                }
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
            purge_quota_before: None,
            seconds: 0.0,
            kind: JobKind::Prefetch,
            hosts: Vec::new(),
            warnings: Vec::new(),
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
    fn the_task_changes_only_between_runs_and_drops_the_plan() {
        let s = run(vec![Action::Kind(JobKind::Refresh)]);
        assert_eq!(s.form.target.kind, JobKind::Refresh);
        let s = s
            .reduce(Action::Started)
            .reduce(Action::Kind(JobKind::Prefetch));
        assert_eq!(s.form.target.kind, JobKind::Refresh, "not under a run");
        let saved = serde_json::to_string(&s.form.target).expect("saved");
        let back: TargetForm = serde_json::from_str(&saved).expect("read back");
        assert_eq!(back.kind, JobKind::Refresh, "a reload restores the task");
        let old: TargetForm = serde_json::from_str("{}").expect("an old saved form");
        assert_eq!(old.kind, JobKind::Prefetch);
        let tags = JobKind::Purge {
            purge_type: edgewarm::job::PurgeType::Tag,
        };
        let s = run(vec![Action::Vendor(Service::Esa), Action::Kind(tags)]);
        assert_eq!(s.form.target.kind, tags, "ESA purges tags");
        let s = s.reduce(Action::Vendor(Service::Cdn));
        assert_eq!(
            s.form.target.kind,
            JobKind::Purge {
                purge_type: edgewarm::job::PurgeType::Url
            },
            "CDN has no tag purge"
        );
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

    fn for_(service: Service, a: Action) -> Action {
        Action::For(service, Box::new(a))
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn each_vendor_keeps_its_own_run_and_messages() {
        let teo = Service::Teo;
        let s = run(vec![
            for_(teo, Action::Started),
            for_(teo, Action::Progress(progress(0, 3, true), 1.0)),
            for_(teo, Action::Notify(Notice::info("teo summary"))),
            for_(teo, Action::Finished),
        ]);
        assert_eq!(s.run.status, RunStatus::Done);
        // another vendor shows nothing of EdgeOne's job
        let s = s.reduce(Action::Vendor(Service::Cdn));
        assert_eq!(*s.run, Run::default(), "no counts, no chart, no status");
        assert!(s.notices.is_empty(), "no EdgeOne messages");
        // a late EdgeOne report lands on EdgeOne's parked run, not on the shown one
        let s = s.reduce(for_(teo, Action::Notify(Notice::info("late"))));
        assert!(s.notices.is_empty());
        assert_eq!(
            s.run_of(teo)
                .and_then(|r| r.progress.as_ref())
                .map(|p| p.succeeded),
            Some(3)
        );
        let s = s.reduce(for_(Service::Cdn, Action::Started));
        assert_eq!(s.run.status, RunStatus::Running);
        let s = s.reduce(for_(Service::Cdn, Action::Finished));
        // back to EdgeOne: its run and messages come back as they were
        let s = s.reduce(Action::Vendor(teo));
        assert_eq!(s.run.progress.as_ref().map(|p| p.succeeded), Some(3));
        assert_eq!(s.notices.len(), 2);
        assert_eq!(s.notices[1].text, "late");
        assert_eq!(
            s.run_of(Service::Cdn).map(|r| r.status),
            Some(RunStatus::Done)
        );
        assert_eq!(s.run_of(Service::Esa), None);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn cancel_keeps_resume_and_finish_closes_it() {
        let s = run(vec![Action::Started, Action::Cancel]);
        assert_eq!(s.run.status, RunStatus::Cancelled);
        assert!(s.run.resumable, "a cancelled job can be resumed");
        let s = s.reduce(Action::Started);
        assert!(!s.run.resumable, "resumed");
        let s = s.reduce(Action::Finished);
        assert_eq!(s.run.status, RunStatus::Done);
        assert!(!s.run.resumable, "a finished job is not offered again");
        let s = s
            .reduce(Action::Resumable(true))
            .reduce(Action::Progress(progress(0, 1, true), 1.0))
            .reduce(Action::Finished);
        assert!(!s.run.resumable);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_reload_restores_interrupted_runs_per_vendor() {
        let form = Form {
            vendor: Service::Esa,
            urls: AttrValue::from("https://www.example.com/a"),
            ..Form::default()
        };
        let s = Rc::new(State::restored(
            Page::History,
            form,
            vec![
                (Service::Esa, progress(2, 1, false)),
                (Service::Teo, progress(5, 0, false)),
            ],
        ));
        assert_eq!(s.page, Page::History);
        assert_eq!(s.form.vendor, Service::Esa);
        assert_eq!(s.run.status, RunStatus::Interrupted);
        assert!(s.run.resumable && !s.busy());
        assert_eq!(s.run.progress.as_ref().map(|p| p.pending), Some(2));
        assert_eq!(
            s.run_of(Service::Teo).map(|r| r.status),
            Some(RunStatus::Interrupted)
        );
        // discarding forgets the interrupted run
        let d = s.clone().reduce(Action::Discarded);
        assert_eq!(*d.run, Run::default());
        // a vendor switch is allowed (nothing runs) and brings EdgeOne's saved run
        let t = s.reduce(Action::Vendor(Service::Teo));
        assert_eq!(t.run.progress.as_ref().map(|p| p.pending), Some(5));
        assert!(t.run.resumable);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_retry_keeps_the_original_counts_beside_its_own() {
        let mut first = progress(0, 8, true);
        first.failed = 2;
        first.total = 10;
        let s = run(vec![
            Action::Started,
            Action::Progress(first.clone(), 1.0),
            Action::Finished,
            Action::Retrying,
            Action::Started,
            Action::Progress(progress(1, 1, false), 0.5),
        ]);
        assert_eq!(s.run.retry_of.as_ref(), Some(&first));
        assert_eq!(s.run.progress.as_ref().map(|p| p.total), Some(2));
        // a fresh start forgets it
        let s = s.reduce(Action::Finished).reduce(Action::Started);
        assert_eq!(s.run.retry_of, None);
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
