//! [`BatchGet`]: many objects by primary key, as a lazy stream.

use std::collections::HashSet;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};

use super::{item_key, send, RetryClass};
use crate::attribute::Item;
use crate::engine::request::BatchGetInput;
use crate::error::{Error, Unfinished};
use crate::model::{Document, KeyIdentity, Model};
use crate::Connection;

impl Connection {
    /// Gets many objects by primary key, as a stream. Any number of keys:
    /// they are sent in batches of at most 100, duplicates once, and
    /// unprocessed keys are retried with backoff. Keys with no item are skipped.
    pub fn get_batch<M: Model>(&self, keys: impl IntoIterator<Item = M::Key>) -> BatchGet<M> {
        BatchGet::new(self.clone(), keys.into_iter().collect())
    }
}

/// DynamoDB's limit of keys per BatchGetItem request.
pub const MAX_KEYS_PER_REQUEST: usize = 100;

/// A batch get; a [`Stream`] of the documents found, in no particular order.
/// Built by [`Connection::get_batch`].
#[must_use = "a batch get does nothing until its stream is polled"]
pub struct BatchGet<M: Model> {
    conn: Connection,
    keys: Vec<M::Key>,
    consistent_read: bool,
    concurrency: usize,
    stream: Option<BoxStream<'static, Result<Document<M>, Error>>>,
}

impl<M: Model> BatchGet<M> {
    pub(crate) fn new(conn: Connection, keys: Vec<M::Key>) -> Self {
        BatchGet {
            conn,
            keys,
            consistent_read: false,
            concurrency: super::DEFAULT_BATCH_CONCURRENCY,
            stream: None,
        }
    }

    /// Reads with strong consistency (the original always read eventually consistent).
    pub fn consistent_read(mut self) -> Self {
        self.consistent_read = true;
        self
    }

    /// Sends up to `requests` requests of 100 keys at once (at least 1; by
    /// default [`DEFAULT_BATCH_CONCURRENCY`](super::DEFAULT_BATCH_CONCURRENCY)).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    fn start(&mut self) -> Result<BoxStream<'static, Result<Document<M>, Error>>, Error> {
        // DynamoDB refuses a request with a key twice; ask for each key once.
        let mut seen = HashSet::with_capacity(self.keys.len());
        let mut keys = Vec::with_capacity(self.keys.len());
        for key in self.keys.drain(..) {
            let item = M::key_item(&key)?;
            crate::model::auto_increment::refuse_counter_key::<M>(&item)?;
            if seen.insert(KeyIdentity::of::<M>(&item)) {
                keys.push(item);
            }
        }
        let chunks: Vec<Vec<Item>> = keys
            .chunks(MAX_KEYS_PER_REQUEST)
            .map(<[Item]>::to_vec)
            .collect();
        let conn = self.conn.clone();
        let table = conn.table_name(M::SCHEMA.table);
        let consistent_read = self.consistent_read;
        let concurrency = self.concurrency;
        Ok(stream::iter(chunks)
            .map(move |chunk| fetch_chunk::<M>(conn.clone(), table.clone(), chunk, consistent_read))
            .buffer_unordered(concurrency)
            .map_ok(|items| stream::iter(items.into_iter().map(Document::<M>::from_stored)))
            .try_flatten()
            .boxed())
    }
}

/// Gets one chunk of keys, retrying unprocessed keys with backoff.
pub(crate) async fn fetch_chunk<M: Model>(
    conn: Connection,
    table: String,
    mut keys: Vec<Item>,
    consistent_read: bool,
) -> Result<Vec<crate::attribute::StoredItem>, Error> {
    let policy = *conn.retry_policy();
    let mut found = Vec::with_capacity(keys.len());
    let mut attempts = 0;
    while !keys.is_empty() {
        if attempts > 0 {
            tokio::time::sleep(policy.backoff(attempts)).await;
        }
        if attempts >= policy.max_attempts.max(1) {
            return Err(Error::RetriesExhausted {
                operation: "BatchGetItem",
                model: M::SCHEMA.model,
                table,
                attempts,
                unfinished: Box::new(Unfinished::Reads {
                    done: found.len(),
                    unprocessed: keys.iter().map(item_key::<M>).collect(),
                }),
            });
        }
        attempts += 1;
        let input = BatchGetInput {
            table: table.clone(),
            keys: std::mem::take(&mut keys),
            consistent_read,
        };
        let output = send(&conn, &table, RetryClass::Read, &input).await?;
        found.extend(output.items);
        keys = output.unprocessed_keys;
    }
    Ok(found)
}

// The stream is boxed and no field is ever pinned in place.
impl<M: Model> Unpin for BatchGet<M> {}

impl<M: Model> Stream for BatchGet<M> {
    type Item = Result<Document<M>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let stream = match &mut this.stream {
            Some(stream) => stream,
            None => {
                let stream = this
                    .start()
                    .unwrap_or_else(|error| stream::once(std::future::ready(Err(error))).boxed());
                this.stream.insert(stream)
            }
        };
        stream.poll_next_unpin(cx)
    }
}
