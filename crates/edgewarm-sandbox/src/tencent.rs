//! EdgeOne (`teo`) and Tencent CDN (`cdn`) as the sandbox answers them: TC3 verification,
//! `{"Response": {...}}` envelopes with business errors under `Response.Error` (HTTP 200), the
//! documented error codes, caps, daily quotas and task lifecycles.

use crate::ratelimit::RateLimiter;
use crate::world::{
    host_of, iso, outcome_for, parse_iso, parse_plain, plain_time, window, Outcome, Task, TaskKind,
    World,
};
use crate::{Reply, Sandbox};
use edgewarm::sign::tc3;
use edgewarm::vendor::{cdn, edgeone};
use edgewarm::{Error, HttpRequest, Method, Operation, Rule, Service};
use serde_json::{json, Value};

struct Ctx<'a> {
    sb: &'a Sandbox,
    world: &'a mut World,
    now: i64,
    rid: String,
}

type Answer = Result<Value, (String, String)>;

fn fail<T>(code: &str, message: impl Into<String>) -> Result<T, (String, String)> {
    Err((code.to_string(), message.into()))
}

pub(crate) fn handle(
    sb: &Sandbox,
    world: &mut World,
    limiter: &mut RateLimiter,
    service: Service,
    req: &HttpRequest,
    now: i64,
) -> Reply {
    let rid = world.request_id();
    let answer = answer(sb, world, limiter, service, req, now, &rid);
    let body = match answer {
        Ok(Value::Object(mut m)) => {
            m.insert("RequestId".into(), json!(rid));
            json!({ "Response": m })
        }
        Ok(_) => json!({"Response": {"RequestId": rid}}),
        Err((code, message)) => {
            json!({"Response": {"Error": {"Code": code, "Message": message}, "RequestId": rid}})
        }
    };
    Reply::json(200, &body)
}

fn answer(
    sb: &Sandbox,
    world: &mut World,
    limiter: &mut RateLimiter,
    service: Service,
    req: &HttpRequest,
    now: i64,
    rid: &str,
) -> Answer {
    if req.method != Method::Post {
        return fail(
            "UnsupportedProtocol",
            "the sandbox takes POST with a JSON body",
        );
    }
    let verified = tc3::verify(req, sb.tencent_keys.as_slice(), now.div_euclid(1000))
        .or_else(|e| fail(&e.code, e.message))?;
    let action = req.header("x-tc-action").unwrap_or("").trim().to_string();
    let version = req.header("x-tc-version").unwrap_or("").trim();
    if action.is_empty() {
        return fail("MissingParameter", "X-TC-Action is missing");
    }
    if version != service.version() {
        return fail(
            "NoSuchVersion",
            format!("The specified api version={version:?} does not exist in service={service}"),
        );
    }
    let limits = &sb.config.limits;
    let api = format!("{service}.{action}");
    if !limiter.try_take(
        &api,
        &verified.key_id,
        now,
        limits.rate_per_sec,
        limits.burst,
    ) {
        return fail(
            "RequestLimitExceeded",
            format!(
                "您当前每秒请求超过了每秒频率上限 `{}`，请稍后重试。",
                limits.rate_per_sec
            ),
        );
    }
    let params: Value = serde_json::from_slice(&req.body)
        .or_else(|e| fail("InvalidParameter", format!("the body is not JSON: {e}")))?;
    let intl = req
        .header("host")
        .unwrap_or(&req.host)
        .to_ascii_lowercase()
        .contains(".intl.");
    let mut op = Operation::from_parts(service, &action, params).or_else(|e| match e {
        Error::UnknownAction { .. } => fail(
            "InvalidAction",
            format!("The action {action} does not exist"),
        ),
        other => fail("InvalidParameter", other.to_string()),
    })?;
    server_side_encoding(&mut op);
    // PushUrlsCache `Layer`: only "middle" or empty is documented (PushUrlsCache API page:
    // "填写"middle"或不填充时，可指定预热至中间层节点"); the sandbox refuses anything else itself,
    // not through the core's check, with the page's generic parameter code (assumed).
    if let Operation::PushUrlsCache(p) = &op {
        if let Some(layer) = p
            .layer
            .as_deref()
            .filter(|l| !l.is_empty() && *l != "middle")
        {
            return fail(
                "InvalidParameter.CdnParamError",
                format!("Layer: only \"middle\" or empty is allowed, got {layer:?}"),
            );
        }
    }
    if let Operation::CreatePrefetchTask(p) = &op {
        if intl && p.mode.is_some() {
            return fail(
                "UnknownParameter",
                "The parameter `Mode` is not recognized (edge prefetch exists on the China site only)",
            );
        }
    }
    if let Err(errors) = op.validate(&crate::relaxed_limits()) {
        let first = errors.errors.first().cloned();
        let (code, msg) = match first {
            Some(e) if e.rule == Rule::Wildcard && service == Service::Cdn => {
                let code = if action.starts_with("Purge") {
                    "InvalidParameter.CdnPurgeWildcardNotAllowed"
                } else {
                    "InvalidParameter.CdnPushWildcardNotAllowed"
                };
                (code, e.to_string())
            }
            // EdgeOne targets that still need percent-encoding (EncodeUrl is deprecated):
            // the documented code for a bad target (that they are refused is assumed)
            Some(e) if e.rule == Rule::Characters && service == Service::Teo => {
                ("InvalidParameter.Target", e.to_string())
            }
            Some(e) if e.rule == Rule::Required => ("MissingParameter", e.to_string()),
            Some(e) => ("InvalidParameterValue", e.to_string()),
            None => ("InvalidParameter", String::new()),
        };
        return fail(code, msg);
    }
    let mut ctx = Ctx {
        sb,
        world,
        now,
        rid: rid.to_string(),
    };
    match op {
        Operation::CreatePrefetchTask(p) => create_prefetch(&mut ctx, p),
        Operation::CreatePurgeTask(p) => create_purge(&mut ctx, p),
        Operation::DescribePrefetchTasks(p) => describe_teo(&ctx, &p.0, TaskKind::TeoPrefetch),
        Operation::DescribePurgeTasks(p) => describe_teo(&ctx, &p.0, TaskKind::TeoPurge),
        Operation::DescribeContentQuota(p) => content_quota(&ctx, p),
        Operation::PushUrlsCache(p) => push(&mut ctx, p),
        Operation::DescribePushTasks(p) => describe_push(&ctx, p),
        Operation::DescribePushQuota(_) => push_quota(&ctx),
        Operation::PurgeUrlsCache(p) => {
            let urls = p.urls.unwrap_or_default();
            cdn_purge(&mut ctx, &urls, "url", p.area)
        }
        Operation::PurgePathCache(p) => {
            let paths = p.paths.unwrap_or_default();
            let detail = format!("path|{}", p.flush_type.unwrap_or_default());
            cdn_purge(&mut ctx, &paths, &detail, p.area)
        }
        Operation::CdnDescribePurgeTasks(p) => describe_cdn_purge(&ctx, p),
        Operation::DescribePurgeQuota(_) => purge_quota(&ctx),
        _ => fail(
            "InvalidAction",
            format!("{action} is not an action of {service}"),
        ),
    }
}

/// The deprecated `EncodeUrl` (teo 2022-09-01) as the server still takes it: `true` makes the
/// server RFC 3986-encode the targets (with the same encoding edgewarm applies client-side),
/// then the flag is dropped. edgewarm itself never sends it.
fn server_side_encoding(op: &mut Operation) {
    let (flag, targets) = match op {
        Operation::CreatePrefetchTask(p) => (&mut p.encode_url, &mut p.targets),
        Operation::CreatePurgeTask(p) => (&mut p.encode_url, &mut p.targets),
        _ => return,
    };
    if flag.take() == Some(true) {
        for t in targets.iter_mut().flatten() {
            if let Ok(p) = edgewarm::urls::prepare(t, Service::Teo) {
                *t = p.send;
            }
        }
    }
}

fn zone<'a>(ctx: &'a Ctx, id: &str) -> Result<Vec<&'a str>, (String, String)> {
    if id == "*" {
        return Ok(ctx
            .sb
            .config
            .zones
            .iter()
            .flat_map(|z| z.domains.iter().map(String::as_str))
            .collect());
    }
    match ctx.sb.config.zones.iter().find(|z| z.id == id) {
        Some(z) => Ok(z.domains.iter().map(String::as_str).collect()),
        None => fail("ResourceNotFound", format!("zone {id} does not exist")),
    }
}

fn check_hosts(
    targets: &[String],
    domains: &[&str],
    code: &str,
    msg: &str,
) -> Result<(), (String, String)> {
    for t in targets {
        let host = host_of(t).unwrap_or_default();
        if !domains.iter().any(|d| d.eq_ignore_ascii_case(&host)) {
            return fail(code, format!("{msg}: {host}"));
        }
    }
    Ok(())
}

fn add_tasks(
    ctx: &mut Ctx,
    kind: TaskKind,
    job: &str,
    scope: &str,
    detail: &str,
    targets: &[String],
) {
    let done = ctx.now + ctx.sb.config.limits.task_seconds as i64 * 1000;
    for t in targets {
        let outcome = match kind {
            TaskKind::TeoPrefetch | TaskKind::CdnPush | TaskKind::EsaPreload => {
                outcome_for(&ctx.sb.config, t)
            }
            _ => crate::world::purge_outcome(t),
        };
        ctx.world.add_task(Task {
            kind,
            job_id: job.to_string(),
            scope: scope.to_string(),
            target: t.clone(),
            detail: detail.to_string(),
            created_ms: ctx.now,
            done_ms: done,
            outcome,
        });
    }
}

fn create_prefetch(ctx: &mut Ctx, p: edgeone::CreatePrefetchTask) -> Answer {
    let zone_id = p.zone_id.clone().unwrap_or_default();
    let targets = p.targets.clone().unwrap_or_default();
    let domains = zone(ctx, &zone_id)?;
    check_hosts(
        &targets,
        &domains,
        "InvalidParameter.DomainNotFound",
        "域名不存在或不属于该账号",
    )?;
    let l = &ctx.sb.config.limits;
    // Mode=edge has its own daily quota (CreatePrefetchTask API page, China site)
    let (scope, batch, daily) = if p.mode.as_deref() == Some("edge") {
        (
            "prefetch_edge",
            l.teo_prefetch_batch,
            l.teo_edge_prefetch_daily,
        )
    } else {
        ("prefetch_url", l.teo_prefetch_batch, l.teo_prefetch_daily)
    };
    charge_teo(
        ctx,
        &format!("teo:{scope}:{zone_id}"),
        targets.len() as u64,
        batch,
        daily,
    )?;
    let job = format!("ew{:010x}", ctx.world.next());
    add_tasks(
        ctx,
        TaskKind::TeoPrefetch,
        &job,
        &zone_id,
        "prefetch_url",
        &targets,
    );
    Ok(json!({"JobId": job, "FailedList": []}))
}

fn create_purge(ctx: &mut Ctx, p: edgeone::CreatePurgeTask) -> Answer {
    let zone_id = p.zone_id.clone().unwrap_or_default();
    let kind = p.kind.clone().unwrap_or_default();
    let domains = zone(ctx, &zone_id)?;
    let mut targets = p.targets.clone().unwrap_or_default();
    match kind.as_str() {
        "purge_url" | "purge_prefix" => check_hosts(
            &targets,
            &domains,
            "InvalidParameter.DomainNotFound",
            "域名不存在或不属于该账号",
        )?,
        "purge_host" => {
            let urls: Vec<String> = targets.iter().map(|h| format!("https://{h}/")).collect();
            check_hosts(
                &urls,
                &domains,
                "InvalidParameter.DomainNotFound",
                "域名不存在或不属于该账号",
            )?
        }
        "purge_all" => targets = vec![zone_id.clone()],
        _ => {}
    }
    let (batch, daily) = ctx
        .sb
        .config
        .limits
        .teo_quota(&kind)
        .unwrap_or((u64::MAX, u64::MAX));
    charge_teo(
        ctx,
        &format!("teo:{kind}:{zone_id}"),
        targets.len() as u64,
        batch,
        daily,
    )?;
    let job = format!("ew{:010x}", ctx.world.next());
    let detail = format!(
        "{kind}|{}",
        p.method.clone().unwrap_or_else(|| "invalidate".into())
    );
    add_tasks(ctx, TaskKind::TeoPurge, &job, &zone_id, &detail, &targets);
    Ok(json!({"JobId": job, "FailedList": []}))
}

/// Checks the per-call cap and today's quota of an EdgeOne scope, then spends `n` units.
fn charge_teo(
    ctx: &mut Ctx,
    scope: &str,
    n: u64,
    batch: u64,
    daily: u64,
) -> Result<(), (String, String)> {
    if n > batch {
        return fail(
            "LimitExceeded.BatchQuota",
            format!("本次提交的资源数超过上限 {batch}"),
        );
    }
    if ctx.world.used(scope, ctx.now) + n > daily {
        return fail("LimitExceeded.DailyQuota", "当天提交的资源数超过上限");
    }
    ctx.world.spend(scope, ctx.now, n);
    Ok(())
}

fn teo_status(t: &Task, now: i64) -> (&'static str, Option<String>, Option<String>) {
    if !t.done(now) {
        return ("processing", None, None);
    }
    match &t.outcome {
        Outcome::Success => ("success", None, None),
        Outcome::Pending => ("processing", None, None),
        Outcome::Failed { fail_type, message } => {
            ("failed", Some(fail_type.clone()), Some(message.clone()))
        }
        Outcome::Invalid { message } => ("invalid", None, Some(message.clone())),
    }
}

fn page<T: Clone>(items: Vec<T>, offset: Option<i64>, limit: Option<i64>) -> Vec<T> {
    let offset = offset.unwrap_or(0).max(0) as usize;
    let limit = limit.unwrap_or(20).max(0) as usize;
    items.into_iter().skip(offset).take(limit).collect()
}

fn describe_teo(ctx: &Ctx, d: &edgeone::DescribeTasks, kind: TaskKind) -> Answer {
    let zone_id = d.zone_id.clone().unwrap_or_default();
    zone(ctx, &zone_id)?;
    let (from, to) = window(&d.start_time, &d.end_time, parse_iso);
    let filters = d.filters.clone().unwrap_or_default();
    let mut rows: Vec<Value> = Vec::new();
    // one exact job id (how the engine polls): read that task's rows only
    let job = filters
        .iter()
        .find(|f| f.name.as_deref() == Some("job-id") && !f.fuzzy.unwrap_or(false))
        .and_then(|f| f.values.as_deref())
        .and_then(|v| match v {
            [one] => Some(one.as_str()),
            _ => None,
        });
    for t in ctx.world.newest_of(kind, job) {
        if t.kind != kind || (zone_id != "*" && t.scope != zone_id) {
            continue;
        }
        if t.created_ms < from || t.created_ms > to {
            continue;
        }
        let (status, fail_type, fail_message) = teo_status(t, ctx.now);
        let (task_type, method) = match t.detail.split_once('|') {
            Some((k, m)) => (k.to_string(), Some(m.to_string())),
            None => (t.detail.clone(), None),
        };
        let host = host_of(&t.target).unwrap_or_default();
        let keep = filters.iter().all(|f| {
            let values = f.values.clone().unwrap_or_default();
            let fuzzy = f.fuzzy.unwrap_or(false);
            let matches = |s: &str| {
                values.iter().any(|v| {
                    if fuzzy {
                        s.contains(v.as_str())
                    } else {
                        s == v
                    }
                })
            };
            match f.name.as_deref() {
                Some("job-id") => matches(&t.job_id),
                Some("target") => matches(&t.target),
                Some("domains") => matches(&host),
                Some("statuses") => matches(status),
                Some("type") => matches(&task_type),
                _ => true,
            }
        });
        if !keep {
            continue;
        }
        rows.push(json!({
            "JobId": t.job_id,
            "Target": t.target,
            "Type": task_type,
            "Method": method,
            "Status": status,
            "CreateTime": iso(t.created_ms),
            "UpdateTime": iso(if t.done(ctx.now) { t.done_ms } else { t.created_ms }),
            "FailType": fail_type,
            "FailMessage": fail_message,
        }));
    }
    let total = rows.len();
    Ok(json!({"TotalCount": total, "Tasks": page(rows, d.offset, d.limit)}))
}

fn content_quota(ctx: &Ctx, p: edgeone::DescribeContentQuota) -> Answer {
    let zone_id = p.zone_id.unwrap_or_default();
    zone(ctx, &zone_id)?;
    // one Quota per type (DescribeContentQuota API page); the edge quota is not reported
    // (assumed: the documented Quota types have no edge entry)
    let quota = |kind: &str| {
        let (batch, daily) = ctx.sb.config.limits.teo_quota(kind).unwrap_or_default();
        let used = ctx.world.used(&format!("teo:{kind}:{zone_id}"), ctx.now);
        json!({"Batch": batch, "Daily": daily, "DailyAvailable": daily.saturating_sub(used), "Type": kind})
    };
    let purge: Vec<Value> = [
        "purge_url",
        "purge_prefix",
        "purge_host",
        "purge_all",
        "purge_cache_tag",
    ]
    .into_iter()
    .map(quota)
    .collect();
    Ok(json!({"PurgeQuota": purge, "PrefetchQuota": [quota("prefetch_url")]}))
}

/// Every URL's host is one of the sandbox's CDN domains (the code and message CDN answers).
fn check_cdn_hosts(ctx: &Ctx, urls: &[String]) -> Result<(), (String, String)> {
    let domains: Vec<&str> = ctx
        .sb
        .config
        .cdn_domains
        .iter()
        .map(String::as_str)
        .collect();
    check_hosts(
        urls,
        &domains,
        "ResourceNotFound.CdnHostNotExists",
        "未查询到该域名，请确认域名是否正确",
    )
}

fn push(ctx: &mut Ctx, p: cdn::PushUrlsCache) -> Answer {
    let urls = p.urls.clone().unwrap_or_default();
    check_cdn_hosts(ctx, &urls)?;
    let area = p
        .area
        .clone()
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "mainland".into());
    let limits = &ctx.sb.config.limits;
    if urls.len() as u64 > limits.cdn_push_batch {
        return fail(
            "LimitExceeded.CdnPushExceedBatchLimit",
            "预热的Url数量超过单次限制。",
        );
    }
    let areas: Vec<&str> = match area.as_str() {
        "global" => vec!["mainland", "overseas"],
        a => vec![if a == "overseas" {
            "overseas"
        } else {
            "mainland"
        }],
    };
    for a in &areas {
        if ctx.world.used(&format!("cdn:push:{a}"), ctx.now) + urls.len() as u64
            > limits.cdn_push_daily
        {
            return fail(
                "LimitExceeded.CdnPushExceedDayLimit",
                "预热的Url数量超过每日限制。",
            );
        }
    }
    for a in &areas {
        ctx.world
            .spend(&format!("cdn:push:{a}"), ctx.now, urls.len() as u64);
    }
    let n = ctx.world.next();
    let task_id = format!("{}{:09}", ctx.now.div_euclid(1000), n);
    add_tasks(ctx, TaskKind::CdnPush, &task_id, &area, "", &urls);
    Ok(json!({"TaskId": task_id}))
}

/// The filters both CDN task lists apply: `TaskId` (which then replaces the window), the
/// window, and `Keyword` (a host, or a URL prefix).
fn cdn_list_keeps(
    t: &Task,
    task_id: &Option<String>,
    (from, to): (i64, i64),
    keyword: &Option<String>,
) -> bool {
    let host = host_of(&t.target).unwrap_or_default();
    task_id.as_ref().is_none_or(|id| *id == t.job_id)
        && (task_id.is_some() || (t.created_ms >= from && t.created_ms <= to))
        && keyword
            .as_ref()
            .is_none_or(|k| *k == host || t.target.starts_with(k.as_str()))
}

fn describe_push(ctx: &Ctx, p: cdn::DescribePushTasks) -> Answer {
    let w = window(&p.start_time, &p.end_time, parse_plain);
    let mut rows = Vec::new();
    for t in ctx.world.newest_of(TaskKind::CdnPush, p.task_id.as_deref()) {
        let status = match (t.done(ctx.now), &t.outcome) {
            (false, _) => "process",
            (true, Outcome::Success) => "done",
            (true, Outcome::Pending) => "process",
            (true, Outcome::Failed { .. }) => "fail",
            (true, Outcome::Invalid { .. }) => "invalid",
        };
        let keep = cdn_list_keeps(t, &p.task_id, w, &p.keyword)
            && p.status.as_ref().is_none_or(|s| s == status)
            && p.area.as_ref().is_none_or(|a| *a == t.scope);
        if keep {
            rows.push(json!({
                "TaskId": t.job_id,
                "Url": t.target,
                "Status": status,
                "Percent": if t.done(ctx.now) { 100 } else { 0 },
                "CreateTime": plain_time(t.created_ms),
                "Area": t.scope,
                "UpdateTime": plain_time(if t.done(ctx.now) { t.done_ms } else { t.created_ms }),
            }));
        }
    }
    let total = rows.len();
    Ok(json!({"PushLogs": page(rows, p.offset, p.limit), "TotalCount": total}))
}

fn push_quota(ctx: &Ctx) -> Answer {
    let l = &ctx.sb.config.limits;
    let quota = |area: &str| {
        let used = ctx.world.used(&format!("cdn:push:{area}"), ctx.now);
        json!({"Batch": l.cdn_push_batch, "Total": l.cdn_push_daily,
               "Available": l.cdn_push_daily.saturating_sub(used), "Area": area})
    };
    let _ = &ctx.rid;
    Ok(json!({"UrlPush": [quota("mainland"), quota("overseas")]}))
}

/// PurgeUrlsCache (`detail` `url`) and PurgePathCache (`path|flush` / `path|delete`): the hosts
/// must be CDN domains, the batch and the per-area daily quota as configured, with the codes of
/// the purge family; the area defaults to `mainland` (the domain's own area in the vendor).
fn cdn_purge(ctx: &mut Ctx, targets: &[String], detail: &str, area: Option<String>) -> Answer {
    check_cdn_hosts(ctx, targets)?;
    let area = area
        .filter(|a| a == "overseas")
        .unwrap_or_else(|| "mainland".into());
    let l = &ctx.sb.config.limits;
    let path = detail.starts_with("path");
    let (batch, daily, scope) = if path {
        (l.cdn_purge_path_batch, l.cdn_purge_path_daily, "path")
    } else {
        (l.cdn_purge_url_batch, l.cdn_purge_url_daily, "url")
    };
    let n = targets.len() as u64;
    if n > batch {
        return if path {
            fail(
                "LimitExceeded.CdnPurgePathExceedBatchLimit",
                "刷新的目录数量超过限制。",
            )
        } else {
            fail(
                "LimitExceeded.CdnPurgeUrlExceedBatchLimit",
                "刷新的Url数量超过限制。",
            )
        };
    }
    let scope = format!("cdn:purge-{scope}:{area}");
    if ctx.world.used(&scope, ctx.now) + n > daily {
        return if path {
            fail(
                "LimitExceeded.CdnPurgePathExceedDayLimit",
                "刷新的目录数量超过每日限制。",
            )
        } else {
            fail(
                "LimitExceeded.CdnPurgeUrlExceedDayLimit",
                "刷新的Url数量超过每日限额。",
            )
        };
    }
    ctx.world.spend(&scope, ctx.now, n);
    let task_id = format!("{}{:09}", ctx.now.div_euclid(1000), ctx.world.next());
    add_tasks(ctx, TaskKind::CdnPurge, &task_id, &area, detail, targets);
    Ok(json!({"TaskId": task_id}))
}

fn describe_cdn_purge(ctx: &Ctx, p: cdn::CdnDescribePurgeTasks) -> Answer {
    let w = window(&p.start_time, &p.end_time, parse_plain);
    let mut rows = Vec::new();
    for t in ctx
        .world
        .newest_of(TaskKind::CdnPurge, p.task_id.as_deref())
    {
        let status = match (t.done(ctx.now), &t.outcome) {
            (true, Outcome::Success) => "done",
            (true, Outcome::Failed { .. } | Outcome::Invalid { .. }) => "fail",
            _ => "process",
        };
        let mut detail = t.detail.split('|');
        let purge_type = detail.next().unwrap_or("url");
        let flush = detail.next();
        let keep = cdn_list_keeps(t, &p.task_id, w, &p.keyword)
            && p.purge_type.as_ref().is_none_or(|k| k == purge_type)
            && p.status.as_ref().is_none_or(|s| s == status)
            && p.area
                .as_ref()
                .is_none_or(|a| a == "global" || *a == t.scope);
        if keep {
            let mut row = json!({
                "TaskId": t.job_id,
                "Url": t.target,
                "Status": status,
                "PurgeType": purge_type,
                "CreateTime": plain_time(t.created_ms),
            });
            row["FlushType"] = json!(flush.unwrap_or("delete"));
            rows.push(row);
        }
    }
    let total = rows.len();
    Ok(json!({"PurgeLogs": page(rows, p.offset, p.limit), "TotalCount": total}))
}

fn purge_quota(ctx: &Ctx) -> Answer {
    let l = &ctx.sb.config.limits;
    let quota = |kind: &str, batch: u64, daily: u64, area: &str| {
        let used = ctx.world.used(&format!("cdn:purge-{kind}:{area}"), ctx.now);
        json!({"Batch": batch, "Total": daily, "Available": daily.saturating_sub(used), "Area": area})
    };
    let areas = ["mainland", "overseas"];
    Ok(json!({
        "UrlPurge": areas.map(|a| quota("url", l.cdn_purge_url_batch, l.cdn_purge_url_daily, a)),
        "PathPurge": areas.map(|a| quota("path", l.cdn_purge_path_batch, l.cdn_purge_path_daily, a)),
    }))
}
