//! The SDK's side of each call the engine answers: one method a call.

use std::future::Future;

use aws_sdk_dynamodb::types as sdk;

use super::convert::*;
use super::{convert, quiet, table, AwsEngine, Capacity};
use crate::engine::request::*;
use crate::error::{CancellationReason, EngineError, EngineErrorKind};

/// One method a call: each builds its SDK request now, from the borrowed
/// input, and sends it when awaited.
impl AwsEngine {
    pub(super) fn get_item<'a>(
        &'a self,
        input: &GetItemInput,
        asked: Capacity,
    ) -> impl Future<Output = Result<GetItemOutput, EngineError>> + Send + 'a {
        let request = self
            .client
            .get_item()
            .table_name(&input.table)
            .set_key(Some(to_sdk_item(&input.key)))
            .consistent_read(input.consistent_read)
            .set_return_consumed_capacity(asked);
        quiet::quiet(async move {
            let output = request.send().await.map_err(convert_error)?;
            Ok(GetItemOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
                item: output.item.map(stored).transpose()?,
            })
        })
    }

    pub(super) fn put_item<'a>(
        &'a self,
        input: &PutItemInput,
        asked: Capacity,
    ) -> impl Future<Output = Result<WriteOutput, EngineError>> + Send + 'a {
        let (names, values) = expressions(&input.placeholders);
        let request = self
            .client
            .put_item()
            .table_name(&input.table)
            .set_item(Some(to_sdk_item(&input.item)))
            .set_condition_expression(input.condition.clone())
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .set_return_values_on_condition_check_failure(
                input
                    .return_values_on_condition_check_failure
                    .then_some(sdk::ReturnValuesOnConditionCheckFailure::AllOld),
            )
            .set_return_consumed_capacity(asked);
        quiet::quiet(async move {
            let output = request.send().await.map_err(|error| {
                use aws_sdk_dynamodb::operation::put_item::PutItemError;
                let item = match error.as_service_error() {
                    Some(PutItemError::ConditionalCheckFailedException(refused)) => refused.item(),
                    _ => None,
                };
                let item = item.and_then(|item| from_sdk_item(item.clone()).ok());
                convert_error(error).with_item(item)
            })?;
            Ok(WriteOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
                old_item: None,
            })
        })
    }

    pub(super) fn update_item<'a>(
        &'a self,
        input: &UpdateItemInput,
        asked: Capacity,
    ) -> impl Future<Output = Result<UpdateItemOutput, EngineError>> + Send + 'a {
        let (names, values) = expressions(&input.placeholders);
        let request = self
            .client
            .update_item()
            .table_name(&input.table)
            .set_key(Some(to_sdk_item(&input.key)))
            .update_expression(&input.update)
            .set_condition_expression(input.condition.clone())
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .return_values(sdk::ReturnValue::from(input.return_values.as_str()))
            .set_return_values_on_condition_check_failure(
                input
                    .return_values_on_condition_check_failure
                    .then_some(sdk::ReturnValuesOnConditionCheckFailure::AllOld),
            )
            .set_return_consumed_capacity(asked);
        quiet::quiet(async move {
            let output = request.send().await.map_err(|error| {
                use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
                let item = match error.as_service_error() {
                    Some(UpdateItemError::ConditionalCheckFailedException(refused)) => {
                        refused.item()
                    }
                    _ => None,
                };
                let item = item.and_then(|item| from_sdk_item(item.clone()).ok());
                convert_error(error).with_item(item)
            })?;
            Ok(UpdateItemOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
                attributes: output.attributes.map(stored).transpose()?,
            })
        })
    }

    pub(super) fn delete_item<'a>(
        &'a self,
        input: &DeleteItemInput,
        asked: Capacity,
    ) -> impl Future<Output = Result<WriteOutput, EngineError>> + Send + 'a {
        let (names, values) = expressions(&input.placeholders);
        let request = self
            .client
            .delete_item()
            .table_name(&input.table)
            .set_key(Some(to_sdk_item(&input.key)))
            .set_condition_expression(input.condition.clone())
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .set_return_values(input.return_old.then_some(sdk::ReturnValue::AllOld))
            .set_return_values_on_condition_check_failure(
                input
                    .return_values_on_condition_check_failure
                    .then_some(sdk::ReturnValuesOnConditionCheckFailure::AllOld),
            )
            .set_return_consumed_capacity(asked);
        quiet::quiet(async move {
            let output = request.send().await.map_err(|error| {
                use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
                let item = match error.as_service_error() {
                    Some(DeleteItemError::ConditionalCheckFailedException(refused)) => {
                        refused.item()
                    }
                    _ => None,
                };
                let item = item.and_then(|item| from_sdk_item(item.clone()).ok());
                convert_error(error).with_item(item)
            })?;
            Ok(WriteOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
                old_item: output.attributes.map(stored).transpose()?,
            })
        })
    }

    pub(super) fn batch_get_item<'a>(
        &'a self,
        input: &BatchGetInput,
        asked: Capacity,
    ) -> impl Future<Output = Result<BatchGetOutput, EngineError>> + Send + 'a {
        let keys = sdk::KeysAndAttributes::builder()
            .set_keys(Some(input.keys.iter().map(to_sdk_item).collect()))
            .consistent_read(input.consistent_read)
            .build();
        let table = input.table.clone();
        let client = &self.client;
        quiet::quiet(async move {
            let mut output = client
                .batch_get_item()
                .request_items(&table, keys.map_err(build_error)?)
                .set_return_consumed_capacity(asked)
                .send()
                .await
                .map_err(convert_error)?;
            let items = output.responses.as_mut().and_then(|r| r.remove(&table));
            let unprocessed = output
                .unprocessed_keys
                .as_mut()
                .and_then(|u| u.remove(&table))
                .map(|k| k.keys);
            Ok(BatchGetOutput {
                items: stored_items(items)?,
                unprocessed_keys: from_sdk_items(unprocessed)?,
                consumed_capacity: total_capacity(output.consumed_capacity),
            })
        })
    }

    pub(super) fn batch_write_item<'a>(
        &'a self,
        input: &BatchWriteInput,
        asked: Capacity,
    ) -> impl Future<Output = Result<BatchWriteOutput, EngineError>> + Send + 'a {
        let writes = write_requests(&input.writes);
        let table = input.table.clone();
        let client = &self.client;
        quiet::quiet(async move {
            let mut output = client
                .batch_write_item()
                .request_items(&table, writes?)
                .set_return_consumed_capacity(asked)
                .send()
                .await
                .map_err(convert_error)?;
            let mut unprocessed = Vec::new();
            for write in output
                .unprocessed_items
                .as_mut()
                .and_then(|u| u.remove(&table))
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
                consumed_capacity: total_capacity(output.consumed_capacity),
            })
        })
    }

    pub(super) fn transact_write_items<'a>(
        &'a self,
        input: &TransactWriteInput,
        asked: Capacity,
    ) -> impl Future<Output = Result<WriteOutput, EngineError>> + Send + 'a {
        let items = convert::transact_items(&input.actions);
        let token = input.token.clone();
        let client = &self.client;
        quiet::quiet(async move {
            let output = client
                .transact_write_items()
                .set_transact_items(Some(items?))
                .set_client_request_token(token)
                .set_return_consumed_capacity(asked)
                .send()
                .await
                .map_err(|error| {
                    let reasons = match error.as_service_error() {
                        Some(aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(e)) => e
                            .cancellation_reasons()
                            .iter()
                            .map(|r| {
                                CancellationReason::new(r.code().unwrap_or("None"), r.message().map(str::to_owned))
                                    .with_item(r.item().and_then(|item| from_sdk_item(item.clone()).ok()))
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    convert_error(error).with_reasons(reasons)
                })?;
            Ok(WriteOutput {
                consumed_capacity: total_capacity(output.consumed_capacity),
                old_item: None,
            })
        })
    }

    pub(super) fn transact_get_items<'a>(
        &'a self,
        input: &TransactGetInput,
        asked: Capacity,
    ) -> impl Future<Output = Result<TransactGetOutput, EngineError>> + Send + 'a {
        let gets: Result<Vec<_>, EngineError> = input
            .gets
            .iter()
            .map(|(table, key)| {
                let get = sdk::Get::builder()
                    .table_name(table)
                    .set_key(Some(to_sdk_item(key)))
                    .build()
                    .map_err(build_error)?;
                Ok(sdk::TransactGetItem::builder().get(get).build())
            })
            .collect();
        let client = &self.client;
        quiet::quiet(async move {
            let output = client
                .transact_get_items()
                .set_transact_items(Some(gets?))
                .set_return_consumed_capacity(asked)
                .send()
                .await
                .map_err(convert_error)?;
            let items = output
                .responses
                .unwrap_or_default()
                .into_iter()
                .map(|r| r.item.map(stored).transpose())
                .collect::<Result<_, _>>()?;
            Ok(TransactGetOutput {
                items,
                consumed_capacity: total_capacity(output.consumed_capacity),
            })
        })
    }

    pub(super) fn query<'a>(
        &'a self,
        input: &QueryInput,
        asked: Capacity,
    ) -> impl Future<Output = Result<PageOutput, EngineError>> + Send + 'a {
        let (names, values) = expressions(&input.placeholders);
        let request = self
            .client
            .query()
            .table_name(&input.table)
            .set_index_name(input.index.clone())
            .key_condition_expression(&input.key_condition)
            .set_filter_expression(input.filter.clone())
            .set_projection_expression(input.projection.clone())
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .scan_index_forward(input.scan_forward)
            .set_limit(input.limit.map(|l| l.min(i32::MAX as u32) as i32))
            .set_exclusive_start_key(input.start_key.as_ref().map(to_sdk_item))
            .consistent_read(input.consistent_read)
            .set_return_consumed_capacity(asked);
        quiet::quiet(async move {
            let output = request.send().await.map_err(convert_error)?;
            Ok(PageOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
                last_evaluated_key: output.last_evaluated_key.map(from_sdk_item).transpose()?,
                items: stored_items(output.items)?,
            })
        })
    }

    pub(super) fn scan<'a>(
        &'a self,
        input: &ScanInput,
        asked: Capacity,
    ) -> impl Future<Output = Result<PageOutput, EngineError>> + Send + 'a {
        let (names, values) = expressions(&input.placeholders);
        let request = self
            .client
            .scan()
            .table_name(&input.table)
            .set_index_name(input.index.clone())
            .set_filter_expression(input.filter.clone())
            .set_projection_expression(input.projection.clone())
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .set_limit(input.limit.map(|l| l.min(i32::MAX as u32) as i32))
            .set_exclusive_start_key(input.start_key.as_ref().map(to_sdk_item))
            .consistent_read(input.consistent_read)
            .set_segment(input.segment.map(|s| s.0 as i32))
            .set_total_segments(input.segment.map(|s| s.1 as i32))
            .set_return_consumed_capacity(asked);
        quiet::quiet(async move {
            let output = request.send().await.map_err(convert_error)?;
            Ok(PageOutput {
                consumed_capacity: capacity(output.consumed_capacity.as_ref()),
                last_evaluated_key: output.last_evaluated_key.map(from_sdk_item).transpose()?,
                items: stored_items(output.items)?,
            })
        })
    }

    pub(super) fn delete_table<'a>(
        &'a self,
        input: &DeleteTableInput,
    ) -> impl Future<Output = Result<(), EngineError>> + Send + 'a {
        let request = self.client.delete_table().table_name(&input.table);
        quiet::quiet(async move {
            request.send().await.map_err(convert_error)?;
            Ok(())
        })
    }

    pub(super) fn update_time_to_live<'a>(
        &'a self,
        input: &UpdateTimeToLiveInput,
    ) -> impl Future<Output = Result<(), EngineError>> + Send + 'a {
        let specification = sdk::TimeToLiveSpecification::builder()
            .enabled(true)
            .attribute_name(&input.attribute)
            .build()
            .map_err(build_error);
        let request = self.client.update_time_to_live().table_name(&input.table);
        quiet::quiet(async move {
            request
                .time_to_live_specification(specification?)
                .send()
                .await
                .map_err(convert_error)?;
            Ok(())
        })
    }

    pub(super) fn describe_time_to_live<'a>(
        &'a self,
        input: &DescribeTimeToLiveInput,
    ) -> impl Future<Output = Result<Option<String>, EngineError>> + Send + 'a {
        let request = self.client.describe_time_to_live().table_name(&input.table);
        quiet::quiet(async move {
            let output = request.send().await.map_err(convert_error)?;
            Ok(output.time_to_live_description.and_then(|d| {
                (d.time_to_live_status == Some(sdk::TimeToLiveStatus::Enabled))
                    .then_some(d.attribute_name)
                    .flatten()
            }))
        })
    }

    pub(super) fn describe_table<'a>(
        &'a self,
        input: &DescribeTableInput,
    ) -> impl Future<Output = Result<TableDescription, EngineError>> + Send + 'a {
        let request = self.client.describe_table().table_name(&input.table);
        quiet::quiet(async move {
            let output = request.send().await.map_err(convert_error)?;
            output.table.map(table::describe).ok_or_else(|| {
                EngineError::new(
                    EngineErrorKind::Internal,
                    None,
                    "DescribeTable returned no table",
                )
            })
        })
    }
}
