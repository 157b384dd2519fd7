//! # edgewarm-driver — the job engine's native shell
//!
//! Runs a [`Job`] with tokio and reqwest: sends what [`Job::next_actions`] asks for, concurrently,
//! sleeps until the engine's next wake-up, feeds every answer (with its `Date` header) or
//! transport failure back, and writes the journal ahead of every send so a crash can resume
//! without resubmitting. All decisions stay in the core; this file only moves bytes and time.
//!
//! The journal names every URL and task of a run: it is written owner-only (0600) through a
//! fresh, randomly named temp file in the same directory, created exclusively (a file or
//! symlink planted there makes that name fail, it is never followed), synced, then renamed.

use edgewarm::job::{Job, JournalWrite, Progress, Step, TransportError};
use edgewarm::{Credentials, HttpRequest, Method};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc;

/// Where requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// `https://<vendor host>/` (the real clouds).
    Vendor,
    /// A sandbox that routes by Host: `<base>/` with the vendor `Host` header.
    Direct {
        /// `http://127.0.0.1:PORT`.
        base: String,
    },
    /// The edgewarm proxy: `<base>/api/<vendor host>/`.
    Proxy {
        /// `http://127.0.0.1:8787`.
        base: String,
    },
}

/// How to run.
#[derive(Debug, Clone)]
pub struct DriverConfig {
    /// Where requests go.
    pub transport: Transport,
    /// Added to the machine clock (tests: a client clock that is off).
    pub clock_skew_ms: i64,
    /// Write the journal here (atomically) before every send and at the end.
    pub journal: Option<PathBuf>,
    /// How long one call may take, answer included, before it counts as a transport failure.
    pub timeout: Duration,
    /// Stop (as if killed) after this many sends; in-flight requests still reach the server.
    pub stop_after_sends: Option<u64>,
}

impl DriverConfig {
    /// Defaults for a transport.
    pub fn new(transport: Transport) -> DriverConfig {
        DriverConfig {
            transport,
            clock_skew_ms: 0,
            journal: None,
            timeout: Duration::from_secs(30),
            stop_after_sends: None,
        }
    }
}

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum DriverError {
    /// The journal could not be written.
    #[error("cannot write the journal {path}: {source}")]
    Journal {
        /// The journal's path.
        path: String,
        /// Why the write failed.
        source: std::io::Error,
    },
    /// The job could not be written as a journal.
    #[error(transparent)]
    Serialise(#[from] edgewarm::job::JournalError),
    /// Stopped by `stop_after_sends` (a simulated crash).
    #[error("stopped after {0} sends")]
    Stopped(u64),
    /// The HTTP client could not be built (never replaced by a default client, which would
    /// follow redirects and have no timeout).
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

fn now_ms(skew: i64) -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
        + skew
}

enum Outcome {
    Answer {
        status: u16,
        body: Vec<u8>,
        date_ms: Option<i64>,
    },
    Failed(TransportError),
}

async fn send(client: &reqwest::Client, transport: &Transport, req: HttpRequest) -> Outcome {
    let url = match transport {
        Transport::Vendor => req.url(),
        Transport::Direct { base } => {
            format!("{}{}{}", base.trim_end_matches('/'), req.path, query(&req))
        }
        Transport::Proxy { base } => format!(
            "{}/api/{}{}{}",
            base.trim_end_matches('/'),
            req.host,
            req.path,
            query(&req)
        ),
    };
    let method = match req.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
    };
    let mut rb = client.request(method, url);
    if matches!(transport, Transport::Direct { .. }) {
        rb = rb.header("host", &req.host);
    }
    for (n, v) in &req.headers {
        rb = rb.header(n, v);
    }
    let resp = match rb.body(req.body).send().await {
        Ok(r) => r,
        Err(e) if e.is_connect() => return Outcome::Failed(TransportError::NotSent),
        Err(_) => return Outcome::Failed(TransportError::Unknown),
    };
    let status = resp.status().as_u16();
    let date_ms = resp
        .headers()
        .get("date")
        .and_then(|d| d.to_str().ok())
        .and_then(|d| httpdate::parse_http_date(d).ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as i64);
    match resp.bytes().await {
        Ok(body) => Outcome::Answer {
            status,
            body: body.to_vec(),
            date_ms,
        },
        Err(_) => Outcome::Failed(TransportError::Unknown),
    }
}

fn query(req: &HttpRequest) -> String {
    if req.query.is_empty() {
        String::new()
    } else {
        format!("?{}", req.query)
    }
}

/// Writes the job's next journal update: a snapshot replaces the file (see [`write_private`]),
/// a record is appended to it and synced — O(that call), before the call is sent.
fn write_journal(path: &Path, job: &mut Job) -> Result<(), DriverError> {
    let written = match job.journal_update()? {
        JournalWrite::Snapshot(text) => write_private(path, format!("{text}\n").as_bytes()),
        JournalWrite::Record(text) => append_private(path, format!("{text}\n").as_bytes()),
    };
    written.map_err(|source| DriverError::Journal {
        path: path.display().to_string(),
        source,
    })
}

/// Appends `bytes` to the existing file `path` and syncs it. Nothing is created, and on Unix
/// a symlink at `path` is refused (`O_NOFOLLOW`), never followed.
pub fn append_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_data()
}

/// A random 64-bit value from the standard library's per-process OS-seeded hasher keys, mixed
/// with a counter and the clock so that successive names differ.
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(std::process::id());
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// Replaces `path` with `bytes`, atomically and owner-only: a temp file with a random name in
/// the same directory, created exclusively with mode 0600 (`O_CREAT | O_EXCL`: an existing
/// file or symlink at that name is an error, never followed), written, synced, then renamed
/// over `path`. Used for the journal, which lists every URL and task of a run.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    let name = path
        .file_name()
        .ok_or_else(|| Error::new(ErrorKind::InvalidInput, "the path names no file"))?
        .to_string_lossy()
        .into_owned();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    for _ in 0..16 {
        let tmp = dir.join(format!(".{name}.{:016x}.tmp", random_u64()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = match options.open(&tmp) {
            Ok(f) => f,
            Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        let written = file
            .write_all(bytes)
            .and_then(|()| file.sync_all())
            .and_then(|()| std::fs::rename(&tmp, path));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        } else if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        return written;
    }
    Err(Error::new(
        ErrorKind::AlreadyExists,
        "no free temp name next to the file after 16 tries",
    ))
}

/// Runs `job` to the end (every URL final, or halted). `on_progress` is called after every
/// answer.
pub async fn run(
    job: &mut Job,
    creds: &Credentials,
    config: &DriverConfig,
    mut on_progress: impl FnMut(&Progress),
) -> Result<(), DriverError> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(config.timeout)
        .pool_max_idle_per_host(64)
        .build()
        .map_err(|e| DriverError::Client(e.to_string()))?;
    let (tx, mut rx) = mpsc::unbounded_channel::<(u64, Outcome)>();
    let mut sends = 0u64;
    loop {
        let now = now_ms(config.clock_skew_ms);
        let actions = job.next_actions(now, creds);
        let mut wake = None;
        let mut done = false;
        let has_sends = actions.iter().any(|a| matches!(a, Step::Send { .. }));
        if has_sends {
            if let Some(path) = &config.journal {
                write_journal(path, job)?;
            }
        }
        for action in actions {
            match action {
                Step::Send { call_id, request } => {
                    sends += 1;
                    let (client, transport, tx) =
                        (client.clone(), config.transport.clone(), tx.clone());
                    tokio::spawn(async move {
                        let outcome = send(&client, &transport, request).await;
                        let _ = tx.send((call_id, outcome));
                    });
                    if config.stop_after_sends.is_some_and(|s| sends >= s) {
                        return Err(DriverError::Stopped(sends));
                    }
                }
                Step::Wait { until_ms } => wake = until_ms,
                Step::Done => done = true,
            }
        }
        if done {
            if let Some(path) = &config.journal {
                write_journal(path, job)?;
            }
            return Ok(());
        }
        if has_sends {
            // more may be sendable right away (other buckets); go round once more
            tokio::task::yield_now().await;
            while let Ok((id, outcome)) = rx.try_recv() {
                feed(job, id, outcome, config.clock_skew_ms);
            }
            continue;
        }
        let sleep = match wake {
            Some(t) => Duration::from_millis((t - now_ms(config.clock_skew_ms)).max(0) as u64),
            None => Duration::from_secs(3600),
        };
        tokio::select! {
            msg = rx.recv() => {
                if let Some((id, outcome)) = msg {
                    feed(job, id, outcome, config.clock_skew_ms);
                    while let Ok((id, outcome)) = rx.try_recv() {
                        feed(job, id, outcome, config.clock_skew_ms);
                    }
                    on_progress(&job.progress(now_ms(config.clock_skew_ms)));
                }
            }
            _ = tokio::time::sleep(sleep) => {}
        }
    }
}

fn feed(job: &mut Job, id: u64, outcome: Outcome, skew: i64) {
    let now = now_ms(skew);
    match outcome {
        Outcome::Answer {
            status,
            body,
            date_ms,
        } => job.on_response(id, status, &body, now, date_ms),
        Outcome::Failed(kind) => job.on_transport_error(id, kind, now),
    }
}
