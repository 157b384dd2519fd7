//! The checks operations share, collecting every problem (field + rule + sentence) instead of
//! stopping at the first, so a UI can mark all bad lines of a paste at once.

use crate::error::{Rule, ValidationError, ValidationErrors};
use crate::urls;
use crate::vendor::Service;

/// Accumulates [`ValidationError`]s.
#[derive(Default)]
pub(crate) struct Checks {
    errors: Vec<ValidationError>,
}

impl Checks {
    pub fn new() -> Self {
        Checks::default()
    }

    /// Records a problem. `#[cold]`, like the core's other error constructors: at the full
    /// module's speed-first opt-levels (2 now, 3 when measured) LLVM would otherwise inline each
    /// error path into its callers (marking them cold took 4.4 KB gzipped off it at level 3).
    #[cold]
    pub fn fail(&mut self, field: impl Into<String>, rule: Rule, message: impl Into<String>) {
        self.errors.push(ValidationError::new(field, rule, message));
    }

    /// A required string: present and not blank.
    pub fn required(&mut self, field: &str, value: &Option<String>) -> bool {
        match value {
            Some(v) if !v.trim().is_empty() => true,
            _ => {
                self.fail(field, Rule::Required, format!("{field} is required"));
                false
            }
        }
    }

    /// A present, non-empty list of at most `max` items.
    pub fn list<T>(&mut self, field: &str, value: &Option<Vec<T>>, max: usize) -> bool {
        match value {
            None => {
                self.fail(field, Rule::Required, format!("{field} is required"));
                false
            }
            Some(v) if v.is_empty() => {
                self.fail(
                    field,
                    Rule::NonEmpty,
                    format!("{field} must have at least one element"),
                );
                false
            }
            Some(v) if v.len() > max => {
                self.fail(
                    field,
                    Rule::MaxItems,
                    format!(
                        "{field} has {} elements; one call accepts at most {max}",
                        v.len()
                    ),
                );
                false
            }
            Some(_) => true,
        }
    }

    /// A present, non-empty list of at most `max` URLs, each valid for `service`.
    pub fn url_list(
        &mut self,
        field: &str,
        value: &Option<Vec<String>>,
        max: usize,
        service: Service,
    ) {
        if self.list(field, value, max) {
            self.urls(field, value.as_deref().unwrap_or_default(), service);
        }
    }

    /// Every URL of a list passes [`urls::check`] for `service` ([`urls::check_list`]).
    pub fn urls(&mut self, field: &str, values: &[String], service: Service) {
        urls::check_list(values, service, |i, (rule, message)| {
            self.fail(format!("{field}[{i}]"), rule, message);
        });
    }

    /// An optional string, when present, is one of `allowed`.
    pub fn one_of(&mut self, field: &str, value: &Option<String>, allowed: &[&str]) {
        if let Some(v) = value {
            if !allowed.contains(&v.as_str()) {
                self.fail(
                    field,
                    Rule::OneOf,
                    format!("{field} is {v:?}; allowed: {}", allowed.join(", ")),
                );
            }
        }
    }

    /// An optional number, when present, is within `lo..=hi`.
    pub fn range(&mut self, field: &str, value: Option<i64>, lo: i64, hi: i64) {
        if let Some(v) = value {
            if v < lo || v > hi {
                self.fail(
                    field,
                    Rule::Range,
                    format!("{field} is {v}; allowed {lo} to {hi}"),
                );
            }
        }
    }

    /// A string no longer than `max` bytes.
    pub fn max_bytes(&mut self, field: &str, value: &str, max: usize) {
        if value.len() > max {
            self.fail(
                field,
                Rule::MaxLength,
                format!("{field} is {} bytes; at most {max} bytes", value.len()),
            );
        }
    }

    /// Start and end: each parses with `parse`, end not before start, window ≤ `max_secs`.
    pub fn window(
        &mut self,
        (start_field, start): (&str, &Option<String>),
        (end_field, end): (&str, &Option<String>),
        parse: fn(&str) -> Option<i64>,
        format: &str,
        max_secs: Option<i64>,
    ) {
        let mut parsed = |field: &str, v: &Option<String>| -> Option<i64> {
            let v = v.as_deref()?;
            let t = parse(v);
            if t.is_none() {
                self.fail(
                    field,
                    Rule::TimeFormat,
                    format!("{field} {v:?} is not a {format} time"),
                );
            }
            t
        };
        let (s, e) = (parsed(start_field, start), parsed(end_field, end));
        if let (Some(s), Some(e)) = (s, e) {
            if e < s {
                self.fail(
                    end_field,
                    Rule::TimeOrder,
                    format!("{end_field} is before {start_field}"),
                );
            } else if let Some(max) = max_secs.filter(|m| e - s > *m) {
                self.fail(
                    end_field,
                    Rule::TimeWindow,
                    format!(
                        "{start_field}..{end_field} spans {} s; at most {max} s ({} days)",
                        e - s,
                        max / 86_400
                    ),
                );
            }
        }
    }

    pub fn finish(self) -> Result<(), ValidationErrors> {
        ValidationErrors::into_result(self.errors)
    }
}
