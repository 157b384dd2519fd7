//! Messages: the vendor's code, a plain explanation and what to do next. On the Warm page they
//! sit folded under the primary action, the latest one in view (problems with a field are
//! shown at the field, and how a run ended is on the run card); elsewhere, a list at the top.

use super::{renders, NoticesCtx, Tools};
use crate::store::Action;
use yew::prelude::*;

/// Props: whether to fold the list behind its latest message.
#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    /// Folded: one line with the latest message, the rest on demand.
    #[prop_or_default]
    pub compact: bool,
}

/// The message list (a live region for screen readers).
#[function_component(Notices)]
pub fn notices(props: &NoticesProps) -> Html {
    // App provides the context around every view; outside it a view shows nothing (no panic)
    renders::count("Notices");
    let (Some(tools), Some(notices)) = (use_context::<Tools>(), use_context::<NoticesCtx>()) else {
        return Html::default();
    };
    let Some(latest) = notices.last() else {
        return html! { <div id="notices" role="status" aria-live="polite"></div> };
    };
    let clear = tools.callback(Action::ClearNotices);
    let list = html! {
        <>
            <ul>
            { for notices.iter().map(|n| html! {
                <li class={classes!("notice", n.error.then_some("error"))}>
                    if !n.code.is_empty() { <code class="code">{&n.code}</code>{" "} }
                    <span class="text">{&n.text}</span>
                    if let Some(h) = &n.hint { <p class="hint">{h}</p> }
                </li>
            }) }
            </ul>
            <button type="button" class="secondary small" onclick={clear}>{"Clear messages"}</button>
        </>
    };
    if props.compact {
        return html! {
            <section id="notices" class="notices compact" aria-label="Messages" aria-live="polite">
                <details id="messages">
                    <summary>
                        <span class="count">{format!("Messages ({})", notices.len())}</span>{" "}
                        <span class={classes!("latest", latest.error.then_some("error"))}>
                            if !latest.code.is_empty() { <code class="code">{&latest.code}</code>{" "} }
                            {&latest.text}
                        </span>
                    </summary>
                    {list}
                </details>
            </section>
        };
    }
    html! {
        <section id="notices" aria-label="Messages" aria-live="polite">
            {list}
        </section>
    }
}
