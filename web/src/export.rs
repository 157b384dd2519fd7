//! Results as files: every URL with its status in the console's one vocabulary (`Succeeded`,
//! `Failed`, `Timed out`, … — the same words as the tables, whatever the vendor), the engine's
//! fate and the vendor's code as detail, and the phase it stands in (`purge` or `prefetch`: a
//! refresh's failed URL says whether its purge or its warm failed), as CSV or JSON, offered as a
//! download, built in chunks of [`CHUNK_ROWS`] rows into a Blob (never one string of a million
//! rows). CSV cells go
//! through the core's `export::csv_cell`, which also keeps a spreadsheet from reading a cell
//! that starts with `=`, `+`, `-`, `@`, a tab or a CR as a formula.

use edgewarm::export::csv_row;
use edgewarm::job::{Fate, Job, JobKind, Phase, UrlEntry, PURGE_FAILED};
use edgewarm::status::Status;

/// Where a job's URLs stand: its kind and the phase it runs (see [`phase_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phases {
    /// What the job does.
    pub kind: JobKind,
    /// The phase running (a finished refresh is in `Prefetch`).
    pub phase: Phase,
}

impl Phases {
    /// Of `job`.
    pub fn of(job: &Job) -> Phases {
        Phases {
            kind: job.spec().kind,
            phase: job.phase(),
        }
    }
}

/// The phase a URL's fate belongs to, `purge` or `prefetch`: a failure whose reason starts with
/// the core's [`PURGE_FAILED`] failed in the purge (and was never warmed); anything else is in
/// the phase the job runs (a purge job's in `purge`, a warm's in `prefetch`).
pub fn phase_of(u: &UrlEntry, p: Phases) -> &'static str {
    let purge = match &u.fate {
        Fate::Failed(f) if f.reason.starts_with(PURGE_FAILED) => true,
        _ => p.phase == Phase::Purge || matches!(p.kind, JobKind::Purge { .. }),
    };
    if purge {
        "purge"
    } else {
        "prefetch"
    }
}

/// Rows per chunk of an export (assumed: about a megabyte of CSV, so a 1 000 000-URL export is
/// never one string in the page's memory).
pub const CHUNK_ROWS: usize = 10_000;

/// `url,status,fate,code,detail,phase` per URL, handed to `part` in chunks of `rows` rows (the
/// header in the first).
pub fn csv_chunks(urls: &[UrlEntry], phases: Phases, rows: usize, mut part: impl FnMut(String)) {
    let mut out = String::from("url,status,fate,code,detail,phase\n");
    for chunk in urls.chunks(rows.max(1)) {
        for u in chunk {
            let (code, detail) = match &u.fate {
                Fate::Submitted { task_id } => (String::new(), task_id.clone()),
                Fate::Failed(f) => (f.code.clone(), f.reason.clone()),
                Fate::Deferred(d) => (String::new(), d.reason.clone()),
                Fate::Invalid(r) => (String::new(), r.message.clone()),
                _ => (String::new(), String::new()),
            };
            out.push_str(&csv_row(&[
                u.url.as_str(),
                Status::of_fate(&u.fate).label(),
                u.fate.name(),
                code.as_str(),
                detail.as_str(),
                phase_of(u, phases),
            ]));
        }
        part(std::mem::take(&mut out));
    }
    if !out.is_empty() {
        part(out);
    }
}

/// The URLs with their fates as a JSON array, each with its `status` in the one vocabulary and
/// its `phase`, handed to `part` in chunks of `rows` entries.
pub fn json_chunks(urls: &[UrlEntry], phases: Phases, rows: usize, mut part: impl FnMut(String)) {
    let mut out = String::from("[");
    let mut first = true;
    for chunk in urls.chunks(rows.max(1)) {
        for u in chunk {
            let mut v = serde_json::to_value(u).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("status".into(), Status::of_fate(&u.fate).label().into());
                o.insert("phase".into(), phase_of(u, phases).into());
            }
            out.push_str(if first { "\n" } else { ",\n" });
            first = false;
            out.push_str(&serde_json::to_string_pretty(&v).unwrap_or_else(|_| "null".into()));
        }
        part(std::mem::take(&mut out));
    }
    out.push_str(if first { "]" } else { "\n]" });
    part(out);
}

/// The whole CSV as one string (small exports and tests).
pub fn csv(urls: &[UrlEntry], phases: Phases) -> String {
    let mut all = String::new();
    csv_chunks(urls, phases, CHUNK_ROWS, |p| all.push_str(&p));
    all
}

/// The whole JSON as one string (small exports and tests).
pub fn json(urls: &[UrlEntry], phases: Phases) -> String {
    let mut all = String::new();
    json_chunks(urls, phases, CHUNK_ROWS, |p| all.push_str(&p));
    all
}

/// A file of `mime` built from parts: each part is folded into the Blob as it comes, so the page
/// holds one chunk of text at a time (the browser keeps a Blob's bytes outside the script heap).
pub struct BlobBuilder {
    blob: Option<web_sys::Blob>,
    mime: String,
}

impl BlobBuilder {
    /// An empty file of `mime`.
    pub fn new(mime: &str) -> BlobBuilder {
        BlobBuilder {
            blob: None,
            mime: mime.to_string(),
        }
    }

    fn props(&self) -> web_sys::BlobPropertyBag {
        let props = web_sys::BlobPropertyBag::new();
        props.set_type(&self.mime);
        props
    }

    /// Appends `text`.
    pub fn push(&mut self, text: &str) {
        let parts = js_sys::Array::new();
        if let Some(b) = &self.blob {
            parts.push(b);
        }
        parts.push(&wasm_bindgen::JsValue::from_str(text));
        self.blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &self.props()).ok();
    }

    /// The file.
    pub fn finish(self) -> Option<web_sys::Blob> {
        match self.blob {
            Some(b) => Some(b),
            None => web_sys::Blob::new_with_str_sequence_and_options(
                &js_sys::Array::new(),
                &self.props(),
            )
            .ok(),
        }
    }
}

/// Offers `job`'s results as `edgewarm-results.csv` (`json`: `.json`), built chunk by chunk.
pub fn download_results(job: &Job, json: bool) {
    let phases = Phases::of(job);
    let (name, mime) = if json {
        ("edgewarm-results.json", "application/json")
    } else {
        ("edgewarm-results.csv", "text/csv")
    };
    let mut file = BlobBuilder::new(mime);
    if json {
        json_chunks(job.urls(), phases, CHUNK_ROWS, |p| file.push(&p));
    } else {
        csv_chunks(job.urls(), phases, CHUNK_ROWS, |p| file.push(&p));
    }
    if let Some(blob) = file.finish() {
        download_blob(name, &blob);
    }
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    let mut file = BlobBuilder::new(mime);
    file.push(text);
    if let Some(blob) = file.finish() {
        download_blob(name, &blob);
    }
}

/// Offers `blob` as a file download named `name`.
pub fn download_blob(name: &str, blob: &web_sys::Blob) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Ok(a) = document.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[cfg(test)]
mod tests {
    use super::*;

    const WARM: Phases = Phases {
        kind: JobKind::Prefetch,
        phase: Phase::Prefetch,
    };

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn csv_quotes_what_needs_quoting() {
        let urls = vec![
            UrlEntry {
                url: "https://a.com/x,y".into(),
                send: String::new(),
                encode: false,
                fate: Fate::Succeeded,
            },
            UrlEntry {
                url: "https://a.com/f".into(),
                send: String::new(),
                encode: false,
                fate: Fate::failed("originPullFailed", "said \"no\""),
            },
        ];
        assert_eq!(
            csv(&urls, WARM),
            "url,status,fate,code,detail,phase\n\"https://a.com/x,y\",Succeeded,succeeded,,,prefetch\nhttps://a.com/f,Failed,failed,originPullFailed,\"said \"\"no\"\"\",prefetch\n"
        );
        assert!(json(&urls, WARM).contains("originPullFailed"));
        assert!(json(&urls, WARM).contains("\"status\": \"Failed\""));
        assert!(json(&urls, WARM).contains("\"phase\": \"prefetch\""));
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn exports_come_in_chunks_that_join_into_the_whole() {
        let urls: Vec<UrlEntry> = (0..25)
            .map(|i| UrlEntry {
                url: format!("https://a.com/{i}"),
                send: String::new(),
                encode: false,
                fate: Fate::Succeeded,
            })
            .collect();
        let mut parts = Vec::new();
        csv_chunks(&urls, WARM, 10, |p| parts.push(p));
        assert_eq!(parts.len(), 3, "25 rows in chunks of 10");
        assert_eq!(parts.concat(), csv(&urls, WARM));
        assert_eq!(parts.concat().lines().count(), 26);
        let mut parts = Vec::new();
        json_chunks(&urls, WARM, 10, |p| parts.push(p));
        assert_eq!(parts.len(), 4, "three chunks and the closing bracket");
        let all: serde_json::Value = serde_json::from_str(&parts.concat()).expect("valid JSON");
        assert_eq!(all.as_array().map(Vec::len), Some(25));
        let mut parts = Vec::new();
        json_chunks(&[], WARM, 10, |p| parts.push(p));
        assert_eq!(parts.concat(), "[]");
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn csv_cells_that_start_like_formulas_are_neutralised() {
        let urls = vec![UrlEntry {
            url: "https://a.com/x".into(),
            send: String::new(),
            encode: false,
            fate: Fate::failed("-1", "=HYPERLINK(\"https://evil.example\",\"click\")"),
        }];
        let text = csv(&urls, WARM);
        assert_eq!(
            text.lines().nth(1),
            Some("https://a.com/x,Failed,failed,'-1,\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"click\"\")\",prefetch")
        );
        for reason in ["+1", "@x", "\tx", "\rx"] {
            let urls = vec![UrlEntry {
                url: "https://a.com/y".into(),
                send: String::new(),
                encode: false,
                fate: Fate::failed(String::new(), reason),
            }];
            assert!(
                csv(&urls, WARM).contains(&format!("'{reason}")),
                "{reason:?}"
            );
        }
    }

    #[cfg_attr(not(target_arch = "wasm32"), test)]
    #[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
    fn a_refresh_says_which_phase_each_failure_belongs_to() {
        let failed = |reason: &str| UrlEntry {
            url: "https://a.com/x".into(),
            send: String::new(),
            encode: false,
            fate: Fate::failed("c", reason),
        };
        let refresh = Phases {
            kind: JobKind::Refresh,
            phase: Phase::Prefetch,
        };
        assert_eq!(
            phase_of(&failed(&format!("{PURGE_FAILED}no")), refresh),
            "purge"
        );
        assert_eq!(phase_of(&failed("origin failed"), refresh), "prefetch");
        let purging = Phases {
            phase: Phase::Purge,
            ..refresh
        };
        assert_eq!(phase_of(&failed("no"), purging), "purge");
        let text = csv(&[failed(&format!("{PURGE_FAILED}no"))], refresh);
        assert!(
            text.lines().nth(1).is_some_and(|l| l.ends_with(",purge")),
            "{text}"
        );
    }
}
