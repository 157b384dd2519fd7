//! What the console keeps in the browser: the running job's journal (localStorage, so a reload
//! or a crash resumes it) and, only when the user opts in, a key pair for this tab
//! (sessionStorage), or an edge worker's URL and bearer token the same way. Failures (quota,
//! private mode) are reported, never fatal.

use crate::connection::{Remembered, RememberedWorker};
use edgewarm::Cloud;

const JOURNAL: &str = "edgewarm.journal";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn key_slot(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Tencent => "edgewarm.keys.tencent",
        Cloud::Alibaba => "edgewarm.keys.alibaba",
    }
}

/// Saves the journal; `Err` with the browser's reason when it does not fit.
pub fn save_journal(journal: &str) -> Result<(), String> {
    let storage = local().ok_or("this browser gives no localStorage")?;
    storage.set_item(JOURNAL, journal).map_err(|_| {
        format!(
            "the journal ({} KB) does not fit in this browser's storage",
            journal.len() / 1024
        )
    })
}

/// The saved journal, if any.
pub fn load_journal() -> Option<String> {
    local()?.get_item(JOURNAL).ok().flatten()
}

/// Forgets the journal.
pub fn clear_journal() {
    if let Some(s) = local() {
        let _ = s.remove_item(JOURNAL);
    }
}

/// Remembers keys for this tab (the user chose it); one remembered connection per cloud.
pub fn remember(cloud: Cloud, keys: &Remembered) {
    forget_worker(cloud);
    if let (Some(s), Ok(text)) = (session(), serde_json::to_string(keys)) {
        let _ = s.set_item(key_slot(cloud), &text);
    }
}

fn worker_slot(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Tencent => "edgewarm.worker.tencent",
        Cloud::Alibaba => "edgewarm.worker.alibaba",
    }
}

/// Remembers an edge worker's URL and token for this tab (the user chose it).
pub fn remember_worker(cloud: Cloud, worker: &RememberedWorker) {
    forget(cloud);
    if let (Some(s), Ok(text)) = (session(), serde_json::to_string(worker)) {
        let _ = s.set_item(worker_slot(cloud), &text);
    }
}

/// The edge worker remembered in this tab.
pub fn remembered_worker(cloud: Cloud) -> Option<RememberedWorker> {
    let text = session()?.get_item(worker_slot(cloud)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Forgets a remembered edge worker.
pub fn forget_worker(cloud: Cloud) {
    if let Some(s) = session() {
        let _ = s.remove_item(worker_slot(cloud));
    }
}

/// Keys remembered in this tab.
pub fn remembered(cloud: Cloud) -> Option<Remembered> {
    let text = session()?.get_item(key_slot(cloud)).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

/// Forgets remembered keys.
pub fn forget(cloud: Cloud) {
    if let Some(s) = session() {
        let _ = s.remove_item(key_slot(cloud));
    }
}
