//! Engines: what executes requests. The mapper builds engine-neutral requests
//! ([`request`]) and hands them to an [`Engine`]:
//!
//! - [`EmbeddedEngine`] (feature `embedded`): the dynoxide SQLite-backed
//!   DynamoDB engine, in memory or in a file, in this process;
//! - [`AwsEngine`] (feature `aws`): `aws-sdk-dynamodb`, for AWS DynamoDB or any
//!   compatible endpoint.
//!
//! Implement [`Engine`] to wrap one (for fault injection, metrics, ...).

#[cfg(feature = "aws")]
mod aws;
#[cfg(feature = "embedded")]
mod embedded;
pub mod request;

use std::fmt;
use std::future::Future;
use std::pin::Pin;

#[cfg(feature = "aws")]
pub use aws::AwsEngine;
#[cfg(feature = "embedded")]
pub use embedded::EmbeddedEngine;

use crate::error::EngineError;
use request::*;

/// Whether to ask the engine for consumed capacity: only when the operation
/// spans that record it are enabled, as the answer costs the engine work.
// Used by the engines; a build without any has none.
#[cfg_attr(not(any(feature = "embedded", feature = "aws")), allow(dead_code))]
pub(crate) fn capacity_wanted() -> bool {
    tracing::enabled!(target: "dynamodb_mapper::operation", tracing::Level::DEBUG)
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
}
