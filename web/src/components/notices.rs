//! Messages: the vendor's code, a plain explanation and what to do next.

use super::Ctx;
use crate::store::Action;
use yew::prelude::*;

/// The message list (an alert region for screen readers).
#[function_component(Notices)]
pub fn notices() -> Html {
    // App provides the context around every view; outside it a view shows nothing (no panic)
    let Some(ctx) = use_context::<Ctx>() else {
        return Html::default();
    };
    let store = ctx.store.clone();
    if store.notices.is_empty() {
        return html! { <div id="notices" role="status" aria-live="polite"></div> };
    }
    let clear = {
        let store = store.clone();
        Callback::from(move |_| store.dispatch(Action::ClearNotices))
    };
    html! {
        <section id="notices" aria-label="Messages" aria-live="polite">
            <ul>
            { for store.notices.iter().map(|n| html! {
                <li class={classes!("notice", n.error.then_some("error"))} role={n.error.then_some("alert")}>
                    if !n.code.is_empty() { <code class="code">{&n.code}</code>{" "} }
                    <span class="text">{&n.text}</span>
                    if let Some(h) = &n.hint { <p class="hint">{h}</p> }
                </li>
            }) }
            </ul>
            <button type="button" onclick={clear}>{"Clear messages"}</button>
        </section>
    }
}
