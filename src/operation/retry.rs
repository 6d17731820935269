//! [`RetryPolicy`]: bounded exponential backoff with full jitter.

use std::time::Duration;

/// How batch operations retry the part of a request the engine left
/// unprocessed: exponential backoff with full jitter, up to `max_attempts`
/// requests per batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Requests sent for one batch before giving up (at least 1).
    pub max_attempts: u32,
    /// The first backoff's upper bound.
    pub base_delay: Duration,
    /// No backoff is longer than this.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 10,
            base_delay: Duration::from_millis(25),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// The pause before retry number `retry` (1 for the first retry): a
    /// random duration up to `base_delay * 2^(retry-1)`, capped at `max_delay`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(20);
        let ceiling = self
            .base_delay
            .saturating_mul(1 << exponent)
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded() {
        let policy = RetryPolicy::default();
        for retry in 1..100 {
            assert!(policy.backoff(retry) <= policy.max_delay);
        }
        assert!(policy.backoff(1) <= policy.base_delay);
    }
}
