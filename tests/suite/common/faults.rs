//! A fault-injecting engine wrapper: it leaves part of every batch
//! unprocessed, as DynamoDB does under load, throttles single requests, and
//! drops the connection of a chosen query page. Everything else passes through.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use dynamodb_mapper::error::{EngineError, EngineErrorKind};

use dynamodb_mapper::engine::request::*;
use dynamodb_mapper::engine::{Engine, EngineFuture, EngineWrapper};

/// Which share of each batch request the engine leaves unprocessed.
#[derive(Debug, Clone, Copy)]
pub enum Unprocessed {
    None,
    Half,
    All,
}

#[derive(Debug)]
pub struct FaultyEngine {
    pub inner: Arc<dyn Engine>,
    pub unprocessed: Unprocessed,
    pub batch_requests: AtomicUsize,
    /// How many of the next single-item requests are throttled.
    pub throttles: AtomicUsize,
    /// Single-item requests seen (throttled or not).
    pub single_requests: AtomicUsize,
    /// Which query/scan request (1 = the first) loses its connection; 0 = none.
    pub drop_page: AtomicUsize,
    /// Query and scan requests seen.
    pub page_requests: AtomicUsize,
    /// Whether writes lose their connection (after being applied).
    pub drop_writes: std::sync::atomic::AtomicBool,
    /// Another program's put, applied right after the next put whose answer
    /// is lost (before the writer can look).
    pub interloper: std::sync::Mutex<Option<PutItemInput>>,
}

impl FaultyEngine {
    pub fn new(inner: Arc<dyn Engine>, unprocessed: Unprocessed) -> Self {
        FaultyEngine {
            inner,
            unprocessed,
            batch_requests: AtomicUsize::new(0),
            throttles: AtomicUsize::new(0),
            single_requests: AtomicUsize::new(0),
            drop_page: AtomicUsize::new(0),
            page_requests: AtomicUsize::new(0),
            drop_writes: std::sync::atomic::AtomicBool::new(false),
            interloper: std::sync::Mutex::new(None),
        }
    }

    /// Throttles this request if throttles are left.
    fn throttled(&self) -> Option<EngineError> {
        self.single_requests.fetch_add(1, Ordering::SeqCst);
        self.throttles
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .ok()
            .map(|_| {
                EngineError::new(
                    EngineErrorKind::Throttled,
                    Some("ThrottlingException".into()),
                    "slow down",
                )
            })
    }

    /// The write, applied; with `drop_writes` set, the interloper's put
    /// (if any) applied after it and its answer lost.
    fn lost_after_interloper<'a>(
        &'a self,
        write: EngineFuture<'a, Response>,
    ) -> EngineFuture<'a, Response> {
        Box::pin(async move {
            let output = write.await?;
            if !self.drop_writes.load(Ordering::SeqCst) {
                return Ok(output);
            }
            let interloper = self.interloper.lock().expect("not poisoned").take();
            if let Some(other) = interloper {
                self.inner.send(&other).await?;
            }
            Err(EngineError::new(
                EngineErrorKind::Transport,
                None,
                "connection reset by peer",
            ))
        })
    }

    /// How many of `len` requests of a batch the engine processes.
    fn kept(&self, len: usize) -> usize {
        self.batch_requests.fetch_add(1, Ordering::SeqCst);
        match self.unprocessed {
            Unprocessed::None => len,
            Unprocessed::Half => len.div_ceil(2),
            Unprocessed::All => 0,
        }
    }

    fn batch_get<'a>(&'a self, input: &BatchGetInput) -> EngineFuture<'a, Response> {
        let mut kept = input.clone();
        let left = kept.keys.split_off(self.kept(input.keys.len()));
        Box::pin(async move {
            let mut output = match kept.keys.is_empty() {
                false => self.inner.send(&kept).await?,
                true => BatchGetOutput::default(),
            };
            output.unprocessed_keys.extend(left);
            Ok(Response::BatchGetItem(output))
        })
    }

    fn batch_write<'a>(&'a self, input: &BatchWriteInput) -> EngineFuture<'a, Response> {
        let mut kept = input.clone();
        let left = kept.writes.split_off(self.kept(input.writes.len()));
        Box::pin(async move {
            let mut output = match kept.writes.is_empty() {
                false => self.inner.send(&kept).await?,
                true => BatchWriteOutput::default(),
            };
            output.unprocessed.extend(left);
            Ok(Response::BatchWriteItem(output))
        })
    }

    /// Drops this page request's connection if it is the chosen one.
    fn dropped(&self) -> Option<EngineError> {
        let number = self.page_requests.fetch_add(1, Ordering::SeqCst) + 1;
        (number == self.drop_page.load(Ordering::SeqCst))
            .then(|| EngineError::new(EngineErrorKind::Transport, None, "connection reset by peer"))
    }
}

impl EngineWrapper for FaultyEngine {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }
    fn name(&self) -> &'static str {
        "faulty"
    }
    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        let fault = match request.call {
            Call::GetItem(_) | Call::PutItem(_) => self.throttled(),
            Call::Query(_) => self.dropped(),
            _ => None,
        };
        if let Some(error) = fault {
            return Box::pin(std::future::ready(Err(error)));
        }
        match request.call {
            Call::PutItem(_) | Call::UpdateItem(_) => {
                self.lost_after_interloper(self.inner.exec(request))
            }
            Call::BatchGetItem(input) => self.batch_get(input),
            Call::BatchWriteItem(input) => self.batch_write(input),
            _ => self.inner.exec(request),
        }
    }
}
