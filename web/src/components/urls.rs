//! URLs and the primary action: paste (counted as you type), insert the sandbox's sample URLs,
//! or drop or pick .txt / .csv / sitemap.xml(.gz) / .m3u8 files; every line checked for the
//! vendor with the reason, duplicates counted, the encoded form each vendor will warm shown
//! before anything is sent; then one primary button, "Warm N URLs".

use super::{field_state, renders, value_of, Busy, FieldErrorsCtx, FormCtx, Tools};
use crate::connection::Connection;
use crate::store::product::{self, FieldError, UrlCounts};
use crate::store::Action;
use edgewarm::job::{JobKind, PurgeType};
use edgewarm::sources::{list, m3u8};
use edgewarm::{urls, Service};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

/// Longest list shown for editing in the text box (assumed: measured in Chromium, where a
/// progress tick with 100 000 lines in the box costs about five times one with 100).
pub const EDITABLE_LINES: usize = 5_000;

/// Lines in `text` (a last line without a newline counts).
pub fn line_count(text: &str) -> usize {
    let newlines = text.bytes().filter(|b| *b == b'\n').count();
    newlines + usize::from(!text.is_empty() && !text.ends_with('\n'))
}

/// What the list holds for a vendor.
#[derive(Debug, PartialEq)]
pub struct Checked {
    /// URLs that will be sent.
    pub ok: usize,
    /// Duplicates dropped.
    pub duplicates: usize,
    /// `(line, text, reason)` of refused lines.
    pub problems: Vec<(usize, String, String)>,
    /// `(original, encoded)` of URLs that need encoding.
    pub encoded: Vec<(String, String)>,
}

/// Checks the list for `service` (pure; the plan runs the same checks in the core).
pub fn check(text: &str, service: Service) -> Checked {
    let parsed = list::parse_auto("urls.txt", text);
    let mut problems: Vec<(usize, String, String)> = parsed
        .rejected
        .iter()
        .map(|r| (r.line, r.text.clone(), r.message.clone()))
        .collect();
    let mut encoded = Vec::new();
    let mut ok = 0;
    for u in &parsed.urls {
        match urls::prepare(u, service) {
            Ok(p) => {
                ok += 1;
                if p.needs_encoding {
                    encoded.push((p.original, p.encoded));
                }
            }
            Err((_, message)) => {
                let line = text
                    .lines()
                    .position(|l| l.trim() == u)
                    .map_or(0, |i| i + 1);
                problems.push((line, u.clone(), message));
            }
        }
    }
    problems.sort_by_key(|p| p.0);
    Checked {
        ok,
        duplicates: parsed.duplicates,
        problems,
        encoded,
    }
}

/// Whether a job of `kind` takes host names or cache tags rather than URLs.
pub fn raw_entries(kind: JobKind) -> bool {
    matches!(kind.purge_type(), Some(PurgeType::Host | PurgeType::Tag))
}

/// The entries of a host or tag list: one a line, `#` starts a comment, blank lines skipped,
/// duplicates dropped; with the number of duplicates.
pub fn raw_list(text: &str) -> (Vec<String>, usize) {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut duplicates = 0;
    for line in text.lines() {
        let entry = line.split('#').next().unwrap_or_default().trim();
        if entry.is_empty() {
            continue;
        }
        if seen.insert(entry.to_string()) {
            out.push(entry.to_string());
        } else {
            duplicates += 1;
        }
    }
    (out, duplicates)
}

/// [`check`] for a job of `kind`: host names and cache tags are counted as entries (the vendor
/// checks them), everything else as URLs.
pub fn check_for(text: &str, service: Service, kind: JobKind) -> Checked {
    if !raw_entries(kind) {
        return check(text, service);
    }
    let (entries, duplicates) = raw_list(text);
    Checked {
        ok: entries.len(),
        duplicates,
        problems: Vec::new(),
        encoded: Vec::new(),
    }
}

async fn read_file(file: web_sys::File, base: String) -> Result<String, String> {
    let name = file.name().to_ascii_lowercase();
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("cannot read {name}"))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    if name.ends_with(".xml") || name.ends_with(".gz") {
        let map = crate::gunzip::read_sitemap(&bytes)
            .await
            .map_err(|e| format!("{name}: {e}"))?;
        if !map.sitemaps.is_empty() {
            return Err(format!(
                "{name} is a sitemap index: load its child sitemaps ({})",
                map.sitemaps.join(", ")
            ));
        }
        return Ok(map.urls.join("\n"));
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if name.ends_with(".m3u8") || name.ends_with(".m3u") {
        if base.trim().is_empty() {
            return Err(format!(
                "{name}: give the playlist's own URL first, to resolve its entries"
            ));
        }
        let p = m3u8::parse(&text, base.trim()).map_err(|e| format!("{name}: {e}"))?;
        let mut all = vec![base.trim().to_string()];
        all.extend(p.segments);
        all.extend(p.playlists);
        all.extend(p.resources);
        return Ok(all.join("\n"));
    }
    let parsed = list::parse_auto(&name, &text);
    Ok(parsed.urls.join("\n"))
}

/// The URL list and the actions on it.
#[function_component(UrlsPanel)]
pub fn urls_panel() -> Html {
    // App provides the context around every view; outside it a view shows nothing (no panic)
    renders::count("UrlsPanel");
    let (Some(tools), Some(form), Some(Busy(busy))) = (
        use_context::<Tools>(),
        use_context::<FormCtx>(),
        use_context::<Busy>(),
    ) else {
        return Html::default();
    };
    let errors = use_context::<FieldErrorsCtx>();
    let base = use_state(String::new);
    let checked = use_memo(
        (
            form.urls.clone(),
            form.loaded.clone(),
            form.vendor,
            form.target.kind,
        ),
        |(typed, loaded, vendor, kind)| {
            let form = crate::store::Form {
                urls: typed.clone(),
                loaded: loaded.clone(),
                ..Default::default()
            };
            check_for(&form.list(), *vendor, *kind)
        },
    );
    // counted as the user types, not only when the box loses the focus
    let on_text = {
        let tools = tools.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                .map(|t| t.value())
                .unwrap_or_default();
            tools.send(Action::Urls(AttrValue::from(value)))
        })
    };
    let on_change = {
        let tools = tools.clone();
        Callback::from(move |e: Event| tools.send(Action::Urls(AttrValue::from(value_of(&e)))))
    };
    let load = {
        let tools = tools.clone();
        let base = base.clone();
        // the files picked (or dropped) together replace the list loaded before, held in
        // memory, never copied into the text box
        move |files: Option<web_sys::FileList>| {
            let Some(files) = files else { return };
            let files: Vec<web_sys::File> =
                (0..files.length()).filter_map(|i| files.get(i)).collect();
            if files.is_empty() {
                return;
            }
            let tools = tools.clone();
            let base = (*base).clone();
            wasm_bindgen_futures::spawn_local(async move {
                let mut names = Vec::new();
                let mut all = String::new();
                for file in files {
                    names.push(file.name());
                    match read_file(file, base.clone()).await {
                        Ok(text) => {
                            if !all.is_empty() && !all.ends_with('\n') {
                                all.push('\n');
                            }
                            all.push_str(&text);
                        }
                        Err(e) => {
                            tools.send(Action::FieldErrors(vec![FieldError {
                                field: "urls".into(),
                                message: e,
                            }]));
                            super::focus_later("urls".into());
                            return;
                        }
                    }
                }
                tools.send(Action::LoadFiles(names, all));
            });
        }
    };
    let on_pick = {
        let load = load.clone();
        Callback::from(move |e: Event| {
            let files = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|i| i.files());
            load(files);
        })
    };
    let on_drop = {
        let load = load.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            load(e.data_transfer().and_then(|d| d.files()));
        })
    };
    let on_base = {
        let base = base.clone();
        Callback::from(move |e: Event| base.set(value_of(&e)))
    };
    let sandbox = matches!(form.connection(form.vendor), Connection::Sandbox);
    let on_sample = {
        let tools = tools.clone();
        let vendor = form.vendor;
        Callback::from(move |_| {
            tools.send(Action::Urls(AttrValue::from(
                product::sample_urls(vendor).join("\n"),
            )));
            super::focus_later("start".into());
        })
    };
    let on_start = {
        let (tools, form) = (tools.clone(), form.clone());
        Callback::from(move |_| super::run::start_from_forms(&tools, &form))
    };
    let on_plan = {
        let (tools, form) = (tools.clone(), form.clone());
        Callback::from(move |_| super::plan::plan_action(&tools, &form))
    };
    let on_dry = {
        let (tools, form) = (tools.clone(), form.clone());
        Callback::from(move |_| super::plan::dry_run_action(&tools, &form))
    };
    let c = &*checked;
    let counts = UrlCounts {
        ready: c.ok,
        refused: c.problems.len(),
        duplicates: c.duplicates,
    };
    let lines = line_count(&form.urls);
    let on_clear = tools.callback(Action::Urls(AttrValue::Static("")));
    let f = field_state(errors.as_ref(), "urls");
    let described = match &f.described_by {
        Some(id) => format!("urls-help {id}"),
        None => "urls-help".into(),
    };
    let list = if lines > EDITABLE_LINES {
        // kept out of the text box: the browser lays a text box's whole text out again on
        // every change anywhere on the page, so a long list would slow every progress tick
        html! { <>
            <textarea id="urls" rows="6" readonly=true value="" disabled={busy} aria-invalid={f.invalid} aria-describedby={described.clone()}
                placeholder={format!("{lines} lines loaded from files: too long to edit here (clear the list to type again)")} />
            <button type="button" class="secondary" id="urls-clear" disabled={busy} onclick={on_clear}>{"Clear the list"}</button>
        </> }
    } else {
        html! {
            <textarea id="urls" rows="6" spellcheck="false" value={form.urls.clone()} disabled={busy}
                aria-invalid={f.invalid} aria-describedby={described}
                placeholder={"https://www.example.com/\nhttps://www.example.com/app.js"}
                oninput={on_text} onchange={on_change} />
        }
    };
    let kind = form.target.kind;
    let warm = primary_label(kind, counts.ready, busy);
    let set_kind = |k: JobKind| tools.callback::<Event>(Action::Kind(k));
    let on_purge_type = {
        let tools = tools.clone();
        Callback::from(move |e: Event| {
            let purge_type = match value_of(&e).as_str() {
                "path" => PurgeType::Path,
                "host" => PurgeType::Host,
                "tag" => PurgeType::Tag,
                _ => PurgeType::Url,
            };
            tools.send(Action::Kind(JobKind::Purge { purge_type }))
        })
    };
    let purging = match kind {
        JobKind::Purge { purge_type } => Some(purge_type),
        _ => None,
    };
    let pf = field_state(errors.as_ref(), "purge-type");
    let kinds = html! {
        <fieldset class="kinds" id="kinds">
            <legend>{"What to do"}</legend>
            <label for="kind-warm"><input type="radio" name="kind" id="kind-warm" value="prefetch" checked={kind == JobKind::Prefetch} disabled={busy} onchange={set_kind(JobKind::Prefetch)} />{"Warm"}{" "}<span class="api">{"prefetch"}</span></label>
            <label for="kind-refresh"><input type="radio" name="kind" id="kind-refresh" value="refresh" checked={kind == JobKind::Refresh} disabled={busy} onchange={set_kind(JobKind::Refresh)} />{"Refresh"}{" "}<span class="api">{"purge, then warm"}</span></label>
            <label for="kind-purge"><input type="radio" name="kind" id="kind-purge" value="purge" checked={purging.is_some()} disabled={busy} onchange={set_kind(JobKind::Purge { purge_type: purging.unwrap_or_default() })} />{"Purge only"}</label>
            if let Some(pt) = purging {
                <label for="purge-type">{"Purge"}</label>
                <select id="purge-type" disabled={busy} onchange={on_purge_type} aria-invalid={pf.invalid} aria-describedby={pf.described_by.clone()}>
                    <option value="url" selected={pt == PurgeType::Url}>{"URLs"}</option>
                    <option value="path" selected={pt == PurgeType::Path}>{"Directories (every URL under each)"}</option>
                    if PurgeType::Host.vendor_name(form.vendor).is_some() {
                        <option value="host" selected={pt == PurgeType::Host}>{"Hosts (everything cached for each)"}</option>
                    }
                    // EdgeOne's tag purge also names the domains (CacheTag.Domains): the CLI
                    // takes them; the console offers tags where the tags alone suffice
                    if form.vendor == Service::Esa {
                        <option value="tag" selected={pt == PurgeType::Tag}>{"Cache tags"}</option>
                    }
                </select>
                {pf.message}
            }
        </fieldset>
    };
    html! {
        <section class="urls" aria-labelledby="urls-h" ondragover={Callback::from(|e: DragEvent| e.prevent_default())} ondrop={on_drop}>
            <div class="row">
                <h2 id="urls-h"><label for="urls">{match kind { JobKind::Prefetch => "URLs to warm", JobKind::Refresh => "URLs to refresh", JobKind::Purge { purge_type: PurgeType::Path } => "Directories to purge", JobKind::Purge { purge_type: PurgeType::Host } => "Hosts to purge", JobKind::Purge { purge_type: PurgeType::Tag } => "Cache tags to purge", JobKind::Purge { .. } => "URLs to purge" }}</label></h2>
                if sandbox {
                    <button type="button" class="secondary small" id="sample" disabled={busy} onclick={on_sample}>{"Insert sample URLs"}</button>
                }
            </div>
            <p id="urls-help" class="muted help">{
                if sandbox {
                    format!("One per line (or CSV); drop files here. The sandbox serves {}.", product::sandbox_domains(form.vendor).join(" and "))
                } else {
                    "One per line (or CSV); drop files here.".to_string()
                }
            }</p>
            {list}
            <super::url_list::UrlList />
            {f.message}
            <p id="url-counts" class="counts" aria-live="polite">{counts.sentence()}</p>
            {kinds}
            <div class="buttons actions">
                <button type="button" class="primary" id="start" onclick={on_start} disabled={busy}>{warm}</button>
                <button type="button" class="secondary" id="plan" onclick={on_plan} disabled={busy}>{"Plan"}</button>
                <button type="button" class="secondary" id="dry-run" onclick={on_dry} disabled={busy}>{"Dry run"}</button>
            </div>
            if !c.problems.is_empty() {
                <details open=true class="refused">
                    <summary>{format!("Refused lines ({})", c.problems.len())}</summary>
                    <ul class="problems">
                        { for c.problems.iter().take(200).map(|(line, text, reason)| html! {
                            <li><span class="line">{format!("line {line}")}</span>{" "}<code>{text}</code>{": "}{reason}</li>
                        }) }
                    </ul>
                </details>
            }
            if !c.encoded.is_empty() {
                <details>
                    <summary>{format!("Encoded before warming ({})", c.encoded.len())}</summary>
                    <ul class="encoded">
                        { for c.encoded.iter().take(200).map(|(o, e)| html! { <li><code>{o}</code>{" → "}<code>{e}</code></li> }) }
                    </ul>
                </details>
            }
            <details class="sources">
                <summary>{"Load from files (.txt, .csv, sitemap .xml / .xml.gz, .m3u8)"}</summary>
                <div class="form">
                    <label for="files">{"Files"}</label>
                    <input id="files" type="file" multiple=true accept=".txt,.csv,.xml,.gz,.m3u8,.m3u" onchange={on_pick} />
                    <label for="playlist-base">{"Playlist URL "}<span class="api">{"for .m3u8 files"}</span></label>
                    <input id="playlist-base" type="url" value={(*base).clone()} onchange={on_base} />
                </div>
            </details>
        </section>
    }
}

/// The primary button's words for a job of `kind` over `ready` entries: `Warm 6 URLs`,
/// `Refresh 1 URL`, `Purge 2 directories`; `Warming…` (…) while a run is busy.
pub fn primary_label(kind: JobKind, ready: usize, busy: bool) -> String {
    let verb = crate::spec::verb(kind);
    if busy {
        return match kind {
            JobKind::Prefetch => "Warming…",
            JobKind::Refresh => "Refreshing…",
            JobKind::Purge { .. } => "Purging…",
        }
        .into();
    }
    let (one, many) = match kind.purge_type() {
        Some(PurgeType::Path) if kind != JobKind::Refresh => ("directory", "directories"),
        Some(PurgeType::Host) => ("host", "hosts"),
        Some(PurgeType::Tag) => ("cache tag", "cache tags"),
        _ => ("URL", "URLs"),
    };
    match ready {
        0 => format!("{verb} {many}"),
        1 => format!("{verb} 1 {one}"),
        n => format!("{verb} {n} {many}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn the_primary_button_names_the_task() {
        assert_eq!(primary_label(JobKind::Prefetch, 6, false), "Warm 6 URLs");
        assert_eq!(primary_label(JobKind::Refresh, 1, false), "Refresh 1 URL");
        let purge = |purge_type| JobKind::Purge { purge_type };
        assert_eq!(primary_label(purge(PurgeType::Url), 0, false), "Purge URLs");
        assert_eq!(
            primary_label(purge(PurgeType::Path), 2, false),
            "Purge 2 directories"
        );
        assert_eq!(primary_label(JobKind::Refresh, 3, true), "Refreshing…");
        assert_eq!(
            primary_label(purge(PurgeType::Tag), 1, false),
            "Purge 1 cache tag"
        );
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn hosts_and_tags_are_entries_not_urls() {
        let text = "# release\nrelease-1\n\nassets  # the CSS and JS\nrelease-1\n";
        assert_eq!(
            raw_list(text),
            (vec!["release-1".to_string(), "assets".to_string()], 1)
        );
        let tags = JobKind::Purge {
            purge_type: PurgeType::Tag,
        };
        let c = check_for(text, Service::Esa, tags);
        assert_eq!((c.ok, c.duplicates, c.problems.len()), (2, 1, 0));
        let urls = check_for(text, Service::Esa, JobKind::Prefetch);
        assert_eq!(urls.ok, 0, "as URLs, none of them is one");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn lines_are_counted() {
        assert_eq!(line_count(""), 0);
        assert_eq!(line_count("a"), 1);
        assert_eq!(line_count("a\n"), 1);
        assert_eq!(line_count("a\nb"), 2);
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn lines_are_checked_for_the_vendor() {
        // the wasm build parses URLs with the host's `URL` (in the tests, Node's)
        crate::host_url::install();
        let c = check("https://www.example.com/a\nftp://x\nhttps://*.example.com/w\nhttps://www.example.com/a\nhttps://www.example.com/中", Service::Cdn);
        assert_eq!(c.ok, 2);
        assert_eq!(c.duplicates, 1);
        assert_eq!(c.problems.len(), 2);
        assert_eq!(c.problems[0].0, 2);
        assert!(c.problems[1].2.contains("wildcard"));
        assert_eq!(
            c.encoded,
            vec![(
                "https://www.example.com/中".to_string(),
                "https://www.example.com/%E4%B8%AD".to_string()
            )]
        );
    }
}
