//! [`RetryPolicy`]: bounded exponential backoff with full jitter, and
//! [`Timeouts`]: how long one request may take.

use std::time::Duration;

/// How requests are sent again: after throttling, after a lost answer when
/// that is safe (see the README's "Exactly once, or told"), and for the part
/// of a batch the engine left unprocessed. Exponential backoff with full
/// jitter, up to `max_attempts` requests each.
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

/// The longest operation timeout: well inside DynamoDB's ten-minute window
/// for idempotency tokens.
pub const MAX_OPERATION_TIMEOUT: Duration = Duration::from_secs(9 * 60);

/// How long the mapper waits for the engine. Every request runs under both
/// bounds, on every engine; a request that times out is handled like one
/// whose connection dropped: a read is sent again, a write goes through the
/// outcome rules (the README's "Exactly once, or told").
///
/// Connecting is bounded by the SDK's own connect timeout (3.1 s unless the
/// client was configured otherwise). A conditional write whose answer is
/// lost reads its key back within the same operation timeout, but always
/// gets one attempt for that read: it may end up to one attempt timeout late.
///
/// ```
/// use std::time::Duration;
/// use dynamodb_mapper::operation::Timeouts;
///
/// let quick = Timeouts::default().attempt(Duration::from_millis(500));
/// assert_eq!(quick.operation_timeout(), Duration::from_secs(30));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    attempt: Duration,
    operation: Duration,
}

impl Default for Timeouts {
    /// 5 seconds per attempt (a DynamoDB request takes milliseconds; a
    /// 1 MB page or a 25-item batch well under a second), 30 seconds for a
    /// request and all its retries.
    fn default() -> Self {
        Timeouts {
            attempt: Duration::from_secs(5),
            operation: Duration::from_secs(30),
        }
    }
}

impl Timeouts {
    /// The longest wait for the answer to one attempt of a request (at most
    /// [`MAX_OPERATION_TIMEOUT`]).
    pub fn attempt(mut self, timeout: Duration) -> Self {
        self.attempt = timeout.clamp(Duration::from_millis(1), MAX_OPERATION_TIMEOUT);
        self
    }

    /// The longest time one request may take with all its retries and their
    /// backoff; no attempt starts after it. At most [`MAX_OPERATION_TIMEOUT`]:
    /// a transaction is sent again with its idempotency token only within
    /// DynamoDB's ten-minute token window.
    pub fn operation(mut self, timeout: Duration) -> Self {
        self.operation = timeout.clamp(Duration::from_millis(1), MAX_OPERATION_TIMEOUT);
        self
    }

    /// The attempt timeout.
    pub fn attempt_timeout(&self) -> Duration {
        self.attempt
    }

    /// The operation timeout.
    pub fn operation_timeout(&self) -> Duration {
        self.operation
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
