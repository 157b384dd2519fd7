//! One reading of a prefetch quota answer, for the engine and every shell: EdgeOne's
//! `prefetch_url` quota, or for CDN the smallest figure over the areas the target warms (a
//! `global` push spends the mainland and the overseas quota at once, so the tighter one bounds
//! it). The console's plan view and the engine must never disagree on how many URLs are left.

use super::{Phase, Target};
use crate::operation::Output;
use crate::vendor::{cdn, edgeone, Service};
use serde::{Deserialize, Serialize};

/// What a quota answer says about the next prefetch calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct QuotaReading {
    /// Most URLs per call, when the vendor said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub batch: Option<usize>,
    /// URLs left today, when the vendor said (a negative figure is no usable figure: `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub remaining: Option<u64>,
}

/// The CDN areas a push to `area` spends (`mainland` when unset: PushUrlsCache's default).
pub fn cdn_push_areas(area: Option<&str>) -> &'static [&'static str] {
    match area.unwrap_or("mainland") {
        "global" => &["mainland", "overseas"],
        "overseas" => &["overseas"],
        _ => &["mainland"],
    }
}

fn non_negative(n: i64) -> Option<u64> {
    u64::try_from(n).ok()
}

/// The prefetch quota in `output` for a job warming CDN `area` (ignored for EdgeOne): the
/// minimum over the areas it spends. `None` for an answer that is not a quota answer.
pub fn read_prefetch_quota(output: &Output, cdn_area: Option<&str>) -> Option<QuotaReading> {
    match output {
        // one Quota per type (DescribeContentQuota API page): a prefetch job spends
        // `prefetch_url`'s
        Output::DescribeContentQuota(o) => Some(teo_quota(o, "prefetch_url")),
        Output::DescribePushQuota(o) => Some(cdn_areas_quota(&o.url_push, cdn_area)),
        _ => None,
    }
}

/// The Quota of `kind` (`prefetch_url`, `purge_url`, …) in a DescribeContentQuota answer: one
/// Quota per type (DescribeContentQuota API page); all `None` when the answer has none.
pub(crate) fn teo_quota(o: &edgeone::ContentQuotaOutput, kind: &str) -> QuotaReading {
    let q = o.quota(kind);
    QuotaReading {
        batch: q
            .and_then(|q| q.batch)
            .and_then(|b| usize::try_from(b).ok()),
        remaining: q.and_then(|q| q.daily_available).and_then(non_negative),
    }
}

/// One phase's quota as the engine knows it, for the plan: a refresh states both phases'
/// before its first purge (every purged URL needs a prefetch too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct PhaseQuota {
    /// The phase whose calls spend it.
    pub phase: Phase,
    /// Where the figures come from: the vendor call that answered them
    /// (`DescribeContentQuota`, `DescribePurgeQuota`, `DescribePushQuota`, `GetPurgeQuota`),
    /// or `limits` for EdgeOne edge mode's daily figure, which no quota API reports.
    pub source: String,
    /// Most URLs per call, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub batch: Option<usize>,
    /// URLs left today as read, less what the job has sent (or, for a refresh's prefetch
    /// quota read ahead, purged) since; absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub remaining: Option<u64>,
}

/// The vendor call that reads `phase`'s quota on `service` (`None`: the vendor has none).
pub(crate) fn quota_source(service: Service, phase: Phase) -> Option<&'static str> {
    match (service, phase) {
        (Service::Teo, _) => Some("DescribeContentQuota"),
        (Service::Cdn, Phase::Purge) => Some("DescribePurgeQuota"),
        (Service::Cdn, Phase::Prefetch) => Some("DescribePushQuota"),
        (Service::Esa, Phase::Purge) => Some("GetPurgeQuota"),
        (Service::Esa, Phase::Prefetch) => None,
    }
}

impl Target {
    /// The CDN area the target warms, if it is a CDN target with one.
    pub fn cdn_area(&self) -> Option<&str> {
        match self {
            Target::Cdn { area, .. } => area.as_deref(),
            _ => None,
        }
    }

    /// The prefetch quota `output` leaves for this target (see [`read_prefetch_quota`]).
    pub fn prefetch_quota(&self, output: &Output) -> Option<QuotaReading> {
        read_prefetch_quota(output, self.cdn_area())
    }

    /// [`Target::prefetch_quota`] of an answer as `Output` writes it (`action`, and `output`
    /// as JSON), reading only the outputs [`read_prefetch_quota`] uses: another action's is
    /// `None`, unread (a reader of every output is not compiled in for this).
    pub fn prefetch_quota_of(
        &self,
        action: &str,
        output: serde_json::Value,
    ) -> Result<Option<QuotaReading>, crate::value_de::Error> {
        use crate::value_de::from_value;
        let output = match action {
            "DescribeContentQuota" => Output::DescribeContentQuota(from_value(output)?),
            "DescribePushQuota" => Output::DescribePushQuota(from_value(output)?),
            _ => return Ok(None),
        };
        Ok(self.prefetch_quota(&output))
    }
}

/// The smallest per-call cap and remainder over the CDN areas a job spends (a job on
/// `global` spends both mainland's and overseas'), from DescribePushQuota's or
/// DescribePurgeQuota's per-area rows.
pub fn cdn_areas_quota(list: &[cdn::PushQuota], cdn_area: Option<&str>) -> QuotaReading {
    let areas = cdn_push_areas(cdn_area);
    let picked: Vec<&cdn::PushQuota> = list
        .iter()
        .filter(|q| areas.contains(&q.area.as_str()))
        .collect();
    QuotaReading {
        batch: picked
            .iter()
            .filter_map(|q| q.batch)
            .min()
            .and_then(|b| usize::try_from(b).ok()),
        remaining: picked
            .iter()
            .filter_map(|q| q.available)
            .min()
            .and_then(non_negative),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::fixtures;
    use crate::{Operation, Service};

    fn push_quota(body: &str) -> Output {
        let op = Operation::from_json(Service::Cdn, "DescribePushQuota", "{}").expect("op");
        op.parse_response(200, body.as_bytes()).expect("parses")
    }

    const TWO_AREAS: &str = r#"{"Response":{"UrlPush":[
        {"Area":"mainland","Batch":500,"Total":10000,"Available":9000},
        {"Area":"overseas","Batch":200,"Total":1000,"Available":40}],"RequestId":"r"}}"#;

    #[test]
    fn cdn_reads_the_minimum_over_the_areas_the_target_spends() {
        let o = push_quota(TWO_AREAS);
        let mainland = read_prefetch_quota(&o, None).expect("quota answer");
        assert_eq!(mainland.remaining, Some(9000));
        assert_eq!(mainland.batch, Some(500));
        let global = read_prefetch_quota(&o, Some("global")).expect("quota answer");
        assert_eq!(
            global.remaining,
            Some(40),
            "the tighter area bounds a global push"
        );
        assert_eq!(global.batch, Some(200));
        let overseas = read_prefetch_quota(&o, Some("overseas")).expect("quota answer");
        assert_eq!(overseas.remaining, Some(40));
    }

    #[test]
    fn the_target_picks_its_area_and_a_negative_figure_is_no_figure() {
        let mut target = fixtures::target(Service::Cdn);
        if let Target::Cdn { area, .. } = &mut target {
            *area = Some("global".into());
        }
        let o = push_quota(TWO_AREAS);
        assert_eq!(target.prefetch_quota(&o).unwrap().remaining, Some(40));
        let negative = push_quota(
            r#"{"Response":{"UrlPush":[{"Area":"mainland","Batch":500,"Available":-3}],"RequestId":"r"}}"#,
        );
        assert_eq!(
            read_prefetch_quota(&negative, None).unwrap().remaining,
            None
        );
    }

    #[test]
    fn edgeone_reads_prefetch_url_and_other_answers_are_not_quota() {
        let op = Operation::from_json(
            Service::Teo,
            "DescribeContentQuota",
            r#"{"ZoneId":"zone-1"}"#,
        )
        .expect("op");
        let o = op
            .parse_response(
                200,
                br#"{"Response":{"PrefetchQuota":[{"Type":"prefetch_url","Batch":1000,"Daily":10000,"DailyAvailable":7}],"PurgeQuota":[{"Type":"purge_url","Batch":1000,"Daily":10000,"DailyAvailable":9999}],"RequestId":"r"}}"#,
            )
            .expect("parses");
        let q = fixtures::target(Service::Teo)
            .prefetch_quota(&o)
            .expect("quota");
        assert_eq!(
            q,
            QuotaReading {
                batch: Some(1000),
                remaining: Some(7)
            }
        );
        let other = push_quota(TWO_AREAS);
        let not_quota = Operation::from_json(Service::Cdn, "DescribePushTasks", "{}")
            .expect("op")
            .parse_response(
                200,
                br#"{"Response":{"PushLogs":[],"TotalCount":0,"RequestId":"r"}}"#,
            )
            .expect("parses");
        assert!(read_prefetch_quota(&not_quota, None).is_none());
        assert!(read_prefetch_quota(&other, None).is_some());
    }
}
