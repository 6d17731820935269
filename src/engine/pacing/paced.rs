//! [`Paced`]: the engine wrapper that pays each request's consumed capacity
//! into its [`Pacer`] and tells it of throttling. Waiting for a turn is not
//! here but before each attempt (the operations' `call`), so that the wait
//! never counts against an attempt's timeout.

use std::sync::Arc;

use super::{estimate, CapacityKind, Pacer};
use crate::attribute::StoredItem;
use crate::engine::request::*;
use crate::engine::{Engine, EngineFuture, EngineWrapper};
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

/// How one request is charged: to the budget it waited on (a transaction's
/// first table), by what the engine reported or else an estimate from the
/// items it sent or read; a throttling answer lowers the rate.
struct Charge {
    kind: CapacityKind,
    table: String,
    /// A strongly consistent read (estimates of reads).
    consistent: bool,
    /// What the items sent cost (estimates of puts, deletes, batch writes
    /// and transactions).
    sent: f64,
    /// What a write refused by its condition (or a cancelled transaction)
    /// costs: DynamoDB bills those too.
    refused: f64,
}

impl Charge {
    /// How `call` is charged; `None` for the calls that use no capacity
    /// (tables, streams).
    fn of(call: Call<'_>) -> Option<Charge> {
        let (kind, consistent, sent, refused) = match call {
            Call::GetItem(input) => (CapacityKind::Read, input.consistent_read, 0.0, 0.0),
            Call::PutItem(input) => {
                let units = estimate::item_write(Some(&input.item));
                (CapacityKind::Write, false, units, units)
            }
            Call::UpdateItem(_) => (CapacityKind::Write, false, 0.0, estimate::item_write(None)),
            Call::DeleteItem(_) => {
                let units = estimate::item_write(None);
                (CapacityKind::Write, false, units, units)
            }
            Call::BatchGetItem(input) => (CapacityKind::Read, input.consistent_read, 0.0, 0.0),
            Call::BatchWriteItem(input) => (
                CapacityKind::Write,
                false,
                estimate::writes(&input.writes),
                0.0,
            ),
            Call::TransactWriteItems(input) => {
                let units = estimate::transact_write(input);
                (CapacityKind::Write, false, units, units)
            }
            Call::TransactGetItems(_) => (CapacityKind::Read, true, 0.0, 0.0),
            Call::Query(input) => (CapacityKind::Read, input.consistent_read, 0.0, 0.0),
            Call::Scan(input) => (CapacityKind::Read, input.consistent_read, 0.0, 0.0),
            _ => return None,
        };
        Some(Charge {
            kind,
            // A transaction is charged to its first table, whose turn it
            // waited for.
            table: call.table().unwrap_or_default().to_owned(),
            consistent,
            sent,
            refused,
        })
    }

    /// The units `response` consumed: as reported, or else estimated.
    fn units(&self, response: &Response) -> f64 {
        if let Some(reported) = response.consumed_capacity() {
            return reported;
        }
        match response {
            Response::GetItem(o) => estimate::item_read(o.item.as_ref(), self.consistent),
            Response::UpdateItem(o) => {
                estimate::item_write_of(o.attributes.as_ref().map(StoredItem::size))
            }
            Response::BatchGetItem(o) => estimate::items_read(&o.items, self.consistent),
            // Unprocessed writes consumed nothing.
            Response::BatchWriteItem(o) => (self.sent - estimate::writes(&o.unprocessed)).max(0.0),
            Response::TransactGetItems(o) => estimate::transact_get(o),
            Response::Query(o) | Response::Scan(o) => {
                estimate::page_read(&o.items, self.consistent)
            }
            _ => self.sent,
        }
    }
}

/// Whether an answer says the engine held work back for want of capacity.
fn throttled(response: &Response) -> bool {
    match response {
        // Unprocessed keys: the engine held back for want of capacity, or
        // the answer reached its 16 MB limit (not throttling).
        Response::BatchGetItem(o) => {
            !o.unprocessed_keys.is_empty()
                && o.items.iter().map(StoredItem::size).sum::<usize>() < 8 << 20
        }
        Response::BatchWriteItem(o) => !o.unprocessed.is_empty(),
        _ => false,
    }
}

impl Paced {
    /// `inner`, paying into `pacer`.
    pub(crate) fn new(inner: Arc<dyn Engine>, pacer: Pacer) -> Self {
        Paced { inner, pacer }
    }

    /// Pays what a request of `charge` cost, by its `result`.
    fn pay(&self, charge: &Charge, result: &Result<Response, EngineError>) {
        let (table, kind) = (charge.table.as_str(), charge.kind);
        match result {
            Ok(response) => {
                self.pacer.consumed(table, kind, charge.units(response));
                if throttled(response) {
                    self.pacer.throttled(table, kind);
                }
            }
            Err(error) => match error.kind {
                EngineErrorKind::Throttled => self.pacer.throttled(table, kind),
                EngineErrorKind::ConditionalCheckFailed | EngineErrorKind::TransactionCanceled => {
                    self.pacer.consumed(table, kind, charge.refused)
                }
                _ => {}
            },
        }
    }
}

impl EngineWrapper for Paced {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }

    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        let Some(charge) = Charge::of(request.call) else {
            return self.inner.exec(request);
        };
        // Asked on every request: what the engine reports is paid, not the
        // estimate.
        let future = self.inner.exec(request.with_consumed_capacity(true));
        Box::pin(async move {
            let result = future.await;
            self.pay(&charge, &result);
            result
        })
    }
}
