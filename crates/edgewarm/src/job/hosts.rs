//! A bad host never sinks good URLs. Every vendor refuses a whole submit when one of its hosts
//! is not on the account, zone or site (EdgeOne `InvalidParameter.DomainNotFound`, CDN
//! `ResourceNotFound.CdnHostNotExists`, ESA `InvalidParameter.RecordNotBelongToSite`; the full
//! list is [`codes::HOST_REFUSAL_CODES`]), so a sitemap with one foreign host would fail up to a
//! whole batch of good URLs. Here the engine finds the host and goes on without it:
//!
//! - when the vendor's message names a host of the batch, that host is refused at once and the
//!   rest of the batch is sent again as it was (one more call per foreign host);
//! - otherwise the batch is split by host (one sub-batch per host, so at most one more call per
//!   distinct host), and a single-host batch refused with such a code is that host's refusal.
//!   While these probes are unanswered, other batches wait (a batch refused while they run goes
//!   back to waiting rather than being split too), so they are sent once, without the host.
//!
//! A refused host is kept in the journal (`refusedHosts`): its URLs end `failed` with a reason
//! naming the host and the vendor's code, including URLs of batches not sent yet, which leave
//! it out and never call. Refused calls spend no quota (the submit's URLs go back to the
//! quota, as for any refused submit) but do count against the rate, as the vendor counts them.
//! The same module lists the URLs per host for the plan and warns about hosts a target is known
//! not to serve.

use super::{BatchState, Fate, Job, PurgeType, RefusedHost, Target};
use crate::error::ApiError;
use crate::urls;
use crate::vendor::codes;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How many URLs of the plan go to one host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct HostCount {
    /// Lower-case host name (punycode for international names).
    pub host: String,
    /// URLs of the job on that host (invalid ones not counted).
    pub urls: usize,
    /// Whether the target serves the host: `false` when the vendor refused it or the served
    /// hosts given to [`Job::plan_summary_for`] do not include it, `true` when they do; absent
    /// when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub served: Option<bool>,
}

/// A host whose URLs will not (or did not) get through, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct HostWarning {
    /// Lower-case host name.
    pub host: String,
    /// URLs of the job on that host.
    pub urls: usize,
    /// The vendor's code when the vendor refused the host; absent when the warning comes from
    /// the served hosts given to the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub code: Option<String>,
    /// A sentence naming the host, the target and what happens to its URLs.
    pub message: String,
}

/// Whether `host` is one of `served` (case-insensitive; a served `*.example.com` covers every
/// sub-domain of `example.com`).
pub fn host_is_served(host: &str, served: &[String]) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    served.iter().any(|s| {
        let s = s.trim().trim_end_matches('.').to_ascii_lowercase();
        match s.strip_prefix("*.") {
            Some(parent) => host
                .strip_suffix(parent)
                .is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
            None => s == host,
        }
    })
}

/// The host names a vendor message mentions, in the order they appear (tokens of letters,
/// digits, `-` and `.` with at least one dot).
fn hosts_in_message(message: &str) -> Vec<String> {
    message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '.'))
        .map(|t| t.trim_matches('.').to_ascii_lowercase())
        .filter(|t| t.contains('.'))
        .collect()
}

impl Job {
    /// The host URL `u` goes to: its lower-case host, or the entry itself for a host purge;
    /// `None` for cache tags and entries that are not URLs.
    pub(super) fn host_of(&self, u: u32) -> Option<String> {
        let e = self.urls.get(u as usize)?;
        match self.spec.kind.purge_type() {
            Some(PurgeType::Tag) if self.phase == super::Phase::Purge => None,
            Some(PurgeType::Host) if self.phase == super::Phase::Purge => {
                let h = e.url.trim().trim_end_matches('.').to_ascii_lowercase();
                (!h.is_empty()).then_some(h)
            }
            _ => urls::prepare(&e.url, self.spec.target.service())
                .ok()
                .map(|p| p.host),
        }
    }

    /// What the target is, in words: "EdgeOne zone zone-…", "this account's CDN", "ESA site …".
    fn target_words(&self) -> String {
        match &self.spec.target {
            Target::Edgeone { zone_id, .. } => format!("EdgeOne zone {zone_id}"),
            Target::Cdn { .. } => "this account's Tencent CDN".to_string(),
            Target::Esa { site_id, .. } => format!("ESA site {site_id}"),
        }
    }

    /// A submit of batch `i` was refused with `e`. When `e` is a host refusal
    /// ([`codes::is_host_refusal`]) and every entry of the batch has a host: refuses the host the
    /// message names (or the batch's only host), or splits the batch by host; the rest goes
    /// back to planning. Returns whether it handled the refusal.
    pub(super) fn on_host_refusal(&mut self, i: usize, e: &ApiError, now_ms: i64) -> bool {
        let cloud = self.spec.target.service().cloud();
        if !codes::is_host_refusal(cloud, &e.code) {
            return false;
        }
        let Some(b) = self.batches.get(i) else {
            return false;
        };
        // the batch's URLs grouped by host, hosts in the order they first appear
        let mut groups: Vec<(String, Vec<u32>)> = Vec::new();
        for &u in &b.urls {
            let Some(h) = self.host_of(u) else {
                return false;
            };
            match groups.iter_mut().find(|(g, _)| *g == h) {
                Some((_, list)) => list.push(u),
                None => groups.push((h, vec![u])),
            }
        }
        if groups.is_empty() {
            return false;
        }
        if let Some(b) = self.batches.get_mut(i) {
            b.state = BatchState::Planned;
            b.not_before_ms = now_ms;
            b.attempts = 0;
        }
        let named = if groups.len() == 1 {
            Some(groups[0].0.clone())
        } else {
            hosts_in_message(&e.message)
                .into_iter()
                .find(|h| groups.iter().any(|(g, _)| g == h))
        };
        match named {
            Some(host) => self.refuse_host(&host, e),
            // hosts are being probed already (this batch was in flight with the refused one
            // they came from): it waits for their answers, which leave the foreign host out
            None if self.probing_hosts() => {}
            None => {
                // one sub-batch per host: the first stays batch `i`, the others are new
                let mut rest = groups.into_iter();
                let first = rest.next().map(|(_, urls)| urls).unwrap_or_default();
                let mut template = self.batches[i].clone();
                template.host_probe = true;
                template.urls = first;
                self.batches[i] = template.clone();
                for (_, urls) in rest {
                    let mut other = template.clone();
                    other.urls = urls;
                    self.batches.push(other);
                }
            }
        }
        true
    }

    /// Whether a host probe (one host's share of a refused batch) is still unanswered: other
    /// batches wait for it, so that they are sent without the foreign host.
    pub(super) fn probing_hosts(&self) -> bool {
        self.batches.iter().any(|b| {
            b.host_probe
                && matches!(
                    b.state,
                    BatchState::Planned | BatchState::Sending | BatchState::Reconcile
                )
        })
    }

    /// Remembers `host` as refused with `e` and fails its URLs wherever they wait to be sent.
    fn refuse_host(&mut self, host: &str, e: &ApiError) {
        let cloud = self.spec.target.service().cloud();
        let line = codes::english_line(cloud, &e.code).unwrap_or("The vendor refused the host.");
        let reason = format!(
            "host {host} refused by {}: {line} Its URLs were left out and the others went on ({}: {})",
            self.target_words(),
            e.code,
            e.message
        );
        self.refused_hosts.insert(
            host.to_string(),
            RefusedHost {
                code: e.code.clone(),
                reason,
            },
        );
        self.fail_refused_hosts();
    }

    /// The URLs of refused hosts that wait to be sent (planned or deferred batches) fail with
    /// their host's reason and leave their batch; a batch left empty is done. Nothing to do
    /// while no host is refused.
    pub(super) fn fail_refused_hosts(&mut self) {
        if self.refused_hosts.is_empty() {
            return;
        }
        for i in 0..self.batches.len() {
            if !matches!(
                self.batches[i].state,
                BatchState::Planned | BatchState::Deferred
            ) {
                continue;
            }
            let urls = std::mem::take(&mut self.batches[i].urls);
            let mut kept = Vec::with_capacity(urls.len());
            for u in urls {
                let refusal = self
                    .host_of(u)
                    .and_then(|h| self.refused_hosts.get(&h).cloned());
                let waiting = self
                    .urls
                    .get(u as usize)
                    .is_some_and(|e| matches!(e.fate, Fate::Pending | Fate::Deferred(_)));
                match (refusal, waiting) {
                    (Some(r), true) => {
                        if let Some(e) = self.urls.get_mut(u as usize) {
                            e.fate = Fate::failed(r.code, r.reason);
                        }
                    }
                    _ => kept.push(u),
                }
            }
            let b = &mut self.batches[i];
            if kept.is_empty() {
                b.state = BatchState::Done;
            }
            b.urls = kept;
        }
    }

    /// The hosts the vendor refused for this job, with the code and the reason their URLs
    /// fail with (kept in the journal).
    pub fn refused_hosts(&self) -> &BTreeMap<String, RefusedHost> {
        &self.refused_hosts
    }

    /// URLs per host (invalid URLs and entries without a host left out), the largest first,
    /// then by name; each marked served or not from `served_hosts` (when given) and from the
    /// hosts the vendor refused.
    pub fn host_counts(&self, served_hosts: Option<&[String]>) -> Vec<HostCount> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (i, e) in self.urls.iter().enumerate() {
            if matches!(e.fate, Fate::Invalid(_)) {
                continue;
            }
            if let Some(h) = self.host_of(i as u32) {
                *counts.entry(h).or_default() += 1;
            }
        }
        let mut out: Vec<HostCount> = counts
            .into_iter()
            .map(|(host, urls)| {
                let served = if self.refused_hosts.contains_key(&host) {
                    Some(false)
                } else {
                    served_hosts.map(|s| host_is_served(&host, s))
                };
                HostCount { host, urls, served }
            })
            .collect();
        out.sort_by_key(|c| std::cmp::Reverse(c.urls));
        out
    }

    /// Warnings for the hosts whose URLs will not get through: those the vendor refused (their
    /// URLs fail without a call) and those missing from `served_hosts` (when given).
    pub fn host_warnings(&self, served_hosts: Option<&[String]>) -> Vec<HostWarning> {
        let target = self.target_words();
        self.host_counts(served_hosts)
            .into_iter()
            .filter(|c| c.served == Some(false))
            .map(|c| match self.refused_hosts.get(&c.host) {
                Some(r) => HostWarning {
                    message: format!(
                        "{} ({} URLs): refused by {target} ({}); its URLs fail without being sent",
                        c.host, c.urls, r.code
                    ),
                    code: Some(r.code.clone()),
                    host: c.host,
                    urls: c.urls,
                },
                None => HostWarning {
                    message: format!(
                        "{} ({} URLs) is not among the hosts {target} serves: the vendor will refuse its URLs (the other hosts' URLs still go through)",
                        c.host, c.urls
                    ),
                    code: None,
                    host: c.host,
                    urls: c.urls,
                },
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn served_hosts_match_exactly_or_by_wildcard() {
        let served = vec!["www.example.com".to_string(), "*.cdn.example.com".into()];
        assert!(host_is_served("WWW.example.com", &served));
        assert!(host_is_served("a.cdn.example.com", &served));
        assert!(!host_is_served("cdn.example.com", &served));
        assert!(!host_is_served("example.com", &served));
        assert!(!host_is_served("xcdn.example.com", &served));
    }

    #[test]
    fn hosts_are_read_from_vendor_messages() {
        assert_eq!(
            hosts_in_message("域名不存在或不属于该账号: evil.example.net"),
            vec!["evil.example.net"]
        );
        assert_eq!(
            hosts_in_message("The record foo.example.org does not belong to the site."),
            vec!["foo.example.org"]
        );
        assert!(hosts_in_message("未查询到该域名，请确认域名是否正确").is_empty());
    }
}
