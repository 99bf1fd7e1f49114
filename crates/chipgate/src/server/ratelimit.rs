//! Per-key rate limits: each key with a `rate_per_minute` has a token bucket on this server
//! that refills at that rate and holds ten seconds' worth (at least one request), so a key can
//! burst briefly but not exceed its rate over time. A request finding the bucket empty gets
//! 429 with `Retry-After` (whole seconds until a token is back). Buckets are per replica: with
//! N replicas behind a balancer a key may make up to N times its rate.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

struct Bucket {
    tokens: f64,
    at: Instant,
}

fn buckets() -> &'static Mutex<HashMap<String, Bucket>> {
    static B: OnceLock<Mutex<HashMap<String, Bucket>>> = OnceLock::new();
    B.get_or_init(Mutex::default)
}

/// Takes one request from `key_id`'s bucket; `Err(seconds)` to wait when it is empty.
pub fn take(key_id: &str, rate_per_minute: u32) -> Result<(), u64> {
    let per_second = f64::from(rate_per_minute.max(1)) / 60.0;
    let capacity = (per_second * 10.0).max(1.0);
    let now = Instant::now();
    let mut map = buckets()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let b = map.entry(key_id.to_string()).or_insert(Bucket {
        tokens: capacity,
        at: now,
    });
    let elapsed = now.duration_since(b.at).as_secs_f64();
    b.tokens = (b.tokens + elapsed * per_second).min(capacity);
    b.at = now;
    if b.tokens >= 1.0 {
        b.tokens -= 1.0;
        Ok(())
    } else {
        // Seconds until one token is back, rounded up.
        let wait = ((1.0 - b.tokens) / per_second).ceil();
        Err(if wait.is_finite() && wait >= 1.0 {
            wait as u64
        } else {
            1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refuses_with_the_wait() {
        // 6 a minute: a burst of one, then a token every 10 s.
        assert_eq!(take("k-test-1", 6), Ok(()));
        assert_eq!(take("k-test-1", 6), Err(10));
        // 600 a minute: a burst of 100.
        for _ in 0..100 {
            assert_eq!(take("k-test-2", 600), Ok(()));
        }
        assert_eq!(take("k-test-2", 600), Err(1));
    }
}
