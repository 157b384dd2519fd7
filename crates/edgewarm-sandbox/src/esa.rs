//! Alibaba ESA as the sandbox answers it: ACS3 verification, RPC parameters from the query and
//! the form body (arrays and maps as JSON strings), `{Code, Message, RequestId, HostId}` errors
//! with 4xx statuses, and scheduled jobs whose plans submit `SliceLen` URLs every `Interval`.

use crate::ratelimit::RateLimiter;
use crate::world::{
    host_of, iso, outcome_for, parse_iso, plain_time, Execution, Job, Outcome, Task, TaskKind,
    World,
};
use crate::{Reply, Sandbox};
use edgewarm::encoding::form_decode;
use edgewarm::sign::acs3;
use edgewarm::vendor::esa as op;
use edgewarm::{Error, HttpRequest, Operation, Rule, Service};
use serde_json::{json, Map, Value};

/// `(status, code, message)`
type Failure = (u16, String, String);
type Answer = Result<Value, Failure>;

fn fail<T>(status: u16, code: &str, message: impl Into<String>) -> Result<T, Failure> {
    Err((status, code.to_string(), message.into()))
}

/// Most jobs one site may hold (InvalidJob.JobCountOfSiteFull beyond).
const MAX_JOBS_PER_SITE: usize = 100;

pub(crate) fn handle(
    sb: &Sandbox,
    world: &mut World,
    limiter: &mut RateLimiter,
    host: &str,
    req: &HttpRequest,
    now: i64,
) -> Reply {
    let rid = world.request_id();
    match answer(sb, world, limiter, req, now) {
        Ok(Value::Object(mut m)) => {
            m.insert("RequestId".into(), json!(rid));
            Reply::json(200, &Value::Object(m))
        }
        Ok(_) => Reply::json(200, &json!({"RequestId": rid})),
        Err((status, code, message)) => Reply::json(
            status,
            &json!({"RequestId": rid, "HostId": host, "Code": code, "Message": message,
                    "Recommend": format!("https://api.aliyun.com/troubleshoot?q={code}")}),
        ),
    }
}

/// Wire pairs → the JSON shape of the typed parameters.
fn params_value(action: &str, pairs: Vec<(String, String)>) -> Result<Value, Failure> {
    let mut map = Map::new();
    for (k, v) in pairs {
        let numeric = matches!(
            k.as_str(),
            "SiteId" | "PageNumber" | "PageSize" | "Interval" | "SliceLen"
        ) || (action == "ListScheduledPreloadJobs"
            && (k == "StartTime" || k == "EndTime"));
        let boolean = matches!(k.as_str(), "Force" | "EdgeComputePurge");
        let json_text = k == "Executions"
            || (k == "Content" && (action == "PreloadCaches" || action == "PurgeCaches"))
            || (k == "Headers" && action == "PreloadCaches");
        let value = if numeric {
            match v.trim().parse::<i64>() {
                Ok(n) => json!(n),
                Err(_) => {
                    return fail(
                        400,
                        &format!("InvalidParameter.{k}"),
                        format!("{k} must be an integer"),
                    )
                }
            }
        } else if boolean {
            match v.to_ascii_lowercase().as_str() {
                "true" => json!(true),
                "false" => json!(false),
                _ => {
                    return fail(
                        400,
                        &format!("InvalidParameter.{k}"),
                        format!("{k} must be true or false"),
                    )
                }
            }
        } else if json_text {
            serde_json::from_str(&v).or_else(|e| {
                fail(
                    400,
                    &format!("InvalidParameter.{k}"),
                    format!("{k} is not JSON: {e}"),
                )
            })?
        } else {
            json!(v)
        };
        map.insert(k, value);
    }
    Ok(Value::Object(map))
}

fn answer(
    sb: &Sandbox,
    world: &mut World,
    limiter: &mut RateLimiter,
    req: &HttpRequest,
    now: i64,
) -> Answer {
    let verified = acs3::verify(req, sb.alibaba_keys.as_slice(), now.div_euclid(1000))
        .or_else(|e| fail(e.http_status.unwrap_or(400), &e.code, e.message))?;
    let action = req.header("x-acs-action").unwrap_or("").trim().to_string();
    let version = req.header("x-acs-version").unwrap_or("").trim();
    if version != Service::Esa.version() {
        return fail(
            400,
            "InvalidVersion",
            format!("Specified parameter Version {version:?} is not valid."),
        );
    }
    let limits = &sb.config.limits;
    if !limiter.try_take(
        &format!("esa.{action}"),
        &verified.key_id,
        now,
        limits.rate_per_sec,
        limits.burst,
    ) {
        return fail(
            400,
            "Throttling.User",
            "Request was denied due to user flow control.",
        );
    }
    let mut pairs = form_decode(&req.query)
        .ok_or_else(|| (400, "InvalidParameter".into(), "query is not UTF-8".into()))?;
    let is_form = req.header("content-type").is_some_and(|c| {
        c.to_ascii_lowercase()
            .starts_with("application/x-www-form-urlencoded")
    });
    if is_form {
        let body = std::str::from_utf8(&req.body).unwrap_or("");
        pairs.extend(
            form_decode(body)
                .ok_or_else(|| (400, "InvalidParameter".into(), "body is not UTF-8".into()))?,
        );
    }
    let params = params_value(&action, pairs)?;
    let operation = Operation::from_parts(Service::Esa, &action, params).or_else(|e| match e {
        Error::UnknownAction { .. } => fail(
            404,
            "InvalidApi.NotFound",
            "Specified api is not found, please check your url and method.",
        ),
        other => fail(400, "InvalidParameter", other.to_string()),
    })?;
    let relaxed = esa_limits(sb);
    if let Err(errors) = operation.validate(&relaxed) {
        let e = errors.errors[0].clone();
        let describe = action == "DescribePreloadTasks";
        let code = match (e.field.as_str(), e.rule) {
            ("StartTime" | "EndTime", Rule::Combination) if describe => {
                "MissingTimeParameter".to_string()
            }
            ("StartTime" | "EndTime", _) if describe => "InvalidTime".to_string(),
            ("UrlList", Rule::Combination) => "MissingUrlList".to_string(),
            ("OssUrl", Rule::Combination) => "MissingOssUrl".to_string(),
            (f, _) if f.ends_with("EndTime") && e.rule == Rule::TimeOrder => {
                "InvalidEndTime.Mismatch".to_string()
            }
            (f, Rule::Required) if !f.contains(['[', '.']) => format!("Missing{f}"),
            _ => "InvalidParameter".to_string(),
        };
        return fail(400, &code, e.to_string());
    }
    let ctx = &mut Ctx { sb, world, now };
    match operation {
        Operation::CreateScheduledPreloadJob(p) => create_job(ctx, p),
        Operation::GetScheduledPreloadJob(p) => job_of(ctx, &p.0.id).map(|j| job_json(ctx, &j)),
        Operation::ResetScheduledPreloadJob(p) => reset_job(ctx, &p.0.id),
        Operation::DeleteScheduledPreloadJob(p) => delete_job(ctx, &p.0.id),
        Operation::ListScheduledPreloadJobs(p) => list_jobs(ctx, p),
        Operation::CreateScheduledPreloadExecutions(p) => create_executions(ctx, p),
        Operation::ListScheduledPreloadExecutions(p) => list_executions(ctx, &p.0.id),
        Operation::UpdateScheduledPreloadExecution(p) => update_execution(ctx, p),
        Operation::StartScheduledPreloadExecution(p) => start_stop(ctx, &p.0.id, false),
        Operation::StopScheduledPreloadExecution(p) => start_stop(ctx, &p.0.id, true),
        Operation::DeleteScheduledPreloadExecution(p) => delete_execution(ctx, &p.0.id),
        Operation::PreloadCaches(p) => preload(ctx, p),
        Operation::DescribePreloadTasks(p) => describe_preload(ctx, p),
        Operation::PurgeCaches(p) => purge(ctx, p),
        Operation::EsaDescribePurgeTasks(p) => {
            Ok(crate::esa_purge::describe(ctx.world, ctx.now, &p))
        }
        Operation::GetPurgeQuota(p) => Ok(crate::esa_purge::quota(ctx.sb, ctx.world, ctx.now, &p)),
        _ => fail(
            404,
            "InvalidApi.NotFound",
            "Specified api is not found, please check your url and method.",
        ),
    }
}

/// The core's checks as the sandbox runs them: per-call caps lifted (the sandbox enforces its
/// configured ones itself, with the vendor's codes), the look-back as configured.
fn esa_limits(sb: &Sandbox) -> edgewarm::Limits {
    let l = &sb.config.limits;
    edgewarm::Limits {
        esa_preload_domains: usize::MAX,
        esa_purge_files: usize::MAX,
        esa_purge_directories: usize::MAX,
        esa_purge_ignore_params: usize::MAX,
        esa_purge_cache_tags: usize::MAX,
        esa_purge_hostnames: usize::MAX,
        esa_purge_cache_keys: usize::MAX,
        esa_purge_domains: usize::MAX,
        esa_preload_lookback_secs: i64::try_from(l.esa_preload_lookback_secs).unwrap_or(i64::MAX),
        ..crate::relaxed_limits()
    }
}

/// Distinct lower-case hosts of `urls`.
fn domain_count(urls: &[String]) -> u64 {
    let mut hosts: Vec<String> = urls.iter().filter_map(|u| host_of(u)).collect();
    hosts.sort();
    hosts.dedup();
    hosts.len() as u64
}

struct Ctx<'a> {
    sb: &'a Sandbox,
    world: &'a mut World,
    now: i64,
}

fn site_domains(ctx: &Ctx, site: Option<i64>) -> Result<Vec<String>, Failure> {
    let id = site.unwrap_or_default();
    match ctx.sb.config.esa_sites.iter().find(|s| s.id == id) {
        Some(s) => Ok(s.domains.iter().map(|d| d.to_ascii_lowercase()).collect()),
        None => fail(
            404,
            "SiteNotFound",
            format!("The site {id} does not exist."),
        ),
    }
}

fn hex_id(world: &mut World) -> String {
    format!(
        "{:024x}",
        0x665d_0000_0000_0000_0000_0000u128 + u128::from(world.next())
    )
}

fn submitted(ctx: &Ctx, job: &Job) -> i64 {
    let slices: i64 = ctx
        .world
        .executions
        .values()
        .filter(|e| e.job_id == job.id)
        .map(|e| e.slices(ctx.now).saturating_mul(e.slice_len))
        .fold(0i64, |a, b| a.saturating_add(b));
    slices.min(job.urls.len() as i64)
}

fn job_json(ctx: &Ctx, job: &Job) -> Value {
    let executions = ctx
        .world
        .executions
        .values()
        .filter(|e| e.job_id == job.id)
        .count();
    json!({
        "AliUid": "1000000000000001",
        "CreatedAt": iso(job.created_ms),
        "Domains": job.domains.join(","),
        "ErrorInfo": job.error_info.join(","),
        "FailedFileOss": if job.error_info.is_empty() { String::new() } else { format!("https://sandbox-oss.invalid/failed/{}.txt", job.id) },
        "FileId": job.file_id,
        "Id": job.id,
        "InsertWay": job.insert_way,
        "Name": job.name,
        "SiteId": job.site_id,
        "TaskSubmitted": submitted(ctx, job),
        "TaskType": "preload",
        "UrlCount": job.url_count,
        "UrlSubmitted": job.urls.len(),
        "ExecutionCount": executions,
    })
}

fn job_of(ctx: &Ctx, id: &Option<String>) -> Result<Job, Failure> {
    let id = id.clone().unwrap_or_default();
    ctx.world.jobs.get(&id).cloned().ok_or((
        404,
        "InvalidJob.NotFound".into(),
        "The task does not exist. Check whether the task ID is correct or whether the task has been deleted.".into(),
    ))
}

fn create_job(ctx: &mut Ctx, p: op::CreateScheduledPreloadJob) -> Answer {
    let domains = site_domains(ctx, p.site_id)?;
    let site_id = p.site_id.unwrap_or_default();
    if ctx
        .world
        .jobs
        .values()
        .filter(|j| j.site_id == site_id)
        .count()
        >= MAX_JOBS_PER_SITE
    {
        return fail(400, "InvalidJob.JobCountOfSiteFull", "The maximum number of prefetch tasks for the website has been reached. Delete some unwanted ones and try again.");
    }
    let mut urls = Vec::new();
    let mut errors = Vec::new();
    let mut seen_domains = Vec::new();
    let mut count = 0i64;
    let text = if p.insert_way.as_deref() == Some("textBox") {
        p.url_list.clone().unwrap_or_default()
    } else {
        String::new()
    };
    for line in text
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
    {
        count += 1;
        match host_of(line) {
            None => errors.push("InvalidUrl"),
            Some(h) if !domains.contains(&h) => errors.push("InvalidDomain"),
            Some(_) if urls.len() as u64 >= ctx.sb.config.limits.esa_job_urls => {
                errors.push("QuotaExcess")
            }
            Some(h) => {
                if !seen_domains.contains(&h) {
                    seen_domains.push(h);
                }
                urls.push(line.to_string());
            }
        }
    }
    if p.insert_way.as_deref() == Some("oss") {
        errors.push("OtherErrors");
    }
    let mut error_info: Vec<String> = Vec::new();
    for e in errors {
        if !error_info.iter().any(|x| x == e) {
            error_info.push(e.to_string());
        }
    }
    let id = hex_id(ctx.world);
    let file_id = hex_id(ctx.world);
    let job = Job {
        id: id.clone(),
        name: p.name.unwrap_or_default(),
        site_id,
        insert_way: p.insert_way.unwrap_or_default(),
        urls,
        url_count: count,
        error_info,
        domains: seen_domains,
        created_ms: ctx.now,
        file_id,
    };
    ctx.world.jobs.insert(id, job.clone());
    Ok(job_json(ctx, &job))
}

fn reset_job(ctx: &mut Ctx, id: &Option<String>) -> Answer {
    let job = job_of(ctx, id)?;
    for e in ctx
        .world
        .executions
        .values_mut()
        .filter(|e| e.job_id == job.id)
    {
        e.banked_slices = 0;
        e.run_from_ms = ctx.now.max(e.start_ms);
    }
    Ok(job_json(ctx, &job))
}

fn delete_job(ctx: &mut Ctx, id: &Option<String>) -> Answer {
    let job = job_of(ctx, id)?;
    ctx.world.jobs.shift_remove(&job.id);
    ctx.world.executions.retain(|_, e| e.job_id != job.id);
    Ok(json!({}))
}

/// One page of a list. `PageSize` and `PageNumber` must be positive: ListScheduledPreloadJobs
/// documents no range (ListScheduledPreloadJobs API page; its default size is not documented
/// either: assumed 20), so any positive size is honoured as asked, never clamped;
/// DescribePreloadTasks' 1–50 is checked by validation before. Zero or less is refused with
/// `InvalidParameter` (code assumed).
fn page<T>(items: Vec<T>, number: Option<i64>, size: Option<i64>) -> Result<Vec<T>, Failure> {
    let positive = |field: &str, v: i64| match usize::try_from(v) {
        Ok(n) if n > 0 => Ok(n),
        _ => fail(
            400,
            "InvalidParameter",
            format!("{field}: must be a positive integer, got {v}"),
        ),
    };
    let size = positive("PageSize", size.unwrap_or(20))?;
    let number = positive("PageNumber", number.unwrap_or(1))?;
    Ok(items
        .into_iter()
        .skip((number - 1).saturating_mul(size))
        .take(size)
        .collect())
}

fn list_jobs(ctx: &Ctx, p: op::ListScheduledPreloadJobs) -> Answer {
    site_domains(ctx, p.site_id)?;
    let site = p.site_id.unwrap_or_default();
    let jobs: Vec<Value> = ctx
        .world
        .jobs
        .values()
        .rev()
        .filter(|j| j.site_id == site)
        .filter(|j| {
            p.start_time.is_none_or(|s| j.created_ms >= s)
                && p.end_time.is_none_or(|e| j.created_ms <= e)
        })
        .map(|j| job_json(ctx, j))
        .collect();
    let total = jobs.len();
    let jobs = page(jobs, p.page_number, p.page_size)?;
    Ok(json!({"Jobs": jobs, "TotalCount": total}))
}

fn execution_status(ctx: &Ctx, e: &Execution) -> &'static str {
    let done = ctx
        .world
        .jobs
        .get(&e.job_id)
        .is_none_or(|j| submitted(ctx, j) >= j.urls.len() as i64);
    if e.stopped {
        "stopped"
    } else if ctx.now < e.start_ms {
        "waiting"
    } else if done || e.end_ms.is_some_and(|end| ctx.now >= end) {
        "finished"
    } else {
        "running"
    }
}

fn execution_json(ctx: &Ctx, e: &Execution) -> Value {
    json!({
        "AliUid": "1000000000000001",
        "EndTime": e.end_text,
        "Id": e.id,
        "Interval": e.interval_s,
        "JobId": e.job_id,
        "SliceLen": e.slice_len,
        "StartTime": e.start_text,
        "Status": execution_status(ctx, e),
    })
}

fn create_executions(ctx: &mut Ctx, p: op::CreateScheduledPreloadExecutions) -> Answer {
    let job = job_of(ctx, &p.id)?;
    let mut ok = Vec::new();
    let mut failed = Vec::new();
    let mut messages = Vec::new();
    let list = p.executions.unwrap_or_default();
    for e in &list {
        let start = match &e.start_time {
            Some(s) => parse_iso(s),
            None => Some(ctx.now),
        };
        let end = e.end_time.as_deref().map(parse_iso);
        match (start, end) {
            (Some(start_ms), None) | (Some(start_ms), Some(Some(_))) => {
                let end_ms = end.flatten();
                let id = hex_id(ctx.world);
                let ex = Execution {
                    id: id.clone(),
                    job_id: job.id.clone(),
                    start_ms,
                    start_text: e.start_time.clone().unwrap_or_else(|| iso(start_ms)),
                    end_ms,
                    end_text: e.end_time.clone().unwrap_or_default(),
                    interval_s: e.interval.unwrap_or(1),
                    slice_len: e.slice_len.unwrap_or(1),
                    stopped: false,
                    banked_slices: 0,
                    run_from_ms: start_ms,
                };
                ok.push(execution_json(ctx, &ex));
                ctx.world.executions.insert(id, ex);
            }
            _ => {
                messages.push(format!(
                    "invalid StartTime/EndTime {:?}/{:?}",
                    e.start_time, e.end_time
                ));
                failed.push(
                    json!({"JobId": job.id, "StartTime": e.start_time, "EndTime": e.end_time,
                                   "Interval": e.interval, "SliceLen": e.slice_len}),
                );
            }
        }
    }
    Ok(
        json!({"SuccessExecutions": ok, "FailedExecutions": failed, "FailedMessages": messages,
              "SuccessCount": ok.len(), "TotalCount": list.len()}),
    )
}

fn execution_of(ctx: &Ctx, id: &Option<String>) -> Result<Execution, Failure> {
    let id = id.clone().unwrap_or_default();
    ctx.world.executions.get(&id).cloned().ok_or((
        404,
        "InvalidExecution.NotFound".into(),
        "The execution plan does not exist. Check whether the parameters such as the execution ID, start time, and end time are correct.".into(),
    ))
}

fn list_executions(ctx: &Ctx, id: &Option<String>) -> Answer {
    let job = job_of(ctx, id)?;
    let list: Vec<Value> = ctx
        .world
        .executions
        .values()
        .filter(|e| e.job_id == job.id)
        .map(|e| execution_json(ctx, e))
        .collect();
    let total = list.len();
    Ok(json!({"Executions": list, "TotalCount": total}))
}

fn update_execution(ctx: &mut Ctx, p: op::UpdateScheduledPreloadExecution) -> Answer {
    let mut e = execution_of(ctx, &p.id)?;
    e.banked_slices = e.slices(ctx.now);
    e.run_from_ms = ctx.now;
    if let Some(s) = &p.start_time {
        e.start_ms = parse_iso(s).ok_or((
            400,
            "InvalidParameter".into(),
            "StartTime is not ISO 8601".into(),
        ))?;
        e.start_text = s.clone();
        e.run_from_ms = ctx.now.max(e.start_ms);
    }
    if let Some(s) = &p.end_time {
        e.end_ms = Some(parse_iso(s).ok_or((
            400,
            "InvalidParameter".into(),
            "EndTime is not ISO 8601".into(),
        ))?);
        e.end_text = s.clone();
    }
    if e.end_ms.is_some_and(|end| end < e.start_ms) {
        return fail(
            400,
            "InvalidEndTime.Mismatch",
            "The specified EndTime is earlier than the StartTime.",
        );
    }
    if let Some(i) = p.interval {
        e.interval_s = i;
    }
    if let Some(s) = p.slice_len {
        e.slice_len = s;
    }
    let out = execution_json(ctx, &e);
    ctx.world.executions.insert(e.id.clone(), e);
    Ok(out)
}

fn start_stop(ctx: &mut Ctx, id: &Option<String>, stop: bool) -> Answer {
    let mut e = execution_of(ctx, id)?;
    if stop && !e.stopped {
        e.banked_slices = e.slices(ctx.now);
        e.stopped = true;
    } else if !stop && e.stopped {
        e.stopped = false;
        e.run_from_ms = ctx.now.max(e.start_ms) + e.interval_s.max(1) * 1000;
    }
    ctx.world.executions.insert(e.id.clone(), e.clone());
    // the plan, as Start/StopScheduledPreloadExecution answer it
    Ok(execution_json(ctx, &e))
}

fn delete_execution(ctx: &mut Ctx, id: &Option<String>) -> Answer {
    let e = execution_of(ctx, id)?;
    ctx.world.executions.shift_remove(&e.id);
    Ok(json!({}))
}

fn preload(ctx: &mut Ctx, p: op::PreloadCaches) -> Answer {
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
        ctx.world.tasks.push(Task {
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

fn describe_preload(ctx: &Ctx, p: op::DescribePreloadTasks) -> Answer {
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
    let from = p
        .start_time
        .as_deref()
        .and_then(parse_iso)
        .unwrap_or(i64::MIN);
    let to = p
        .end_time
        .as_deref()
        .and_then(parse_iso)
        .unwrap_or(i64::MAX);
    let mut rows = Vec::new();
    for t in ctx
        .world
        .tasks
        .iter()
        .rev()
        .filter(|t| t.kind == TaskKind::EsaPreload && t.scope == site)
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

fn purge(ctx: &mut Ctx, p: op::PurgeCaches) -> Answer {
    site_domains(ctx, p.site_id)?;
    purge_caps(ctx, &p)?;
    crate::esa_purge::check_quota(ctx.sb, ctx.world, ctx.now, &p)?;
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
        ctx.world.tasks.push(Task {
            kind: TaskKind::EsaPurge,
            job_id: task_id.clone(),
            scope: p.site_id.unwrap_or_default().to_string(),
            target: t,
            detail: p.kind.clone().unwrap_or_default(),
            created_ms: ctx.now,
            // Refreshing for the configured task time, then Complete (DescribePurgeTasks)
            done_ms: ctx.now + ctx.sb.config.limits.task_seconds as i64 * 1000,
            outcome: Outcome::Success,
        });
    }
    Ok(json!({"TaskId": task_id}))
}
