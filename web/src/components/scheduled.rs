//! ESA scheduled prefetch: create a job (text box or OSS file), list, get, reset, delete; and
//! its execution plans — create time-sliced plans, start, stop, update, delete — with their
//! progress.

use super::plan::route;
use super::{renders, value_of, FormCtx, Tools};
use crate::net;
use crate::store::{Action, Form, Notice};
use edgewarm::vendor::esa::{self, ExecutionInfo};
use edgewarm::{Call, Cloud, Service};
use yew::prelude::*;

/// One job as GetScheduledPreloadJob answers it.
type JobOutput = <esa::GetScheduledPreloadJob as Call>::Output;
/// The jobs of a site as ListScheduledPreloadJobs answers them.
type ListJobsOutput = <esa::ListScheduledPreloadJobs as Call>::Output;

/// One typed ESA call with the forms' region and the Alibaba connection.
async fn call<C: Call>(form: &Form, op: C) -> Result<C::Output, Notice> {
    let endpoint = crate::spec::endpoint(form, Service::Esa)?;
    let conn = form.connection(Service::Esa).clone();
    net::call(
        op,
        &endpoint,
        &conn.credentials(Cloud::Alibaba),
        &route(&conn),
    )
    .await
}

fn local_to_iso(v: &str) -> Option<String> {
    // <input type="datetime-local"> gives local time without zone
    let ms = js_sys::Date::parse(v);
    ms.is_finite().then(|| super::iso_utc(ms))
}

/// A plan's time (ISO 8601 with its zone, as the plan APIs write it) in the console's one time
/// display: local time with the zone, UTC on hover.
fn plan_time(t: Option<&str>) -> Html {
    let raw = t.unwrap_or_default();
    let read = edgewarm::status::task_time(Service::Esa, raw);
    crate::time_display::view(read.map(|r| r.0), read.is_none_or(|r| r.1), raw)
}

/// What a button does to a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JobOp {
    Get,
    Reset,
    Delete,
}

/// What a button does to an execution plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExecOp {
    Start,
    Stop,
    Delete,
}

/// The ESA scheduled prefetch page.
#[function_component(Scheduled)]
pub fn scheduled() -> Html {
    renders::count("Scheduled");
    // App provides the contexts around every view; outside them a view shows nothing (no panic)
    let (Some(tools), Some(form)) = (use_context::<Tools>(), use_context::<FormCtx>()) else {
        return Html::default();
    };
    let name = use_state(String::new);
    let way = use_state(|| "textBox".to_string());
    let list_text = use_state(String::new);
    let oss = use_state(String::new);
    let jobs = use_state(|| None::<ListJobsOutput>);
    let selected = use_state(|| None::<JobOutput>);
    let executions = use_state(Vec::<ExecutionInfo>::new);
    let slice = use_state(|| "100".to_string());
    let interval = use_state(|| "60".to_string());
    let start = use_state(String::new);
    let end = use_state(String::new);

    let site_id = form.target.site_id.trim().parse::<i64>().ok();
    let refresh = {
        let (tools, form, jobs) = (tools.clone(), form.clone(), jobs.clone());
        move || {
            let (tools, form, jobs) = (tools.clone(), form.clone(), jobs.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let op = esa::ListScheduledPreloadJobs {
                    site_id,
                    page_number: Some(1),
                    page_size: Some(50),
                    ..Default::default()
                };
                match call(&form, op).await {
                    Ok(o) => jobs.set(Some(o)),
                    Err(n) => tools.send(Action::Notify(n)),
                }
            });
        }
    };
    let load_executions = {
        let (tools, form, executions) = (tools.clone(), form.clone(), executions.clone());
        move |id: String| {
            let (tools, form, executions) = (tools.clone(), form.clone(), executions.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(&form, esa::ListScheduledPreloadExecutions::new(id)).await {
                    Ok(o) => executions.set(o.executions),
                    Err(n) => tools.send(Action::Notify(n)),
                }
            });
        }
    };
    let on_create = {
        let (tools, form, refresh) = (tools.clone(), form.clone(), refresh.clone());
        let (name, way, list_text, oss) =
            (name.clone(), way.clone(), list_text.clone(), oss.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let text_box = *way == "textBox";
            let op = esa::CreateScheduledPreloadJob {
                site_id,
                name: Some((*name).clone()),
                insert_way: Some((*way).clone()),
                url_list: text_box.then(|| {
                    edgewarm::sources::list::parse_auto("urls.txt", &list_text)
                        .urls
                        .join("\n")
                }),
                oss_url: (!text_box).then(|| (*oss).clone()),
            };
            let (tools, form, refresh) = (tools.clone(), form.clone(), refresh.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match call(&form, op).await {
                    Ok(_) => {
                        tools.send(Action::Notify(Notice::info(
                            "Scheduled prefetch job created.",
                        )));
                        refresh();
                    }
                    Err(n) => tools.send(Action::Notify(n)),
                }
            });
        })
    };
    // a job action (Get, Reset, Delete) and an execution action (Start, Stop, Delete)
    let job_op = |what: JobOp, id: String| {
        let (tools, form, refresh, selected, load_executions) = (
            tools.clone(),
            form.clone(),
            refresh.clone(),
            selected.clone(),
            load_executions.clone(),
        );
        Callback::from(move |_| {
            let (tools, form, refresh, selected, load_executions, id) = (
                tools.clone(),
                form.clone(),
                refresh.clone(),
                selected.clone(),
                load_executions.clone(),
                id.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let opened = match what {
                    JobOp::Get => call(&form, esa::GetScheduledPreloadJob::new(id)).await,
                    JobOp::Reset => call(&form, esa::ResetScheduledPreloadJob::new(id)).await,
                    JobOp::Delete => call(&form, esa::DeleteScheduledPreloadJob::new(id))
                        .await
                        .map(|_| {
                            selected.set(None);
                            JobOutput::default()
                        }),
                };
                match opened {
                    Ok(o) if what != JobOp::Delete => {
                        load_executions(o.job.id.clone());
                        selected.set(Some(o));
                        refresh();
                    }
                    Ok(_) => refresh(),
                    Err(n) => tools.send(Action::Notify(n)),
                }
            });
        })
    };
    let exec_op = |what: ExecOp, id: String, job: String| {
        let (tools, form, load_executions) = (tools.clone(), form.clone(), load_executions.clone());
        Callback::from(move |_| {
            let (tools, form, load_executions, id, job) = (
                tools.clone(),
                form.clone(),
                load_executions.clone(),
                id.clone(),
                job.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let done = match what {
                    ExecOp::Start => call(&form, esa::StartScheduledPreloadExecution::new(id))
                        .await
                        .map(drop),
                    ExecOp::Stop => call(&form, esa::StopScheduledPreloadExecution::new(id))
                        .await
                        .map(drop),
                    ExecOp::Delete => call(&form, esa::DeleteScheduledPreloadExecution::new(id))
                        .await
                        .map(drop),
                };
                match done {
                    Ok(()) => load_executions(job),
                    Err(n) => tools.send(Action::Notify(n)),
                }
            });
        })
    };
    let plan = {
        let (slice, interval, start, end) =
            (slice.clone(), interval.clone(), start.clone(), end.clone());
        move || -> Result<esa::Execution, Notice> {
            let slice_len = slice.trim().parse::<i64>().map_err(|_| {
                Notice::local("edgewarm.SliceLen", "SliceLen must be a whole number")
            })?;
            let interval = interval.trim().parse::<i64>().map_err(|_| {
                Notice::local(
                    "edgewarm.Interval",
                    "Interval must be a whole number of seconds",
                )
            })?;
            let start = local_to_iso(&start)
                .ok_or_else(|| Notice::local("edgewarm.StartTime", "pick a start time"))?;
            let end = local_to_iso(&end)
                .ok_or_else(|| Notice::local("edgewarm.EndTime", "pick an end time"))?;
            Ok(esa::Execution {
                start_time: Some(start),
                end_time: Some(end),
                interval: Some(interval),
                slice_len: Some(slice_len),
            })
        }
    };
    let on_plan = {
        let (tools, form, selected, load_executions, plan) = (
            tools.clone(),
            form.clone(),
            selected.clone(),
            load_executions.clone(),
            plan.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(job) = (*selected).as_ref().map(|o| o.job.id.clone()) else {
                return;
            };
            let execution = match plan() {
                Ok(p) => p,
                Err(n) => return tools.send(Action::Notify(n)),
            };
            let (tools, form, load_executions) =
                (tools.clone(), form.clone(), load_executions.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let op = esa::CreateScheduledPreloadExecutions {
                    id: Some(job.clone()),
                    executions: Some(vec![execution]),
                };
                match call(&form, op).await {
                    Ok(o) => {
                        for m in o.failed_messages {
                            tools.send(Action::Notify(Notice::local("esa.FailedExecution", m)));
                        }
                        load_executions(job);
                    }
                    Err(n) => tools.send(Action::Notify(n)),
                }
            });
        })
    };
    let update_exec = |id: String, job: String| {
        let (tools, form, load_executions, plan) = (
            tools.clone(),
            form.clone(),
            load_executions.clone(),
            plan.clone(),
        );
        Callback::from(move |_| {
            let execution = match plan() {
                Ok(p) => p,
                Err(n) => return tools.send(Action::Notify(n)),
            };
            let op = esa::UpdateScheduledPreloadExecution {
                id: Some(id.clone()),
                start_time: execution.start_time,
                end_time: execution.end_time,
                interval: execution.interval,
                slice_len: execution.slice_len,
            };
            let (tools, form, load_executions, job) = (
                tools.clone(),
                form.clone(),
                load_executions.clone(),
                job.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match call(&form, op).await {
                    Ok(_) => load_executions(job),
                    Err(n) => tools.send(Action::Notify(n)),
                }
            });
        })
    };
    let set = |s: UseStateHandle<String>| Callback::from(move |e: Event| s.set(value_of(&e)));
    let on_refresh = {
        let refresh = refresh.clone();
        Callback::from(move |_| refresh())
    };
    html! {
        <section aria-labelledby="sched-h">
            <h2 id="sched-h">{"ESA scheduled prefetch"}</h2>
            <div class="form">
                <label for="s-site">{"Site"}{" "}<span class="api">{"SiteId"}</span></label>
                <input id="s-site" readonly=true value={form.target.site_id.clone()} />
            </div>
            <form class="form" id="s-create" onsubmit={on_create}>
                <h3>{"New job"}</h3>
                <label for="s-name">{"Name"}</label>
                <input id="s-name" required=true onchange={set(name.clone())} />
                <label for="s-way">{"URLs from"}{" "}<span class="api">{"InsertWay"}</span></label>
                <select id="s-way" onchange={set(way.clone())}>
                    <option value="textBox" selected={*way == "textBox"}>{"this list (textBox)"}</option>
                    <option value="oss" selected={*way == "oss"}>{"an OSS file (oss)"}</option>
                </select>
                if *way == "textBox" {
                    <label for="s-urls">{"URLs, one per line"}</label>
                    <textarea id="s-urls" rows="4" onchange={set(list_text.clone())} />
                } else {
                    <label for="s-oss">{"OSS file URL"}{" "}<span class="api">{"OssUrl"}</span></label>
                    <input id="s-oss" type="url" onchange={set(oss.clone())} />
                }
                <button type="submit" id="s-create-btn">{"Create job"}</button>
            </form>
            <h3>{"Jobs"}</h3>
            <button type="button" id="s-refresh" onclick={on_refresh}>{"Refresh"}</button>
            if let Some(list) = &*jobs {
                <div class="table-wrap"><table id="s-jobs">
                    <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Id"}</th><th scope="col">{"URLs"}</th><th scope="col">{"Submitted"}</th><th scope="col">{"Actions"}</th></tr></thead>
                    <tbody>{ for list.jobs.iter().map(|j| html! {
                        <tr>
                            <td>{j.name.clone().unwrap_or_default()}</td><td>{super::history::id_cell(&j.id)}</td>
                            <td>{j.url_count.unwrap_or(0)}</td><td>{j.url_submitted.unwrap_or(0)}</td>
                            <td class="buttons">
                                <button type="button" onclick={job_op(JobOp::Get, j.id.clone())}>{"Open"}</button>
                                <button type="button" onclick={job_op(JobOp::Reset, j.id.clone())}>{"Reset"}</button>
                                <button type="button" onclick={job_op(JobOp::Delete, j.id.clone())}>{"Delete"}</button>
                            </td>
                        </tr>
                    }) }</tbody>
                </table></div>
            }
            if let Some(job) = (*selected).as_ref().map(|o| &o.job) {
                <h3 id="s-job-h">{format!("Job {}: {} URLs, {} submitted", job.name.clone().unwrap_or_default(), job.url_count.unwrap_or(0), job.url_submitted.unwrap_or(0))}</h3>
                <form class="form" id="s-plan" onsubmit={on_plan}>
                    <label for="s-slice">{"URLs per slice"}{" "}<span class="api">{"SliceLen"}</span></label>
                    <input id="s-slice" inputmode="numeric" value={(*slice).clone()} onchange={set(slice.clone())} />
                    <label for="s-interval">{"Seconds between slices"}{" "}<span class="api">{"Interval"}</span></label>
                    <input id="s-interval" inputmode="numeric" value={(*interval).clone()} onchange={set(interval.clone())} />
                    <label for="s-start">{"Start (local time)"}{" "}<span class="api">{"StartTime"}</span></label>
                    <input id="s-start" type="datetime-local" onchange={set(start.clone())} />
                    <label for="s-end">{"End (local time)"}{" "}<span class="api">{"EndTime"}</span></label>
                    <input id="s-end" type="datetime-local" onchange={set(end.clone())} />
                    <button type="submit" id="s-plan-btn">{"Create execution plan"}</button>
                </form>
                <div class="table-wrap"><table id="s-executions">
                    <thead><tr><th scope="col">{"Id"}</th><th scope="col">{"Status"}</th><th scope="col">{"Slice / interval"}</th><th scope="col">{"Window"}</th><th scope="col">{"Actions"}</th></tr></thead>
                    <tbody>{ for executions.iter().map(|x| html! {
                        <tr>
                            <td>{&x.id}</td><td class="status">{x.status.clone().unwrap_or_default()}</td>
                            <td>{format!("{} URLs / {} s", x.slice_len.unwrap_or(0), x.interval.unwrap_or(0))}</td>
                            <td>{plan_time(x.start_time.as_deref())}{" → "}{plan_time(x.end_time.as_deref())}</td>
                            <td class="buttons">
                                <button type="button" onclick={exec_op(ExecOp::Start, x.id.clone(), job.id.clone())}>{"Start"}</button>
                                <button type="button" onclick={exec_op(ExecOp::Stop, x.id.clone(), job.id.clone())}>{"Stop"}</button>
                                <button type="button" onclick={update_exec(x.id.clone(), job.id.clone())}>{"Update from the form"}</button>
                                <button type="button" onclick={exec_op(ExecOp::Delete, x.id.clone(), job.id.clone())}>{"Delete"}</button>
                            </td>
                        </tr>
                    }) }</tbody>
                </table></div>
            }
        </section>
    }
}
