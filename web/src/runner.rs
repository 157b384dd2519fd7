//! The job engine's browser shell: asks the core what to do (`next_actions`), sends with
//! `fetch` through the proxy (or the edge worker), feeds answers back, sleeps with timers, saves
//! the journal before every send (so a reload resumes without resubmitting), and reports
//! progress to the store. Pause stops new sends; cancel stops and keeps the journal.

use crate::net::{self, Answer, Route};
use crate::store::{Action, Notice};
use edgewarm::job::{Action as Step, Job, TransportError};
use edgewarm::Credentials;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::Callback;

/// What the user asked the runner to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Send and track.
    Run,
    /// Send nothing new; keep feeding answers.
    Pause,
    /// Stop (the journal stays for resume).
    Cancel,
}

/// A running job: the job (for exports and retry) and its control.
#[derive(Clone)]
pub struct Handle {
    /// The job.
    pub job: Rc<RefCell<Job>>,
    /// Run, pause, cancel.
    pub control: Rc<Cell<Control>>,
}

impl PartialEq for Handle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.job, &other.job)
    }
}

type Inbox = Rc<RefCell<Vec<(u64, Result<Answer, (TransportError, String)>)>>>;

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: i64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                resolve.unchecked_ref(),
                ms.clamp(0, 60_000) as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Starts running `job` in the background.
pub fn start(
    job: Job,
    credentials: Credentials,
    route: Route,
    dispatch: Callback<Action>,
) -> Handle {
    let handle = Handle {
        job: Rc::new(RefCell::new(job)),
        control: Rc::new(Cell::new(Control::Run)),
    };
    let h = handle.clone();
    wasm_bindgen_futures::spawn_local(async move {
        run(h, credentials, route, dispatch).await;
    });
    handle
}

fn save(job: &Job, warned: &mut bool, dispatch: &Callback<Action>) {
    let saved = job
        .journal()
        .map_err(|e| e.to_string())
        .and_then(|journal| crate::storage::save_journal(&journal));
    if let Err(e) = saved {
        if !*warned {
            *warned = true;
            dispatch.emit(Action::Notify(Notice::local(
                "edgewarm.JournalNotSaved",
                format!("{e}: a reload will not resume this job"),
            )));
        }
    }
}

async fn run(handle: Handle, credentials: Credentials, route: Route, dispatch: Callback<Action>) {
    let started = net::now_ms();
    let inbox: Inbox = Rc::new(RefCell::new(Vec::new()));
    let in_flight = Rc::new(Cell::new(0usize));
    let mut warned = false;
    let mut last_report = 0i64;
    let mut halted_reported = false;
    let mut refusals_shown: Vec<String> = Vec::new();
    loop {
        let now = net::now_ms();
        let control = handle.control.get();
        let answers: Vec<_> = inbox.borrow_mut().drain(..).collect();
        let fed = !answers.is_empty();
        {
            let mut job = handle.job.borrow_mut();
            for (id, outcome) in answers {
                match outcome {
                    Ok(a) => {
                        if let Route::Worker { .. } = route {
                            // the worker's own refusal, said once per code
                            if let Some(n) = net::worker_refusal(a.status, &a.body) {
                                if !refusals_shown.contains(&n.code) {
                                    refusals_shown.push(n.code.clone());
                                    dispatch.emit(Action::Notify(n));
                                }
                            }
                        }
                        job.on_response(id, a.status, &a.body, now, a.date_ms)
                    }
                    Err((kind, _)) => job.on_transport_error(id, kind, now),
                }
            }
        }
        if fed || now - last_report >= 500 {
            last_report = now;
            let progress = handle.job.borrow().progress(now);
            if let (Some(h), false) = (&progress.halted, halted_reported) {
                halted_reported = true;
                dispatch.emit(Action::Notify(Notice::api(h)));
            }
            dispatch.emit(Action::Progress(progress, (now - started) as f64 / 1000.0));
        }
        if control == Control::Cancel {
            save(&handle.job.borrow(), &mut warned, &dispatch);
            return;
        }
        if handle.job.borrow().is_done() && in_flight.get() == 0 {
            save(&handle.job.borrow(), &mut warned, &dispatch);
            dispatch.emit(Action::Progress(
                handle.job.borrow().progress(now),
                (now - started) as f64 / 1000.0,
            ));
            for notice in summary(&handle.job.borrow()) {
                dispatch.emit(Action::Notify(notice));
            }
            dispatch.emit(Action::Finished);
            return;
        }
        let mut wait = 100;
        if control == Control::Run {
            let steps = handle.job.borrow_mut().next_actions(now, &credentials);
            let sends = steps
                .iter()
                .filter(|s| matches!(s, Step::Send { .. }))
                .count();
            if sends > 0 {
                save(&handle.job.borrow(), &mut warned, &dispatch);
                wait = 0;
            }
            for step in steps {
                match step {
                    Step::Send { call_id, request } => {
                        let (inbox, route, in_flight) =
                            (inbox.clone(), route.clone(), in_flight.clone());
                        in_flight.set(in_flight.get() + 1);
                        wasm_bindgen_futures::spawn_local(async move {
                            let outcome = net::send(&request, &route).await;
                            inbox.borrow_mut().push((call_id, outcome));
                            in_flight.set(in_flight.get() - 1);
                        });
                    }
                    Step::Wait { until_ms: Some(t) } if sends == 0 => {
                        wait = (t - now).clamp(0, 100)
                    }
                    _ => {}
                }
            }
        }
        sleep(wait).await;
    }
}

/// What a finished run has to say: failures grouped by the vendor's code (with what to do
/// next), throttling the engine adapted to, URLs deferred for quota.
pub fn summary(job: &Job) -> Vec<Notice> {
    use edgewarm::job::Fate;
    use std::collections::BTreeMap;
    let mut failed: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    let mut deferred = 0;
    for u in job.urls() {
        match &u.fate {
            Fate::Failed { code, reason } => {
                let e = failed.entry(code.as_str()).or_insert((0, reason.as_str()));
                e.0 += 1;
            }
            Fate::Deferred { .. } => deferred += 1,
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (code, (n, reason)) in failed {
        let hint = edgewarm::vendor::codes::hint_any(code)
            .map(String::from)
            .or_else(|| {
                Some("Check that the origin serves these URLs, then use \"Retry failed\".".into())
            });
        out.push(Notice {
            error: true,
            code: code.to_string(),
            text: format!("{n} URL(s) failed: {reason}"),
            hint,
        });
    }
    let throttled: u64 = job.action_stats().values().map(|s| s.throttled).sum();
    if throttled > 0 {
        out.push(Notice::info(format!(
            "The vendor throttled {throttled} call(s); edgewarm slowed down and retried them."
        )));
    }
    if deferred > 0 {
        let every = job.spec().options.quota_recheck_ms;
        out.push(Notice::info(if every > 0 {
            format!(
                "{deferred} URL(s) are over the quota: edgewarm asks the quota again every {} s and goes on when it has room (no vendor documents its reset time).",
                every / 1000
            )
        } else {
            format!("{deferred} URL(s) are over the quota and were not sent (quota re-reading is off).")
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use edgewarm::job::Fate;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_summary_groups_failures_by_code_with_what_to_do() {
        let spec = crate::spec::job_spec(&crate::store::State::default()).expect("defaults");
        let urls = (0..4)
            .map(|i| format!("https://www.example.com/{i}"))
            .collect();
        let job = Job::new(spec, urls, 1, 0);
        assert!(summary(&job).is_empty(), "nothing to say about a fresh job");
        // fates set through the journal, the job's only way in besides answers
        let mut journal: serde_json::Value =
            serde_json::from_str(&job.journal().expect("journal")).expect("JSON");
        let failed = |code: &str, reason: &str| {
            serde_json::to_value(Fate::Failed {
                code: code.into(),
                reason: reason.into(),
            })
            .expect("fate")
        };
        for i in 0..2 {
            journal["urls"][i]["fate"] = failed("FailedOperation", "origin pull failed");
        }
        journal["urls"][2]["fate"] = failed("AuthFailure.SignatureFailure", "bad signature");
        let job = Job::resume(&journal.to_string()).expect("resumes");
        let notes = summary(&job);
        assert_eq!(notes.len(), 2);
        let auth = notes
            .iter()
            .find(|n| n.code == "AuthFailure.SignatureFailure")
            .expect("grouped by code");
        assert!(auth.error && auth.text.starts_with("1 URL(s) failed"));
        assert!(auth.hint.is_some(), "a documented code carries its hint");
        let origin = notes.iter().find(|n| n.code == "FailedOperation").unwrap();
        assert!(origin
            .text
            .starts_with("2 URL(s) failed: origin pull failed"));
    }
}
