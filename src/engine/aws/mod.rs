//! The AWS engine: `aws-sdk-dynamodb`, for AWS DynamoDB and compatible endpoints.

mod calls;
mod convert;
mod quiet;
mod search;
#[cfg(feature = "aws-streams")]
mod stream;
mod table;

use aws_sdk_dynamodb::types as sdk;
use aws_sdk_dynamodb::Client;

use super::request::*;

use futures::TryFutureExt;

use super::{Capabilities, Engine, EngineFuture};
use crate::error::{EngineError, EngineErrorKind};
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
