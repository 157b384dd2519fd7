//! What the console keeps in the browser besides the journal (which is in IndexedDB: see
//! [`crate::journal`]): the forms each vendor's running job started from (localStorage, so a
//! reload or a crash restores the form; closed when the job finishes) and, only when the user opts in, a key pair for this tab
//! (sessionStorage), or an edge worker's URL and bearer token the same way. Failures (quota,
//! private mode) are reported, never fatal.

use crate::connection::{Remembered, RememberedWorker};
use crate::store::{Form, TargetForm};
use edgewarm::{Cloud, Service};
use serde::{Deserialize, Serialize};

fn form_slot(service: Service) -> String {
    format!("edgewarm.form.{}", service.name())
}

/// Longest URL list saved with the form (as typed); a longer one is rebuilt from the journal's
/// URLs on restore (assumed: browsers give localStorage about 5 MB per origin, and the journal
/// holds the URLs already).
pub const FORM_URLS_MAX: usize = 256 * 1024;

/// The forms a running job was started from (never a key: connections are not in it), so a
/// reload mid-run restores them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedForm {
    /// The job's vendor.
    pub vendor: Service,
    /// The target fields.
    pub target: TargetForm,
    /// The URL list as typed, when it is at most [`FORM_URLS_MAX`] bytes.
    pub urls: Option<String>,
    /// When it was saved (unix ms): the latest saved job is the one shown after a reload.
    pub saved_at: f64,
}

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

/// Forgets the forms saved with `service`'s job (it finished, or the user discarded it).
pub fn clear_form(service: Service) {
    if let Some(s) = local() {
        let _ = s.remove_item(&form_slot(service));
    }
}

/// Saves the forms a job of `form.vendor` starts from (no connection, hence no key).
pub fn save_form(form: &Form, now_ms: f64) {
    let saved = SavedForm {
        vendor: form.vendor,
        target: form.target.clone(),
        urls: {
            let list = form.list();
            (list.len() <= FORM_URLS_MAX).then(|| list.into_owned())
        },
        saved_at: now_ms,
    };
    if let (Some(s), Ok(text)) = (local(), serde_json::to_string(&saved)) {
        let _ = s.set_item(&form_slot(form.vendor), &text);
    }
}

/// The forms saved with `service`'s job.
pub fn load_form(service: Service) -> Option<SavedForm> {
    let text = local()?.get_item(&form_slot(service)).ok().flatten()?;
    serde_json::from_str(&text).ok()
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
