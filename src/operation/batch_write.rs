//! [`BatchWrite`]: saving or deleting any number of objects in batches.

use std::collections::{HashMap, HashSet};
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use futures::stream::{self, StreamExt};
use tokio::time::Instant;

use super::call::send_until;
use super::{item_key, RetryClass};
use crate::attribute::{item_size, Item};
use crate::engine::request::{BatchWriteInput, WriteRequest};
use crate::error::{Error, Leftover, Unfinished};
use crate::model::{KeyIdentity, Model};
use crate::Connection;

impl Connection {
    /// Saves (puts) any number of objects, unconditionally, in batches of 25.
    ///
    /// A versioned model's objects are stored at their next version, as a
    /// save of a new object stores them (version 1 for an object at 0); the
    /// objects themselves are not changed.
    pub fn save_batch<'m, M: Model>(
        &self,
        models: impl IntoIterator<Item = &'m M>,
    ) -> BatchWrite<M> {
        let writes = models.into_iter().map(super::plan::batch::put).collect();
        BatchWrite::new(self.clone(), writes)
    }

    /// Deletes the items with these keys, unconditionally, in batches of 25.
    pub fn delete_batch<M: Model>(&self, keys: impl IntoIterator<Item = M::Key>) -> BatchWrite<M> {
        let writes = keys
            .into_iter()
            .map(|key| super::plan::batch::delete::<M>(&key))
            .collect();
        BatchWrite::new(self.clone(), writes)
    }
}

/// DynamoDB's limit of writes per BatchWriteItem request.
pub const MAX_WRITES_PER_REQUEST: usize = 25;
/// DynamoDB's limit of bytes per BatchWriteItem request.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;
/// DynamoDB's limit of bytes per item.
pub const MAX_ITEM_BYTES: usize = 400 * 1024;

/// What a finished batch write did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchWriteReport {
    /// Writes done.
    pub written: usize,
    /// Requests sent.
    pub requests: usize,
}

/// Requests a batch save, delete or get sends at once unless told otherwise
/// (`concurrency`). A request costs a round trip (milliseconds against
/// DynamoDB) while the service works on many at once: at 5 ms a call, 8 in
/// flight write 10,000 items about 60 times faster than single saves
/// (BENCHMARKS.md, the "at 5 ms" rows). Requests in flight end in no
/// particular order; a batch's result accounts for every one of them. A
/// paced connection ([`Connection::with_capacity_limit`]) holds their
/// average to its limit, but up to this many may start at once (each is
/// charged when its answer comes): lower it for a small provisioned
/// throughput. Dropping an unfinished batch leaves up to this many requests'
/// writes (25 each) of unknown outcome, unreported; a batch get buffers up
/// to this many answers (16 MB each at most).
pub const DEFAULT_BATCH_CONCURRENCY: usize = 8;

/// A pending batch save or delete; `.await` it. Built by
/// [`Connection::save_batch`] and [`Connection::delete_batch`].
///
/// Writes go in requests of at most 25 writes and 16 MB; a key twice or an
/// item over 400 KB is refused before anything is sent; unprocessed writes are
/// retried with bounded backoff; what is still left after that is returned in
/// [`Error::RetriesExhausted`] ([`Unfinished::Writes`]), never dropped.
#[must_use = "a batch write does nothing until awaited"]
pub struct BatchWrite<M: Model> {
    conn: Connection,
    writes: Result<Vec<WriteRequest>, Error>,
    concurrency: usize,
    progress: Option<super::ProgressFn>,
    model: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> BatchWrite<M> {
    pub(crate) fn new(conn: Connection, writes: Result<Vec<WriteRequest>, Error>) -> Self {
        BatchWrite {
            conn,
            writes,
            concurrency: DEFAULT_BATCH_CONCURRENCY,
            progress: None,
            model: std::marker::PhantomData,
        }
    }

    /// Calls `report` with the number of writes done so far (of how many),
    /// at most once a second ([`PROGRESS_INTERVAL`](super::PROGRESS_INTERVAL))
    /// and once at the end, whatever the outcome; each report is also a
    /// tracing event (`dynamodb_mapper::progress`, INFO). Writes whose answer
    /// was lost are not counted, though they may have been applied.
    pub fn on_progress(
        mut self,
        report: impl Fn(&super::Progress) + Send + Sync + 'static,
    ) -> Self {
        self.progress = Some(std::sync::Arc::new(report));
        self
    }

    /// Sends up to `requests` requests at once (at least 1; by default
    /// [`DEFAULT_BATCH_CONCURRENCY`]). One request at a time writes in the
    /// order given, chunk after chunk.
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    async fn run(mut self) -> Result<BatchWriteReport, Error> {
        let total = self.writes.as_ref().map_or(0, Vec::len) as u64;
        let progress = self.progress.take().map(|report| {
            super::Reporter::new(report, "BatchWriteItem", M::SCHEMA.model, Some(total))
        });
        let result = self.write(progress.as_ref()).await;
        if let Some(progress) = &progress {
            // Written counts what is known done: a request whose answer was
            // lost adds nothing, though it may have been applied.
            progress.finish();
        }
        result
    }

    async fn write(self, progress: Option<&super::Reporter>) -> Result<BatchWriteReport, Error> {
        let writes = self.writes?;
        let chunks = chunk::<M>(writes)?;
        let table = self.conn.table_name(M::SCHEMA.table);
        let requests = chunks.len();
        let results: Vec<Result<ChunkOutcome, Error>> = stream::iter(chunks)
            .map(|chunk| write_chunk::<M>(&self.conn, &table, chunk))
            .buffer_unordered(self.concurrency)
            .inspect(|result| {
                if let (Some(progress), Ok(outcome)) = (progress, result) {
                    progress.add(outcome.written as u64);
                }
            })
            .collect()
            .await;
        let mut written = 0;
        let mut leftovers = Vec::new();
        let mut uncertain = Vec::new();
        let mut attempts = 0;
        let mut refusal = None;
        for result in results {
            let outcome = result?;
            written += outcome.written;
            attempts = attempts.max(outcome.attempts);
            leftovers.extend(outcome.leftovers);
            uncertain.extend(outcome.uncertain);
            if refusal.is_none() {
                refusal = outcome.refusal;
            }
        }
        // A request refused outright (nothing of it applied) is the error
        // itself when nothing else happened; when other requests wrote, or
        // may have, the caller needs the whole account: the refused writes
        // are among the leftovers (the refusal is logged).
        if let Some(error) = refusal {
            if written == 0 && uncertain.is_empty() {
                return Err(error);
            }
            tracing::warn!(
                target: "dynamodb_mapper::batch",
                model = M::SCHEMA.model,
                %error,
                "a batch write request was refused; its writes are returned as unprocessed"
            );
        }
        if !leftovers.is_empty() || !uncertain.is_empty() {
            leftovers.sort_by_key(|l| l.position);
            uncertain.sort_by_key(|l| l.position);
            return Err(Error::RetriesExhausted {
                operation: "BatchWriteItem",
                model: M::SCHEMA.model,
                table,
                attempts,
                unfinished: Box::new(Unfinished::Writes {
                    done: written,
                    unprocessed: leftovers,
                    uncertain,
                }),
            });
        }
        Ok(BatchWriteReport { written, requests })
    }
}

fn write_item(write: &WriteRequest) -> &Item {
    match write {
        WriteRequest::Put(item) | WriteRequest::Delete(item) => item,
    }
}

/// Positions the writes, refuses duplicates and oversized items, and cuts
/// them into requests.
fn chunk<M: Model>(writes: Vec<WriteRequest>) -> Result<Vec<Vec<(usize, WriteRequest)>>, Error> {
    let mut seen = HashMap::with_capacity(writes.len());
    let mut chunks: Vec<Vec<(usize, WriteRequest)>> = Vec::new();
    let mut bytes = 0;
    for (position, write) in writes.into_iter().enumerate() {
        let item = match &write {
            WriteRequest::Put(item) | WriteRequest::Delete(item) => item,
        };
        let size = item_size(item);
        if size > MAX_ITEM_BYTES {
            return Err(Error::ItemTooLarge {
                model: M::SCHEMA.model,
                key: item_key::<M>(item),
                size,
            });
        }
        if seen.insert(KeyIdentity::of::<M>(item), position).is_some() {
            return Err(Error::DuplicateKey {
                model: M::SCHEMA.model,
                key: item_key::<M>(item),
            });
        }
        let full = chunks
            .last()
            .is_none_or(|c| c.len() == MAX_WRITES_PER_REQUEST || bytes + size > MAX_REQUEST_BYTES);
        if full {
            chunks.push(Vec::with_capacity(MAX_WRITES_PER_REQUEST));
            bytes = 0;
        }
        bytes += size;
        if let Some(current) = chunks.last_mut() {
            current.push((position, write));
        }
    }
    Ok(chunks)
}

struct ChunkOutcome {
    written: usize,
    leftovers: Vec<Leftover>,
    /// Writes sent whose answer was lost for good: maybe done.
    uncertain: Vec<Leftover>,
    attempts: u32,
    /// Why the chunk stopped, if a request was refused (not applied):
    /// throttled beyond its retries, invalid. Its writes are in `leftovers`.
    refusal: Option<Error>,
}

/// Writes one request's worth, retrying unprocessed writes with backoff,
/// within one operation timeout.
async fn write_chunk<M: Model>(
    conn: &Connection,
    table: &str,
    chunk: Vec<(usize, WriteRequest)>,
) -> Result<ChunkOutcome, Error> {
    let policy = *conn.retry_policy();
    let mut deadline = Instant::now() + conn.timeouts().operation_timeout();
    let positions: HashMap<KeyIdentity, usize> = chunk
        .iter()
        .map(|(position, write)| (KeyIdentity::of::<M>(write_item(write)), *position))
        .collect();
    let leftover = |write: &WriteRequest| Leftover {
        position: positions
            .get(&KeyIdentity::of::<M>(write_item(write)))
            .copied()
            .unwrap_or(usize::MAX),
        key: item_key::<M>(write_item(write)),
    };
    let total = chunk.len();
    let mut pending: Vec<WriteRequest> = chunk.into_iter().map(|(_, write)| write).collect();
    let mut uncertain = Vec::new();
    let mut attempts = 0;
    let mut refusal = None;
    while !pending.is_empty() && attempts < policy.max_attempts.max(1) {
        if attempts > 0 {
            tokio::time::sleep(policy.backoff(attempts)).await;
        }
        attempts += 1;
        let input = BatchWriteInput {
            table: table.to_owned(),
            writes: std::mem::take(&mut pending),
        };
        // Unconditional puts and deletes do the same when repeated.
        let sent = send_until(conn, table, RetryClass::Safe, &mut deadline, &input);
        match sent.await {
            Ok(output) => {
                // Only what was sent can be left unprocessed, once.
                let mut left = HashSet::with_capacity(output.unprocessed.len());
                pending = output
                    .unprocessed
                    .into_iter()
                    .filter(|w| {
                        let key = KeyIdentity::of::<M>(write_item(w));
                        positions.contains_key(&key) && left.insert(key)
                    })
                    .collect();
            }
            Err(Error::Engine { source, .. }) if source.may_have_applied() => {
                uncertain = input.writes.iter().map(leftover).collect();
                break;
            }
            // Refused: nothing of this request was applied. The other
            // requests in flight go on; this one's writes are left over.
            Err(other) => {
                pending = input.writes;
                refusal = Some(other);
                break;
            }
        }
        if Instant::now() >= deadline {
            break;
        }
    }
    let leftovers: Vec<Leftover> = pending.iter().map(leftover).collect();
    Ok(ChunkOutcome {
        written: total.saturating_sub(leftovers.len() + uncertain.len()),
        leftovers,
        uncertain,
        attempts,
        refusal,
    })
}

impl<M: Model> IntoFuture for BatchWrite<M> {
    type Output = Result<BatchWriteReport, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
