//! Where each vendor's running job is kept so a reload resumes it: IndexedDB, because a large
//! job's journal outgrows localStorage (about 5 MB per origin in Chromium) and because the
//! journal is a snapshot plus append-only records, and appending a record to IndexedDB costs
//! that record, not the whole job. One database, `edgewarm`: the store `snapshots` (key: the
//! vendor's name) and one auto-incremented store of records per vendor (`records.<vendor>`, in
//! append order). A snapshot write clears that vendor's records in the same transaction, so a
//! reader sees the old snapshot with its records or the new one alone, never a mix. Every write
//! waits for its transaction's `complete` (durability `strict`: on disk) before the runner
//! sends; any refusal (quota, private mode, an aborted transaction) is returned as a
//! [`StorageError`] and stops the run. Journals of earlier versions, kept in localStorage, are
//! moved here once when read. The secret key is never in a journal (the core leaves it out).

use edgewarm::job::JournalWrite;
use edgewarm::Service;
use futures::channel::oneshot;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

const DB: &str = "edgewarm";
const VERSION: u32 = 1;
const SNAPSHOTS: &str = "snapshots";

/// localStorage slots of earlier versions: one per vendor, and before that a single one.
const LEGACY_SLOT: &str = "edgewarm.journal";

fn legacy_slot(service: Service) -> String {
    format!("edgewarm.journal.{}", service.name())
}

/// A localStorage mark, set at once when the user discards a job, so a reload that comes before
/// the (asynchronous) IndexedDB delete has committed does not offer the job again.
fn discarded_slot(service: Service) -> String {
    format!("edgewarm.discarded.{}", service.name())
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn records_store(service: Service) -> String {
    format!("records.{}", service.name())
}

/// A job as kept: its last snapshot and the records written after it, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The last snapshot.
    pub snapshot: String,
    /// The records after it, oldest first.
    pub records: Vec<String>,
}

/// Why the browser did not keep the journal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// No IndexedDB here (some private modes, old browsers, a sandboxed frame).
    #[error("this browser gives no IndexedDB ({0})")]
    Unavailable(String),
    /// The origin's storage quota is used up.
    #[error("the browser's storage for this page is full (QuotaExceededError{0})")]
    Quota(String),
    /// The browser refused or aborted the write.
    #[error("the browser refused to save the job ({0})")]
    Refused(String),
}

/// The browser's words for a failure: `Name: message`, or what `what` was doing.
fn reason(e: &JsValue, what: &str) -> String {
    if let Some(d) = e.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", d.name(), d.message());
    }
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return format!(
            "{}: {}",
            String::from(err.name()),
            String::from(err.message())
        );
    }
    e.as_string().unwrap_or_else(|| format!("{what} failed"))
}

fn classify(e: &JsValue, what: &str) -> StorageError {
    let why = reason(e, what);
    if why.starts_with("QuotaExceededError") {
        let rest = why.trim_start_matches("QuotaExceededError");
        StorageError::Quota(rest.to_string())
    } else {
        StorageError::Refused(why)
    }
}

/// Resolves when `target`'s `ok` event fires (`Ok`) or one of `fail` does (`Err`, from `error`).
async fn event<T: AsRef<web_sys::EventTarget>>(
    target: &T,
    ok: &str,
    fail: &[&str],
    error: impl Fn() -> JsValue + 'static,
) -> Result<(), JsValue> {
    let (tx, rx) = oneshot::channel::<Result<(), JsValue>>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let done = {
        let tx = tx.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(Ok(()));
            }
        })
    };
    let failed = {
        let tx = tx.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(Err(error()));
            }
        })
    };
    let target = target.as_ref();
    let _ = target.add_event_listener_with_callback(ok, done.as_ref().unchecked_ref());
    for f in fail {
        let _ = target.add_event_listener_with_callback(f, failed.as_ref().unchecked_ref());
    }
    let out = rx
        .await
        .unwrap_or_else(|_| Err(JsValue::from_str("the browser dropped the request")));
    let _ = target.remove_event_listener_with_callback(ok, done.as_ref().unchecked_ref());
    for f in fail {
        let _ = target.remove_event_listener_with_callback(f, failed.as_ref().unchecked_ref());
    }
    out
}

/// The result of `request` once it succeeded.
async fn request(request: web_sys::IdbRequest) -> Result<JsValue, JsValue> {
    let r = request.clone();
    event(&request, "success", &["error"], move || {
        r.error()
            .ok()
            .flatten()
            .map(JsValue::from)
            .unwrap_or_else(|| JsValue::from_str("request failed"))
    })
    .await?;
    request.result()
}

/// Waits until `tx` is committed (`complete`), or says why it was not (`error`, `abort`).
async fn committed(tx: web_sys::IdbTransaction) -> Result<(), StorageError> {
    let t = tx.clone();
    event(&tx, "complete", &["abort", "error"], move || {
        t.error()
            .map(JsValue::from)
            .unwrap_or_else(|| JsValue::from_str("AbortError: the transaction was aborted"))
    })
    .await
    .map_err(|e| classify(&e, "saving the job"))
}

thread_local! {
    static OPEN: RefCell<Option<web_sys::IdbDatabase>> = const { RefCell::new(None) };
}

/// The database, opened (and its stores made) once per page.
async fn database() -> Result<web_sys::IdbDatabase, StorageError> {
    if let Some(db) = OPEN.with(|o| o.borrow().clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .ok_or_else(|| StorageError::Unavailable("no window".into()))?
        .indexed_db()
        .map_err(|e| StorageError::Unavailable(reason(&e, "opening IndexedDB")))?
        .ok_or_else(|| StorageError::Unavailable("indexedDB is null".into()))?;
    let open = factory
        .open_with_u32(DB, VERSION)
        .map_err(|e| StorageError::Unavailable(reason(&e, "opening IndexedDB")))?;
    let upgrade = {
        let open = open.clone();
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let Ok(db) = open.result() else { return };
            let db: web_sys::IdbDatabase = db.unchecked_into();
            let names = db.object_store_names();
            if !names.contains(SNAPSHOTS) {
                let _ = db.create_object_store(SNAPSHOTS);
            }
            for service in Service::ALL {
                let name = records_store(service);
                if !names.contains(&name) {
                    let params = web_sys::IdbObjectStoreParameters::new();
                    params.set_auto_increment(true);
                    let _ = db.create_object_store_with_optional_parameters(&name, &params);
                }
            }
        })
    };
    open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = request(open.clone().unchecked_into()).await;
    open.set_onupgradeneeded(None);
    drop(upgrade);
    let db: web_sys::IdbDatabase = result
        .map_err(|e| StorageError::Unavailable(reason(&e, "opening IndexedDB")))?
        .unchecked_into();
    OPEN.with(|o| *o.borrow_mut() = Some(db.clone()));
    Ok(db)
}

/// A read-write transaction over `stores`, durable: `complete` fires once it is on disk.
fn write_transaction(
    db: &web_sys::IdbDatabase,
    stores: &[&str],
) -> Result<web_sys::IdbTransaction, StorageError> {
    let names = js_sys::Array::new();
    for s in stores {
        names.push(&JsValue::from_str(s));
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"durability".into(), &"strict".into());
    // IDBDatabase.transaction(names, mode, options): called through the object, as the
    // options argument is not in web-sys's stable API
    let f: js_sys::Function = js_sys::Reflect::get(db, &"transaction".into())
        .map_err(|e| classify(&e, "saving the job"))?
        .dyn_into()
        .map_err(|_| StorageError::Unavailable("IDBDatabase.transaction is missing".into()))?;
    let args = js_sys::Array::of3(&names, &"readwrite".into(), &options);
    f.apply(db, &args)
        .map_err(|e| classify(&e, "saving the job"))
        .map(|t| t.unchecked_into())
}

fn store(
    tx: &web_sys::IdbTransaction,
    name: &str,
) -> Result<web_sys::IdbObjectStore, StorageError> {
    tx.object_store(name)
        .map_err(|e| classify(&e, "saving the job"))
}

/// Keeps `write` for `service`, on disk, before the runner sends anything.
pub async fn write(service: Service, write: &JournalWrite) -> Result<(), StorageError> {
    let db = database().await?;
    let records = records_store(service);
    let tx = write_transaction(&db, &[SNAPSHOTS, &records])?;
    let done = committed(tx.clone());
    let (snapshots, records) = (store(&tx, SNAPSHOTS)?, store(&tx, &records)?);
    let put = match write {
        JournalWrite::Snapshot(text) => records.clear().and_then(|_| {
            snapshots.put_with_key(&JsValue::from_str(text), &JsValue::from_str(service.name()))
        }),
        JournalWrite::Record(text) => records.add(&JsValue::from_str(text)),
    };
    if let Err(e) = put {
        let _ = tx.abort();
        let _ = done.await;
        return Err(classify(&e, "saving the job"));
    }
    done.await?;
    if matches!(write, JournalWrite::Snapshot(_)) {
        // a new job's first snapshot replaced whatever a discard meant to delete
        if let Some(l) = local() {
            let _ = l.remove_item(&discarded_slot(service));
        }
    }
    Ok(())
}

/// `service`'s kept job, if any (a journal of an earlier version, in localStorage, is moved
/// here first, then deleted there).
pub async fn load(service: Service) -> Result<Option<Saved>, StorageError> {
    if local().is_some_and(|l| {
        l.get_item(&discarded_slot(service))
            .ok()
            .flatten()
            .is_some()
    }) {
        clear(service).await?;
        return Ok(None);
    }
    migrate_legacy(service).await?;
    let db = database().await?;
    let records = records_store(service);
    let names = js_sys::Array::of2(&SNAPSHOTS.into(), &JsValue::from_str(&records));
    let tx = db
        .transaction_with_str_sequence(&names)
        .map_err(|e| classify(&e, "reading the saved job"))?;
    let snapshot = request(
        store(&tx, SNAPSHOTS)?
            .get(&JsValue::from_str(service.name()))
            .map_err(|e| classify(&e, "reading the saved job"))?,
    )
    .await
    .map_err(|e| classify(&e, "reading the saved job"))?;
    let Some(snapshot) = snapshot.as_string() else {
        return Ok(None);
    };
    let all = request(
        store(&tx, &records)?
            .get_all()
            .map_err(|e| classify(&e, "reading the saved job"))?,
    )
    .await
    .map_err(|e| classify(&e, "reading the saved job"))?;
    let records = js_sys::Array::from(&all)
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    Ok(Some(Saved { snapshot, records }))
}

/// Moves a journal an earlier version kept in localStorage into IndexedDB (as a snapshot, unless
/// one is there already), then deletes it there.
async fn migrate_legacy(service: Service) -> Result<(), StorageError> {
    let Some(local) = local() else {
        return Ok(());
    };
    if let Ok(Some(old)) = local.get_item(LEGACY_SLOT) {
        // the single slot of the first versions: its job names its vendor
        if let Ok(job) = edgewarm::job::Job::resume(&old) {
            let _ = local.set_item(&legacy_slot(job.spec().target.service()), &old);
        }
        let _ = local.remove_item(LEGACY_SLOT);
    }
    let Ok(Some(old)) = local.get_item(&legacy_slot(service)) else {
        return Ok(());
    };
    write(service, &JournalWrite::Snapshot(old)).await?;
    let _ = local.remove_item(&legacy_slot(service));
    Ok(())
}

/// The user discarded `service`'s kept job: it is not offered again from now on (marked at
/// once), and deleted from IndexedDB in the background; `failed` hears why when it could not be.
pub fn discard(service: Service, failed: impl FnOnce(StorageError) + 'static) {
    if let Some(l) = local() {
        let _ = l.set_item(&discarded_slot(service), "1");
    }
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = clear(service).await {
            failed(e);
        }
    });
}

/// Forgets `service`'s kept job (finished, or discarded).
pub async fn clear(service: Service) -> Result<(), StorageError> {
    let db = database().await?;
    let records = records_store(service);
    let tx = write_transaction(&db, &[SNAPSHOTS, &records])?;
    let done = committed(tx.clone());
    let (snapshots, records) = (store(&tx, SNAPSHOTS)?, store(&tx, &records)?);
    let cleared = records
        .clear()
        .and_then(|_| snapshots.delete(&JsValue::from_str(service.name())));
    if let Err(e) = cleared {
        let _ = tx.abort();
        let _ = done.await;
        return Err(classify(&e, "forgetting the job"));
    }
    done.await?;
    if let Some(l) = local() {
        let _ = l.remove_item(&discarded_slot(service));
    }
    Ok(())
}

/// The job `saved` keeps (a torn last record is ignored by the core).
pub fn resume(saved: &Saved) -> Result<edgewarm::job::Job, edgewarm::job::JournalError> {
    edgewarm::job::Job::resume_parts(&saved.snapshot, saved.records.iter().map(String::as_str))
}
