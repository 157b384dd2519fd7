//! ESA scheduled prefetch: create a job (text box or OSS file), list, get, reset, delete; and
//! its execution plans — create time-sliced plans, start, stop, update, delete — with their
//! progress.

use super::plan::route;
use super::{value_of, Ctx};
use crate::connection::Cloud;
use crate::net;
use crate::store::{Action, Notice, State};
use edgewarm::vendor::esa::{ExecutionInfo, Job as EsaJob};
use edgewarm::{Output, Service};
use serde_json::{json, Value};
use yew::prelude::*;

async fn esa(store: &State, action: &str, params: Value) -> Result<Output, Notice> {
    let endpoint = crate::spec::endpoint(store, Service::Esa)?;
    let conn = store.connection(Service::Esa).clone();
    net::call(
        Service::Esa,
        action,
        params,
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

/// The ESA scheduled prefetch page.
#[function_component(Scheduled)]
pub fn scheduled() -> Html {
    // App provides the context around every view; outside it a view shows nothing (no panic)
    let Some(ctx) = use_context::<Ctx>() else {
        return Html::default();
    };
    let store = ctx.store.clone();
    let name = use_state(String::new);
    let way = use_state(|| "textBox".to_string());
    let list_text = use_state(String::new);
    let oss = use_state(String::new);
    let jobs = use_state(|| None::<Vec<EsaJob>>);
    let selected = use_state(|| None::<EsaJob>);
    let executions = use_state(Vec::<ExecutionInfo>::new);
    let slice = use_state(|| "100".to_string());
    let interval = use_state(|| "60".to_string());
    let start = use_state(String::new);
    let end = use_state(String::new);

    let site_id = store.target.site_id.trim().parse::<i64>().unwrap_or(0);
    let refresh = {
        let (store, jobs) = (store.clone(), jobs.clone());
        move || {
            let (store, jobs) = (store.clone(), jobs.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match esa(
                    &store,
                    "ListScheduledPreloadJobs",
                    json!({"SiteId": site_id, "PageNumber": 1, "PageSize": 50}),
                )
                .await
                {
                    Ok(Output::ListScheduledPreloadJobs(o)) => jobs.set(Some(o.jobs)),
                    Ok(_) => {}
                    Err(n) => store.dispatch(Action::Notify(n)),
                }
            });
        }
    };
    let load_executions = {
        let (store, executions) = (store.clone(), executions.clone());
        move |id: String| {
            let (store, executions) = (store.clone(), executions.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match esa(&store, "ListScheduledPreloadExecutions", json!({"Id": id})).await {
                    Ok(Output::ListScheduledPreloadExecutions(o)) => executions.set(o.executions),
                    Ok(_) => {}
                    Err(n) => store.dispatch(Action::Notify(n)),
                }
            });
        }
    };
    let on_create = {
        let (store, refresh) = (store.clone(), refresh.clone());
        let (name, way, list_text, oss) =
            (name.clone(), way.clone(), list_text.clone(), oss.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut params = json!({"SiteId": site_id, "Name": *name, "InsertWay": *way});
            if *way == "textBox" {
                let urls: Vec<String> =
                    edgewarm::sources::list::parse_auto("urls.txt", &list_text).urls;
                params["UrlList"] = json!(urls.join("\n"));
            } else {
                params["OssUrl"] = json!(*oss);
            }
            let (store, refresh) = (store.clone(), refresh.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match esa(&store, "CreateScheduledPreloadJob", params).await {
                    Ok(_) => {
                        store.dispatch(Action::Notify(Notice::info(
                            "Scheduled prefetch job created.",
                        )));
                        refresh();
                    }
                    Err(n) => store.dispatch(Action::Notify(n)),
                }
            });
        })
    };
    // a job action (Get, Reset, Delete) and an execution action (Start, Stop, Delete)
    let job_op = |action: &'static str, id: String| {
        let (store, refresh, selected, load_executions) = (
            store.clone(),
            refresh.clone(),
            selected.clone(),
            load_executions.clone(),
        );
        Callback::from(move |_| {
            let (store, refresh, selected, load_executions, id) = (
                store.clone(),
                refresh.clone(),
                selected.clone(),
                load_executions.clone(),
                id.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match esa(&store, action, json!({"Id": id})).await {
                    Ok(Output::GetScheduledPreloadJob(o))
                    | Ok(Output::ResetScheduledPreloadJob(o)) => {
                        load_executions(o.job.id.clone());
                        selected.set(Some(o.job));
                        refresh();
                    }
                    Ok(_) => {
                        if action == "DeleteScheduledPreloadJob" {
                            selected.set(None);
                        }
                        refresh();
                    }
                    Err(n) => store.dispatch(Action::Notify(n)),
                }
            });
        })
    };
    let exec_op = |action: &'static str, id: String, job: String| {
        let (store, load_executions) = (store.clone(), load_executions.clone());
        Callback::from(move |_| {
            let (store, load_executions, id, job) = (
                store.clone(),
                load_executions.clone(),
                id.clone(),
                job.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match esa(&store, action, json!({"Id": id})).await {
                    Ok(_) => load_executions(job),
                    Err(n) => store.dispatch(Action::Notify(n)),
                }
            });
        })
    };
    let plan_params = {
        let (slice, interval, start, end) =
            (slice.clone(), interval.clone(), start.clone(), end.clone());
        move || -> Result<Value, Notice> {
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
            Ok(
                json!({"SliceLen": slice_len, "Interval": interval, "StartTime": start, "EndTime": end}),
            )
        }
    };
    let on_plan = {
        let (store, selected, load_executions, plan_params) = (
            store.clone(),
            selected.clone(),
            load_executions.clone(),
            plan_params.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(job) = (*selected).clone() else {
                return;
            };
            let plan = match plan_params() {
                Ok(p) => p,
                Err(n) => return store.dispatch(Action::Notify(n)),
            };
            let (store, load_executions) = (store.clone(), load_executions.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match esa(
                    &store,
                    "CreateScheduledPreloadExecutions",
                    json!({"Id": job.id, "Executions": [plan]}),
                )
                .await
                {
                    Ok(Output::CreateScheduledPreloadExecutions(o)) => {
                        for m in o.failed_messages {
                            store.dispatch(Action::Notify(Notice::local("esa.FailedExecution", m)));
                        }
                        load_executions(job.id.clone());
                    }
                    Ok(_) => load_executions(job.id.clone()),
                    Err(n) => store.dispatch(Action::Notify(n)),
                }
            });
        })
    };
    let update_exec = |id: String, job: String| {
        let (store, load_executions, plan_params) =
            (store.clone(), load_executions.clone(), plan_params.clone());
        Callback::from(move |_| {
            let mut params = match plan_params() {
                Ok(p) => p,
                Err(n) => return store.dispatch(Action::Notify(n)),
            };
            params["Id"] = json!(id);
            let (store, load_executions, job) =
                (store.clone(), load_executions.clone(), job.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match esa(&store, "UpdateScheduledPreloadExecution", params).await {
                    Ok(_) => load_executions(job),
                    Err(n) => store.dispatch(Action::Notify(n)),
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
                <label for="s-site">{"SiteId"}</label>
                <input id="s-site" readonly=true value={store.target.site_id.clone()} />
            </div>
            <form class="form" id="s-create" onsubmit={on_create}>
                <h3>{"New job"}</h3>
                <label for="s-name">{"Name"}</label>
                <input id="s-name" required=true onchange={set(name.clone())} />
                <label for="s-way">{"URLs from"}</label>
                <select id="s-way" onchange={set(way.clone())}>
                    <option value="textBox" selected={*way == "textBox"}>{"this list (textBox)"}</option>
                    <option value="oss" selected={*way == "oss"}>{"an OSS file (oss)"}</option>
                </select>
                if *way == "textBox" {
                    <label for="s-urls">{"URLs, one per line"}</label>
                    <textarea id="s-urls" rows="4" onchange={set(list_text.clone())} />
                } else {
                    <label for="s-oss">{"OSS URL"}</label>
                    <input id="s-oss" type="url" onchange={set(oss.clone())} />
                }
                <button type="submit" id="s-create-btn">{"Create job"}</button>
            </form>
            <h3>{"Jobs"}</h3>
            <button type="button" id="s-refresh" onclick={on_refresh}>{"Refresh"}</button>
            if let Some(list) = &*jobs {
                <div class="table-wrap"><table id="s-jobs">
                    <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Id"}</th><th scope="col">{"URLs"}</th><th scope="col">{"Submitted"}</th><th scope="col">{"Actions"}</th></tr></thead>
                    <tbody>{ for list.iter().map(|j| html! {
                        <tr>
                            <td>{j.name.clone().unwrap_or_default()}</td><td>{&j.id}</td>
                            <td>{j.url_count.unwrap_or(0)}</td><td>{j.url_submitted.unwrap_or(0)}</td>
                            <td class="buttons">
                                <button type="button" onclick={job_op("GetScheduledPreloadJob", j.id.clone())}>{"Open"}</button>
                                <button type="button" onclick={job_op("ResetScheduledPreloadJob", j.id.clone())}>{"Reset"}</button>
                                <button type="button" onclick={job_op("DeleteScheduledPreloadJob", j.id.clone())}>{"Delete"}</button>
                            </td>
                        </tr>
                    }) }</tbody>
                </table></div>
            }
            if let Some(job) = &*selected {
                <h3 id="s-job-h">{format!("Job {}: {} URLs, {} submitted", job.name.clone().unwrap_or_default(), job.url_count.unwrap_or(0), job.url_submitted.unwrap_or(0))}</h3>
                <form class="form" id="s-plan" onsubmit={on_plan}>
                    <label for="s-slice">{"URLs per slice (SliceLen)"}</label>
                    <input id="s-slice" inputmode="numeric" value={(*slice).clone()} onchange={set(slice.clone())} />
                    <label for="s-interval">{"Seconds between slices (Interval)"}</label>
                    <input id="s-interval" inputmode="numeric" value={(*interval).clone()} onchange={set(interval.clone())} />
                    <label for="s-start">{"Start"}</label>
                    <input id="s-start" type="datetime-local" onchange={set(start.clone())} />
                    <label for="s-end">{"End"}</label>
                    <input id="s-end" type="datetime-local" onchange={set(end.clone())} />
                    <button type="submit" id="s-plan-btn">{"Create execution plan"}</button>
                </form>
                <div class="table-wrap"><table id="s-executions">
                    <thead><tr><th scope="col">{"Id"}</th><th scope="col">{"Status"}</th><th scope="col">{"Slice / interval"}</th><th scope="col">{"Window"}</th><th scope="col">{"Actions"}</th></tr></thead>
                    <tbody>{ for executions.iter().map(|x| html! {
                        <tr>
                            <td>{&x.id}</td><td class="status">{x.status.clone().unwrap_or_default()}</td>
                            <td>{format!("{} URLs / {} s", x.slice_len.unwrap_or(0), x.interval.unwrap_or(0))}</td>
                            <td>{format!("{} → {}", x.start_time.clone().unwrap_or_default(), x.end_time.clone().unwrap_or_default())}</td>
                            <td class="buttons">
                                <button type="button" onclick={exec_op("StartScheduledPreloadExecution", x.id.clone(), job.id.clone())}>{"Start"}</button>
                                <button type="button" onclick={exec_op("StopScheduledPreloadExecution", x.id.clone(), job.id.clone())}>{"Stop"}</button>
                                <button type="button" onclick={update_exec(x.id.clone(), job.id.clone())}>{"Update from the form"}</button>
                                <button type="button" onclick={exec_op("DeleteScheduledPreloadExecution", x.id.clone(), job.id.clone())}>{"Delete"}</button>
                            </td>
                        </tr>
                    }) }</tbody>
                </table></div>
            }
        </section>
    }
}
