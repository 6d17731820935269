//! The embedded engine: dynoxide, a SQLite-backed DynamoDB engine in this process.

use std::collections::HashMap;
use std::fmt;

use dynoxide::actions;
use dynoxide::types as dx;

use super::request::*;
use super::{Engine, EngineFuture};
use crate::attribute::{AttributeValue, Item, ScalarType};
use crate::error::{CancellationReason, EngineError, EngineErrorKind};

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
    pub fn memory() -> Result<Self, EngineError> {
        let db = dynoxide::Database::memory().map_err(convert_error)?;
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
        Ok(EmbeddedEngine {
            db,
            label: text.to_owned(),
        })
    }

    /// An engine over an existing dynoxide database.
    pub fn from_database(db: dynoxide::Database) -> Self {
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

fn convert_error(error: dynoxide::DynoxideError) -> EngineError {
    let code = error.error_type();
    let code = code.rsplit('#').next().unwrap_or(code);
    let reasons = match &error {
        dynoxide::DynoxideError::TransactionCanceledException(_, reasons) => reasons
            .iter()
            .map(|r| CancellationReason {
                code: r.code.clone(),
                message: r.message.clone(),
            })
            .collect(),
        _ => Vec::new(),
    };
    EngineError::from_code(code, error.to_string()).with_reasons(reasons)
}

fn to_engine(value: AttributeValue) -> dx::AttributeValue {
    match value {
        AttributeValue::S(v) => dx::AttributeValue::S(v),
        AttributeValue::N(v) => dx::AttributeValue::N(v),
        AttributeValue::B(v) => dx::AttributeValue::B(v),
        AttributeValue::Bool(v) => dx::AttributeValue::BOOL(v),
        AttributeValue::Null => dx::AttributeValue::NULL(true),
        AttributeValue::Ss(v) => dx::AttributeValue::SS(v),
        AttributeValue::Ns(v) => dx::AttributeValue::NS(v),
        AttributeValue::Bs(v) => dx::AttributeValue::BS(v),
        AttributeValue::L(v) => dx::AttributeValue::L(v.into_iter().map(to_engine).collect()),
        AttributeValue::M(v) => dx::AttributeValue::M(to_engine_item(v)),
    }
}

fn from_engine(value: dx::AttributeValue) -> AttributeValue {
    match value {
        dx::AttributeValue::S(v) => AttributeValue::S(v),
        dx::AttributeValue::N(v) => AttributeValue::N(v),
        dx::AttributeValue::B(v) => AttributeValue::B(v),
        dx::AttributeValue::BOOL(v) => AttributeValue::Bool(v),
        dx::AttributeValue::NULL(_) => AttributeValue::Null,
        dx::AttributeValue::SS(v) => AttributeValue::Ss(v),
        dx::AttributeValue::NS(v) => AttributeValue::Ns(v),
        dx::AttributeValue::BS(v) => AttributeValue::Bs(v),
        dx::AttributeValue::L(v) => AttributeValue::L(v.into_iter().map(from_engine).collect()),
        dx::AttributeValue::M(v) => AttributeValue::M(from_engine_item(v)),
    }
}

fn to_engine_item(item: Item) -> HashMap<String, dx::AttributeValue> {
    item.into_iter().map(|(k, v)| (k, to_engine(v))).collect()
}

fn from_engine_item(item: HashMap<String, dx::AttributeValue>) -> Item {
    item.into_iter().map(|(k, v)| (k, from_engine(v))).collect()
}

type Expressions = (
    Option<HashMap<String, String>>,
    Option<HashMap<String, dx::AttributeValue>>,
);

fn expressions(placeholders: Placeholders) -> Expressions {
    let names = (!placeholders.names.is_empty()).then_some(placeholders.names);
    let values = (!placeholders.values.is_empty()).then(|| to_engine_item(placeholders.values));
    (names, values)
}

fn capacity(consumed: Option<dx::ConsumedCapacity>) -> Option<f64> {
    consumed.map(|c| c.capacity_units)
}

fn total() -> Option<String> {
    Some("TOTAL".to_owned())
}

/// dynoxide's unprocessed keys come as DynamoDB JSON (`{"Keys": [...]}`).
fn unprocessed(value: Option<serde_json::Value>) -> Result<Vec<Item>, EngineError> {
    let Some(mut value) = value else {
        return Ok(Vec::new());
    };
    let keys = value
        .get_mut("Keys")
        .map(serde_json::Value::take)
        .unwrap_or_default();
    let keys: Vec<HashMap<String, dx::AttributeValue>> =
        serde_json::from_value(keys).map_err(|e| {
            EngineError::new(
                EngineErrorKind::Internal,
                None,
                format!("unreadable UnprocessedKeys: {e}"),
            )
        })?;
    Ok(keys.into_iter().map(from_engine_item).collect())
}

/// dynoxide's unprocessed writes come as DynamoDB JSON
/// (`[{"PutRequest": {"Item": ..}}, {"DeleteRequest": {"Key": ..}}]`).
fn unprocessed_writes(value: Option<serde_json::Value>) -> Result<Vec<WriteRequest>, EngineError> {
    let unreadable = |reason: String| {
        EngineError::new(
            EngineErrorKind::Internal,
            None,
            format!("unreadable UnprocessedItems: {reason}"),
        )
    };
    let Some(serde_json::Value::Array(writes)) = value else {
        return Ok(Vec::new());
    };
    let mut decoded = Vec::with_capacity(writes.len());
    for mut write in writes {
        let (request, field, make): (&str, &str, fn(Item) -> WriteRequest) =
            if write.get("PutRequest").is_some() {
                ("PutRequest", "Item", WriteRequest::Put)
            } else {
                ("DeleteRequest", "Key", WriteRequest::Delete)
            };
        let body = write
            .get_mut(request)
            .and_then(|body| body.get_mut(field))
            .map(serde_json::Value::take)
            .ok_or_else(|| unreadable("neither a put nor a delete".to_owned()))?;
        let item: HashMap<String, dx::AttributeValue> =
            serde_json::from_value(body).map_err(|e| unreadable(e.to_string()))?;
        decoded.push(make(from_engine_item(item)));
    }
    Ok(decoded)
}

fn describe(table: actions::TableDescription) -> TableDescription {
    let attribute_types = table
        .attribute_definitions
        .iter()
        .map(|d| (d.attribute_name.clone(), format!("{:?}", d.attribute_type)))
        .collect();
    let billing = match table
        .billing_mode_summary
        .as_ref()
        .map(|b| b.billing_mode.as_str())
    {
        Some("PAY_PER_REQUEST") => Some(Billing::OnDemand),
        _ => table
            .provisioned_throughput
            .as_ref()
            .map(|p| Billing::Provisioned {
                read: p.read_capacity_units,
                write: p.write_capacity_units,
            }),
    };
    TableDescription {
        name: table.table_name,
        status: TableStatus::parse(&table.table_status),
        key_schema: table
            .key_schema
            .into_iter()
            .map(|k| k.attribute_name)
            .collect(),
        attribute_types,
        item_count: table.item_count,
        billing,
        indexes: table
            .global_secondary_indexes
            .iter()
            .flatten()
            .map(|i| i.index_name.clone())
            .chain(
                table
                    .local_secondary_indexes
                    .iter()
                    .flatten()
                    .map(|i| i.index_name.clone()),
            )
            .collect(),
        stream_view: table
            .stream_specification
            .filter(|s| s.stream_enabled)
            .and_then(|s| s.stream_view_type),
    }
}

fn key_elements(hash: &str, range: Option<&str>) -> Vec<dx::KeySchemaElement> {
    let mut schema = vec![dx::KeySchemaElement {
        attribute_name: hash.to_owned(),
        key_type: dx::KeyType::HASH,
    }];
    if let Some(range) = range {
        schema.push(dx::KeySchemaElement {
            attribute_name: range.to_owned(),
            key_type: dx::KeyType::RANGE,
        });
    }
    schema
}

fn projection(projection: crate::model::Projection) -> dx::Projection {
    use crate::model::Projection as P;
    match projection {
        P::All => dx::Projection {
            projection_type: Some(dx::ProjectionType::ALL),
            non_key_attributes: None,
        },
        P::KeysOnly => dx::Projection {
            projection_type: Some(dx::ProjectionType::KEYS_ONLY),
            non_key_attributes: None,
        },
        P::Include(names) => dx::Projection {
            projection_type: Some(dx::ProjectionType::INCLUDE),
            non_key_attributes: Some(names.iter().map(|n| (*n).to_owned()).collect()),
        },
    }
}

fn scalar(scalar: ScalarType) -> dx::ScalarAttributeType {
    match scalar {
        ScalarType::String => dx::ScalarAttributeType::S,
        ScalarType::Number => dx::ScalarAttributeType::N,
        ScalarType::Binary => dx::ScalarAttributeType::B,
    }
}

impl Engine for EmbeddedEngine {
    fn name(&self) -> &'static str {
        "embedded"
    }

    fn get_item(&self, input: GetItemInput) -> EngineFuture<'_, GetItemOutput> {
        let request = actions::get_item::GetItemRequest {
            table_name: input.table,
            key: to_engine_item(input.key),
            consistent_read: Some(input.consistent_read),
            return_consumed_capacity: total(),
            ..Default::default()
        };
        let result = self
            .db
            .get_item(request)
            .map_err(convert_error)
            .map(|r| GetItemOutput {
                item: r.item.map(from_engine_item),
                consumed_capacity: capacity(r.consumed_capacity),
            });
        Box::pin(std::future::ready(result))
    }

    fn put_item(&self, input: PutItemInput) -> EngineFuture<'_, WriteOutput> {
        let (names, values) = expressions(input.placeholders);
        let request = actions::put_item::PutItemRequest {
            table_name: input.table,
            item: to_engine_item(input.item),
            condition_expression: input.condition,
            expression_attribute_names: names,
            expression_attribute_values: values,
            return_consumed_capacity: total(),
            ..Default::default()
        };
        let result = self
            .db
            .put_item(request)
            .map_err(convert_error)
            .map(|r| WriteOutput {
                consumed_capacity: capacity(r.consumed_capacity),
            });
        Box::pin(std::future::ready(result))
    }

    fn update_item(&self, input: UpdateItemInput) -> EngineFuture<'_, UpdateItemOutput> {
        let (names, values) = expressions(input.placeholders);
        let request = actions::update_item::UpdateItemRequest {
            table_name: input.table,
            key: to_engine_item(input.key),
            update_expression: Some(input.update),
            condition_expression: input.condition,
            expression_attribute_names: names,
            expression_attribute_values: values,
            return_values: Some(input.return_values.as_str().to_owned()),
            return_consumed_capacity: total(),
            ..Default::default()
        };
        let result = self
            .db
            .update_item(request)
            .map_err(convert_error)
            .map(|r| UpdateItemOutput {
                attributes: r.attributes.map(from_engine_item),
                consumed_capacity: capacity(r.consumed_capacity),
            });
        Box::pin(std::future::ready(result))
    }

    fn delete_item(&self, input: DeleteItemInput) -> EngineFuture<'_, WriteOutput> {
        let (names, values) = expressions(input.placeholders);
        let request = actions::delete_item::DeleteItemRequest {
            table_name: input.table,
            key: to_engine_item(input.key),
            condition_expression: input.condition,
            expression_attribute_names: names,
            expression_attribute_values: values,
            return_consumed_capacity: total(),
            ..Default::default()
        };
        let result = self
            .db
            .delete_item(request)
            .map_err(convert_error)
            .map(|r| WriteOutput {
                consumed_capacity: capacity(r.consumed_capacity),
            });
        Box::pin(std::future::ready(result))
    }

    fn batch_get_item(&self, input: BatchGetInput) -> EngineFuture<'_, BatchGetOutput> {
        let table = input.table.clone();
        let request = actions::batch_get_item::BatchGetItemRequest {
            request_items: HashMap::from([(
                input.table,
                actions::batch_get_item::KeysAndAttributes {
                    keys: input.keys.into_iter().map(to_engine_item).collect(),
                    consistent_read: Some(input.consistent_read),
                    ..Default::default()
                },
            )]),
            return_consumed_capacity: total(),
        };
        let result = self
            .db
            .batch_get_item(request)
            .map_err(convert_error)
            .and_then(|mut r| {
                Ok(BatchGetOutput {
                    items: r
                        .responses
                        .remove(&table)
                        .unwrap_or_default()
                        .into_iter()
                        .map(from_engine_item)
                        .collect(),
                    unprocessed_keys: unprocessed(r.unprocessed_keys.remove(&table))?,
                    consumed_capacity: r
                        .consumed_capacity
                        .map(|c| c.iter().map(|c| c.capacity_units).sum()),
                })
            });
        Box::pin(std::future::ready(result))
    }

    fn batch_write_item(&self, input: BatchWriteInput) -> EngineFuture<'_, BatchWriteOutput> {
        use actions::batch_write_item as bw;
        let table = input.table.clone();
        let writes = input
            .writes
            .into_iter()
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
            request_items: HashMap::from([(input.table, writes)]),
            return_consumed_capacity: total(),
            ..Default::default()
        };
        let result = self
            .db
            .batch_write_item(request)
            .map_err(convert_error)
            .and_then(|mut r| {
                Ok(BatchWriteOutput {
                    unprocessed: unprocessed_writes(r.unprocessed_items.remove(&table))?,
                    consumed_capacity: r
                        .consumed_capacity
                        .map(|c| c.iter().map(|c| c.capacity_units).sum()),
                })
            });
        Box::pin(std::future::ready(result))
    }

    fn transact_write_items(&self, input: TransactWriteInput) -> EngineFuture<'_, WriteOutput> {
        use actions::transact_write_items as tw;
        let items = input
            .actions
            .into_iter()
            .map(|action| {
                let mut item = tw::TransactWriteItem::default();
                match action {
                    TransactWrite::Put(put) => {
                        let (names, values) = expressions(put.placeholders);
                        item.put = Some(tw::TransactPut {
                            table_name: put.table,
                            item: to_engine_item(put.item),
                            condition_expression: put.condition,
                            expression_attribute_names: names,
                            expression_attribute_values: values,
                            ..Default::default()
                        });
                    }
                    TransactWrite::Update(update) => {
                        let (names, values) = expressions(update.placeholders);
                        item.update = Some(tw::TransactUpdate {
                            table_name: update.table,
                            key: to_engine_item(update.key),
                            update_expression: update.update,
                            condition_expression: update.condition,
                            expression_attribute_names: names,
                            expression_attribute_values: values,
                            ..Default::default()
                        });
                    }
                    TransactWrite::Delete(delete) => {
                        let (names, values) = expressions(delete.placeholders);
                        item.delete = Some(tw::TransactDelete {
                            table_name: delete.table,
                            key: to_engine_item(delete.key),
                            condition_expression: delete.condition,
                            expression_attribute_names: names,
                            expression_attribute_values: values,
                            ..Default::default()
                        });
                    }
                    TransactWrite::ConditionCheck(check) => {
                        let (names, values) = expressions(check.placeholders);
                        item.condition_check = Some(tw::TransactConditionCheck {
                            table_name: check.table,
                            key: to_engine_item(check.key),
                            condition_expression: check.condition,
                            expression_attribute_names: names,
                            expression_attribute_values: values,
                            ..Default::default()
                        });
                    }
                }
                item
            })
            .collect();
        let request = tw::TransactWriteItemsRequest {
            transact_items: items,
            client_request_token: input.token,
            return_consumed_capacity: total(),
            ..Default::default()
        };
        let result = self
            .db
            .transact_write_items(request)
            .map_err(convert_error)
            .map(|r| WriteOutput {
                consumed_capacity: r
                    .consumed_capacity
                    .map(|c| c.iter().map(|c| c.capacity_units).sum()),
            });
        Box::pin(std::future::ready(result))
    }

    fn transact_get_items(&self, input: TransactGetInput) -> EngineFuture<'_, TransactGetOutput> {
        use actions::transact_get_items as tg;
        let request = tg::TransactGetItemsRequest {
            transact_items: input
                .gets
                .into_iter()
                .map(|(table, key)| tg::TransactGetItem {
                    get: tg::TransactGet {
                        table_name: table,
                        key: to_engine_item(key),
                        ..Default::default()
                    },
                })
                .collect(),
            return_consumed_capacity: total(),
        };
        let result = self
            .db
            .transact_get_items(request)
            .map_err(convert_error)
            .map(|r| TransactGetOutput {
                items: r
                    .responses
                    .into_iter()
                    .map(|r| r.item.map(from_engine_item))
                    .collect(),
                consumed_capacity: r
                    .consumed_capacity
                    .map(|c| c.iter().map(|c| c.capacity_units).sum()),
            });
        Box::pin(std::future::ready(result))
    }

    fn query(&self, input: QueryInput) -> EngineFuture<'_, PageOutput> {
        let (names, values) = expressions(input.placeholders);
        let request = actions::query::QueryRequest {
            table_name: input.table,
            index_name: input.index,
            key_condition_expression: Some(input.key_condition),
            filter_expression: input.filter,
            expression_attribute_names: names,
            expression_attribute_values: values,
            scan_index_forward: input.scan_forward,
            limit: input.limit.map(|l| l as usize),
            exclusive_start_key: input.start_key.map(to_engine_item),
            consistent_read: Some(input.consistent_read),
            return_consumed_capacity: total(),
            ..Default::default()
        };
        let result = self
            .db
            .query(request)
            .map_err(convert_error)
            .map(|r| PageOutput {
                items: r
                    .items
                    .unwrap_or_default()
                    .into_iter()
                    .map(from_engine_item)
                    .collect(),
                last_evaluated_key: r.last_evaluated_key.map(from_engine_item),
                consumed_capacity: capacity(r.consumed_capacity),
            });
        Box::pin(std::future::ready(result))
    }

    fn scan(&self, input: ScanInput) -> EngineFuture<'_, PageOutput> {
        let (names, values) = expressions(input.placeholders);
        let request = actions::scan::ScanRequest {
            table_name: input.table,
            index_name: input.index,
            filter_expression: input.filter,
            expression_attribute_names: names,
            expression_attribute_values: values,
            limit: input.limit.map(|l| l as usize),
            exclusive_start_key: input.start_key.map(to_engine_item),
            consistent_read: Some(input.consistent_read),
            segment: input.segment.map(|s| s.0),
            total_segments: input.segment.map(|s| s.1),
            return_consumed_capacity: total(),
            ..Default::default()
        };
        let result = self
            .db
            .scan(request)
            .map_err(convert_error)
            .map(|r| PageOutput {
                items: r
                    .items
                    .unwrap_or_default()
                    .into_iter()
                    .map(from_engine_item)
                    .collect(),
                last_evaluated_key: r.last_evaluated_key.map(from_engine_item),
                consumed_capacity: capacity(r.consumed_capacity),
            });
        Box::pin(std::future::ready(result))
    }

    fn create_table(&self, input: CreateTableInput) -> EngineFuture<'_, TableDescription> {
        let key_schema = key_elements(
            &input.hash_key.0,
            input.range_key.as_ref().map(|r| r.0.as_str()),
        );
        let mut definitions: Vec<dx::AttributeDefinition> = Vec::new();
        let mut define = |name: &str, scalar_type: ScalarType| {
            if !definitions.iter().any(|d| d.attribute_name == name) {
                definitions.push(dx::AttributeDefinition {
                    attribute_name: name.to_owned(),
                    attribute_type: scalar(scalar_type),
                });
            }
        };
        define(&input.hash_key.0, input.hash_key.1);
        if let Some((name, scalar_type)) = &input.range_key {
            define(name, *scalar_type);
        }
        let throughput_units = match input.billing {
            Billing::OnDemand => None,
            Billing::Provisioned { read, write } => Some(dx::ProvisionedThroughput {
                read_capacity_units: Some(read as i64),
                write_capacity_units: Some(write as i64),
            }),
        };
        let (mut globals, mut locals) = (Vec::new(), Vec::new());
        for index in &input.indexes {
            define(index.hash_key.attribute, index.hash_key.scalar_type);
            if let Some(range) = index.range_key {
                define(range.attribute, range.scalar_type);
            }
            let schema = key_elements(
                index.hash_key.attribute,
                index.range_key.map(|r| r.attribute),
            );
            match index.kind {
                crate::model::IndexKind::Global => globals.push(dx::GlobalSecondaryIndex {
                    index_name: index.name.to_owned(),
                    key_schema: schema,
                    projection: projection(index.projection),
                    provisioned_throughput: throughput_units.clone(),
                }),
                crate::model::IndexKind::Local => locals.push(dx::LocalSecondaryIndex {
                    index_name: index.name.to_owned(),
                    key_schema: schema,
                    projection: projection(index.projection),
                }),
            }
        }
        let (billing_mode, throughput) = match input.billing {
            Billing::OnDemand => ("PAY_PER_REQUEST", None),
            Billing::Provisioned { read, write } => (
                "PROVISIONED",
                Some(dx::ProvisionedThroughput {
                    read_capacity_units: Some(read as i64),
                    write_capacity_units: Some(write as i64),
                }),
            ),
        };
        let request = actions::create_table::CreateTableRequest {
            table_name: input.table,
            key_schema,
            attribute_definitions: definitions,
            billing_mode: Some(billing_mode.to_owned()),
            provisioned_throughput: throughput,
            global_secondary_indexes: (!globals.is_empty()).then_some(globals),
            local_secondary_indexes: (!locals.is_empty()).then_some(locals),
            stream_specification: input.stream.map(|view| {
                actions::create_table::StreamSpecification {
                    stream_enabled: true,
                    stream_view_type: Some(view.as_str().to_owned()),
                }
            }),
            ..Default::default()
        };
        let result = self
            .db
            .create_table(request)
            .map_err(convert_error)
            .map(|r| describe(r.table_description));
        Box::pin(std::future::ready(result))
    }

    fn delete_table(&self, table: String) -> EngineFuture<'_, ()> {
        let request = actions::delete_table::DeleteTableRequest { table_name: table };
        let result = self
            .db
            .delete_table(request)
            .map_err(convert_error)
            .map(|_| ());
        Box::pin(std::future::ready(result))
    }

    fn enable_time_to_live(&self, table: String, attribute: String) -> EngineFuture<'_, ()> {
        use actions::update_time_to_live as ttl;
        let request = ttl::UpdateTimeToLiveRequest {
            table_name: table,
            time_to_live_specification: ttl::TimeToLiveSpecification {
                attribute_name: attribute,
                enabled: true,
            },
        };
        let result = self
            .db
            .update_time_to_live(request)
            .map_err(convert_error)
            .map(|_| ());
        Box::pin(std::future::ready(result))
    }

    fn time_to_live(&self, table: String) -> EngineFuture<'_, Option<String>> {
        let request =
            actions::describe_time_to_live::DescribeTimeToLiveRequest { table_name: table };
        let result = self
            .db
            .describe_time_to_live(request)
            .map_err(convert_error)
            .map(|r| {
                let description = r.time_to_live_description;
                (description.time_to_live_status == "ENABLED")
                    .then_some(description.attribute_name)
                    .flatten()
            });
        Box::pin(std::future::ready(result))
    }

    fn describe_table(&self, table: String) -> EngineFuture<'_, TableDescription> {
        let request = actions::describe_table::DescribeTableRequest { table_name: table };
        let result = self
            .db
            .describe_table(request)
            .map_err(convert_error)
            .map(|r| describe(r.table));
        Box::pin(std::future::ready(result))
    }
}
