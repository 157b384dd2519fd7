//! The vendor calls a job makes and how their answers read, per vendor: submit a batch, poll its
//! tasks, sweep ESA's task list, look up a batch after a crash, ask the quota. Everything here
//! maps between the job's batches and the typed operations of [`crate::vendor`].

use super::{Batch, CallKind, Fate, Job, Target};
use crate::error::Error;
use crate::operation::{Operation, Output};
use crate::vendor::{cdn, edgeone, esa, Service};

/// ESA tolerates 15 minutes of clock skew without complaint, so its windows are padded by 16.
const ESA_PAD_MS: i64 = 16 * 60_000;

/// A task row of a Describe answer, reduced to what tracking needs.
#[derive(Debug, Clone)]
pub(super) struct Row {
    pub target: String,
    pub task_id: String,
    pub created_ms: Option<i64>,
    /// `None` while still processing.
    pub fate: Option<Fate>,
}

/// What an answer means for the job.
#[derive(Debug, Clone)]
pub(super) enum Answer {
    Quota {
        batch: Option<usize>,
        remaining: Option<u64>,
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

/// RFC 3339 UTC (`2024-01-01T00:00:00Z`).
pub(super) fn iso(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// `YYYY-MM-DD hh:mm:ss` in Beijing time (Tencent CDN's convention).
pub(super) fn plain(ms: i64) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]:[second]");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .map(|t| t.to_offset(crate::validate::CHINA_TIME))
        .and_then(|t| t.format(f).ok())
        .unwrap_or_default()
}

fn parse_time(s: &str) -> Option<i64> {
    crate::validate::parse_rfc3339(s)
        .or_else(|| crate::validate::parse_cdn_time(s))
        .map(|t| t * 1000)
}

/// The next quota reset: midnight in China (UTC+8), where both clouds' daily quotas are kept.
pub(super) fn next_reset(now_ms: i64) -> i64 {
    let day = 86_400_000;
    let shift = 8 * 3_600_000;
    ((now_ms + shift).div_euclid(day) + 1) * day - shift
}

fn headers_vec(h: &[(String, String)]) -> Vec<(Option<String>, Option<String>)> {
    h.iter()
        .map(|(n, v)| (Some(n.clone()), Some(v.clone())))
        .collect()
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

    /// The operation a call makes. Time windows are in the server's time (the learnt clock
    /// offset applied) and padded by the vendor's tolerated skew, so a client clock that is off
    /// still finds its tasks.
    pub(super) fn operation(&self, kind: &CallKind, now_ms: i64) -> Operation {
        let off = self.clock_offset_ms;
        let now_ms = now_ms + off;
        let batch = |i: usize| self.batches.get(i).cloned().unwrap_or_else(empty_batch);
        match (&self.spec.target, kind) {
            (Target::Edgeone { zone_id, .. }, CallKind::Quota) => {
                Operation::DescribeContentQuota(edgeone::DescribeContentQuota {
                    zone_id: Some(zone_id.clone()),
                })
            }
            (Target::Cdn { .. }, CallKind::Quota) | (Target::Esa { .. }, CallKind::Quota) => {
                Operation::DescribePushQuota(cdn::DescribePushQuota {})
            }
            (
                Target::Edgeone {
                    zone_id,
                    mode,
                    headers,
                    prefetch_media_segments,
                },
                CallKind::Submit { batch: i },
            ) => {
                let (targets, encode) = self.sends(&batch(*i));
                Operation::CreatePrefetchTask(edgeone::CreatePrefetchTask {
                    zone_id: Some(zone_id.clone()),
                    targets: Some(targets),
                    mode: mode.clone(),
                    encode_url: encode.then_some(true),
                    headers: (!headers.is_empty()).then(|| {
                        headers_vec(headers)
                            .into_iter()
                            .map(|(name, value)| edgeone::Header { name, value })
                            .collect()
                    }),
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
                CallKind::Submit { batch: i },
            ) => {
                let (urls, encode) = self.sends(&batch(*i));
                Operation::PushUrlsCache(cdn::PushUrlsCache {
                    urls: Some(urls),
                    user_agent: user_agent.clone(),
                    area: area.clone(),
                    layer: layer.clone(),
                    parse_m3u8: *parse_m3u8,
                    disable_range: *disable_range,
                    headers: (!headers.is_empty()).then(|| {
                        headers_vec(headers)
                            .into_iter()
                            .map(|(name, value)| cdn::HttpHeader { name, value })
                            .collect()
                    }),
                    url_encode: encode.then_some(true),
                })
            }
            (Target::Esa { site_id, headers }, CallKind::Submit { batch: i }) => {
                let (content, _) = self.sends(&batch(*i));
                Operation::PreloadCaches(esa::PreloadCaches {
                    site_id: Some(*site_id),
                    content: Some(content),
                    headers: (!headers.is_empty()).then(|| headers.clone()),
                })
            }
            (Target::Edgeone { zone_id, .. }, CallKind::Poll { batch: i }) => {
                let b = batch(*i);
                Operation::DescribePrefetchTasks(edgeone::DescribePrefetchTasks(
                    edgeone::DescribeTasks {
                        zone_id: Some(zone_id.clone()),
                        offset: Some(b.poll_offset),
                        limit: Some(1000),
                        filters: Some(vec![edgeone::AdvancedFilter {
                            name: Some("job-id".into()),
                            values: Some(vec![b.task_id.clone().unwrap_or_default()]),
                            fuzzy: None,
                        }]),
                        ..Default::default()
                    },
                ))
            }
            (Target::Cdn { .. }, CallKind::Poll { batch: i }) => {
                let b = batch(*i);
                Operation::DescribePushTasks(cdn::DescribePushTasks {
                    task_id: b.task_id.clone(),
                    offset: Some(b.poll_offset),
                    limit: Some(1000),
                    ..Default::default()
                })
            }
            (Target::Esa { site_id, .. }, CallKind::Poll { .. })
            | (Target::Esa { site_id, .. }, CallKind::Sweep { .. }) => {
                let page = match kind {
                    CallKind::Sweep { page } => *page,
                    _ => 1,
                };
                let start = self.sweep_window_start().map_or(now_ms, |s| s + off) - ESA_PAD_MS;
                let end = (self.sweep.window_end_ms + off + ESA_PAD_MS).max(start + 1000);
                Operation::DescribePreloadTasks(esa::DescribePreloadTasks {
                    site_id: Some(*site_id),
                    start_time: Some(iso(start)),
                    end_time: Some(iso(end)),
                    page_number: Some(page.max(1)),
                    page_size: Some(50),
                    ..Default::default()
                })
            }
            (Target::Edgeone { zone_id, .. }, CallKind::Reconcile { batch: i }) => {
                let b = batch(*i);
                let sent = b.last_sent_ms.map_or(now_ms, |s| s + off);
                Operation::DescribePrefetchTasks(edgeone::DescribePrefetchTasks(
                    edgeone::DescribeTasks {
                        zone_id: Some(zone_id.clone()),
                        start_time: Some(iso(sent - 600_000)),
                        end_time: Some(iso(now_ms + 600_000)),
                        limit: Some(100),
                        filters: Some(vec![edgeone::AdvancedFilter {
                            name: Some("target".into()),
                            values: Some(vec![self.first_url(&b)]),
                            fuzzy: None,
                        }]),
                        ..Default::default()
                    },
                ))
            }
            (Target::Cdn { .. }, CallKind::Reconcile { batch: i }) => {
                let b = batch(*i);
                let sent = b.last_sent_ms.map_or(now_ms, |s| s + off);
                Operation::DescribePushTasks(cdn::DescribePushTasks {
                    start_time: Some(plain(sent - 86_400_000)),
                    end_time: Some(plain(now_ms + 86_400_000)),
                    keyword: Some(self.first_url(&b)),
                    limit: Some(100),
                    ..Default::default()
                })
            }
            (Target::Esa { site_id, .. }, CallKind::Reconcile { batch: i }) => {
                let b = batch(*i);
                let sent = b.last_sent_ms.map_or(now_ms, |s| s + off);
                Operation::DescribePreloadTasks(esa::DescribePreloadTasks {
                    site_id: Some(*site_id),
                    content: Some(self.first_url(&b)),
                    start_time: Some(iso(sent - ESA_PAD_MS)),
                    end_time: Some(iso(now_ms + ESA_PAD_MS)),
                    page_size: Some(50),
                    ..Default::default()
                })
            }
            (_, CallKind::Sweep { .. }) => Operation::DescribePushQuota(cdn::DescribePushQuota {}),
        }
    }

    /// Earliest submit of the ESA batches being tracked.
    pub(super) fn sweep_window_start(&self) -> Option<i64> {
        self.batches
            .iter()
            .filter(|b| b.state == super::BatchState::Tracking)
            .filter_map(|b| b.submitted_ms)
            .min()
    }
}

fn empty_batch() -> Batch {
    Batch {
        urls: Vec::new(),
        state: super::BatchState::Done,
        attempts: 0,
        not_before_ms: 0,
        task_id: None,
        submitted_ms: None,
        last_sent_ms: None,
        next_poll_ms: 0,
        poll_offset: 0,
        poll_failures: 0,
    }
}

fn teo_fate(status: &str, fail_type: Option<String>, message: Option<String>) -> Option<Fate> {
    match status {
        "processing" => None,
        "success" => Some(Fate::Succeeded),
        "invalid" => Some(Fate::Failed {
            code: "invalid".into(),
            reason: message.unwrap_or_else(|| "the origin answered a non-2xx status".into()),
        }),
        other => Some(Fate::Failed {
            code: fail_type.unwrap_or_else(|| other.to_string()),
            reason: message.unwrap_or_else(|| format!("task {other}")),
        }),
    }
}

/// Reads an answer of `op` into what the job needs.
pub(super) fn read(
    op: &Operation,
    service: Service,
    area: Option<&str>,
    status: u16,
    body: &[u8],
) -> Result<Answer, Error> {
    Ok(match op.parse_response(status, body)? {
        Output::DescribeContentQuota(o) => {
            let q = o.prefetch_quota.iter().find(|q| q.kind == "prefetch_url");
            Answer::Quota {
                batch: q
                    .and_then(|q| q.batch)
                    .and_then(|b| usize::try_from(b).ok()),
                remaining: q
                    .and_then(|q| q.daily_available)
                    .and_then(|r| u64::try_from(r).ok()),
            }
        }
        Output::DescribePushQuota(o) => {
            let areas: Vec<&str> = match area.unwrap_or("mainland") {
                "global" => vec!["mainland", "overseas"],
                "overseas" => vec!["overseas"],
                _ => vec!["mainland"],
            };
            let picked: Vec<&cdn::PushQuota> = o
                .url_push
                .iter()
                .filter(|q| areas.contains(&q.area.as_str()))
                .collect();
            Answer::Quota {
                batch: picked
                    .iter()
                    .filter_map(|q| q.batch)
                    .min()
                    .and_then(|b| usize::try_from(b).ok()),
                remaining: picked
                    .iter()
                    .filter_map(|q| q.available)
                    .min()
                    .and_then(|r| u64::try_from(r).ok()),
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
        Output::DescribePrefetchTasks(o) => {
            let page_len = o.tasks.len();
            Answer::Rows {
                total: o.total_count.unwrap_or(page_len as i64),
                page_len,
                rows: o
                    .tasks
                    .into_iter()
                    .map(|t| Row {
                        created_ms: parse_time(&t.create_time),
                        fate: teo_fate(&t.status, t.fail_type, t.fail_message),
                        target: t.target,
                        task_id: t.job_id,
                    })
                    .collect(),
            }
        }
        Output::DescribePushTasks(o) => {
            let page_len = o.push_logs.len();
            Answer::Rows {
                total: o.total_count.unwrap_or(page_len as i64),
                page_len,
                rows: o
                    .push_logs
                    .into_iter()
                    .map(|t| Row {
                        created_ms: parse_time(&t.create_time),
                        fate: match t.status.to_ascii_lowercase().as_str() {
                            "process" => None,
                            "done" => Some(Fate::Succeeded),
                            "invalid" => Some(Fate::Failed {
                                code: "invalid".into(),
                                reason: "the origin answered 4xx or 5xx".into(),
                            }),
                            other => Some(Fate::Failed {
                                code: other.into(),
                                reason: "prefetch failed".into(),
                            }),
                        },
                        target: t.url,
                        task_id: t.task_id,
                    })
                    .collect(),
            }
        }
        Output::DescribePreloadTasks(o) => {
            let page_len = o.tasks.len();
            Answer::Rows {
                total: o.total_count.unwrap_or(page_len as i64),
                page_len,
                rows: o
                    .tasks
                    .into_iter()
                    .map(|t| Row {
                        created_ms: t.create_time.as_deref().and_then(parse_time),
                        fate: match t.status.as_str() {
                            "Refreshing" => None,
                            "Complete" => Some(Fate::Succeeded),
                            _ => Some(Fate::Failed {
                                code: t.status.clone(),
                                reason: t
                                    .description
                                    .clone()
                                    .filter(|d| !d.is_empty())
                                    .unwrap_or_else(|| "prefetch failed".into()),
                            }),
                        },
                        target: t.content,
                        task_id: t.task_id.unwrap_or_default(),
                    })
                    .collect(),
            }
        }
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
