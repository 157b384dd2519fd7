//! History: the vendor's own task lists (DescribePrefetchTasks, DescribePushTasks,
//! DescribePreloadTasks) with the documented filters (time, status, job or task id, target,
//! domain) and paging; and the EdgeOne and CDN quotas.

use super::iso_utc as iso;
use super::plan::route;
use super::{renders, value_of, FormCtx, Tools};
use crate::net;
use crate::store::{Action, Notice};
use edgewarm::vendor::{cdn, edgeone, esa};
use edgewarm::{Output, Service};
use yew::prelude::*;

const PAGE: i64 = 50;

/// One task row, whatever the vendor.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Job / task id.
    pub id: String,
    /// URL or target.
    pub target: String,
    /// The vendor's status word for the task, as it sent it.
    pub status: String,
    /// When the task was created, as the vendor wrote it.
    pub created: String,
    /// Why the task failed, when it did.
    pub detail: String,
}

/// Rows and total of an answer.
pub fn rows(out: &Output) -> (Vec<Row>, i64) {
    match out {
        Output::DescribePrefetchTasks(o) | Output::DescribePurgeTasks(o) => (
            o.tasks
                .iter()
                .map(|t| Row {
                    id: t.job_id.clone(),
                    target: t.target.clone(),
                    status: t.status.clone(),
                    created: t.create_time.clone(),
                    detail: [t.fail_type.clone(), t.fail_message.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(": "),
                })
                .collect(),
            o.total_count.unwrap_or(0),
        ),
        Output::DescribePushTasks(o) => (
            o.push_logs
                .iter()
                .map(|t| Row {
                    id: t.task_id.clone(),
                    target: t.url.clone(),
                    status: t.status.clone(),
                    created: t.create_time.clone(),
                    detail: t.percent.map(|p| format!("{p}%")).unwrap_or_default(),
                })
                .collect(),
            o.total_count.unwrap_or(0),
        ),
        Output::DescribePreloadTasks(o) => (
            o.tasks
                .iter()
                .map(|t| Row {
                    id: t.task_id.clone().unwrap_or_default(),
                    target: t.content.clone(),
                    status: t.status.clone(),
                    created: t.create_time.clone().unwrap_or_default(),
                    detail: t.description.clone().unwrap_or_default(),
                })
                .collect(),
            o.total_count.unwrap_or(0),
        ),
        _ => (Vec::new(), 0),
    }
}

fn quota_line(left: Option<i64>, total: Option<i64>, batch: Option<i64>) -> String {
    format!(
        "{} of {} left today, ≤ {} per call",
        left.unwrap_or(0),
        total.unwrap_or(0),
        batch.unwrap_or(0)
    )
}

fn beijing(ms: f64) -> String {
    edgewarm::times::beijing(ms as i64)
}

/// A filter value typed in a form, or none when left empty.
fn given(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The history page.
#[function_component(History)]
pub fn history() -> Html {
    renders::count("History");
    // App provides the contexts around every view; outside them a view shows nothing (no panic)
    let (Some(tools), Some(form)) = (use_context::<Tools>(), use_context::<FormCtx>()) else {
        return Html::default();
    };
    let hours = use_state(|| "24".to_string());
    let status = use_state(String::new);
    let keyword = use_state(String::new);
    let job_id = use_state(String::new);
    let page = use_state(|| 0i64);
    let result = use_state(|| None::<(Vec<Row>, i64)>);
    let quota = use_state(|| None::<Vec<(String, String)>>);
    let fetch = {
        let (tools, form) = (tools.clone(), form.clone());
        let (hours, status, keyword, job_id, result) = (
            hours.clone(),
            status.clone(),
            keyword.clone(),
            job_id.clone(),
            result.clone(),
        );
        move |page_no: i64| {
            let service = form.vendor;
            let endpoint = match crate::spec::endpoint(&form, service) {
                Ok(e) => e,
                Err(n) => return tools.send(Action::Notify(n)),
            };
            let now = js_sys::Date::now();
            let from = now - hours.parse::<f64>().unwrap_or(24.0) * 3_600_000.0;
            let (status, keyword, job_id) = (given(&status), given(&keyword), given(&job_id));
            let zone_id = given(&form.target.zone_id);
            let site_id = form.target.site_id.trim().parse::<i64>().ok();
            let conn = form.connection(service).clone();
            let (tools, result) = (tools.clone(), result.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let creds = conn.credentials(service.cloud());
                let route = route(&conn);
                let answer = match service {
                    Service::Teo => {
                        let filter = |name: &str, value: Option<String>, fuzzy: Option<bool>| {
                            value.map(|v| edgeone::AdvancedFilter {
                                name: Some(name.to_string()),
                                values: Some(vec![v]),
                                fuzzy,
                            })
                        };
                        let filters: Vec<edgeone::AdvancedFilter> = [
                            filter("statuses", status, None),
                            filter("target", keyword, Some(true)),
                            filter("job-id", job_id, None),
                        ]
                        .into_iter()
                        .flatten()
                        .collect();
                        let op = edgeone::DescribePrefetchTasks(edgeone::DescribeTasks {
                            zone_id,
                            start_time: Some(iso(from)),
                            end_time: Some(iso(now)),
                            offset: Some(page_no * PAGE),
                            limit: Some(PAGE),
                            filters: Some(filters).filter(|f| !f.is_empty()),
                        });
                        net::call(op, &endpoint, &creds, &route)
                            .await
                            .map(Output::DescribePrefetchTasks)
                    }
                    Service::Cdn => {
                        let op = cdn::DescribePushTasks {
                            start_time: Some(beijing(from)),
                            end_time: Some(beijing(now)),
                            offset: Some(page_no * PAGE),
                            limit: Some(PAGE),
                            status,
                            keyword,
                            task_id: job_id,
                            ..Default::default()
                        };
                        net::call(op, &endpoint, &creds, &route)
                            .await
                            .map(Output::DescribePushTasks)
                    }
                    Service::Esa => {
                        let op = esa::DescribePreloadTasks {
                            site_id,
                            start_time: Some(iso(from)),
                            end_time: Some(iso(now)),
                            page_number: Some(page_no + 1),
                            page_size: Some(PAGE),
                            status,
                            content: keyword,
                        };
                        net::call(op, &endpoint, &creds, &route)
                            .await
                            .map(Output::DescribePreloadTasks)
                    }
                };
                match answer {
                    Ok(out) => result.set(Some(rows(&out))),
                    Err(n) => tools.send(Action::Notify(n)),
                }
            });
        }
    };
    let on_search = {
        let (fetch, page) = (fetch.clone(), page.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            page.set(0);
            fetch(0);
        })
    };
    let go = |delta: i64| {
        let (fetch, page) = (fetch.clone(), page.clone());
        Callback::from(move |_| {
            let next = (*page + delta).max(0);
            page.set(next);
            fetch(next);
        })
    };
    let on_quota = {
        let (tools, form) = (tools.clone(), form.clone());
        let quota = quota.clone();
        Callback::from(move |_| {
            let service = form.vendor;
            let Ok(endpoint) = crate::spec::endpoint(&form, service) else {
                return;
            };
            if service == Service::Esa {
                return tools.send(Action::Notify(Notice::info(
                    "ESA has no quota API; its per-call caps are checked before sending.",
                )));
            }
            let zone_id = given(&form.target.zone_id);
            let conn = form.connection(service).clone();
            let (tools, quota) = (tools.clone(), quota.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let creds = conn.credentials(service.cloud());
                let route = route(&conn);
                let lines = if service == Service::Teo {
                    net::call(
                        edgeone::DescribeContentQuota { zone_id },
                        &endpoint,
                        &creds,
                        &route,
                    )
                    .await
                    .map(|q| {
                        q.prefetch_quota
                            .iter()
                            .chain(q.purge_quota.iter())
                            .map(|x| {
                                (
                                    x.kind.clone(),
                                    quota_line(x.daily_available, x.daily, x.batch),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                } else {
                    net::call(cdn::DescribePushQuota {}, &endpoint, &creds, &route)
                        .await
                        .map(|q| {
                            q.url_push
                                .iter()
                                .map(|x| {
                                    (
                                        format!("url push ({})", x.area),
                                        quota_line(x.available, x.total, x.batch),
                                    )
                                })
                                .collect()
                        })
                };
                match lines {
                    Ok(lines) => quota.set(Some(lines)),
                    Err(n) => tools.send(Action::Notify(n)),
                }
            });
        })
    };
    let set = |s: UseStateHandle<String>| Callback::from(move |e: Event| s.set(value_of(&e)));
    html! {
        <section aria-labelledby="history-h">
            <h2 id="history-h">{"History"}</h2>
            <form class="form" onsubmit={on_search}>
                <label for="h-hours">{"Window"}</label>
                <select id="h-hours" onchange={set(hours.clone())}>
                    <option value="1">{"last hour"}</option>
                    <option value="24" selected=true>{"last 24 hours"}</option>
                    <option value="168">{"last 7 days"}</option>
                </select>
                <label for="h-status">{"Status"}</label>
                <input id="h-status" placeholder="processing, success, failed…" onchange={set(status.clone())} />
                <label for="h-keyword">{"Target, URL or domain contains"}</label>
                <input id="h-keyword" onchange={set(keyword.clone())} />
                <label for="h-job">{"Job or task id"}</label>
                <input id="h-job" onchange={set(job_id.clone())} />
                <button type="submit" id="h-search">{"Search"}</button>
            </form>
            if let Some((rows, total)) = &*result {
                <p id="h-total">{format!("{total} tasks; page {}", *page + 1)}</p>
                <div class="table-wrap"><table id="h-table">
                    <thead><tr><th scope="col">{"Id"}</th><th scope="col">{"Target"}</th><th scope="col">{"Status"}</th><th scope="col">{"Created"}</th><th scope="col">{"Detail"}</th></tr></thead>
                    <tbody>{ for rows.iter().map(|r| html! {
                        <tr><td>{&r.id}</td><td class="url">{&r.target}</td><td>{&r.status}</td><td>{&r.created}</td><td>{&r.detail}</td></tr>
                    }) }</tbody>
                </table></div>
                <div class="buttons">
                    <button type="button" disabled={*page == 0} onclick={go(-1)}>{"Previous page"}</button>
                    <button type="button" disabled={(*page + 1) * PAGE >= *total} onclick={go(1)}>{"Next page"}</button>
                </div>
            }
            <h2 id="quota-h">{"Quotas"}</h2>
            <button type="button" id="q-load" onclick={on_quota}>{"Show quotas"}</button>
            if let Some(q) = &*quota {
                <dl id="quotas" class="summary">{ for q.iter().map(|(k, v)| html! { <><dt>{k}</dt><dd>{v}</dd></> }) }</dl>
            }
        </section>
    }
}
