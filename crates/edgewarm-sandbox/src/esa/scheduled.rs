//! ESA's scheduled preload family as the sandbox answers it: jobs holding URL lists, and plans
//! (executions) that submit `SliceLen` URLs every `Interval` between their start and end.

use super::*;

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

pub(super) fn job_json(ctx: &Ctx, job: &Job) -> Value {
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

pub(super) fn job_of(ctx: &Ctx, id: &Option<String>) -> Result<Job, Failure> {
    let id = id.clone().unwrap_or_default();
    ctx.world.jobs.get(&id).cloned().ok_or((
        404,
        "InvalidJob.NotFound".into(),
        "The task does not exist. Check whether the task ID is correct or whether the task has been deleted.".into(),
    ))
}

pub(super) fn create_job(ctx: &mut Ctx, p: op::CreateScheduledPreloadJob) -> Answer {
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

pub(super) fn reset_job(ctx: &mut Ctx, id: &Option<String>) -> Answer {
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

pub(super) fn delete_job(ctx: &mut Ctx, id: &Option<String>) -> Answer {
    let job = job_of(ctx, id)?;
    ctx.world.jobs.shift_remove(&job.id);
    ctx.world.executions.retain(|_, e| e.job_id != job.id);
    Ok(json!({}))
}

pub(super) fn list_jobs(ctx: &Ctx, p: op::ListScheduledPreloadJobs) -> Answer {
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

pub(super) fn create_executions(ctx: &mut Ctx, p: op::CreateScheduledPreloadExecutions) -> Answer {
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

pub(super) fn list_executions(ctx: &Ctx, id: &Option<String>) -> Answer {
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

pub(super) fn update_execution(ctx: &mut Ctx, p: op::UpdateScheduledPreloadExecution) -> Answer {
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

pub(super) fn start_stop(ctx: &mut Ctx, id: &Option<String>, stop: bool) -> Answer {
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

pub(super) fn delete_execution(ctx: &mut Ctx, id: &Option<String>) -> Answer {
    let e = execution_of(ctx, id)?;
    ctx.world.executions.shift_remove(&e.id);
    Ok(json!({}))
}
