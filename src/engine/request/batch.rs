//! BatchGetItem and BatchWriteItem on one table.

use crate::attribute::{Item, StoredItem};

/// BatchGetItem on one table.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct BatchGetInput {
    /// The table.
    pub table: String,
    /// Up to 100 distinct keys.
    pub keys: Vec<Item>,
    /// Strongly consistent reads.
    pub consistent_read: bool,
}

impl BatchGetInput {
    /// Gets the items of `table` with these full primary `keys` (up to 100,
    /// distinct), eventually consistent.
    pub fn new(table: impl Into<String>, keys: Vec<Item>) -> Self {
        BatchGetInput {
            table: table.into(),
            keys,
            consistent_read: false,
        }
    }

    /// The same request, strongly consistent (`true`) or eventually
    /// consistent (`false`, the default).
    pub fn with_consistent_read(mut self, consistent_read: bool) -> Self {
        self.consistent_read = consistent_read;
        self
    }
}

/// BatchGetItem's answer.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct BatchGetOutput {
    /// The items found, in no particular order, in the engine's own form.
    pub items: Vec<StoredItem>,
    /// Keys the engine did not get to: send them again.
    pub unprocessed_keys: Vec<Item>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

impl BatchGetOutput {
    /// An answer with these items, every key processed, reporting no
    /// consumed capacity.
    pub fn new(items: Vec<StoredItem>) -> Self {
        BatchGetOutput {
            items,
            unprocessed_keys: Vec::new(),
            consumed_capacity: None,
        }
    }

    /// The same answer, leaving these keys unprocessed.
    pub fn with_unprocessed_keys(mut self, keys: Vec<Item>) -> Self {
        self.unprocessed_keys = keys;
        self
    }

    /// The same answer, reporting `units` of capacity consumed.
    pub fn with_consumed_capacity(mut self, units: f64) -> Self {
        self.consumed_capacity = Some(units);
        self
    }
}

/// One write of a batch.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WriteRequest {
    /// Put this whole item.
    Put(Item),
    /// Delete the item with this key.
    Delete(Item),
}

/// BatchWriteItem on one table.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct BatchWriteInput {
    /// The table.
    pub table: String,
    /// Up to 25 writes, no two on the same key.
    pub writes: Vec<WriteRequest>,
}

impl BatchWriteInput {
    /// Writes these puts and deletes (up to 25, no two on the same key) to
    /// `table`.
    pub fn new(table: impl Into<String>, writes: Vec<WriteRequest>) -> Self {
        BatchWriteInput {
            table: table.into(),
            writes,
        }
    }
}

/// BatchWriteItem's answer.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct BatchWriteOutput {
    /// Writes the engine did not get to: send them again.
    pub unprocessed: Vec<WriteRequest>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

impl BatchWriteOutput {
    /// The same answer, leaving these writes unprocessed (start from
    /// `BatchWriteOutput::default()`: every write processed).
    pub fn with_unprocessed(mut self, writes: Vec<WriteRequest>) -> Self {
        self.unprocessed = writes;
        self
    }

    /// The same answer, reporting `units` of capacity consumed.
    pub fn with_consumed_capacity(mut self, units: f64) -> Self {
        self.consumed_capacity = Some(units);
        self
    }
}
