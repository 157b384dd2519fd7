//! The page: header with navigation and vendor choice, messages, and the page shown. It owns the
//! store and hands each slice to the views through its own context.

use super::{
    connections::Connections, history::History, notices::Notices, plan::PlanPanel, renders,
    results::Results, run::RunPanel, scheduled::Scheduled, setup::Setup, target::TargetPanel,
    urls::UrlsPanel, Busy, FieldErrorsCtx, FormCtx, LaunchCtx, NoticesCtx, PlanCtx, RunCtx, Slice,
    Tools,
};
use crate::store::{Action, Page};
use edgewarm::{Cloud, Service};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

use super::setup::vendor_name;

/// For the scale measurement only (see [`renders`]): `__edgewarmMeasure.tick(total, i)`
/// dispatches one progress tick of a `total`-URL run, as the runner would, and
/// `__edgewarmMeasure.memory` is the wasm's memory.
fn offer_ticks(tools: &Tools) {
    use wasm_bindgen::prelude::*;
    let Some(m) = renders::measure() else { return };
    let tools = tools.clone();
    let tick = Closure::<dyn Fn(u32, u32)>::new(move |total: u32, i: u32| {
        let (total, i) = (total as usize, i as usize);
        let done = i.min(total);
        tools.send(Action::Progress(
            edgewarm::job::Progress {
                total,
                pending: total - done,
                succeeded: done,
                ..Default::default()
            },
            i as f64,
        ));
    });
    let _ = js_sys::Reflect::set(&m, &JsValue::from_str("tick"), tick.as_ref());
    tick.forget();
    // the wasm's linear memory, for the scale figures (its size is the Rust heap's high mark)
    let _ = js_sys::Reflect::set(&m, &JsValue::from_str("memory"), &wasm_bindgen::memory());
}

/// The console's root component: it holds the store, offers a saved job for resume, and lays
/// out the pages.
#[function_component(App)]
pub fn app() -> Html {
    renders::count("App");
    let store = use_reducer(crate::restore::initial);
    let runner = use_mut_ref(|| None);
    let runner: Rc<RefCell<Option<crate::runner::Handle>>> = runner;
    let tools = Tools {
        dispatch: store.dispatcher(),
        runner,
    };
    {
        let tools = tools.clone();
        use_effect_with((), move |_| {
            for cloud in [Cloud::Tencent, Cloud::Alibaba] {
                if let Some(k) = crate::storage::remembered(cloud) {
                    tools.send(Action::Connect(cloud, k.into_connection()));
                }
                if let Some(w) = crate::storage::remembered_worker(cloud) {
                    tools.send(Action::Connect(cloud, w.into_connection()));
                }
            }
            offer_ticks(&tools);
            crate::restore::load_saved(&tools);
        });
    }
    crate::route::use_hash_route(store.dispatcher().to_callback());
    let busy = store.busy();
    let nav = |page: Page, label: &str| {
        let current = store.page == page;
        html! {
            <li><a href={crate::route::hash_of(page)} aria-current={current.then_some("page")} class={classes!(current.then_some("current"))}>{label}</a></li>
        }
    };
    let vendors = [Service::Teo, Service::Cdn, Service::Esa].into_iter().map(|v| {
        let id = format!("vendor-{}", v.name());
        html! {
            <label for={id.clone()} class="vendor">
                <input type="radio" name="vendor" id={id} value={v.name()} checked={store.form.vendor == v} disabled={busy}
                    onchange={crate::runner::switch_vendor(&tools, v)} />
                {vendor_name(v)}
            </label>
        }
    });
    let page = match store.page {
        // the task first: the setup in one line, the URLs and the primary action beside the run
        // card, then the results per URL; the dry run's calls last
        Page::Warm => html! { <>
            <div class="task">
                <div class="task-main">
                    <Setup />
                    <UrlsPanel />
                    <Notices compact=true />
                </div>
                <RunPanel />
            </div>
            <Results />
            <PlanPanel />
        </> },
        Page::History => html! { <><Connections /><TargetPanel /><History /></> },
        Page::Scheduled => html! { <><Connections /><Scheduled /></> },
    };
    html! {
        <ContextProvider<Tools> context={tools.clone()}>
        <ContextProvider<FormCtx> context={Slice(store.form.clone())}>
        <ContextProvider<PlanCtx> context={Slice(store.planned.clone())}>
        <ContextProvider<RunCtx> context={Slice(store.run.clone())}>
        <ContextProvider<NoticesCtx> context={Slice(store.notices.clone())}>
        <ContextProvider<Busy> context={Busy(busy)}>
        <ContextProvider<FieldErrorsCtx> context={Slice(store.field_errors.clone())}>
        <ContextProvider<LaunchCtx> context={Slice(store.launch.clone())}>
            <header>
                <h1>{"edgewarm"}</h1>
                <nav aria-label="Pages"><ul>
                    {nav(Page::Warm, "Warm")}
                    {nav(Page::History, "History & quotas")}
                    {nav(Page::Scheduled, "ESA scheduled")}
                </ul></nav>
                <fieldset class="vendors"><legend>{"Vendor"}</legend>{for vendors}</fieldset>
            </header>
            <main id="main" class={classes!(if store.page == Page::Warm { "warm" } else { "other" })}>
                <super::resume_banner::ResumeBanner />
                if store.page != Page::Warm { <Notices /> }
                {page}
            </main>
        </ContextProvider<LaunchCtx>>
        </ContextProvider<FieldErrorsCtx>>
        </ContextProvider<Busy>>
        </ContextProvider<NoticesCtx>>
        </ContextProvider<RunCtx>>
        </ContextProvider<PlanCtx>>
        </ContextProvider<FormCtx>>
        </ContextProvider<Tools>>
    }
}
