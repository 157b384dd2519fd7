//! ESA purges as the sandbox answers them: PurgeCaches (caps per type, the 10-domain rule, the
//! daily and 30-day quota), DescribePurgeTasks over the PurgeCaches tasks (Refreshing →
//! Complete) and GetPurgeQuota per site and type from what was purged today and in the last 30
//! days.

use super::*;
use crate::world::{day_of, window};
use edgewarm::vendor::esa::PurgeCaches;
use edgewarm::vendor::esa_purge_tracking::{EsaDescribePurgeTasks, GetPurgeQuota};
use serde_json::{json, Value};

const DAY_MS: i64 = 86_400_000;

fn of_site<'a>(world: &'a World, site: i64, kind: &'a str) -> impl Iterator<Item = &'a Task> {
    let site = site.to_string();
    world
        .tasks
        .iter()
        .filter(move |t| t.kind == TaskKind::EsaPurge && t.scope == site && t.detail == kind)
}

/// `(used today, used in the last 30 days)` of a site's purge type.
fn usage(world: &World, site: i64, kind: &str, now: i64) -> (u64, u64) {
    let today = day_of(now + world.quota_offset_ms);
    let mut day = 0;
    let mut month = 0;
    for t in of_site(world, site, kind) {
        if day_of(t.created_ms + world.quota_offset_ms) == today {
            day += 1;
        }
        if t.created_ms > now - 30 * DAY_MS {
            month += 1;
        }
    }
    (day, month)
}

fn targets(p: &PurgeCaches) -> u64 {
    let c = p.content.clone().unwrap_or_default();
    let n = |v: Option<Vec<String>>| v.map_or(0, |v| v.len() as u64);
    match p.kind.as_deref() {
        Some("file") => n(c.files),
        Some("directory") => n(c.directories),
        Some("ignoreParams") => n(c.ignore_params),
        Some("cachetag") => n(c.cache_tags),
        Some("hostname") => n(c.hostnames),
        Some("cachekey") => c.cache_keys.map_or(0, |v| v.len() as u64),
        _ => 1,
    }
}

/// PurgeCaches beyond the site's daily or 30-day quota of its type: `QuotaExceeded` (the code
/// is assumed: the PurgeCaches page names none for it).
pub(crate) fn check_quota(
    sb: &Sandbox,
    world: &World,
    now: i64,
    p: &PurgeCaches,
) -> Result<(), Failure> {
    let l = &sb.config().limits;
    let kind = p.kind.clone().unwrap_or_else(|| "file".into());
    let (day, month) = usage(world, p.site_id.unwrap_or_default(), &kind, now);
    let n = targets(p);
    if day + n > l.esa_purge_daily || month + n > l.esa_purge_30day {
        return Err((
            429,
            "QuotaExceeded".into(),
            format!("the {kind} purge quota of the site is used up"),
        ));
    }
    Ok(())
}

/// DescribePurgeTasks: newest first, filtered by Type, Status, Content (exact) and the window.
pub(crate) fn describe(world: &World, now: i64, p: &EsaDescribePurgeTasks) -> Value {
    let site = p.site_id.unwrap_or_default().to_string();
    let (from, to) = window(&p.start_time, &p.end_time, parse_iso);
    let rows: Vec<Value> = world
        .newest(TaskKind::EsaPurge)
        .filter(|t| t.scope == site)
        .filter_map(|t| {
            let status = match (t.done(now), &t.outcome) {
                (true, Outcome::Success) => "Complete",
                (true, Outcome::Failed { .. } | Outcome::Invalid { .. }) => "Failed",
                _ => "Refreshing",
            };
            let keep = p.kind.as_ref().is_none_or(|k| *k == t.detail)
                && p.status.as_ref().is_none_or(|s| s == status)
                && p.content.as_ref().is_none_or(|c| *c == t.target)
                && t.created_ms >= from
                && t.created_ms <= to;
            keep.then(|| {
                json!({
                    "Content": t.target,
                    "CreateTime": iso(t.created_ms),
                    "Process": if status == "Refreshing" { "0%" } else { "100%" },
                    "Status": status,
                    "TaskId": t.job_id,
                    "Type": t.detail,
                })
            })
        })
        .collect();
    let number = p.page_number.unwrap_or(1).max(1);
    let size = p.page_size.unwrap_or(20).clamp(1, 50);
    let total = rows.len();
    let page: Vec<Value> = rows
        .into_iter()
        .skip(((number - 1) * size) as usize)
        .take(size as usize)
        .collect();
    json!({"PageNumber": number, "PageSize": size, "TotalCount": total, "Tasks": page})
}

/// GetPurgeQuota: every figure as a string, as the vendor sends them.
pub(crate) fn quota(sb: &Sandbox, world: &World, now: i64, p: &GetPurgeQuota) -> Value {
    let l = &sb.config().limits;
    let kind = p.kind.clone().unwrap_or_else(|| "file".into());
    let (day, month) = usage(world, p.site_id.unwrap_or_default(), &kind, now);
    json!({
        "Quota": l.esa_purge_daily.to_string(),
        "Usage": day.to_string(),
        "Quota30Day": l.esa_purge_30day.to_string(),
        "Usage30Day": month.to_string(),
    })
}

/// PurgeCaches caps per Type and the 10-domain rule (PurgeCaches API page), as configured.
fn purge_caps(ctx: &Ctx, p: &op::PurgeCaches) -> Result<(), Failure> {
    let l = &ctx.sb.config.limits;
    let c = p.content.clone().unwrap_or_default();
    let len = |v: &Option<Vec<String>>| v.as_ref().map_or(0, |v| v.len() as u64);
    let (field, n, max, urls) = match p.kind.as_deref() {
        Some("file") => ("Files", len(&c.files), l.esa_purge_files, c.files),
        Some("directory") => (
            "Directories",
            len(&c.directories),
            l.esa_purge_directories,
            c.directories,
        ),
        Some("ignoreParams") => (
            "IgnoreParams",
            len(&c.ignore_params),
            l.esa_purge_ignore_params,
            c.ignore_params,
        ),
        Some("cachetag") => (
            "CacheTags",
            len(&c.cache_tags),
            l.esa_purge_cache_tags,
            None,
        ),
        Some("hostname") => ("Hostnames", len(&c.hostnames), l.esa_purge_hostnames, None),
        Some("cachekey") => (
            "CacheKeys",
            c.cache_keys.as_ref().map_or(0, |v| v.len() as u64),
            l.esa_purge_cache_keys,
            None,
        ),
        _ => return Ok(()),
    };
    if n > max {
        return fail(
            400,
            "InvalidParameter",
            format!("Content.{field} holds {n} entries; at most {max} per call."),
        );
    }
    let domains = domain_count(urls.as_deref().unwrap_or_default());
    if domains > l.esa_purge_domains {
        return fail(
            400,
            "InvalidParameter",
            format!(
                "Content.{field} spans {domains} domains; at most {} per call.",
                l.esa_purge_domains
            ),
        );
    }
    Ok(())
}

/// Every host a PurgeCaches call names (URLs of `Files`, `Directories`, `IgnoreParams`,
/// `CacheKeys`, and `Hostnames`) is a record of the site, else the call is refused with
/// `InvalidParameter.RecordNotBelongToSite` and the first foreign host in the message (the
/// PreloadCaches API page documents this code; that PurgeCaches answers the same is assumed,
/// hence `SandboxConfig::esa_purge_checks_records`).
fn purge_hosts_belong(domains: &[String], p: &op::PurgeCaches) -> Result<(), Failure> {
    let c = p.content.clone().unwrap_or_default();
    let hosts = [c.files, c.directories, c.ignore_params]
        .into_iter()
        .flatten()
        .flatten()
        .chain(c.cache_keys.into_iter().flatten().filter_map(|k| k.url))
        .map(|u| host_of(&u).unwrap_or_default())
        .chain(
            c.hostnames
                .into_iter()
                .flatten()
                .map(|h| h.trim().to_ascii_lowercase()),
        );
    for host in hosts {
        if !domains.contains(&host) {
            return fail(
                400,
                "InvalidParameter.RecordNotBelongToSite",
                format!("The record {host} does not belong to the site."),
            );
        }
    }
    Ok(())
}

pub(super) fn purge(ctx: &mut Ctx, p: op::PurgeCaches) -> Answer {
    let domains = site_domains(ctx, p.site_id)?;
    if ctx.sb.config.esa_purge_checks_records {
        purge_hosts_belong(&domains, &p)?;
    }
    purge_caps(ctx, &p)?;
    check_quota(ctx.sb, ctx.world, ctx.now, &p)?;
    let c = p.content.clone().unwrap_or_default();
    let targets: Vec<String> = [
        c.files,
        c.directories,
        c.hostnames,
        c.cache_tags,
        c.ignore_params,
    ]
    .into_iter()
    .flatten()
    .flatten()
    .chain(c.cache_keys.into_iter().flatten().filter_map(|k| k.url))
    .chain(c.purge_all.filter(|b| *b).map(|_| "*".to_string()))
    .collect();
    let task_id = format!("{}", 17_400_000_000u64 + ctx.world.next());
    for t in targets {
        let outcome = crate::world::purge_outcome(&t);
        ctx.world.add_task(Task {
            kind: TaskKind::EsaPurge,
            job_id: task_id.clone(),
            scope: p.site_id.unwrap_or_default().to_string(),
            target: t,
            detail: p.kind.clone().unwrap_or_default(),
            created_ms: ctx.now,
            // Refreshing for the configured task time, then Complete (DescribePurgeTasks)
            done_ms: ctx.now + ctx.sb.config.limits.task_seconds as i64 * 1000,
            outcome,
        });
    }
    Ok(json!({"TaskId": task_id}))
}
