//! The URLs loaded from files and sitemaps, shown without a copy in the text box: how many, from
//! which files, and the lines themselves in a virtualised list (only the rows in view, and a few
//! around them, are in the page; SVG spacers of the right height stand for the rest, as in the
//! results table, since the console's style policy refuses `style` attributes). Once a run has
//! its job, chips filter the list by fate (failed, succeeded, in progress, …).

use super::results::{describe, Filter};
use super::virtual_rows::{use_row_metrics, window};
use super::{renders, FormCtx, RunCtx, Tools};
use crate::store::product::plural;
use crate::store::{Action, RunStatus};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// `(start, end)` byte ranges of the non-blank lines of `text`.
pub fn line_ranges(text: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            if !text[start..i].trim().is_empty() {
                out.push((start as u32, i as u32));
            }
            start = i + 1;
        }
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push((start as u32, text.len() as u32));
    }
    out
}

/// The last fate selection: job, filter, run status → the job's URLs kept.
type Kept = Option<(usize, Filter, RunStatus, Rc<Vec<u32>>)>;

/// The loaded URL list.
#[function_component(UrlList)]
pub fn url_list() -> Html {
    renders::count("UrlList");
    let (Some(tools), Some(form), Some(run)) = (
        use_context::<Tools>(),
        use_context::<FormCtx>(),
        use_context::<RunCtx>(),
    ) else {
        return Html::default();
    };
    let filter = use_state(|| Filter::All);
    let scroll = use_state(|| 0i32);
    let scroller = use_node_ref();
    let (row_h, view_h) = use_row_metrics(scroller.clone(), ".lrow", 24, 240);
    let kept: Rc<RefCell<Kept>> = use_mut_ref(|| None);
    // keyed by the text's address and length, not its contents: this view renders on every
    // progress tick, and comparing megabytes of text each time would cost more than the rows
    let lines = {
        let text = form.loaded.clone();
        use_memo((text.as_ptr() as usize, text.len()), move |_| {
            line_ranges(&text)
        })
    };
    if form.loaded.is_empty() {
        return Html::default();
    }
    let job = tools.runner.borrow().as_ref().map(|h| h.job.clone());
    // the job's URLs under a fate filter, computed again when the filter or the run's status
    // changes (not on every progress tick)
    let by_fate: Option<Rc<Vec<u32>>> = match (&job, *filter) {
        (Some(job), f) if f != Filter::All => {
            let key = Rc::as_ptr(job) as *const () as usize;
            let mut k = kept.borrow_mut();
            match k.as_ref() {
                Some((j, kf, ks, m)) if *j == key && *kf == f && *ks == run.status => {
                    Some(m.clone())
                }
                _ => {
                    let m = Rc::new(super::results::select(job.borrow().urls(), f, "").0);
                    *k = Some((key, f, run.status, m.clone()));
                    Some(m)
                }
            }
        }
        _ => None,
    };
    let len = by_fate.as_ref().map_or(lines.len(), |m| m.len());
    let (start, end, top, bottom) = window(len, *scroll, row_h, view_h);
    let text = form.loaded.as_str();
    let rows: Html = match (&by_fate, &job) {
        (Some(m), Some(job)) => {
            let job = job.borrow();
            m[start..end]
                .iter()
                .filter_map(|&i| job.urls().get(i as usize).map(|u| (i, u)))
                .map(|(i, u)| {
                    let (word, _) = describe(&u.fate);
                    html! {
                        <li class="lrow" key={i} data-fate={u.fate.name()}>
                            <code>{&u.url}</code>{" "}<span class={classes!("fate", u.fate.name())}>{word}</span>
                        </li>
                    }
                })
                .collect()
        }
        _ => lines[start..end]
            .iter()
            .enumerate()
            .map(|(k, &(a, b))| {
                let i = start + k;
                html! { <li class="lrow" key={i}><code>{&text[a as usize..b as usize]}</code></li> }
            })
            .collect(),
    };
    let on_scroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            {
                scroll.set(el.scroll_top());
            }
        })
    };
    let chips = job.is_some().then(|| {
        Filter::ALL.iter().map(|f| {
            let on = *filter == *f;
            let set = {
                let (filter, scroll, scroller, f) =
                    (filter.clone(), scroll.clone(), scroller.clone(), *f);
                Callback::from(move |_| {
                    filter.set(f);
                    scroll.set(0);
                    if let Some(el) = scroller.cast::<web_sys::Element>() {
                        el.set_scroll_top(0);
                    }
                })
            };
            html! {
                <button type="button" class={classes!("chip", on.then_some("on"))} id={format!("url-list-{}", f.id())}
                    aria-pressed={if on { "true" } else { "false" }} onclick={set}>{f.label()}</button>
            }
        }).collect::<Html>()
    });
    let busy = run.busy();
    let on_clear = tools.callback(Action::LoadFiles(Vec::new(), String::new()));
    let from = form.files.join(", ");
    html! {
        <div id="url-list" class="url-list">
            <p class="muted" id="url-list-count">{
                match &by_fate {
                    Some(m) => format!("{} of the job's URLs: {}", m.len(), filter.label()),
                    None => format!("{} line{} loaded from {from} (not in the text box)", lines.len(), plural(lines.len())),
                }
            }</p>
            if let Some(chips) = chips {
                <div class="chips" role="group" aria-label="Show by result">{chips}</div>
            }
            <div class="lscroll" ref={scroller} onscroll={on_scroll} tabindex="0" aria-label="Loaded URLs">
                <svg class="spacer" aria-hidden="true" width="1" height={top.to_string()}></svg>
                <ol class="lrows">{rows}</ol>
                <svg class="spacer" aria-hidden="true" width="1" height={bottom.to_string()}></svg>
            </div>
            <button type="button" class="secondary small" id="url-list-clear" disabled={busy} onclick={on_clear}>{"Clear the loaded URLs"}</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::virtual_rows::OVERSCAN;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn lines_are_indexed_without_copies_and_windowed() {
        let text = "https://a/1\n\n  \nhttps://a/2\nhttps://a/3";
        let r = line_ranges(text);
        assert_eq!(r.len(), 3);
        assert_eq!(&text[r[2].0 as usize..r[2].1 as usize], "https://a/3");
        // 1 000 000 rows of 24 px in a 240 px view scrolled half-way: a few dozen rows at most
        let (start, end, top, bottom) = window(1_000_000, 12_000_000, 24, 240);
        assert!(end - start <= 11 + 2 * OVERSCAN);
        assert_eq!(top + (end - start) * 24 + bottom, 24_000_000);
        assert_eq!(window(0, 500, 24, 240), (0, 0, 0, 0));
    }
}
