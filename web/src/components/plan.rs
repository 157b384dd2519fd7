//! Plan and dry run: the batches, the quota now and after, the least duration (shown by the run
//! card before a run); and every signed call with its canonical request, string to sign and a
//! curl command to copy.

use super::{renders, FormCtx, PlanCtx, Tools};
use crate::connection::Connection;
use crate::net::{self, Route};
use crate::store::{Action, DryCall, Form, Notice, PlanView};
use edgewarm::job::{Job, JobKind, JobSpec, Target};
use edgewarm::vendor::{cdn, edgeone, esa_purge_tracking};
use edgewarm::Output;
use yew::prelude::*;

/// The route calls of `service` take.
pub fn route(connection: &Connection) -> Route {
    match connection {
        Connection::EdgeWorker { base, token } => Route::Worker {
            base: base.clone(),
            token: token.clone(),
        },
        _ => Route::Proxy,
    }
}

/// The URLs of the list, as the job takes them.
pub fn list_urls(text: &str) -> Vec<String> {
    edgewarm::sources::list::parse_auto("urls.txt", text).urls
}

/// A new job from the forms and the URL list, or the notice that says what is missing.
pub fn new_job(form: &Form) -> Result<Job, Notice> {
    let spec = crate::spec::job_spec(form)?;
    let urls = if super::urls::raw_entries(form.target.kind) {
        super::urls::raw_list(&form.list()).0
    } else {
        list_urls(&form.list())
    };
    if urls.is_empty() {
        return Err(Notice::local("edgewarm.NoUrls", "add at least one URL"));
    }
    Ok(Job::new(spec, urls, net::random_seed()?, net::now_ms()))
}

/// The quotas left for the job's target before it runs: `(purge, prefetch)`, each `None` when
/// the job does not spend it or the vendor has no API for it. The prefetch quota as the engine
/// reads it (the core's reading: EdgeOne's `prefetch_url`, the smallest over the CDN areas the
/// target spends; ESA has no prefetch quota API); the purge quota of the job's purge type:
/// EdgeOne DescribeContentQuota's `purge_url` / `purge_prefix` / … entry, CDN
/// DescribePurgeQuota's `UrlPurge` / `PathPurge` (smallest over the areas), ESA GetPurgeQuota
/// (the smaller of what is left today and within 30 days).
async fn quotas_left(
    spec: &JobSpec,
    conn: &Connection,
) -> Result<(Option<u64>, Option<u64>), Notice> {
    let service = spec.target.service();
    let creds = conn.credentials(service.cloud());
    let route = route(conn);
    let purge = spec.kind.purge_type();
    let purge_name = purge.and_then(|p| p.vendor_name(service));
    let warms = !matches!(spec.kind, JobKind::Purge { .. });
    let areas = edgewarm::job::cdn_push_areas(spec.target.cdn_area());
    let cdn_min = |list: &[cdn::PushQuota]| {
        list.iter()
            .filter(|q| areas.contains(&q.area.as_str()))
            .filter_map(|q| q.available)
            .min()
            .and_then(|n| u64::try_from(n).ok())
    };
    let mut purge_left = None;
    let mut warm_left = None;
    match &spec.target {
        Target::Edgeone { zone_id, .. } => {
            // one call answers both: one Quota per type (DescribeContentQuota API page)
            let o = net::call(
                edgeone::DescribeContentQuota {
                    zone_id: Some(zone_id.clone()),
                },
                &spec.endpoint,
                &creds,
                &route,
            )
            .await?;
            if let Some(name) = purge_name {
                purge_left = o
                    .quota(name)
                    .and_then(|q| q.daily_available)
                    .and_then(|n| u64::try_from(n).ok());
            }
            if warms {
                warm_left = spec
                    .target
                    .prefetch_quota(&Output::DescribeContentQuota(o))
                    .and_then(|q| q.remaining);
            }
        }
        Target::Cdn { .. } => {
            if let Some(name) = purge_name {
                let o =
                    net::call(cdn::DescribePurgeQuota {}, &spec.endpoint, &creds, &route).await?;
                purge_left = cdn_min(if name == "path" {
                    &o.path_purge
                } else {
                    &o.url_purge
                });
            }
            if warms {
                let o =
                    net::call(cdn::DescribePushQuota {}, &spec.endpoint, &creds, &route).await?;
                warm_left = spec
                    .target
                    .prefetch_quota(&Output::DescribePushQuota(o))
                    .and_then(|q| q.remaining);
            }
        }
        Target::Esa { site_id, .. } => {
            if let Some(name) = purge_name {
                let o = net::call(
                    esa_purge_tracking::GetPurgeQuota {
                        site_id: Some(*site_id),
                        kind: Some(name.to_string()),
                    },
                    &spec.endpoint,
                    &creds,
                    &route,
                )
                .await?;
                purge_left = o.available().and_then(|n| u64::try_from(n).ok());
            }
        }
    }
    Ok((purge_left, warm_left))
}

/// The hosts the target serves, when the console knows them: the sandbox's built-in domains.
pub fn served_hosts(form: &Form) -> Option<Vec<String>> {
    matches!(form.connection(form.vendor), Connection::Sandbox).then(|| {
        crate::store::product::sandbox_domains(form.vendor)
            .iter()
            .map(|d| d.to_string())
            .collect()
    })
}

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Plans the job of the forms (after checking them, problems shown at their fields); the run
/// card shows the plan, then the quota left when the vendor tells it.
pub fn plan_action(tools: &Tools, form: &Form) {
    if !super::run::check_forms(tools, form) {
        return;
    }
    let job = match new_job(form) {
        Ok(j) => j,
        Err(n) => return tools.send(Action::Notify(n)),
    };
    let spec = job.spec().clone();
    let served = served_hosts(form);
    let plan = job.plan_summary_for(served.as_deref());
    let mut view = PlanView {
        urls: plan.urls,
        invalid: plan.invalid,
        refused: crate::store::product::url_counts(&form.list(), form.vendor, form.target.kind)
            .refused,
        batches: plan.batches,
        batch_cap: plan.batch_cap,
        rate: plan.rate_per_sec,
        quota_before: None,
        purge_quota_before: None,
        seconds: plan.min_duration_ms as f64 / 1000.0,
        kind: spec.kind,
        hosts: plan.hosts,
        warnings: plan.warnings,
    };
    tools.send(Action::Planned(view.clone()));
    let conn = form.connection(spec.target.service()).clone();
    let tools = tools.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match quotas_left(&spec, &conn).await {
            Ok((None, None)) => {}
            Ok((purge, warm)) => {
                view.purge_quota_before = purge;
                view.quota_before = warm;
                tools.send(Action::Planned(view));
            }
            Err(n) => tools.send(Action::Notify(n)),
        }
    });
}

/// Signs every call of the job of the forms without sending any, and shows them.
pub fn dry_run_action(tools: &Tools, form: &Form) {
    if !super::run::check_forms(tools, form) {
        return;
    }
    let job = match new_job(form) {
        Ok(j) => j,
        Err(n) => return tools.send(Action::Notify(n)),
    };
    let conn = form.connection(form.vendor).clone();
    let creds = conn.credentials(form.vendor.cloud());
    match job.dry_run_explained(net::now_ms(), &creds) {
        Ok(calls) => {
            let base = origin();
            let calls = calls
                .into_iter()
                .map(
                    |edgewarm::job::DryRunCall {
                         request,
                         signing: explain,
                         urls,
                     }| DryCall {
                        action: request
                            .header("x-tc-action")
                            .or(request.header("x-acs-action"))
                            .unwrap_or_default()
                            .to_string(),
                        urls,
                        curl: request.to_curl(&match route(&conn) {
                            Route::Proxy => format!("{base}{}", request.proxy_path()),
                            Route::Worker { .. } => request.url(),
                        }),
                        canonical_request: explain.canonical_request,
                        string_to_sign: explain.string_to_sign,
                    },
                )
                .collect();
            tools.send(Action::DryRun(calls));
            super::focus_later("dry-h".into());
        }
        Err(e) => tools.send(Action::Notify(Notice::local(
            "edgewarm.Signing",
            e.to_string(),
        ))),
    }
}

/// Copies `text` to the clipboard (the browser may refuse: then nothing happens).
pub fn copy_text(text: &str) {
    use wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = js_sys::Reflect::get(&window, &JsValue::from_str("navigator"))
        .unwrap_or(JsValue::UNDEFINED);
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .ok()
        .filter(|c| c.is_object());
    let Some(clipboard) = clipboard else { return };
    let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(write) = write {
        if let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) {
            if let Ok(p) = promise.dyn_into::<js_sys::Promise>() {
                // a refusal is the browser's to report; nothing to do here
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
                });
            }
        }
    }
}

/// The dry run's signed calls (shown once made).
#[function_component(PlanPanel)]
pub fn plan_panel() -> Html {
    renders::count("PlanPanel");
    // App provides the contexts around every view; outside them a view shows nothing (no panic)
    let (Some(_tools), Some(_form), Some(planned)) = (
        use_context::<Tools>(),
        use_context::<FormCtx>(),
        use_context::<PlanCtx>(),
    ) else {
        return Html::default();
    };
    if planned.dry_run.is_empty() {
        return Html::default();
    }
    html! {
        <section aria-labelledby="dry-h" class="dry-run">
            <h2 id="dry-h" tabindex="-1">{format!("Dry run: {} signed call{}, none sent", planned.dry_run.len(), crate::store::product::plural(planned.dry_run.len()))}</h2>
            <ol id="dry-calls" class="dry">
            { for planned.dry_run.iter().enumerate().map(|(i, c)| {
                let curl = c.curl.clone();
                html! {
                <li>
                    <p>{format!("{} with {} URLs", c.action, c.urls)}</p>
                    <label for={format!("curl-{i}")}>{"curl command (no secret in it)"}</label>
                    <textarea id={format!("curl-{i}")} class="curl" readonly=true rows="8" value={c.curl.clone()} />
                    <div class="buttons">
                        <button type="button" class="secondary" id={format!("copy-curl-{i}")} onclick={Callback::from(move |_| copy_text(&curl))}>{"Copy curl"}</button>
                    </div>
                    <details><summary>{"Canonical request"}</summary><pre>{&c.canonical_request}</pre></details>
                    <details><summary>{"String to sign"}</summary><pre>{&c.string_to_sign}</pre></details>
                </li>
            }}) }
            </ol>
        </section>
    }
}
