//! The embedded engine: dynoxide, a SQLite-backed DynamoDB engine in this process.

mod convert;
mod search;
mod sequence_index;
mod stream;
mod table;

use std::collections::HashMap;
use std::fmt;

use dynoxide::actions;

use super::request::*;
use super::{Engine, EngineFuture};
use crate::attribute::StoredItem;
use crate::error::{EngineError, EngineErrorKind};
use convert::*;

/// The most items a query or scan page holds when the request sets no limit.
///
/// dynoxide reads every matching row before it cuts a page at DynamoDB's
/// 1 MB, so an unlimited scan of a big table would hold the table in memory;
/// with this limit a page holds at most this many items.
pub const PAGE_ITEMS: usize = 1_000;

/// The embedded DynamoDB engine (dynoxide), in memory or in a SQLite file.
///
/// Requests run on the calling task: dynoxide answers in microseconds, far
/// less than handing the work to another thread would cost.
#[derive(Clone)]
pub struct EmbeddedEngine {
    db: dynoxide::Database,
    label: String,
}

impl fmt::Debug for EmbeddedEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EmbeddedEngine({})", self.label)
    }
}

impl EmbeddedEngine {
    /// A fresh database in memory.
    ///
    /// Every constructor indexes the database's stream records by table and
    /// sequence number (`dynamodb_mapper_stream_sequence`), so that writes on
    /// a table with a stream keep their speed as the stream grows: dynoxide
    /// numbers each record by the largest number so far, which no index of
    /// its own serves.
    pub fn memory() -> Result<Self, EngineError> {
        let db = sequence_index::memory().map_err(convert_error)?;
        Ok(EmbeddedEngine {
            db,
            label: "memory".to_owned(),
        })
    }

    /// A database in the SQLite file at `path`, created if missing.
    pub fn open(path: impl AsRef<std::path::Path>) -> Result<Self, EngineError> {
        let path = path.as_ref();
        let text = path.to_str().ok_or_else(|| {
            EngineError::new(
                EngineErrorKind::Other,
                None,
                format!("database path {path:?} is not valid UTF-8"),
            )
        })?;
        let db = dynoxide::Database::new(text).map_err(convert_error)?;
        sequence_index::ensure(&db);
        Ok(EmbeddedEngine {
            db,
            label: text.to_owned(),
        })
    }

    /// An engine over an existing dynoxide database (its stream records
    /// indexed as the engine's own are: see [`memory`](Self::memory)).
    pub fn from_database(db: dynoxide::Database) -> Self {
        sequence_index::ensure(&db);
        EmbeddedEngine {
            db,
            label: "database".to_owned(),
        }
    }

    /// The dynoxide database, e.g. to serve it over HTTP.
    pub fn database(&self) -> &dynoxide::Database {
        &self.db
    }
}

impl Engine for EmbeddedEngine {
    fn name(&self) -> &'static str {
        "embedded"
    }

    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        let asked = request.return_consumed_capacity;
        let response = match request.call {
            Call::GetItem(input) => self.get_item(input, asked).map(Response::GetItem),
            Call::PutItem(input) => self.put_item(input, asked).map(Response::PutItem),
            Call::UpdateItem(input) => self.update_item(input, asked).map(Response::UpdateItem),
            Call::DeleteItem(input) => self.delete_item(input, asked).map(Response::DeleteItem),
            Call::BatchGetItem(input) => self
                .batch_get_item(input, asked)
                .map(Response::BatchGetItem),
            Call::BatchWriteItem(input) => self
                .batch_write_item(input, asked)
                .map(Response::BatchWriteItem),
            Call::TransactWriteItems(input) => self
                .transact_write_items(input, asked)
                .map(Response::TransactWriteItems),
            Call::TransactGetItems(input) => self
                .transact_get_items(input, asked)
                .map(Response::TransactGetItems),
            Call::Query(input) => self.query(input, asked).map(Response::Query),
            Call::Scan(input) => self.scan(input, asked).map(Response::Scan),
            Call::SearchVectors(input) => self
                .search_vectors(input, asked)
                .map(Response::SearchVectors),
            Call::CreateTable(input) => self.create_table(input).map(Response::CreateTable),
            Call::DeleteTable(input) => self.delete_table(input).map(Response::DeleteTable),
            Call::DescribeTable(input) => self.describe_table(input).map(Response::DescribeTable),
            Call::UpdateTimeToLive(input) => self
                .update_time_to_live(input)
                .map(Response::UpdateTimeToLive),
            Call::DescribeTimeToLive(input) => self
                .describe_time_to_live(input)
                .map(Response::DescribeTimeToLive),
            Call::DescribeStream(input) => {
                stream::describe(&self.db, input).map(Response::DescribeStream)
            }
            Call::GetShardIterator(input) => {
                stream::iterator(&self.db, input).map(Response::GetShardIterator)
            }
            Call::GetRecords(input) => stream::records(&self.db, input).map(Response::GetRecords),
        };
        Box::pin(std::future::ready(response))
    }
}

/// One method a call, each answering in this thread.
impl EmbeddedEngine {
    fn get_item(&self, input: &GetItemInput, asked: bool) -> Result<GetItemOutput, EngineError> {
        let request = actions::get_item::GetItemRequest {
            table_name: input.table.clone(),
            key: to_engine_item(&input.key),
            consistent_read: Some(input.consistent_read),
            return_consumed_capacity: total(asked),
            ..Default::default()
        };
        self.db
            .get_item(request)
            .map_err(convert_error)
            .map(|r| GetItemOutput {
                item: r.item.map(StoredItem::from_embedded),
                consumed_capacity: capacity(r.consumed_capacity),
            })
    }

    fn put_item(&self, input: &PutItemInput, asked: bool) -> Result<WriteOutput, EngineError> {
        let (names, values) = expressions(&input.placeholders);
        let request = actions::put_item::PutItemRequest {
            table_name: input.table.clone(),
            item: to_engine_item(&input.item),
            condition_expression: input.condition.clone(),
            expression_attribute_names: names,
            expression_attribute_values: values,
            return_consumed_capacity: total(asked),
            return_values_on_condition_check_failure: input
                .return_values_on_condition_check_failure
                .then(|| "ALL_OLD".to_owned()),
            ..Default::default()
        };
        self.db
            .put_item(request)
            .map_err(convert_error)
            .map(|r| WriteOutput {
                consumed_capacity: capacity(r.consumed_capacity),
                old_item: None,
            })
    }

    fn update_item(
        &self,
        input: &UpdateItemInput,
        asked: bool,
    ) -> Result<UpdateItemOutput, EngineError> {
        let (names, values) = expressions(&input.placeholders);
        let request = actions::update_item::UpdateItemRequest {
            table_name: input.table.clone(),
            key: to_engine_item(&input.key),
            update_expression: Some(input.update.clone()),
            condition_expression: input.condition.clone(),
            expression_attribute_names: names,
            expression_attribute_values: values,
            return_values: Some(input.return_values.as_str().to_owned()),
            return_consumed_capacity: total(asked),
            return_values_on_condition_check_failure: input
                .return_values_on_condition_check_failure
                .then(|| "ALL_OLD".to_owned()),
            ..Default::default()
        };
        self.db
            .update_item(request)
            .map_err(convert_error)
            .map(|r| UpdateItemOutput {
                attributes: r.attributes.map(StoredItem::from_embedded),
                consumed_capacity: capacity(r.consumed_capacity),
            })
    }

    fn delete_item(
        &self,
        input: &DeleteItemInput,
        asked: bool,
    ) -> Result<WriteOutput, EngineError> {
        let (names, values) = expressions(&input.placeholders);
        let request = actions::delete_item::DeleteItemRequest {
            table_name: input.table.clone(),
            key: to_engine_item(&input.key),
            condition_expression: input.condition.clone(),
            expression_attribute_names: names,
            expression_attribute_values: values,
            return_values: input.return_old.then(|| "ALL_OLD".to_owned()),
            return_consumed_capacity: total(asked),
            return_values_on_condition_check_failure: input
                .return_values_on_condition_check_failure
                .then(|| "ALL_OLD".to_owned()),
            ..Default::default()
        };
        self.db
            .delete_item(request)
            .map_err(convert_error)
            .map(|r| WriteOutput {
                consumed_capacity: capacity(r.consumed_capacity),
                old_item: r.attributes.map(StoredItem::from_embedded),
            })
    }

    fn batch_get_item(
        &self,
        input: &BatchGetInput,
        asked: bool,
    ) -> Result<BatchGetOutput, EngineError> {
        let table = input.table.clone();
        let request = actions::batch_get_item::BatchGetItemRequest {
            request_items: HashMap::from([(
                input.table.clone(),
                actions::batch_get_item::KeysAndAttributes {
                    keys: input.keys.iter().map(to_engine_item).collect(),
                    consistent_read: Some(input.consistent_read),
                    ..Default::default()
                },
            )]),
            return_consumed_capacity: total(asked),
        };
        self.db
            .batch_get_item(request)
            .map_err(convert_error)
            .and_then(|mut r| {
                Ok(BatchGetOutput {
                    items: r
                        .responses
                        .remove(&table)
                        .unwrap_or_default()
                        .into_iter()
                        .map(StoredItem::from_embedded)
                        .collect(),
                    unprocessed_keys: unprocessed(r.unprocessed_keys.remove(&table))?,
                    consumed_capacity: total_capacity(r.consumed_capacity),
                })
            })
    }

    fn batch_write_item(
        &self,
        input: &BatchWriteInput,
        asked: bool,
    ) -> Result<BatchWriteOutput, EngineError> {
        use actions::batch_write_item as bw;
        let table = input.table.clone();
        let writes = input
            .writes
            .iter()
            .map(|write| match write {
                WriteRequest::Put(item) => bw::WriteRequest {
                    put_request: Some(bw::PutRequest {
                        item: to_engine_item(item),
                    }),
                    delete_request: None,
                },
                WriteRequest::Delete(key) => bw::WriteRequest {
                    put_request: None,
                    delete_request: Some(bw::DeleteRequest {
                        key: to_engine_item(key),
                    }),
                },
            })
            .collect();
        let request = bw::BatchWriteItemRequest {
            request_items: HashMap::from([(input.table.clone(), writes)]),
            return_consumed_capacity: total(asked),
            ..Default::default()
        };
        self.db
            .batch_write_item(request)
            .map_err(convert_error)
            .and_then(|mut r| {
                Ok(BatchWriteOutput {
                    unprocessed: unprocessed_writes(r.unprocessed_items.remove(&table))?,
                    consumed_capacity: total_capacity(r.consumed_capacity),
                })
            })
    }

    fn transact_write_items(
        &self,
        input: &TransactWriteInput,
        asked: bool,
    ) -> Result<WriteOutput, EngineError> {
        let request = convert::transact_write_request(input, asked);
        self.db
            .transact_write_items(request)
            .map_err(convert_error)
            .map(|r| WriteOutput {
                consumed_capacity: total_capacity(r.consumed_capacity),
                old_item: None,
            })
    }

    fn transact_get_items(
        &self,
        input: &TransactGetInput,
        asked: bool,
    ) -> Result<TransactGetOutput, EngineError> {
        use actions::transact_get_items as tg;
        let request = tg::TransactGetItemsRequest {
            transact_items: input
                .gets
                .iter()
                .map(|(table, key)| tg::TransactGetItem {
                    get: tg::TransactGet {
                        table_name: table.clone(),
                        key: to_engine_item(key),
                        ..Default::default()
                    },
                })
                .collect(),
            return_consumed_capacity: total(asked),
        };
        self.db
            .transact_get_items(request)
            .map_err(convert_error)
            .map(|r| TransactGetOutput {
                items: r
                    .responses
                    .into_iter()
                    .map(|r| r.item.map(StoredItem::from_embedded))
                    .collect(),
                consumed_capacity: total_capacity(r.consumed_capacity),
            })
    }

    fn query(&self, input: &QueryInput, asked: bool) -> Result<PageOutput, EngineError> {
        let (names, values) = expressions(&input.placeholders);
        let request = actions::query::QueryRequest {
            table_name: input.table.clone(),
            index_name: input.index.clone(),
            key_condition_expression: Some(input.key_condition.clone()),
            filter_expression: input.filter.clone(),
            projection_expression: input.projection.clone(),
            expression_attribute_names: names,
            expression_attribute_values: values,
            scan_index_forward: input.scan_forward,
            limit: Some(input.limit.map_or(PAGE_ITEMS, |l| l as usize)),
            exclusive_start_key: input.start_key.as_ref().map(to_engine_item),
            consistent_read: Some(input.consistent_read),
            return_consumed_capacity: total(asked),
            ..Default::default()
        };
        self.db
            .query(request)
            .map_err(convert_error)
            .map(|r| PageOutput {
                items: r
                    .items
                    .unwrap_or_default()
                    .into_iter()
                    .map(StoredItem::from_embedded)
                    .collect(),
                last_evaluated_key: r.last_evaluated_key.map(from_engine_item),
                consumed_capacity: capacity(r.consumed_capacity),
            })
    }

    fn scan(&self, input: &ScanInput, asked: bool) -> Result<PageOutput, EngineError> {
        let (names, values) = expressions(&input.placeholders);
        let request = actions::scan::ScanRequest {
            table_name: input.table.clone(),
            index_name: input.index.clone(),
            filter_expression: input.filter.clone(),
            projection_expression: input.projection.clone(),
            expression_attribute_names: names,
            expression_attribute_values: values,
            limit: Some(input.limit.map_or(PAGE_ITEMS, |l| l as usize)),
            exclusive_start_key: input.start_key.as_ref().map(to_engine_item),
            consistent_read: Some(input.consistent_read),
            segment: input.segment.map(|s| s.0),
            total_segments: input.segment.map(|s| s.1),
            return_consumed_capacity: total(asked),
            ..Default::default()
        };
        self.db
            .scan(request)
            .map_err(convert_error)
            .map(|r| PageOutput {
                items: r
                    .items
                    .unwrap_or_default()
                    .into_iter()
                    .map(StoredItem::from_embedded)
                    .collect(),
                last_evaluated_key: r.last_evaluated_key.map(from_engine_item),
                consumed_capacity: capacity(r.consumed_capacity),
            })
    }

    fn create_table(&self, input: &CreateTableInput) -> Result<TableDescription, EngineError> {
        let request = table::create_table_request(input.clone());
        self.db
            .create_table(request)
            .map_err(convert_error)
            .map(|r| table::describe(r.table_description))
    }

    fn delete_table(&self, input: &DeleteTableInput) -> Result<(), EngineError> {
        let request = actions::delete_table::DeleteTableRequest {
            table_name: input.table.clone(),
        };
        self.db
            .delete_table(request)
            .map_err(convert_error)
            .map(|_| ())
    }

    fn update_time_to_live(&self, input: &UpdateTimeToLiveInput) -> Result<(), EngineError> {
        use actions::update_time_to_live as ttl;
        let request = ttl::UpdateTimeToLiveRequest {
            table_name: input.table.clone(),
            time_to_live_specification: ttl::TimeToLiveSpecification {
                attribute_name: input.attribute.clone(),
                enabled: true,
            },
        };
        self.db
            .update_time_to_live(request)
            .map_err(convert_error)
            .map(|_| ())
    }

    fn describe_time_to_live(
        &self,
        input: &DescribeTimeToLiveInput,
    ) -> Result<Option<String>, EngineError> {
        let request = actions::describe_time_to_live::DescribeTimeToLiveRequest {
            table_name: input.table.clone(),
        };
        self.db
            .describe_time_to_live(request)
            .map_err(convert_error)
            .map(|r| {
                let description = r.time_to_live_description;
                (description.time_to_live_status == "ENABLED")
                    .then_some(description.attribute_name)
                    .flatten()
            })
    }

    fn describe_table(&self, input: &DescribeTableInput) -> Result<TableDescription, EngineError> {
        let request = actions::describe_table::DescribeTableRequest {
            table_name: input.table.clone(),
        };
        self.db
            .describe_table(request)
            .map_err(convert_error)
            .map(|r| table::describe(r.table))
    }
}
