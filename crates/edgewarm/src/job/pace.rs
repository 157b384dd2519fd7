//! Pacing: one token bucket per (vendor, action, credential), refilled at the documented rate
//! (20 req/s unless overridden) with a capacity of one token, so the engine never bursts above
//! the vendor's limit. Throttling answers halve the rate (down to 5 % of it); successes win it back
//! slowly (additive increase), so an unknown lower limit is found and kept.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// The configured rate (req/s).
    pub base: f64,
    /// The current rate after adaptation.
    pub rate: f64,
    /// Tokens (≤ 1).
    pub tokens: f64,
    /// When `tokens` was last computed (ms).
    pub at_ms: i64,
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
            tokens: 1.0,
            at_ms: now_ms,
        }
    }

    fn refill(&mut self, now_ms: i64) {
        if now_ms > self.at_ms {
            let gained = (now_ms - self.at_ms) as f64 * self.rate / 1000.0;
            self.tokens = (self.tokens + gained).min(1.0);
            self.at_ms = now_ms;
        }
    }
}

/// All buckets of a job, keyed `service.action.key_id`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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
        let b = self
            .buckets
            .entry(key.to_string())
            .or_insert_with(|| Bucket::new(rate, now_ms));
        b.refill(now_ms);
        b
    }

    /// Takes a token when one is there.
    pub fn try_take(&mut self, key: &str, now_ms: i64) -> bool {
        let b = self.bucket(key, now_ms);
        if b.tokens >= 1.0 - 1e-9 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// When the next token of `key` will be there.
    pub fn ready_at(&mut self, key: &str, now_ms: i64) -> i64 {
        let b = self.bucket(key, now_ms);
        if b.tokens >= 1.0 - 1e-9 {
            now_ms
        } else {
            now_ms + ((1.0 - b.tokens) * 1000.0 / b.rate).ceil() as i64
        }
    }

    /// A throttling answer: halve the rate.
    pub fn throttled(&mut self, key: &str, now_ms: i64) {
        let b = self.bucket(key, now_ms);
        b.rate = (b.rate * 0.5).max(b.base * 0.05);
        b.tokens = b.tokens.min(0.0);
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
