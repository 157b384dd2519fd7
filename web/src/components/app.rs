//! The page: header with navigation and vendor choice, messages, and the page shown. It owns the
//! store and hands each slice to the views through its own context.

use super::{
    connections::Connections, history::History, notices::Notices, plan::PlanPanel, renders,
    run::RunPanel, scheduled::Scheduled, target::TargetPanel, urls::UrlsPanel, Busy, FormCtx,
    NoticesCtx, PlanCtx, RunCtx, Slice, Tools,
};
use crate::store::{Action, Page};
use edgewarm::{Cloud, Service};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

fn vendor_name(s: Service) -> &'static str {
    match s {
        Service::Teo => "EdgeOne",
        Service::Cdn => "Tencent CDN",
        Service::Esa => "Alibaba ESA",
    }
}

/// For the scale measurement only (see [`renders`]): `__edgewarmMeasure.tick(total, i)`
/// dispatches one progress tick of a `total`-URL run, as the runner would.
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
        Page::Warm => html! { <>
            <Connections />
            <TargetPanel />
            <UrlsPanel />
            <PlanPanel />
            <RunPanel />
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
            <header>
                <h1>{"edgewarm"}</h1>
                <nav aria-label="Pages"><ul>
                    {nav(Page::Warm, "Warm")}
                    {nav(Page::History, "History & quotas")}
                    {nav(Page::Scheduled, "ESA scheduled")}
                </ul></nav>
                <fieldset class="vendors"><legend>{"Vendor"}</legend>{for vendors}</fieldset>
            </header>
            <main id="main">
                <super::resume_banner::ResumeBanner />
                <Notices />
                {page}
            </main>
        </ContextProvider<Busy>>
        </ContextProvider<NoticesCtx>>
        </ContextProvider<RunCtx>>
        </ContextProvider<PlanCtx>>
        </ContextProvider<FormCtx>>
        </ContextProvider<Tools>>
    }
}
