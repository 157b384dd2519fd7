//! The saved-job banner at the top of every page: after a reload mid-run (or a Cancel) it says
//! which vendor's job was stopped, how far it got, and offers Resume and Discard — the form is
//! already restored under it. It also saves the forms when a job starts, so a reload can restore
//! them, and shows a retry's counts beside the run it retried ([`RetryCounts`]).

use super::{Busy, FormCtx, RunCtx, Tools};
use crate::store::{Action, RunStatus};
use edgewarm::status::Status;
use edgewarm::Service;
use yew::prelude::*;

/// The vendor's name as the page writes it.
pub fn vendor_label(s: Service) -> &'static str {
    match s {
        Service::Teo => "EdgeOne",
        Service::Cdn => "Tencent CDN",
        Service::Esa => "Alibaba ESA",
    }
}

/// `n succeeded, n failed, …` of a progress, in the one vocabulary.
pub fn counts(p: &edgewarm::job::Progress) -> String {
    let mut parts = vec![
        format!(
            "{} {}",
            p.succeeded,
            Status::Succeeded.label().to_ascii_lowercase()
        ),
        format!(
            "{} {}",
            p.failed,
            Status::Failed.label().to_ascii_lowercase()
        ),
    ];
    if p.invalid > 0 {
        parts.push(format!("{} refused (not sent)", p.invalid));
    }
    if p.deferred > 0 {
        parts.push(format!("{} deferred (over quota)", p.deferred));
    }
    if p.submitted > 0 {
        parts.push(format!("{} sent, awaiting the vendor", p.submitted));
    }
    if p.pending > 0 {
        parts.push(format!("{} not sent yet", p.pending));
    }
    format!("{} URLs: {}", p.total, parts.join(", "))
}

/// The banner offering to resume the shown vendor's saved job.
#[function_component(ResumeBanner)]
pub fn resume_banner() -> Html {
    let (Some(tools), Some(form), Some(run), Some(Busy(busy))) = (
        use_context::<Tools>(),
        use_context::<FormCtx>(),
        use_context::<RunCtx>(),
        use_context::<Busy>(),
    ) else {
        return Html::default();
    };
    {
        // a job started: save the forms it runs with (no key), for a reload to restore
        let form = form.clone();
        use_effect_with((busy, form.vendor), move |(busy, _)| {
            if *busy {
                crate::storage::save_form(&form, js_sys::Date::now());
            }
        });
    }
    if !run.resumable || busy {
        return html! {};
    }
    let service = form.vendor;
    let on_resume = {
        let (tools, form) = (tools.clone(), form.clone());
        Callback::from(move |_| {
            crate::runner::resume_saved(&tools, &form, service);
            if crate::route::current_page() != crate::store::Page::Warm {
                if let Some(w) = web_sys::window() {
                    let _ = w
                        .location()
                        .set_hash(crate::route::hash_of(crate::store::Page::Warm));
                }
            }
        })
    };
    let on_discard = {
        let tools = tools.clone();
        Callback::from(move |_| {
            crate::storage::clear_form(service);
            let failed = tools.clone();
            crate::journal::discard(service, move |e| {
                failed.send(Action::Notify(crate::store::Notice::local(
                    "edgewarm.Storage",
                    format!("{e}: the saved job may be offered again after a reload"),
                )))
            });
            tools.send(Action::For(service, Box::new(Action::Discarded)));
        })
    };
    let why = match run.status {
        RunStatus::Cancelled => "was cancelled",
        RunStatus::StorageRefused => "was stopped (the browser refused to save it)",
        _ => "was interrupted (the page was reloaded or closed)",
    };
    html! {
        <section id="resume-banner" class="banner" aria-labelledby="resume-banner-h">
            <h2 id="resume-banner-h">{format!("Your {} job {why}", vendor_label(service))}</h2>
            if let Some(p) = &run.progress { <p id="resume-counts">{counts(p)}</p> }
            <p class="hint">{"Resume sends only what the vendor has not accepted yet and tracks the rest; Discard forgets the saved job."}</p>
            <div class="buttons">
                <button type="button" id="resume-saved" class="primary" onclick={on_resume}>{"Resume"}</button>
                <button type="button" id="discard-saved" onclick={on_discard}>{"Discard"}</button>
            </div>
        </section>
    }
}

/// A retry's own counts next to those of the run it retried.
#[function_component(RetryCounts)]
pub fn retry_counts() -> Html {
    let Some(run) = use_context::<RunCtx>() else {
        return Html::default();
    };
    let Some(original) = &run.retry_of else {
        return Html::default();
    };
    html! {
        <dl id="retry-counts" class="summary">
            <dt>{"Original run"}</dt><dd id="retry-original">{counts(original)}</dd>
            <dt>{"This retry"}</dt><dd id="retry-own">{run.progress.as_ref().map(counts).unwrap_or_else(|| "starting".into())}</dd>
        </dl>
    }
}
