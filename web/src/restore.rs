//! What the console shows on load: the page its address names and the forms a running (or
//! cancelled) job started from — read at once, before the first render, so nothing flickers —
//! then, as soon as IndexedDB answers, each vendor's saved job as an interrupted run with its
//! counts, offered for resume at the top ([`load_saved`]). A journal of a finished job is closed
//! here too, so it is never offered.

use crate::components::Tools;
use crate::storage;
use crate::store::{Action, Form, State};
use edgewarm::job::{Job, Progress};
use edgewarm::Service;
use yew::AttrValue;

/// The first state of the console (read before the first render): the page and the latest
/// saved forms; the saved jobs come with [`load_saved`].
pub fn initial() -> State {
    let mut latest: Option<storage::SavedForm> = None;
    for service in Service::ALL {
        if let Some(f) = storage::load_form(service) {
            if latest.as_ref().is_none_or(|l| f.saved_at >= l.saved_at) {
                latest = Some(f);
            }
        }
    }
    let form = latest.map(form_of).unwrap_or_default();
    State::restored(crate::route::current_page(), form, Vec::new())
}

/// Reads each vendor's saved job from IndexedDB and offers the unfinished ones for resume
/// (with the URL list rebuilt from the job when it was too long to save with the forms).
pub fn load_saved(tools: &Tools) {
    let tools = tools.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let now = crate::net::now_ms();
        let mut saved: Vec<(Service, Progress)> = Vec::new();
        let mut urls: Vec<(Service, AttrValue)> = Vec::new();
        for service in Service::ALL {
            let kept = match crate::journal::load(service).await {
                Ok(Some(kept)) => kept,
                Ok(None) => continue,
                Err(e) => {
                    tools.send(Action::Notify(crate::store::Notice::local(
                        "edgewarm.Storage",
                        format!("{e}: a saved job cannot be offered for resume"),
                    )));
                    return;
                }
            };
            let job = match crate::journal::resume(&kept) {
                Ok(job) if !job.is_done() => job,
                // finished or unreadable: nothing to offer
                _ => {
                    let _ = crate::journal::clear(service).await;
                    storage::clear_form(service);
                    continue;
                }
            };
            saved.push((service, job.progress(now)));
            if storage::load_form(service).is_none_or(|f| f.urls.is_none()) {
                urls.push((service, job_urls(&job)));
            }
        }
        if !saved.is_empty() {
            tools.send(Action::Restored(saved, urls));
        }
    });
}

/// The job's URLs, one a line.
fn job_urls(job: &Job) -> AttrValue {
    let mut text = String::new();
    for u in job.urls() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&u.url);
    }
    AttrValue::from(text)
}

/// The forms as saved with a job.
/// The list goes back into the text box when it is short enough to edit there, else into the
/// loaded list.
fn form_of(saved: storage::SavedForm) -> Form {
    let text = saved.urls.unwrap_or_default();
    let editable =
        crate::components::urls::line_count(&text) <= crate::components::urls::EDITABLE_LINES;
    let mut form = Form {
        vendor: saved.vendor,
        target: saved.target,
        ..Form::default()
    };
    if editable {
        form.urls = AttrValue::from(text);
    } else {
        form.loaded = AttrValue::from(text);
        form.files = std::rc::Rc::new(vec!["the saved job".into()]);
    }
    form
}
