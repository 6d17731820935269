//! Engines: what executes requests. The mapper builds engine-neutral requests
//! ([`request`]) and hands them to an [`Engine`]:
//!
//! - [`EmbeddedEngine`] (feature `embedded`): the dynoxide SQLite-backed
//!   DynamoDB engine, in memory or in a file, in this process;
//! - [`AwsEngine`] (feature `aws`): `aws-sdk-dynamodb`, for AWS DynamoDB or any
//!   compatible endpoint.
//!
//! To wrap one (for metrics, fault injection, ...), implement
//! [`EngineWrapper`]: the inner engine and the methods that change; the
//! others forward to the inner engine.

#[cfg(feature = "aws")]
mod aws;
mod capabilities;
#[cfg(feature = "embedded")]
mod embedded;
pub mod pacing;
pub mod request;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

#[cfg(feature = "aws")]
pub use aws::{item_from_sdk, item_to_sdk, AwsEngine};
#[cfg(feature = "embedded")]
pub use embedded::EmbeddedEngine;

pub use capabilities::{Capabilities, WRITE_ISOLATION_TAG};
pub(crate) use pacing::Paced;
pub use pacing::{CapacityKind, CapacityLimit, Pacer, PacingStats};

use crate::error::EngineError;
use request::*;

/// Whether to ask the engine for consumed capacity: only for a paced
/// request, or when the operation spans that record it are enabled, as the
/// answer costs the engine work.
// Used by the engines; a build without any has none.
#[cfg_attr(not(any(feature = "embedded", feature = "aws")), allow(dead_code))]
pub(crate) fn capacity_wanted() -> bool {
    ASKING_CAPACITY.with(std::cell::Cell::get)
        || tracing::enabled!(target: "dynamodb_mapper::operation", tracing::Level::DEBUG)
}

thread_local! {
    /// Set while a [`Paced`] engine builds its inner engine's request: the
    /// engines build their requests when called, on the caller's thread.
    static ASKING_CAPACITY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Calls `build` (an engine method) so that the request it builds asks for
/// the consumed capacity.
pub(crate) fn asking_capacity<T>(build: impl FnOnce() -> T) -> T {
    /// Puts the flag back, even if `build` panics.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            ASKING_CAPACITY.with(|asking| asking.set(self.0));
        }
    }
    let _restore = Restore(ASKING_CAPACITY.with(|asking| asking.replace(true)));
    build()
}

/// The future an engine returns.
pub type EngineFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, EngineError>> + Send + 'a>>;

/// Executes DynamoDB requests. Object-safe, so a connection holds any engine.
///
/// Requests are borrowed: an engine reads what it sends when called, and its
/// future borrows only the engine. The caller keeps the request, to send it
/// again after a retryable error and to remember the item it wrote.
pub trait Engine: fmt::Debug + Send + Sync + 'static {
    /// A short name for logs (`embedded`, `aws`).
    fn name(&self) -> &'static str;
    /// GetItem.
    fn get_item<'a>(&'a self, input: &GetItemInput) -> EngineFuture<'a, GetItemOutput>;
    /// PutItem.
    fn put_item<'a>(&'a self, input: &PutItemInput) -> EngineFuture<'a, WriteOutput>;
    /// UpdateItem.
    fn update_item<'a>(&'a self, input: &UpdateItemInput) -> EngineFuture<'a, UpdateItemOutput>;
    /// DeleteItem.
    fn delete_item<'a>(&'a self, input: &DeleteItemInput) -> EngineFuture<'a, WriteOutput>;
    /// BatchGetItem on one table.
    fn batch_get_item<'a>(&'a self, input: &BatchGetInput) -> EngineFuture<'a, BatchGetOutput>;
    /// BatchWriteItem on one table.
    fn batch_write_item<'a>(
        &'a self,
        input: &BatchWriteInput,
    ) -> EngineFuture<'a, BatchWriteOutput>;
    /// TransactWriteItems.
    fn transact_write_items<'a>(
        &'a self,
        input: &TransactWriteInput,
    ) -> EngineFuture<'a, WriteOutput>;
    /// TransactGetItems.
    fn transact_get_items<'a>(
        &'a self,
        input: &TransactGetInput,
    ) -> EngineFuture<'a, TransactGetOutput>;
    /// Query: one page.
    fn query<'a>(&'a self, input: &QueryInput) -> EngineFuture<'a, PageOutput>;
    /// Scan: one page.
    fn scan<'a>(&'a self, input: &ScanInput) -> EngineFuture<'a, PageOutput>;
    /// CreateTable.
    fn create_table(&self, input: CreateTableInput) -> EngineFuture<'_, TableDescription>;
    /// DeleteTable.
    fn delete_table(&self, table: String) -> EngineFuture<'_, ()>;
    /// UpdateTimeToLive: enables expiry by `attribute` (epoch seconds).
    fn enable_time_to_live(&self, table: String, attribute: String) -> EngineFuture<'_, ()>;
    /// DescribeTimeToLive: the attribute, when expiry is enabled.
    fn time_to_live(&self, table: String) -> EngineFuture<'_, Option<String>>;
    /// DescribeTable.
    fn describe_table(&self, table: String) -> EngineFuture<'_, TableDescription>;
    /// DescribeStream: one page of a stream's shards, from after
    /// `exclusive_start_shard_id`. By default: unsupported.
    fn describe_stream(
        &self,
        stream_arn: String,
        exclusive_start_shard_id: Option<String>,
    ) -> EngineFuture<'_, StreamDescription> {
        let _ = (stream_arn, exclusive_start_shard_id);
        unsupported(self.name(), "DescribeStream")
    }
    /// GetShardIterator: where to read a shard from; `None` when there is
    /// nothing to read (a closed shard read to its end). By default:
    /// unsupported.
    fn shard_iterator(
        &self,
        stream_arn: String,
        shard_id: String,
        position: ShardPosition,
    ) -> EngineFuture<'_, Option<String>> {
        let _ = (stream_arn, shard_id, position);
        unsupported(self.name(), "GetShardIterator")
    }
    /// GetRecords: the next records of a shard, at most `limit`. By
    /// default: unsupported.
    fn get_records(&self, iterator: String, limit: Option<u32>) -> EngineFuture<'_, RecordsOutput> {
        let _ = (iterator, limit);
        unsupported(self.name(), "GetRecords")
    }
    /// What the engine supports beyond single-item requests, queries and
    /// scans (by default everything, as DynamoDB). Operations that need
    /// what it lacks (native transactions, unique attributes) refuse before
    /// sending anything.
    fn capabilities(&self) -> Capabilities {
        Capabilities::DYNAMODB
    }
}

/// An engine that wraps another: implement [`inner`](Self::inner) and the
/// methods whose behaviour changes; every other method forwards to the inner
/// engine (`name` too), and the wrapper is an [`Engine`]. A method added to
/// [`Engine`] later gets a forwarding default here too, so wrappers keep
/// compiling.
///
/// A wrapper counting puts:
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
///
/// use dynamodb_mapper::engine::request::{PutItemInput, WriteOutput};
/// use dynamodb_mapper::engine::{EmbeddedEngine, Engine, EngineFuture, EngineWrapper};
/// use dynamodb_mapper::{Connection, Document, Model};
///
/// #[derive(Debug)]
/// struct CountPuts<E> {
///     inner: E,
///     puts: AtomicUsize,
/// }
///
/// impl<E: Engine> EngineWrapper for CountPuts<E> {
///     fn inner(&self) -> &dyn Engine {
///         &self.inner
///     }
///     fn put_item<'a>(&'a self, input: &PutItemInput) -> EngineFuture<'a, WriteOutput> {
///         self.puts.fetch_add(1, Ordering::Relaxed);
///         self.inner.put_item(input)
///     }
/// }
///
/// #[derive(Model, Debug, Clone, Default)]
/// #[dynamodb(table = "notes", hash_key = "id")]
/// struct Note {
///     id: String,
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let engine = Arc::new(CountPuts { inner: EmbeddedEngine::memory()?, puts: AtomicUsize::new(0) });
/// let conn = Connection::from_arc(engine.clone());
/// conn.create_table::<Note>().await?; // forwarded
/// conn.save(&mut Document::new(Note { id: "n1".into() })).await?;
/// assert_eq!(engine.puts.load(Ordering::Relaxed), 1);
/// # Ok(()) }
/// ```
///
/// A type that implements `EngineWrapper` has both traits' methods, so a
/// direct call on it is ambiguous: call it through a `Connection` or an
/// `Arc<dyn Engine>`, or name the trait (`Engine::get_item(&wrapper, &input)`).
pub trait EngineWrapper: fmt::Debug + Send + Sync + 'static {
    /// The wrapped engine, which every method not overridden calls.
    fn inner(&self) -> &dyn Engine;

    /// [`Engine::name`]; by default the inner engine's.
    fn name(&self) -> &'static str {
        self.inner().name()
    }
    /// [`Engine::capabilities`]; by default the inner engine's.
    fn capabilities(&self) -> Capabilities {
        self.inner().capabilities()
    }
    /// [`Engine::get_item`]; by default the inner engine's.
    fn get_item<'a>(&'a self, input: &GetItemInput) -> EngineFuture<'a, GetItemOutput> {
        self.inner().get_item(input)
    }
    /// [`Engine::put_item`]; by default the inner engine's.
    fn put_item<'a>(&'a self, input: &PutItemInput) -> EngineFuture<'a, WriteOutput> {
        self.inner().put_item(input)
    }
    /// [`Engine::update_item`]; by default the inner engine's.
    fn update_item<'a>(&'a self, input: &UpdateItemInput) -> EngineFuture<'a, UpdateItemOutput> {
        self.inner().update_item(input)
    }
    /// [`Engine::delete_item`]; by default the inner engine's.
    fn delete_item<'a>(&'a self, input: &DeleteItemInput) -> EngineFuture<'a, WriteOutput> {
        self.inner().delete_item(input)
    }
    /// [`Engine::batch_get_item`]; by default the inner engine's.
    fn batch_get_item<'a>(&'a self, input: &BatchGetInput) -> EngineFuture<'a, BatchGetOutput> {
        self.inner().batch_get_item(input)
    }
    /// [`Engine::batch_write_item`]; by default the inner engine's.
    fn batch_write_item<'a>(
        &'a self,
        input: &BatchWriteInput,
    ) -> EngineFuture<'a, BatchWriteOutput> {
        self.inner().batch_write_item(input)
    }
    /// [`Engine::transact_write_items`]; by default the inner engine's.
    fn transact_write_items<'a>(
        &'a self,
        input: &TransactWriteInput,
    ) -> EngineFuture<'a, WriteOutput> {
        self.inner().transact_write_items(input)
    }
    /// [`Engine::transact_get_items`]; by default the inner engine's.
    fn transact_get_items<'a>(
        &'a self,
        input: &TransactGetInput,
    ) -> EngineFuture<'a, TransactGetOutput> {
        self.inner().transact_get_items(input)
    }
    /// [`Engine::query`]; by default the inner engine's.
    fn query<'a>(&'a self, input: &QueryInput) -> EngineFuture<'a, PageOutput> {
        self.inner().query(input)
    }
    /// [`Engine::scan`]; by default the inner engine's.
    fn scan<'a>(&'a self, input: &ScanInput) -> EngineFuture<'a, PageOutput> {
        self.inner().scan(input)
    }
    /// [`Engine::create_table`]; by default the inner engine's.
    fn create_table(&self, input: CreateTableInput) -> EngineFuture<'_, TableDescription> {
        self.inner().create_table(input)
    }
    /// [`Engine::delete_table`]; by default the inner engine's.
    fn delete_table(&self, table: String) -> EngineFuture<'_, ()> {
        self.inner().delete_table(table)
    }
    /// [`Engine::enable_time_to_live`]; by default the inner engine's.
    fn enable_time_to_live(&self, table: String, attribute: String) -> EngineFuture<'_, ()> {
        self.inner().enable_time_to_live(table, attribute)
    }
    /// [`Engine::time_to_live`]; by default the inner engine's.
    fn time_to_live(&self, table: String) -> EngineFuture<'_, Option<String>> {
        self.inner().time_to_live(table)
    }
    /// [`Engine::describe_table`]; by default the inner engine's.
    fn describe_table(&self, table: String) -> EngineFuture<'_, TableDescription> {
        self.inner().describe_table(table)
    }
    /// [`Engine::describe_stream`]; by default the inner engine's.
    fn describe_stream(
        &self,
        stream_arn: String,
        exclusive_start_shard_id: Option<String>,
    ) -> EngineFuture<'_, StreamDescription> {
        self.inner()
            .describe_stream(stream_arn, exclusive_start_shard_id)
    }
    /// [`Engine::shard_iterator`]; by default the inner engine's.
    fn shard_iterator(
        &self,
        stream_arn: String,
        shard_id: String,
        position: ShardPosition,
    ) -> EngineFuture<'_, Option<String>> {
        self.inner().shard_iterator(stream_arn, shard_id, position)
    }
    /// [`Engine::get_records`]; by default the inner engine's.
    fn get_records(&self, iterator: String, limit: Option<u32>) -> EngineFuture<'_, RecordsOutput> {
        self.inner().get_records(iterator, limit)
    }
}

/// Every wrapper is an engine: each call goes to the wrapper's method, its
/// own or the forwarding default.
impl<W: EngineWrapper> Engine for W {
    fn name(&self) -> &'static str {
        EngineWrapper::name(self)
    }
    fn capabilities(&self) -> Capabilities {
        EngineWrapper::capabilities(self)
    }
    fn get_item<'a>(&'a self, input: &GetItemInput) -> EngineFuture<'a, GetItemOutput> {
        EngineWrapper::get_item(self, input)
    }
    fn put_item<'a>(&'a self, input: &PutItemInput) -> EngineFuture<'a, WriteOutput> {
        EngineWrapper::put_item(self, input)
    }
    fn update_item<'a>(&'a self, input: &UpdateItemInput) -> EngineFuture<'a, UpdateItemOutput> {
        EngineWrapper::update_item(self, input)
    }
    fn delete_item<'a>(&'a self, input: &DeleteItemInput) -> EngineFuture<'a, WriteOutput> {
        EngineWrapper::delete_item(self, input)
    }
    fn batch_get_item<'a>(&'a self, input: &BatchGetInput) -> EngineFuture<'a, BatchGetOutput> {
        EngineWrapper::batch_get_item(self, input)
    }
    fn batch_write_item<'a>(
        &'a self,
        input: &BatchWriteInput,
    ) -> EngineFuture<'a, BatchWriteOutput> {
        EngineWrapper::batch_write_item(self, input)
    }
    fn transact_write_items<'a>(
        &'a self,
        input: &TransactWriteInput,
    ) -> EngineFuture<'a, WriteOutput> {
        EngineWrapper::transact_write_items(self, input)
    }
    fn transact_get_items<'a>(
        &'a self,
        input: &TransactGetInput,
    ) -> EngineFuture<'a, TransactGetOutput> {
        EngineWrapper::transact_get_items(self, input)
    }
    fn query<'a>(&'a self, input: &QueryInput) -> EngineFuture<'a, PageOutput> {
        EngineWrapper::query(self, input)
    }
    fn scan<'a>(&'a self, input: &ScanInput) -> EngineFuture<'a, PageOutput> {
        EngineWrapper::scan(self, input)
    }
    fn create_table(&self, input: CreateTableInput) -> EngineFuture<'_, TableDescription> {
        EngineWrapper::create_table(self, input)
    }
    fn delete_table(&self, table: String) -> EngineFuture<'_, ()> {
        EngineWrapper::delete_table(self, table)
    }
    fn enable_time_to_live(&self, table: String, attribute: String) -> EngineFuture<'_, ()> {
        EngineWrapper::enable_time_to_live(self, table, attribute)
    }
    fn time_to_live(&self, table: String) -> EngineFuture<'_, Option<String>> {
        EngineWrapper::time_to_live(self, table)
    }
    fn describe_table(&self, table: String) -> EngineFuture<'_, TableDescription> {
        EngineWrapper::describe_table(self, table)
    }
    fn describe_stream(
        &self,
        stream_arn: String,
        exclusive_start_shard_id: Option<String>,
    ) -> EngineFuture<'_, StreamDescription> {
        EngineWrapper::describe_stream(self, stream_arn, exclusive_start_shard_id)
    }
    fn shard_iterator(
        &self,
        stream_arn: String,
        shard_id: String,
        position: ShardPosition,
    ) -> EngineFuture<'_, Option<String>> {
        EngineWrapper::shard_iterator(self, stream_arn, shard_id, position)
    }
    fn get_records(&self, iterator: String, limit: Option<u32>) -> EngineFuture<'_, RecordsOutput> {
        EngineWrapper::get_records(self, iterator, limit)
    }
}

/// The answer of an engine that does not implement `operation`.
fn unsupported<T: Send + 'static>(engine: &str, operation: &str) -> EngineFuture<'static, T> {
    let error = EngineError::new(
        crate::error::EngineErrorKind::Unsupported,
        Some("UnknownOperationException".to_owned()),
        format!("the {engine} engine does not implement {operation}"),
    );
    Box::pin(std::future::ready(Err(error)))
}
