//! A bad host never sinks good URLs, seen from the engine alone with canned vendor answers: a
//! batch refused for a host (even with a code of the authorisation class, which would otherwise
//! halt the job) is split by host, the refused host's URLs fail with a reason naming it and the
//! vendor's code in English first, the others are accepted; journals of version 3 resume with no
//! refused host, and a refused host survives the journal round trip.

use edgewarm::job::{fixtures, Fate, Job, JobOptions, Step, JOURNAL_VERSION};
use edgewarm::{Credentials, Service};
use serde_json::json;

const T0: i64 = 1_700_000_000_000;

fn creds() -> Credentials {
    Credentials::new("AKIDFAKE", "fake-secret")
}

fn cdn_job(urls: Vec<String>) -> Job {
    let options = JobOptions {
        use_quota_api: false,
        ..JobOptions::default()
    };
    Job::new(
        fixtures::spec_with(Service::Cdn, "AKIDFAKE", options),
        urls,
        1,
        T0,
    )
}

fn mixed_urls() -> Vec<String> {
    (0..30)
        .map(|i| match i % 3 {
            0 => format!("https://www.example.com/{i}.js"),
            1 => format!("https://static.example.com/{i}.css"),
            _ => format!("https://locked.example.org/{i}.png"),
        })
        .collect()
}

/// The submits the job sends now: (call id, the URLs of the call).
fn submits(job: &mut Job, now: i64) -> Vec<(u64, Vec<String>)> {
    job.next_actions(now, &creds())
        .into_iter()
        .filter_map(|s| match s {
            Step::Send { call_id, request } => {
                let body: serde_json::Value =
                    serde_json::from_slice(&request.body).expect("a JSON body");
                // submits only (polls of accepted tasks stay unanswered)
                let urls = body["Urls"]
                    .as_array()?
                    .iter()
                    .map(|u| u.as_str().unwrap_or_default().to_string())
                    .collect();
                Some((call_id, urls))
            }
            _ => None,
        })
        .collect()
}

fn refusal(code: &str, message: &str) -> Vec<u8> {
    json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": "r"}})
        .to_string()
        .into_bytes()
}

fn accepted(task: &str) -> Vec<u8> {
    json!({"Response": {"TaskId": task, "RequestId": "r"}})
        .to_string()
        .into_bytes()
}

/// Sends and answers until nothing more is sent: a call carrying `bad`'s URLs is refused with
/// `code` and `message`, every other is accepted. Returns the URL lists of the calls.
fn run(job: &mut Job, bad: &str, code: &str, message: &str) -> Vec<Vec<String>> {
    let mut calls = Vec::new();
    let mut now = T0;
    for round in 0..200 {
        let sent = submits(job, now);
        for (id, urls) in sent {
            let body = if urls.iter().any(|u| u.contains(bad)) {
                refusal(code, message)
            } else {
                accepted(&format!("task-{round}-{id}"))
            };
            calls.push(urls);
            job.on_response(id, 200, &body, now, None);
        }
        now += 1_000;
    }
    calls
}

#[test]
fn an_authorisation_refusal_of_one_host_fails_that_host_and_halts_nothing() {
    let mut job = cdn_job(mixed_urls());
    let calls = run(
        &mut job,
        "locked.example.org",
        "UnauthorizedOperation.CdnHostUnauthorized",
        "子账号没有该域名的操作权限",
    );
    assert!(job.halted().is_none(), "{:?}", job.halted());
    // the refused batch, then one call per host
    assert_eq!(calls.len(), 4, "{calls:?}");
    assert_eq!(calls[0].len(), 30);
    for c in &calls[1..] {
        let host = c[0].split('/').nth(2).unwrap();
        assert!(
            c.iter().all(|u| u.contains(host)),
            "one host per call: {c:?}"
        );
    }
    for u in job.urls() {
        match &u.fate {
            Fate::Failed(f) => {
                let (code, reason) = (&f.code, &f.reason);
                assert!(u.url.contains("locked.example.org"), "{}", u.url);
                assert_eq!(code, "UnauthorizedOperation.CdnHostUnauthorized");
                assert!(
                    reason.starts_with("host locked.example.org refused by this account's Tencent CDN: The sub-account is not authorised to operate on this domain."),
                    "{reason}"
                );
                assert!(reason.contains("子账号没有该域名的操作权限"), "{reason}");
            }
            Fate::Submitted { .. } => assert!(!u.url.contains("locked.example.org")),
            other => panic!("{}: {other:?}", u.url),
        }
    }
    assert_eq!(job.refused_hosts().len(), 1);
}

#[test]
fn a_host_named_by_the_message_is_refused_at_once() {
    let mut job = cdn_job(mixed_urls());
    let calls = run(
        &mut job,
        "locked.example.org",
        "ResourceNotFound.CdnHostNotExists",
        "未查询到该域名，请确认域名是否正确: locked.example.org",
    );
    // the refused batch, then the rest at once
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert_eq!(calls[1].len(), 20);
    assert!(calls[1].iter().all(|u| !u.contains("locked.example.org")));
    let reason = job.refused_hosts()["locked.example.org"].reason.clone();
    assert!(
        reason.contains("The domain was not found in this account's CDN.")
            && reason.contains("ResourceNotFound.CdnHostNotExists"),
        "{reason}"
    );
}

#[test]
fn other_refusals_still_fail_the_batch_as_before() {
    let mut job = cdn_job(mixed_urls());
    let calls = run(
        &mut job,
        "example",
        "InvalidParameter.CdnUrlExceedLength",
        "URL 长度超过限制",
    );
    assert_eq!(calls.len(), 1, "no split for a code about no host");
    assert!(job.refused_hosts().is_empty());
    assert!(job.urls().iter().all(|u| matches!(
        &u.fate,
        Fate::Failed(f) if f.reason.starts_with("A URL is longer than CDN accepts.")
    )));
}

#[test]
fn refused_hosts_survive_the_journal_and_older_journals_resume_without_any() {
    let mut job = cdn_job(mixed_urls());
    run(
        &mut job,
        "locked.example.org",
        "ResourceNotFound.CdnHostNotExists",
        "未查询到该域名",
    );
    let journal = job.journal().expect("journal");
    let value: serde_json::Value = serde_json::from_str(&journal).expect("JSON");
    assert_eq!(value["version"], JOURNAL_VERSION);
    const { assert!(JOURNAL_VERSION >= 4, "refusedHosts came with version 4") };
    assert!(value["refusedHosts"]["locked.example.org"]["reason"].is_string());
    let resumed = Job::resume(&journal).expect("resumes");
    assert_eq!(resumed.refused_hosts(), job.refused_hosts());
    // a version-3 journal (no refusedHosts, no hostProbe) resumes with none refused
    let fresh = cdn_job(mixed_urls());
    let mut v3: serde_json::Value =
        serde_json::from_str(&fresh.journal().expect("journal")).expect("JSON");
    v3["version"] = json!(3);
    v3.as_object_mut().unwrap().remove("refusedHosts");
    let old = Job::resume(&v3.to_string()).expect("a version-3 journal resumes");
    assert!(old.refused_hosts().is_empty());
    assert_eq!(old.plan_summary().hosts.len(), 3);
    // an empty host name is refused with the field
    let mut bad = value.clone();
    bad["refusedHosts"][""] = json!({"code": "X", "reason": "y"});
    let err = Job::resume(&bad.to_string()).unwrap_err();
    assert!(err.to_string().contains("refusedHosts"), "{err}");
}
