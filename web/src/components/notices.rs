//! Messages: the vendor's code, a plain explanation and what to do next, in a compact box under
//! the primary action (problems with a field are shown at the field instead).

use super::{renders, NoticesCtx, Tools};
use crate::store::Action;
use yew::prelude::*;

/// The message list (an alert region for screen readers).
#[function_component(Notices)]
pub fn notices() -> Html {
    // App provides the context around every view; outside it a view shows nothing (no panic)
    renders::count("Notices");
    let (Some(tools), Some(notices)) = (use_context::<Tools>(), use_context::<NoticesCtx>()) else {
        return Html::default();
    };
    if notices.is_empty() {
        return html! { <div id="notices" role="status" aria-live="polite"></div> };
    }
    let clear = tools.callback(Action::ClearNotices);
    html! {
        <section id="notices" aria-label="Messages" aria-live="polite">
            <ul>
            { for notices.iter().map(|n| html! {
                <li class={classes!("notice", n.error.then_some("error"))} role={n.error.then_some("alert")}>
                    if !n.code.is_empty() { <code class="code">{&n.code}</code>{" "} }
                    <span class="text">{&n.text}</span>
                    if let Some(h) = &n.hint { <p class="hint">{h}</p> }
                </li>
            }) }
            </ul>
            <button type="button" class="secondary small" onclick={clear}>{"Clear messages"}</button>
        </section>
    }
}
