//! The stream reader: shards in order, parents before children, records
//! decoded, positions kept.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

use super::{ChangeEvent, Changes, Checkpoint, Start};
use crate::engine::request::{ShardPosition, StreamShard};
use crate::error::{EngineErrorKind, Error};
use crate::model::change::{ChangeRecord, DecodeChange, StreamRecord, UndecodedChange};
use crate::operation::{call_retrying, Repeat};
use crate::Connection;

/// How often a following reader asks for the stream's shards when none
/// ended (an ending shard makes it ask at once).
const SHARD_REFRESH: Duration = Duration::from_secs(60);

/// The most DescribeStream pages one refresh reads (100 shards a page on
/// DynamoDB): a bound on a faulty endpoint's paging.
const MAX_SHARD_PAGES: usize = 1_000;

/// Reads a table's stream as `M`'s changes. Made by
/// [`Changes::reader`](super::Changes::reader).
pub struct ChangeReader<M: DecodeChange> {
    conn: Connection,
    table: String,
    start: Start,
    follow: Option<Duration>,
    page_size: Option<u32>,
    stream_arn: Option<String>,
    shards: BTreeMap<String, Shard>,
    pending: VecDeque<Pending<M>>,
    checkpoint: Checkpoint,
    refreshed: Option<Instant>,
    ended: bool,
}

/// What the reader knows of one shard.
struct Shard {
    parent: Option<String>,
    /// Where to ask for an iterator when there is none.
    position: ShardPosition,
    iterator: Option<String>,
    /// Read to its end (a closed shard), or left behind (a closed shard
    /// before a `from_latest` start).
    finished: bool,
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

impl<M: DecodeChange> ChangeReader<M> {
    pub(super) fn new(options: Changes<M>) -> Self {
        let table = options.conn.table_name(M::schema().table);
        let checkpoint = match &options.start {
            Start::Resume(checkpoint) => checkpoint.clone(),
            Start::TrimHorizon | Start::Latest => Checkpoint::default(),
        };
        ChangeReader {
            conn: options.conn,
            table,
            start: options.start,
            follow: options.follow,
            page_size: options.page_size,
            stream_arn: None,
            shards: BTreeMap::new(),
            pending: VecDeque::new(),
            checkpoint,
            refreshed: None,
            ended: false,
        }
    }

    /// Every record handed out so far (and those of other entities passed
    /// by before them): store it after processing what [`next`](Self::next)
    /// returned, and resume from it.
    pub fn checkpoint(&self) -> &Checkpoint {
        &self.checkpoint
    }

    /// The next event: `None` once caught up (unless following). An `Err`
    /// is the reader's own failure (the table has no stream, the engine
    /// failed after its retries, records were trimmed before they were
    /// read); the reader may be asked again after one, and goes on where it
    /// was (after trimmed records: from the oldest kept).
    pub async fn next(&mut self) -> Option<Result<ChangeEvent<M>, Error>> {
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
            if let Err(error) = self.read_round().await {
                // A reader with no stream to read, or a checkpoint of another,
                // has nothing more to say.
                self.ended |= !matches!(error, Error::Engine { .. });
                // After what the round read before it.
                self.pending.push_back(Pending::Failed(error));
            }
        }
    }

    /// The reader as a [`Stream`](futures::Stream) of its events.
    pub fn into_stream(self) -> impl futures::Stream<Item = Result<ChangeEvent<M>, Error>> {
        futures::stream::unfold(self, |mut reader| async move {
            reader.next().await.map(|event| (event, reader))
        })
    }

    /// Asks every readable shard once; when none had a record, ends (or,
    /// following, waits for the poll interval).
    async fn read_round(&mut self) -> Result<(), Error> {
        let stale = self
            .refreshed
            .is_none_or(|at| at.elapsed() >= SHARD_REFRESH);
        if stale {
            self.refresh_shards().await?;
        }
        let readable = self.readable();
        let mut any_ended = false;
        for shard_id in &readable {
            any_ended |= self.read_shard(shard_id).await?;
        }
        if any_ended {
            // The shards that continue an ended one are readable now.
            self.refresh_shards().await?;
            return Ok(());
        }
        if self.pending.is_empty() {
            match self.follow {
                Some(interval) => tokio::time::sleep(interval).await,
                None => self.ended = true,
            }
        }
        Ok(())
    }

    /// The shards to read now: not finished, and continuing no shard that is
    /// still being read.
    fn readable(&self) -> Vec<String> {
        self.shards
            .iter()
            .filter(|(_, shard)| !shard.finished)
            .filter(|(_, shard)| {
                shard
                    .parent
                    .as_ref()
                    .and_then(|parent| self.shards.get(parent))
                    .is_none_or(|parent| parent.finished)
            })
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// One GetRecords of a shard; whether the shard ended.
    async fn read_shard(&mut self, shard_id: &str) -> Result<bool, Error> {
        let Some(iterator) = self.iterator(shard_id).await? else {
            return Ok(self.finish(shard_id));
        };
        let (conn, table, limit) = (&self.conn, self.table.as_str(), self.page_size);
        let answer = call_retrying(conn, "GetRecords", table, Repeat::Read, || {
            conn.engine().get_records(iterator.clone(), limit)
        })
        .await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(error) => return self.recover(shard_id, error).map(|()| false),
        };
        for record in answer.records {
            self.deliver(shard_id, record);
        }
        match answer.next_iterator {
            Some(next) => {
                if let Some(shard) = self.shards.get_mut(shard_id) {
                    shard.iterator = Some(next);
                }
                Ok(false)
            }
            None => Ok(self.finish(shard_id)),
        }
    }

    /// After a failed GetRecords: an expired iterator is asked for again
    /// (from the last record read); trimmed records are reported and the
    /// shard is read on from its oldest record; anything else is the
    /// caller's.
    fn recover(&mut self, shard_id: &str, error: Error) -> Result<(), Error> {
        let kind = match &error {
            Error::Engine { source, .. } => source.kind,
            _ => return Err(error),
        };
        let Some(shard) = self.shards.get_mut(shard_id) else {
            return Err(error);
        };
        shard.iterator = None;
        match kind {
            EngineErrorKind::ExpiredIterator => Ok(()),
            EngineErrorKind::TrimmedData => {
                shard.position = ShardPosition::TrimHorizon;
                Err(error)
            }
            _ => Err(error),
        }
    }

    /// Marks a shard read to its end; true (it ended).
    fn finish(&mut self, shard_id: &str) -> bool {
        if let Some(shard) = self.shards.get_mut(shard_id) {
            shard.finished = true;
            shard.iterator = None;
        }
        true
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
        let iterator = call_retrying(conn, "GetShardIterator", table, Repeat::Read, || {
            conn.engine()
                .shard_iterator(arn.clone(), shard_id.to_owned(), position.clone())
        })
        .await;
        let iterator = match iterator {
            Ok(iterator) => iterator,
            Err(error) => {
                self.recover(shard_id, error)?;
                return Ok(None);
            }
        };
        if let Some(shard) = self.shards.get_mut(shard_id) {
            shard.iterator.clone_from(&iterator);
        }
        Ok(iterator)
    }

    /// Decodes a record into the queue; positions move on as records come.
    fn deliver(&mut self, shard_id: &str, record: StreamRecord) {
        let sequence_number = record.sequence_number.clone();
        if let Some(shard) = self.shards.get_mut(shard_id) {
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

    /// Reads the stream's shards (every page), adding those not yet known
    /// with where to start them.
    async fn refresh_shards(&mut self) -> Result<(), Error> {
        let arn = match &self.stream_arn {
            Some(arn) => arn.clone(),
            None => self.find_stream().await?,
        };
        let mut listed = Vec::new();
        let mut start: Option<String> = None;
        for _ in 0..MAX_SHARD_PAGES {
            let (conn, table) = (&self.conn, self.table.as_str());
            let page = call_retrying(conn, "DescribeStream", table, Repeat::Read, || {
                conn.engine().describe_stream(arn.clone(), start.clone())
            })
            .await?;
            listed.extend(page.shards);
            match page.last_evaluated_shard_id {
                Some(next) if Some(&next) != start.as_ref() => start = Some(next),
                _ => break,
            }
        }
        let first = self.refreshed.is_none();
        let read_before = self.ancestors_of_committed(&listed);
        for shard in &listed {
            if !self.shards.contains_key(&shard.shard_id) {
                let known = self.start_of(shard, first, &read_before);
                self.shards.insert(shard.shard_id.clone(), known);
            }
        }
        self.refreshed = Some(Instant::now());
        Ok(())
    }

    /// The table's latest stream, checked against a resumed checkpoint's.
    async fn find_stream(&mut self) -> Result<String, Error> {
        let (conn, table) = (&self.conn, self.table.clone());
        let description = call_retrying(conn, "DescribeTable", &table, Repeat::Read, || {
            conn.engine().describe_table(table.clone())
        })
        .await?;
        let model = M::schema().model;
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

    /// The shards a resumed checkpoint's shards continue, at any depth: read
    /// before them, so done.
    fn ancestors_of_committed(&self, listed: &[StreamShard]) -> HashSet<String> {
        let Start::Resume(checkpoint) = &self.start else {
            return HashSet::new();
        };
        let parents: HashMap<&str, &str> = listed
            .iter()
            .filter_map(|s| Some((s.shard_id.as_str(), s.parent_shard_id.as_deref()?)))
            .collect();
        let mut ancestors = HashSet::new();
        for (shard, _) in checkpoint.shards() {
            let mut at = shard;
            // Bounded: a faulty listing could make a cycle.
            for _ in 0..listed.len() {
                let Some(parent) = parents.get(at) else { break };
                if !ancestors.insert((*parent).to_owned()) {
                    break;
                }
                at = parent;
            }
        }
        ancestors
    }

    /// Where to start a shard seen for the first time (`first`: in the
    /// reader's first listing; later ones opened since, read from their
    /// start).
    fn start_of(&self, shard: &StreamShard, first: bool, read_before: &HashSet<String>) -> Shard {
        // A shard's ending sequence number is not trusted to mean it is
        // closed (dynoxide reports its open shard's last record there): a
        // closed shard ends when GetRecords gives no next iterator, which
        // costs one request.
        let mut finished = false;
        let position = match (&self.start, first) {
            (_, false) | (Start::TrimHorizon, true) => ShardPosition::TrimHorizon,
            (Start::Latest, true) => ShardPosition::Latest,
            (Start::Resume(checkpoint), true) => {
                match checkpoint.sequence_number(&shard.shard_id) {
                    Some(number) => ShardPosition::AfterSequenceNumber(number.to_owned()),
                    // A shard the checkpoint does not name, whose
                    // descendants it does, was read before them.
                    None if read_before.contains(&shard.shard_id) => {
                        finished = true;
                        ShardPosition::TrimHorizon
                    }
                    None => ShardPosition::TrimHorizon,
                }
            }
        };
        Shard {
            parent: shard.parent_shard_id.clone(),
            position,
            iterator: None,
            finished,
        }
    }
}
