//! An engine wrapper that behaves as ScyllaDB Alternator documents:
//! TransactWriteItems and TransactGetItems rejected with its error, no
//! consumed capacity on Query and Scan, and (by default) the
//! [`Capabilities::ALTERNATOR`] profile. The Alternator lane runs the suite's
//! embedded tests behind it (`DYNAMODB_MAPPER_TEST_PROFILE=alternator`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use dynamodb_mapper::engine::request::*;
use dynamodb_mapper::engine::{Capabilities, Engine, EngineFuture, EngineWrapper};
use dynamodb_mapper::EngineError;

impl AlternatorLike {
    /// `inner` behind the wrapper, saying it supports `capabilities`.
    pub fn new(inner: Arc<dyn Engine>, capabilities: Capabilities) -> Self {
        AlternatorLike {
            inner,
            capabilities,
            transactions_sent: AtomicUsize::new(0),
            tags: Mutex::new(Vec::new()),
        }
    }
}

#[derive(Debug)]
pub struct AlternatorLike {
    pub inner: Arc<dyn Engine>,
    pub capabilities: Capabilities,
    pub transactions_sent: AtomicUsize,
    pub tags: Mutex<Vec<(String, String)>>,
}

fn unsupported(operation: &str) -> EngineError {
    EngineError::from_code(
        "UnknownOperationException",
        format!("Unsupported operation {operation}"),
    )
}

impl EngineWrapper for AlternatorLike {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    fn transact_write_items<'a>(
        &'a self,
        _input: &TransactWriteInput,
    ) -> EngineFuture<'a, WriteOutput> {
        self.transactions_sent.fetch_add(1, Ordering::SeqCst);
        Box::pin(std::future::ready(Err(unsupported("TransactWriteItems"))))
    }

    fn transact_get_items<'a>(
        &'a self,
        _input: &TransactGetInput,
    ) -> EngineFuture<'a, TransactGetOutput> {
        self.transactions_sent.fetch_add(1, Ordering::SeqCst);
        Box::pin(std::future::ready(Err(unsupported("TransactGetItems"))))
    }

    fn query<'a>(&'a self, input: &QueryInput) -> EngineFuture<'a, PageOutput> {
        let page = self.inner.query(input);
        Box::pin(async move {
            let mut page = page.await?;
            page.consumed_capacity = None;
            Ok(page)
        })
    }

    fn scan<'a>(&'a self, input: &ScanInput) -> EngineFuture<'a, PageOutput> {
        let page = self.inner.scan(input);
        Box::pin(async move {
            let mut page = page.await?;
            page.consumed_capacity = None;
            Ok(page)
        })
    }

    fn create_table(&self, input: CreateTableInput) -> EngineFuture<'_, TableDescription> {
        if let Ok(mut tags) = self.tags.lock() {
            tags.extend(input.tags.iter().cloned());
        }
        self.inner.create_table(input)
    }
}
