//! What a run has to say when it stops, decided once for every shell: the URLs per fate, the
//! failures grouped by the vendor's code with what to do next, the throttling the engine adapted
//! to, and the URLs put off for quota with when the quota is asked again. The console, the CLI,
//! the GitHub Action and the Vite plugin all show this one summary in their own words.

use super::{Fate, Job};
use crate::error::ApiError;
use crate::vendor::codes;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What to do about failures whose code no vendor page documents: the vendors' own failure
/// states (`failed`, `originPullFailed`, `invalid`) all mean that the edge could not fetch the
/// URL from the origin.
pub const ORIGIN_FAILURE_HINT: &str =
    "the edge could not fetch these URLs from the origin: check that the origin serves them, then retry the failed URLs";

/// How many URLs stand in each fate.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct FateCounts {
    /// URLs not sent yet.
    pub pending: usize,
    /// URLs accepted by the vendor and still being tracked.
    pub submitted: usize,
    /// URLs warmed.
    pub succeeded: usize,
    /// URLs the vendor reports as failed.
    pub failed: usize,
    /// URLs put off until the quota has room.
    pub deferred: usize,
    /// URLs refused before sending.
    pub invalid: usize,
}

impl FateCounts {
    /// URLs that have not reached a final fate (pending or submitted).
    pub fn unfinished(&self) -> usize {
        self.pending + self.submitted
    }
}

/// The failed URLs that share one vendor code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct FailureGroup {
    /// The vendor's code or failure state (`originPullFailed`, `LimitExceeded.BatchQuota`, …).
    pub code: String,
    /// How many URLs failed with it.
    pub urls: usize,
    /// The reason the vendor gave for the first of them.
    pub reason: String,
    /// What to do next: the documented hint of the code, or [`ORIGIN_FAILURE_HINT`].
    pub hint: String,
    /// Whether `hint` comes from the vendor's documented code table.
    pub documented: bool,
}

/// The URLs over the quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct DeferredSummary {
    /// How many URLs are deferred.
    pub urls: usize,
    /// How often the quota is asked again (ms); 0 when re-reading is off and deferred URLs
    /// are not sent by this run. No vendor documents when its quota resets.
    pub recheck_every_ms: i64,
    /// When the quota is asked next (ms), while the run goes on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub next_recheck_ms: Option<i64>,
}

/// What a run has to say when it stops (or at any time: it reads the job as it stands).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct FailureSummary {
    /// URLs per fate.
    pub counts: FateCounts,
    /// Failures grouped by code, the largest group first (then by code).
    pub failed: Vec<FailureGroup>,
    /// Calls the vendor throttled (the engine slowed down and re-sent them).
    pub throttled: u64,
    /// The URLs over the quota, when there are any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub deferred: Option<DeferredSummary>,
    /// The error that halted the job, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub halted: Option<ApiError>,
    /// URLs left in today's prefetch quota when the engine last asked (see
    /// [`Job::quota_left`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub quota_remaining: Option<u64>,
    /// Every URL succeeded (none failed, deferred, invalid or unfinished) and nothing halted.
    pub all_succeeded: bool,
}

impl FailureSummary {
    /// Whether there is anything to report besides success: failures, throttling, deferred
    /// URLs or a halt.
    pub fn has_news(&self) -> bool {
        !self.failed.is_empty()
            || self.throttled > 0
            || self.deferred.is_some()
            || self.halted.is_some()
    }
}

/// The names of the members of `params` that are set, with one level of nested objects as
/// `Content.Files`.
fn field_names(params: serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in params {
        if v.is_null() {
            continue;
        }
        if let serde_json::Value::Object(inner) = &v {
            out.extend(
                inner
                    .iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(sub, _)| format!("{k}.{sub}")),
            );
        }
        out.push(k);
    }
    out
}

impl Job {
    /// URLs left in today's prefetch quota as the engine last read it (for CDN the least over
    /// the target's areas, see [`super::read_prefetch_quota`]), less what it has sent since;
    /// `None` when it has not asked or the vendor has no quota API.
    pub fn quota_left(&self) -> Option<u64> {
        self.quota().remaining
    }

    /// The parameters a submit of this job carries (vendor spelling; one level of nested
    /// objects as `Content.Files`), so that a hint can name the field a vendor refused.
    pub fn submit_fields(&self) -> Vec<String> {
        let kind = super::CallKind::Submit { batch: 0 };
        let super::calls::CallOp::Send(op) = self.operation(&kind, self.created_ms) else {
            return Vec::new();
        };
        // the field tables' writer (no serde `Serialize` of every operation compiled for this)
        field_names(op.params_json())
    }

    /// The URLs per fate.
    pub fn fate_counts(&self) -> FateCounts {
        let mut c = FateCounts::default();
        for u in self.urls() {
            match u.fate {
                Fate::Pending => c.pending += 1,
                Fate::Submitted { .. } => c.submitted += 1,
                Fate::Succeeded => c.succeeded += 1,
                Fate::Failed(_) => c.failed += 1,
                Fate::Deferred(_) => c.deferred += 1,
                Fate::Invalid(_) => c.invalid += 1,
            }
        }
        c
    }

    /// What the run has to say: counts per fate, failures grouped by code with what to do,
    /// throttled calls, deferred URLs and when the quota is asked again, the halt.
    pub fn failure_summary(&self) -> FailureSummary {
        let counts = self.fate_counts();
        // a purge's failures are grouped apart from the prefetch's (same code, other phase)
        let mut groups: BTreeMap<(&str, bool), (usize, &str)> = BTreeMap::new();
        for u in self.urls() {
            if let Fate::Failed(f) = &u.fate {
                groups
                    .entry((f.code.as_str(), f.reason.starts_with(super::PURGE_FAILED)))
                    .or_insert((0, f.reason.as_str()))
                    .0 += 1;
            }
        }
        let cloud = self.spec().target.service().cloud();
        // the call's fields are read only when a hint needs them (generic parameter codes)
        let fields = if groups.keys().any(|(code, _)| codes::hint_needs_field(code)) {
            self.submit_fields()
        } else {
            Vec::new()
        };
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        let mut failed: Vec<FailureGroup> = groups
            .into_iter()
            .map(|((code, _), (urls, reason))| {
                let documented = codes::hint(cloud, code)
                    .is_some()
                    .then(|| codes::hint_for(cloud, code, reason, &fields))
                    .flatten();
                FailureGroup {
                    code: code.to_string(),
                    urls,
                    reason: reason.to_string(),
                    documented: documented.is_some(),
                    hint: documented.unwrap_or_else(|| ORIGIN_FAILURE_HINT.to_string()),
                }
            })
            .collect();
        // stable: equal counts keep the code order of the map
        failed.sort_by_key(|g| std::cmp::Reverse(g.urls));
        let throttled = self.action_stats().values().map(|s| s.throttled).sum();
        let deferred = (counts.deferred > 0).then(|| {
            let every = self.spec().options.quota_recheck_ms.max(0);
            DeferredSummary {
                urls: counts.deferred,
                recheck_every_ms: every,
                next_recheck_ms: if every > 0 {
                    self.quota().recheck_ms
                } else {
                    None
                },
            }
        });
        let halted = self.halted().cloned();
        let all_succeeded = halted.is_none() && counts.succeeded == self.urls().len();
        FailureSummary {
            counts,
            failed,
            throttled,
            deferred,
            halted,
            quota_remaining: self.quota_left(),
            all_succeeded,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::fixtures;
    use crate::Service;

    /// A job whose URLs have the given fates (set through the journal, the job's only way in
    /// besides answers).
    fn job_with(fates: &[Fate]) -> Job {
        let urls = (0..fates.len())
            .map(|i| format!("https://www.example.com/{i}"))
            .collect();
        let job = Job::new(fixtures::spec(Service::Teo, "AKID"), urls, 1, 0);
        let mut journal: serde_json::Value =
            serde_json::from_str(&job.journal().expect("journal")).expect("JSON");
        for (i, fate) in fates.iter().enumerate() {
            journal["urls"][i]["fate"] = serde_json::to_value(fate).expect("fate");
        }
        Job::resume(&journal.to_string()).expect("resumes")
    }

    fn failed(code: &str, reason: &str) -> Fate {
        Fate::failed(code, reason)
    }

    #[test]
    fn a_fresh_job_has_nothing_to_report() {
        let s = job_with(&[Fate::Pending, Fate::Pending]).failure_summary();
        assert_eq!(s.counts.pending, 2);
        assert_eq!(s.counts.unfinished(), 2);
        assert!(!s.has_news());
        assert!(!s.all_succeeded, "unfinished URLs are not successes");
    }

    #[test]
    fn failures_are_grouped_by_code_largest_first_with_what_to_do() {
        let s = job_with(&[
            failed("AuthFailure.SignatureFailure", "bad signature"),
            failed("originPullFailed", "origin pull failed"),
            failed("originPullFailed", "origin answered 502"),
            Fate::Succeeded,
        ])
        .failure_summary();
        assert_eq!(s.counts.failed, 3);
        assert_eq!(s.counts.succeeded, 1);
        assert_eq!(s.failed.len(), 2);
        let origin = &s.failed[0];
        assert_eq!((origin.code.as_str(), origin.urls), ("originPullFailed", 2));
        assert_eq!(origin.reason, "origin pull failed", "the first reason");
        assert_eq!(origin.hint, ORIGIN_FAILURE_HINT);
        assert!(!origin.documented);
        let auth = &s.failed[1];
        assert_eq!(auth.urls, 1);
        assert!(auth.documented, "a documented code carries its own hint");
        assert_eq!(
            auth.hint,
            codes::hint_any("AuthFailure.SignatureFailure").unwrap()
        );
        assert!(s.has_news());
        assert!(!s.all_succeeded);
    }

    #[test]
    fn deferred_urls_name_the_recheck_interval() {
        let s = job_with(&[Fate::deferred(5, "over the quota"), Fate::Succeeded]).failure_summary();
        let d = s.deferred.expect("deferred");
        assert_eq!(d.urls, 1);
        assert_eq!(d.recheck_every_ms, 900_000, "the default interval");
        assert!(s.failed.is_empty());
    }

    #[test]
    fn all_succeeded_only_when_every_url_did() {
        let s = job_with(&[Fate::Succeeded, Fate::Succeeded]).failure_summary();
        assert!(s.all_succeeded);
        assert!(!s.has_news());
        assert_eq!(s.throttled, 0);
        assert_eq!(s.quota_remaining, None, "the quota was never asked");
        let json = serde_json::to_value(&s).expect("serialises");
        assert_eq!(json["counts"]["succeeded"], 2);
        assert_eq!(json["allSucceeded"], true);
        assert!(json.get("deferred").is_none());
    }

    /// `submit_fields` as serde's derive of the operation names the fields (what the field
    /// tables replace), for each vendor, with and without the optional target fields.
    #[test]
    fn submit_fields_are_the_derived_params_fields() {
        fn derived(job: &Job) -> Vec<String> {
            let kind = super::super::CallKind::Submit { batch: 0 };
            let super::super::calls::CallOp::Send(op) = job.operation(&kind, job.created_ms) else {
                return Vec::new();
            };
            let serde_json::Value::Object(params) =
                serde_json::to_value(&op).expect("op")["params"].take()
            else {
                return Vec::new();
            };
            let mut out = field_names(params);
            out.sort();
            out
        }
        let mut specs: Vec<_> = [Service::Teo, Service::Cdn, Service::Esa]
            .into_iter()
            .map(|s| fixtures::spec(s, "AKID"))
            .collect();
        let mut cdn = fixtures::spec(Service::Cdn, "AKID");
        cdn.target = crate::job::Target::Cdn {
            area: Some("overseas".into()),
            layer: Some("middle".into()),
            user_agent: Some("edgewarm-test".into()),
            parse_m3u8: Some(true),
            disable_range: Some(true),
            headers: Default::default(),
        };
        specs.push(cdn);
        let mut teo = fixtures::spec(Service::Teo, "AKID");
        if let crate::job::Target::Edgeone {
            mode,
            prefetch_media_segments,
            ..
        } = &mut teo.target
        {
            *mode = Some("default".into());
            *prefetch_media_segments = Some("on".into());
        }
        specs.push(teo);
        for spec in specs {
            let job = Job::new(spec, vec!["https://www.example.com/a".into()], 1, 0);
            let mut fields = job.submit_fields();
            fields.sort();
            assert!(!fields.is_empty());
            assert_eq!(fields, derived(&job), "{:?}", job.spec().target);
        }
    }

    #[test]
    fn a_generic_parameter_failure_names_the_field() {
        let job = Job::new(
            fixtures::spec(Service::Esa, "AK"),
            vec!["https://www.example.com/a".into()],
            1,
            0,
        );
        let mut journal: serde_json::Value =
            serde_json::from_str(&job.journal().expect("journal")).expect("JSON");
        journal["urls"][0]["fate"] = serde_json::to_value(failed(
            "InvalidParameter",
            "Content holds 600 URLs; at most 500 per call.",
        ))
        .expect("fate");
        let job = Job::resume(&journal.to_string()).expect("resumes");
        assert_eq!(job.submit_fields(), vec!["SiteId", "Content"]);
        let s = job.failure_summary();
        assert!(s.failed[0].documented);
        assert_eq!(
            s.failed[0].hint,
            "A parameter is invalid. The parameter is Content: fix Content as the message says."
        );
    }
}
