//! One vocabulary for where a task or a URL stands, whatever the vendor. EdgeOne says
//! `processing` / `success`, Tencent CDN `process` / `done`, ESA `Refreshing` / `Complete`; the
//! engine's fates say `pending` / `submitted`. Tables, exports and filters show one set of words
//! ([`Status`]) and keep the vendor's own word as secondary detail; [`Status::of_task`] is the one
//! place that reads a vendor word, and [`Status::task_words`] the one place that writes it back
//! (for a vendor's status filter). [`task_time`] reads a task row's time per vendor, with its zone.

#[cfg(feature = "jobs")]
use crate::job::Fate;
use crate::times;
use crate::Service;

/// Where a task or a URL stands, in the words every table and export uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// Not sent yet (a pending URL, or a deferred one waiting for quota).
    Queued,
    /// Sent; the vendor is working on it.
    Running,
    /// The vendor reports it warmed.
    Succeeded,
    /// The vendor (or edgewarm, before sending) refused or failed it.
    Failed,
    /// Cancelled before it finished.
    Cancelled,
    /// The vendor gave up waiting for it.
    TimedOut,
}

impl Status {
    /// Every status, in the order tables and filters list them.
    pub const ALL: [Status; 6] = [
        Status::Queued,
        Status::Running,
        Status::Succeeded,
        Status::Failed,
        Status::Cancelled,
        Status::TimedOut,
    ];

    /// The word shown: `Queued`, `Running`, `Succeeded`, `Failed`, `Cancelled`, `Timed out`.
    pub fn label(self) -> &'static str {
        match self {
            Status::Queued => "Queued",
            Status::Running => "Running",
            Status::Succeeded => "Succeeded",
            Status::Failed => "Failed",
            Status::Cancelled => "Cancelled",
            Status::TimedOut => "Timed out",
        }
    }

    /// The machine name (exports, `data-status` attributes): `queued`, `running`, `succeeded`,
    /// `failed`, `cancelled`, `timed-out`.
    pub fn name(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running => "running",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
            Status::TimedOut => "timed-out",
        }
    }

    /// Parses a [`Status::name`] or a [`Status::label`] (any case).
    pub fn parse(s: &str) -> Option<Status> {
        let s = s.trim();
        Status::ALL
            .into_iter()
            .find(|st| st.name().eq_ignore_ascii_case(s) || st.label().eq_ignore_ascii_case(s))
    }

    /// A vendor's task status word as one [`Status`]; `None` for a word the vendor does not
    /// document. Sources: EdgeOne `Task.Status` (DescribePrefetchTasks / DescribePurgeTasks data
    /// structure "Task": processing, success, failed, timeout, canceled; the `statuses` filter
    /// adds invalid, "the origin answered a non-2xx status"); Tencent CDN `PushTask.Status`
    /// (DescribePushTasks: fail, done, process, invalid; the example answer writes `Done`, so
    /// the case is ignored); ESA DescribePreloadTasks `Status` (Complete, Refreshing, Failed).
    pub fn of_task(service: Service, word: &str) -> Option<Status> {
        let w = word.trim();
        match service {
            Service::Teo => match w.to_ascii_lowercase().as_str() {
                "processing" => Some(Status::Running),
                "success" => Some(Status::Succeeded),
                "failed" | "invalid" => Some(Status::Failed),
                "timeout" => Some(Status::TimedOut),
                "canceled" | "cancelled" => Some(Status::Cancelled),
                _ => None,
            },
            Service::Cdn => match w.to_ascii_lowercase().as_str() {
                "process" => Some(Status::Running),
                "done" => Some(Status::Succeeded),
                "fail" | "invalid" => Some(Status::Failed),
                _ => None,
            },
            Service::Esa => match w.to_ascii_lowercase().as_str() {
                "refreshing" => Some(Status::Running),
                "complete" => Some(Status::Succeeded),
                "failed" => Some(Status::Failed),
                _ => None,
            },
        }
    }

    /// The vendor's words for this status, as its task-list filter takes them (same sources as
    /// [`Status::of_task`]); empty when the vendor has no such status (ESA never says a task
    /// timed out).
    pub fn task_words(self, service: Service) -> &'static [&'static str] {
        match (service, self) {
            (Service::Teo, Status::Running) => &["processing"],
            (Service::Teo, Status::Succeeded) => &["success"],
            (Service::Teo, Status::Failed) => &["failed", "invalid"],
            (Service::Teo, Status::TimedOut) => &["timeout"],
            (Service::Teo, Status::Cancelled) => &["canceled"],
            (Service::Cdn, Status::Running) => &["process"],
            (Service::Cdn, Status::Succeeded) => &["done"],
            (Service::Cdn, Status::Failed) => &["fail", "invalid"],
            (Service::Esa, Status::Running) => &["Refreshing"],
            (Service::Esa, Status::Succeeded) => &["Complete"],
            (Service::Esa, Status::Failed) => &["Failed"],
            _ => &[],
        }
    }

    /// Where a URL of a job stands: pending and deferred are queued, submitted is running; a
    /// failure whose code is a vendor's timeout or cancel word says so.
    #[cfg(feature = "jobs")]
    pub fn of_fate(fate: &Fate) -> Status {
        match fate {
            Fate::Pending | Fate::Deferred(_) => Status::Queued,
            Fate::Submitted { .. } => Status::Running,
            Fate::Succeeded => Status::Succeeded,
            Fate::Invalid(_) => Status::Failed,
            Fate::Failed(f) => match f.code.to_ascii_lowercase().as_str() {
                "timeout" => Status::TimedOut,
                "canceled" | "cancelled" => Status::Cancelled,
                _ => Status::Failed,
            },
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// A URL's fate in plain words, the engine's name kept for exports: `Queued`, `Running`,
/// `Succeeded`, `Failed`, `Deferred (over quota)`, `Refused (not sent)`.
#[cfg(feature = "jobs")]
pub fn fate_label(fate: &Fate) -> &'static str {
    match fate {
        Fate::Pending => "Queued",
        Fate::Submitted { .. } => "Running",
        Fate::Succeeded => "Succeeded",
        Fate::Failed(_) => "Failed",
        Fate::Deferred(_) => "Deferred (over quota)",
        Fate::Invalid(_) => "Refused (not sent)",
    }
}

/// A task row's time in milliseconds since the epoch, and whether the vendor gave its zone:
/// EdgeOne writes RFC 3339 (`2022-02-09T02:28:43Z`, Task `CreateTime` datetime_iso); Tencent CDN
/// writes Beijing time without a zone (`2018-12-14 10:09:25`, PushTask `CreateTime`, which is
/// documented as Beijing time, so the zone counts as given); ESA writes either, and a zoneless
/// ESA time is read at the assumed UTC+8 ([`times::parse_task_time`]). `None` when unreadable.
pub fn task_time(service: Service, s: &str) -> Option<(i64, bool)> {
    let s = s.trim();
    match service {
        Service::Teo | Service::Cdn => times::parse_tencent_ms(s).map(|ms| (ms, true)),
        Service::Esa => times::parse_task_time(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_vendor_word_maps_to_one_status_and_back() {
        let words: [(Service, &[&str]); 3] = [
            (
                Service::Teo,
                &[
                    "processing",
                    "success",
                    "failed",
                    "timeout",
                    "canceled",
                    "invalid",
                ],
            ),
            (
                Service::Cdn,
                &["process", "done", "Done", "fail", "invalid"],
            ),
            (Service::Esa, &["Refreshing", "Complete", "Failed"]),
        ];
        for (service, list) in words {
            for w in list {
                let st = Status::of_task(service, w).unwrap_or_else(|| panic!("{service} {w}"));
                assert!(
                    st.task_words(service)
                        .iter()
                        .any(|x| x.eq_ignore_ascii_case(w)),
                    "{service} {w} -> {st:?} writes back"
                );
            }
        }
        for service in Service::ALL {
            assert_eq!(
                Status::of_task(service, Status::Succeeded.task_words(service)[0]),
                Some(Status::Succeeded)
            );
            assert_eq!(Status::of_task(service, "bogus"), None);
        }
        assert_eq!(
            Status::of_task(Service::Cdn, "done"),
            Status::of_task(Service::Esa, "Complete")
        );
        assert!(Status::TimedOut.task_words(Service::Esa).is_empty());
    }

    #[test]
    #[cfg(feature = "jobs")]
    fn names_labels_and_fates() {
        for st in Status::ALL {
            assert_eq!(Status::parse(st.name()), Some(st));
            assert_eq!(Status::parse(st.label()), Some(st));
        }
        assert_eq!(Status::TimedOut.label(), "Timed out");
        assert_eq!(Status::of_fate(&Fate::Pending), Status::Queued);
        let timeout = Fate::failed("timeout", "task timeout");
        assert_eq!(Status::of_fate(&timeout), Status::TimedOut);
        assert_eq!(fate_label(&timeout), "Failed");
        assert_eq!(fate_label(&Fate::Succeeded), "Succeeded");
    }

    #[test]
    fn task_times_are_read_per_vendor() {
        let ms = 1_700_000_000_000;
        assert_eq!(
            task_time(Service::Teo, "2023-11-14T22:13:20Z"),
            Some((ms, true))
        );
        // CDN: Beijing time, no zone written but documented
        assert_eq!(
            task_time(Service::Cdn, "2023-11-15 06:13:20"),
            Some((ms, true))
        );
        // ESA: zoneless is read at UTC+8 and flagged
        assert_eq!(
            task_time(Service::Esa, "2023-11-15 06:13:20"),
            Some((ms, false))
        );
        assert_eq!(
            task_time(Service::Esa, "2023-11-14T22:13:20Z"),
            Some((ms, true))
        );
        assert_eq!(task_time(Service::Teo, ""), None);
    }
}
