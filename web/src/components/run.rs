//! Run: start the planned job (paced by the core's engine), pause, resume, cancel; a progress
//! bar, live counts per fate, ETA, the chart; resume a saved job after a reload; retry the
//! failed URLs; export the results.

use super::chart::Chart;
use super::plan::{new_job, route, seed};
use super::Ctx;
use crate::connection::Cloud;
use crate::net;
use crate::runner::{self, Control};
use crate::store::{Action, Notice, RunStatus};
use edgewarm::job::Job;
use yew::prelude::*;

/// The run panel.
#[function_component(RunPanel)]
pub fn run_panel() -> Html {
    // App provides the context around every view; outside it a view shows nothing (no panic)
    let Some(ctx) = use_context::<Ctx>() else {
        return Html::default();
    };
    let store = ctx.store.clone();
    let runner = ctx.runner.clone();
    let launch = {
        let store = store.clone();
        let runner = runner.clone();
        move |job: Job| {
            let service = job.spec().target.service();
            let conn = store.connection(service).clone();
            let creds = conn.credentials(Cloud::of(service));
            let dispatch = {
                let store = store.clone();
                Callback::from(move |a: Action| store.dispatch(a))
            };
            store.dispatch(Action::Started);
            store.dispatch(Action::Resumable(false));
            *runner.borrow_mut() = Some(runner::start(job, creds, route(&conn), dispatch));
        }
    };
    let on_start = {
        let store = store.clone();
        let launch = launch.clone();
        Callback::from(move |_| match new_job(&store) {
            Ok(job) => launch(job),
            Err(n) => store.dispatch(Action::Notify(n)),
        })
    };
    let on_resume_saved = {
        let store = store.clone();
        let launch = launch.clone();
        Callback::from(
            move |_| match crate::storage::load_journal().map(|j| Job::resume(&j)) {
                Some(Ok(job)) => {
                    store.dispatch(Action::Vendor(job.spec().target.service()));
                    launch(job)
                }
                Some(Err(e)) => store.dispatch(Action::Notify(Notice::local(
                    "edgewarm.BadJournal",
                    e.to_string(),
                ))),
                None => store.dispatch(Action::Resumable(false)),
            },
        )
    };
    let on_discard = {
        let store = store.clone();
        Callback::from(move |_| {
            crate::storage::clear_journal();
            store.dispatch(Action::Resumable(false));
        })
    };
    let control = |c: Control, a: Action| {
        let store = store.clone();
        let runner = runner.clone();
        Callback::from(move |_| {
            if let Some(h) = runner.borrow().as_ref() {
                h.control.set(c);
            }
            store.dispatch(a.clone());
        })
    };
    let on_retry = {
        let runner = runner.clone();
        let launch = launch.clone();
        Callback::from(move |_| {
            let next = runner
                .borrow()
                .as_ref()
                .map(|h| h.job.borrow().retry_failed(seed(), net::now_ms()));
            if let Some(job) = next {
                launch(job);
            }
        })
    };
    let export = |kind: &'static str| {
        let runner = runner.clone();
        Callback::from(move |_| {
            if let Some(h) = runner.borrow().as_ref() {
                let job = h.job.borrow();
                match kind {
                    "csv" => crate::export::download(
                        "edgewarm-results.csv",
                        "text/csv",
                        &crate::export::csv(job.urls()),
                    ),
                    _ => crate::export::download(
                        "edgewarm-results.json",
                        "application/json",
                        &crate::export::json(job.urls()),
                    ),
                }
            }
        })
    };
    let status = store.status;
    let p = store.progress.clone();
    let finished = p
        .as_ref()
        .map_or(0, |p| p.succeeded + p.failed + p.deferred + p.invalid);
    let total = p.as_ref().map_or(0, |p| p.total);
    let status_text = match status {
        RunStatus::Idle => "Not started",
        RunStatus::Running => "Running",
        RunStatus::Paused => "Paused",
        RunStatus::Done => "Done",
        RunStatus::Cancelled => "Cancelled (the journal is kept: resume it below)",
    };
    let has_job = runner.borrow().is_some();
    html! {
        <section aria-labelledby="run-h">
            <h2 id="run-h">{"Run"}</h2>
            <div class="buttons">
                <button type="button" id="start" onclick={on_start} disabled={store.busy()}>{"Start"}</button>
                if status == RunStatus::Running { <button type="button" id="pause" onclick={control(Control::Pause, Action::Pause)}>{"Pause"}</button> }
                if status == RunStatus::Paused { <button type="button" id="resume" onclick={control(Control::Run, Action::Resume)}>{"Resume"}</button> }
                if store.busy() { <button type="button" id="cancel" onclick={control(Control::Cancel, Action::Cancel)}>{"Cancel"}</button> }
                if store.resumable && !store.busy() {
                    <button type="button" id="resume-saved" onclick={on_resume_saved}>{"Resume the saved job"}</button>
                    <button type="button" id="discard-saved" onclick={on_discard}>{"Discard it"}</button>
                }
            </div>
            <p id="run-status" aria-live="polite">{status_text}</p>
            if let Some(p) = p {
                <progress id="progress" max={total.max(1).to_string()} value={finished.to_string()} aria-label="URLs final">{format!("{finished}/{total}")}</progress>
                <dl id="fates" class="fates">
                    <dt>{"pending"}</dt><dd data-fate="pending">{p.pending}</dd>
                    <dt>{"submitted"}</dt><dd data-fate="submitted">{p.submitted}</dd>
                    <dt>{"succeeded"}</dt><dd data-fate="succeeded">{p.succeeded}</dd>
                    <dt>{"failed"}</dt><dd data-fate="failed">{p.failed}</dd>
                    <dt>{"deferred"}</dt><dd data-fate="deferred">{p.deferred}</dd>
                    <dt>{"invalid"}</dt><dd data-fate="invalid">{p.invalid}</dd>
                    <dt>{"rate"}</dt><dd>{format!("{:.1} URLs/s", p.rate_per_sec)}</dd>
                    if let Some(eta) = p.eta_ms { <dt>{"ETA"}</dt><dd>{format!("{:.0} s", eta as f64 / 1000.0)}</dd> }
                </dl>
                <Chart points={store.points.clone()} />
            }
            if has_job && !store.busy() {
                <div class="buttons">
                    if store.progress.as_ref().is_some_and(|p| p.failed > 0) {
                        <button type="button" id="retry-failed" onclick={on_retry}>{"Retry failed"}</button>
                    }
                    <button type="button" id="export-csv" onclick={export("csv")}>{"Export CSV"}</button>
                    <button type="button" id="export-json" onclick={export("json")}>{"Export JSON"}</button>
                </div>
            }
        </section>
    }
}
