//! Plan and dry run: the batches, the quota now and after, the least duration; and every
//! signed call with its canonical request, string to sign and a curl command.

use super::Ctx;
use crate::connection::{Cloud, Connection};
use crate::net::{self, Route};
use crate::store::{Action, DryCall, Notice, PlanView};
use edgewarm::job::Job;
use edgewarm::{Output, Service};
use yew::prelude::*;

/// A random job seed (nonces and jitter).
pub fn seed() -> u64 {
    u64::from_str_radix(&net::nonce()[..16], 16).unwrap_or(1)
}

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
pub fn new_job(state: &crate::store::State) -> Result<Job, Notice> {
    let spec = crate::spec::job_spec(state)?;
    let urls = list_urls(&state.urls_text);
    if urls.is_empty() {
        return Err(Notice::local("edgewarm.NoUrls", "add at least one URL"));
    }
    Ok(Job::new(spec, urls, seed(), net::now_ms()))
}

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Plan and dry run.
#[function_component(PlanPanel)]
pub fn plan_panel() -> Html {
    // App provides the context around every view; outside it a view shows nothing (no panic)
    let Some(ctx) = use_context::<Ctx>() else {
        return Html::default();
    };
    let store = ctx.store.clone();
    let on_plan = {
        let store = store.clone();
        Callback::from(move |_| {
            let job = match new_job(&store) {
                Ok(j) => j,
                Err(n) => return store.dispatch(Action::Notify(n)),
            };
            let spec = job.spec().clone();
            let plan = job.plan_summary();
            let mut view = PlanView {
                urls: plan.urls,
                invalid: plan.invalid,
                batches: plan.batches,
                batch_cap: plan.batch_cap,
                rate: plan.rate_per_sec,
                quota_before: None,
                seconds: plan.min_duration_ms as f64 / 1000.0,
            };
            store.dispatch(Action::Planned(view.clone()));
            let service = store.vendor;
            if service == Service::Esa {
                return;
            }
            let conn = store.connection(service).clone();
            let store = store.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let (action, params) = match service {
                    Service::Teo => (
                        "DescribeContentQuota",
                        serde_json::json!({"ZoneId": spec.target_zone()}),
                    ),
                    _ => ("DescribePushQuota", serde_json::json!({})),
                };
                let creds = conn.credentials(Cloud::of(service));
                match net::call(
                    service,
                    action,
                    params,
                    &spec.endpoint,
                    &creds,
                    &route(&conn),
                )
                .await
                {
                    Ok(Output::DescribeContentQuota(q)) => {
                        view.quota_before = q
                            .prefetch_quota
                            .iter()
                            .find(|x| x.kind == "prefetch_url")
                            .and_then(|x| x.daily_available)
                            .map(|a| a.max(0) as u64);
                        store.dispatch(Action::Planned(view));
                    }
                    Ok(Output::DescribePushQuota(q)) => {
                        view.quota_before = q
                            .url_push
                            .iter()
                            .map(|x| x.available.unwrap_or(0).max(0) as u64)
                            .max();
                        store.dispatch(Action::Planned(view));
                    }
                    Ok(_) => {}
                    Err(n) => store.dispatch(Action::Notify(n)),
                }
            });
        })
    };
    let on_dry = {
        let store = store.clone();
        Callback::from(move |_| {
            let job = match new_job(&store) {
                Ok(j) => j,
                Err(n) => return store.dispatch(Action::Notify(n)),
            };
            let conn = store.connection(store.vendor).clone();
            let creds = conn.credentials(Cloud::of(store.vendor));
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
                    store.dispatch(Action::DryRun(calls));
                }
                Err(e) => store.dispatch(Action::Notify(Notice::local(
                    "edgewarm.Signing",
                    e.to_string(),
                ))),
            }
        })
    };
    let plan = store.plan.clone();
    html! {
        <section aria-labelledby="plan-h">
            <h2 id="plan-h">{"Plan"}</h2>
            <div class="buttons">
                <button type="button" id="plan" onclick={on_plan} disabled={store.busy()}>{"Plan"}</button>
                <button type="button" id="dry-run" onclick={on_dry} disabled={store.busy()}>{"Dry run"}</button>
            </div>
            if let Some(p) = plan {
                <dl id="plan-summary" class="summary">
                    <dt>{"URLs"}</dt><dd>{format!("{} ({} refused locally)", p.urls, p.invalid)}</dd>
                    <dt>{"Calls"}</dt><dd>{format!("{} of up to {} URLs", p.batches, p.batch_cap)}</dd>
                    <dt>{"Rate"}</dt><dd>{format!("{} requests/s; submits take at least {:.1} s", p.rate, p.seconds)}</dd>
                    if let Some(q) = p.quota_before {
                        <dt>{"Quota today"}</dt><dd>{format!("{q} now, {} after", q.saturating_sub((p.urls - p.invalid) as u64))}</dd>
                    }
                </dl>
            }
            if !store.dry_run.is_empty() {
                <ol id="dry-calls" class="dry">
                { for store.dry_run.iter().enumerate().map(|(i, c)| html! {
                    <li>
                        <p>{format!("{} with {} URLs", c.action, c.urls)}</p>
                        <label for={format!("curl-{i}")}>{"curl"}</label>
                        <textarea id={format!("curl-{i}")} class="curl" readonly=true rows="3" value={c.curl.clone()} />
                        <details><summary>{"Canonical request"}</summary><pre>{&c.canonical_request}</pre></details>
                        <details><summary>{"String to sign"}</summary><pre>{&c.string_to_sign}</pre></details>
                    </li>
                }) }
                </ol>
            }
        </section>
    }
}

trait ZoneOf {
    fn target_zone(&self) -> String;
}

impl ZoneOf for edgewarm::job::JobSpec {
    fn target_zone(&self) -> String {
        match &self.target {
            edgewarm::job::Target::Edgeone { zone_id, .. } => zone_id.clone(),
            _ => String::new(),
        }
    }
}
