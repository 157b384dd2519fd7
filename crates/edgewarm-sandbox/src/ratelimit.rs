//! Token buckets per (API, credential), as the vendors throttle: `rate` requests per second with
//! a burst of `burst`. Time is a parameter.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at_ms: i64,
}

/// All buckets of one sandbox.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: HashMap<(String, String), Bucket>,
}

impl RateLimiter {
    /// Takes one token for `(api, key)` at `now_ms`; `false` when the bucket is empty.
    pub fn try_take(&mut self, api: &str, key: &str, now_ms: i64, rate: u32, burst: u32) -> bool {
        if rate == 0 {
            return true;
        }
        let cap = f64::from(burst.max(1));
        let b = self
            .buckets
            .entry((api.to_string(), key.to_string()))
            .or_insert(Bucket {
                tokens: cap,
                at_ms: now_ms,
            });
        let elapsed = (now_ms - b.at_ms).max(0) as f64 / 1000.0;
        b.tokens = (b.tokens + elapsed * f64::from(rate)).min(cap);
        b.at_ms = b.at_ms.max(now_ms);
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_rate_per_second_after_burst() {
        let mut r = RateLimiter::default();
        let ok = (0..25).filter(|_| r.try_take("a", "k", 0, 20, 20)).count();
        assert_eq!(ok, 20);
        assert!(!r.try_take("a", "k", 10, 20, 20));
        assert!(r.try_take("a", "k", 50, 20, 20));
        assert!(r.try_take("b", "k", 50, 20, 20), "buckets are per API");
        assert!(r.try_take("a", "other", 50, 20, 20), "and per credential");
    }
}
