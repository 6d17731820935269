//! The AWS engine: `aws-sdk-dynamodb`, for AWS DynamoDB and compatible endpoints.

mod convert;
mod quiet;
mod search;
#[cfg(feature = "aws-streams")]
mod stream;
mod table;

use aws_sdk_dynamodb::types as sdk;
use aws_sdk_dynamodb::Client;

use super::request::*;
use std::future::Future;

use futures::TryFutureExt;

use super::{Capabilities, Engine, EngineFuture};
use crate::error::{CancellationReason, EngineError, EngineErrorKind};
use convert::*;

/// Whether a request asks for the consumed capacity, as the SDK says it.
type Capacity = Option<sdk::ReturnConsumedCapacity>;

/// An item as the SDK's attribute values, to call the SDK (or serde_dynamo,
/// which `aws_lambda_events` uses) with what the mapper encodes.
///
/// ```
/// use dynamodb_mapper::engine::{item_from_sdk, item_to_sdk};
/// use dynamodb_mapper::{AttributeValue, Item};
///
/// let item = Item::from_iter([("n".to_string(), AttributeValue::N("1.50".into()))]);
/// assert_eq!(item_from_sdk(item_to_sdk(&item)).unwrap(), item);
/// ```
pub fn item_to_sdk(
    item: &crate::Item,
) -> std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue> {
    convert::to_sdk_item(item)
}

/// An item from the SDK's attribute values; a value of a type this crate
/// does not know (one a newer SDK added) is a typed error.
pub fn item_from_sdk(
    item: std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>,
) -> Result<crate::Item, crate::attribute::ValueError> {
    convert::from_sdk_item(item)
        .map_err(|e| crate::attribute::ValueError::invalid("an SDK attribute value", e.to_string()))
}

/// How long [`AwsEngine::detect`] waits for the endpoint's answer.
const DETECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// DynamoDB through `aws-sdk-dynamodb`: AWS itself, or any compatible endpoint
/// (`AWS_ENDPOINT_URL`), such as ScyllaDB Alternator or a local emulator.
#[derive(Debug, Clone)]
pub struct AwsEngine {
    client: Client,
    #[cfg(feature = "aws-streams")]
    streams: Option<aws_sdk_dynamodbstreams::Client>,
    capabilities: Capabilities,
}

impl AwsEngine {
    /// An engine over a configured SDK client.
    ///
    /// The client keeps its configuration except for retries, which the
    /// connection's [`RetryPolicy`](crate::operation::RetryPolicy) does alone:
    /// the SDK's own retries would resend a write whose answer was lost (a
    /// conditional write could then report a conflict with itself) and
    /// multiply the policy's attempts.
    pub fn new(client: Client) -> Self {
        let config = client
            .config()
            .to_builder()
            .retry_config(aws_sdk_dynamodb::config::retry::RetryConfig::disabled())
            .build();
        AwsEngine {
            client: Client::from_conf(config),
            #[cfg(feature = "aws-streams")]
            streams: None,
            capabilities: Capabilities::DYNAMODB,
        }
    }

    /// The same engine reading tables' streams through `streams` (feature
    /// `aws-streams`), configured for the same endpoint as the table
    /// client; its retries are turned off as the table client's.
    #[cfg(feature = "aws-streams")]
    pub fn with_streams(mut self, streams: aws_sdk_dynamodbstreams::Client) -> Self {
        self.streams = Some(stream::without_retries(streams));
        self
    }

    /// For an endpoint without native transactions: operations that need
    /// them refuse before writing anything, instead of failing halfway.
    pub fn without_native_transactions(mut self) -> Self {
        self.capabilities = self.capabilities.without_native_transactions();
        self
    }

    /// For an endpoint that supports what `capabilities` says (streams also
    /// need a streams client). It replaces what earlier calls set
    /// (`without_native_transactions`).
    pub fn with_capabilities(mut self, capabilities: Capabilities) -> Self {
        self.capabilities = capabilities;
        self
    }

    /// For ScyllaDB Alternator ([`Capabilities::ALTERNATOR`]): native
    /// transactions and unique attributes refused before sending (the
    /// application-level `Transaction` works), the tables the mapper creates
    /// tagged for isolated conditional writes, consumed capacity optional.
    pub fn alternator(self) -> Self {
        self.with_capabilities(Capabilities::ALTERNATOR)
    }

    /// Asks the endpoint whether it has native transactions: one
    /// TransactGetItems of no item, which DynamoDB (and dynoxide, and moto)
    /// refuses as invalid or answers empty, and ScyllaDB Alternator refuses
    /// as an unsupported operation. An endpoint without them gets
    /// [`Capabilities::ALTERNATOR`] (the one such target this crate names;
    /// set other capabilities with [`with_capabilities`](Self::with_capabilities));
    /// otherwise the capabilities stay. Nothing is read or written. An
    /// endpoint that cannot be reached is an error.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), dynamodb_mapper::error::EngineError> {
    /// use dynamodb_mapper::engine::AwsEngine;
    /// use dynamodb_mapper::Connection;
    ///
    /// let conn = Connection::new(AwsEngine::from_env().await.detect().await?);
    /// # Ok(()) }
    /// ```
    pub async fn detect(self) -> Result<Self, EngineError> {
        let probe = self
            .client
            .transact_get_items()
            .set_transact_items(Some(Vec::new()))
            .send();
        let error = match tokio::time::timeout(DETECT_TIMEOUT, probe).await {
            Ok(Ok(_)) => return Ok(self),
            Ok(Err(error)) => convert_error(error),
            Err(_) => {
                return Err(EngineError::new(
                    EngineErrorKind::Timeout,
                    None,
                    format!("the endpoint did not answer within {DETECT_TIMEOUT:?}"),
                ))
            }
        };
        let unsupported = error.code.as_deref() == Some("UnknownOperationException")
            || error
                .message
                .to_ascii_lowercase()
                .contains("unsupported operation");
        if unsupported {
            tracing::debug!(target: "dynamodb_mapper::engine", %error, "no native transactions: the ScyllaDB Alternator profile");
            return Ok(self.alternator());
        }
        match error.kind {
            // Refused as invalid: the endpoint knows the operation.
            EngineErrorKind::Validation => Ok(self),
            _ if error.code.is_some() && !error.is_retryable() => Ok(self),
            _ => Err(error),
        }
    }

    /// An engine configured from the standard AWS chain: environment,
    /// profile, IMDS; `AWS_ENDPOINT_URL` selects another endpoint. With
    /// feature `aws-streams` it reads streams through a DynamoDB Streams
    /// client of the same configuration.
    pub async fn from_env() -> Self {
        let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        let engine = AwsEngine::new(Client::new(&config));
        #[cfg(feature = "aws-streams")]
        let engine = engine.with_streams(aws_sdk_dynamodbstreams::Client::new(&config));
        engine
    }

    /// An engine for a DynamoDB-compatible server at `endpoint` (moto,
    /// dynoxide's server, DynamoDB Local, a local Alternator): the region
    /// and credentials come from the environment when set (`AWS_REGION`,
    /// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`), else `us-east-1` and
    /// test credentials, which such servers accept. With feature
    /// `aws-streams`, streams are read from the same endpoint.
    pub fn local(endpoint: &str) -> Self {
        use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let region = Region::new(var("AWS_REGION").unwrap_or_else(|| "us-east-1".to_owned()));
        let credentials = match (var("AWS_ACCESS_KEY_ID"), var("AWS_SECRET_ACCESS_KEY")) {
            (Some(id), Some(secret)) => {
                Credentials::new(id, secret, var("AWS_SESSION_TOKEN"), None, "environment")
            }
            _ => Credentials::new("local", "local", None, None, "dynamodb-mapper local"),
        };
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(region.clone())
            .endpoint_url(endpoint)
            .credentials_provider(credentials.clone())
            .build();
        let engine = AwsEngine::new(Client::from_conf(config));
        #[cfg(feature = "aws-streams")]
        let engine = engine.with_streams(aws_sdk_dynamodbstreams::Client::from_conf(
            aws_sdk_dynamodbstreams::Config::builder()
                .behavior_version(aws_sdk_dynamodbstreams::config::BehaviorVersion::latest())
                .region(aws_sdk_dynamodbstreams::config::Region::new(
                    region.to_string(),
                ))
                .endpoint_url(endpoint)
                .credentials_provider(credentials)
                .build(),
        ));
        engine
    }

    /// The SDK client (with the SDK's retries turned off).
    pub fn client(&self) -> &Client {
        &self.client
    }
}

impl Engine for AwsEngine {
    fn name(&self) -> &'static str {
        "aws"
    }

    fn capabilities(&self) -> Capabilities {
        // Streams are read through the streams client, when there is one.
        #[cfg(feature = "aws-streams")]
        let streams = self.streams.is_some();
        #[cfg(not(feature = "aws-streams"))]
        let streams = false;
        if streams {
            self.capabilities
        } else {
            self.capabilities.without_streams()
        }
    }

    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        let asked = request
            .return_consumed_capacity
            .then_some(sdk::ReturnConsumedCapacity::Total);
        match request.call {
            Call::GetItem(input) => Box::pin(self.get_item(input, asked).map_ok(Response::GetItem)),
            Call::PutItem(input) => Box::pin(self.put_item(input, asked).map_ok(Response::PutItem)),
            Call::UpdateItem(input) => {
                Box::pin(self.update_item(input, asked).map_ok(Response::UpdateItem))
            }
            Call::DeleteItem(input) => {
                Box::pin(self.delete_item(input, asked).map_ok(Response::DeleteItem))
            }
            Call::BatchGetItem(input) => Box::pin(
                self.batch_get_item(input, asked)
                    .map_ok(Response::BatchGetItem),
            ),
            Call::BatchWriteItem(input) => Box::pin(
                self.batch_write_item(input, asked)
                    .map_ok(Response::BatchWriteItem),
            ),
            Call::TransactWriteItems(input) => Box::pin(
                self.transact_write_items(input, asked)
                    .map_ok(Response::TransactWriteItems),
            ),
            Call::TransactGetItems(input) => Box::pin(
                self.transact_get_items(input, asked)
                    .map_ok(Response::TransactGetItems),
            ),
            Call::Query(input) => Box::pin(self.query(input, asked).map_ok(Response::Query)),
            Call::Scan(input) => Box::pin(self.scan(input, asked).map_ok(Response::Scan)),
            Call::SearchVectors(input) => Box::pin(
                self.search_vectors(input, asked)
                    .map_ok(Response::SearchVectors),
            ),
            Call::CreateTable(input) => Box::pin(
                quiet::quiet(table::create_table(&self.client, input.clone()))
                    .map_ok(Response::CreateTable),
            ),
            Call::DeleteTable(input) => {
                Box::pin(self.delete_table(input).map_ok(Response::DeleteTable))
            }
            Call::DescribeTable(input) => {
                Box::pin(self.describe_table(input).map_ok(Response::DescribeTable))
            }
            Call::UpdateTimeToLive(input) => Box::pin(
                self.update_time_to_live(input)
                    .map_ok(Response::UpdateTimeToLive),
            ),
            Call::DescribeTimeToLive(input) => Box::pin(
                self.describe_time_to_live(input)
                    .map_ok(Response::DescribeTimeToLive),
            ),
            #[cfg(feature = "aws-streams")]
            Call::DescribeStream(input) => match &self.streams {
                Some(client) => {
                    Box::pin(stream::describe(client, input).map_ok(Response::DescribeStream))
                }
                None => Box::pin(std::future::ready(Err(stream::no_client(request.call)))),
            },
            #[cfg(feature = "aws-streams")]
            Call::GetShardIterator(input) => match &self.streams {
                Some(client) => {
                    Box::pin(stream::iterator(client, input).map_ok(Response::GetShardIterator))
                }
                None => Box::pin(std::future::ready(Err(stream::no_client(request.call)))),
            },
            #[cfg(feature = "aws-streams")]
            Call::GetRecords(input) => match &self.streams {
                Some(client) => {
                    Box::pin(stream::records(client, input).map_ok(Response::GetRecords))
                }
                None => Box::pin(std::future::ready(Err(stream::no_client(request.call)))),
            },
            #[cfg(not(feature = "aws-streams"))]
            call @ (Call::DescribeStream(_) | Call::GetShardIterator(_) | Call::GetRecords(_)) => {
                Box::pin(std::future::ready(Err(super::unsupported(
                    self.name(),
                    call,
                ))))
            }
        }
    }
}

/// One method a call: each builds its SDK request now, from the borrowed
/// input, and sends it when awaited.
impl AwsEngine {
    fn get_item<'a>(
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

    fn put_item<'a>(
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

    fn update_item<'a>(
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

    fn delete_item<'a>(
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

    fn batch_get_item<'a>(
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

    fn batch_write_item<'a>(
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

    fn transact_write_items<'a>(
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

    fn transact_get_items<'a>(
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

    fn query<'a>(
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

    fn scan<'a>(
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

    fn delete_table<'a>(
        &'a self,
        input: &DeleteTableInput,
    ) -> impl Future<Output = Result<(), EngineError>> + Send + 'a {
        let request = self.client.delete_table().table_name(&input.table);
        quiet::quiet(async move {
            request.send().await.map_err(convert_error)?;
            Ok(())
        })
    }

    fn update_time_to_live<'a>(
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

    fn describe_time_to_live<'a>(
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

    fn describe_table<'a>(
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
