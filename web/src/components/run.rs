//! The run card, beside the primary action: how the run stands in words ("Running",
//! "Completed", "Completed with failures", "Stopped: authentication", …) and what to do next;
//! two-stage progress (sent, finished) against the planned total, elapsed time, the rate from
//! the first second and an ETA from the plan; the vendor's task ids; pause, resume, cancel;
//! retry the failed URLs; export the results. Before a run it shows the plan. Also the one way
//! a run starts ([`start_from_forms`], [`launch`]): the forms are checked first, each problem is
//! shown next to its field and the focus goes to the first.

use super::chart::Chart;
use super::plan::{new_job, route};
use super::{focus_later, renders, FormCtx, LaunchCtx, PlanCtx, RunCtx, Tools};
use crate::net;
use crate::runner::{self, Control};
use crate::store::product::{self, duration, plural, Launch, Outcome};
use crate::store::{Action, Form, RunStatus};
use edgewarm::job::{Fate, HostWarning, Job, JobKind, PhaseCounts};
use yew::prelude::*;

/// Starts `job` with `form`'s connection, and tells the store what it was launched with.
pub fn launch(tools: &Tools, form: &Form, job: Job, label: &str, retry_of: Option<(usize, usize)>) {
    let service = job.spec().target.service();
    let conn = form.connection(service).clone();
    let creds = conn.credentials(service.cloud());
    let plan = job.plan_summary();
    let dispatch = {
        let tools = tools.clone();
        Callback::from(move |a: Action| tools.send(a))
    };
    tools.send(Action::FieldErrors(Vec::new()));
    tools.send(Action::Launched(Launch {
        label: label.to_string(),
        planned: plan.urls - plan.invalid,
        batches: plan.batches,
        min_seconds: plan.min_duration_ms as f64 / 1000.0,
        retry_of,
        kind: job.spec().kind,
    }));
    tools.send(Action::Started);
    tools.send(Action::Resumable(false));
    *tools.runner.borrow_mut() = Some(runner::start(job, creds, route(&conn), dispatch));
    show_card();
}

/// Brings the run card into view when it is out of it (the user warmed from far down the
/// page, under an unfolded setup): the run is where the user looks next.
fn show_card() {
    gloo_timers::callback::Timeout::new(0, || {
        let Some(card) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("run-h"))
        else {
            return;
        };
        let top = js_sys::Reflect::get(&card, &"getBoundingClientRect".into())
            .ok()
            .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok())
            .and_then(|f| f.call0(&card).ok())
            .and_then(|r| js_sys::Reflect::get(&r, &"top".into()).ok())
            .and_then(|t| t.as_f64())
            .unwrap_or(0.0);
        if top < 0.0 {
            card.scroll_into_view_with_bool(true);
        }
    })
    .forget();
}

/// Checks the forms: shows each problem next to its field and moves the focus to the first;
/// `true` when a job can be made.
pub fn check_forms(tools: &Tools, form: &Form) -> bool {
    let errors = product::validate(form);
    let first = errors.first().map(|e| e.field.clone());
    tools.send(Action::FieldErrors(errors));
    match first {
        Some(id) => {
            focus_later(id);
            false
        }
        None => true,
    }
}

/// The primary action: check the forms, make the job, start it.
pub fn start_from_forms(tools: &Tools, form: &Form) {
    if !check_forms(tools, form) {
        return;
    }
    match new_job(form) {
        Ok(job) => {
            let verb = crate::spec::verb(job.spec().kind);
            launch(tools, form, job, verb, None)
        }
        Err(n) => tools.send(Action::Notify(n)),
    }
}

/// Counts a run's card shows.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stages {
    planned: usize,
    sent: usize,
    finished: usize,
}

/// ETA in words: while sending, from the rate measured since the first second (before it, from
/// the plan); once everything is sent, from the rate URLs finish at.
fn eta(s: Stages, t: f64, plan_seconds: f64) -> String {
    if s.finished >= s.planned {
        return "—".into();
    }
    if s.sent < s.planned {
        if t >= 1.0 && s.sent > 0 {
            let rate = s.sent as f64 / t;
            return format!(
                "sending: {} left",
                duration((s.planned - s.sent) as f64 / rate)
            );
        }
        return format!(
            "sending: about {} (plan)",
            duration((plan_seconds - t).max(0.0))
        );
    }
    if t >= 1.0 && s.finished > 0 {
        let rate = s.finished as f64 / t;
        return format!(
            "finishing: {} left",
            duration((s.planned - s.finished) as f64 / rate)
        );
    }
    "all sent; waiting for the vendor to finish (usually seconds to minutes)".into()
}

fn percent(n: usize, of: usize) -> String {
    if of == 0 {
        "0".into()
    } else {
        format!("{:.2}", (n.min(of) as f64 / of as f64) * 100.0)
    }
}

/// Hosts folded past this many (assumed: what fits the card without pushing the run off it).
const HOSTS_SHOWN: usize = 5;

/// The plan's URLs per host (folded when long) and its warnings about hosts the target does
/// not serve, before anything is sent.
fn plan_hosts(pv: &crate::store::PlanView) -> Html {
    let row = |h: &edgewarm::job::HostCount| {
        let served = match h.served {
            Some(true) => "served",
            Some(false) => "not served",
            None => "",
        };
        html! {
            <li data-host={h.host.clone()} data-served={served}>
                <code>{&h.host}</code>{format!(": {} URL{}", h.urls, plural(h.urls))}
                if h.served == Some(false) { {" "}<strong class="bad">{"not served"}</strong> }
            </li>
        }
    };
    let (head, rest) = pv.hosts.split_at(pv.hosts.len().min(HOSTS_SHOWN));
    html! { <>
        if !pv.warnings.is_empty() {
            <ul id="plan-warnings" class="warnings" role="alert">
                { for pv.warnings.iter().map(|w| html! { <li data-host={w.host.clone()}>{&w.message}</li> }) }
            </ul>
        }
        if !pv.hosts.is_empty() {
            <div id="plan-hosts" class="hosts">
                <p class="muted">{format!("{} host{}", pv.hosts.len(), plural(pv.hosts.len()))}</p>
                <ul>{ for head.iter().map(row) }</ul>
                if !rest.is_empty() {
                    <details><summary>{format!("{} more host{}", rest.len(), plural(rest.len()))}</summary>
                        <ul>{ for rest.iter().map(row) }</ul>
                    </details>
                }
            </div>
        }
    </> }
}

/// The run card: the one view a progress tick re-renders (with its chart and the results).
#[function_component(RunPanel)]
pub fn run_panel() -> Html {
    renders::count("RunPanel");
    // App provides the contexts around every view; outside them a view shows nothing (no panic)
    let (Some(tools), Some(form), Some(run), Some(planned), Some(launched)) = (
        use_context::<Tools>(),
        use_context::<FormCtx>(),
        use_context::<RunCtx>(),
        use_context::<PlanCtx>(),
        use_context::<LaunchCtx>(),
    ) else {
        return Html::default();
    };
    let runner = tools.runner.clone();
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
        let (tools, form) = (tools.clone(), form.clone());
        Callback::from(move |_| {
            let seed = match net::random_seed() {
                Ok(seed) => seed,
                Err(notice) => return tools.send(Action::Notify(notice)),
            };
            let next = runner.borrow().as_ref().map(|h| {
                let job = h.job.borrow();
                let p = job.progress(net::now_ms());
                (
                    job.retry_failed(seed, net::now_ms()),
                    (p.succeeded, p.failed),
                )
            });
            if let Some((job, counts)) = next {
                // the retry's counts are shown beside the original run's
                tools.send(Action::Retrying);
                launch(&tools, &form, job, "Retry failed", Some(counts));
            }
        })
    };
    let export = |kind: &'static str| {
        let runner = runner.clone();
        Callback::from(move |_| {
            if let Some(h) = runner.borrow().as_ref() {
                crate::export::download_results(&h.job.borrow(), kind == "json");
            }
        })
    };
    let show_history = tools.callback(Action::Show(crate::store::Page::History));
    let status = run.status;
    let busy = run.busy();
    // what the job itself knows once it has ended: the failures' codes and the vendor's tasks
    let (network_only, tasks, groups, phases, refused, quotas) = match runner.borrow().as_ref() {
        Some(h) if run.progress.is_some() => {
            let job = h.job.borrow();
            // the quotas the job read, per phase (a refresh reads both before its first purge)
            let quotas = job.phase_quotas();
            let phases: Option<PhaseCounts> =
                (job.spec().kind != JobKind::Prefetch).then(|| job.phase_counts());
            // hosts the vendor refused during the run (their URLs failed, the rest went on)
            let refused: Vec<HostWarning> = if job.refused_hosts().is_empty() {
                Vec::new()
            } else {
                job.plan_summary().warnings
            };
            let tasks: Vec<String> = job
                .batches()
                .iter()
                .filter_map(|b| b.task_id.clone())
                .collect();
            let ended = !busy;
            let groups = if ended {
                job.failure_summary().failed
            } else {
                Vec::new()
            };
            let network_only = ended
                && job.urls().iter().all(|u| match &u.fate {
                    Fate::Failed(f) => f.code == "edgewarm.Unreachable",
                    _ => true,
                });
            (network_only, tasks, groups, phases, refused, quotas)
        }
        _ => (false, Vec::new(), Vec::new(), None, Vec::new(), Vec::new()),
    };
    let outcome = Outcome::of(&run, network_only);
    let launch_info = (*launched).clone();
    let p = run.progress.clone();
    let t = run.points.last().map_or(0.0, |p| p.t);
    let title = match (&outcome, &launch_info) {
        (Outcome::Idle, _) | (_, None) => "Run".to_string(),
        (_, Some(l)) => l.label.clone(),
    };
    let stages = p.as_ref().map(|p| Stages {
        planned: launch_info
            .as_ref()
            .map_or(p.total - p.invalid, |l| l.planned)
            .max(p.total - p.invalid),
        sent: p.submitted + p.succeeded + p.failed,
        finished: p.succeeded + p.failed,
    });
    let plan_seconds = launch_info.as_ref().map_or(0.0, |l| l.min_seconds);
    let plan = planned.plan.clone();
    let kind = launch_info.as_ref().map_or(form.target.kind, |l| l.kind);
    let phase_text = phases.and_then(|c| product::phase_line(kind, c.phase));
    let next = outcome.next_step_for(kind);
    html! {
        <section id="run-card" class={classes!("run-card", outcome.state())} data-state={outcome.state()} aria-labelledby="run-h">
            <div class="run-head">
                <h2 id="run-h">{title}</h2>
                <p id="run-status" class="run-status" aria-live="polite">{outcome.title()}</p>
            </div>
            if let (Some(line), false) = (&phase_text, outcome.ended()) {
                <p id="run-phase" class="phase" data-phase={phases.map_or("", |c| if c.phase == edgewarm::job::Phase::Purge { "purge" } else { "prefetch" })}>{line}</p>
            }
            <p id="run-next" class="next">{next}</p>
            if let (Some(c), true) = (&phases, outcome.ended()) {
                <p id="phase-failures" class="muted" data-purge-failed={c.purge_failed.to_string()} data-prefetch-failed={c.prefetch_failed.to_string()}>{product::phase_failures(kind, c)}</p>
            }
            if !refused.is_empty() {
                <ul id="host-warnings" class="warnings">
                    { for refused.iter().map(|w| html! { <li data-host={w.host.clone()}>{&w.message}</li> }) }
                </ul>
            }
            if let Some(Launch { retry_of: Some((ok, bad)), planned, .. }) = &launch_info {
                <p class="muted" id="retry-of">{format!("Retrying {planned} URL{} of the previous run ({ok} succeeded, {bad} failed there).", plural(*planned))}</p>
            }
            if let (false, Some(pv)) = (busy, plan) {
                <dl id="plan-summary" class="summary">
                    <dt>{"URLs"}</dt><dd>{format!("{} ready, {} refused", pv.urls - pv.invalid, pv.refused)}</dd>
                    <dt>{"Calls"}</dt><dd>{format!("{} of up to {} URLs", pv.batches, pv.batch_cap)}</dd>
                    <dt>{"Time"}</dt><dd>{format!("sending takes at least {} at {} calls/s", duration(pv.seconds), pv.rate)}</dd>
                    if let Some(q) = pv.purge_quota_before {
                        <dt>{"Purge quota today"}</dt><dd id="plan-purge-quota">{format!("{q} now, {} after", q.saturating_sub((pv.urls - pv.invalid) as u64))}</dd>
                    }
                    if let Some(q) = pv.quota_before {
                        <dt>{if pv.kind == JobKind::Prefetch { "Quota today" } else { "Warm quota today" }}</dt><dd id="plan-warm-quota">{format!("{q} now, {} after", q.saturating_sub((pv.urls - pv.invalid) as u64))}</dd>
                    }
                </dl>
                {plan_hosts(&pv)}
            }
            if let (Some(p), Some(s)) = (p, stages) {
                <div class="stages">
                    <svg class="bar" viewBox="0 0 100 6" preserveAspectRatio="none" role="img"
                        aria-label={format!("{} of {} sent, {} of {} finished", s.sent, s.planned, s.finished, s.planned)}>
                        <rect class="track" x="0" y="0" width="100" height="6" />
                        <rect class="sent" x="0" y="0" width={percent(s.sent, s.planned)} height="6" />
                        <rect class="finished" x="0" y="0" width={percent(s.finished, s.planned)} height="6" />
                    </svg>
                    <p class="stage-text" id="stage-text">
                        <span class="key sent">{format!("Sent {} / {}", s.sent, s.planned)}</span>
                        <span class="key finished">{format!("Finished {} / {}", s.finished, s.planned)}</span>
                    </p>
                </div>
                <dl id="fates" class="fates">
                    <div><dt>{"Succeeded"}</dt><dd data-fate="succeeded">{p.succeeded}</dd></div>
                    <div><dt>{"Failed"}</dt><dd data-fate="failed">{p.failed}</dd></div>
                    <div><dt>{"Waiting to send"}</dt><dd data-fate="pending">{p.pending}</dd></div>
                    <div><dt>{"At the vendor"}</dt><dd data-fate="submitted">{p.submitted}</dd></div>
                    if p.deferred > 0 { <div><dt>{"Over quota"}</dt><dd data-fate="deferred">{p.deferred}</dd></div> }
                    if p.invalid > 0 { <div><dt>{"Refused here"}</dt><dd data-fate="invalid">{p.invalid}</dd></div> }
                </dl>
                <dl class="fates timing" id="timing">
                    <div><dt>{"Elapsed"}</dt><dd id="run-elapsed">{duration(t)}</dd></div>
                    <div><dt>{"Rate"}</dt><dd id="run-rate">{if t >= 1.0 { format!("{:.1} URLs/s sent", s.sent as f64 / t) } else { "measuring…".into() }}</dd></div>
                    if busy { <div><dt>{"ETA"}</dt><dd id="run-eta">{eta(s, t, plan_seconds)}</dd></div> }
                </dl>
                if !quotas.is_empty() {
                    <dl class="fates timing" id="run-quotas">
                        { for quotas.iter().map(|q| html! {
                            <div data-phase={if q.phase == edgewarm::job::Phase::Purge { "purge" } else { "prefetch" }}>
                                <dt>{if q.phase == edgewarm::job::Phase::Purge { "Purge quota" } else { "Warm quota" }}</dt>
                                <dd title={q.source.clone()}>{product::quota_words(q.remaining, q.batch)}</dd>
                            </div>
                        }) }
                    </dl>
                }
                <super::resume_banner::RetryCounts />
                <Chart points={run.points.clone()} planned={s.planned} />
            }
            if !groups.is_empty() {
                <ul id="why" class="why">
                    { for groups.iter().map(|g| html! {
                        <li><strong>{format!("{} × ", g.urls)}</strong>{&g.reason}{" "}<code>{&g.code}</code></li>
                    }) }
                </ul>
            }
            if !tasks.is_empty() {
                <details id="tasks" class="tasks">
                    <summary>{format!("Vendor task ids ({})", tasks.len())}</summary>
                    <ul>{ for tasks.iter().take(50).map(|id| html! { <li><code>{id}</code></li> }) }</ul>
                    if tasks.len() > 50 { <p class="muted">{format!("and {} more (all in History)", tasks.len() - 50)}</p> }
                    <button type="button" class="secondary small" onclick={show_history}>{"Open History"}</button>
                </details>
            }
            <div class="buttons">
                if status == RunStatus::Running { <button type="button" class="secondary" id="pause" onclick={control(Control::Pause, Action::Pause)}>{"Pause"}</button> }
                if status == RunStatus::Paused { <button type="button" class="primary" id="resume" onclick={control(Control::Run, Action::Resume)}>{"Resume"}</button> }
                if busy { <button type="button" class="danger" id="cancel" onclick={control(Control::Cancel, Action::Cancel)}>{"Cancel"}</button> }
                if outcome.ended() && runner.borrow().is_some() {
                    if run.progress.as_ref().is_some_and(|p| p.failed > 0) {
                        <button type="button" class="primary" id="retry-failed" onclick={on_retry}>{"Retry failed"}</button>
                    }
                    <button type="button" class="secondary" id="export-csv" onclick={export("csv")}>{"Export CSV"}</button>
                    <button type="button" class="secondary" id="export-json" onclick={export("json")}>{"Export JSON"}</button>
                }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_eta_comes_from_the_plan_then_the_measured_rates() {
        let s = |sent, finished| Stages {
            planned: 100,
            sent,
            finished,
        };
        assert_eq!(eta(s(0, 0), 0.2, 10.0), "sending: about 10 s (plan)");
        assert_eq!(eta(s(50, 0), 5.0, 10.0), "sending: 5 s left");
        assert!(eta(s(100, 0), 5.0, 10.0).starts_with("all sent"));
        assert_eq!(eta(s(100, 50), 10.0, 10.0), "finishing: 10 s left");
        assert_eq!(eta(s(100, 100), 10.0, 10.0), "—");
        assert_eq!(percent(1, 3), "33.33");
        assert_eq!(percent(1, 0), "0");
    }
}
