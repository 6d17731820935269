//! DynamoDB Streams, typed, in one place: a table's changes as the stream
//! carries them ([`StreamRecord`]) and read as a model or a collection
//! ([`ChangeRecord`], its [`Change`]); reading them from a connection
//! ([`Connection::changes`](crate::Connection::changes): [`Changes`],
//! [`ChangeReader`], [`ChangeEvent`], [`Checkpoint`]); and Lambda's
//! DynamoDB events ([`lambda`], feature `lambda`).
//!
//! # Reading a table's stream
//!
//! A reader walks every shard of the table's latest stream, parents before
//! children, following closed shards to their end and finding the shards
//! that continue them; it decodes each record as `M` (a model, or a
//! collection of a single-table design) and hands out [`ChangeEvent`]s in
//! each shard's order. A record that does not decode is an event too (its
//! error and raw record), and the reader goes on.
//!
//! **Delivery is at least once.** The reader's [`Checkpoint`] says, per
//! shard, the last record handed out; store it after processing and resume
//! from it: no change is missed, and those handed out after the stored
//! checkpoint come again (an engine answering a record twice is passed by).
//! DynamoDB keeps a stream's records 24 hours: records gone before the
//! reader got to them (a checkpoint older than that, a shard trimmed while
//! the reader was away) are reported as
//! [`Error::ChangesMissed`](crate::Error::ChangesMissed), and the reader
//! goes on from the oldest record kept. Failures of one shard are reported
//! for it; the other shards are read on.

#[cfg(feature = "lambda")]
pub mod lambda;

pub use crate::model::change::{
    Change, ChangeKind, ChangeRecord, DecodeChange, StreamRecord, UndecodedChange, UserIdentity,
};
pub use crate::operation::stream_reader::{
    ChangeEvent, ChangeReader, Changes, Checkpoint, MAX_RECORDS_PER_READ,
};
