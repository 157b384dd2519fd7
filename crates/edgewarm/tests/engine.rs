//! The sans-IO job engine driven in its own crate against a small fake vendor written here
//! (answers built as JSON strings), on a simulated clock: planning to the caps and the quota,
//! pacing, retries by error class, tracking task ids to fates, the journal's round trip and its
//! versions, its snapshot + records form (a write costs what the call changed; a kill at any
//! point resumes from them), and resuming after a crash mid-submit without submitting anything
//! twice.

use edgewarm::job::{
    fixtures, BatchState, Fate, Job, JobOptions, JournalError, JournalWrite, Step, JOURNAL_VERSION,
};
use edgewarm::{Credentials, HttpRequest, Operation, Service};
use serde_json::json;
use std::collections::{BTreeMap, HashMap, VecDeque};

const T0: i64 = 1_700_000_000_000;

fn creds() -> Credentials {
    Credentials::new("AKIDFAKE", "fake-secret")
}

fn urls(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("https://www.example.com/a/{i}.js"))
        .collect()
}

/// A task the fake vendor accepted.
struct Task {
    urls: Vec<String>,
}

/// The fake vendor: accepts submits, lists tasks (each URL done at once unless it contains
/// `/fail/`), answers the quota, and plays scripted error answers to submits first.
#[derive(Default)]
struct Fake {
    tasks: BTreeMap<String, Task>,
    next_task: u64,
    /// How often each URL was submitted.
    submitted: HashMap<String, u32>,
    /// (time, action) of every call received.
    log: Vec<(i64, String)>,
    /// Answers given to the next submits instead of accepting them: (status, body).
    submit_script: VecDeque<(u16, String)>,
    /// `(batch, available)` of the quota API; `None` answers a large quota.
    quota: Option<(i64, i64)>,
}

fn tencent_error(code: &str) -> (u16, String) {
    (
        200,
        json!({"Response": {"Error": {"Code": code, "Message": format!("fake {code}")}, "RequestId": "r"}})
            .to_string(),
    )
}

impl Fake {
    /// Knows the tasks of a job (as a vendor that accepted them before a crash would).
    fn knowing(job: &Job) -> Fake {
        let mut fake = Fake::default();
        for b in job.batches() {
            if let Some(t) = &b.task_id {
                let urls = b
                    .urls
                    .iter()
                    .filter_map(|&u| job.urls().get(u as usize))
                    .map(|e| e.send_url().to_string())
                    .collect();
                fake.tasks.insert(t.clone(), Task { urls });
            }
        }
        fake.next_task = 1000;
        fake
    }

    /// The simulated times at which calls of `action` arrived, in order.
    fn times_of(&self, action: &str) -> Vec<i64> {
        self.log
            .iter()
            .filter(|(_, a)| a == action)
            .map(|(t, _)| *t)
            .collect()
    }

    fn accept(&mut self, urls: Vec<String>) -> String {
        self.next_task += 1;
        let id = format!("task-{}", self.next_task);
        for u in &urls {
            *self.submitted.entry(u.clone()).or_default() += 1;
        }
        self.tasks.insert(id.clone(), Task { urls });
        id
    }

    /// (task id, url, done?) rows matching a task id or a URL.
    fn rows(&self, task: Option<&str>, url: Option<&str>) -> Vec<(String, String, bool)> {
        self.tasks
            .iter()
            .filter(|(id, _)| task.is_none_or(|t| t == id.as_str()))
            .flat_map(|(id, t)| t.urls.iter().map(move |u| (id.clone(), u.clone())))
            .filter(|(_, u)| url.is_none_or(|x| x == u))
            .map(|(id, u)| {
                let ok = !u.contains("/fail/");
                (id, u, ok)
            })
            .collect()
    }

    fn handle(&mut self, req: &HttpRequest, now: i64) -> (u16, String) {
        let op = Operation::from_http_request(req).expect("the engine sends valid requests");
        self.log.push((now, op.action().to_string()));
        let is_submit = matches!(
            op,
            Operation::PushUrlsCache(_)
                | Operation::CreatePrefetchTask(_)
                | Operation::PreloadCaches(_)
        );
        if is_submit {
            if let Some(answer) = self.submit_script.pop_front() {
                return answer;
            }
        }
        let (batch, available) = self.quota.unwrap_or((1000, 1_000_000));
        match op {
            Operation::DescribePushQuota(_) => (
                200,
                json!({"Response": {"UrlPush": [{"Area": "mainland", "Batch": batch, "Total": available, "Available": available}], "RequestId": "r"}}).to_string(),
            ),
            Operation::DescribeContentQuota(_) => (
                200,
                json!({"Response": {"PrefetchQuota": [{"Type": "prefetch_url", "Batch": batch, "Daily": available, "DailyAvailable": available}], "RequestId": "r"}}).to_string(),
            ),
            Operation::PushUrlsCache(p) => {
                let id = self.accept(p.urls.unwrap_or_default());
                (200, json!({"Response": {"TaskId": id, "RequestId": "r"}}).to_string())
            }
            Operation::CreatePrefetchTask(p) => {
                let id = self.accept(p.targets.unwrap_or_default());
                (200, json!({"Response": {"JobId": id, "FailedList": [], "RequestId": "r"}}).to_string())
            }
            Operation::PreloadCaches(p) => {
                let id = self.accept(p.content.unwrap_or_default());
                (200, json!({"TaskId": id, "RequestId": "r"}).to_string())
            }
            Operation::DescribePushTasks(p) => {
                let rows = self.rows(p.task_id.as_deref(), p.keyword.as_deref());
                let logs: Vec<_> = rows
                    .iter()
                    .map(|(id, u, ok)| json!({"TaskId": id, "Url": u, "Status": if *ok {"done"} else {"fail"}}))
                    .collect();
                (200, json!({"Response": {"PushLogs": logs, "TotalCount": logs.len(), "RequestId": "r"}}).to_string())
            }
            Operation::DescribePrefetchTasks(p) => {
                let filter = p.0.filters.clone().unwrap_or_default();
                let value = |name: &str| {
                    filter
                        .iter()
                        .find(|f| f.name.as_deref() == Some(name))
                        .and_then(|f| f.values.clone())
                        .and_then(|v| v.into_iter().next())
                };
                let rows = self.rows(value("job-id").as_deref(), value("target").as_deref());
                let tasks: Vec<_> = rows
                    .iter()
                    .map(|(id, u, ok)| json!({"JobId": id, "Target": u, "Type": "prefetch_url", "Status": if *ok {"success"} else {"failed"}, "FailType": if *ok {""} else {"originPullFailed"}}))
                    .collect();
                (200, json!({"Response": {"Tasks": tasks, "TotalCount": tasks.len(), "RequestId": "r"}}).to_string())
            }
            Operation::DescribePreloadTasks(p) => {
                let rows = self.rows(None, p.content.as_deref());
                let page = p.page_number.unwrap_or(1).max(1) as usize;
                let tasks: Vec<_> = rows
                    .iter()
                    .skip((page - 1) * 50)
                    .take(50)
                    .map(|(id, u, ok)| json!({"TaskId": id, "Content": u, "Status": if *ok {"Complete"} else {"Failed"}}))
                    .collect();
                (200, json!({"Tasks": tasks, "TotalCount": rows.len(), "PageNumber": page, "PageSize": 50, "RequestId": "r"}).to_string())
            }
            other => panic!("the fake has no {}", other.action()),
        }
    }
}

/// Runs the job on a simulated clock until done, or until `crash_after` sends (that answer is
/// lost; the vendor did get the call). Returns the clock and whether the job is done.
fn drive(job: &mut Job, fake: &mut Fake, mut now: i64, crash_after: Option<usize>) -> (i64, bool) {
    let c = creds();
    let mut sends = 0;
    for _ in 0..100_000 {
        let mut sent = false;
        let mut wake = None;
        for a in job.next_actions(now, &c) {
            match a {
                Step::Send { call_id, request } => {
                    sent = true;
                    sends += 1;
                    let (status, body) = fake.handle(&request, now);
                    if crash_after.is_some_and(|k| sends >= k) {
                        return (now, false);
                    }
                    job.on_response(call_id, status, body.as_bytes(), now, None);
                }
                Step::Wait { until_ms } => wake = until_ms,
                Step::Done => return (now, true),
            }
        }
        if !sent {
            now = wake.unwrap_or(now + 1).max(now + 1);
        }
    }
    panic!("the job did not finish: {:?}", job.progress(now));
}

fn cdn(options: JobOptions) -> edgewarm::job::JobSpec {
    fixtures::spec_with(Service::Cdn, "AKIDFAKE", options)
}

fn batch_sizes(job: &Job) -> Vec<usize> {
    job.batches().iter().map(|b| b.urls.len()).collect()
}

#[test]
fn plans_batches_to_the_caps_and_defers_over_the_quota() {
    let mut options = JobOptions {
        quota_recheck_ms: 0,
        ..JobOptions::default()
    };
    options.limits.cdn_push_batch = 10;
    let mut job = Job::new(cdn(options), urls(25), 1, T0);
    assert_eq!(batch_sizes(&job), [10, 10, 5], "the configured cap");
    let plan = job.plan_summary();
    assert_eq!((plan.urls, plan.batches, plan.batch_cap), (25, 3, 10));
    // the vendor's cap (4) is lower and 9 URLs are left today
    let mut fake = Fake {
        quota: Some((4, 9)),
        ..Fake::default()
    };
    let (_, done) = drive(&mut job, &mut fake, T0, None);
    assert!(done);
    assert_eq!(fake.log[0].1, "DescribePushQuota", "the quota first");
    assert!(job.batches().iter().all(|b| b.urls.len() <= 4));
    let p = job.progress(T0);
    assert_eq!((p.succeeded, p.deferred), (9, 16), "{p:?}");
    assert_eq!(fake.submitted.len(), 9, "nothing over the quota was sent");
    assert!(job
        .batches()
        .iter()
        .any(|b| b.state == BatchState::Deferred));
}

#[test]
fn paces_submits_at_the_rate_in_simulated_time() {
    let mut options = JobOptions {
        rate_per_sec: 5.0,
        use_quota_api: false,
        ..JobOptions::default()
    };
    options.limits.cdn_push_batch = 1;
    let mut job = Job::new(cdn(options), urls(30), 1, T0);
    let mut fake = Fake::default();
    assert!(drive(&mut job, &mut fake, T0, None).1);
    let submits = fake.times_of("PushUrlsCache");
    assert_eq!(submits.len(), 30);
    for (i, t) in submits.iter().enumerate() {
        let in_window = submits[i..].iter().take_while(|u| **u < t + 1000).count();
        assert!(in_window <= 5, "{in_window} submits within 1 s from {t}");
    }
    assert!(
        submits[29] - submits[0] >= 29 * 200,
        "29 intervals of 200 ms"
    );
}

#[test]
fn retries_retryable_classes_with_back_off_and_not_the_others() {
    let mut options = JobOptions {
        use_quota_api: false,
        ..JobOptions::default()
    };
    options.limits.cdn_push_batch = 5;
    // a server error twice, a throttling answer, then accepted
    let mut job = Job::new(cdn(options.clone()), urls(5), 1, T0);
    let mut fake = Fake::default();
    fake.submit_script.extend([
        tencent_error("InternalError"),
        tencent_error("InternalError"),
        tencent_error("RequestLimitExceeded"),
    ]);
    assert!(drive(&mut job, &mut fake, T0, None).1);
    let submits = fake.times_of("PushUrlsCache");
    assert_eq!(submits.len(), 4, "three refusals, then accepted");
    let gaps: Vec<i64> = submits.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps[0] >= 250, "back-off after a server error: {gaps:?}");
    assert!(gaps[1] >= gaps[0] / 2, "and it grows: {gaps:?}");
    assert_eq!(job.progress(T0).succeeded, 5);
    assert_eq!(job.action_stats()["PushUrlsCache"].throttled, 1);
    assert_eq!(fake.submitted.values().max(), Some(&1), "accepted once");

    // a refusal of the input is final: the batch fails with the code, never resent
    let mut job = Job::new(cdn(options), urls(5), 1, T0);
    let mut fake = Fake::default();
    fake.submit_script
        .push_back(tencent_error("InvalidParameter.CdnParamError"));
    assert!(drive(&mut job, &mut fake, T0, None).1);
    assert_eq!(fake.log.len(), 1, "sent once");
    assert!(job.urls().iter().all(|u| matches!(
        &u.fate,
        Fate::Failed(f) if f.code == "InvalidParameter.CdnParamError"
    )));
}

#[test]
fn tracks_task_ids_to_fates() {
    for service in Service::ALL {
        let mut options = JobOptions::default();
        options.limits.teo_prefetch_batch = 3;
        options.limits.cdn_push_batch = 3;
        options.limits.esa_preload_batch = 3;
        let spec = fixtures::spec_with(service, "AKIDFAKE", options);
        let mut list = urls(6);
        list.push("https://www.example.com/fail/x.js".into());
        let mut job = Job::new(spec, list, 3, T0);
        let mut fake = Fake::default();
        // once a submit is answered, its URLs carry its task id
        let c = creds();
        let mut now = T0;
        while job.progress(now).submitted == 0 {
            for a in job.next_actions(now, &c) {
                if let Step::Send { call_id, request } = a {
                    let (st, body) = fake.handle(&request, now);
                    job.on_response(call_id, st, body.as_bytes(), now, None);
                }
            }
            now += 10;
        }
        for b in job.batches().iter().filter(|b| b.task_id.is_some()) {
            for &u in &b.urls {
                assert_eq!(
                    job.urls()[u as usize].fate,
                    Fate::Submitted {
                        task_id: b.task_id.clone().unwrap()
                    },
                    "{service}"
                );
            }
        }
        let (_, done) = drive(&mut job, &mut fake, now, None);
        assert!(done, "{service}");
        for b in job.batches() {
            let task = b.task_id.as_ref().expect("every batch has its task");
            assert!(fake.tasks.contains_key(task), "{service}: {task}");
        }
        let p = job.progress(now);
        assert_eq!((p.succeeded, p.failed), (6, 1), "{service}: {p:?}");
        let failed = job
            .urls()
            .iter()
            .find(|u| u.url.contains("/fail/"))
            .unwrap();
        assert!(matches!(failed.fate, Fate::Failed(_)), "{service}");
        assert_eq!(
            fake.submitted.values().max(),
            Some(&1),
            "{service}: no URL twice"
        );
    }
}

#[test]
fn the_journal_round_trips_with_its_version() {
    let mut options = JobOptions::default();
    options.limits.cdn_push_batch = 4;
    let mut job = Job::new(cdn(options), urls(10), 9, T0);
    let mut fake = Fake::default();
    drive(&mut job, &mut fake, T0, Some(3));
    let text = job.journal().unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["version"], JOURNAL_VERSION);
    let resumed = Job::resume(&text).unwrap();
    assert_eq!(resumed.urls(), job.urls());
    assert_eq!(resumed.spec(), job.spec());
    assert_eq!(
        resumed.calls_in_flight(),
        0,
        "calls in flight are forgotten"
    );
    // a resumed job writes the same journal again
    let again = Job::resume(&resumed.journal().unwrap()).unwrap();
    assert_eq!(again, resumed);
    // a journal without a halt (written before it could say none) reads as not halted; the
    // parts it must hold are still required
    let mut no_halt = value.clone();
    no_halt.as_object_mut().unwrap().remove("halted");
    assert_eq!(Job::resume(&no_halt.to_string()).unwrap(), resumed);
    let mut no_pacer = value.clone();
    no_pacer.as_object_mut().unwrap().remove("pacer");
    let e = Job::resume(&no_pacer.to_string()).unwrap_err();
    assert!(e.to_string().contains("missing field `pacer`"), "{e}");
    // a newer version is refused, saying so
    let mut newer = value.clone();
    newer["version"] = json!(JOURNAL_VERSION + 1);
    assert_eq!(
        Job::resume(&newer.to_string()),
        Err(JournalError::UnsupportedVersion {
            found: JOURNAL_VERSION + 1,
            supported: JOURNAL_VERSION
        })
    );
    let mut odd = value.clone();
    odd["version"] = json!("two");
    assert!(matches!(
        Job::resume(&odd.to_string()),
        Err(JournalError::Invalid { field, .. }) if field == "version"
    ));
    // a batch naming a URL the job does not have is refused with the field
    let mut bad = value;
    bad["batches"][0]["urls"][0] = json!(99);
    let e = Job::resume(&bad.to_string()).unwrap_err();
    assert!(
        matches!(&e, JournalError::Invalid { field, .. } if field == "batches[0].urls[0]"),
        "{e}"
    );
    assert!(e.to_string().contains("out of range"), "{e}");
    // a time the engine's arithmetic would overflow on is refused, not run
    let mut far: serde_json::Value = serde_json::from_str(&text).unwrap();
    far["createdMs"] = json!(i64::MIN);
    assert!(matches!(
        Job::resume(&far.to_string()),
        Err(JournalError::Invalid { field, .. }) if field == "createdMs"
    ));
}

#[test]
fn resumes_after_a_crash_mid_submit_without_submitting_twice() {
    for arrived in [true, false] {
        let mut options = JobOptions::default();
        options.limits.cdn_push_batch = 4;
        let mut job = Job::new(cdn(options), urls(12), 5, T0);
        let mut fake = Fake::default();
        let c = creds();
        // the quota, then the first submit: the journal is written ahead of the send
        let mut now = T0;
        let mut journal = None;
        'run: for _ in 0..100 {
            for a in job.next_actions(now, &c) {
                if let Step::Send { call_id, request } = a {
                    let action = Operation::from_http_request(&request).unwrap();
                    if action.action() == "PushUrlsCache" {
                        journal = Some(job.journal().unwrap());
                        if arrived {
                            fake.handle(&request, now);
                        }
                        break 'run;
                    }
                    let (s, b) = fake.handle(&request, now);
                    job.on_response(call_id, s, b.as_bytes(), now, None);
                }
            }
            now += 100;
        }
        let mut job = Job::resume(&journal.expect("a submit was sent")).unwrap();
        assert!(job
            .batches()
            .iter()
            .any(|b| b.state == BatchState::Reconcile));
        let (_, done) = drive(&mut job, &mut fake, now + 1000, None);
        assert!(done);
        assert_eq!(job.progress(now).succeeded, 12, "arrived: {arrived}");
        assert_eq!(fake.submitted.len(), 12);
        assert_eq!(
            fake.submitted.values().max(),
            Some(&1),
            "arrived: {arrived}: no URL submitted twice"
        );
    }
}

/// Journals written by the engine before journals had a version still resume and finish.
#[test]
fn version_1_journals_still_resume_and_finish() {
    let fixtures = [
        (Service::Teo, include_str!("fixtures/journal_v1_teo.json")),
        (Service::Cdn, include_str!("fixtures/journal_v1_cdn.json")),
        (Service::Esa, include_str!("fixtures/journal_v1_esa.json")),
    ];
    for (service, text) in fixtures {
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert!(
            value.get("version").is_none(),
            "a v1 journal has no version"
        );
        let mut job = Job::resume(text).unwrap_or_else(|e| panic!("{service}: {e}"));
        assert_eq!(job.spec().target.service(), service);
        let mut fake = Fake::knowing(&job);
        let before = fake.tasks.len();
        let (end, done) = drive(&mut job, &mut fake, T0 + 10_000, None);
        assert!(done, "{service}");
        let p = job.progress(end);
        assert_eq!(
            (p.succeeded, p.invalid, p.total),
            (11, 1, 12),
            "{service}: {p:?}"
        );
        let known: usize = fake.tasks.values().take(before).map(|t| t.urls.len()).sum();
        assert!(
            fake.submitted.keys().all(|u| !fake
                .tasks
                .values()
                .take(before)
                .any(|t| t.urls.contains(u))),
            "{service}: URLs of the {known} known tasks were not submitted again"
        );
        let resumed = job.journal().unwrap();
        assert!(resumed.contains(&format!("\"version\":{JOURNAL_VERSION}")));
    }
}

/// The journal as a shell keeps it: a snapshot replaces every line, a record is appended.
fn keep(lines: &mut Vec<String>, w: JournalWrite) -> usize {
    match w {
        JournalWrite::Snapshot(t) => {
            *lines = vec![t];
            0
        }
        JournalWrite::Record(t) => {
            let n = t.len();
            lines.push(t);
            n
        }
    }
}

/// A 20 000-URL job writes its journal before every round of sends: a snapshot first, then
/// records whose size follows the call (a batch of 1 000 URLs), not the job; compaction keeps
/// the total within a small multiple of the records. Killed after any send, it resumes from
/// the snapshot + records with no URL submitted twice, and finishes.
#[test]
fn journal_records_cost_the_call_and_resume_from_any_kill() {
    let n = 20_000;
    let job0 = Job::new(cdn(JobOptions::default()), urls(n), 3, T0);
    let whole = job0.journal().unwrap().len();
    for kill in [1, 2, 5, 9, 14, 21] {
        let mut job = job0.clone();
        let mut fake = Fake::default();
        let c = creds();
        let mut lines = Vec::new();
        let (mut sends, mut written, mut largest_record) = (0, 0, 0);
        let mut now = T0;
        'run: for _ in 0..100_000 {
            let actions = job.next_actions(now, &c);
            let w = job.journal_update().unwrap();
            written += w.text().len();
            largest_record = largest_record.max(keep(&mut lines, w));
            let mut sent = false;
            let mut wake = None;
            for a in actions {
                match a {
                    Step::Send { call_id, request } => {
                        sent = true;
                        sends += 1;
                        let (s, b) = fake.handle(&request, now);
                        if sends >= kill {
                            break 'run;
                        }
                        job.on_response(call_id, s, b.as_bytes(), now, None);
                    }
                    Step::Wait { until_ms } => wake = until_ms,
                    Step::Done => break 'run,
                }
            }
            if !sent {
                now = wake.unwrap_or(now + 1).max(now + 1);
            }
        }
        assert!(
            lines.len() > 1 || kill <= 2,
            "kill {kill}: records were written"
        );
        // a record holds one batch of 1 000 URLs and a small head: far below the job
        assert!(
            largest_record < whole / 8,
            "kill {kill}: a record of {largest_record} bytes against a job of {whole}"
        );
        assert!(written < 3 * whole, "kill {kill}: {written} bytes written");
        let mut resumed = Job::resume(&lines.join("\n")).unwrap();
        let (_, done) = drive(&mut resumed, &mut fake, now + 1000, None);
        assert!(done, "kill {kill}");
        assert_eq!(resumed.progress(now).succeeded, n, "kill {kill}");
        assert_eq!(fake.submitted.len(), n);
        assert_eq!(
            fake.submitted.values().max(),
            Some(&1),
            "kill {kill}: no URL submitted twice"
        );
    }
}

/// A torn last record is ignored; a damaged earlier one, a record of another snapshot and one
/// out of sequence are refused naming the record; a resumed job starts a new snapshot.
#[test]
fn journal_records_refuse_what_does_not_follow_their_snapshot() {
    let mut options = JobOptions::default();
    options.limits.cdn_push_batch = 4;
    let mut job = Job::new(cdn(options), urls(20), 9, T0);
    let mut fake = Fake::default();
    let c = creds();
    let mut lines = Vec::new();
    let mut now = T0;
    for _ in 0..6 {
        let actions = job.next_actions(now, &c);
        keep(&mut lines, job.journal_update().unwrap());
        for a in actions {
            if let Step::Send { call_id, request } = a {
                let (s, b) = fake.handle(&request, now);
                job.on_response(call_id, s, b.as_bytes(), now, None);
            }
        }
        now += 1_000;
    }
    assert!(lines.len() >= 4, "{} lines", lines.len());
    let whole = |l: &[String]| l.join("\n");
    let full = Job::resume(&whole(&lines)).unwrap();
    // torn: the last record cut anywhere is ignored, giving the job before it
    let before = Job::resume(&whole(&lines[..lines.len() - 1])).unwrap();
    let last = lines.last().unwrap().clone();
    for cut in [1, last.len() / 2, last.len() - 1] {
        let mut torn = lines.clone();
        *torn.last_mut().unwrap() = last[..cut].to_string();
        assert_eq!(Job::resume(&whole(&torn)).unwrap(), before, "cut at {cut}");
    }
    assert_ne!(full, before);
    // a damaged record before the last is refused
    let mut damaged = lines.clone();
    damaged[1] = damaged[1][..10].to_string();
    let e = Job::resume(&whole(&damaged)).unwrap_err();
    assert!(
        matches!(&e, JournalError::Invalid { field, .. } if field == "records[0]"),
        "{e}"
    );
    // out of sequence
    let mut skipped = lines.clone();
    skipped.remove(1);
    let e = Job::resume(&whole(&skipped)).unwrap_err();
    assert!(
        e.to_string().contains("number 2 where number 1 comes next"),
        "{e}"
    );
    // a record of another snapshot
    let mut resumed = Job::resume(&whole(&lines)).unwrap();
    let JournalWrite::Snapshot(next) = resumed.journal_update().unwrap() else {
        panic!("a resumed job starts with a snapshot");
    };
    let mut mixed = vec![next];
    mixed.extend(lines[1..].iter().cloned());
    let e = Job::resume(&whole(&mixed)).unwrap_err();
    assert!(e.to_string().contains("belongs to snapshot"), "{e}");
    assert!(e.to_string().contains("but follows snapshot"), "{e}");
    // resume_parts reads the same as the joined text
    assert_eq!(
        Job::resume_parts(&lines[0], lines[1..].iter().map(String::as_str)).unwrap(),
        full
    );
}
