//! Reading a table's stream as typed changes: [`Connection::changes`];
//! the concept and its types are presented in [`crate::streams`].

mod checkpoint;
mod reader;
mod shards;

pub use checkpoint::Checkpoint;
pub use reader::ChangeReader;

use std::marker::PhantomData;
use std::time::Duration;

use crate::error::Error;
use crate::model::change::{ChangeRecord, DecodeChange, UndecodedChange};
use crate::Connection;

/// The most records one GetRecords answer holds (DynamoDB's limit).
pub const MAX_RECORDS_PER_READ: u32 = 1_000;

impl Connection {
    /// Reads the stream of `M`'s table as typed changes: `M` is a model
    /// (its changes as [`Document`](crate::Document)s; an entity of a shared
    /// table reads only its own entity's records) or a
    /// [`Collection`](crate::Collection) (each record as its entity's
    /// variant).
    ///
    /// By default the reader starts at the oldest record kept and ends when
    /// it has caught up (a round in which no shard had a record); see
    /// [`Changes`] for resuming, starting at the newest record, and
    /// following the stream.
    ///
    /// ```
    /// use dynamodb_mapper::streams::Change;
    /// use dynamodb_mapper::{Connection, Document, Model};
    ///
    /// #[derive(Model, Debug, Clone, Default)]
    /// #[dynamodb(table = "players", hash_key = "login", stream = "new_and_old_images")]
    /// struct Player { login: String, level: u32 }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let conn = Connection::embedded()?;
    /// conn.create_table::<Player>().await?;
    /// let mut ann = Document::new(Player { login: "ann".into(), level: 1 });
    /// conn.save(&mut ann).await?;
    /// ann.level = 2;
    /// conn.save(&mut ann).await?;
    ///
    /// let mut changes = conn.changes::<Player>().reader();
    /// let mut levels = Vec::new();
    /// while let Some(event) = changes.next().await {
    ///     match event?.change?.change {
    ///         Change::Inserted { new: Some(new) } => levels.push(new.level),
    ///         Change::Modified { old: Some(old), new: Some(new) } => levels.push(new.level - old.level),
    ///         _ => {}
    ///     }
    ///     let _store_me = changes.checkpoint(); // after processing: at-least-once
    /// }
    /// assert_eq!(levels, [1, 1]);
    /// # Ok(()) }
    /// ```
    pub fn changes<M: DecodeChange>(&self) -> Changes<M> {
        Changes {
            conn: self.clone(),
            start: Start::TrimHorizon,
            follow: None,
            page_size: None,
            model: PhantomData,
        }
    }
}

/// Options of a stream reader: where to start, whether to follow, how much
/// to read at a time. Made by [`Connection::changes`].
#[must_use = "a reader does nothing until read: call .reader() or .stream()"]
pub struct Changes<M> {
    conn: Connection,
    start: Start,
    follow: Option<Duration>,
    page_size: Option<u32>,
    model: PhantomData<fn() -> M>,
}

/// Where a reader starts.
#[derive(Debug, Clone)]
enum Start {
    TrimHorizon,
    Latest,
    Resume(Checkpoint),
}

impl<M: DecodeChange> Changes<M> {
    /// Starts at the oldest record kept (the default).
    pub fn from_trim_horizon(mut self) -> Self {
        self.start = Start::TrimHorizon;
        self
    }

    /// Starts after each shard's newest record when the reader first
    /// reads it (its first [`next`](ChangeReader::next)): only changes made
    /// from then on. Should a shard's iterator expire (15 minutes unused)
    /// before its first record, the reader reads it from its oldest record
    /// instead: older changes may come, none is missed.
    pub fn from_latest(mut self) -> Self {
        self.start = Start::Latest;
        self
    }

    /// Resumes from a stored checkpoint: each shard it names just after its
    /// sequence number, other shards from their oldest record.
    pub fn resume(mut self, checkpoint: Checkpoint) -> Self {
        self.start = Start::Resume(checkpoint);
        self
    }

    /// Keeps reading once caught up, asking every open shard again after
    /// `poll_interval` (at least 10 ms) with no record: the reader then
    /// ends only when dropped, or on an error the caller stops at.
    pub fn follow(mut self, poll_interval: Duration) -> Self {
        self.follow = Some(poll_interval.max(Duration::from_millis(10)));
        self
    }

    /// At most `records` per GetRecords request (1 to
    /// [`MAX_RECORDS_PER_READ`]; the engine's default otherwise).
    pub fn page_size(mut self, records: u32) -> Self {
        self.page_size = Some(records.clamp(1, MAX_RECORDS_PER_READ));
        self
    }

    /// The reader: [`ChangeReader::next`] hands out events, and its
    /// [`checkpoint`](ChangeReader::checkpoint) covers every event handed
    /// out.
    pub fn reader(self) -> ChangeReader<M> {
        ChangeReader::new(self)
    }

    /// The events as a [`Stream`](futures::Stream); commit each one
    /// processed into a [`Checkpoint`] of your own
    /// ([`Checkpoint::commit_event`]), in the order they came (a later
    /// event of a shard covers every earlier one: processing events out of
    /// order, `buffer_unordered`, must commit only once all before are done).
    pub fn stream(self) -> impl futures::Stream<Item = Result<ChangeEvent<M>, Error>> {
        self.reader().into_stream()
    }
}

/// One record of a table's stream, as a reader hands it out: where it is,
/// and the change decoded, or why it would not decode.
#[non_exhaustive]
pub struct ChangeEvent<M: DecodeChange> {
    /// The shard the record is in.
    pub shard_id: String,
    /// Its position in the shard.
    pub sequence_number: String,
    /// The change, or the record that did not decode and why.
    pub change: Result<ChangeRecord<M>, UndecodedChange>,
}

impl<M: DecodeChange> std::fmt::Debug for ChangeEvent<M>
where
    M::Image: std::fmt::Debug,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeEvent")
            .field("shard_id", &self.shard_id)
            .field("sequence_number", &self.sequence_number)
            .field("change", &self.change)
            .finish()
    }
}

impl Checkpoint {
    /// Records that `event` has been processed.
    pub fn commit_event<M: DecodeChange>(&mut self, event: &ChangeEvent<M>) {
        self.commit(&event.shard_id, &event.sequence_number);
    }
}
