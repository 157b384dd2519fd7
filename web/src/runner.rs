//! The job engine's browser shell: asks the core what to do (`next_actions`), sends with gloo-net
//! through the proxy (or the edge worker), feeds answers back, saves the journal before every send,
//! in IndexedDB, and waits until it is on disk (so a reload resumes without resubmitting; a refused
//! write stops the run rather than running unprotected), closes it when the job finishes (so a
//! finished job is never offered for resume), and reports progress to the store, tagged with its
//! vendor (so nothing of one vendor's job lands on another's). It sleeps until something happens —
//! an answer, a pause/resume/cancel, or the time the engine said it is ready again (`Step::Wait`) —
//! and never polls. Pause stops new sends; cancel stops and keeps the journal. Each vendor keeps
//! its last job: switching vendor parks the shown one's handle (for its Export and Retry) and
//! brings back the other's.

use crate::components::Tools;
use crate::connection::Connection;
use crate::net::{self, Answer, Route};
use crate::store::{Action, Form, Notice};
use edgewarm::job::{Job, Step, TransportError};
use edgewarm::{Credentials, Service};
use futures::channel::mpsc;
use futures::StreamExt;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::Callback;

/// What the user asked the runner to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Send and track.
    Run,
    /// Send nothing new; keep feeding answers.
    Pause,
    /// Stop (the journal stays for resume).
    Cancel,
}

/// What wakes the runner.
enum Wake {
    /// The answer (or transport failure) of call `id`.
    Answer(u64, Result<Answer, (TransportError, String)>),
    /// The user changed [`Control`].
    Control,
}

/// A running job: the job (for exports and retry) and its control.
#[derive(Clone)]
pub struct Handle {
    /// The job being run, shared with the views for exports and retry.
    pub job: Rc<RefCell<Job>>,
    /// The job's vendor.
    pub service: Service,
    control: Rc<Cell<Control>>,
    wake: mpsc::UnboundedSender<Wake>,
    /// Whether the runner still runs (false once it returned: done, cancelled).
    alive: Rc<Cell<bool>>,
}

impl PartialEq for Handle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.job, &other.job)
    }
}

impl Handle {
    /// Run, pause or cancel; the runner acts on it at once.
    pub fn set_control(&self, control: Control) {
        self.control.set(control);
        // a runner that has ended has nothing to wake
        let _ = self.wake.unbounded_send(Wake::Control);
    }

    /// Whether its runner still runs.
    pub fn alive(&self) -> bool {
        self.alive.get()
    }
}

/// Marks a runner ended however it returns.
struct Ended(Rc<Cell<bool>>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0.set(false);
    }
}

thread_local! {
    /// The last job of each vendor not shown (its Export and Retry come back with it).
    static PARKED: RefCell<Vec<Handle>> = const { RefCell::new(Vec::new()) };
}

/// Resumes `service`'s saved job (after a reload or a cancel): nothing already accepted is sent
/// again (the journal says which batches the vendor has).
pub fn resume_saved(tools: &Tools, form: &Form, service: Service) {
    let (tools, form) = (tools.clone(), form.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let notify = |n: Notice| tools.send(Action::For(service, Box::new(Action::Notify(n))));
        let saved = match crate::journal::load(service).await {
            Ok(Some(saved)) => saved,
            Ok(None) => {
                tools.send(Action::For(service, Box::new(Action::Discarded)));
                return notify(Notice::local(
                    "edgewarm.NoJournal",
                    "the saved job is gone (another tab finished or discarded it)",
                ));
            }
            Err(e) => return notify(Notice::local("edgewarm.Storage", e.to_string())),
        };
        let job = match crate::journal::resume(&saved) {
            Ok(job) => job,
            Err(e) => return notify(Notice::local("edgewarm.BadJournal", e.to_string())),
        };
        let conn = form.connection(service);
        if !conn.is_ready() {
            return notify(Notice::local(
                "edgewarm.Connection",
                "connect first (keys or the edge worker) to resume the saved job",
            ));
        }
        let key_id = &job.spec().key_id;
        let now_id = conn.credentials(service.cloud()).id.clone();
        if !matches!(conn, Connection::EdgeWorker { .. }) && *key_id != now_id {
            return notify(Notice::local(
                "edgewarm.Connection",
                format!(
                    "the saved job was started with the key {key_id}: connect with it to resume"
                ),
            ));
        }
        crate::components::run::launch(&tools, &form, job, "Resumed", None);
    });
}

/// Switching the shown vendor: the shown job's handle is parked and the other vendor's comes
/// back; nothing happens while a job runs (its vendor stays shown).
pub fn switch_vendor<E>(tools: &Tools, vendor: Service) -> Callback<E> {
    let tools = tools.clone();
    Callback::from(move |_| {
        {
            let mut slot = tools.runner.borrow_mut();
            if slot.as_ref().is_some_and(Handle::alive) {
                return;
            }
            PARKED.with(|parked| {
                let mut parked = parked.borrow_mut();
                if let Some(h) = slot.take() {
                    parked.retain(|p| p.service != h.service);
                    parked.push(h);
                }
                if let Some(i) = parked.iter().position(|p| p.service == vendor) {
                    *slot = Some(parked.remove(i));
                }
            });
        }
        tools.send(Action::Vendor(vendor));
    })
}

/// Starts running `job` in the background.
pub fn start(
    job: Job,
    credentials: Credentials,
    route: Route,
    dispatch: Callback<Action>,
) -> Handle {
    let (wake, inbox) = mpsc::unbounded();
    let service = job.spec().target.service();
    let handle = Handle {
        job: Rc::new(RefCell::new(job)),
        service,
        control: Rc::new(Cell::new(Control::Run)),
        wake,
        alive: Rc::new(Cell::new(true)),
    };
    let h = handle.clone();
    // every report names the job's vendor
    let dispatch =
        Callback::from(move |a: Action| dispatch.emit(Action::For(service, Box::new(a))));
    wasm_bindgen_futures::spawn_local(async move {
        let _ended = Ended(h.alive.clone());
        run(h, inbox, credentials, route, dispatch).await;
    });
    handle
}

/// Keeps the job's next journal write in IndexedDB, on disk, before anything more is sent.
async fn save(handle: &Handle) -> Result<(), String> {
    let write = handle
        .job
        .borrow_mut()
        .journal_update()
        .map_err(|e| e.to_string())?;
    crate::journal::write(handle.service, &write)
        .await
        .map_err(|e| e.to_string())
}

/// A refused journal write stops the run: running on without it, a reload could not resume the
/// job without sending again what the vendor already has.
fn refused(why: String, dispatch: &Callback<Action>) {
    dispatch.emit(Action::StorageRefused(why.clone()));
    dispatch.emit(Action::Notify(Notice {
        error: true,
        code: "edgewarm.Storage".into(),
        text: format!("Stopped: storage — {why}"),
        hint: Some(
            "Nothing more was sent. Free some disk space or leave private browsing, then resume \
             the job from the banner (what the vendor accepted is not sent again)."
                .into(),
        ),
    }));
}

/// Waits for the next wake, or until `deadline_ms` (when given) has passed: `None` when the
/// deadline came first, or when nothing can wake the runner any more.
async fn next_wake(
    inbox: &mut mpsc::UnboundedReceiver<Wake>,
    deadline_ms: Option<i64>,
) -> Option<Wake> {
    use futures::future::{select, Either};
    let Some(deadline) = deadline_ms else {
        return inbox.next().await;
    };
    let ms = (deadline - net::now_ms()).clamp(0, i64::from(i32::MAX)) as u32;
    let timer = gloo_timers::future::TimeoutFuture::new(ms);
    match select(inbox.next(), timer).await {
        Either::Left((wake, _)) => wake,
        Either::Right(((), _)) => None,
    }
}

async fn run(
    handle: Handle,
    mut inbox: mpsc::UnboundedReceiver<Wake>,
    credentials: Credentials,
    route: Route,
    dispatch: Callback<Action>,
) {
    let started = net::now_ms();
    let seconds = move |now: i64| (now - started) as f64 / 1000.0;
    let mut in_flight = 0usize;
    let mut halted_reported = false;
    let mut refusals_shown: Vec<String> = Vec::new();
    let mut woken: Vec<Wake> = Vec::new();
    let mut report = true;
    loop {
        let now = net::now_ms();
        // everything that arrived meanwhile, at once
        while let Ok(w) = inbox.try_recv() {
            woken.push(w);
        }
        {
            let mut job = handle.job.borrow_mut();
            for wake in woken.drain(..) {
                report = true;
                let Wake::Answer(id, outcome) = wake else {
                    continue;
                };
                in_flight = in_flight.saturating_sub(1);
                match outcome {
                    Ok(a) => {
                        if let Route::Worker { .. } = route {
                            // the worker's own refusal, said once per code
                            if let Some(n) = net::worker_refusal(a.status, &a.body) {
                                if !refusals_shown.contains(&n.code) {
                                    refusals_shown.push(n.code.clone());
                                    dispatch.emit(Action::Notify(n));
                                }
                            }
                        }
                        job.on_response(id, a.status, &a.body, now, a.date_ms)
                    }
                    Err((kind, _)) => job.on_transport_error(id, kind, now),
                }
            }
        }
        if std::mem::take(&mut report) {
            let progress = handle.job.borrow().progress(now);
            if let (Some(h), false) = (&progress.halted, halted_reported) {
                halted_reported = true;
                dispatch.emit(Action::Notify(Notice::api(h)));
            }
            dispatch.emit(Action::Progress(progress, seconds(now)));
        }
        let control = handle.control.get();
        if control == Control::Cancel {
            if let Err(why) = save(&handle).await {
                refused(why, &dispatch);
            }
            return;
        }
        if handle.job.borrow().is_done() && in_flight == 0 {
            // finished: the journal is closed, never offered for resume
            crate::storage::clear_form(handle.service);
            if let Err(e) = crate::journal::clear(handle.service).await {
                dispatch.emit(Action::Notify(Notice::local(
                    "edgewarm.Storage",
                    format!("{e}: the finished job may be offered for resume after a reload"),
                )));
            }
            for notice in summary(&handle.job.borrow()) {
                dispatch.emit(Action::Notify(notice));
            }
            dispatch.emit(Action::Finished);
            return;
        }
        // paused, or nothing to send until an answer: sleep until woken
        let mut deadline = None;
        if control == Control::Run {
            let steps = handle.job.borrow_mut().next_actions(now, &credentials);
            let sends = steps
                .iter()
                .filter(|s| matches!(s, Step::Send { .. }))
                .count();
            if sends > 0 {
                // on disk before anything is sent, or nothing is sent
                if let Err(why) = save(&handle).await {
                    return refused(why, &dispatch);
                }
                // ask again at once (after the sends start): the engine paces the next ones
                deadline = Some(now);
            }
            for step in steps {
                match step {
                    Step::Send { call_id, request } => {
                        let (wake, route) = (handle.wake.clone(), route.clone());
                        in_flight += 1;
                        wasm_bindgen_futures::spawn_local(async move {
                            let outcome = net::send(&request, &route).await;
                            let _ = wake.unbounded_send(Wake::Answer(call_id, outcome));
                        });
                    }
                    Step::Wait { until_ms: Some(t) } if sends == 0 => deadline = Some(t),
                    _ => {}
                }
            }
        }
        match next_wake(&mut inbox, deadline).await {
            Some(w) => woken.push(w),
            None if deadline.is_some() => {}
            // every sender is gone: nothing can wake this run again
            None => return,
        }
    }
}

/// What a finished run has to say, from the core's [`Job::failure_summary`]: failures grouped
/// by the vendor's code (with what to do next), throttling the engine adapted to, URLs deferred
/// for quota.
pub fn summary(job: &Job) -> Vec<Notice> {
    let s = job.failure_summary();
    let mut out: Vec<Notice> = s
        .failed
        .into_iter()
        .map(|g| Notice {
            error: true,
            text: format!("{} URL(s) failed: {}", g.urls, g.reason),
            code: g.code,
            // an undocumented code is the origin's failure: say it with this page's button
            hint: Some(if g.documented {
                g.hint
            } else {
                "The edge could not fetch these URLs from the origin: check that the origin serves them, then use \"Retry failed\".".into()
            }),
        })
        .collect();
    if s.throttled > 0 {
        out.push(Notice::info(format!(
            "The vendor throttled {} call(s); edgewarm slowed down and retried them.",
            s.throttled
        )));
    }
    if let Some(d) = s.deferred {
        out.push(Notice::info(if d.recheck_every_ms > 0 {
            format!(
                "{} URL(s) are over the quota: edgewarm asks the quota again every {} s and goes on when it has room (no vendor documents its reset time).",
                d.urls,
                d.recheck_every_ms / 1000
            )
        } else {
            format!(
                "{} URL(s) are over the quota and were not sent (quota re-reading is off).",
                d.urls
            )
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use edgewarm::job::Fate;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_summary_groups_failures_by_code_with_what_to_do() {
        let spec = crate::spec::job_spec(&crate::store::Form::default()).expect("defaults");
        let urls = (0..4)
            .map(|i| format!("https://www.example.com/{i}"))
            .collect();
        let job = Job::new(spec, urls, 1, 0);
        assert!(summary(&job).is_empty(), "nothing to say about a fresh job");
        // fates set through the journal, the job's only way in besides answers
        let mut journal: serde_json::Value =
            serde_json::from_str(&job.journal().expect("journal")).expect("JSON");
        let failed = |code: &str, reason: &str| {
            serde_json::to_value(Fate::failed(code, reason)).expect("fate")
        };
        for i in 0..2 {
            journal["urls"][i]["fate"] = failed("FailedOperation", "origin pull failed");
        }
        journal["urls"][2]["fate"] = failed("AuthFailure.SignatureFailure", "bad signature");
        let job = Job::resume(&journal.to_string()).expect("resumes");
        let notes = summary(&job);
        assert_eq!(notes.len(), 2);
        let auth = notes
            .iter()
            .find(|n| n.code == "AuthFailure.SignatureFailure")
            .expect("grouped by code");
        assert!(auth.error && auth.text.starts_with("1 URL(s) failed"));
        assert!(auth.hint.is_some(), "a documented code carries its hint");
        let origin = notes.iter().find(|n| n.code == "FailedOperation").unwrap();
        assert!(origin
            .text
            .starts_with("2 URL(s) failed: origin pull failed"));
    }
}
