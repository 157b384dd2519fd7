//! ESA's immediate preload as the sandbox answers it: PreloadCaches (per-call and daily caps,
//! the domain rule) and DescribePreloadTasks (the task list in ESA's time forms).

use super::*;

pub(super) fn preload(ctx: &mut Ctx, p: op::PreloadCaches) -> Answer {
    let domains = site_domains(ctx, p.site_id)?;
    let urls = p.content.clone().unwrap_or_default();
    for u in &urls {
        let host = host_of(u).unwrap_or_default();
        if !domains.contains(&host) {
            return fail(
                400,
                "InvalidParameter.RecordNotBelongToSite",
                format!("The record {host} does not belong to the site."),
            );
        }
    }
    let limits = &ctx.sb.config.limits;
    if domain_count(&urls) > limits.esa_preload_domains {
        return fail(
            400,
            "DomainNameOverLimit",
            format!(
                "The number of domain names exceeds the limit: at most {} per request.",
                limits.esa_preload_domains
            ),
        );
    }
    if urls.len() as u64 > limits.esa_preload_batch {
        return fail(
            400,
            "InvalidParameter",
            format!(
                "Content holds {} URLs; at most {} per call.",
                urls.len(),
                limits.esa_preload_batch
            ),
        );
    }
    let scope = format!("esa:preload:{}", p.site_id.unwrap_or_default());
    if ctx.world.used(&scope, ctx.now) + urls.len() as u64 > limits.esa_preload_daily {
        return fail(400, "QuotaExceeded", "The daily prefetch quota is used up.");
    }
    ctx.world.spend(&scope, ctx.now, urls.len() as u64);
    let task_id = format!("{}", 16_400_000_000u64 + ctx.world.next());
    let done = ctx.now + limits.task_seconds as i64 * 1000;
    for u in urls {
        let outcome = outcome_for(&ctx.sb.config, &u);
        ctx.world.add_task(Task {
            kind: TaskKind::EsaPreload,
            job_id: task_id.clone(),
            scope: p.site_id.unwrap_or_default().to_string(),
            target: u,
            detail: String::new(),
            created_ms: ctx.now,
            done_ms: done,
            outcome,
        });
    }
    Ok(json!({"TaskId": task_id}))
}

pub(super) fn describe_preload(ctx: &Ctx, p: op::DescribePreloadTasks) -> Answer {
    site_domains(ctx, p.site_id)?;
    if let Err(e) = p.validate_at(&esa_limits(ctx.sb), ctx.now) {
        return fail(400, "InvalidTime", e.errors[0].to_string());
    }
    let limits = &ctx.sb.config.limits;
    let retained = |created: i64| {
        limits.esa_task_retention_secs == 0
            || ctx.now - created <= limits.esa_task_retention_secs as i64 * 1000
    };
    let site = p.site_id.unwrap_or_default().to_string();
    let (from, to) = window(&p.start_time, &p.end_time, parse_iso);
    let mut rows = Vec::new();
    for t in ctx
        .world
        .newest(TaskKind::EsaPreload)
        .filter(|t| t.scope == site)
    {
        let (status, description) = match (t.done(ctx.now), &t.outcome) {
            (false, _) => ("Refreshing", String::new()),
            (true, Outcome::Success) => ("Complete", String::new()),
            (true, Outcome::Pending) => ("Refreshing", String::new()),
            (true, Outcome::Failed { message, .. }) => ("Failed", message.clone()),
            (true, Outcome::Invalid { message }) => ("Failed", message.clone()),
        };
        let keep = retained(t.created_ms)
            && t.created_ms >= from
            && t.created_ms <= to
            && p.content.as_ref().is_none_or(|c| *c == t.target)
            && p.status.as_ref().is_none_or(|s| s == status);
        if keep {
            let created = match limits.esa_create_time.as_str() {
                "iso" => iso(t.created_ms),
                "utc" => plain_time(t.created_ms - 8 * 3_600_000),
                _ => plain_time(t.created_ms),
            };
            rows.push(json!({"Content": t.target, "CreateTime": created, "Description": description,
                             "Process": if t.done(ctx.now) { "100%" } else { "0%" }, "Status": status, "TaskId": t.job_id}));
        }
    }
    let total = rows.len();
    let size = p.page_size.unwrap_or(20);
    let rows = page(rows, p.page_number, Some(size))?;
    Ok(
        json!({"PageNumber": p.page_number.unwrap_or(1), "PageSize": size, "TotalCount": total,
              "Tasks": rows}),
    )
}
