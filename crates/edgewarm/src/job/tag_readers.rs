//! Readers of the job's internally tagged enums ([`Fate`], [`CallKind`], [`Target`],
//! [`JobKind`]): each reads its object's fields straight into one flat struct of options, then
//! builds the variant its tag names.
//!
//! Why not serde's derive: an internally tagged enum's derived reader first buffers the whole
//! object in serde's generic `Content` tree, then reads the variant from that tree. In wasm
//! that is about 10–15 KB of code per enum plus the `Content` machinery they share (the
//! console's and the full module's largest serde readers, `sh bench/wasm_size.sh`); a plain
//! struct's reader is a fraction of it. What a reader accepts and the words of its errors are
//! the derive's: unknown fields are ignored, a missing field or an unknown tag is named the
//! same way (`missing field `siteId``, `unknown variant `akamai`, expected one of …`).
//! Serialising still goes through the derive, which writes the same shape.

use super::spec::{JobKind, PurgeType, Target};
use super::state::{CallKind, Deferral, Failure, Fate, LocalRefusal};
use crate::error::Rule;
use crate::headers::Headers;
use serde::Deserialize;
use std::fmt;

/// A field its variant needs was absent: worded as serde words it (`missing field `taskId``).
#[derive(Debug)]
pub struct MissingField(&'static str);

impl fmt::Display for MissingField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "missing field `{}`", self.0)
    }
}

fn need<T>(value: Option<T>, field: &'static str) -> Result<T, MissingField> {
    value.ok_or(MissingField(field))
}

/// [`Fate`]'s tag.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum FateTag {
    Pending,
    Submitted,
    Succeeded,
    Failed,
    Deferred,
    Invalid,
}

/// Every field a [`Fate`] object may hold.
#[derive(Deserialize)]
#[serde(rename = "Fate")]
pub(crate) struct FateFields {
    fate: FateTag,
    #[serde(rename = "taskId")]
    task_id: Option<String>,
    code: Option<String>,
    reason: Option<String>,
    #[serde(rename = "untilMs")]
    until_ms: Option<i64>,
    rule: Option<Rule>,
    message: Option<String>,
}

impl TryFrom<FateFields> for Fate {
    type Error = MissingField;
    fn try_from(f: FateFields) -> Result<Fate, MissingField> {
        Ok(match f.fate {
            FateTag::Pending => Fate::Pending,
            FateTag::Submitted => Fate::Submitted {
                task_id: need(f.task_id, "taskId")?,
            },
            FateTag::Succeeded => Fate::Succeeded,
            FateTag::Failed => Fate::Failed(Box::new(Failure {
                code: need(f.code, "code")?,
                reason: need(f.reason, "reason")?,
            })),
            FateTag::Deferred => Fate::Deferred(Box::new(Deferral {
                until_ms: need(f.until_ms, "untilMs")?,
                reason: need(f.reason, "reason")?,
            })),
            FateTag::Invalid => Fate::Invalid(Box::new(LocalRefusal {
                rule: need(f.rule, "rule")?,
                message: need(f.message, "message")?,
            })),
        })
    }
}

/// [`CallKind`]'s tag.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum CallKindTag {
    Quota,
    PrefetchQuota,
    Submit,
    Poll,
    Sweep,
    Reconcile,
}

/// Every field a [`CallKind`] object may hold.
#[derive(Deserialize)]
#[serde(rename = "CallKind")]
pub(crate) struct CallKindFields {
    kind: CallKindTag,
    batch: Option<usize>,
    page: Option<i64>,
}

impl TryFrom<CallKindFields> for CallKind {
    type Error = MissingField;
    fn try_from(f: CallKindFields) -> Result<CallKind, MissingField> {
        let batch = || need(f.batch, "batch");
        Ok(match f.kind {
            CallKindTag::Quota => CallKind::Quota,
            CallKindTag::PrefetchQuota => CallKind::PrefetchQuota,
            CallKindTag::Submit => CallKind::Submit { batch: batch()? },
            CallKindTag::Poll => CallKind::Poll { batch: batch()? },
            CallKindTag::Sweep => CallKind::Sweep {
                page: need(f.page, "page")?,
            },
            CallKindTag::Reconcile => CallKind::Reconcile { batch: batch()? },
        })
    }
}

/// [`Target`]'s tag (`teo` read as `edgeone`, as the derive did).
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Vendor {
    #[serde(alias = "teo")]
    Edgeone,
    Cdn,
    Esa,
}

/// Every field a [`Target`] object may hold; `headers` is common to the three vendors.
#[derive(Deserialize)]
#[serde(rename = "Target", rename_all = "camelCase")]
pub(crate) struct TargetFields {
    vendor: Vendor,
    zone_id: Option<String>,
    mode: Option<String>,
    #[serde(default)]
    headers: Headers,
    prefetch_media_segments: Option<String>,
    #[serde(default)]
    cache_tag_domains: Vec<String>,
    area: Option<String>,
    layer: Option<String>,
    user_agent: Option<String>,
    #[serde(rename = "parseM3u8")]
    parse_m3u8: Option<bool>,
    disable_range: Option<bool>,
    site_id: Option<i64>,
}

impl TryFrom<TargetFields> for Target {
    type Error = MissingField;
    fn try_from(f: TargetFields) -> Result<Target, MissingField> {
        Ok(match f.vendor {
            Vendor::Edgeone => Target::Edgeone {
                zone_id: need(f.zone_id, "zoneId")?,
                mode: f.mode,
                headers: f.headers,
                prefetch_media_segments: f.prefetch_media_segments,
                cache_tag_domains: f.cache_tag_domains,
            },
            Vendor::Cdn => Target::Cdn {
                area: f.area,
                layer: f.layer,
                user_agent: f.user_agent,
                parse_m3u8: f.parse_m3u8,
                disable_range: f.disable_range,
                headers: f.headers,
            },
            Vendor::Esa => Target::Esa {
                site_id: need(f.site_id, "siteId")?,
                headers: f.headers,
            },
        })
    }
}

/// [`JobKind`]'s tag.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
enum JobKindTag {
    Prefetch,
    Purge,
    Refresh,
}

/// Every field a [`JobKind`] object may hold.
#[derive(Deserialize)]
#[serde(rename = "JobKind")]
pub(crate) struct JobKindFields {
    #[serde(rename = "type")]
    kind: JobKindTag,
    #[serde(default, rename = "purgeType")]
    purge_type: PurgeType,
}

impl From<JobKindFields> for JobKind {
    fn from(f: JobKindFields) -> JobKind {
        match f.kind {
            JobKindTag::Prefetch => JobKind::Prefetch,
            JobKindTag::Purge => JobKind::Purge {
                purge_type: f.purge_type,
            },
            JobKindTag::Refresh => JobKind::Refresh,
        }
    }
}
