//! History: the vendor's own task lists — prefetch (DescribePrefetchTasks, DescribePushTasks,
//! DescribePreloadTasks) or purge (EdgeOne DescribePurgeTasks, CDN DescribePurgeTasks, ESA
//! DescribePurgeTasks), one toggle — with the documented filters (time, status, job or task id, target,
//! domain) and paging; and the EdgeOne and CDN quotas. One vocabulary whatever the vendor: the
//! status in the core's words (`Succeeded`, with the vendor's `success` / `done` / `Complete` as
//! detail), times in local time with the zone (UTC on hover) however the vendor wrote them.
//! Each vendor keeps its own results: switching vendor never shows another's tasks or quotas.
//! At 360 px the table becomes one card per task; ids are shortened (with a Copy button) and
//! URLs cut in the middle (the whole text on hover).

use super::iso_utc as iso;
use super::plan::{copy_text, route};
use super::{renders, value_of, FormCtx, Tools};
use crate::net;
use crate::store::Action;
use crate::time_display;
use edgewarm::status::Status;
use edgewarm::vendor::{cdn, edgeone, esa, esa_purge_tracking};
use edgewarm::{Output, Service};
use std::collections::HashMap;
use yew::prelude::*;

const PAGE: i64 = 50;

/// Ids longer than this are shown shortened (CDN task ids have 19 to 23 digits).
const ID_SHOWN: usize = 12;
/// URLs longer than this are cut in the middle (assumed: fits a 360 px card in 13 px text).
const URL_SHOWN: usize = 44;

/// One task row, whatever the vendor (the core's [`edgewarm::task_rows::TaskRow`]).
pub use edgewarm::task_rows::TaskRow as Row;

/// `id` shortened to its first and last characters when long (`1547544…9928456`).
pub fn short_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= ID_SHOWN {
        return id.to_string();
    }
    let head: String = chars[..5].iter().collect();
    let tail: String = chars[chars.len() - 5..].iter().collect();
    format!("{head}…{tail}")
}

/// `text` cut in the middle to at most `max` characters (`https://www.exa…/app/main.js`), so
/// both the host and the file stay visible.
pub fn middle(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max || max < 5 {
        return text.to_string();
    }
    let keep = max - 1;
    let head = keep / 2;
    let tail = keep - head;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}

/// An id shortened, with its whole text on hover and a Copy button.
pub fn id_cell(id: &str) -> Html {
    if id.is_empty() {
        return Html::default();
    }
    let shown = short_id(id);
    let whole = id.to_string();
    let copy = Callback::from(move |_| copy_text(&whole));
    html! { <>
        <code class="id" title={id.to_string()}>{shown}</code>
        <button type="button" class="copy" aria-label={format!("Copy id {id}")} title="Copy the whole id" onclick={copy}>{"Copy"}</button>
    </> }
}

/// A status in the one vocabulary, the vendor's word as detail.
pub fn status_cell(status: Option<Status>, vendor_word: &str) -> Html {
    let (name, label) = status.map_or(("unknown", "Unknown"), |s| (s.name(), s.label()));
    html! {
        <span class="status" data-status={name}>
            <span class="status-word">{label}</span>
            if !vendor_word.is_empty() { {" "}<span class="vendor-word" title="the vendor's word">{vendor_word.to_string()}</span> }
        </span>
    }
}

/// Plain words for a quota's kind, the API's name beside.
fn quota_kind(kind: &str) -> String {
    let plain = match kind {
        "prefetch_url" => "URL prefetch",
        "purge_url" => "URL purge",
        "purge_prefix" => "Directory purge",
        "purge_host" => "Host purge",
        "purge_all" => "Whole-site purge",
        "purge_cache_tag" => "Cache-tag purge",
        _ => return kind.to_string(),
    };
    format!("{plain} ({kind})")
}

/// Rows and total of an answer of `service` (none for another answer): the core's reading.
pub fn rows(service: Service, out: &Output) -> (Vec<Row>, i64) {
    edgewarm::task_rows::task_rows(service, out).unwrap_or_default()
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

/// What the page shows for one vendor: its last search (rows, total, page) and its quotas.
#[derive(Debug, Clone, Default, PartialEq)]
struct Shown {
    result: Option<(Vec<Row>, i64)>,
    page: i64,
    quota: Option<Vec<(String, String)>>,
}

/// Each vendor's results, prefetch and purge tasks apart: an answer lands on the list that
/// asked.
#[derive(Debug, Default, PartialEq)]
struct Shelf(HashMap<(Service, bool), Shown>);

enum Put {
    Result((Service, bool), Vec<Row>, i64, i64),
    Quota((Service, bool), Vec<(String, String)>),
}

impl Reducible for Shelf {
    type Action = Put;
    fn reduce(self: std::rc::Rc<Self>, action: Put) -> std::rc::Rc<Self> {
        let mut map = self.0.clone();
        match action {
            Put::Result(service, rows, total, page) => {
                let e = map.entry(service).or_default();
                e.result = Some((rows, total));
                e.page = page;
            }
            Put::Quota(service, lines) => map.entry(service).or_default().quota = Some(lines),
        }
        std::rc::Rc::new(Shelf(map))
    }
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
    let shelf = use_reducer(Shelf::default);
    // prefetch tasks (false) or purge tasks (true)
    let purges = use_state(|| false);
    let shown = shelf
        .0
        .get(&(form.vendor, *purges))
        .cloned()
        .unwrap_or_default();
    let fetch = {
        let (tools, form) = (tools.clone(), form.clone());
        let purges = *purges;
        let (hours, status, keyword, job_id, result) = (
            hours.clone(),
            status.clone(),
            keyword.clone(),
            job_id.clone(),
            shelf.dispatcher(),
        );
        move |page_no: i64| {
            let service = form.vendor;
            let endpoint = match crate::spec::endpoint(&form, service) {
                Ok(e) => e,
                Err(n) => return tools.send(Action::Notify(n)),
            };
            let now = js_sys::Date::now();
            let from = now - hours.parse::<f64>().unwrap_or(24.0) * 3_600_000.0;
            // the one vocabulary's status, in the vendor's word for its filter
            let status = Status::parse(&status)
                .and_then(|st| st.task_words(service).first())
                .map(|w| w.to_string());
            let (keyword, job_id) = (given(&keyword), given(&job_id));
            let zone_id = given(&form.target.zone_id);
            let site_id = form.target.site_id.trim().parse::<i64>().ok();
            let conn = form.connection(service).clone();
            let (tools, result) = (tools.clone(), result.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let creds = conn.credentials(service.cloud());
                let route = route(&conn);
                let answer = match service {
                    Service::Teo if purges => {
                        let filters: Vec<edgeone::AdvancedFilter> = [
                            ("statuses", status, None),
                            ("target", keyword, Some(true)),
                            ("job-id", job_id, None),
                        ]
                        .into_iter()
                        .filter_map(|(name, value, fuzzy)| {
                            value.map(|v| edgeone::AdvancedFilter {
                                name: Some(name.to_string()),
                                values: Some(vec![v]),
                                fuzzy,
                            })
                        })
                        .collect();
                        let op = edgeone::DescribePurgeTasks(edgeone::DescribeTasks {
                            zone_id,
                            start_time: Some(iso(from)),
                            end_time: Some(iso(now)),
                            offset: Some(page_no * PAGE),
                            limit: Some(PAGE),
                            filters: Some(filters).filter(|f| !f.is_empty()),
                        });
                        net::call(op, &endpoint, &creds, &route)
                            .await
                            .map(Output::DescribePurgeTasks)
                    }
                    Service::Cdn if purges => {
                        let op = cdn::CdnDescribePurgeTasks {
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
                            .map(Output::CdnDescribePurgeTasks)
                    }
                    Service::Esa if purges => {
                        let op = esa_purge_tracking::EsaDescribePurgeTasks {
                            site_id,
                            start_time: Some(iso(from)),
                            end_time: Some(iso(now)),
                            page_number: Some(page_no + 1),
                            page_size: Some(PAGE),
                            status,
                            content: keyword,
                            ..Default::default()
                        };
                        net::call(op, &endpoint, &creds, &route)
                            .await
                            .map(Output::EsaDescribePurgeTasks)
                    }
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
                    Ok(out) => {
                        let (rows, total) = rows(service, &out);
                        result.dispatch(Put::Result((service, purges), rows, total, page_no))
                    }
                    Err(n) => tools.send(Action::Notify(n)),
                }
            });
        }
    };
    let on_search = {
        let fetch = fetch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            fetch(0);
        })
    };
    let page = shown.page;
    let go = |delta: i64| {
        let fetch = fetch.clone();
        Callback::from(move |_| fetch((page + delta).max(0)))
    };
    let on_quota = {
        let (tools, form) = (tools.clone(), form.clone());
        let quota = shelf.dispatcher();
        Callback::from(move |_| {
            let service = form.vendor;
            let Ok(endpoint) = crate::spec::endpoint(&form, service) else {
                return;
            };
            let site_id = form.target.site_id.trim().parse::<i64>().ok();
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
                                    quota_kind(&x.kind),
                                    quota_line(x.daily_available, x.daily, x.batch),
                                )
                            })
                            .collect::<Vec<_>>()
                    })
                } else if service == Service::Cdn {
                    let push = net::call(cdn::DescribePushQuota {}, &endpoint, &creds, &route)
                        .await
                        .map(|q| {
                            q.url_push
                                .iter()
                                .map(|x| {
                                    (
                                        format!("URL prefetch, {} (UrlPush)", x.area),
                                        quota_line(x.available, x.total, x.batch),
                                    )
                                })
                                .collect::<Vec<_>>()
                        });
                    let purge = net::call(cdn::DescribePurgeQuota {}, &endpoint, &creds, &route)
                        .await
                        .map(|q| {
                            let url = q.url_purge.iter().map(|x| ("URL purge", "UrlPurge", x));
                            let path = q
                                .path_purge
                                .iter()
                                .map(|x| ("Directory purge", "PathPurge", x));
                            url.chain(path)
                                .map(|(what, api, x)| {
                                    (
                                        format!("{what}, {} ({api})", x.area),
                                        quota_line(x.available, x.total, x.batch),
                                    )
                                })
                                .collect::<Vec<_>>()
                        });
                    push.and_then(|mut p| {
                        purge.map(|q| {
                            p.extend(q);
                            p
                        })
                    })
                } else {
                    // ESA has no prefetch quota API; GetPurgeQuota answers per purge type
                    let mut lines = vec![(
                        "URL prefetch".to_string(),
                        "no quota API: per-call caps are checked before sending".to_string(),
                    )];
                    let mut failed = None;
                    for (kind, what) in [("file", "URL purge"), ("directory", "Directory purge")] {
                        let op = esa_purge_tracking::GetPurgeQuota {
                            site_id,
                            kind: Some(kind.into()),
                        };
                        match net::call(op, &endpoint, &creds, &route).await {
                            Ok(q) => lines.push((
                                format!("{what} ({kind})"),
                                format!(
                                    "{} of {} left today",
                                    q.available().unwrap_or(0),
                                    q.quota.unwrap_or(0)
                                ),
                            )),
                            Err(n) => {
                                failed = Some(n);
                                break;
                            }
                        }
                    }
                    match failed {
                        Some(n) => Err(n),
                        None => Ok(lines),
                    }
                };
                match lines {
                    Ok(lines) => quota.dispatch(Put::Quota((service, false), lines)),
                    Err(n) => tools.send(Action::Notify(n)),
                }
            });
        })
    };
    let set = |s: UseStateHandle<String>| Callback::from(move |e: Event| s.set(value_of(&e)));
    let quotas = shelf
        .0
        .get(&(form.vendor, false))
        .and_then(|s| s.quota.clone());
    let list = |p: bool| {
        let purges = purges.clone();
        Callback::from(move |_: Event| purges.set(p))
    };
    let service = form.vendor;
    let statuses = Status::ALL
        .into_iter()
        .filter(|st| !st.task_words(service).is_empty());
    html! {
        <section aria-labelledby="history-h" class="history">
            <h2 id="history-h">{"History"}</h2>
            <form class="form" onsubmit={on_search}>
                <span class="label" id="h-list-l">{"Tasks"}</span>
                <div class="toggle" role="radiogroup" aria-labelledby="h-list-l">
                    <label for="h-prefetch"><input type="radio" name="h-list" id="h-prefetch" checked={!*purges} onchange={list(false)} />{"Prefetch"}</label>
                    <label for="h-purge"><input type="radio" name="h-list" id="h-purge" checked={*purges} onchange={list(true)} />{"Purge"}</label>
                </div>
                <label for="h-hours">{"Window"}</label>
                <select id="h-hours" onchange={set(hours.clone())}>
                    <option value="1">{"last hour"}</option>
                    <option value="24" selected=true>{"last 24 hours"}</option>
                    <option value="168">{"last 7 days"}</option>
                </select>
                <label for="h-status">{"Status"}</label>
                <select id="h-status" onchange={set(status.clone())}>
                    <option value="" selected={status.is_empty()}>{"any"}</option>
                    { for statuses.map(|st| html! {
                        <option value={st.name()} selected={*status == st.name()}>
                            {format!("{} ({})", st.label(), st.task_words(service).join(", "))}
                        </option>
                    }) }
                </select>
                <label for="h-keyword">{"URL or domain contains"}{" "}<span class="api">{match service { Service::Teo => "target", Service::Cdn => "Keyword", Service::Esa => "Content" }}</span></label>
                <input id="h-keyword" onchange={set(keyword.clone())} />
                <label for="h-job">{"Task id"}{" "}<span class="api">{if service == Service::Teo { "job-id" } else { "TaskId" }}</span></label>
                <input id="h-job" onchange={set(job_id.clone())} />
                <button type="submit" id="h-search">{"Search"}</button>
            </form>
            if let Some((rows, total)) = &shown.result {
                <p id="h-total">{format!("{total} {}; page {}", if *total == 1 { "task" } else { "tasks" }, page + 1)}</p>
                <div class="table-wrap"><table id="h-table" class="cards">
                    <thead><tr>
                        <th scope="col">{"Task id"}</th>
                        <th scope="col">{"URL"}</th>
                        <th scope="col">{"Status"}</th>
                        <th scope="col">{"Created"}{" "}<span class="api">{"local time"}</span></th>
                        <th scope="col">{"Detail"}</th>
                    </tr></thead>
                    <tbody>{ for rows.iter().map(|r| html! {
                        <tr>
                            <td data-label="Task id" class="id-cell">{id_cell(&r.id)}</td>
                            <td data-label="URL" class="url" title={r.target.clone()}>{middle(&r.target, URL_SHOWN)}</td>
                            <td data-label="Status">{status_cell(r.status, &r.vendor_status)}</td>
                            <td data-label="Created">{time_display::view(r.created_ms, r.zoned, &r.created)}</td>
                            <td data-label="Detail" class="detail">{&r.detail}</td>
                        </tr>
                    }) }</tbody>
                </table></div>
                <div class="buttons">
                    <button type="button" disabled={page == 0} onclick={go(-1)}>{"Previous page"}</button>
                    <button type="button" disabled={(page + 1) * PAGE >= *total} onclick={go(1)}>{"Next page"}</button>
                </div>
            }
            <h2 id="quota-h">{"Quotas"}</h2>
            <button type="button" id="q-load" onclick={on_quota}>{"Show quotas"}</button>
            if let Some(q) = &quotas {
                <dl id="quotas" class="summary">{ for q.iter().map(|(k, v)| html! { <><dt>{k}</dt><dd>{v}</dd></> }) }</dl>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn long_ids_and_urls_are_shortened_keeping_both_ends() {
        assert_eq!(short_id("3duxkechrr0c"), "3duxkechrr0c");
        assert_eq!(short_id("15475444535871929928456"), "15475…28456");
        let url = "https://www.example.com/some/long/path/to/the/file/main.js";
        let cut = middle(url, 30);
        assert_eq!(cut.chars().count(), 30);
        assert!(
            cut.starts_with("https://www.ex") && cut.ends_with("file/main.js"),
            "{cut}"
        );
        assert_eq!(middle("https://a.com/x", 30), "https://a.com/x");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn rows_speak_one_vocabulary_whatever_the_vendor() {
        let teo = Output::DescribePrefetchTasks(edgeone::DescribeTasksOutput {
            tasks: vec![edgeone::Task {
                job_id: "j1".into(),
                target: "https://www.example.com/a".into(),
                status: "success".into(),
                create_time: "2023-11-14T22:13:20Z".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        let cdn = Output::DescribePushTasks(cdn::DescribePushTasksOutput {
            push_logs: vec![cdn::PushTask {
                task_id: "15475444535871929928456".into(),
                url: "https://www.example.com/a".into(),
                status: "done".into(),
                create_time: "2023-11-15 06:13:20".into(),
                ..Default::default()
            }],
            ..Default::default()
        });
        let esa = Output::DescribePreloadTasks(esa::DescribePreloadTasksOutput {
            tasks: vec![esa::PreloadTask {
                content: "https://www.example.com/a".into(),
                status: "Complete".into(),
                create_time: Some("2023-11-15 06:13:20".into()),
                ..Default::default()
            }],
            ..Default::default()
        });
        for (service, out) in [
            (Service::Teo, teo),
            (Service::Cdn, cdn),
            (Service::Esa, esa),
        ] {
            let (rows, _) = rows(service, &out);
            assert_eq!(rows[0].status, Some(Status::Succeeded), "{service}");
            assert_eq!(rows[0].created_ms, Some(1_700_000_000_000), "{service}");
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn purge_tasks_speak_the_same_vocabulary() {
        let cdn = Output::CdnDescribePurgeTasks(cdn::CdnDescribePurgeTasksOutput {
            purge_logs: vec![cdn::CdnPurgeTask {
                task_id: "t1".into(),
                url: "https://www.example.com/a".into(),
                status: "done".into(),
                purge_type: "url".into(),
                create_time: "2023-11-15 06:13:20".into(),
                ..Default::default()
            }],
            total_count: Some(1),
            ..Default::default()
        });
        let esa = Output::EsaDescribePurgeTasks(esa_purge_tracking::EsaDescribePurgeTasksOutput {
            tasks: vec![esa_purge_tracking::EsaPurgeTask {
                content: "https://www.example.com/a".into(),
                status: "Failed".into(),
                create_time: Some("2023-11-14T22:13:20Z".into()),
                ..Default::default()
            }],
            total_count: Some(1),
            ..Default::default()
        });
        let (rows_cdn, total) = rows(Service::Cdn, &cdn);
        assert_eq!(total, 1);
        assert_eq!(rows_cdn[0].status, Some(Status::Succeeded));
        assert_eq!(rows_cdn[0].created_ms, Some(1_700_000_000_000));
        let (rows_esa, _) = rows(Service::Esa, &esa);
        assert_eq!(rows_esa[0].status, Some(Status::Failed));
        assert_eq!(rows_esa[0].created_ms, Some(1_700_000_000_000));
    }
}
