//! Pages with addresses: `#/warm`, `#/history`, `#/scheduled`. The page shown follows the
//! address, so a reload stays on the page and the browser's Back and Forward move between pages;
//! the navigation is plain links. Hash routes need nothing from the server that serves the
//! console (the proxy serves one `index.html`).

use crate::store::{Action, Page};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The page an address's hash names (`#/history`); Warm for anything else.
pub fn page_of(hash: &str) -> Page {
    match hash.trim_start_matches('#').trim_matches('/') {
        "history" => Page::History,
        "scheduled" => Page::Scheduled,
        _ => Page::Warm,
    }
}

/// The hash of a page's address.
pub fn hash_of(page: Page) -> &'static str {
    match page {
        Page::Warm => "#/warm",
        Page::History => "#/history",
        Page::Scheduled => "#/scheduled",
    }
}

/// The page the browser's address names now.
pub fn current_page() -> Page {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map_or(Page::Warm, |h| page_of(&h))
}

/// Follows the address: shows the page it names whenever it changes (a link, Back, Forward).
#[hook]
pub fn use_hash_route(dispatch: Callback<Action>) {
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
            dispatch.emit(Action::Show(current_page()));
        });
        let window = web_sys::window();
        if let Some(w) = &window {
            let _ =
                w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(w) = window {
                let _ = w.remove_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn every_page_has_an_address_that_leads_back_to_it() {
        for page in [Page::Warm, Page::History, Page::Scheduled] {
            assert_eq!(page_of(hash_of(page)), page);
        }
        assert_eq!(page_of(""), Page::Warm);
        assert_eq!(page_of("#/nowhere"), Page::Warm);
        assert_eq!(page_of("#history/"), Page::History);
    }
}
