//! The console's views, one file each. They read the store through [`Ctx`] and dispatch
//! actions; the core does the work.

pub mod app;
pub mod chart;
pub mod connections;
pub mod history;
pub mod notices;
pub mod plan;
pub mod run;
pub mod scheduled;
pub mod target;
pub mod urls;

use crate::runner::Handle;
use crate::store::State;
use std::cell::RefCell;
use std::rc::Rc;
use yew::UseReducerHandle;

/// What every view gets: the store and the runner of the current job.
#[derive(Clone)]
pub struct Ctx {
    /// The store.
    pub store: UseReducerHandle<State>,
    /// The running (or last) job.
    pub runner: Rc<RefCell<Option<Handle>>>,
}

impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        self.store == other.store && Rc::ptr_eq(&self.runner, &other.runner)
    }
}

/// The value of an `<input>`, `<select>` or `<textarea>` that fired `e`.
pub fn value_of(e: &yew::Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(target) = e.target() else {
        return String::new();
    };
    if let Some(i) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        return i.value();
    }
    if let Some(t) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        return t.value();
    }
    if let Some(s) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        return s.value();
    }
    String::new()
}

/// Whether the checkbox that fired `e` is checked.
pub fn checked_of(e: &yew::Event) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// `ms` (unix milliseconds) as ISO 8601 UTC to the second (`2026-11-25T08:00:00Z`), the form
/// EdgeOne and ESA take.
pub fn iso_utc(ms: f64) -> String {
    let full = String::from(js_sys::Date::new(&ms.into()).to_iso_string());
    format!("{}Z", full.split('.').next().unwrap_or_default())
}
