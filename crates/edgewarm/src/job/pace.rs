//! Pacing: one bucket per (vendor, action, credential) at the documented rate (20 req/s unless
//! overridden), without bursts, so the engine never exceeds the vendor's limit. Throttling answers halve the rate (down to 5 % of it); successes win it back
//! slowly (additive increase), so an unknown lower limit is found and kept.

use crate::error::{Rule, ValidationError, ValidationErrors};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The slowest submit rate a shell may ask for (calls per second; assumed: one call per 100 s
/// is slow enough for any plan, and a smaller figure is more likely a unit mistake).
pub const MIN_RATE_PER_SEC: f64 = 0.01;

/// Checks a requested submit rate (`field` names where it came from, e.g. `ratePerSec` or
/// `--rate`): a finite number of calls per second, at least [`MIN_RATE_PER_SEC`].
pub fn check_rate(field: &str, rate: f64) -> Result<f64, ValidationErrors> {
    if rate.is_finite() && rate >= MIN_RATE_PER_SEC {
        return Ok(rate);
    }
    Err(ValidationErrors {
        errors: vec![ValidationError::new(
            field,
            Rule::Range,
            format!("must be a number of calls per second ≥ {MIN_RATE_PER_SEC} (got {rate})"),
        )],
    })
}

/// One bucket, kept as a virtual schedule (GCRA): the theoretical time of the next send. A send
/// that happens a little late does not push the schedule back (the lateness is caught up on the
/// next one), so the average rate is exactly the configured one; after an idle spell the
/// schedule restarts from now, so there is never a burst.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Bucket {
    /// The configured rate (req/s).
    pub base: f64,
    /// The current rate after adaptation.
    pub rate: f64,
    /// Theoretical time of the next send (ms).
    pub tat_ms: f64,
}

impl Bucket {
    fn new(rate: f64, now_ms: i64) -> Bucket {
        let rate = if rate.is_finite() && rate > 0.0 {
            rate
        } else {
            20.0
        };
        Bucket {
            base: rate,
            rate,
            tat_ms: now_ms as f64,
        }
    }

    fn interval(&self) -> f64 {
        1000.0 / self.rate
    }
}

/// All buckets of a job, keyed `service.action.key_id`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Pacer {
    /// Buckets by key.
    pub buckets: BTreeMap<String, Bucket>,
    /// Rate for new buckets (req/s).
    pub rate: f64,
}

impl Pacer {
    /// A pacer whose buckets start at `rate` req/s.
    pub fn new(rate: f64) -> Pacer {
        Pacer {
            buckets: BTreeMap::new(),
            rate,
        }
    }

    fn bucket(&mut self, key: &str, now_ms: i64) -> &mut Bucket {
        let rate = self.rate;
        self.buckets
            .entry(key.to_string())
            .or_insert_with(|| Bucket::new(rate, now_ms))
    }

    /// Takes the next slot when it has come.
    pub fn try_take(&mut self, key: &str, now_ms: i64) -> bool {
        let b = self.bucket(key, now_ms);
        let now = now_ms as f64;
        if now + 1e-6 < b.tat_ms {
            return false;
        }
        let interval = b.interval();
        b.tat_ms = if now - b.tat_ms > interval {
            now + interval
        } else {
            b.tat_ms + interval
        };
        true
    }

    /// When the next slot of `key` comes.
    pub fn ready_at(&mut self, key: &str, now_ms: i64) -> i64 {
        let b = self.bucket(key, now_ms);
        (b.tat_ms.ceil() as i64).max(now_ms)
    }

    /// A throttling answer: halve the rate and wait one new interval.
    pub fn throttled(&mut self, key: &str, now_ms: i64) {
        let b = self.bucket(key, now_ms);
        b.rate = (b.rate * 0.5).max(b.base * 0.05);
        b.tat_ms = b.tat_ms.max(now_ms as f64) + b.interval();
    }

    /// A success: win back 2 % of the base rate.
    pub fn succeeded(&mut self, key: &str, now_ms: i64) {
        let b = self.bucket(key, now_ms);
        b.rate = (b.rate + b.base * 0.02).min(b.base);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paces_at_the_rate_without_bursts() {
        let mut p = Pacer::new(20.0);
        let mut sent = vec![];
        let mut now = 0;
        while sent.len() < 21 {
            if p.try_take("a", now) {
                sent.push(now);
            } else {
                now = p.ready_at("a", now);
            }
        }
        assert_eq!(sent.first(), Some(&0));
        assert_eq!(sent.last(), Some(&1000));
        // a late send is caught up on the next one, not carried forward
        let mut p = Pacer::new(20.0);
        assert!(p.try_take("a", 0));
        assert!(p.try_take("a", 52));
        assert!(!p.try_take("a", 99));
        assert!(p.try_take("a", 100));
        // after idling the schedule restarts: no burst
        assert!(p.try_take("a", 10_000));
        assert!(!p.try_take("a", 10_001));
        assert!(p.try_take("b", 1000), "separate bucket per key");
    }

    #[test]
    fn adapts_down_and_back_up() {
        let mut p = Pacer::new(20.0);
        p.throttled("a", 0);
        assert_eq!(p.buckets["a"].rate, 10.0);
        for _ in 0..100 {
            p.succeeded("a", 0);
        }
        assert_eq!(p.buckets["a"].rate, 20.0);
        for _ in 0..100 {
            p.throttled("a", 0);
        }
        assert_eq!(p.buckets["a"].rate, 1.0);
    }
}

#[cfg(test)]
mod rate_tests {
    use super::*;

    #[test]
    fn a_rate_is_a_finite_number_of_calls_per_second() {
        assert_eq!(check_rate("ratePerSec", 20.0), Ok(20.0));
        assert_eq!(
            check_rate("ratePerSec", MIN_RATE_PER_SEC),
            Ok(MIN_RATE_PER_SEC)
        );
        for bad in [0.0, -1.0, 0.001, f64::NAN, f64::INFINITY] {
            let e = check_rate("--rate", bad).expect_err("refused");
            assert_eq!(e.errors[0].field, "--rate");
            assert_eq!(e.errors[0].rule, Rule::Range);
        }
    }
}
