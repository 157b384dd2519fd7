//! The console's views, one file each. Each view subscribes to the narrow contexts it shows —
//! the forms, the plan, the run, the messages, whether a run is busy — and dispatches actions
//! through [`Tools`]; the core does the work. A progress tick changes only the run context, so it
//! re-renders the run panel and the chart, never the URL list or the forms.

pub mod app;
pub mod chart;
pub mod connections;
pub mod history;
pub mod notices;
pub mod plan;
pub mod results;
pub mod resume_banner;
pub mod run;
pub mod scheduled;
pub mod setup;
pub mod target;
pub mod url_list;
pub mod urls;
pub mod virtual_rows;

use crate::runner::Handle;
use crate::store::{Action, Form, Planned, Run, State};
use std::cell::RefCell;
use std::rc::Rc;
use yew::UseReducerDispatcher;

/// A slice of the store as a context: equal when it is the same slice (a pointer comparison,
/// whatever its size), so a view re-renders only when its slice was replaced.
#[derive(Debug)]
pub struct Slice<T>(pub Rc<T>);

impl<T> Clone for Slice<T> {
    fn clone(&self) -> Self {
        Slice(self.0.clone())
    }
}

impl<T> PartialEq for Slice<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Slice<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The forms (vendor, connections, target, URL list).
pub type FormCtx = Slice<Form>;
/// The plan and the dry run.
pub type PlanCtx = Slice<Planned>;
/// The run (status, progress, points).
pub type RunCtx = Slice<Run>;
/// The notices, newest last.
pub type NoticesCtx = Slice<Vec<crate::store::Notice>>;

/// Problems shown next to their fields.
pub type FieldErrorsCtx = Slice<Vec<crate::store::product::FieldError>>;
/// What the current run was launched with.
pub type LaunchCtx = Slice<Option<crate::store::product::Launch>>;

/// A field's problem, if any: `aria-invalid`, `aria-describedby` and the message to put right
/// after the field (`<id>-error`).
pub struct FieldState {
    /// `Some("true")` when the field has a problem.
    pub invalid: Option<&'static str>,
    /// The id of the message, when there is one.
    pub described_by: Option<String>,
    /// The message element (empty when none).
    pub message: yew::Html,
}

/// The state of field `id` among `errors`.
pub fn field_state(errors: Option<&FieldErrorsCtx>, id: &str) -> FieldState {
    let found = errors.and_then(|e| e.iter().find(|e| e.field == id));
    match found {
        Some(e) => {
            let mid = crate::store::product::FieldError::message_id(id);
            FieldState {
                invalid: Some("true"),
                described_by: Some(mid.clone()),
                message: yew::html! { <p id={mid} class="field-error">{&e.message}</p> },
            }
        }
        None => FieldState {
            invalid: None,
            described_by: None,
            message: yew::Html::default(),
        },
    }
}

/// Moves the focus to the element `id` once the page has rendered, opening the folded
/// sections (`<details>`) around it first.
pub fn focus_later(id: String) {
    use wasm_bindgen::JsCast;
    gloo_timers::callback::Timeout::new(0, move || {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(el) = doc.get_element_by_id(&id) else {
            return;
        };
        let mut up = el.parent_element();
        while let Some(p) = up {
            if p.tag_name().eq_ignore_ascii_case("details") {
                let _ = p.set_attribute("open", "");
            }
            up = p.parent_element();
        }
        if let Ok(h) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = h.focus();
        }
    })
    .forget();
}

/// Whether a run is in progress: changes when a run starts or stops, not on its ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy(pub bool);

/// What never changes while the console is open: the store's dispatcher and the runner slot.
#[derive(Clone)]
pub struct Tools {
    /// Dispatches actions to the store.
    pub dispatch: UseReducerDispatcher<State>,
    /// The running (or last) job.
    pub runner: Rc<RefCell<Option<Handle>>>,
}

impl Tools {
    /// Dispatches `action`.
    pub fn send(&self, action: Action) {
        self.dispatch.dispatch(action)
    }

    /// `action` as a callback.
    pub fn callback<E>(&self, action: Action) -> yew::Callback<E> {
        let d = self.dispatch.clone();
        yew::Callback::from(move |_| d.dispatch(action.clone()))
    }
}

impl PartialEq for Tools {
    fn eq(&self, other: &Self) -> bool {
        self.dispatch == other.dispatch && Rc::ptr_eq(&self.runner, &other.runner)
    }
}

/// Counts renders per view, for the scale measurement: published on
/// `window.__edgewarmMeasure.renders` only when a page defined `window.__edgewarmMeasure`
/// before the console started (the browser test does; users never do).
pub mod renders {
    use std::cell::RefCell;
    use std::collections::BTreeMap;
    use wasm_bindgen::JsValue;

    thread_local! {
        static COUNTS: RefCell<BTreeMap<&'static str, u32>> = const { RefCell::new(BTreeMap::new()) };
    }

    /// The measurement object the page set up, if any.
    pub fn measure() -> Option<js_sys::Object> {
        let window = web_sys::window()?;
        let m = js_sys::Reflect::get(&window, &JsValue::from_str("__edgewarmMeasure")).ok()?;
        m.is_object().then(|| m.into())
    }

    /// `view` rendered once more.
    pub fn count(view: &'static str) {
        let n = COUNTS.with(|c| {
            let mut c = c.borrow_mut();
            let n = c.entry(view).or_insert(0);
            *n += 1;
            *n
        });
        let Some(m) = measure() else { return };
        let renders = match js_sys::Reflect::get(&m, &JsValue::from_str("renders")) {
            Ok(r) if r.is_object() => r,
            _ => {
                let r: JsValue = js_sys::Object::new().into();
                let _ = js_sys::Reflect::set(&m, &JsValue::from_str("renders"), &r);
                r
            }
        };
        let _ = js_sys::Reflect::set(&renders, &JsValue::from_str(view), &JsValue::from(n));
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
    edgewarm::times::rfc3339(ms as i64)
}
