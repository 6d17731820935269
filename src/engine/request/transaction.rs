//! TransactWriteItems and TransactGetItems.

use super::{DeleteItemInput, ExpressionAttributes, PutItemInput, UpdateItemInput};
use crate::attribute::{Item, StoredItem};

/// ConditionCheck, inside a transaction.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ConditionCheckInput {
    /// The table.
    pub table: String,
    /// The full primary key.
    pub key: Item,
    /// The condition expression.
    pub condition: String,
    /// Placeholders of the condition.
    pub placeholders: ExpressionAttributes,
    /// Whether a refusal returns the stored item in the transaction's
    /// cancellation reason (`ReturnValuesOnConditionCheckFailure = ALL_OLD`).
    pub return_values_on_condition_check_failure: bool,
}

impl ConditionCheckInput {
    /// Checks that `condition` (a condition expression; its placeholders go
    /// in [`with_placeholders`](Self::with_placeholders)) holds on the item of
    /// `table` with this full primary `key`.
    pub fn new(table: impl Into<String>, key: Item, condition: impl Into<String>) -> Self {
        ConditionCheckInput {
            table: table.into(),
            key,
            condition: condition.into(),
            placeholders: ExpressionAttributes::default(),
            return_values_on_condition_check_failure: false,
        }
    }

    /// The same request, with the expression attribute names and values
    /// its expressions use.
    pub fn with_placeholders(mut self, placeholders: ExpressionAttributes) -> Self {
        self.placeholders = placeholders;
        self
    }
}

/// One action of a TransactWriteItems request.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum TransactWriteItem {
    /// Put a whole item.
    Put(PutItemInput),
    /// Update an item (its return values are ignored).
    Update(UpdateItemInput),
    /// Delete an item.
    Delete(DeleteItemInput),
    /// Check a condition on an item without writing it.
    ConditionCheck(ConditionCheckInput),
}

impl TransactWriteItem {
    /// The table the action writes or checks.
    pub fn table(&self) -> &str {
        match self {
            TransactWriteItem::Put(put) => &put.table,
            TransactWriteItem::Update(update) => &update.table,
            TransactWriteItem::Delete(delete) => &delete.table,
            TransactWriteItem::ConditionCheck(check) => &check.table,
        }
    }

    /// The same action, asking (where `ask`, and the action has a
    /// condition) that a refusal return the stored item in the
    /// cancellation reason (`ReturnValuesOnConditionCheckFailure = ALL_OLD`).
    pub fn asking_current(mut self, ask: bool) -> Self {
        match &mut self {
            TransactWriteItem::Put(put) => {
                put.return_values_on_condition_check_failure = ask && put.condition.is_some();
            }
            TransactWriteItem::Update(update) => {
                update.return_values_on_condition_check_failure = ask && update.condition.is_some();
            }
            TransactWriteItem::Delete(delete) => {
                delete.return_values_on_condition_check_failure = ask && delete.condition.is_some();
            }
            TransactWriteItem::ConditionCheck(check) => {
                check.return_values_on_condition_check_failure = ask;
            }
        }
        self
    }

    /// Whether a refusal returns the stored item in the cancellation reason.
    pub fn asks_current(&self) -> bool {
        match self {
            TransactWriteItem::Put(put) => put.return_values_on_condition_check_failure,
            TransactWriteItem::Update(update) => update.return_values_on_condition_check_failure,
            TransactWriteItem::Delete(delete) => delete.return_values_on_condition_check_failure,
            TransactWriteItem::ConditionCheck(check) => {
                check.return_values_on_condition_check_failure
            }
        }
    }
}

/// TransactWriteItems.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TransactWriteInput {
    /// Up to 100 actions, at most one per item.
    pub actions: Vec<TransactWriteItem>,
    /// An idempotency token (`ClientRequestToken`).
    pub token: Option<String>,
}

impl TransactWriteInput {
    /// A transaction of these actions (up to 100, at most one per item),
    /// without an idempotency token.
    pub fn new(actions: Vec<TransactWriteItem>) -> Self {
        TransactWriteInput {
            actions,
            token: None,
        }
    }

    /// The same request, with this idempotency token: the engine applies
    /// requests with the same token once.
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }
}

/// TransactGetItems: `(table, key)` pairs.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TransactGetInput {
    /// Up to 100 gets.
    pub gets: Vec<(String, Item)>,
}

impl TransactGetInput {
    /// Gets these `(table, full primary key)` pairs (up to 100) in one
    /// transaction.
    pub fn new(gets: Vec<(String, Item)>) -> Self {
        TransactGetInput { gets }
    }
}

/// TransactGetItems' answer: an item (or none) per get, in order.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct TransactGetOutput {
    /// The items, in the order of the gets, in the engine's own form.
    pub items: Vec<Option<StoredItem>>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

impl TransactGetOutput {
    /// An answer with these items, one per get in order (`None`: no item has
    /// that key), reporting no consumed capacity.
    pub fn new(items: Vec<Option<StoredItem>>) -> Self {
        TransactGetOutput {
            items,
            consumed_capacity: None,
        }
    }

    /// The same answer, reporting `units` of capacity consumed.
    pub fn with_consumed_capacity(mut self, units: f64) -> Self {
        self.consumed_capacity = Some(units);
        self
    }
}
