//! Capacity pacing: [`Pacer`], the budget a connection's requests share,
//! and [`Paced`], the engine wrapper that pays into it.

mod bucket;
mod estimate;
mod paced;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::error::Error;
use bucket::Bucket;
pub(crate) use paced::Paced;

/// Which budget a request draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CapacityKind {
    /// Read capacity units: GetItem, BatchGetItem, Query, Scan, TransactGetItems.
    Read,
    /// Write capacity units: PutItem, UpdateItem, DeleteItem, BatchWriteItem,
    /// TransactWriteItems.
    Write,
}

impl CapacityKind {
    /// The budget of a DynamoDB operation (by its API name), if it draws on
    /// one; table and stream operations do not.
    pub fn of(operation: &str) -> Option<CapacityKind> {
        match operation {
            "GetItem" | "BatchGetItem" | "Query" | "Scan" | "TransactGetItems" => {
                Some(CapacityKind::Read)
            }
            "PutItem" | "UpdateItem" | "DeleteItem" | "BatchWriteItem" | "TransactWriteItems" => {
                Some(CapacityKind::Write)
            }
            _ => None,
        }
    }
}

/// How much capacity a [`Pacer`] lets requests consume: units per second,
/// for reads and for writes (either unlimited when not set).
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub struct CapacityLimit {
    /// Read capacity units per second.
    pub read_units: Option<f64>,
    /// Write capacity units per second.
    pub write_units: Option<f64>,
    /// One budget per table instead of one for the whole connection.
    pub per_table: bool,
    /// Whether throttling lowers the rate (the default).
    pub adaptive: bool,
    /// How much unused capacity a budget saves up: this long at its rate
    /// (one second by default).
    pub burst: Duration,
}

impl CapacityLimit {
    fn unlimited() -> Self {
        CapacityLimit {
            read_units: None,
            write_units: None,
            per_table: false,
            adaptive: true,
            burst: Duration::from_secs(1),
        }
    }

    /// At most `units` read capacity units per second; writes unlimited.
    pub fn reads(units: f64) -> Self {
        CapacityLimit::unlimited().with_reads(units)
    }

    /// At most `units` write capacity units per second; reads unlimited.
    pub fn writes(units: f64) -> Self {
        CapacityLimit::unlimited().with_writes(units)
    }

    /// The same limit, with `units` read capacity units per second.
    pub fn with_reads(mut self, units: f64) -> Self {
        self.read_units = Some(units);
        self
    }

    /// The same limit, with `units` write capacity units per second.
    pub fn with_writes(mut self, units: f64) -> Self {
        self.write_units = Some(units);
        self
    }

    /// The same limit for each table on its own, instead of for all of the
    /// connection's tables together.
    pub fn per_table(mut self) -> Self {
        self.per_table = true;
        self
    }

    /// The same limit, kept whatever the engine throttles (by default
    /// throttling lowers the rate for a while).
    pub fn fixed(mut self) -> Self {
        self.adaptive = false;
        self
    }

    /// The same limit, saving up to `burst` worth of unused capacity.
    pub fn with_burst(mut self, burst: Duration) -> Self {
        self.burst = burst;
        self
    }

    fn units(&self, kind: CapacityKind) -> Option<f64> {
        match kind {
            CapacityKind::Read => self.read_units,
            CapacityKind::Write => self.write_units,
        }
    }

    fn check(&self) -> Result<(), Error> {
        let invalid = |what: String| {
            Err(Error::Setup {
                what: "pacing capacity".to_owned(),
                source: what.into(),
            })
        };
        for (kind, units) in [("read", self.read_units), ("write", self.write_units)] {
            if let Some(units) = units {
                if !(units.is_finite() && units >= MIN_UNITS) {
                    return invalid(format!(
                        "{units} {kind} units per second: a limit is a positive, finite number, at least {MIN_UNITS}"
                    ));
                }
            }
        }
        if self.burst > Duration::from_secs(3600) {
            return invalid(format!("a burst of {:?}: at most an hour", self.burst));
        }
        Ok(())
    }
}

/// What a [`Pacer`] has let through, per budget.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub struct PacingStats {
    /// Units consumed (reported by the engine, or estimated).
    pub consumed: f64,
    /// The rate now, units per second (below the limit after throttling).
    pub rate: f64,
    /// Requests the engine throttled.
    pub throttled: u64,
    /// Time requests spent waiting for their turn, added up.
    pub waited: Duration,
}

/// The key of a budget: the table (with a per-table limit) and the kind.
type BudgetKey = (Option<String>, CapacityKind);

struct Budget {
    bucket: Mutex<Bucket>,
    /// Requests wait for their turn in order (tokio's mutex is fair).
    turn: tokio::sync::Mutex<()>,
}

/// Shared capacity budgets: cloning is cheap and clones share them, so one
/// pacer can pace several connections (or engines) together. Made by
/// [`Connection::with_capacity_limit`](crate::Connection::with_capacity_limit),
/// or by [`Pacer::new`] and given to
/// [`Connection::with_pacer`](crate::Connection::with_pacer).
///
/// Capacity pacing: a budget of read and write capacity units per second
/// that every request of a connection shares, so a scan, a backfill or a
/// bulk write leaves the rest of the table's capacity to everyone else.
///
/// A [`Pacer`] holds the budgets (one per kind of unit, or per table and
/// kind with [`CapacityLimit::per_table`]). Each request waits for its turn
/// until its budget is not in debt, then pays what it consumed: the
/// capacity the engine reports (asked for on every paced request), or an
/// estimate from the items' sizes where the engine reports none (see
/// `estimate`: ScyllaDB Alternator on Query and Scan). A throttled
/// request, or a batch with unprocessed items, lowers the rate (by 30%, at
/// most once a second, never below 5% of the limit); it climbs back by 5% of
/// the limit per second once throttling stops. Over any long run the units
/// consumed stay within the limit plus one burst (a second's worth by
/// default) and what the requests in flight consume. Writes refused by their
/// condition are charged (DynamoDB bills them); a request whose answer never
/// came (a timeout) is not. A native transaction draws on the budget of its
/// first action's table. Per-table budgets are keyed by the table name as
/// sent (with the connection's prefix).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> dynamodb_mapper::Result<()> {
/// use dynamodb_mapper::operation::CapacityLimit;
/// use dynamodb_mapper::Connection;
///
/// // Leave the table's other 900 read units to the service.
/// let conn = Connection::embedded()?.with_capacity_limit(CapacityLimit::reads(100.0))?;
/// assert_eq!(conn.pacer().map(|p| p.limit().read_units), Some(Some(100.0)));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Pacer {
    limit: CapacityLimit,
    budgets: Arc<Mutex<HashMap<BudgetKey, Arc<Budget>>>>,
}

impl std::fmt::Debug for Pacer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pacer").field("limit", &self.limit).finish()
    }
}

/// The lowest limit, units per second.
pub const MIN_UNITS: f64 = 0.001;

/// At most this many waits of at most a second for one turn. A budget is
/// never owed more than an hour at its limit, and the rate never falls below
/// 5% of it: a turn comes within 20 hours however large the debts. That
/// bounds the loop; no realistic answer comes near it (a request is charged
/// at most 100,000 units).
const MAX_WAITS: usize = 72_000;
const MAX_WAIT: Duration = Duration::from_secs(1);

impl Pacer {
    /// Budgets of `limit` (a typed error for a limit that is not a finite
    /// number of at least 0.001 (`MIN_UNITS`), or a burst over an hour).
    pub fn new(limit: CapacityLimit) -> Result<Pacer, Error> {
        limit.check()?;
        Ok(Pacer {
            limit,
            budgets: Arc::default(),
        })
    }

    /// The limit.
    pub fn limit(&self) -> &CapacityLimit {
        &self.limit
    }

    /// What was let through: for the whole connection (`table` is ignored),
    /// or for `table` (with its prefix) under a per-table limit; `None` for
    /// an unlimited kind or a table not used yet.
    pub fn stats(&self, table: &str, kind: CapacityKind) -> Option<PacingStats> {
        let budget = self.budgets().get(&self.key(table, kind)).cloned()?;
        let bucket = budget.bucket.lock().unwrap_or_else(|e| e.into_inner());
        Some(PacingStats {
            consumed: bucket.consumed,
            rate: bucket.rate(),
            throttled: bucket.throttled,
            waited: bucket.waited,
        })
    }

    fn budgets(&self) -> std::sync::MutexGuard<'_, HashMap<BudgetKey, Arc<Budget>>> {
        self.budgets.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn key(&self, table: &str, kind: CapacityKind) -> BudgetKey {
        (self.limit.per_table.then(|| table.to_owned()), kind)
    }

    fn budget(&self, table: &str, kind: CapacityKind) -> Option<Arc<Budget>> {
        let units = self.limit.units(kind)?;
        let key = self.key(table, kind);
        let mut budgets = self.budgets();
        let budget = budgets.entry(key).or_insert_with(|| {
            Arc::new(Budget {
                bucket: Mutex::new(Bucket::new(
                    units,
                    self.limit.burst,
                    self.limit.adaptive,
                    Instant::now().into_std(),
                )),
                turn: tokio::sync::Mutex::new(()),
            })
        });
        Some(Arc::clone(budget))
    }

    /// Waits until a request of `operation` on `table` may start; how long
    /// it waited (not counted against the operation's timeout).
    pub(crate) async fn turn(&self, operation: &str, table: &str) -> Duration {
        let Some(budget) = CapacityKind::of(operation).and_then(|k| self.budget(table, k)) else {
            return Duration::ZERO;
        };
        let _turn = budget.turn.lock().await;
        let start = Instant::now();
        for _ in 0..MAX_WAITS {
            let wait = {
                let mut bucket = budget.bucket.lock().unwrap_or_else(|e| e.into_inner());
                bucket.wait(Instant::now().into_std())
            };
            if wait.is_zero() {
                break;
            }
            tokio::time::sleep(wait.min(MAX_WAIT)).await;
        }
        let waited = start.elapsed();
        let mut bucket = budget.bucket.lock().unwrap_or_else(|e| e.into_inner());
        bucket.waited += waited;
        waited
    }

    /// A request consumed `units` of `table`'s `kind`.
    pub(crate) fn consumed(&self, table: &str, kind: CapacityKind, units: f64) {
        if let Some(budget) = self.budget(table, kind) {
            let mut bucket = budget.bucket.lock().unwrap_or_else(|e| e.into_inner());
            bucket.consume(units, Instant::now().into_std());
        }
    }

    /// The engine throttled a request on `table`.
    pub(crate) fn throttled(&self, table: &str, kind: CapacityKind) {
        if let Some(budget) = self.budget(table, kind) {
            let mut bucket = budget.bucket.lock().unwrap_or_else(|e| e.into_inner());
            bucket.throttle(Instant::now().into_std());
            tracing::debug!(
                target: "dynamodb_mapper::pacing",
                table,
                ?kind,
                rate = bucket.rate(),
                "throttled: pacing slower"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_that_are_no_rate_are_refused() {
        for units in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let error = Pacer::new(CapacityLimit::reads(units)).unwrap_err();
            assert!(error.to_string().contains("positive, finite"), "{error}");
            assert!(Pacer::new(CapacityLimit::writes(units)).is_err());
        }
        let long = CapacityLimit::reads(1.0).with_burst(Duration::from_secs(7200));
        assert!(Pacer::new(long).is_err());
        assert!(Pacer::new(CapacityLimit::reads(0.01).with_writes(1e9)).is_ok());
    }

    #[test]
    fn operations_draw_on_their_kind_only() {
        assert_eq!(CapacityKind::of("Scan"), Some(CapacityKind::Read));
        assert_eq!(
            CapacityKind::of("BatchWriteItem"),
            Some(CapacityKind::Write)
        );
        assert_eq!(CapacityKind::of("DescribeTable"), None);
        assert_eq!(CapacityKind::of("GetRecords"), None);
    }

    #[test]
    fn budgets_are_per_connection_or_per_table() {
        let shared = Pacer::new(CapacityLimit::reads(10.0)).unwrap();
        shared.consumed("a", CapacityKind::Read, 5.0);
        shared.consumed("b", CapacityKind::Read, 5.0);
        shared.consumed("a", CapacityKind::Write, 5.0);
        let stats = shared.stats("any", CapacityKind::Read).unwrap();
        assert_eq!(stats.consumed, 10.0);
        assert!(
            shared.stats("a", CapacityKind::Write).is_none(),
            "unlimited"
        );
        let per_table = Pacer::new(CapacityLimit::reads(10.0).per_table()).unwrap();
        per_table.consumed("a", CapacityKind::Read, 5.0);
        per_table.consumed("b", CapacityKind::Read, 7.0);
        assert_eq!(
            per_table.stats("a", CapacityKind::Read).unwrap().consumed,
            5.0
        );
        assert_eq!(
            per_table.stats("b", CapacityKind::Read).unwrap().consumed,
            7.0
        );
    }
}
