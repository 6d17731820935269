//! [`Paced`]: the engine wrapper that pays each request's consumed capacity
//! into its [`Pacer`] and tells it of throttling. Waiting for a turn is not
//! here but before each attempt (the operations' `call`), so that the wait
//! never counts against an attempt's timeout.

use std::sync::Arc;

use super::{estimate, CapacityKind, Pacer};
use crate::attribute::StoredItem;
use crate::engine::request::*;
use crate::engine::{asking_capacity, Engine, EngineFuture, EngineWrapper};
use crate::error::EngineErrorKind;

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

/// How one request is charged: to the budget it waited on (a transaction's
/// first table), by what the engine reported or else the estimate of its
/// answer; a throttling answer lowers the rate.
struct Charge<T> {
    kind: CapacityKind,
    table: String,
    reported: fn(&T) -> Option<f64>,
    estimate: Box<dyn FnOnce(&T) -> f64 + Send>,
    throttled: fn(&T) -> bool,
    /// What a write refused by its condition (or a cancelled transaction)
    /// costs: DynamoDB bills those too.
    refused: f64,
}

impl<T> Charge<T> {
    fn new(
        kind: CapacityKind,
        table: &str,
        reported: fn(&T) -> Option<f64>,
        estimate: impl FnOnce(&T) -> f64 + Send + 'static,
    ) -> Self {
        Charge {
            kind,
            table: table.to_owned(),
            reported,
            estimate: Box::new(estimate),
            throttled: |_| false,
            refused: 0.0,
        }
    }

    fn throttled_when(mut self, throttled: fn(&T) -> bool) -> Self {
        self.throttled = throttled;
        self
    }

    fn refused_costs(mut self, units: f64) -> Self {
        self.refused = units;
        self
    }
}

impl Paced {
    /// `inner`, paying into `pacer`.
    pub(crate) fn new(inner: Arc<dyn Engine>, pacer: Pacer) -> Self {
        Paced { inner, pacer }
    }

    /// Awaits the request and charges its result.
    fn charged<'a, T: Send + 'a>(
        &'a self,
        future: EngineFuture<'a, T>,
        charge: Charge<T>,
    ) -> EngineFuture<'a, T> {
        Box::pin(async move {
            let result = future.await;
            let Charge {
                kind,
                table,
                reported,
                estimate,
                throttled,
                refused,
            } = charge;
            match &result {
                Ok(output) => {
                    let units = reported(output).unwrap_or_else(|| estimate(output));
                    self.pacer.consumed(&table, kind, units);
                    if throttled(output) {
                        self.pacer.throttled(&table, kind);
                    }
                }
                Err(error) => match error.kind {
                    EngineErrorKind::Throttled => self.pacer.throttled(&table, kind),
                    EngineErrorKind::ConditionalCheckFailed
                    | EngineErrorKind::TransactionCanceled => {
                        self.pacer.consumed(&table, kind, refused)
                    }
                    _ => {}
                },
            }
            result
        })
    }
}

impl EngineWrapper for Paced {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }

    fn get_item<'a>(&'a self, input: &GetItemInput) -> EngineFuture<'a, GetItemOutput> {
        let future = asking_capacity(|| self.inner.get_item(input));
        let consistent = input.consistent_read;
        let charge = Charge::new(
            CapacityKind::Read,
            &input.table,
            |o: &GetItemOutput| o.consumed_capacity,
            move |o| estimate::item_read(o.item.as_ref(), consistent),
        );
        self.charged(future, charge)
    }

    fn put_item<'a>(&'a self, input: &PutItemInput) -> EngineFuture<'a, WriteOutput> {
        let future = asking_capacity(|| self.inner.put_item(input));
        let units = estimate::item_write(Some(&input.item));
        let charge = Charge::new(
            CapacityKind::Write,
            &input.table,
            reported_write,
            move |_| units,
        );
        self.charged(future, charge.refused_costs(units))
    }

    fn update_item<'a>(&'a self, input: &UpdateItemInput) -> EngineFuture<'a, UpdateItemOutput> {
        let future = asking_capacity(|| self.inner.update_item(input));
        let charge = Charge::new(
            CapacityKind::Write,
            &input.table,
            |o: &UpdateItemOutput| o.consumed_capacity,
            |o| estimate::item_write_of(o.attributes.as_ref().map(StoredItem::size)),
        );
        self.charged(future, charge.refused_costs(estimate::item_write(None)))
    }

    fn delete_item<'a>(&'a self, input: &DeleteItemInput) -> EngineFuture<'a, WriteOutput> {
        let future = asking_capacity(|| self.inner.delete_item(input));
        let units = estimate::item_write(None);
        let charge = Charge::new(
            CapacityKind::Write,
            &input.table,
            reported_write,
            move |_| units,
        );
        self.charged(future, charge.refused_costs(units))
    }

    fn batch_get_item<'a>(&'a self, input: &BatchGetInput) -> EngineFuture<'a, BatchGetOutput> {
        let future = asking_capacity(|| self.inner.batch_get_item(input));
        let consistent = input.consistent_read;
        let charge = Charge::new(
            CapacityKind::Read,
            &input.table,
            |o: &BatchGetOutput| o.consumed_capacity,
            move |o| estimate::items_read(&o.items, consistent),
        );
        // Unprocessed keys: the engine held back for want of capacity, or
        // the answer reached its 16 MB limit (not throttling).
        let charge = charge.throttled_when(|o| {
            !o.unprocessed_keys.is_empty()
                && o.items.iter().map(StoredItem::size).sum::<usize>() < 8 << 20
        });
        self.charged(future, charge)
    }

    fn batch_write_item<'a>(
        &'a self,
        input: &BatchWriteInput,
    ) -> EngineFuture<'a, BatchWriteOutput> {
        let future = asking_capacity(|| self.inner.batch_write_item(input));
        // Unprocessed writes consumed nothing.
        let sent = estimate::writes(&input.writes);
        let charge = Charge::new(
            CapacityKind::Write,
            &input.table,
            |o: &BatchWriteOutput| o.consumed_capacity,
            move |o| (sent - estimate::writes(&o.unprocessed)).max(0.0),
        );
        self.charged(future, charge.throttled_when(|o| !o.unprocessed.is_empty()))
    }

    fn transact_write_items<'a>(
        &'a self,
        input: &TransactWriteInput,
    ) -> EngineFuture<'a, WriteOutput> {
        let future = asking_capacity(|| self.inner.transact_write_items(input));
        let units = estimate::transact_write(input);
        let charge = Charge::new(
            CapacityKind::Write,
            first_table(input.actions.first().map(action_table)),
            reported_write,
            move |_| units,
        );
        self.charged(future, charge.refused_costs(units))
    }

    fn transact_get_items<'a>(
        &'a self,
        input: &TransactGetInput,
    ) -> EngineFuture<'a, TransactGetOutput> {
        let future = asking_capacity(|| self.inner.transact_get_items(input));
        let charge = Charge::new(
            CapacityKind::Read,
            first_table(input.gets.first().map(|(table, _)| table.as_str())),
            |o: &TransactGetOutput| o.consumed_capacity,
            estimate::transact_get,
        );
        self.charged(future, charge)
    }

    fn query<'a>(&'a self, input: &QueryInput) -> EngineFuture<'a, PageOutput> {
        let future = asking_capacity(|| self.inner.query(input));
        self.charged(future, page(&input.table, input.consistent_read))
    }

    fn scan<'a>(&'a self, input: &ScanInput) -> EngineFuture<'a, PageOutput> {
        let future = asking_capacity(|| self.inner.scan(input));
        self.charged(future, page(&input.table, input.consistent_read))
    }
}

fn reported_write(output: &WriteOutput) -> Option<f64> {
    output.consumed_capacity
}

/// A Query or Scan page's charge.
fn page(table: &str, consistent: bool) -> Charge<PageOutput> {
    Charge::new(
        CapacityKind::Read,
        table,
        |o: &PageOutput| o.consumed_capacity,
        move |o| estimate::page_read(&o.items, consistent),
    )
}

/// A transaction is charged to its first table, whose turn it waited for.
fn first_table(table: Option<&str>) -> &str {
    table.unwrap_or_default()
}

fn action_table(action: &TransactWriteItem) -> &str {
    match action {
        TransactWriteItem::Put(put) => &put.table,
        TransactWriteItem::Update(update) => &update.table,
        TransactWriteItem::Delete(delete) => &delete.table,
        TransactWriteItem::ConditionCheck(check) => &check.table,
    }
}
