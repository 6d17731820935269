//! A fault-injecting engine wrapper: it leaves part of every batch
//! unprocessed, as DynamoDB does under load. Everything else passes through.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use dynamodb_mapper::engine::request::*;
use dynamodb_mapper::engine::{Engine, EngineFuture};

/// Which share of each batch request the engine leaves unprocessed.
#[derive(Debug, Clone, Copy)]
pub enum Unprocessed {
    Half,
    All,
}

#[derive(Debug)]
pub struct FaultyEngine {
    pub inner: Arc<dyn Engine>,
    pub unprocessed: Unprocessed,
    pub batch_requests: AtomicUsize,
}

impl FaultyEngine {
    pub fn new(inner: Arc<dyn Engine>, unprocessed: Unprocessed) -> Self {
        FaultyEngine {
            inner,
            unprocessed,
            batch_requests: AtomicUsize::new(0),
        }
    }
}

impl Engine for FaultyEngine {
    fn name(&self) -> &'static str {
        "faulty"
    }
    fn get_item(&self, input: GetItemInput) -> EngineFuture<'_, GetItemOutput> {
        self.inner.get_item(input)
    }
    fn put_item(&self, input: PutItemInput) -> EngineFuture<'_, WriteOutput> {
        self.inner.put_item(input)
    }
    fn update_item(&self, input: UpdateItemInput) -> EngineFuture<'_, UpdateItemOutput> {
        self.inner.update_item(input)
    }
    fn delete_item(&self, input: DeleteItemInput) -> EngineFuture<'_, WriteOutput> {
        self.inner.delete_item(input)
    }
    fn batch_get_item(&self, mut input: BatchGetInput) -> EngineFuture<'_, BatchGetOutput> {
        self.batch_requests.fetch_add(1, Ordering::SeqCst);
        let keep = match self.unprocessed {
            Unprocessed::Half => input.keys.len().div_ceil(2),
            Unprocessed::All => 0,
        };
        let left = input.keys.split_off(keep);
        Box::pin(async move {
            let mut output = if input.keys.is_empty() {
                BatchGetOutput::default()
            } else {
                self.inner.batch_get_item(input).await?
            };
            output.unprocessed_keys.extend(left);
            Ok(output)
        })
    }
    fn batch_write_item(&self, mut input: BatchWriteInput) -> EngineFuture<'_, BatchWriteOutput> {
        self.batch_requests.fetch_add(1, Ordering::SeqCst);
        let keep = match self.unprocessed {
            Unprocessed::Half => input.writes.len().div_ceil(2),
            Unprocessed::All => 0,
        };
        let left = input.writes.split_off(keep);
        Box::pin(async move {
            let mut output = if input.writes.is_empty() {
                BatchWriteOutput::default()
            } else {
                self.inner.batch_write_item(input).await?
            };
            output.unprocessed.extend(left);
            Ok(output)
        })
    }
    fn transact_write_items(&self, input: TransactWriteInput) -> EngineFuture<'_, WriteOutput> {
        self.inner.transact_write_items(input)
    }
    fn transact_get_items(&self, input: TransactGetInput) -> EngineFuture<'_, TransactGetOutput> {
        self.inner.transact_get_items(input)
    }
    fn query(&self, input: QueryInput) -> EngineFuture<'_, PageOutput> {
        self.inner.query(input)
    }
    fn scan(&self, input: ScanInput) -> EngineFuture<'_, PageOutput> {
        self.inner.scan(input)
    }
    fn create_table(&self, input: CreateTableInput) -> EngineFuture<'_, TableDescription> {
        self.inner.create_table(input)
    }
    fn delete_table(&self, table: String) -> EngineFuture<'_, ()> {
        self.inner.delete_table(table)
    }
    fn enable_time_to_live(&self, table: String, attribute: String) -> EngineFuture<'_, ()> {
        self.inner.enable_time_to_live(table, attribute)
    }
    fn time_to_live(&self, table: String) -> EngineFuture<'_, Option<String>> {
        self.inner.time_to_live(table)
    }
    fn describe_table(&self, table: String) -> EngineFuture<'_, TableDescription> {
        self.inner.describe_table(table)
    }
}
