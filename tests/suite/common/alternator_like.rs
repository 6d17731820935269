//! An engine wrapper that behaves as ScyllaDB Alternator documents:
//! TransactWriteItems and TransactGetItems rejected with its error, no
//! consumed capacity on Query and Scan, and (by default) the
//! [`Capabilities::ALTERNATOR`] profile. The Alternator lane runs the suite's
//! embedded tests behind it (`DYNAMODB_MAPPER_TEST_PROFILE=alternator`).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use dynamodb_mapper::engine::request::*;
use dynamodb_mapper::engine::{Capabilities, Engine, EngineFuture, EngineWrapper};
use dynamodb_mapper::error::EngineError;

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

    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        match request.call {
            call @ (Call::TransactWriteItems(_) | Call::TransactGetItems(_)) => {
                self.transactions_sent.fetch_add(1, Ordering::SeqCst);
                Box::pin(std::future::ready(Err(unsupported(call.name()))))
            }
            Call::Query(_) | Call::Scan(_) => {
                let page = self.inner.exec(request);
                Box::pin(async move {
                    Ok(match page.await? {
                        Response::Query(page) => Response::Query(without_capacity(page)),
                        Response::Scan(page) => Response::Scan(without_capacity(page)),
                        other => other,
                    })
                })
            }
            Call::CreateTable(input) => {
                if let Ok(mut tags) = self.tags.lock() {
                    tags.extend(input.tags.iter().cloned());
                }
                self.inner.exec(request)
            }
            _ => self.inner.exec(request),
        }
    }
}

/// Alternator reports no consumed capacity on pages.
fn without_capacity(mut page: PageOutput) -> PageOutput {
    page.consumed_capacity = None;
    page
}
