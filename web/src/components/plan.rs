//! Plan and dry run: the batches, the quota now and after, the least duration (shown by the run
//! card before a run); and every signed call with its canonical request, string to sign and a
//! curl command to copy.

use super::{renders, FormCtx, PlanCtx, Tools};
use crate::connection::Connection;
use crate::net::{self, Route};
use crate::store::{Action, DryCall, Form, Notice, PlanView};
use edgewarm::job::{Job, JobSpec, Target};
use edgewarm::vendor::{cdn, edgeone};
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
    let urls = list_urls(&form.urls);
    if urls.is_empty() {
        return Err(Notice::local("edgewarm.NoUrls", "add at least one URL"));
    }
    Ok(Job::new(spec, urls, net::random_seed()?, net::now_ms()))
}

/// The prefetch quota left for the job's target, as the engine reads it (the core's reading:
/// EdgeOne's `prefetch_url`, the smallest over the CDN areas the target spends); `Ok(None)` for
/// ESA, which has no prefetch quota API.
async fn quota_left(spec: &JobSpec, conn: &Connection) -> Result<Option<u64>, Notice> {
    let creds = conn.credentials(spec.target.service().cloud());
    let route = route(conn);
    let output = match &spec.target {
        Target::Edgeone { zone_id, .. } => Output::DescribeContentQuota(
            net::call(
                edgeone::DescribeContentQuota {
                    zone_id: Some(zone_id.clone()),
                },
                &spec.endpoint,
                &creds,
                &route,
            )
            .await?,
        ),
        Target::Cdn { .. } => Output::DescribePushQuota(
            net::call(cdn::DescribePushQuota {}, &spec.endpoint, &creds, &route).await?,
        ),
        _ => return Ok(None),
    };
    Ok(spec
        .target
        .prefetch_quota(&output)
        .and_then(|q| q.remaining))
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
    let plan = job.plan_summary();
    let mut view = PlanView {
        urls: plan.urls,
        invalid: plan.invalid,
        refused: crate::store::product::url_counts(&form.urls, form.vendor).refused,
        batches: plan.batches,
        batch_cap: plan.batch_cap,
        rate: plan.rate_per_sec,
        quota_before: None,
        seconds: plan.min_duration_ms as f64 / 1000.0,
    };
    tools.send(Action::Planned(view.clone()));
    let conn = form.connection(spec.target.service()).clone();
    let tools = tools.clone();
    wasm_bindgen_futures::spawn_local(async move {
        match quota_left(&spec, &conn).await {
            Ok(Some(left)) => {
                view.quota_before = Some(left);
                tools.send(Action::Planned(view));
            }
            Ok(None) => {}
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
