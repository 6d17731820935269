//! Conversions between this crate's requests and values and the SDK's.

use std::collections::HashMap;

use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::RequestId;
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types as sdk;

use crate::attribute::{item_with_capacity, AttributeValue, Item, StoredItem};
use crate::engine::request::*;
use crate::error::{EngineError, EngineErrorKind};

/// The engine's error for an SDK error: classified, with the request id,
/// and the SDK error itself as its source.
pub(super) fn convert_error<E>(error: SdkError<E, HttpResponse>) -> EngineError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let converted = classify(&error).with_request_id(error.request_id().map(str::to_owned));
    converted.with_source(error)
}

fn classify<E>(error: &SdkError<E, HttpResponse>) -> EngineError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    if let Some(missing) = missing_setup(error) {
        return missing;
    }
    match error {
        SdkError::ServiceError(service) => {
            let inner = service.err();
            match inner.code() {
                Some(code) => {
                    let mut error =
                        EngineError::from_code(code, inner.message().unwrap_or_default());
                    // A server error the codes do not name is still the
                    // service failing, not the request: worth another try.
                    if error.kind == EngineErrorKind::Other
                        && service.raw().status().is_server_error()
                    {
                        error.kind = EngineErrorKind::Internal;
                    }
                    error
                }
                // A 2xx answer the SDK could not parse (cut off mid-body
                // and ended by the close, or garbled): the answer was lost or
                // unreadable, not refused; a write may have been applied.
                None if service.raw().status().is_success() => EngineError::new(
                    EngineErrorKind::Transport,
                    None,
                    format!(
                        "the answer could not be read: {}",
                        DisplayErrorContext(error)
                    ),
                ),
                None => EngineError::new(
                    EngineErrorKind::Internal,
                    None,
                    DisplayErrorContext(error).to_string(),
                ),
            }
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) | SdkError::ResponseError(_) => {
            EngineError::new(
                EngineErrorKind::Transport,
                None,
                DisplayErrorContext(error).to_string(),
            )
        }
        _ => EngineError::new(
            EngineErrorKind::Other,
            None,
            DisplayErrorContext(error).to_string(),
        ),
    }
}

/// What the SDK could not sign the request without: credentials or a
/// region, said in one line with how to set it (the SDK's own error, kept
/// as the source, runs to kilobytes). Nothing was sent: not retried.
fn missing_setup<E, R>(error: &SdkError<E, R>) -> Option<EngineError>
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    if !matches!(
        error,
        SdkError::ConstructionFailure(_) | SdkError::DispatchFailure(_)
    ) {
        return None;
    }
    let text = DisplayErrorContext(error).to_string().to_lowercase();
    let local =
        "or, for a local server (moto, dynoxide, DynamoDB Local), `Connection::local(endpoint)`";
    let message = if text.contains("signing region") || text.contains("no region") {
        format!("no AWS region is set: set AWS_REGION (or a profile's region), {local}")
    } else if text.contains("noidentityresolver")
        || text.contains("no identity resolver")
        || (text.contains("credentials")
            && (text.contains("failed to load")
                || text.contains("no credentials")
                || text.contains("not loaded")
                || text.contains("credentialsnotloaded")
                || text.contains("could not find")))
    {
        format!(
            "no AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE), {local}"
        )
    } else {
        return None;
    };
    Some(EngineError::new(EngineErrorKind::Other, None, message))
}

pub(super) fn build_error(error: aws_sdk_dynamodb::error::BuildError) -> EngineError {
    EngineError::new(EngineErrorKind::Validation, None, error.to_string()).with_source(error)
}

/// The SDK's copy of a value: the request keeps its own, for retries and for
/// the document that remembers what was written.
pub(super) fn to_sdk(value: &AttributeValue) -> sdk::AttributeValue {
    match value {
        AttributeValue::S(v) => sdk::AttributeValue::S(v.clone()),
        AttributeValue::N(v) => sdk::AttributeValue::N(v.clone()),
        AttributeValue::B(v) => sdk::AttributeValue::B(Blob::new(v.clone())),
        AttributeValue::Bool(v) => sdk::AttributeValue::Bool(*v),
        AttributeValue::Null => sdk::AttributeValue::Null(true),
        AttributeValue::Ss(v) => sdk::AttributeValue::Ss(v.clone()),
        AttributeValue::Ns(v) => sdk::AttributeValue::Ns(v.clone()),
        AttributeValue::Bs(v) => {
            sdk::AttributeValue::Bs(v.iter().cloned().map(Blob::new).collect())
        }
        AttributeValue::L(v) => sdk::AttributeValue::L(v.iter().map(to_sdk).collect()),
        AttributeValue::M(v) => sdk::AttributeValue::M(to_sdk_item(v)),
    }
}

pub(super) fn from_sdk(value: sdk::AttributeValue) -> Result<AttributeValue, EngineError> {
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
            let mut list = Vec::with_capacity(v.len());
            for value in v {
                list.push(from_sdk(value)?);
            }
            AttributeValue::L(list)
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

pub(super) fn to_sdk_item(item: &Item) -> HashMap<String, sdk::AttributeValue> {
    let mut sdk_item = HashMap::with_capacity(item.len());
    for (name, value) in item {
        sdk_item.insert(name.clone(), to_sdk(value));
    }
    sdk_item
}

// Sized up front: collecting through `Result` would lose the size and rehash as it grows.
/// `ReturnValuesOnConditionCheckFailure = ALL_OLD` where asked.
pub(super) fn all_old(asked: bool) -> Option<sdk::ReturnValuesOnConditionCheckFailure> {
    asked.then_some(sdk::ReturnValuesOnConditionCheckFailure::AllOld)
}

pub(super) fn from_sdk_item(
    sdk_item: HashMap<String, sdk::AttributeValue>,
) -> Result<Item, EngineError> {
    let mut item = item_with_capacity(sdk_item.len());
    for (name, value) in sdk_item {
        item.insert(name, from_sdk(value)?);
    }
    Ok(item)
}

/// An item the SDK returned, kept in the SDK's form (models decode from it
/// in place). Refused if it holds a type this crate does not know, as a
/// conversion would: such an item could not be written back as it is.
pub(super) fn stored(
    item: HashMap<String, sdk::AttributeValue>,
) -> Result<StoredItem, EngineError> {
    StoredItem::from_aws(item).map_err(|error| {
        // The error names the attribute and the type, never the value.
        let message = format!("the engine returned an item this crate cannot read: {error}");
        EngineError::new(EngineErrorKind::Other, None, message).with_source(error)
    })
}

pub(super) fn stored_items(
    items: Option<Vec<HashMap<String, sdk::AttributeValue>>>,
) -> Result<Vec<StoredItem>, EngineError> {
    items.unwrap_or_default().into_iter().map(stored).collect()
}

pub(super) fn from_sdk_items(
    items: Option<Vec<HashMap<String, sdk::AttributeValue>>>,
) -> Result<Vec<Item>, EngineError> {
    let items = items.unwrap_or_default();
    let mut converted = Vec::with_capacity(items.len());
    for item in items {
        converted.push(from_sdk_item(item)?);
    }
    Ok(converted)
}

pub(super) type Expressions = (
    Option<HashMap<String, String>>,
    Option<HashMap<String, sdk::AttributeValue>>,
);

pub(super) fn expressions(placeholders: &ExpressionAttributes) -> Expressions {
    let names = (!placeholders.names.is_empty()).then(|| placeholders.names.clone());
    let values = (!placeholders.values.is_empty()).then(|| to_sdk_item(&placeholders.values));
    (names, values)
}

pub(super) fn capacity(consumed: Option<&sdk::ConsumedCapacity>) -> Option<f64> {
    consumed.and_then(|c| c.capacity_units)
}

/// The capacity a multi-table request consumed, summed over its tables.
pub(super) fn total_capacity(consumed: Option<Vec<sdk::ConsumedCapacity>>) -> Option<f64> {
    consumed.map(|c| c.iter().filter_map(|c| c.capacity_units).sum())
}

/// The writes of a BatchWriteItem request.
pub(super) fn write_requests(
    writes: &[WriteRequest],
) -> Result<Vec<sdk::WriteRequest>, EngineError> {
    let mut requests = Vec::with_capacity(writes.len());
    for write in writes {
        requests.push(match write {
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
    Ok(requests)
}

/// The actions of a TransactWriteItems request.
pub(super) fn transact_items(
    actions: &[TransactWriteItem],
) -> Result<Vec<sdk::TransactWriteItem>, EngineError> {
    let mut items = Vec::with_capacity(actions.len());
    for action in actions {
        let item = match action {
            TransactWriteItem::Put(put) => {
                let (names, values) = expressions(&put.placeholders);
                sdk::TransactWriteItem::builder().put(
                    sdk::Put::builder()
                        .table_name(&put.table)
                        .set_item(Some(to_sdk_item(&put.item)))
                        .set_condition_expression(put.condition.clone())
                        .set_expression_attribute_names(names)
                        .set_expression_attribute_values(values)
                        .set_return_values_on_condition_check_failure(all_old(
                            put.return_values_on_condition_check_failure,
                        ))
                        .build()
                        .map_err(build_error)?,
                )
            }
            TransactWriteItem::Update(update) => {
                let (names, values) = expressions(&update.placeholders);
                sdk::TransactWriteItem::builder().update(
                    sdk::Update::builder()
                        .table_name(&update.table)
                        .set_key(Some(to_sdk_item(&update.key)))
                        .update_expression(&update.update)
                        .set_condition_expression(update.condition.clone())
                        .set_expression_attribute_names(names)
                        .set_expression_attribute_values(values)
                        .set_return_values_on_condition_check_failure(all_old(
                            update.return_values_on_condition_check_failure,
                        ))
                        .build()
                        .map_err(build_error)?,
                )
            }
            TransactWriteItem::Delete(delete) => {
                let (names, values) = expressions(&delete.placeholders);
                sdk::TransactWriteItem::builder().delete(
                    sdk::Delete::builder()
                        .table_name(&delete.table)
                        .set_key(Some(to_sdk_item(&delete.key)))
                        .set_condition_expression(delete.condition.clone())
                        .set_expression_attribute_names(names)
                        .set_expression_attribute_values(values)
                        .set_return_values_on_condition_check_failure(all_old(
                            delete.return_values_on_condition_check_failure,
                        ))
                        .build()
                        .map_err(build_error)?,
                )
            }
            TransactWriteItem::ConditionCheck(check) => {
                let (names, values) = expressions(&check.placeholders);
                sdk::TransactWriteItem::builder().condition_check(
                    sdk::ConditionCheck::builder()
                        .table_name(&check.table)
                        .set_key(Some(to_sdk_item(&check.key)))
                        .condition_expression(&check.condition)
                        .set_expression_attribute_names(names)
                        .set_expression_attribute_values(values)
                        .set_return_values_on_condition_check_failure(all_old(
                            check.return_values_on_condition_check_failure,
                        ))
                        .build()
                        .map_err(build_error)?,
                )
            }
        };
        items.push(item.build());
    }
    Ok(items)
}
