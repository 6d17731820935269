//! GetItem, PutItem, UpdateItem and DeleteItem: one item's requests and answers.

use super::ExpressionAttributes;
use crate::attribute::{Item, StoredItem};

/// GetItem.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct GetItemInput {
    /// The table.
    pub table: String,
    /// The full primary key.
    pub key: Item,
    /// Strongly consistent read.
    pub consistent_read: bool,
}

impl GetItemInput {
    /// Gets the item of `table` with this full primary `key`, eventually
    /// consistent.
    pub fn new(table: impl Into<String>, key: Item) -> Self {
        GetItemInput {
            table: table.into(),
            key,
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

/// GetItem's answer.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct GetItemOutput {
    /// The item, if it exists, in the engine's own form.
    pub item: Option<StoredItem>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

impl GetItemOutput {
    /// An answer with this item (`None`: no item has the key), reporting no
    /// consumed capacity.
    pub fn new(item: Option<StoredItem>) -> Self {
        GetItemOutput {
            item,
            consumed_capacity: None,
        }
    }

    /// The same answer, reporting `units` of capacity consumed.
    pub fn with_consumed_capacity(mut self, units: f64) -> Self {
        self.consumed_capacity = Some(units);
        self
    }
}

/// PutItem.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PutItemInput {
    /// The table.
    pub table: String,
    /// The whole item.
    pub item: Item,
    /// A condition expression.
    pub condition: Option<String>,
    /// Placeholders of the condition.
    pub placeholders: ExpressionAttributes,
    /// On a refused condition, ask for the stored item
    /// (`ReturnValuesOnConditionCheckFailure = ALL_OLD`): the error carries
    /// it ([`EngineError::item`](crate::error::EngineError::item)).
    pub return_values_on_condition_check_failure: bool,
}

impl PutItemInput {
    /// Puts the whole `item` into `table`, unconditionally.
    pub fn new(table: impl Into<String>, item: Item) -> Self {
        PutItemInput {
            return_values_on_condition_check_failure: false,
            table: table.into(),
            item,
            condition: None,
            placeholders: ExpressionAttributes::default(),
        }
    }

    /// The same request, applied only if `condition` (a condition expression)
    /// holds; its placeholders go in [`with_placeholders`](Self::with_placeholders).
    pub fn with_condition(mut self, condition: impl Into<String>) -> Self {
        self.condition = Some(condition.into());
        self
    }

    /// The same request, with the expression attribute names and values
    /// its expressions use.
    pub fn with_placeholders(mut self, placeholders: ExpressionAttributes) -> Self {
        self.placeholders = placeholders;
        self
    }
}

/// DeleteItem.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct DeleteItemInput {
    /// The table.
    pub table: String,
    /// The full primary key.
    pub key: Item,
    /// A condition expression.
    pub condition: Option<String>,
    /// Placeholders of the condition.
    pub placeholders: ExpressionAttributes,
    /// Return the deleted item (`ReturnValues = ALL_OLD`; ignored inside a
    /// transaction).
    pub return_old: bool,
    /// On a refused condition, ask for the stored item
    /// (`ReturnValuesOnConditionCheckFailure = ALL_OLD`): the error carries
    /// it ([`EngineError::item`](crate::error::EngineError::item)).
    pub return_values_on_condition_check_failure: bool,
}

impl DeleteItemInput {
    /// Deletes the item of `table` with this full primary `key`,
    /// unconditionally.
    pub fn new(table: impl Into<String>, key: Item) -> Self {
        DeleteItemInput {
            return_values_on_condition_check_failure: false,
            table: table.into(),
            key,
            condition: None,
            placeholders: ExpressionAttributes::default(),
            return_old: false,
        }
    }

    /// The same request, returning the item it deleted (`true`) or nothing
    /// (`false`, the default).
    pub fn with_return_old(mut self, return_old: bool) -> Self {
        self.return_old = return_old;
        self
    }

    /// The same request, applied only if `condition` (a condition expression)
    /// holds; its placeholders go in [`with_placeholders`](Self::with_placeholders).
    pub fn with_condition(mut self, condition: impl Into<String>) -> Self {
        self.condition = Some(condition.into());
        self
    }

    /// The same request, with the expression attribute names and values
    /// its expressions use.
    pub fn with_placeholders(mut self, placeholders: ExpressionAttributes) -> Self {
        self.placeholders = placeholders;
        self
    }
}

/// Which attributes an update returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ReturnValues {
    /// Nothing.
    #[default]
    None,
    /// The whole item as it was before.
    AllOld,
    /// The changed attributes as they were before.
    UpdatedOld,
    /// The whole item as it is after.
    AllNew,
    /// The changed attributes as they are after.
    UpdatedNew,
}

impl ReturnValues {
    /// DynamoDB's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ReturnValues::None => "NONE",
            ReturnValues::AllOld => "ALL_OLD",
            ReturnValues::UpdatedOld => "UPDATED_OLD",
            ReturnValues::AllNew => "ALL_NEW",
            ReturnValues::UpdatedNew => "UPDATED_NEW",
        }
    }
}

/// UpdateItem.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct UpdateItemInput {
    /// The table.
    pub table: String,
    /// The full primary key.
    pub key: Item,
    /// The update expression.
    pub update: String,
    /// A condition expression.
    pub condition: Option<String>,
    /// Placeholders of both expressions.
    pub placeholders: ExpressionAttributes,
    /// What to return.
    pub return_values: ReturnValues,
    /// On a refused condition, ask for the stored item
    /// (`ReturnValuesOnConditionCheckFailure = ALL_OLD`): the error carries
    /// it ([`EngineError::item`](crate::error::EngineError::item)).
    pub return_values_on_condition_check_failure: bool,
}

impl UpdateItemInput {
    /// Updates the item of `table` with this full primary `key` by `update`
    /// (an update expression; its placeholders go in
    /// [`with_placeholders`](Self::with_placeholders)), unconditionally,
    /// returning nothing.
    pub fn new(table: impl Into<String>, key: Item, update: impl Into<String>) -> Self {
        UpdateItemInput {
            return_values_on_condition_check_failure: false,
            table: table.into(),
            key,
            update: update.into(),
            condition: None,
            placeholders: ExpressionAttributes::default(),
            return_values: ReturnValues::None,
        }
    }

    /// The same request, applied only if `condition` (a condition expression)
    /// holds; its placeholders go in [`with_placeholders`](Self::with_placeholders).
    pub fn with_condition(mut self, condition: impl Into<String>) -> Self {
        self.condition = Some(condition.into());
        self
    }

    /// The same request, with the expression attribute names and values
    /// its expressions use.
    pub fn with_placeholders(mut self, placeholders: ExpressionAttributes) -> Self {
        self.placeholders = placeholders;
        self
    }

    /// The same request, returning these attributes.
    pub fn with_return_values(mut self, return_values: ReturnValues) -> Self {
        self.return_values = return_values;
        self
    }
}

/// UpdateItem's answer.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct UpdateItemOutput {
    /// The attributes asked for with `return_values`, in the engine's own form.
    pub attributes: Option<StoredItem>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

impl UpdateItemOutput {
    /// An answer with these attributes (`None`: none were asked for or
    /// there were none), reporting no consumed capacity.
    pub fn new(attributes: Option<StoredItem>) -> Self {
        UpdateItemOutput {
            attributes,
            consumed_capacity: None,
        }
    }

    /// The same answer, reporting `units` of capacity consumed.
    pub fn with_consumed_capacity(mut self, units: f64) -> Self {
        self.consumed_capacity = Some(units);
        self
    }
}

/// The answer to a write.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct WriteOutput {
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
    /// The item as it was before the write, when asked for (a delete's
    /// `return_old`) and there was one, in the engine's own form.
    pub old_item: Option<StoredItem>,
}

impl WriteOutput {
    /// The same answer (start from `WriteOutput::default()`), reporting `units` of capacity consumed.
    pub fn with_consumed_capacity(mut self, units: f64) -> Self {
        self.consumed_capacity = Some(units);
        self
    }

    /// The same answer, with the item as it was before the write.
    pub fn with_old_item(mut self, item: Option<StoredItem>) -> Self {
        self.old_item = item;
        self
    }
}
