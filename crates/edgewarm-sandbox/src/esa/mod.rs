//! Alibaba ESA as the sandbox answers it: ACS3 verification, RPC parameters from the query and
//! the form body (arrays and maps as JSON strings), `{Code, Message, RequestId, HostId}` errors
//! with 4xx statuses, and scheduled jobs whose plans submit `SliceLen` URLs every `Interval`.
//!
//! This module routes a request and holds what the families share (errors, the parameters'
//! wire shape, sites and their domains, paging); `scheduled`, `preload` and `purge` answer each
//! family.

mod preload;
mod purge;
mod scheduled;

use preload::{describe_preload, preload};
use purge::purge;
use scheduled::{
    create_executions, create_job, delete_execution, delete_job, job_json, job_of, list_executions,
    list_jobs, reset_job, start_stop, update_execution,
};

use crate::ratelimit::RateLimiter;
use crate::world::{
    host_of, iso, outcome_for, parse_iso, plain_time, window, Execution, Job, Outcome, Task,
    TaskKind, World,
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
        Operation::EsaDescribePurgeTasks(p) => Ok(purge::describe(ctx.world, ctx.now, &p)),
        Operation::GetPurgeQuota(p) => Ok(purge::quota(ctx.sb, ctx.world, ctx.now, &p)),
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
