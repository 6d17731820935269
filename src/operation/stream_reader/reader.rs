//! The stream reader: rounds over the readable shards, records decoded and
//! queued in each shard's order, positions kept, failures reported per
//! shard.

use std::collections::VecDeque;
use std::time::Duration;

use tokio::time::Instant;

use super::shards::{Shards, MAX_EMPTY_READS_CLOSED};
use super::{ChangeEvent, Changes, Checkpoint, Start};
use crate::engine::request::{
    DescribeStreamInput, DescribeTableInput, GetRecordsInput, GetShardIteratorInput, RecordsOutput,
    ShardPosition,
};
use crate::error::{EngineError, EngineErrorKind, Error};
use crate::model::change::{ChangeRecord, DecodeChange, StreamRecord, UndecodedChange};
use crate::operation::{send, RetryClass};
use crate::Connection;

/// How often a reader asks for the stream's shards when none ended (an
/// ending shard makes it ask at once).
const SHARD_REFRESH: Duration = Duration::from_secs(60);

/// The most DescribeStream pages one listing reads (100 shards a page on
/// DynamoDB): a bound on a faulty endpoint's paging.
const MAX_SHARD_PAGES: usize = 1_000;

/// Failed reads in a row after which a reader that does not follow stops
/// reading a shard (its checkpoint stays before what it did not read).
const MAX_SHARD_FAILURES: u32 = 3;

/// Reads a table's stream as `M`'s changes. Made by
/// [`Changes::reader`](super::Changes::reader).
///
/// [`next`](Self::next) is cancel-safe: a call dropped before it returns
/// (a `select!`, a timeout) loses nothing; the next call goes on.
pub struct ChangeReader<M: DecodeChange> {
    conn: Connection,
    table: String,
    start: Start,
    follow: Option<Duration>,
    page_size: Option<u32>,
    stream_arn: Option<String>,
    shards: Shards,
    pending: VecDeque<Pending<M>>,
    checkpoint: Checkpoint,
    refreshed: Option<Instant>,
    needs_refresh: bool,
    ended: bool,
}

/// What the reader holds to hand out, in order.
enum Pending<M: DecodeChange> {
    // Boxed: most of the queue is events, yet the other variants are small.
    Event(Box<ChangeEvent<M>>),
    /// A record of another entity: passed by, but its position counts.
    Passed {
        shard_id: String,
        sequence_number: String,
    },
    Failed(Error),
}

/// What one read of a shard gave.
enum Read {
    Records,
    Empty,
    Ended,
}

impl<M: DecodeChange> ChangeReader<M> {
    pub(super) fn new(options: Changes<M>) -> Self {
        let table = options.conn.table_name(M::schema().table);
        let checkpoint = match &options.start {
            Start::Resume(checkpoint) => checkpoint.clone(),
            Start::TrimHorizon | Start::Latest => Checkpoint::default(),
        };
        // Refused before anything is sent: a position that is no sequence
        // number would be read from the oldest record and never replaced.
        let mut pending = VecDeque::new();
        if let Some((shard_id, position)) = checkpoint.malformed() {
            pending.push_back(Pending::Failed(Error::InvalidCheckpoint {
                table: table.clone(),
                shard_id: shard_id.to_owned(),
                position: position.to_owned(),
            }));
        }
        let ended = !pending.is_empty();
        ChangeReader {
            conn: options.conn,
            table,
            start: options.start,
            follow: options.follow,
            page_size: options.page_size,
            stream_arn: None,
            shards: Shards::default(),
            pending,
            checkpoint,
            refreshed: None,
            needs_refresh: true,
            ended,
        }
    }

    /// Every record handed out so far (and those of other entities passed
    /// by before them): store it after processing what [`next`](Self::next)
    /// returned, and resume from it.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The next event: `None` once caught up (never, following). An `Err`
    /// is the reader's own failure, after which it goes on with what it can
    /// still read: an engine failure after its retries (the shard is asked
    /// again), [`Error::ChangesMissed`] (records trimmed before they were
    /// read), or an error that ends it (the table has no stream, the
    /// checkpoint is of another stream, the engine reads no streams).
    pub async fn next(&mut self) -> Option<Result<ChangeEvent<M>, Error>> {
        // Bounded: every round queues something, ends the reader, finishes
        // a shard (finitely many) or, caught up and following, sleeps.
        loop {
            while let Some(pending) = self.pending.pop_front() {
                match pending {
                    Pending::Event(event) => {
                        self.checkpoint
                            .commit(&event.shard_id, &event.sequence_number);
                        return Some(Ok(*event));
                    }
                    Pending::Passed {
                        shard_id,
                        sequence_number,
                    } => self.checkpoint.commit(&shard_id, &sequence_number),
                    Pending::Failed(error) => return Some(Err(error)),
                }
            }
            if self.ended {
                return None;
            }
            self.read_round().await;
        }
    }

    /// The reader as a [`Stream`](futures::Stream) of its events.
    pub fn into_stream(self) -> impl futures::Stream<Item = Result<ChangeEvent<M>, Error>> {
        futures::stream::unfold(self, |mut reader| async move {
            reader.next().await.map(|event| (event, reader))
        })
    }

    /// Asks every readable shard once; with nothing new, ends (or,
    /// following, waits for the poll interval).
    async fn read_round(&mut self) {
        let stale = self
            .refreshed
            .is_none_or(|at| at.elapsed() >= SHARD_REFRESH);
        if self.needs_refresh || stale {
            if let Err(error) = self.refresh_shards().await {
                self.fail(error);
                return self.pause().await;
            }
        }
        let readable = self.shards.readable();
        if readable.is_empty() {
            let stuck = self.shards.stuck();
            if !stuck.is_empty() {
                let error = EngineError::new(
                    EngineErrorKind::InvalidResponse,
                    None,
                    format!("shards {stuck:?} continue one another in a cycle: none can be read"),
                );
                self.ended = true;
                return self.fail(Error::engine("DescribeStream", &self.table, error));
            }
            // Every shard read: following, new ones may come.
            self.needs_refresh = true;
            return self.pause_or_end().await;
        }
        let (mut progress, mut failed) = (false, false);
        for shard_id in &readable {
            match self.read_shard(shard_id).await {
                Ok(Read::Records) => progress = true,
                Ok(Read::Ended) => {
                    // The shards that continue it may be readable now.
                    self.needs_refresh = true;
                    progress = true;
                }
                Ok(Read::Empty) => {}
                Err(error) => {
                    failed = true;
                    self.fail(error);
                }
            }
        }
        if progress {
            return;
        }
        if failed {
            return self.pause().await;
        }
        if self.shards.caught_up(&readable) {
            self.pause_or_end().await;
        }
    }

    /// Caught up: a following reader waits for the poll interval, another
    /// ends.
    async fn pause_or_end(&mut self) {
        match self.follow {
            Some(interval) => tokio::time::sleep(interval).await,
            None => self.ended = true,
        }
    }

    /// After failures: a following reader waits for the poll interval
    /// before asking again (the requests themselves were retried with
    /// backoff).
    async fn pause(&mut self) {
        if let Some(interval) = self.follow {
            tokio::time::sleep(interval).await;
        }
    }

    /// Queues a failure; one that no retry can mend ends the reader.
    fn fail(&mut self, error: Error) {
        let lasting = match &error {
            Error::Engine { source, .. } => source.kind == EngineErrorKind::Unsupported,
            Error::ChangesMissed { .. } => false,
            _ => true,
        };
        self.ended |= lasting;
        self.pending.push_back(Pending::Failed(error));
    }

    /// One GetRecords of a shard (and, after an expired iterator, one more
    /// with a new one).
    async fn read_shard(&mut self, shard_id: &str) -> Result<Read, Error> {
        for renewed in [false, true] {
            let Some(iterator) = self.iterator(shard_id).await? else {
                return Ok(self.finish(shard_id));
            };
            let (conn, table, limit) = (&self.conn, self.table.as_str(), self.page_size);
            let mut input = GetRecordsInput::new(iterator);
            input.limit = limit;
            let answer = send(conn, table, RetryClass::Read, &input).await;
            match answer {
                Ok(answer) => return self.take(shard_id, answer),
                Err(error)
                    if kind(&error) == Some(EngineErrorKind::ExpiredIterator) && !renewed =>
                {
                    if let Some(shard) = self.shards.get_mut(shard_id) {
                        shard.iterator = None;
                        // A shard read from its newest record that let its
                        // iterator expire before its first record cannot say
                        // where it was: read from the oldest kept, so that
                        // nothing is missed (older records may come).
                        if shard.position == ShardPosition::Latest {
                            shard.position = ShardPosition::TrimHorizon;
                        }
                    }
                }
                Err(error) => return Err(self.shard_failed(shard_id, error)),
            }
        }
        Ok(Read::Empty)
    }

    /// Queues an answer's records; moves the shard on.
    fn take(&mut self, shard_id: &str, answer: RecordsOutput) -> Result<Read, Error> {
        let got = answer.records.len();
        for record in answer.records {
            self.deliver(shard_id, record);
        }
        let Some(shard) = self.shards.get_mut(shard_id) else {
            return Ok(Read::Empty);
        };
        shard.failures = 0;
        shard.empty_reads = if got == 0 { shard.empty_reads + 1 } else { 0 };
        let Some(next) = answer.next_iterator else {
            return Ok(self.finish(shard_id));
        };
        shard.iterator = Some(next);
        if shard.has_children && shard.empty_reads >= MAX_EMPTY_READS_CLOSED {
            shard.finished = true;
            let after = shard.last_read().map(str::to_owned);
            let error = EngineError::new(
                EngineErrorKind::InvalidResponse,
                None,
                "a closed shard answers empty pages without end".to_owned(),
            );
            let reason = "the shard was given up".to_owned();
            return Err(self.missed(shard_id, after, reason, error));
        }
        Ok(if got == 0 { Read::Empty } else { Read::Records })
    }

    /// After a shard's failed request: trimmed records are reported and the
    /// shard read on from its oldest record; a shard no longer in the
    /// stream is reported and done; after repeated failures, a reader that
    /// does not follow gives the shard up (reported); any other failure is
    /// returned, the shard kept as it was.
    fn shard_failed(&mut self, shard_id: &str, error: Error) -> Error {
        let Some(source) = error.engine_error().cloned() else {
            return error;
        };
        let follow = self.follow.is_some();
        let Some(shard) = self.shards.get_mut(shard_id) else {
            return error;
        };
        shard.failures += 1;
        let after = shard.last_read().map(str::to_owned);
        let reason = match source.kind {
            EngineErrorKind::TrimmedData => {
                shard.iterator = None;
                shard.position = ShardPosition::TrimHorizon;
                "its records were trimmed before they were read".to_owned()
            }
            EngineErrorKind::ResourceNotFound => {
                shard.finished = true;
                "the shard is no longer in the stream".to_owned()
            }
            _ if !follow && shard.failures >= MAX_SHARD_FAILURES => {
                shard.finished = true;
                format!("the shard was given up after {MAX_SHARD_FAILURES} failed reads")
            }
            _ => return error,
        };
        self.missed(shard_id, after, reason, source)
    }

    /// [`Error::ChangesMissed`] for a shard, after its last record read (or
    /// the checkpoint's).
    fn missed(
        &self,
        shard_id: &str,
        after: Option<String>,
        reason: String,
        source: EngineError,
    ) -> Error {
        Error::ChangesMissed {
            table: self.table.clone(),
            shard_id: shard_id.to_owned(),
            after: after.or_else(|| self.checkpoint.sequence_number(shard_id).map(str::to_owned)),
            reason,
            source: Some(Box::new(source)),
        }
    }

    /// Marks a shard read to its end.
    fn finish(&mut self, shard_id: &str) -> Read {
        if let Some(shard) = self.shards.get_mut(shard_id) {
            shard.finished = true;
            shard.iterator = None;
        }
        Read::Ended
    }

    /// The shard's iterator, asked for if it has none; `None` when the
    /// shard has nothing left.
    async fn iterator(&mut self, shard_id: &str) -> Result<Option<String>, Error> {
        let Some(shard) = self.shards.get(shard_id) else {
            return Ok(None);
        };
        if let Some(iterator) = &shard.iterator {
            return Ok(Some(iterator.clone()));
        }
        let (Some(arn), position) = (self.stream_arn.clone(), shard.position.clone()) else {
            return Ok(None);
        };
        let (conn, table) = (&self.conn, self.table.as_str());
        let input = GetShardIteratorInput::new(arn, shard_id, position);
        let iterator = send(conn, table, RetryClass::Read, &input)
            .await
            .map_err(|error| self.shard_failed(shard_id, error))?;
        if let Some(shard) = self.shards.get_mut(shard_id) {
            shard.iterator.clone_from(&iterator);
        }
        Ok(iterator)
    }

    /// Decodes a record into the queue; positions move on as records come.
    fn deliver(&mut self, shard_id: &str, record: StreamRecord) {
        let sequence_number = record.sequence_number.clone();
        if let Some(shard) = self.shards.get_mut(shard_id) {
            if shard.already_read(&sequence_number) {
                return;
            }
            // An expired iterator is asked for again from here.
            shard.position = ShardPosition::AfterSequenceNumber(sequence_number.clone());
        }
        if !ChangeRecord::<M>::concerns(&record) {
            self.pending.push_back(Pending::Passed {
                shard_id: shard_id.to_owned(),
                sequence_number,
            });
            return;
        }
        let change = match ChangeRecord::<M>::from_record(record.clone()) {
            Ok(change) => Ok(change),
            Err(error) => Err(UndecodedChange { record, error }),
        };
        self.pending.push_back(Pending::Event(Box::new(ChangeEvent {
            shard_id: shard_id.to_owned(),
            sequence_number,
            change,
        })));
    }

    /// Reads the stream's shards (every page) and takes the listing; only
    /// a complete listing changes anything, so a failed or dropped one is
    /// asked again.
    async fn refresh_shards(&mut self) -> Result<(), Error> {
        let arn = match &self.stream_arn {
            Some(arn) => arn.clone(),
            None => self.find_stream().await?,
        };
        let mut listed = Vec::new();
        let mut start: Option<String> = None;
        let mut complete = false;
        for _ in 0..MAX_SHARD_PAGES {
            let (conn, table) = (&self.conn, self.table.as_str());
            let mut input = DescribeStreamInput::new(arn.clone());
            input.exclusive_start_shard_id.clone_from(&start);
            let page = send(conn, table, RetryClass::Read, &input).await?;
            listed.extend(page.shards);
            match page.last_evaluated_shard_id {
                Some(next) if Some(&next) != start.as_ref() => start = Some(next),
                Some(_) => break,
                None => {
                    complete = true;
                    break;
                }
            }
        }
        if !complete {
            let error = EngineError::new(
                EngineErrorKind::InvalidResponse,
                None,
                "DescribeStream's pages of shards do not end".to_owned(),
            );
            return Err(Error::engine("DescribeStream", &self.table, error));
        }
        let gone = self.shards.update(&listed, &self.start);
        for (shard_id, after) in gone {
            self.pending
                .push_back(Pending::Failed(Error::ChangesMissed {
                    table: self.table.clone(),
                    shard_id,
                    after: Some(after),
                    reason: "the checkpoint's shard is no longer in the stream (trimmed)"
                        .to_owned(),
                    source: None,
                }));
        }
        self.refreshed = Some(Instant::now());
        self.needs_refresh = false;
        Ok(())
    }

    /// The table's latest stream, checked against a resumed checkpoint's.
    async fn find_stream(&mut self) -> Result<String, Error> {
        let model = M::schema().model;
        // An engine that reads no streams (an `aws` engine without a
        // streams client) is refused before the first request.
        if !self.conn.engine().capabilities().streams {
            return Err(Error::Unsupported {
                model,
                needs: "a table's stream (DescribeStream, GetShardIterator, GetRecords)",
                engine: crate::operation::native_transaction::engine_label(&self.conn),
                alternative: "on the aws engine, enable feature aws-streams and build it with AwsEngine::from_env or .with_streams(client); the embedded engine reads streams".to_owned(),
            });
        }
        let (conn, table) = (&self.conn, self.table.clone());
        let input = DescribeTableInput::new(table.clone());
        let description = send(conn, &table, RetryClass::Read, &input).await?;
        let arn = description
            .latest_stream_arn
            .ok_or_else(|| Error::InvalidRequest {
                model,
                reason: format!(
                    "table {table:?} has no stream to read: declare one with `stream = \"..\"` on the model and create the table with it"
                ),
            })?;
        if let Some(held) = self.checkpoint.stream_arn() {
            if held != arn {
                return Err(Error::InvalidRequest {
                    model,
                    reason: format!(
                        "the checkpoint is of stream {held:?}, and table {table:?}'s stream is now {arn:?}: its records are not the checkpoint's"
                    ),
                });
            }
        }
        self.checkpoint.set_stream(&arn);
        self.stream_arn = Some(arn.clone());
        Ok(arn)
    }
}

/// The engine's kind of failure, if the engine failed.
fn kind(error: &Error) -> Option<EngineErrorKind> {
    error.engine_error().map(|e| e.kind)
}
