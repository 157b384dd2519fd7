//! What the virtualised lists share (the results table, the loaded URL list): which rows of a
//! long list are in view, with the spacer heights that stand for the rest, and the row and view
//! heights read from the page's layout (they change with the width and the font), so that only
//! the rows in view — and a few around them — are ever in the page.

use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Rows drawn beyond those in view, above and below.
pub const OVERSCAN: usize = 6;

/// The rows `[start, end)` in view for a list of `len` rows scrolled to `scroll` px, rows of
/// `row_h` px in a view of `view_h` px; with the spacer heights above and below.
pub fn window(len: usize, scroll: i32, row_h: i32, view_h: i32) -> (usize, usize, usize, usize) {
    let rh = row_h.max(1) as usize;
    let first = scroll.max(0) as usize / rh;
    let start = first.saturating_sub(OVERSCAN).min(len);
    let end = (first + view_h.max(0) as usize / rh + 1 + OVERSCAN).min(len);
    (start, end, start * rh, (len - end) * rh)
}

/// The height of a row (the first element matching `row_selector` inside `scroller`) and of the
/// scrolling view, measured after each render; `row_h` and `view_h` until the first measure.
#[hook]
pub fn use_row_metrics(
    scroller: NodeRef,
    row_selector: &'static str,
    row_h: i32,
    view_h: i32,
) -> (i32, i32) {
    let row = use_state(|| row_h);
    let view = use_state(|| view_h);
    {
        let (row, view) = (row.clone(), view.clone());
        use_effect(move || {
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                let h = el.client_height();
                if h > 0 && h != *view {
                    view.set(h);
                }
                if let Ok(Some(r)) = el.query_selector(row_selector) {
                    if let Ok(r) = r.dyn_into::<web_sys::HtmlElement>() {
                        let h = r.offset_height();
                        if h > 0 && h != *row {
                            row.set(h);
                        }
                    }
                }
            }
        });
    }
    (*row, *view)
}
