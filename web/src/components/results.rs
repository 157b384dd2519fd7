//! The results per URL, as the vendors' own consoles list them: every URL with its result and
//! the reason of a failure (or the vendor's task id), filtered by result, searched, the failed
//! URLs copied in one click, and a selection warmed again. Virtualised: a job may hold 100 000
//! URLs, and only the rows in view (and a few around them) are in the page; spacers of the
//! right height stand for the rest (SVG `height` attributes, which the console's style policy
//! allows, where a `style` attribute would be refused).

use super::virtual_rows::{use_row_metrics, window};
use super::{renders, FormCtx, RunCtx, Tools};
use crate::net;
use crate::store::product::plural;
use crate::store::Action;
use edgewarm::job::{Fate, Job, UrlEntry};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Which URLs the table shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Every URL.
    All,
    /// Failed at the vendor.
    Failed,
    /// Warmed.
    Succeeded,
    /// Not final yet (waiting to send, or at the vendor).
    Open,
    /// Put off for the quota.
    Deferred,
    /// Refused here before sending (the URL panel's refused lines that are URLs).
    Refused,
}

impl Filter {
    /// Every filter, in the order the chips show them.
    pub const ALL: [Filter; 6] = [
        Filter::All,
        Filter::Failed,
        Filter::Succeeded,
        Filter::Open,
        Filter::Deferred,
        Filter::Refused,
    ];

    /// The chip's id suffix (`failed`, …).
    pub fn id(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Failed => "failed",
            Filter::Succeeded => "succeeded",
            Filter::Open => "open",
            Filter::Deferred => "deferred",
            Filter::Refused => "refused",
        }
    }

    /// The chip's words.
    pub fn label(self) -> &'static str {
        match self {
            Filter::All => "All",
            Filter::Failed => "Failed",
            Filter::Succeeded => "Succeeded",
            Filter::Open => "In progress",
            Filter::Deferred => "Over quota",
            Filter::Refused => "Refused here",
        }
    }

    /// Whether `fate` is shown under this filter.
    pub fn shows(self, fate: &Fate) -> bool {
        match self {
            Filter::All => true,
            Filter::Failed => matches!(fate, Fate::Failed(_)),
            Filter::Succeeded => matches!(fate, Fate::Succeeded),
            Filter::Open => matches!(fate, Fate::Pending | Fate::Submitted { .. }),
            Filter::Deferred => matches!(fate, Fate::Deferred(_)),
            Filter::Refused => matches!(fate, Fate::Invalid(_)),
        }
    }
}

/// The result of a URL in words, and the reason or the task id.
pub fn describe(fate: &Fate) -> (&'static str, String) {
    match fate {
        Fate::Pending => ("Not sent yet", String::new()),
        Fate::Submitted { task_id } => ("At the vendor", format!("task {task_id}")),
        Fate::Succeeded => ("Succeeded", String::new()),
        Fate::Failed(f) => ("Failed", format!("{} ({})", f.reason, f.code)),
        Fate::Deferred(d) => ("Over quota", d.reason.clone()),
        Fate::Invalid(r) => ("Refused", r.message.clone()),
    }
}

/// `url` split for truncation in the middle: the head (cut with an ellipsis when the cell is
/// narrow) and the last characters, always shown.
pub fn split_middle(url: &str, tail: usize) -> (&str, &str) {
    let count = url.chars().count();
    if count <= tail {
        return ("", url);
    }
    let at = url
        .char_indices()
        .nth(count - tail)
        .map_or(url.len(), |(i, _)| i);
    url.split_at(at)
}

/// The URLs (indexes into the job) that `filter` and `query` keep, and how many each filter
/// keeps (in [`Filter::ALL`] order) under `query`. The search ignores ASCII case only: URLs
/// are ASCII once encoded, and Unicode case folding (`to_lowercase`) would link Rust's case
/// tables into the console (8.8 KB gzipped, measured); other letters match as typed.
pub fn select(urls: &[UrlEntry], filter: Filter, query: &str) -> (Vec<u32>, [usize; 6]) {
    let q = query.trim().to_ascii_lowercase();
    let mut counts = [0usize; 6];
    let mut keep = Vec::new();
    for (i, u) in urls.iter().enumerate() {
        if !q.is_empty() {
            let hit = u.url.to_ascii_lowercase().contains(&q)
                || describe(&u.fate).1.to_ascii_lowercase().contains(&q);
            if !hit {
                continue;
            }
        }
        for (k, f) in Filter::ALL.iter().enumerate() {
            if f.shows(&u.fate) {
                counts[k] += 1;
            }
        }
        if filter.shows(&u.fate) {
            keep.push(i as u32);
        }
    }
    (keep, counts)
}

/// What was selected last, for which run (a new run starts with nothing selected).
type Selection = (usize, Rc<BTreeSet<u32>>);

/// The last selection computed: run slice, job, filter, query → URLs kept and counts per filter
/// (computed again only when one of them changed).
type Kept = Option<(usize, usize, Filter, String, Rc<Vec<u32>>, [usize; 6])>;

/// The results table.
#[function_component(Results)]
pub fn results() -> Html {
    renders::count("Results");
    let (Some(tools), Some(form), Some(run)) = (
        use_context::<Tools>(),
        use_context::<FormCtx>(),
        use_context::<RunCtx>(),
    ) else {
        return Html::default();
    };
    let filter = use_state(|| Filter::All);
    let query = use_state(String::new);
    let scroll = use_state(|| 0i32);
    let copied = use_state(String::new);
    let selection = use_state(|| (0usize, Rc::new(BTreeSet::new())) as Selection);
    let cache: Rc<RefCell<Kept>> = use_mut_ref(|| None);
    let scroller = use_node_ref();
    let job = tools.runner.borrow().as_ref().map(|h| h.job.clone());
    // the row and view heights come from the page's layout (they change with the width)
    let (row_h, view_h) = use_row_metrics(scroller.clone(), ".rrow", 36, 320);
    let Some(job) = job else {
        return Html::default();
    };
    if run.progress.is_none() {
        return Html::default();
    }
    let job_key = Rc::as_ptr(&job) as *const () as usize;
    let run_key = Rc::as_ptr(&run.0) as usize;
    let (matching, counts) = {
        let mut c = cache.borrow_mut();
        match c.as_ref() {
            Some((r, j, f, q, m, n))
                if *r == run_key && *j == job_key && *f == *filter && *q == *query =>
            {
                (m.clone(), *n)
            }
            _ => {
                let (m, n) = select(job.borrow().urls(), *filter, &query);
                let m = Rc::new(m);
                *c = Some((run_key, job_key, *filter, (*query).clone(), m.clone(), n));
                (m, n)
            }
        }
    };
    let selected: Rc<BTreeSet<u32>> = if selection.0 == job_key {
        selection.1.clone()
    } else {
        Rc::new(BTreeSet::new())
    };
    let (start, end, top, bottom) = window(matching.len(), *scroll, row_h, view_h);
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
    let on_query = {
        let (query, scroll, scroller) = (query.clone(), scroll.clone(), scroller.clone());
        Callback::from(move |e: InputEvent| {
            let v = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            query.set(v);
            scroll.set(0);
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                el.set_scroll_top(0);
            }
        })
    };
    let on_copy = {
        let (job, copied) = (job.clone(), copied.clone());
        Callback::from(move |_| {
            let job = job.borrow();
            let failed: Vec<&str> = job
                .urls()
                .iter()
                .filter(|u| Filter::Failed.shows(&u.fate))
                .map(|u| u.url.as_str())
                .collect();
            super::plan::copy_text(&failed.join("\n"));
            copied.set(format!(
                "Copied {} failed URL{}.",
                failed.len(),
                plural(failed.len())
            ));
        })
    };
    let on_select_shown = {
        let (selection, matching, selected) =
            (selection.clone(), matching.clone(), selected.clone());
        Callback::from(move |e: Event| {
            let on = super::checked_of(&e);
            let mut next = (*selected).clone();
            for i in matching.iter() {
                if on {
                    next.insert(*i);
                } else {
                    next.remove(i);
                }
            }
            selection.set((job_key, Rc::new(next)));
        })
    };
    let on_retry = {
        let (tools, form, job, selected) =
            (tools.clone(), form.clone(), job.clone(), selected.clone());
        Callback::from(move |_| {
            let seed = match net::random_seed() {
                Ok(s) => s,
                Err(n) => return tools.send(Action::Notify(n)),
            };
            let (next, counts) = {
                let job = job.borrow();
                let urls: Vec<String> = selected
                    .iter()
                    .filter_map(|i| job.urls().get(*i as usize))
                    .map(|u| u.url.clone())
                    .collect();
                let p = job.progress(net::now_ms());
                (
                    Job::new(job.spec().clone(), urls, seed, net::now_ms()),
                    (p.succeeded, p.failed),
                )
            };
            super::run::launch(&tools, &form, next, "Retry selected", Some(counts));
        })
    };
    let busy = run.busy();
    let all_shown_selected = !matching.is_empty() && matching.iter().all(|i| selected.contains(i));
    let guard = job.borrow();
    let urls = guard.urls();
    let rows = matching[start..end].iter().map(|&i| {
        let Some(u) = urls.get(i as usize) else {
            return Html::default();
        };
        let (word, why) = describe(&u.fate);
        let (head, tail) = split_middle(&u.url, 16);
        let on_pick = {
            let (selection, selected) = (selection.clone(), selected.clone());
            Callback::from(move |e: Event| {
                let mut next = (*selected).clone();
                if super::checked_of(&e) {
                    next.insert(i);
                } else {
                    next.remove(&i);
                }
                selection.set((job_key, Rc::new(next)));
            })
        };
        html! {
            <div role="row" class="rrow" data-fate={u.fate.name()} key={i}>
                <span role="cell" class="pick"><input type="checkbox" aria-label={format!("Select {}", u.url)} checked={selected.contains(&i)} onchange={on_pick} /></span>
                <span role="cell" class="u" title={u.url.clone()}><span class="u-head">{head}</span><span class="u-tail">{tail}</span></span>
                <span role="cell" class={classes!("fate", u.fate.name())}>{word}</span>
                <span role="cell" class="why" title={why.clone()}>{why}</span>
            </div>
        }
    });
    // "Over quota" and "Refused here" only when some URL is: the other filters always
    let chips = Filter::ALL.iter().enumerate().filter(|(k, f)| !matches!(f, Filter::Deferred | Filter::Refused) || counts[*k] > 0 || *filter == **f).map(|(k, f)| {
        let on = *filter == *f;
        let set = {
            let (filter, scroll, scroller, f) = (filter.clone(), scroll.clone(), scroller.clone(), *f);
            Callback::from(move |_| {
                filter.set(f);
                scroll.set(0);
                if let Some(el) = scroller.cast::<web_sys::Element>() {
                    el.set_scroll_top(0);
                }
            })
        };
        html! {
            <button type="button" class={classes!("chip", on.then_some("on"))} id={format!("filter-{}", f.id())}
                aria-pressed={if on { "true" } else { "false" }} onclick={set}>{format!("{} {}", f.label(), counts[k])}</button>
        }
    });
    let failed_total = urls
        .iter()
        .filter(|u| Filter::Failed.shows(&u.fate))
        .count();
    html! {
        <section id="results" class="results" aria-labelledby="results-h">
            <div class="toolbar">
                <h2 id="results-h">{"Results per URL "}<span class="muted count" id="results-count">{format!("{} shown of {}", matching.len(), urls.len())}</span></h2>
                <div class="chips" role="group" aria-label="Show">{for chips}</div>
                <label class="visually-hidden" for="results-search">{"Search URLs and reasons"}</label>
                <input id="results-search" type="search" placeholder="Search URLs and reasons" value={(*query).clone()} oninput={on_query} />
                <button type="button" class="secondary small" id="copy-failed" disabled={failed_total == 0} onclick={on_copy}>{format!("Copy failed URLs ({failed_total})")}</button>
                <button type="button" class="secondary small" id="retry-selected" disabled={selected.is_empty() || busy} onclick={on_retry}>{format!("Retry selected ({})", selected.len())}</button>
                <span id="copied" class="muted" aria-live="polite">{(*copied).clone()}</span>
            </div>
            <div id="results-table" class="rtable" role="table" aria-label="Results per URL" aria-rowcount={(matching.len() + 1).to_string()}>
                <div role="rowgroup" class="rhead">
                    <div role="row" class="rrow head">
                        <span role="columnheader" class="pick"><input type="checkbox" id="select-shown" aria-label="Select every URL shown" checked={all_shown_selected} onchange={on_select_shown} /></span>
                        <span role="columnheader" class="u">{"URL"}</span>
                        <span role="columnheader" class="fate">{"Result"}</span>
                        <span role="columnheader" class="why">{"Why / task"}</span>
                    </div>
                </div>
                <div class="rscroll" ref={scroller} onscroll={on_scroll} tabindex="0" aria-label="Rows">
                    <svg class="spacer" aria-hidden="true" width="1" height={top.to_string()}></svg>
                    <div role="rowgroup">{for rows}</div>
                    <svg class="spacer" aria-hidden="true" width="1" height={bottom.to_string()}></svg>
                </div>
                if matching.is_empty() { <p class="muted empty">{"No URL matches."}</p> }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(url: &str, fate: Fate) -> UrlEntry {
        UrlEntry {
            url: url.into(),
            send: String::new(),
            encode: false,
            fate,
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn filters_and_search_keep_the_right_urls() {
        let urls = vec![
            entry("https://www.example.com/a", Fate::Succeeded),
            entry(
                "https://www.example.com/fail/b",
                Fate::failed("originPullFailed", "origin pull failed"),
            ),
            entry("https://static.example.com/c", Fate::Pending),
        ];
        let (all, counts) = select(&urls, Filter::All, "");
        assert_eq!(all, vec![0, 1, 2]);
        assert_eq!(counts, [3, 1, 1, 1, 0, 0]);
        assert_eq!(select(&urls, Filter::Failed, "").0, vec![1]);
        assert_eq!(select(&urls, Filter::All, "STATIC").0, vec![2]);
        assert_eq!(select(&urls, Filter::All, "origin pull").0, vec![1]);
        assert_eq!(select(&urls, Filter::All, "  Origin PULL ").0, vec![1]);
        assert_eq!(describe(&urls[1].fate).0, "Failed");
        // ASCII case is ignored; other letters match as typed
        let accented = vec![entry("https://www.example.com/Café/menu", Fate::Pending)];
        assert_eq!(
            select(&accented, Filter::All, "CAFÉ/MENU").0,
            Vec::<u32>::new()
        );
        assert_eq!(select(&accented, Filter::All, "CAFé/MENU").0, vec![0]);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn urls_are_cut_in_the_middle() {
        assert_eq!(split_middle("https://a/b", 22), ("", "https://a/b"));
        let (head, tail) = split_middle("https://www.example.com/very/long/path/中文.js", 10);
        assert_eq!(tail, "path/中文.js");
        assert!(head.ends_with("long/"));
    }
}
