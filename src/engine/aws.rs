//! The AWS engine: `aws-sdk-dynamodb`, for AWS DynamoDB and compatible endpoints.

use std::collections::HashMap;

use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types as sdk;
use aws_sdk_dynamodb::Client;

use super::request::*;
use super::{Engine, EngineFuture};
use crate::attribute::{AttributeValue, Item, ScalarType};
use crate::error::{CancellationReason, EngineError, EngineErrorKind};

/// DynamoDB through `aws-sdk-dynamodb`: AWS itself, or any compatible endpoint
/// (`AWS_ENDPOINT_URL`), such as ScyllaDB Alternator or a local emulator.
#[derive(Debug, Clone)]
pub struct AwsEngine {
    client: Client,
}

impl AwsEngine {
    /// An engine over a configured SDK client.
    pub fn new(client: Client) -> Self {
        AwsEngine { client }
    }

    /// An engine configured from the standard AWS chain: environment,
    /// profile, IMDS; `AWS_ENDPOINT_URL` selects another endpoint.
    pub async fn from_env() -> Self {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        AwsEngine::new(Client::new(&config))
    }

    /// The SDK client.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

fn convert_error<E, R>(error: SdkError<E, R>) -> EngineError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match &error {
        SdkError::ServiceError(service) => {
            let inner = service.err();
            match inner.code() {
                Some(code) => EngineError::from_code(code, inner.message().unwrap_or_default()),
                None => EngineError::new(
                    EngineErrorKind::Internal,
                    None,
                    DisplayErrorContext(&error).to_string(),
                ),
            }
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            EngineError::new(
                EngineErrorKind::Transport,
                None,
                DisplayErrorContext(&error).to_string(),
            )
        }
        _ => EngineError::new(
            EngineErrorKind::Other,
            None,
            DisplayErrorContext(&error).to_string(),
        ),
    }
}

fn build_error(error: aws_sdk_dynamodb::error::BuildError) -> EngineError {
    EngineError::new(EngineErrorKind::Validation, None, error.to_string())
}

fn to_sdk(value: AttributeValue) -> sdk::AttributeValue {
    match value {
        AttributeValue::S(v) => sdk::AttributeValue::S(v),
        AttributeValue::N(v) => sdk::AttributeValue::N(v),
        AttributeValue::B(v) => sdk::AttributeValue::B(Blob::new(v)),
        AttributeValue::Bool(v) => sdk::AttributeValue::Bool(v),
        AttributeValue::Null => sdk::AttributeValue::Null(true),
        AttributeValue::Ss(v) => sdk::AttributeValue::Ss(v),
        AttributeValue::Ns(v) => sdk::AttributeValue::Ns(v),
        AttributeValue::Bs(v) => sdk::AttributeValue::Bs(v.into_iter().map(Blob::new).collect()),
        AttributeValue::L(v) => sdk::AttributeValue::L(v.into_iter().map(to_sdk).collect()),
        AttributeValue::M(v) => sdk::AttributeValue::M(to_sdk_item(v)),
    }
}

fn from_sdk(value: sdk::AttributeValue) -> Result<AttributeValue, EngineError> {
    Ok(match value {
        sdk::AttributeValue::S(v) => AttributeValue::S(v),
        sdk::AttributeValue::N(v) => AttributeValue::N(v),
        sdk::AttributeValue::B(v) => AttributeValue::B(v.into_inner()),
        sdk::AttributeValue::Bool(v) => AttributeValue::Bool(v),
        sdk::AttributeValue::Null(_) => AttributeValue::Null,
        sdk::AttributeValue::Ss(v) => AttributeValue::Ss(v),
        sdk::AttributeValue::Ns(v) => AttributeValue::Ns(v),
        sdk::AttributeValue::Bs(v) => {
            AttributeValue::Bs(v.into_iter().map(Blob::into_inner).collect())
        }
        sdk::AttributeValue::L(v) => {
            AttributeValue::L(v.into_iter().map(from_sdk).collect::<Result<_, _>>()?)
        }
        sdk::AttributeValue::M(v) => AttributeValue::M(from_sdk_item(v)?),
        other => {
            return Err(EngineError::new(
                EngineErrorKind::Other,
                None,
                format!("the engine returned an attribute type this SDK does not know: {other:?}"),
            ))
        }
    })
}

fn to_sdk_item(item: Item) -> HashMap<String, sdk::AttributeValue> {
    item.into_iter().map(|(k, v)| (k, to_sdk(v))).collect()
}

fn from_sdk_item(item: HashMap<String, sdk::AttributeValue>) -> Result<Item, EngineError> {
    item.into_iter()
        .map(|(k, v)| Ok((k, from_sdk(v)?)))
        .collect()
}

fn from_sdk_items(
    items: Option<Vec<HashMap<String, sdk::AttributeValue>>>,
) -> Result<Vec<Item>, EngineError> {
    items
        .unwrap_or_default()
        .into_iter()
        .map(from_sdk_item)
        .collect()
}

type Expressions = (
    Option<HashMap<String, String>>,
    Option<HashMap<String, sdk::AttributeValue>>,
);

fn expressions(placeholders: Placeholders) -> Expressions {
    let names = (!placeholders.names.is_empty()).then_some(placeholders.names);
    let values = (!placeholders.values.is_empty()).then(|| to_sdk_item(placeholders.values));
    (names, values)
}

fn capacity(consumed: Option<&sdk::ConsumedCapacity>) -> Option<f64> {
    consumed.and_then(|c| c.capacity_units)
}

fn scalar(scalar: ScalarType) -> sdk::ScalarAttributeType {
    match scalar {
        ScalarType::String => sdk::ScalarAttributeType::S,
        ScalarType::Number => sdk::ScalarAttributeType::N,
        ScalarType::Binary => sdk::ScalarAttributeType::B,
    }
}

fn describe(table: sdk::TableDescription) -> TableDescription {
    let billing = match table
        .billing_mode_summary
        .as_ref()
        .and_then(|b| b.billing_mode.as_ref())
    {
        Some(sdk::BillingMode::PayPerRequest) => Some(Billing::OnDemand),
        _ => table
            .provisioned_throughput
            .as_ref()
            .map(|p| Billing::Provisioned {
                read: p.read_capacity_units.unwrap_or(0).max(0) as u64,
                write: p.write_capacity_units.unwrap_or(0).max(0) as u64,
            }),
    };
    TableDescription {
        name: table.table_name.unwrap_or_default(),
        status: table
            .table_status
            .map(|s| TableStatus::parse(s.as_str()))
            .unwrap_or(TableStatus::Active),
        key_schema: table
            .key_schema
            .unwrap_or_default()
            .into_iter()
            .map(|k| k.attribute_name)
            .collect(),
        attribute_types: table
            .attribute_definitions
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.attribute_name, d.attribute_type.as_str().to_owned()))
            .collect(),
        item_count: table.item_count,
        billing,
        indexes: table
            .global_secondary_indexes
            .iter()
            .flatten()
            .filter_map(|i| i.index_name.clone())
            .chain(
                table
                    .local_secondary_indexes
                    .iter()
                    .flatten()
                    .filter_map(|i| i.index_name.clone()),
            )
            .collect(),
        stream_view: table
            .stream_specification
            .filter(|s| s.stream_enabled)
            .and_then(|s| s.stream_view_type)
            .map(|v| v.as_str().to_owned()),
    }
}

fn key_elements(
    hash: &str,
    range: Option<&str>,
) -> Result<Vec<sdk::KeySchemaElement>, EngineError> {
    let mut schema = vec![key_element(hash.to_owned(), sdk::KeyType::Hash)?];
    if let Some(range) = range {
        schema.push(key_element(range.to_owned(), sdk::KeyType::Range)?);
    }
    Ok(schema)
}

fn projection(projection: crate::model::Projection) -> sdk::Projection {
    use crate::model::Projection as P;
    match projection {
        P::All => sdk::Projection::builder()
            .projection_type(sdk::ProjectionType::All)
            .build(),
        P::KeysOnly => sdk::Projection::builder()
            .projection_type(sdk::ProjectionType::KeysOnly)
            .build(),
        P::Include(names) => sdk::Projection::builder()
            .projection_type(sdk::ProjectionType::Include)
            .set_non_key_attributes(Some(names.iter().map(|n| (*n).to_owned()).collect()))
            .build(),
    }
}

fn key_element(name: String, key_type: sdk::KeyType) -> Result<sdk::KeySchemaElement, EngineError> {
    sdk::KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(key_type)
        .build()
        .map_err(build_error)
}

fn definition(
    name: String,
    scalar_type: ScalarType,
) -> Result<sdk::AttributeDefinition, EngineError> {
    sdk::AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(scalar(scalar_type))
        .build()
        .map_err(build_error)
}

impl Engine for AwsEngine {
    fn name(&self) -> &'static str {
        "aws"
    }

    fn get_item(&self, input: GetItemInput) -> EngineFuture<'_, GetItemOutput> {
        Box::pin(async move {
            let output = self
                .client
                .get_item()
                .table_name(input.table)
                .set_key(Some(to_sdk_item(input.key)))
                .consistent_read(input.consistent_read)
                .return_consumed_capacity(sdk::ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(convert_error)?;
            Ok(GetItemOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
                item: output.item.map(from_sdk_item).transpose()?,
            })
        })
    }

    fn put_item(&self, input: PutItemInput) -> EngineFuture<'_, WriteOutput> {
        Box::pin(async move {
            let (names, values) = expressions(input.placeholders);
            let output = self
                .client
                .put_item()
                .table_name(input.table)
                .set_item(Some(to_sdk_item(input.item)))
                .set_condition_expression(input.condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .return_consumed_capacity(sdk::ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(convert_error)?;
            Ok(WriteOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
            })
        })
    }

    fn update_item(&self, input: UpdateItemInput) -> EngineFuture<'_, UpdateItemOutput> {
        Box::pin(async move {
            let (names, values) = expressions(input.placeholders);
            let output = self
                .client
                .update_item()
                .table_name(input.table)
                .set_key(Some(to_sdk_item(input.key)))
                .update_expression(input.update)
                .set_condition_expression(input.condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .return_values(sdk::ReturnValue::from(input.return_values.as_str()))
                .return_consumed_capacity(sdk::ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(convert_error)?;
            Ok(UpdateItemOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
                attributes: output.attributes.map(from_sdk_item).transpose()?,
            })
        })
    }

    fn delete_item(&self, input: DeleteItemInput) -> EngineFuture<'_, WriteOutput> {
        Box::pin(async move {
            let (names, values) = expressions(input.placeholders);
            let output = self
                .client
                .delete_item()
                .table_name(input.table)
                .set_key(Some(to_sdk_item(input.key)))
                .set_condition_expression(input.condition)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .return_consumed_capacity(sdk::ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(convert_error)?;
            Ok(WriteOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
            })
        })
    }

    fn batch_get_item(&self, input: BatchGetInput) -> EngineFuture<'_, BatchGetOutput> {
        Box::pin(async move {
            let keys = sdk::KeysAndAttributes::builder()
                .set_keys(Some(input.keys.into_iter().map(to_sdk_item).collect()))
                .consistent_read(input.consistent_read)
                .build()
                .map_err(build_error)?;
            let mut output = self
                .client
                .batch_get_item()
                .request_items(input.table.clone(), keys)
                .return_consumed_capacity(sdk::ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(convert_error)?;
            let items = output
                .responses
                .as_mut()
                .and_then(|r| r.remove(&input.table));
            let unprocessed = output
                .unprocessed_keys
                .as_mut()
                .and_then(|u| u.remove(&input.table))
                .map(|k| k.keys);
            Ok(BatchGetOutput {
                items: from_sdk_items(items)?,
                unprocessed_keys: from_sdk_items(unprocessed)?,
                consumed_capacity: output
                    .consumed_capacity
                    .map(|c| c.iter().filter_map(|c| c.capacity_units).sum()),
            })
        })
    }

    fn batch_write_item(&self, input: BatchWriteInput) -> EngineFuture<'_, BatchWriteOutput> {
        Box::pin(async move {
            let mut writes = Vec::with_capacity(input.writes.len());
            for write in input.writes {
                writes.push(match write {
                    WriteRequest::Put(item) => sdk::WriteRequest::builder()
                        .put_request(
                            sdk::PutRequest::builder()
                                .set_item(Some(to_sdk_item(item)))
                                .build()
                                .map_err(build_error)?,
                        )
                        .build(),
                    WriteRequest::Delete(key) => sdk::WriteRequest::builder()
                        .delete_request(
                            sdk::DeleteRequest::builder()
                                .set_key(Some(to_sdk_item(key)))
                                .build()
                                .map_err(build_error)?,
                        )
                        .build(),
                });
            }
            let mut output = self
                .client
                .batch_write_item()
                .request_items(input.table.clone(), writes)
                .return_consumed_capacity(sdk::ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(convert_error)?;
            let mut unprocessed = Vec::new();
            for write in output
                .unprocessed_items
                .as_mut()
                .and_then(|u| u.remove(&input.table))
                .unwrap_or_default()
            {
                if let Some(put) = write.put_request {
                    unprocessed.push(WriteRequest::Put(from_sdk_item(put.item)?));
                } else if let Some(delete) = write.delete_request {
                    unprocessed.push(WriteRequest::Delete(from_sdk_item(delete.key)?));
                }
            }
            Ok(BatchWriteOutput {
                unprocessed,
                consumed_capacity: output
                    .consumed_capacity
                    .map(|c| c.iter().filter_map(|c| c.capacity_units).sum()),
            })
        })
    }

    fn transact_write_items(&self, input: TransactWriteInput) -> EngineFuture<'_, WriteOutput> {
        Box::pin(async move {
            let mut items = Vec::with_capacity(input.actions.len());
            for action in input.actions {
                let item = match action {
                    TransactWrite::Put(put) => {
                        let (names, values) = expressions(put.placeholders);
                        sdk::TransactWriteItem::builder().put(
                            sdk::Put::builder()
                                .table_name(put.table)
                                .set_item(Some(to_sdk_item(put.item)))
                                .set_condition_expression(put.condition)
                                .set_expression_attribute_names(names)
                                .set_expression_attribute_values(values)
                                .build()
                                .map_err(build_error)?,
                        )
                    }
                    TransactWrite::Update(update) => {
                        let (names, values) = expressions(update.placeholders);
                        sdk::TransactWriteItem::builder().update(
                            sdk::Update::builder()
                                .table_name(update.table)
                                .set_key(Some(to_sdk_item(update.key)))
                                .update_expression(update.update)
                                .set_condition_expression(update.condition)
                                .set_expression_attribute_names(names)
                                .set_expression_attribute_values(values)
                                .build()
                                .map_err(build_error)?,
                        )
                    }
                    TransactWrite::Delete(delete) => {
                        let (names, values) = expressions(delete.placeholders);
                        sdk::TransactWriteItem::builder().delete(
                            sdk::Delete::builder()
                                .table_name(delete.table)
                                .set_key(Some(to_sdk_item(delete.key)))
                                .set_condition_expression(delete.condition)
                                .set_expression_attribute_names(names)
                                .set_expression_attribute_values(values)
                                .build()
                                .map_err(build_error)?,
                        )
                    }
                    TransactWrite::ConditionCheck(check) => {
                        let (names, values) = expressions(check.placeholders);
                        sdk::TransactWriteItem::builder().condition_check(
                            sdk::ConditionCheck::builder()
                                .table_name(check.table)
                                .set_key(Some(to_sdk_item(check.key)))
                                .condition_expression(check.condition)
                                .set_expression_attribute_names(names)
                                .set_expression_attribute_values(values)
                                .build()
                                .map_err(build_error)?,
                        )
                    }
                };
                items.push(item.build());
            }
            let output = self
                .client
                .transact_write_items()
                .set_transact_items(Some(items))
                .set_client_request_token(input.token)
                .return_consumed_capacity(sdk::ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(|error| {
                    let reasons = match error.as_service_error() {
                        Some(aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(e)) => e
                            .cancellation_reasons()
                            .iter()
                            .map(|r| CancellationReason {
                                code: r.code().unwrap_or("None").to_owned(),
                                message: r.message().map(str::to_owned),
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    convert_error(error).with_reasons(reasons)
                })?;
            Ok(WriteOutput {
                consumed_capacity: output
                    .consumed_capacity
                    .map(|c| c.iter().filter_map(|c| c.capacity_units).sum()),
            })
        })
    }

    fn transact_get_items(&self, input: TransactGetInput) -> EngineFuture<'_, TransactGetOutput> {
        Box::pin(async move {
            let mut gets = Vec::with_capacity(input.gets.len());
            for (table, key) in input.gets {
                let get = sdk::Get::builder()
                    .table_name(table)
                    .set_key(Some(to_sdk_item(key)))
                    .build()
                    .map_err(build_error)?;
                gets.push(sdk::TransactGetItem::builder().get(get).build());
            }
            let output = self
                .client
                .transact_get_items()
                .set_transact_items(Some(gets))
                .return_consumed_capacity(sdk::ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(convert_error)?;
            let items = output
                .responses
                .unwrap_or_default()
                .into_iter()
                .map(|r| r.item.map(from_sdk_item).transpose())
                .collect::<Result<_, _>>()?;
            Ok(TransactGetOutput {
                items,
                consumed_capacity: output
                    .consumed_capacity
                    .map(|c| c.iter().filter_map(|c| c.capacity_units).sum()),
            })
        })
    }

    fn query(&self, input: QueryInput) -> EngineFuture<'_, PageOutput> {
        Box::pin(async move {
            let (names, values) = expressions(input.placeholders);
            let output = self
                .client
                .query()
                .table_name(input.table)
                .set_index_name(input.index)
                .key_condition_expression(input.key_condition)
                .set_filter_expression(input.filter)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .scan_index_forward(input.scan_forward)
                .set_limit(input.limit.map(|l| l.min(i32::MAX as u32) as i32))
                .set_exclusive_start_key(input.start_key.map(to_sdk_item))
                .consistent_read(input.consistent_read)
                .return_consumed_capacity(sdk::ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(convert_error)?;
            Ok(PageOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
                last_evaluated_key: output.last_evaluated_key.map(from_sdk_item).transpose()?,
                items: from_sdk_items(output.items)?,
            })
        })
    }

    fn scan(&self, input: ScanInput) -> EngineFuture<'_, PageOutput> {
        Box::pin(async move {
            let (names, values) = expressions(input.placeholders);
            let output = self
                .client
                .scan()
                .table_name(input.table)
                .set_index_name(input.index)
                .set_filter_expression(input.filter)
                .set_expression_attribute_names(names)
                .set_expression_attribute_values(values)
                .set_limit(input.limit.map(|l| l.min(i32::MAX as u32) as i32))
                .set_exclusive_start_key(input.start_key.map(to_sdk_item))
                .consistent_read(input.consistent_read)
                .set_segment(input.segment.map(|s| s.0 as i32))
                .set_total_segments(input.segment.map(|s| s.1 as i32))
                .return_consumed_capacity(sdk::ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(convert_error)?;
            Ok(PageOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
                last_evaluated_key: output.last_evaluated_key.map(from_sdk_item).transpose()?,
                items: from_sdk_items(output.items)?,
            })
        })
    }

    fn create_table(&self, input: CreateTableInput) -> EngineFuture<'_, TableDescription> {
        Box::pin(async move {
            let mut defined: Vec<String> = Vec::new();
            let mut definitions = Vec::new();
            let mut define = |name: &str, scalar_type: ScalarType| -> Result<(), EngineError> {
                if !defined.iter().any(|d| d == name) {
                    defined.push(name.to_owned());
                    definitions.push(definition(name.to_owned(), scalar_type)?);
                }
                Ok(())
            };
            define(&input.hash_key.0, input.hash_key.1)?;
            if let Some((name, scalar_type)) = &input.range_key {
                define(name, *scalar_type)?;
            }
            let throughput = match input.billing {
                Billing::OnDemand => None,
                Billing::Provisioned { read, write } => Some(
                    sdk::ProvisionedThroughput::builder()
                        .read_capacity_units(read as i64)
                        .write_capacity_units(write as i64)
                        .build()
                        .map_err(build_error)?,
                ),
            };
            let (mut globals, mut locals) = (Vec::new(), Vec::new());
            for index in &input.indexes {
                define(index.hash_key.attribute, index.hash_key.scalar_type)?;
                if let Some(range) = index.range_key {
                    define(range.attribute, range.scalar_type)?;
                }
                let schema = key_elements(
                    index.hash_key.attribute,
                    index.range_key.map(|r| r.attribute),
                )?;
                match index.kind {
                    crate::model::IndexKind::Global => globals.push(
                        sdk::GlobalSecondaryIndex::builder()
                            .index_name(index.name)
                            .set_key_schema(Some(schema))
                            .projection(projection(index.projection))
                            .set_provisioned_throughput(throughput.clone())
                            .build()
                            .map_err(build_error)?,
                    ),
                    crate::model::IndexKind::Local => locals.push(
                        sdk::LocalSecondaryIndex::builder()
                            .index_name(index.name)
                            .set_key_schema(Some(schema))
                            .projection(projection(index.projection))
                            .build()
                            .map_err(build_error)?,
                    ),
                }
            }
            let mut request = self
                .client
                .create_table()
                .table_name(input.table)
                .set_key_schema(Some(key_elements(
                    &input.hash_key.0,
                    input.range_key.as_ref().map(|r| r.0.as_str()),
                )?))
                .set_attribute_definitions(Some(definitions))
                .set_global_secondary_indexes((!globals.is_empty()).then_some(globals))
                .set_local_secondary_indexes((!locals.is_empty()).then_some(locals));
            if let Some(view) = input.stream {
                request = request.stream_specification(
                    sdk::StreamSpecification::builder()
                        .stream_enabled(true)
                        .stream_view_type(sdk::StreamViewType::from(view.as_str()))
                        .build()
                        .map_err(build_error)?,
                );
            }
            request = match input.billing {
                Billing::OnDemand => request.billing_mode(sdk::BillingMode::PayPerRequest),
                Billing::Provisioned { .. } => request
                    .billing_mode(sdk::BillingMode::Provisioned)
                    .set_provisioned_throughput(throughput),
            };
            let output = request.send().await.map_err(convert_error)?;
            output.table_description.map(describe).ok_or_else(|| {
                EngineError::new(
                    EngineErrorKind::Internal,
                    None,
                    "CreateTable returned no description",
                )
            })
        })
    }

    fn delete_table(&self, table: String) -> EngineFuture<'_, ()> {
        Box::pin(async move {
            self.client
                .delete_table()
                .table_name(table)
                .send()
                .await
                .map_err(convert_error)?;
            Ok(())
        })
    }

    fn enable_time_to_live(&self, table: String, attribute: String) -> EngineFuture<'_, ()> {
        Box::pin(async move {
            let specification = sdk::TimeToLiveSpecification::builder()
                .enabled(true)
                .attribute_name(attribute)
                .build()
                .map_err(build_error)?;
            self.client
                .update_time_to_live()
                .table_name(table)
                .time_to_live_specification(specification)
                .send()
                .await
                .map_err(convert_error)?;
            Ok(())
        })
    }

    fn time_to_live(&self, table: String) -> EngineFuture<'_, Option<String>> {
        Box::pin(async move {
            let output = self
                .client
                .describe_time_to_live()
                .table_name(table)
                .send()
                .await
                .map_err(convert_error)?;
            Ok(output.time_to_live_description.and_then(|d| {
                (d.time_to_live_status == Some(sdk::TimeToLiveStatus::Enabled))
                    .then_some(d.attribute_name)
                    .flatten()
            }))
        })
    }

    fn describe_table(&self, table: String) -> EngineFuture<'_, TableDescription> {
        Box::pin(async move {
            let output = self
                .client
                .describe_table()
                .table_name(table)
                .send()
                .await
                .map_err(convert_error)?;
            output.table.map(describe).ok_or_else(|| {
                EngineError::new(
                    EngineErrorKind::Internal,
                    None,
                    "DescribeTable returned no table",
                )
            })
        })
    }
}
