//! Engine-neutral requests and responses: the subset of DynamoDB's API the
//! mapper sends, with items in this crate's [`AttributeValue`](crate::AttributeValue) form.

use std::collections::HashMap;

use crate::attribute::{Item, ScalarType};
use crate::model::{IndexDefinition, StreamView};

/// Expression attribute names and values of one request.
pub use crate::expression::CompiledExpression as Placeholders;

/// GetItem.
#[derive(Debug, Clone, Default)]
pub struct GetItemInput {
    /// The table.
    pub table: String,
    /// The full primary key.
    pub key: Item,
    /// Strongly consistent read.
    pub consistent_read: bool,
}

/// GetItem's answer.
#[derive(Debug, Clone, Default)]
pub struct GetItemOutput {
    /// The item, if it exists.
    pub item: Option<Item>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

/// PutItem.
#[derive(Debug, Clone, Default)]
pub struct PutItemInput {
    /// The table.
    pub table: String,
    /// The whole item.
    pub item: Item,
    /// A condition expression.
    pub condition: Option<String>,
    /// Placeholders of the condition.
    pub placeholders: Placeholders,
}

/// DeleteItem.
#[derive(Debug, Clone, Default)]
pub struct DeleteItemInput {
    /// The table.
    pub table: String,
    /// The full primary key.
    pub key: Item,
    /// A condition expression.
    pub condition: Option<String>,
    /// Placeholders of the condition.
    pub placeholders: Placeholders,
}

/// Which attributes an update returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
    pub placeholders: Placeholders,
    /// What to return.
    pub return_values: ReturnValues,
}

/// UpdateItem's answer.
#[derive(Debug, Clone, Default)]
pub struct UpdateItemOutput {
    /// The attributes asked for with `return_values`.
    pub attributes: Option<Item>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

/// The answer to a write.
#[derive(Debug, Clone, Default)]
pub struct WriteOutput {
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

/// BatchGetItem on one table.
#[derive(Debug, Clone, Default)]
pub struct BatchGetInput {
    /// The table.
    pub table: String,
    /// Up to 100 distinct keys.
    pub keys: Vec<Item>,
    /// Strongly consistent reads.
    pub consistent_read: bool,
}

/// BatchGetItem's answer.
#[derive(Debug, Clone, Default)]
pub struct BatchGetOutput {
    /// The items found, in no particular order.
    pub items: Vec<Item>,
    /// Keys the engine did not get to: send them again.
    pub unprocessed_keys: Vec<Item>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

/// ConditionCheck, inside a transaction.
#[derive(Debug, Clone, Default)]
pub struct ConditionCheckInput {
    /// The table.
    pub table: String,
    /// The full primary key.
    pub key: Item,
    /// The condition expression.
    pub condition: String,
    /// Placeholders of the condition.
    pub placeholders: Placeholders,
}

/// One action of a TransactWriteItems request.
#[derive(Debug, Clone)]
pub enum TransactWrite {
    /// Put a whole item.
    Put(PutItemInput),
    /// Update an item (its return values are ignored).
    Update(UpdateItemInput),
    /// Delete an item.
    Delete(DeleteItemInput),
    /// Check a condition on an item without writing it.
    ConditionCheck(ConditionCheckInput),
}

/// TransactWriteItems.
#[derive(Debug, Clone, Default)]
pub struct TransactWriteInput {
    /// Up to 100 actions, at most one per item.
    pub actions: Vec<TransactWrite>,
    /// An idempotency token (`ClientRequestToken`).
    pub token: Option<String>,
}

/// TransactGetItems: `(table, key)` pairs.
#[derive(Debug, Clone, Default)]
pub struct TransactGetInput {
    /// Up to 100 gets.
    pub gets: Vec<(String, Item)>,
}

/// TransactGetItems' answer: an item (or none) per get, in order.
#[derive(Debug, Clone, Default)]
pub struct TransactGetOutput {
    /// The items, in the order of the gets.
    pub items: Vec<Option<Item>>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

/// One write of a batch.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteRequest {
    /// Put this whole item.
    Put(Item),
    /// Delete the item with this key.
    Delete(Item),
}

/// BatchWriteItem on one table.
#[derive(Debug, Clone, Default)]
pub struct BatchWriteInput {
    /// The table.
    pub table: String,
    /// Up to 25 writes, no two on the same key.
    pub writes: Vec<WriteRequest>,
}

/// BatchWriteItem's answer.
#[derive(Debug, Clone, Default)]
pub struct BatchWriteOutput {
    /// Writes the engine did not get to: send them again.
    pub unprocessed: Vec<WriteRequest>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

/// Query: one page.
#[derive(Debug, Clone, Default)]
pub struct QueryInput {
    /// The table.
    pub table: String,
    /// A secondary index to query instead of the table.
    pub index: Option<String>,
    /// The key condition expression.
    pub key_condition: String,
    /// A filter expression.
    pub filter: Option<String>,
    /// A projection expression: only these attributes are read.
    pub projection: Option<String>,
    /// Placeholders of the expressions.
    pub placeholders: Placeholders,
    /// Ascending range key order (false: descending).
    pub scan_forward: bool,
    /// At most this many items evaluated for the page.
    pub limit: Option<u32>,
    /// Where the previous page ended.
    pub start_key: Option<Item>,
    /// Strongly consistent read.
    pub consistent_read: bool,
}

/// Scan: one page.
#[derive(Debug, Clone, Default)]
pub struct ScanInput {
    /// The table.
    pub table: String,
    /// A secondary index to scan instead of the table.
    pub index: Option<String>,
    /// A filter expression.
    pub filter: Option<String>,
    /// A projection expression: only these attributes are read.
    pub projection: Option<String>,
    /// Placeholders of the expressions.
    pub placeholders: Placeholders,
    /// At most this many items evaluated for the page.
    pub limit: Option<u32>,
    /// Where the previous page ended.
    pub start_key: Option<Item>,
    /// Strongly consistent read.
    pub consistent_read: bool,
    /// `(segment, total_segments)` of a parallel scan.
    pub segment: Option<(u32, u32)>,
}

/// One page of a query or scan.
#[derive(Debug, Clone, Default)]
pub struct PageOutput {
    /// The items of the page.
    pub items: Vec<Item>,
    /// Where the next page starts; `None` on the last page.
    pub last_evaluated_key: Option<Item>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

/// How a table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Billing {
    /// Pay per request (on-demand).
    #[default]
    OnDemand,
    /// Provisioned read and write capacity units.
    Provisioned {
        /// Read capacity units.
        read: u64,
        /// Write capacity units.
        write: u64,
    },
}

/// CreateTable.
#[derive(Debug, Clone)]
pub struct CreateTableInput {
    /// The table.
    pub table: String,
    /// Hash key attribute name and type.
    pub hash_key: (String, ScalarType),
    /// Range key attribute name and type.
    pub range_key: Option<(String, ScalarType)>,
    /// Billing mode.
    pub billing: Billing,
    /// Secondary indexes.
    pub indexes: Vec<IndexDefinition>,
    /// A stream of changes.
    pub stream: Option<StreamView>,
}

/// A table's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableStatus {
    /// Being created.
    Creating,
    /// Ready.
    Active,
    /// Being changed.
    Updating,
    /// Being deleted.
    Deleting,
    /// Any other status the engine reports.
    Other(String),
}

impl TableStatus {
    // Used by the engines; a build without any has none.
    #[cfg_attr(not(any(feature = "embedded", feature = "aws")), allow(dead_code))]
    pub(crate) fn parse(text: &str) -> Self {
        match text {
            "CREATING" => TableStatus::Creating,
            "ACTIVE" => TableStatus::Active,
            "UPDATING" => TableStatus::Updating,
            "DELETING" => TableStatus::Deleting,
            other => TableStatus::Other(other.to_owned()),
        }
    }
}

/// What DescribeTable tells.
#[derive(Debug, Clone)]
pub struct TableDescription {
    /// The table.
    pub name: String,
    /// Its status.
    pub status: TableStatus,
    /// Key attribute names: hash, then range.
    pub key_schema: Vec<String>,
    /// Key attribute types by name.
    pub attribute_types: HashMap<String, String>,
    /// Approximate item count, if reported.
    pub item_count: Option<i64>,
    /// Billing mode, if reported.
    pub billing: Option<Billing>,
    /// Names of the secondary indexes.
    pub indexes: Vec<String>,
    /// The stream's view type, if a stream is enabled.
    pub stream_view: Option<String>,
}
