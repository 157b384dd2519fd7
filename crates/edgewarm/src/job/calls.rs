//! The vendor calls a job makes and how their answers read, per vendor: submit a batch, poll its
//! tasks, sweep ESA's task list, look up a batch after a crash, ask the quota. Everything here
//! maps between the job's batches and the typed operations of [`crate::vendor`].

use super::{Batch, CallKind, Fate, Job, Phase, Target};
use crate::error::Error;
use crate::operation::{Operation, Output};
use crate::times;
use crate::vendor::{cdn, edgeone, esa, Service};

/// Page size of CDN DescribePushTasks polls. The DescribePushTasks API page gives `Limit` a
/// default of 20 and no maximum, so the engine asks for 100 (assumed accepted) and pages on
/// with `Offset` instead of asking for everything at once.
pub(super) const CDN_PUSH_TASKS_PAGE: i64 = 100;

/// Page size of EdgeOne DescribePrefetchTasks polls: 1000, the documented maximum
/// (DescribePrefetchTasks API page: "Default value: 20. Maximum value: 1000").
const TEO_TASKS_PAGE: i64 = 1000;

/// A task row of a Describe answer, reduced to what tracking needs.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub target: String,
    pub task_id: String,
    pub created_ms: Option<i64>,
    /// Whether the time carried its zone (ESA `CreateTime` may come without one).
    pub zoned: bool,
    /// `None` while still processing.
    pub fate: Option<Fate>,
}

/// What an answer means for the job.
#[derive(Debug, Clone)]
pub(super) enum Answer {
    Quota {
        batch: Option<usize>,
        remaining: Option<u64>,
        /// The prefetch quota in the same answer, read with a purge quota (EdgeOne answers
        /// both in one DescribeContentQuota reply).
        prefetch: Option<super::QuotaReading>,
    },
    Created {
        task_id: String,
        failed: Vec<(String, String)>,
    },
    Rows {
        rows: Vec<Row>,
        total: i64,
        page_len: usize,
    },
}

/// The operation of a call, or why there is none.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)] // built and matched at once, never stored
pub(super) enum CallOp {
    /// Send this.
    Send(Operation),
    /// The vendor has no operation for this call (ESA has no quota API; Tencent targets are
    /// never swept).
    NoSuchCall,
    /// The call names a batch the job does not have: nothing is sent, and an answer to it is
    /// ignored.
    UnknownBatch,
}

/// A page of task rows: the rows, their count and the total the vendor gave (else the count).
fn rows<T>(items: Vec<T>, total: Option<i64>, row: impl FnMut(T) -> Row) -> Answer {
    let page_len = items.len();
    Answer::Rows {
        total: total.unwrap_or(page_len as i64),
        page_len,
        rows: items.into_iter().map(row).collect(),
    }
}

impl Job {
    fn sends(&self, b: &Batch) -> (Vec<String>, bool) {
        let mut encode = false;
        let urls = b
            .urls
            .iter()
            .filter_map(|&i| self.urls.get(i as usize))
            .map(|u| {
                encode |= u.encode;
                u.send_url().to_string()
            })
            .collect();
        (urls, encode)
    }

    fn first_url(&self, b: &Batch) -> String {
        b.urls
            .first()
            .and_then(|&i| self.urls.get(i as usize))
            .map(|u| u.send_url().to_string())
            .unwrap_or_default()
    }

    /// The operation a call makes (see [`CallOp`] for when there is none). Time windows are in
    /// the server's time (the learnt clock offset applied) and padded by the vendor's tolerated
    /// skew, so a client clock that is off still finds its tasks. ESA calls are made in
    /// `esa_track`.
    pub(super) fn operation(&self, kind: &CallKind, now_ms: i64) -> CallOp {
        let b = match kind {
            CallKind::Submit { batch: i }
            | CallKind::Poll { batch: i }
            | CallKind::Reconcile { batch: i } => match self.batches.get(*i) {
                Some(b) => Some(b),
                None => return CallOp::UnknownBatch,
            },
            CallKind::Quota | CallKind::PrefetchQuota | CallKind::Sweep { .. } => None,
        };
        if let Target::Esa { site_id, headers } = &self.spec.target {
            return self
                .esa_operation(*site_id, headers, kind, now_ms)
                .map_or(CallOp::NoSuchCall, CallOp::Send);
        }
        if self.phase == Phase::Purge {
            return self.purge_operation(kind, b, now_ms);
        }
        let off = self.clock_offset_ms;
        let now_ms = now_ms + off;
        let op = match (&self.spec.target, kind, b) {
            (Target::Esa { .. }, _, _)
            | (_, CallKind::Sweep { .. }, _)
            | (_, CallKind::PrefetchQuota, _) => return CallOp::NoSuchCall,
            (Target::Edgeone { zone_id, .. }, CallKind::Quota, _) => {
                Operation::DescribeContentQuota(edgeone::DescribeContentQuota {
                    zone_id: Some(zone_id.clone()),
                })
            }
            (Target::Cdn { .. }, CallKind::Quota, _) => {
                Operation::DescribePushQuota(cdn::DescribePushQuota {})
            }
            // batch calls without their batch cannot happen (looked up above)
            (_, _, None) => return CallOp::NoSuchCall,
            (
                Target::Edgeone {
                    zone_id,
                    mode,
                    headers,
                    prefetch_media_segments,
                    ..
                },
                CallKind::Submit { .. },
                Some(b),
            ) => {
                // targets are percent-encoded client-side (urls::encode); EncodeUrl is
                // deprecated and never sent. The intl site has no Mode (only the default).
                let (targets, _) = self.sends(b);
                let intl = edgeone::is_intl(&self.spec.endpoint);
                Operation::CreatePrefetchTask(edgeone::CreatePrefetchTask {
                    zone_id: Some(zone_id.clone()),
                    targets: Some(targets),
                    mode: mode.clone().filter(|m| !(intl && m == "default")),
                    encode_url: None,
                    headers: headers.to_tencent(),
                    prefetch_media_segments: prefetch_media_segments.clone(),
                })
            }
            (
                Target::Cdn {
                    area,
                    layer,
                    user_agent,
                    parse_m3u8,
                    disable_range,
                    headers,
                },
                CallKind::Submit { .. },
                Some(b),
            ) => {
                let (urls, encode) = self.sends(b);
                Operation::PushUrlsCache(cdn::PushUrlsCache {
                    urls: Some(urls),
                    user_agent: user_agent.clone(),
                    area: area.clone(),
                    layer: layer.clone(),
                    parse_m3u8: *parse_m3u8,
                    disable_range: *disable_range,
                    headers: headers.to_tencent(),
                    url_encode: encode.then_some(true),
                })
            }
            (Target::Edgeone { zone_id, .. }, CallKind::Poll { .. }, Some(b)) => {
                Operation::DescribePrefetchTasks(edgeone::DescribePrefetchTasks(teo_tasks_of_job(
                    zone_id, b,
                )))
            }
            (Target::Cdn { .. }, CallKind::Poll { .. }, Some(b)) => {
                Operation::DescribePushTasks(cdn::DescribePushTasks {
                    task_id: b.task_id.clone(),
                    offset: Some(b.poll_offset),
                    limit: Some(CDN_PUSH_TASKS_PAGE),
                    ..Default::default()
                })
            }
            (Target::Edgeone { zone_id, .. }, CallKind::Reconcile { .. }, Some(b)) => {
                let sent = b.last_sent_ms.map_or(now_ms, |s| s + off);
                Operation::DescribePrefetchTasks(edgeone::DescribePrefetchTasks(
                    teo_tasks_of_target(zone_id, sent, now_ms, self.first_url(b)),
                ))
            }
            (Target::Cdn { .. }, CallKind::Reconcile { .. }, Some(b)) => {
                let sent = b.last_sent_ms.map_or(now_ms, |s| s + off);
                Operation::DescribePushTasks(cdn::DescribePushTasks {
                    start_time: Some(times::beijing(sent - 86_400_000)),
                    end_time: Some(times::beijing(now_ms + 86_400_000)),
                    keyword: Some(self.first_url(b)),
                    limit: Some(CDN_PUSH_TASKS_PAGE),
                    ..Default::default()
                })
            }
        };
        CallOp::Send(op)
    }
}

impl Job {
    /// The vendor's name of the purge type this job makes (`purge_url`, `path`, `file`, …).
    pub(super) fn purge_type_name(&self) -> Option<&'static str> {
        self.spec
            .kind
            .purge_type()
            .and_then(|t| t.vendor_name(self.spec.target.service()))
    }

    /// The purge phase's calls on EdgeOne and CDN: CreatePurgeTask / DescribePurgeTasks /
    /// DescribeContentQuota, PurgeUrlsCache or PurgePathCache / DescribePurgeTasks /
    /// DescribePurgeQuota. Looking a lost submit up and polling work as for prefetch.
    fn purge_operation(&self, kind: &CallKind, b: Option<&Batch>, now_ms: i64) -> CallOp {
        let off = self.clock_offset_ms;
        let now_ms = now_ms + off;
        let Some(type_name) = self.purge_type_name() else {
            return CallOp::NoSuchCall;
        };
        let op = match (&self.spec.target, kind, b) {
            (Target::Esa { .. }, _, _) | (_, CallKind::Sweep { .. }, _) => {
                return CallOp::NoSuchCall
            }
            (Target::Edgeone { zone_id, .. }, CallKind::Quota, _) => {
                Operation::DescribeContentQuota(edgeone::DescribeContentQuota {
                    zone_id: Some(zone_id.clone()),
                })
            }
            (Target::Cdn { .. }, CallKind::Quota, _) => {
                Operation::DescribePurgeQuota(cdn::DescribePurgeQuota {})
            }
            // a refresh reads the prefetch quota before its first purge; EdgeOne answers it
            // with the purge quota, so only CDN sends this call
            (Target::Cdn { .. }, CallKind::PrefetchQuota, _) => {
                Operation::DescribePushQuota(cdn::DescribePushQuota {})
            }
            (Target::Edgeone { .. }, CallKind::PrefetchQuota, _) => return CallOp::NoSuchCall,
            (_, _, None) => return CallOp::NoSuchCall,
            (
                Target::Edgeone {
                    zone_id,
                    cache_tag_domains,
                    ..
                },
                CallKind::Submit { .. },
                Some(b),
            ) => {
                let (targets, _) = self.sends(b);
                let cache_tag = (type_name == "purge_cache_tag").then(|| edgeone::CacheTag {
                    domains: Some(cache_tag_domains.clone()),
                });
                Operation::CreatePurgeTask(edgeone::CreatePurgeTask {
                    zone_id: Some(zone_id.clone()),
                    kind: Some(type_name.into()),
                    targets: Some(targets),
                    cache_tag,
                    ..Default::default()
                })
            }
            (Target::Cdn { area, .. }, CallKind::Submit { .. }, Some(b)) => {
                let (urls, encode) = self.sends(b);
                // purges name one area or none (the domain's own); `global` is no purge area
                let area = area.clone().filter(|a| a != "global");
                if type_name == "path" {
                    Operation::PurgePathCache(cdn::PurgePathCache {
                        paths: Some(urls),
                        flush_type: Some("flush".into()),
                        url_encode: encode.then_some(true),
                        area,
                    })
                } else {
                    Operation::PurgeUrlsCache(cdn::PurgeUrlsCache {
                        urls: Some(urls),
                        area,
                        url_encode: encode.then_some(true),
                    })
                }
            }
            (Target::Edgeone { zone_id, .. }, CallKind::Poll { .. }, Some(b)) => {
                Operation::DescribePurgeTasks(edgeone::DescribePurgeTasks(teo_tasks_of_job(
                    zone_id, b,
                )))
            }
            (Target::Cdn { .. }, CallKind::Poll { .. }, Some(b)) => {
                Operation::CdnDescribePurgeTasks(cdn::CdnDescribePurgeTasks {
                    purge_type: Some(type_name.into()),
                    task_id: b.task_id.clone(),
                    offset: Some(b.poll_offset),
                    limit: Some(CDN_PUSH_TASKS_PAGE),
                    ..Default::default()
                })
            }
            (Target::Edgeone { zone_id, .. }, CallKind::Reconcile { .. }, Some(b)) => {
                let sent = b.last_sent_ms.map_or(now_ms, |s| s + off);
                Operation::DescribePurgeTasks(edgeone::DescribePurgeTasks(teo_tasks_of_target(
                    zone_id,
                    sent,
                    now_ms,
                    self.first_url(b),
                )))
            }
            (Target::Cdn { .. }, CallKind::Reconcile { .. }, Some(b)) => {
                let sent = b.last_sent_ms.map_or(now_ms, |s| s + off);
                Operation::CdnDescribePurgeTasks(cdn::CdnDescribePurgeTasks {
                    purge_type: Some(type_name.into()),
                    start_time: Some(times::beijing(sent - 86_400_000)),
                    end_time: Some(times::beijing(now_ms + 86_400_000)),
                    keyword: Some(self.first_url(b)),
                    limit: Some(CDN_PUSH_TASKS_PAGE),
                    ..Default::default()
                })
            }
        };
        CallOp::Send(op)
    }
}

fn teo_fate(status: &str, fail_type: Option<String>, message: Option<String>) -> Option<Fate> {
    match status {
        "processing" => None,
        "success" => Some(Fate::Succeeded),
        "invalid" => Some(Fate::failed(
            "invalid",
            message.unwrap_or_else(|| "the origin answered a non-2xx status".into()),
        )),
        other => Some(Fate::failed(
            fail_type.unwrap_or_else(|| other.to_string()),
            message.unwrap_or_else(|| format!("task {other}")),
        )),
    }
}

/// Reads an answer of `op` into what the job needs.
pub(super) fn read(
    op: &Operation,
    service: Service,
    area: Option<&str>,
    purge_type: Option<&str>,
    status: u16,
    body: &[u8],
) -> Result<Answer, Error> {
    let tencent_purge_quota = |list: &[cdn::PushQuota]| {
        let q = super::quota::cdn_areas_quota(list, area);
        Answer::Quota {
            batch: q.batch,
            remaining: q.remaining,
            prefetch: None,
        }
    };
    Ok(match op.parse_response(status, body)? {
        Output::DescribeContentQuota(o) if purge_type.is_some() => {
            let q = super::quota::teo_quota(&o, purge_type.unwrap_or_default());
            Answer::Quota {
                batch: q.batch,
                remaining: q.remaining,
                prefetch: Some(super::quota::teo_quota(&o, "prefetch_url")),
            }
        }
        Output::DescribePurgeQuota(o) => {
            if purge_type == Some("path") {
                tencent_purge_quota(&o.path_purge)
            } else {
                tencent_purge_quota(&o.url_purge)
            }
        }
        Output::GetPurgeQuota(o) => Answer::Quota {
            batch: None,
            remaining: o.available().and_then(|n| u64::try_from(n).ok()),
            prefetch: None,
        },
        Output::CreatePurgeTask(o) => Answer::Created {
            task_id: o.job_id,
            failed: o
                .failed_list
                .into_iter()
                .flat_map(|f| f.targets.into_iter().map(move |t| (t, f.reason.clone())))
                .collect(),
        },
        Output::PurgeUrlsCache(o) | Output::PurgePathCache(o) => Answer::Created {
            task_id: o.task_id,
            failed: vec![],
        },
        Output::PurgeCaches(o) => Answer::Created {
            task_id: o.task_id.unwrap_or_default(),
            failed: vec![],
        },
        Output::DescribePurgeTasks(o) => rows(o.tasks, o.total_count, |t| Row {
            created_ms: times::parse_tencent_ms(&t.create_time),
            zoned: true,
            fate: teo_fate(&t.status, t.fail_type, t.fail_message),
            target: t.target,
            task_id: t.job_id,
        }),
        Output::CdnDescribePurgeTasks(o) => rows(o.purge_logs, o.total_count, |t| {
            cdn_row(&t.create_time, &t.status, t.url, t.task_id, |_| {
                "the CDN reports the purge failed"
            })
        }),
        Output::EsaDescribePurgeTasks(o) => rows(o.tasks, o.total_count, |t| {
            esa_row(
                t.create_time.as_deref(),
                &t.status,
                t.description,
                t.content,
                t.task_id,
                "ESA reports the purge failed",
            )
        }),
        o @ (Output::DescribeContentQuota(_) | Output::DescribePushQuota(_)) => {
            let q = super::quota::read_prefetch_quota(&o, area).unwrap_or_default();
            Answer::Quota {
                batch: q.batch,
                remaining: q.remaining,
                prefetch: None,
            }
        }
        Output::CreatePrefetchTask(o) => Answer::Created {
            task_id: o.job_id,
            failed: o
                .failed_list
                .into_iter()
                .flat_map(|f| f.targets.into_iter().map(move |t| (t, f.reason.clone())))
                .collect(),
        },
        Output::PushUrlsCache(o) => Answer::Created {
            task_id: o.task_id,
            failed: vec![],
        },
        Output::PreloadCaches(o) => Answer::Created {
            task_id: o.task_id.unwrap_or_default(),
            failed: vec![],
        },
        Output::DescribePrefetchTasks(o) => rows(o.tasks, o.total_count, |t| Row {
            created_ms: times::parse_tencent_ms(&t.create_time),
            zoned: true,
            fate: teo_fate(&t.status, t.fail_type, t.fail_message),
            target: t.target,
            task_id: t.job_id,
        }),
        Output::DescribePushTasks(o) => rows(o.push_logs, o.total_count, |t| {
            cdn_row(&t.create_time, &t.status, t.url, t.task_id, |s| match s {
                "invalid" => "the origin answered 4xx or 5xx",
                _ => "prefetch failed",
            })
        }),
        Output::DescribePreloadTasks(o) => rows(o.tasks, o.total_count, |t| {
            esa_row(
                t.create_time.as_deref(),
                &t.status,
                t.description,
                t.content,
                t.task_id,
                "prefetch failed",
            )
        }),
        other => {
            let _ = service;
            return Err(Error::MalformedResponse {
                service: service.name().into(),
                status,
                reason: format!("unexpected answer {:?}", std::mem::discriminant(&other)),
            });
        }
    })
}

/// One Tencent CDN task row (push or purge: the same status words, `process` / `done` / a
/// failure word, and Beijing times); `reason` explains a failure word.
fn cdn_row(
    create_time: &str,
    status: &str,
    url: String,
    task_id: String,
    reason: impl Fn(&str) -> &'static str,
) -> Row {
    let status = status.to_ascii_lowercase();
    Row {
        created_ms: times::parse_tencent_ms(create_time),
        zoned: true,
        fate: match status.as_str() {
            "process" => None,
            "done" => Some(Fate::Succeeded),
            other => Some(Fate::failed(other, reason(other))),
        },
        target: url,
        task_id,
    }
}

/// One ESA task row (preload or purge: the same shape and status words, `Refreshing` /
/// `Complete` / a failure; `CreateTime` with or without a zone); `failed` is the reason when
/// ESA gives no description.
fn esa_row(
    create_time: Option<&str>,
    status: &str,
    description: Option<String>,
    content: String,
    task_id: Option<String>,
    failed: &str,
) -> Row {
    // `2023-03-28 14:28:57` (no zone) or ISO 8601 with Z
    let created = create_time.and_then(esa::parse_task_time);
    Row {
        created_ms: created.map(|(ms, _)| ms),
        zoned: created.is_some_and(|(_, zoned)| zoned),
        fate: match status {
            "Refreshing" => None,
            "Complete" => Some(Fate::Succeeded),
            _ => Some(Fate::failed(
                status.to_string(),
                description
                    .filter(|d| !d.is_empty())
                    .unwrap_or_else(|| failed.into()),
            )),
        },
        target: content,
        task_id: task_id.unwrap_or_default(),
    }
}

/// EdgeOne Describe{Prefetch,Purge}Tasks of one submitted task (its `job-id`), a page at the
/// batch's offset.
fn teo_tasks_of_job(zone_id: &str, b: &Batch) -> edgeone::DescribeTasks {
    edgeone::DescribeTasks {
        zone_id: Some(zone_id.to_string()),
        offset: Some(b.poll_offset),
        limit: Some(TEO_TASKS_PAGE),
        filters: Some(vec![edgeone::AdvancedFilter {
            name: Some("job-id".into()),
            values: Some(vec![b.task_id.clone().unwrap_or_default()]),
            fuzzy: None,
        }]),
        ..Default::default()
    }
}

/// EdgeOne Describe{Prefetch,Purge}Tasks looking up a submit whose answer was lost: the tasks
/// of its first target created around the time it was sent (±10 minutes).
fn teo_tasks_of_target(
    zone_id: &str,
    sent_ms: i64,
    now_ms: i64,
    url: String,
) -> edgeone::DescribeTasks {
    edgeone::DescribeTasks {
        zone_id: Some(zone_id.to_string()),
        start_time: Some(times::rfc3339(sent_ms - 600_000)),
        end_time: Some(times::rfc3339(now_ms + 600_000)),
        limit: Some(100),
        filters: Some(vec![edgeone::AdvancedFilter {
            name: Some("target".into()),
            values: Some(vec![url]),
            fuzzy: None,
        }]),
        ..Default::default()
    }
}
