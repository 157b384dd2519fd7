//! Results as files: every URL with its status in the console's one vocabulary (`Succeeded`,
//! `Failed`, `Timed out`, … — the same words as the tables, whatever the vendor), the engine's
//! fate and the vendor's code as detail, and the phase it stands in (`purge` or `prefetch`: a
//! refresh's failed URL says whether its purge or its warm failed), as CSV or JSON, offered as a
//! download. CSV cells go
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

/// `url,status,fate,code,detail,phase` per URL.
pub fn csv(urls: &[UrlEntry], phases: Phases) -> String {
    let mut out = String::from("url,status,fate,code,detail,phase\n");
    for u in urls {
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
    out
}

/// The URLs with their fates as a JSON array, each with its `status` in the one vocabulary and
/// its `phase`.
pub fn json(urls: &[UrlEntry], phases: Phases) -> String {
    let rows: Vec<serde_json::Value> = urls
        .iter()
        .map(|u| {
            let mut v = serde_json::to_value(u).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("status".into(), Status::of_fate(&u.fate).label().into());
                o.insert("phase".into(), phase_of(u, phases).into());
            }
            v
        })
        .collect();
    serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let props = web_sys::BlobPropertyBag::new();
    props.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &props) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
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
