//! One budget of capacity units: a token bucket whose rate adapts to
//! throttling. Pure arithmetic on instants the caller passes, so its tests
//! need no clock.

use std::time::{Duration, Instant};

/// How much of the configured rate is left after a throttled request.
const BACK_OFF: f64 = 0.7;
/// The lowest rate adaptation goes to, as a share of the configured rate:
/// a budget never stops, so every wait is bounded.
const FLOOR: f64 = 0.05;
/// After a throttled request the rate stays down this long, then climbs
/// back by [`RECOVERY`] of the configured rate per second.
const HOLD: Duration = Duration::from_secs(1);
/// How fast the rate climbs back after throttling stops, as a share of the
/// configured rate per second (back to full 20 s after the floor).
const RECOVERY: f64 = 0.05;
/// The most one request may be charged: a TransactWriteItems of 100 items
/// of 400 KB costs 80,000 write units; anything above is no real answer.
pub(super) const MAX_UNITS_PER_REQUEST: f64 = 100_000.0;
/// The deepest debt, in seconds at the limit: a budget is never owed more
/// than an hour of its capacity, so every wait is bounded.
const MAX_DEBT_SECONDS: f64 = 3600.0;

/// A token bucket of capacity units: it fills at `rate` per second up to
/// `burst`; consumption takes units out, possibly below zero (a request's
/// cost is known only once it is answered), and a request may start only
/// when the balance is not negative.
#[derive(Debug, Clone)]
pub(super) struct Bucket {
    /// The configured rate, units per second.
    limit: f64,
    /// The rate now: the limit, or less after throttling.
    rate: f64,
    adaptive: bool,
    burst: f64,
    balance: f64,
    last: Instant,
    /// The last throttled answer: the rate recovers a second after it.
    last_throttle: Option<Instant>,
    /// The last back-off: at most one a second.
    last_backoff: Option<Instant>,
    /// Units consumed since the bucket was made.
    pub(super) consumed: f64,
    /// Requests the engine throttled.
    pub(super) throttled: u64,
    /// Time requests waited for their turn.
    pub(super) waited: Duration,
}

impl Bucket {
    /// A bucket filling at `limit` units per second, holding at most
    /// `burst` seconds of it, empty at `now`.
    pub(super) fn new(limit: f64, burst: Duration, adaptive: bool, now: Instant) -> Self {
        Bucket {
            limit,
            rate: limit,
            adaptive,
            burst: limit * burst.as_secs_f64(),
            balance: 0.0,
            last: now,
            last_throttle: None,
            last_backoff: None,
            consumed: 0.0,
            throttled: 0,
            waited: Duration::ZERO,
        }
    }

    /// The rate now, units per second.
    pub(super) fn rate(&self) -> f64 {
        self.rate
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        if self.adaptive && self.rate < self.limit {
            // Only the time since the hold ended counts.
            let from = match self.last_throttle {
                Some(at) => self.last.max(at + HOLD),
                None => self.last,
            };
            let recovering = now.saturating_duration_since(from).as_secs_f64();
            self.rate = (self.rate + self.limit * RECOVERY * recovering).min(self.limit);
        }
        self.last = self.last.max(now);
        self.balance = (self.balance + self.rate * elapsed).min(self.burst);
    }

    /// How long a request must wait before it may start, at `now`: zero
    /// when the balance is not negative.
    pub(super) fn wait(&mut self, now: Instant) -> Duration {
        self.refill(now);
        if self.balance >= 0.0 {
            Duration::ZERO
        } else {
            // The debt is at most an hour at the limit, and the rate at least
            // FLOOR of it: finite, but never trusted to convert.
            Duration::try_from_secs_f64(-self.balance / self.rate)
                .unwrap_or(Duration::from_secs(3600))
        }
    }

    /// Takes `units` a request consumed.
    pub(super) fn consume(&mut self, units: f64, now: Instant) {
        self.refill(now);
        if units.is_finite() && units > 0.0 {
            let units = units.min(MAX_UNITS_PER_REQUEST);
            self.balance = (self.balance - units).max(-self.limit * MAX_DEBT_SECONDS);
            self.consumed += units;
        }
    }

    /// The engine throttled a request: the rate backs off (when adaptive).
    pub(super) fn throttle(&mut self, now: Instant) {
        self.refill(now);
        self.throttled += 1;
        if self.adaptive {
            // One back-off per HOLD: a burst of throttled answers to
            // requests sent together is one signal; throttling that goes on
            // lowers the rate again each second.
            let fresh = self
                .last_backoff
                .is_none_or(|at| now.saturating_duration_since(at) >= HOLD);
            if fresh {
                self.rate = (self.rate * BACK_OFF).max(self.limit * FLOOR);
                self.last_backoff = Some(now);
            }
            self.last_throttle = Some(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: f64) -> Duration {
        Duration::from_secs_f64(s)
    }

    #[test]
    fn a_debt_is_paid_at_the_rate() {
        let start = Instant::now();
        let mut bucket = Bucket::new(10.0, secs(1.0), true, start);
        assert_eq!(bucket.wait(start), Duration::ZERO, "the first request goes");
        bucket.consume(25.0, start);
        // 25 units at 10 per second: 2.5 s before the next request.
        assert!((bucket.wait(start).as_secs_f64() - 2.5).abs() < 1e-9);
        assert!((bucket.wait(start + secs(1.0)).as_secs_f64() - 1.5).abs() < 1e-9);
        assert_eq!(bucket.wait(start + secs(2.5)), Duration::ZERO);
        assert_eq!(bucket.consumed, 25.0);
    }

    #[test]
    fn idle_time_saves_at_most_the_burst() {
        let start = Instant::now();
        let mut bucket = Bucket::new(10.0, secs(1.0), true, start);
        // An hour idle saves one second's worth, not an hour's.
        let later = start + secs(3600.0);
        bucket.consume(10.0, later);
        assert_eq!(bucket.wait(later), Duration::ZERO);
        bucket.consume(1.0, later);
        assert!((bucket.wait(later).as_secs_f64() - 0.1).abs() < 1e-9);
    }

    #[test]
    fn throttling_lowers_the_rate_once_per_burst_then_it_recovers() {
        let start = Instant::now();
        let mut bucket = Bucket::new(100.0, secs(1.0), true, start);
        bucket.throttle(start);
        bucket.throttle(start + secs(0.1));
        assert!((bucket.rate() - 70.0).abs() < 1e-9, "{}", bucket.rate());
        bucket.throttle(start + secs(1.1));
        assert!((bucket.rate() - 49.0).abs() < 1e-9, "{}", bucket.rate());
        assert_eq!(bucket.throttled, 3);
        // Held for a second, then back by 5 units per second.
        bucket.wait(start + secs(2.0));
        assert!((bucket.rate() - 49.0).abs() < 1e-9, "{}", bucket.rate());
        bucket.wait(start + secs(3.2));
        assert!((bucket.rate() - 54.5).abs() < 1e-6, "{}", bucket.rate());
        bucket.wait(start + secs(600.0));
        assert_eq!(bucket.rate(), 100.0, "never above the limit");
    }

    #[test]
    fn the_rate_never_falls_below_its_floor_and_a_fixed_rate_stays() {
        let start = Instant::now();
        let mut bucket = Bucket::new(100.0, secs(1.0), true, start);
        for i in 0..100 {
            bucket.throttle(start + secs(f64::from(i) * 1.0));
        }
        assert!((bucket.rate() - 5.0).abs() < 1e-9, "{}", bucket.rate());
        let mut fixed = Bucket::new(100.0, secs(1.0), false, start);
        fixed.throttle(start);
        assert_eq!(fixed.rate(), 100.0);
        assert_eq!(fixed.throttled, 1);
    }

    #[test]
    fn throttling_that_goes_on_lowers_the_rate_each_second() {
        let start = Instant::now();
        let mut bucket = Bucket::new(100.0, secs(1.0), true, start);
        // Throttled every 0.4 s for 3 s: backs off at 0, 1.2, 2.4.
        for i in 0..8 {
            bucket.throttle(start + secs(f64::from(i) * 0.4));
        }
        assert!((bucket.rate() - 34.3).abs() < 1e-6, "{}", bucket.rate());
    }

    #[test]
    fn a_huge_answer_never_makes_a_wait_unbounded() {
        let start = Instant::now();
        let mut bucket = Bucket::new(1.0, secs(1.0), true, start);
        bucket.consume(1e300, start);
        bucket.consume(f64::MAX, start);
        assert_eq!(bucket.consumed, 2.0 * MAX_UNITS_PER_REQUEST);
        assert!(bucket.wait(start) <= Duration::from_secs(3600));
        let mut tiny = Bucket::new(1e-300, secs(1.0), true, start);
        tiny.consume(1.0, start);
        assert!(tiny.wait(start) <= Duration::from_secs(3600));
    }

    #[test]
    fn nonsense_consumption_is_ignored() {
        let start = Instant::now();
        let mut bucket = Bucket::new(1.0, secs(1.0), true, start);
        for units in [f64::NAN, f64::INFINITY, -5.0, 0.0] {
            bucket.consume(units, start);
        }
        assert_eq!((bucket.consumed, bucket.wait(start)), (0.0, Duration::ZERO));
    }
}
