//! The page: header with navigation and vendor choice, messages, and the page shown.

use super::{
    connections::Connections, history::History, notices::Notices, plan::PlanPanel, run::RunPanel,
    scheduled::Scheduled, target::TargetPanel, urls::UrlsPanel, Ctx,
};
use crate::connection::Cloud;
use crate::store::{Action, Page, State};
use edgewarm::Service;
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

/// The console.
#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(State::default);
    let runner = use_mut_ref(|| None);
    let runner: Rc<RefCell<Option<crate::runner::Handle>>> = runner;
    {
        let store = store.clone();
        use_effect_with((), move |_| {
            if crate::storage::load_journal().is_some() {
                store.dispatch(Action::Resumable(true));
            }
            for cloud in [Cloud::Tencent, Cloud::Alibaba] {
                if let Some(k) = crate::storage::remembered(cloud) {
                    store.dispatch(Action::Connect(cloud, k.into_connection()));
                }
                if let Some(w) = crate::storage::remembered_worker(cloud) {
                    store.dispatch(Action::Connect(cloud, w.into_connection()));
                }
            }
        });
    }
    let ctx = Ctx {
        store: store.clone(),
        runner,
    };
    let nav = |page: Page, label: &str| {
        let store = store.clone();
        let current = store.page == page;
        html! {
            <li><button type="button" aria-current={current.then_some("page")} class={classes!(current.then_some("current"))}
                onclick={Callback::from(move |_| store.dispatch(Action::Show(page)))}>{label}</button></li>
        }
    };
    let vendors = [Service::Teo, Service::Cdn, Service::Esa].into_iter().map(|v| {
        let store = store.clone();
        let id = format!("vendor-{}", v.name());
        html! {
            <label for={id.clone()} class="vendor">
                <input type="radio" name="vendor" id={id} value={v.name()} checked={store.vendor == v} disabled={store.busy()}
                    onchange={Callback::from(move |_| store.dispatch(Action::Vendor(v)))} />
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
        <ContextProvider<Ctx> context={ctx}>
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
                <Notices />
                {page}
            </main>
        </ContextProvider<Ctx>>
    }
}
