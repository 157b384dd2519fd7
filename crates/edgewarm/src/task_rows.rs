//! Vendor task lists as rows in one vocabulary: each vendor's list answer (EdgeOne
//! DescribePrefetchTasks / DescribePurgeTasks, CDN DescribePushTasks / DescribePurgeTasks, ESA
//! DescribePreloadTasks / DescribePurgeTasks) read once into [`TaskRow`]s — id, target, status
//! ([`Status`], the vendor's word kept), creation time with its zone, failure detail — so the
//! console's History, exports and any other shell show the same thing without reading vendor
//! fields themselves.

use crate::status::Status;
use crate::{Output, Service};

/// One task of a vendor's task list, whatever the vendor.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    /// Job / task id.
    pub id: String,
    /// URL or target.
    pub target: String,
    /// The task's status in the one vocabulary (`None`: a word the vendor does not document).
    pub status: Option<Status>,
    /// The vendor's status word for the task, as it sent it.
    pub vendor_status: String,
    /// When the task was created (unix ms), when readable.
    pub created_ms: Option<i64>,
    /// Whether the vendor gave the time's zone (ESA may not: UTC+8 is assumed).
    pub zoned: bool,
    /// When the task was created, as the vendor wrote it.
    pub created: String,
    /// Why the task failed, when it did.
    pub detail: String,
}

impl TaskRow {
    /// A row from a vendor's fields: the status word read into [`Status`], the time with its
    /// zone ([`crate::status::task_time`]).
    pub fn new(
        service: Service,
        id: String,
        target: String,
        status: &str,
        created: String,
        detail: String,
    ) -> TaskRow {
        let time = crate::status::task_time(service, &created);
        TaskRow {
            id,
            target,
            status: Status::of_task(service, status),
            vendor_status: status.to_string(),
            created_ms: time.map(|t| t.0),
            zoned: time.is_some_and(|t| t.1),
            created,
            detail,
        }
    }
}

/// The rows of a page of `tasks` (`row` reads one) and the list's total count.
fn read<T>(tasks: &[T], total: Option<i64>, row: impl Fn(&T) -> TaskRow) -> (Vec<TaskRow>, i64) {
    (tasks.iter().map(row).collect(), total.unwrap_or(0))
}

/// ESA's preload and purge task lists: two types with the same fields, read alike.
macro_rules! esa_rows {
    ($service:expr, $o:expr) => {
        read(&$o.tasks, $o.total_count, |t| {
            TaskRow::new(
                $service,
                t.task_id.clone().unwrap_or_default(),
                t.content.clone(),
                &t.status,
                t.create_time.clone().unwrap_or_default(),
                t.description.clone().unwrap_or_default(),
            )
        })
    };
}

/// The rows and the total count of a task-list answer of `service` (EdgeOne
/// DescribePrefetchTasks / DescribePurgeTasks, CDN DescribePushTasks / DescribePurgeTasks, ESA
/// DescribePreloadTasks / DescribePurgeTasks); `None` for any other answer.
pub fn task_rows(service: Service, out: &Output) -> Option<(Vec<TaskRow>, i64)> {
    Some(match out {
        Output::DescribePrefetchTasks(o) | Output::DescribePurgeTasks(o) => {
            read(&o.tasks, o.total_count, |t| {
                TaskRow::new(
                    service,
                    t.job_id.clone(),
                    t.target.clone(),
                    &t.status,
                    t.create_time.clone(),
                    [t.fail_type.clone(), t.fail_message.clone()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(": "),
                )
            })
        }
        Output::DescribePushTasks(o) => read(&o.push_logs, o.total_count, |t| {
            TaskRow::new(
                service,
                t.task_id.clone(),
                t.url.clone(),
                &t.status,
                t.create_time.clone(),
                t.percent.map(|p| format!("{p}%")).unwrap_or_default(),
            )
        }),
        Output::CdnDescribePurgeTasks(o) => read(&o.purge_logs, o.total_count, |t| {
            TaskRow::new(
                service,
                t.task_id.clone(),
                t.url.clone(),
                &t.status,
                t.create_time.clone(),
                t.purge_type.clone(),
            )
        }),
        Output::EsaDescribePurgeTasks(o) => esa_rows!(service, o),
        Output::DescribePreloadTasks(o) => esa_rows!(service, o),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::cdn;

    #[test]
    fn a_cdn_push_list_reads_as_rows_in_one_vocabulary() {
        let out: cdn::DescribePushTasksOutput = serde_json::from_value(serde_json::json!({
            "PushLogs": [{"TaskId": "17960000000000000106", "Url": "https://www.example.com/a.js",
                "Status": "done", "Percent": 100, "CreateTime": "2026-11-30 18:00:00",
                "Area": "mainland", "UpdateTime": "2026-11-30 18:00:05"}],
            "TotalCount": 1, "RequestId": "r"
        }))
        .expect("a DescribePushTasks answer");
        let (rows, total) =
            task_rows(Service::Cdn, &Output::DescribePushTasks(out)).expect("a task list");
        assert_eq!(total, 1);
        let r = &rows[0];
        assert_eq!(r.status, Some(Status::Succeeded));
        assert_eq!(r.vendor_status, "done");
        assert_eq!(r.detail, "100%");
        // Beijing time, read with its zone: 10:00 UTC
        assert_eq!(r.created_ms, Some(1_796_032_800_000));
        assert!(r.zoned);
    }

    #[test]
    fn another_answer_has_no_rows() {
        let out = Output::DescribePushQuota(Default::default());
        assert!(task_rows(Service::Cdn, &out).is_none());
    }
}
