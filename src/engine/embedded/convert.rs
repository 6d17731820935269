//! Conversions between this crate's requests and values and dynoxide's.

use std::collections::HashMap;

use dynoxide::actions;
use dynoxide::types as dx;

use crate::attribute::{AttributeValue, Item};
use crate::engine::request::*;
use crate::error::{CancellationReason, EngineError, EngineErrorKind};

pub(super) fn convert_error(error: dynoxide::DynoxideError) -> EngineError {
    let code = error.error_type();
    let code = code.rsplit('#').next().unwrap_or(code);
    let reasons = match &error {
        dynoxide::DynoxideError::TransactionCanceledException(_, reasons) => reasons
            .iter()
            .map(|r| {
                CancellationReason::new(r.code.clone(), r.message.clone())
                    .with_item(r.item.clone().map(from_engine_item))
            })
            .collect(),
        _ => Vec::new(),
    };
    let item = match &error {
        dynoxide::DynoxideError::ConditionalCheckFailedException(_, item) => {
            item.clone().map(from_engine_item)
        }
        _ => None,
    };
    EngineError::from_code(code, error.to_string())
        .with_reasons(reasons)
        .with_item(item)
        .with_source(error)
}

/// dynoxide's copy of a value: the request keeps its own, for retries and
/// for the document that remembers what was written.
pub(super) fn to_engine(value: &AttributeValue) -> dx::AttributeValue {
    match value {
        AttributeValue::S(v) => dx::AttributeValue::S(v.clone()),
        AttributeValue::N(v) => dx::AttributeValue::N(v.clone()),
        AttributeValue::B(v) => dx::AttributeValue::B(v.clone()),
        AttributeValue::Bool(v) => dx::AttributeValue::BOOL(*v),
        AttributeValue::Null => dx::AttributeValue::NULL(true),
        AttributeValue::Ss(v) => dx::AttributeValue::SS(v.clone()),
        AttributeValue::Ns(v) => dx::AttributeValue::NS(v.clone()),
        AttributeValue::Bs(v) => dx::AttributeValue::BS(v.clone()),
        AttributeValue::L(v) => dx::AttributeValue::L(v.iter().map(to_engine).collect()),
        AttributeValue::M(v) => dx::AttributeValue::M(to_engine_item(v)),
    }
}

pub(super) fn from_engine(value: dx::AttributeValue) -> AttributeValue {
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

pub(super) fn to_engine_item(item: &Item) -> HashMap<String, dx::AttributeValue> {
    item.iter()
        .map(|(k, v)| (k.clone(), to_engine(v)))
        .collect()
}

/// `ReturnValuesOnConditionCheckFailure = ALL_OLD` where asked.
fn all_old(asked: bool) -> Option<String> {
    asked.then(|| "ALL_OLD".to_owned())
}

pub(super) fn from_engine_item(item: HashMap<String, dx::AttributeValue>) -> Item {
    item.into_iter().map(|(k, v)| (k, from_engine(v))).collect()
}

pub(super) type Expressions = (
    Option<HashMap<String, String>>,
    Option<HashMap<String, dx::AttributeValue>>,
);

pub(super) fn expressions(placeholders: &ExpressionAttributes) -> Expressions {
    let names = (!placeholders.names.is_empty()).then(|| placeholders.names.clone());
    let values = (!placeholders.values.is_empty()).then(|| to_engine_item(&placeholders.values));
    (names, values)
}

pub(super) fn capacity(consumed: Option<dx::ConsumedCapacity>) -> Option<f64> {
    consumed.map(|c| c.capacity_units)
}

/// The capacity a multi-table request consumed, summed over its tables.
pub(super) fn total_capacity(consumed: Option<Vec<dx::ConsumedCapacity>>) -> Option<f64> {
    consumed.map(|c| c.iter().map(|c| c.capacity_units).sum())
}

/// ReturnConsumedCapacity, when asked.
pub(super) fn total(asked: bool) -> Option<String> {
    asked.then(|| "TOTAL".to_owned())
}

/// dynoxide's unprocessed keys come as DynamoDB JSON (`{"Keys": [...]}`).
pub(super) fn unprocessed(value: Option<serde_json::Value>) -> Result<Vec<Item>, EngineError> {
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
pub(super) fn unprocessed_writes(
    value: Option<serde_json::Value>,
) -> Result<Vec<WriteRequest>, EngineError> {
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

/// The TransactWriteItems request.
pub(super) fn transact_write_request(
    input: &TransactWriteInput,
    asked: bool,
) -> actions::transact_write_items::TransactWriteItemsRequest {
    use actions::transact_write_items as tw;
    let items = input
        .actions
        .iter()
        .map(|action| {
            let mut item = tw::TransactWriteItem::default();
            match action {
                TransactWriteItem::Put(put) => {
                    let (names, values) = expressions(&put.placeholders);
                    item.put = Some(tw::TransactPut {
                        table_name: put.table.clone(),
                        item: to_engine_item(&put.item),
                        condition_expression: put.condition.clone(),
                        expression_attribute_names: names,
                        expression_attribute_values: values,
                        return_values_on_condition_check_failure: all_old(
                            put.return_values_on_condition_check_failure,
                        ),
                    });
                }
                TransactWriteItem::Update(update) => {
                    let (names, values) = expressions(&update.placeholders);
                    item.update = Some(tw::TransactUpdate {
                        table_name: update.table.clone(),
                        key: to_engine_item(&update.key),
                        update_expression: update.update.clone(),
                        condition_expression: update.condition.clone(),
                        expression_attribute_names: names,
                        expression_attribute_values: values,
                        return_values_on_condition_check_failure: all_old(
                            update.return_values_on_condition_check_failure,
                        ),
                    });
                }
                TransactWriteItem::Delete(delete) => {
                    let (names, values) = expressions(&delete.placeholders);
                    item.delete = Some(tw::TransactDelete {
                        table_name: delete.table.clone(),
                        key: to_engine_item(&delete.key),
                        condition_expression: delete.condition.clone(),
                        expression_attribute_names: names,
                        expression_attribute_values: values,
                        return_values_on_condition_check_failure: all_old(
                            delete.return_values_on_condition_check_failure,
                        ),
                    });
                }
                TransactWriteItem::ConditionCheck(check) => {
                    let (names, values) = expressions(&check.placeholders);
                    item.condition_check = Some(tw::TransactConditionCheck {
                        table_name: check.table.clone(),
                        key: to_engine_item(&check.key),
                        condition_expression: check.condition.clone(),
                        expression_attribute_names: names,
                        expression_attribute_values: values,
                        return_values_on_condition_check_failure: all_old(
                            check.return_values_on_condition_check_failure,
                        ),
                    });
                }
            }
            item
        })
        .collect();
    tw::TransactWriteItemsRequest {
        transact_items: items,
        client_request_token: input.token.clone(),
        return_consumed_capacity: total(asked),
        ..Default::default()
    }
}
