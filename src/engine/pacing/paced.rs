//! [`Paced`]: the engine wrapper that pays each request's consumed capacity
//! into its [`Pacer`] and tells it of throttling. Waiting for a turn is not
//! here but before each attempt (the operations' `call`), so that the wait
//! never counts against an attempt's timeout.

use std::future::Future;
use std::sync::Arc;

use super::{estimate, CapacityKind, Pacer};
use crate::engine::request::*;
use crate::engine::{asking_capacity, Engine, EngineFuture, EngineWrapper};
use crate::error::{EngineError, EngineErrorKind};

/// An engine whose requests' consumed capacity is paid into a [`Pacer`]:
/// the capacity reported (it asks for it on every request), or an estimate
/// from the items' sizes. Made by
/// [`Connection::with_capacity_limit`](crate::Connection::with_capacity_limit),
/// which also makes each request wait for its turn; the connection's
/// `shared_engine()` is the engine without it.
#[derive(Debug)]
pub(crate) struct Paced {
    inner: Arc<dyn Engine>,
    pacer: Pacer,
}

impl Paced {
    /// `inner`, paying into `pacer`.
    pub(crate) fn new(inner: Arc<dyn Engine>, pacer: Pacer) -> Self {
        Paced { inner, pacer }
    }

    /// Awaits `future` and settles its result: `cost` gives the units per
    /// table of an answer (the reported total shared out as the estimates
    /// are), `throttled` whether an answer says the engine held back;
    /// `refused` is what a write refused by its condition (or a cancelled
    /// transaction) costs, as DynamoDB bills those too.
    #[allow(clippy::too_many_arguments)]
    fn settle<'a, T: Send + 'a>(
        &'a self,
        kind: CapacityKind,
        table: String,
        future: EngineFuture<'a, T>,
        reported: fn(&T) -> Option<f64>,
        cost: impl FnOnce(&T) -> Vec<(String, f64)> + Send + 'a,
        throttled: fn(&T) -> bool,
        refused: f64,
    ) -> EngineFuture<'a, T> {
        Box::pin(settled(future, move |result| match result {
            Ok(output) => {
                let mut shares = cost(output);
                if let Some(total) = reported(output) {
                    let estimated: f64 = shares.iter().map(|(_, units)| units).sum();
                    let count = shares.len().max(1) as f64;
                    for (_, units) in &mut shares {
                        *units = if estimated > 0.0 {
                            total * *units / estimated
                        } else {
                            total / count
                        };
                    }
                }
                for (table, units) in shares {
                    self.pacer.consumed(&table, kind, units);
                }
                if throttled(output) {
                    self.pacer.throttled(&table, kind);
                }
            }
            Err(error) => match error.kind {
                EngineErrorKind::Throttled => self.pacer.throttled(&table, kind),
                EngineErrorKind::ConditionalCheckFailed | EngineErrorKind::TransactionCanceled => {
                    self.pacer.consumed(&table, kind, refused)
                }
                _ => {}
            },
        }))
    }
}

async fn settled<T>(
    future: impl Future<Output = Result<T, EngineError>>,
    settle: impl FnOnce(&Result<T, EngineError>),
) -> Result<T, EngineError> {
    let result = future.await;
    settle(&result);
    result
}

fn one(table: &str, units: f64) -> Vec<(String, f64)> {
    vec![(table.to_owned(), units)]
}

fn never<T>(_: &T) -> bool {
    false
}

impl EngineWrapper for Paced {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }

    fn get_item<'a>(&'a self, input: &GetItemInput) -> EngineFuture<'a, GetItemOutput> {
        let future = asking_capacity(|| self.inner.get_item(input));
        let (table, consistent) = (input.table.clone(), input.consistent_read);
        let cost =
            move |o: &GetItemOutput| one(&table, estimate::item_read(o.item.as_ref(), consistent));
        let reported = |o: &GetItemOutput| o.consumed_capacity;
        self.settle(
            CapacityKind::Read,
            input.table.clone(),
            future,
            reported,
            cost,
            never,
            0.0,
        )
    }

    fn put_item<'a>(&'a self, input: &PutItemInput) -> EngineFuture<'a, WriteOutput> {
        let future = asking_capacity(|| self.inner.put_item(input));
        let units = estimate::item_write(Some(&input.item));
        let refused = units;
        let table = input.table.clone();
        let cost = move |_: &WriteOutput| one(&table, units);
        let reported = |o: &WriteOutput| o.consumed_capacity;
        self.settle(
            CapacityKind::Write,
            input.table.clone(),
            future,
            reported,
            cost,
            never,
            refused,
        )
    }

    fn update_item<'a>(&'a self, input: &UpdateItemInput) -> EngineFuture<'a, UpdateItemOutput> {
        let future = asking_capacity(|| self.inner.update_item(input));
        let refused = estimate::item_write(None);
        let table = input.table.clone();
        let cost =
            move |o: &UpdateItemOutput| one(&table, estimate::item_write(o.attributes.as_ref()));
        let reported = |o: &UpdateItemOutput| o.consumed_capacity;
        self.settle(
            CapacityKind::Write,
            input.table.clone(),
            future,
            reported,
            cost,
            never,
            refused,
        )
    }

    fn delete_item<'a>(&'a self, input: &DeleteItemInput) -> EngineFuture<'a, WriteOutput> {
        let future = asking_capacity(|| self.inner.delete_item(input));
        let refused = estimate::item_write(None);
        let table = input.table.clone();
        let cost = move |_: &WriteOutput| one(&table, estimate::item_write(None));
        let reported = |o: &WriteOutput| o.consumed_capacity;
        self.settle(
            CapacityKind::Write,
            input.table.clone(),
            future,
            reported,
            cost,
            never,
            refused,
        )
    }

    fn batch_get_item<'a>(&'a self, input: &BatchGetInput) -> EngineFuture<'a, BatchGetOutput> {
        let future = asking_capacity(|| self.inner.batch_get_item(input));
        let (table, consistent) = (input.table.clone(), input.consistent_read);
        let cost =
            move |o: &BatchGetOutput| one(&table, estimate::items_read(&o.items, consistent));
        let reported = |o: &BatchGetOutput| o.consumed_capacity;
        // Unprocessed keys: the engine held back for want of capacity, or
        // the answer reached its 16 MB limit (not throttling).
        let throttled = |o: &BatchGetOutput| {
            !o.unprocessed_keys.is_empty()
                && o.items
                    .iter()
                    .map(crate::attribute::item_size)
                    .sum::<usize>()
                    < 8 << 20
        };
        self.settle(
            CapacityKind::Read,
            input.table.clone(),
            future,
            reported,
            cost,
            throttled,
            0.0,
        )
    }

    fn batch_write_item<'a>(
        &'a self,
        input: &BatchWriteInput,
    ) -> EngineFuture<'a, BatchWriteOutput> {
        let future = asking_capacity(|| self.inner.batch_write_item(input));
        let table = input.table.clone();
        // Unprocessed writes consumed nothing.
        let sent = estimate::writes(&input.writes);
        let refused = 0.0;
        let cost = move |o: &BatchWriteOutput| {
            one(&table, (sent - estimate::writes(&o.unprocessed)).max(0.0))
        };
        let reported = |o: &BatchWriteOutput| o.consumed_capacity;
        let throttled = |o: &BatchWriteOutput| !o.unprocessed.is_empty();
        self.settle(
            CapacityKind::Write,
            input.table.clone(),
            future,
            reported,
            cost,
            throttled,
            refused,
        )
    }

    fn transact_write_items<'a>(
        &'a self,
        input: &TransactWriteInput,
    ) -> EngineFuture<'a, WriteOutput> {
        let future = asking_capacity(|| self.inner.transact_write_items(input));
        let shares: Vec<(String, f64)> = estimate::transact_write(input)
            .into_iter()
            .map(|(table, units)| (table.to_owned(), units))
            .collect();
        let table = shares.first().map(|(t, _)| t.clone()).unwrap_or_default();
        let refused = shares.iter().map(|(_, units)| units).sum();
        // A transaction waits for its first table's turn (see call_until),
        // so all of it is charged there.
        let total: f64 = refused;
        let shares = vec![(table.clone(), total)];
        let reported = |o: &WriteOutput| o.consumed_capacity;
        self.settle(
            CapacityKind::Write,
            table,
            future,
            reported,
            move |_| shares,
            never,
            refused,
        )
    }

    fn transact_get_items<'a>(
        &'a self,
        input: &TransactGetInput,
    ) -> EngineFuture<'a, TransactGetOutput> {
        let future = asking_capacity(|| self.inner.transact_get_items(input));
        let table = input
            .gets
            .first()
            .map(|(t, _)| t.clone())
            .unwrap_or_default();
        let tables: Vec<String> = input.gets.iter().map(|(t, _)| t.clone()).collect();
        let cost = move |o: &TransactGetOutput| estimate::transact_get(&tables, o);
        let reported = |o: &TransactGetOutput| o.consumed_capacity;
        self.settle(
            CapacityKind::Read,
            table,
            future,
            reported,
            cost,
            never,
            0.0,
        )
    }

    fn query<'a>(&'a self, input: &QueryInput) -> EngineFuture<'a, PageOutput> {
        let future = asking_capacity(|| self.inner.query(input));
        let (table, consistent) = (input.table.clone(), input.consistent_read);
        let cost = move |o: &PageOutput| one(&table, estimate::page_read(&o.items, consistent));
        let reported = |o: &PageOutput| o.consumed_capacity;
        self.settle(
            CapacityKind::Read,
            input.table.clone(),
            future,
            reported,
            cost,
            never,
            0.0,
        )
    }

    fn scan<'a>(&'a self, input: &ScanInput) -> EngineFuture<'a, PageOutput> {
        let future = asking_capacity(|| self.inner.scan(input));
        let (table, consistent) = (input.table.clone(), input.consistent_read);
        let cost = move |o: &PageOutput| one(&table, estimate::page_read(&o.items, consistent));
        let reported = |o: &PageOutput| o.consumed_capacity;
        self.settle(
            CapacityKind::Read,
            input.table.clone(),
            future,
            reported,
            cost,
            never,
            0.0,
        )
    }
}
