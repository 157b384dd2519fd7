//! Run: start the planned job (paced by the core's engine), pause, resume, cancel; a progress
//! bar, live counts per fate, ETA, the chart; resume a saved job after a reload; retry the
//! failed URLs; export the results.

use super::chart::Chart;
use super::plan::{new_job, route};
use super::{renders, FormCtx, RunCtx, Tools};
use crate::net;
use crate::runner::{self, Control};
use crate::store::{Action, RunStatus};
use edgewarm::job::Job;
use yew::prelude::*;

/// The run panel: the one view a progress tick re-renders (with its chart).
#[function_component(RunPanel)]
pub fn run_panel() -> Html {
    renders::count("RunPanel");
    // App provides the contexts around every view; outside them a view shows nothing (no panic)
    let (Some(tools), Some(form), Some(run)) = (
        use_context::<Tools>(),
        use_context::<FormCtx>(),
        use_context::<RunCtx>(),
    ) else {
        return Html::default();
    };
    let runner = tools.runner.clone();
    let launch = {
        let (tools, form) = (tools.clone(), form.clone());
        move |job: Job| {
            let service = job.spec().target.service();
            let conn = form.connection(service).clone();
            let creds = conn.credentials(service.cloud());
            let dispatch = {
                let tools = tools.clone();
                Callback::from(move |a: Action| tools.send(a))
            };
            tools.send(Action::Started);
            tools.send(Action::Resumable(false));
            *tools.runner.borrow_mut() = Some(runner::start(job, creds, route(&conn), dispatch));
        }
    };
    let on_start = {
        let (tools, form) = (tools.clone(), form.clone());
        let launch = launch.clone();
        Callback::from(move |_| match new_job(&form) {
            Ok(job) => launch(job),
            Err(n) => tools.send(Action::Notify(n)),
        })
    };
    let control = |c: Control, a: Action| {
        let tools = tools.clone();
        Callback::from(move |_| {
            if let Some(h) = tools.runner.borrow().as_ref() {
                h.set_control(c);
            }
            tools.send(a.clone());
        })
    };
    let on_retry = {
        let runner = runner.clone();
        let tools = tools.clone();
        let launch = launch.clone();
        Callback::from(move |_| {
            let seed = match net::random_seed() {
                Ok(seed) => seed,
                Err(notice) => {
                    tools.send(Action::Notify(notice));
                    return;
                }
            };
            let next = runner
                .borrow()
                .as_ref()
                .map(|h| h.job.borrow().retry_failed(seed, net::now_ms()));
            if let Some(job) = next {
                // the retry's counts are shown beside the original run's
                tools.send(Action::Retrying);
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
    let status = run.status;
    let busy = run.busy();
    let p = run.progress.clone();
    let finished = p
        .as_ref()
        .map_or(0, |p| p.succeeded + p.failed + p.deferred + p.invalid);
    let total = p.as_ref().map_or(0, |p| p.total);
    let status_text = match status {
        RunStatus::Idle => "Not started",
        RunStatus::Running => "Running",
        RunStatus::Paused => "Paused",
        RunStatus::Done => "Done",
        RunStatus::Cancelled => "Cancelled (the job is saved: Resume is at the top of the page)",
        RunStatus::Interrupted => {
            "Interrupted by a reload (the job is saved: Resume is at the top of the page)"
        }
    };
    let has_job = runner.borrow().is_some();
    html! {
        <section aria-labelledby="run-h">
            <h2 id="run-h">{"Run"}</h2>
            <div class="buttons">
                <button type="button" id="start" onclick={on_start} disabled={busy}>{"Start"}</button>
                if status == RunStatus::Running { <button type="button" id="pause" onclick={control(Control::Pause, Action::Pause)}>{"Pause"}</button> }
                if status == RunStatus::Paused { <button type="button" id="resume" onclick={control(Control::Run, Action::Resume)}>{"Resume"}</button> }
                if busy { <button type="button" id="cancel" onclick={control(Control::Cancel, Action::Cancel)}>{"Cancel"}</button> }
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
                <super::resume_banner::RetryCounts />
                <Chart points={run.points.clone()} />
            }
            if has_job && !busy {
                <div class="buttons">
                    if run.progress.as_ref().is_some_and(|p| p.failed > 0) {
                        <button type="button" id="retry-failed" onclick={on_retry}>{"Retry failed"}</button>
                    }
                    <button type="button" id="export-csv" onclick={export("csv")}>{"Export CSV"}</button>
                    <button type="button" id="export-json" onclick={export("json")}>{"Export JSON"}</button>
                </div>
            }
        </section>
    }
}
