//! A fault-injecting engine wrapper: it leaves part of every batch
//! unprocessed, as DynamoDB does under load, throttles single requests, and
//! drops the connection of a chosen query page. Everything else passes through.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use dynamodb_mapper::{EngineError, EngineErrorKind};

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

    /// The write, applied; its answer lost when `drop_writes` is set.
    fn maybe_lost<'a, T: Send + 'a>(&'a self, write: EngineFuture<'a, T>) -> EngineFuture<'a, T> {
        Box::pin(async move {
            let output = write.await?;
            if self.drop_writes.load(Ordering::SeqCst) {
                return Err(EngineError::new(
                    EngineErrorKind::Transport,
                    None,
                    "connection reset by peer",
                ));
            }
            Ok(output)
        })
    }

    /// The write, applied; with `drop_writes` set, the interloper's put
    /// (if any) applied after it and its answer lost.
    fn lost_after_interloper<'a, T: Send + 'a>(
        &'a self,
        write: EngineFuture<'a, T>,
    ) -> EngineFuture<'a, T> {
        Box::pin(async move {
            let output = write.await?;
            if !self.drop_writes.load(Ordering::SeqCst) {
                return Ok(output);
            }
            let interloper = self.interloper.lock().expect("not poisoned").take();
            if let Some(other) = interloper {
                self.inner.put_item(&other).await?;
            }
            Err(EngineError::new(
                EngineErrorKind::Transport,
                None,
                "connection reset by peer",
            ))
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
    fn get_item<'a>(&'a self, input: &GetItemInput) -> EngineFuture<'a, GetItemOutput> {
        match self.throttled() {
            Some(error) => Box::pin(std::future::ready(Err(error))),
            None => self.inner.get_item(input),
        }
    }
    fn put_item<'a>(&'a self, input: &PutItemInput) -> EngineFuture<'a, WriteOutput> {
        if let Some(error) = self.throttled() {
            return Box::pin(std::future::ready(Err(error)));
        }
        self.lost_after_interloper(self.inner.put_item(input))
    }
    fn update_item<'a>(&'a self, input: &UpdateItemInput) -> EngineFuture<'a, UpdateItemOutput> {
        self.lost_after_interloper(self.inner.update_item(input))
    }
    fn batch_get_item<'a>(&'a self, input: &BatchGetInput) -> EngineFuture<'a, BatchGetOutput> {
        self.batch_requests.fetch_add(1, Ordering::SeqCst);
        let keep = match self.unprocessed {
            Unprocessed::None => input.keys.len(),
            Unprocessed::Half => input.keys.len().div_ceil(2),
            Unprocessed::All => 0,
        };
        let mut kept = input.clone();
        let left = kept.keys.split_off(keep);
        let sent = (!kept.keys.is_empty()).then(|| self.inner.batch_get_item(&kept));
        Box::pin(async move {
            let mut output = match sent {
                Some(sent) => sent.await?,
                None => BatchGetOutput::default(),
            };
            output.unprocessed_keys.extend(left);
            Ok(output)
        })
    }
    fn batch_write_item<'a>(
        &'a self,
        input: &BatchWriteInput,
    ) -> EngineFuture<'a, BatchWriteOutput> {
        self.batch_requests.fetch_add(1, Ordering::SeqCst);
        let keep = match self.unprocessed {
            Unprocessed::None => input.writes.len(),
            Unprocessed::Half => input.writes.len().div_ceil(2),
            Unprocessed::All => 0,
        };
        let mut kept = input.clone();
        let left = kept.writes.split_off(keep);
        let sent = (!kept.writes.is_empty()).then(|| self.inner.batch_write_item(&kept));
        Box::pin(async move {
            let mut output = match sent {
                Some(sent) => sent.await?,
                None => BatchWriteOutput::default(),
            };
            output.unprocessed.extend(left);
            Ok(output)
        })
    }
    fn query<'a>(&'a self, input: &QueryInput) -> EngineFuture<'a, PageOutput> {
        match self.dropped() {
            Some(error) => Box::pin(std::future::ready(Err(error))),
            None => self.inner.query(input),
        }
    }
}
