//! What the console shows on load: the page its address names, and — when a job was running
//! (or cancelled) before the reload — the forms it started from and each vendor's saved job as
//! an interrupted run with its counts, offered for resume at the top. A journal of a finished
//! job is closed here too, so it is never offered.

use crate::storage;
use crate::store::{Form, State};
use edgewarm::job::{Job, Progress};
use edgewarm::Service;
use yew::AttrValue;

/// The first state of the console (read before the first render, so nothing flickers).
pub fn initial() -> State {
    let now = crate::net::now_ms();
    let mut saved: Vec<(Service, Progress)> = Vec::new();
    let mut latest: Option<(f64, Form)> = None;
    for service in Service::ALL {
        let Some(text) = storage::load_journal(service) else {
            continue;
        };
        let job = match Job::resume(&text) {
            Ok(job) if !job.is_done() => job,
            // finished or unreadable: nothing to offer
            _ => {
                storage::clear_journal(service);
                continue;
            }
        };
        saved.push((service, job.progress(now)));
        let form = storage::load_form(service);
        let at = form.as_ref().map_or(0.0, |f| f.saved_at);
        if latest.as_ref().is_none_or(|(t, _)| at >= *t) {
            latest = Some((at, form_of(service, form, &job)));
        }
    }
    State::restored(
        crate::route::current_page(),
        latest.map(|(_, f)| f).unwrap_or_default(),
        saved,
    )
}

/// The forms of a saved job: as saved with it, the URL list rebuilt from the journal when it was
/// too long to save twice.
fn form_of(service: Service, saved: Option<storage::SavedForm>, job: &Job) -> Form {
    let mut form = Form {
        vendor: service,
        ..Form::default()
    };
    let urls = match saved {
        Some(s) => {
            form.target = s.target;
            s.urls
        }
        None => None,
    };
    // the saved job says what it does, whatever the saved forms say
    form.target.kind = job.spec().kind;
    form.urls = AttrValue::from(urls.unwrap_or_else(|| {
        job.urls()
            .iter()
            .map(|u| u.url.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }));
    form
}
