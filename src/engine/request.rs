//! Engine-neutral requests and responses: the subset of DynamoDB's API the
//! mapper sends, with items in this crate's [`AttributeValue`](crate::AttributeValue) form.

use std::collections::HashMap;

use crate::attribute::{Item, ScalarType};
use crate::model::{IndexDefinition, StreamView};

/// The names and values placeholders stand for, as requests carry them.
pub use crate::expression::ExpressionAttributes;

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
    /// The item, if it exists.
    pub item: Option<Item>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

impl GetItemOutput {
    /// An answer with this item (`None`: no item has the key), reporting no
    /// consumed capacity.
    pub fn new(item: Option<Item>) -> Self {
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
}

impl PutItemInput {
    /// Puts the whole `item` into `table`, unconditionally.
    pub fn new(table: impl Into<String>, item: Item) -> Self {
        PutItemInput {
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
}

impl DeleteItemInput {
    /// Deletes the item of `table` with this full primary `key`,
    /// unconditionally.
    pub fn new(table: impl Into<String>, key: Item) -> Self {
        DeleteItemInput {
            table: table.into(),
            key,
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
}

impl UpdateItemInput {
    /// Updates the item of `table` with this full primary `key` by `update`
    /// (an update expression; its placeholders go in
    /// [`with_placeholders`](Self::with_placeholders)), unconditionally,
    /// returning nothing.
    pub fn new(table: impl Into<String>, key: Item, update: impl Into<String>) -> Self {
        UpdateItemInput {
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
    /// The attributes asked for with `return_values`.
    pub attributes: Option<Item>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

impl UpdateItemOutput {
    /// An answer with these attributes (`None`: none were asked for or
    /// there were none), reporting no consumed capacity.
    pub fn new(attributes: Option<Item>) -> Self {
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
}

impl WriteOutput {
    /// The same answer (start from `WriteOutput::default()`), reporting `units` of capacity consumed.
    pub fn with_consumed_capacity(mut self, units: f64) -> Self {
        self.consumed_capacity = Some(units);
        self
    }
}

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
    /// The items found, in no particular order.
    pub items: Vec<Item>,
    /// Keys the engine did not get to: send them again.
    pub unprocessed_keys: Vec<Item>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

impl BatchGetOutput {
    /// An answer with these items, every key processed, reporting no
    /// consumed capacity.
    pub fn new(items: Vec<Item>) -> Self {
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
    /// The items, in the order of the gets.
    pub items: Vec<Option<Item>>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

impl TransactGetOutput {
    /// An answer with these items, one per get in order (`None`: no item has
    /// that key), reporting no consumed capacity.
    pub fn new(items: Vec<Option<Item>>) -> Self {
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

/// Query: one page.
#[derive(Debug, Clone)]
#[non_exhaustive]
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
    pub placeholders: ExpressionAttributes,
    /// Ascending range key order (false: descending).
    pub scan_forward: bool,
    /// At most this many items evaluated for the page.
    pub limit: Option<u32>,
    /// Where the previous page ended.
    pub start_key: Option<Item>,
    /// Strongly consistent read.
    pub consistent_read: bool,
}

impl Default for QueryInput {
    /// An empty request, in ascending range key order as DynamoDB's default.
    fn default() -> Self {
        QueryInput {
            table: String::new(),
            index: None,
            key_condition: String::new(),
            filter: None,
            projection: None,
            placeholders: ExpressionAttributes::default(),
            scan_forward: true,
            limit: None,
            start_key: None,
            consistent_read: false,
        }
    }
}

impl QueryInput {
    /// The first page of the items of `table` for which `key_condition` (a
    /// key condition expression; its placeholders go in
    /// [`with_placeholders`](Self::with_placeholders)) holds, in ascending
    /// range key order, eventually consistent, without a limit.
    pub fn new(table: impl Into<String>, key_condition: impl Into<String>) -> Self {
        QueryInput {
            table: table.into(),
            key_condition: key_condition.into(),
            ..QueryInput::default()
        }
    }

    /// The same request, in ascending (`true`, the default) or descending
    /// (`false`) range key order.
    pub fn with_scan_forward(mut self, scan_forward: bool) -> Self {
        self.scan_forward = scan_forward;
        self
    }

    /// The same request, on the secondary index `index` instead of the table.
    pub fn with_index(mut self, index: impl Into<String>) -> Self {
        self.index = Some(index.into());
        self
    }

    /// The same request, keeping only the items for which `filter` (a filter
    /// expression) holds.
    pub fn with_filter(mut self, filter: impl Into<String>) -> Self {
        self.filter = Some(filter.into());
        self
    }

    /// The same request, reading only the attributes `projection` (a
    /// projection expression) names.
    pub fn with_projection(mut self, projection: impl Into<String>) -> Self {
        self.projection = Some(projection.into());
        self
    }

    /// The same request, with the expression attribute names and values
    /// its expressions use.
    pub fn with_placeholders(mut self, placeholders: ExpressionAttributes) -> Self {
        self.placeholders = placeholders;
        self
    }

    /// The same request, evaluating at most `limit` items for the page.
    pub fn with_limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The same request, starting after `start_key` (the previous page's
    /// [`last_evaluated_key`](PageOutput::last_evaluated_key)).
    pub fn with_start_key(mut self, start_key: Item) -> Self {
        self.start_key = Some(start_key);
        self
    }

    /// The same request, strongly consistent (`true`) or eventually
    /// consistent (`false`, the default).
    pub fn with_consistent_read(mut self, consistent_read: bool) -> Self {
        self.consistent_read = consistent_read;
        self
    }
}

/// Scan: one page.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
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
    pub placeholders: ExpressionAttributes,
    /// At most this many items evaluated for the page.
    pub limit: Option<u32>,
    /// Where the previous page ended.
    pub start_key: Option<Item>,
    /// Strongly consistent read.
    pub consistent_read: bool,
    /// `(segment, total_segments)` of a parallel scan.
    pub segment: Option<(u32, u32)>,
}

impl ScanInput {
    /// The first page of the items of `table`, eventually consistent,
    /// without a limit, not segmented.
    pub fn new(table: impl Into<String>) -> Self {
        ScanInput {
            table: table.into(),
            ..ScanInput::default()
        }
    }

    /// The same request, on the secondary index `index` instead of the table.
    pub fn with_index(mut self, index: impl Into<String>) -> Self {
        self.index = Some(index.into());
        self
    }

    /// The same request, keeping only the items for which `filter` (a filter
    /// expression) holds.
    pub fn with_filter(mut self, filter: impl Into<String>) -> Self {
        self.filter = Some(filter.into());
        self
    }

    /// The same request, reading only the attributes `projection` (a
    /// projection expression) names.
    pub fn with_projection(mut self, projection: impl Into<String>) -> Self {
        self.projection = Some(projection.into());
        self
    }

    /// The same request, with the expression attribute names and values
    /// its expressions use.
    pub fn with_placeholders(mut self, placeholders: ExpressionAttributes) -> Self {
        self.placeholders = placeholders;
        self
    }

    /// The same request, evaluating at most `limit` items for the page.
    pub fn with_limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The same request, starting after `start_key` (the previous page's
    /// [`last_evaluated_key`](PageOutput::last_evaluated_key)).
    pub fn with_start_key(mut self, start_key: Item) -> Self {
        self.start_key = Some(start_key);
        self
    }

    /// The same request, strongly consistent (`true`) or eventually
    /// consistent (`false`, the default).
    pub fn with_consistent_read(mut self, consistent_read: bool) -> Self {
        self.consistent_read = consistent_read;
        self
    }

    /// The same request, reading only segment `segment` (from 0) of
    /// `total_segments`, as one worker of a parallel scan.
    pub fn with_segment(mut self, segment: u32, total_segments: u32) -> Self {
        self.segment = Some((segment, total_segments));
        self
    }
}

/// One page of a query or scan.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PageOutput {
    /// The items of the page.
    pub items: Vec<Item>,
    /// Where the next page starts; `None` on the last page.
    pub last_evaluated_key: Option<Item>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

impl PageOutput {
    /// A last page with these items, reporting no consumed capacity.
    pub fn new(items: Vec<Item>) -> Self {
        PageOutput {
            items,
            last_evaluated_key: None,
            consumed_capacity: None,
        }
    }

    /// The same page, not the last: the next one starts after `key`.
    pub fn with_last_evaluated_key(mut self, key: Item) -> Self {
        self.last_evaluated_key = Some(key);
        self
    }

    /// The same answer, reporting `units` of capacity consumed.
    pub fn with_consumed_capacity(mut self, units: f64) -> Self {
        self.consumed_capacity = Some(units);
        self
    }
}

/// How a table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Billing {
    /// Pay per request (on-demand).
    #[default]
    OnDemand,
    /// Provisioned read and write capacity units; build it with
    /// [`Billing::provisioned`].
    #[non_exhaustive]
    Provisioned {
        /// Read capacity units.
        read: u64,
        /// Write capacity units.
        write: u64,
    },
}

impl Billing {
    /// Provisioned billing with `read` read and `write` write capacity units.
    pub fn provisioned(read: u64, write: u64) -> Self {
        Billing::Provisioned { read, write }
    }
}

/// CreateTable.
#[derive(Debug, Clone)]
#[non_exhaustive]
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

impl CreateTableInput {
    /// Creates `table` with the hash key `hash_key` of type `hash_type` and
    /// no range key, billed on demand, without secondary indexes or a
    /// stream.
    pub fn new(
        table: impl Into<String>,
        hash_key: impl Into<String>,
        hash_type: ScalarType,
    ) -> Self {
        CreateTableInput {
            table: table.into(),
            hash_key: (hash_key.into(), hash_type),
            range_key: None,
            billing: Billing::OnDemand,
            indexes: Vec::new(),
            stream: None,
        }
    }

    /// The same request, with the range key `range_key` of type `range_type`.
    pub fn with_range_key(mut self, range_key: impl Into<String>, range_type: ScalarType) -> Self {
        self.range_key = Some((range_key.into(), range_type));
        self
    }

    /// The same request, with this billing mode.
    pub fn with_billing(mut self, billing: Billing) -> Self {
        self.billing = billing;
        self
    }

    /// The same request, with these secondary indexes.
    pub fn with_indexes(mut self, indexes: Vec<IndexDefinition>) -> Self {
        self.indexes = indexes;
        self
    }

    /// The same request, with a stream of changes showing `view` of each.
    pub fn with_stream(mut self, view: StreamView) -> Self {
        self.stream = Some(view);
        self
    }
}

/// A table's status.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
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
#[non_exhaustive]
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

impl TableDescription {
    /// A description of `table` in this status, reporting nothing else.
    pub fn new(table: impl Into<String>, status: TableStatus) -> Self {
        TableDescription {
            name: table.into(),
            status,
            key_schema: Vec::new(),
            attribute_types: HashMap::new(),
            item_count: None,
            billing: None,
            indexes: Vec::new(),
            stream_view: None,
        }
    }

    /// The same description, with these key attribute names: hash, then
    /// range.
    pub fn with_key_schema(mut self, key_schema: Vec<String>) -> Self {
        self.key_schema = key_schema;
        self
    }

    /// The same description, with these key attribute types by name
    /// (`S`, `N`, `B`).
    pub fn with_attribute_types(mut self, attribute_types: HashMap<String, String>) -> Self {
        self.attribute_types = attribute_types;
        self
    }

    /// The same description, reporting about `count` items.
    pub fn with_item_count(mut self, count: i64) -> Self {
        self.item_count = Some(count);
        self
    }

    /// The same description, reporting this billing mode.
    pub fn with_billing(mut self, billing: Billing) -> Self {
        self.billing = Some(billing);
        self
    }

    /// The same description, with these secondary index names.
    pub fn with_indexes(mut self, indexes: Vec<String>) -> Self {
        self.indexes = indexes;
        self
    }

    /// The same description, with a stream of this view type
    /// (`NEW_IMAGE`, ...).
    pub fn with_stream_view(mut self, view: impl Into<String>) -> Self {
        self.stream_view = Some(view.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_leave_dynamodb_defaults() {
        let query = QueryInput::new("t", "#k = :k");
        assert!(query.scan_forward, "ascending, as DynamoDB");
        assert!(QueryInput::default().scan_forward);
        assert!(!query.consistent_read && query.limit.is_none());
        let scan = ScanInput::new("t").with_segment(1, 4).with_limit(10);
        assert_eq!((scan.segment, scan.limit), (Some((1, 4)), Some(10)));
        let put =
            PutItemInput::new("t", Item::default()).with_condition("attribute_not_exists(#k)");
        assert_eq!(put.condition.as_deref(), Some("attribute_not_exists(#k)"));
        let update = UpdateItemInput::new("t", Item::default(), "SET #a = :a");
        assert_eq!(update.return_values, ReturnValues::None);
        let output = GetItemOutput::new(None).with_consumed_capacity(0.5);
        assert_eq!(output.consumed_capacity, Some(0.5));
        assert_eq!(
            Billing::provisioned(10, 5),
            Billing::Provisioned { read: 10, write: 5 }
        );
    }
}
