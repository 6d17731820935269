//! A table's stream through `aws-sdk-dynamodbstreams` (feature
//! `aws-streams`): DynamoDB Streams, or any endpoint serving its API.

use std::collections::HashMap;

use aws_sdk_dynamodbstreams::types as streams;
use aws_sdk_dynamodbstreams::Client;

use super::convert::convert_error;
use super::quiet;
use crate::attribute::{AttributeValue, Item};
use crate::engine::request::*;
use crate::error::{EngineError, EngineErrorKind};
use crate::model::change::{change_time, ChangeKind, UserIdentity};
use crate::model::StreamView;
use std::future::Future;

/// A streams client like the table client: retries off (the connection's
/// policy retries), the rest of its configuration kept.
pub(super) fn without_retries(client: Client) -> Client {
    let config = client
        .config()
        .to_builder()
        .retry_config(aws_sdk_dynamodbstreams::config::retry::RetryConfig::disabled())
        .build();
    Client::from_conf(config)
}

/// The error of an engine made without a streams client.
pub(super) fn no_client(call: Call<'_>) -> EngineError {
    EngineError::new(
        EngineErrorKind::Unsupported,
        Some("UnknownOperationException".to_owned()),
        format!(
            "{}: this aws engine has no DynamoDB Streams client; make it with \
             AwsEngine::from_env, or add one with AwsEngine::with_streams",
            call.name()
        ),
    )
}

pub(super) fn describe(
    client: &Client,
    input: &DescribeStreamInput,
) -> impl Future<Output = Result<StreamDescription, EngineError>> + Send + 'static {
    let request = client
        .describe_stream()
        .stream_arn(&input.stream_arn)
        .set_exclusive_start_shard_id(input.exclusive_start_shard_id.clone());
    quiet::quiet(async move {
        let output = request.send().await.map_err(convert_error)?;
        let description = output
            .stream_description
            .ok_or_else(|| invalid("DescribeStream answered no stream description".to_owned()))?;
        let shards = description
            .shards
            .unwrap_or_default()
            .into_iter()
            .map(|shard| {
                let range = shard.sequence_number_range;
                StreamShard {
                    shard_id: shard.shard_id.unwrap_or_default(),
                    parent_shard_id: shard.parent_shard_id,
                    starting_sequence_number: range
                        .as_ref()
                        .and_then(|r| r.starting_sequence_number.clone()),
                    ending_sequence_number: range.and_then(|r| r.ending_sequence_number),
                }
            })
            .collect();
        Ok(StreamDescription {
            stream_arn: description.stream_arn.unwrap_or_default(),
            view: description
                .stream_view_type
                .and_then(|view| StreamView::parse(view.as_str())),
            status: description
                .stream_status
                .map(|status| status.as_str().to_owned())
                .unwrap_or_default(),
            shards,
            last_evaluated_shard_id: description.last_evaluated_shard_id,
        })
    })
}

pub(super) fn iterator(
    client: &Client,
    input: &GetShardIteratorInput,
) -> impl Future<Output = Result<Option<String>, EngineError>> + Send + 'static {
    let position = &input.position;
    let request = client
        .get_shard_iterator()
        .stream_arn(&input.stream_arn)
        .shard_id(&input.shard_id)
        .shard_iterator_type(streams::ShardIteratorType::from(position.iterator_type()))
        .set_sequence_number(position.sequence_number().map(str::to_owned));
    quiet::quiet(async move {
        let output = request.send().await.map_err(convert_error)?;
        Ok(output.shard_iterator)
    })
}

pub(super) fn records(
    client: &Client,
    input: &GetRecordsInput,
) -> impl Future<Output = Result<RecordsOutput, EngineError>> + Send + 'static {
    let request = client
        .get_records()
        .shard_iterator(&input.iterator)
        .set_limit(input.limit.map(|l| l.min(i32::MAX as u32) as i32));
    quiet::quiet(async move {
        let output = request.send().await.map_err(convert_error)?;
        let records = output
            .records
            .unwrap_or_default()
            .into_iter()
            .map(record)
            .collect::<Result<_, _>>()?;
        Ok(RecordsOutput::new(records, output.next_shard_iterator))
    })
}

fn record(raw: streams::Record) -> Result<StreamRecord, EngineError> {
    let kind = raw
        .event_name
        .as_ref()
        .and_then(|name| ChangeKind::parse(name.as_str()))
        .ok_or_else(|| invalid(format!("a stream record of event {:?}", raw.event_name)))?;
    let data = raw
        .dynamodb
        .ok_or_else(|| invalid("a stream record without its change (dynamodb)".to_owned()))?;
    let mut record = StreamRecord::new(
        raw.event_id.unwrap_or_default(),
        kind,
        data.keys.map(item).transpose()?.unwrap_or_default(),
        data.sequence_number.unwrap_or_default(),
    );
    record.new_image = data.new_image.map(item).transpose()?;
    record.old_image = data.old_image.map(item).transpose()?;
    record.size_bytes = data.size_bytes.and_then(|size| u64::try_from(size).ok());
    record.view = data
        .stream_view_type
        .and_then(|view| StreamView::parse(view.as_str()));
    record.approximate_creation = data
        .approximate_creation_date_time
        .and_then(|time| change_time(time.as_secs_f64()));
    record.user_identity = raw.user_identity.map(|identity| UserIdentity {
        identity_type: identity.r#type.unwrap_or_default(),
        principal_id: identity.principal_id.unwrap_or_default(),
    });
    Ok(record)
}

fn item(values: HashMap<String, streams::AttributeValue>) -> Result<Item, EngineError> {
    let mut item = crate::attribute::item_with_capacity(values.len());
    for (name, value) in values {
        item.insert(name, value_of(value)?);
    }
    Ok(item)
}

fn value_of(value: streams::AttributeValue) -> Result<AttributeValue, EngineError> {
    use streams::AttributeValue as V;
    Ok(match value {
        V::S(v) => AttributeValue::S(v),
        V::N(v) => AttributeValue::N(v),
        V::B(v) => AttributeValue::B(v.into_inner()),
        V::Bool(v) => AttributeValue::Bool(v),
        V::Null(_) => AttributeValue::Null,
        V::Ss(v) => AttributeValue::Ss(v),
        V::Ns(v) => AttributeValue::Ns(v),
        V::Bs(v) => AttributeValue::Bs(v.into_iter().map(|b| b.into_inner()).collect()),
        V::L(v) => AttributeValue::L(v.into_iter().map(value_of).collect::<Result<_, _>>()?),
        V::M(v) => AttributeValue::M(item(v)?),
        other => {
            return Err(invalid(format!(
                "a stream record holds an attribute type this SDK does not know: {other:?}"
            )))
        }
    })
}

fn invalid(message: String) -> EngineError {
    EngineError::new(EngineErrorKind::InvalidResponse, None, message)
}
