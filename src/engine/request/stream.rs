//! A table's stream (the DynamoDB Streams API: DescribeStream,
//! GetShardIterator, GetRecords), engine-neutral.

pub use crate::model::change::StreamRecord;
use crate::model::StreamView;

/// A table's stream, as DescribeStream describes it (one page of its
/// shards).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct StreamDescription {
    /// The stream.
    pub stream_arn: String,
    /// What it records of each change.
    pub view: Option<StreamView>,
    /// `ENABLING`, `ENABLED`, `DISABLING` or `DISABLED`.
    pub status: String,
    /// This page's shards.
    pub shards: Vec<StreamShard>,
    /// Where the next page of shards starts (`ExclusiveStartShardId`), if
    /// there is one.
    pub last_evaluated_shard_id: Option<String>,
}

impl StreamDescription {
    /// A description of `stream_arn` listing `shards` (one page, the last).
    pub fn new(stream_arn: impl Into<String>, shards: Vec<StreamShard>) -> Self {
        StreamDescription {
            stream_arn: stream_arn.into(),
            view: None,
            status: "ENABLED".to_owned(),
            shards,
            last_evaluated_shard_id: None,
        }
    }

    /// The same page, followed by another that starts after `shard_id`.
    pub fn with_last_evaluated_shard_id(mut self, shard_id: impl Into<String>) -> Self {
        self.last_evaluated_shard_id = Some(shard_id.into());
        self
    }
}

/// One shard of a stream: a run of records, closed (an ending sequence
/// number) once DynamoDB splits it or rolls it over into its children.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct StreamShard {
    /// The shard.
    pub shard_id: String,
    /// The shard it continues, whose records come first.
    pub parent_shard_id: Option<String>,
    /// Its first record's sequence number.
    pub starting_sequence_number: Option<String>,
    /// Its last record's, once the shard is closed.
    pub ending_sequence_number: Option<String>,
}

impl StreamShard {
    /// A shard with no parent, open.
    pub fn new(shard_id: impl Into<String>) -> Self {
        StreamShard {
            shard_id: shard_id.into(),
            ..Default::default()
        }
    }

    /// The same shard, continuing `parent`.
    pub fn with_parent(mut self, parent: impl Into<String>) -> Self {
        self.parent_shard_id = Some(parent.into());
        self
    }

    /// The same shard, closed after the record `sequence_number`.
    pub fn with_ending(mut self, sequence_number: impl Into<String>) -> Self {
        self.ending_sequence_number = Some(sequence_number.into());
        self
    }
}

/// Where in a shard to start reading (GetShardIterator's iterator type).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ShardPosition {
    /// The oldest record still kept (24 hours on DynamoDB).
    TrimHorizon,
    /// After the newest record: only changes made from now on.
    Latest,
    /// At the record with this sequence number.
    AtSequenceNumber(String),
    /// Just after the record with this sequence number.
    AfterSequenceNumber(String),
}

impl ShardPosition {
    /// DynamoDB's name of the iterator type.
    pub fn iterator_type(&self) -> &'static str {
        match self {
            ShardPosition::TrimHorizon => "TRIM_HORIZON",
            ShardPosition::Latest => "LATEST",
            ShardPosition::AtSequenceNumber(_) => "AT_SEQUENCE_NUMBER",
            ShardPosition::AfterSequenceNumber(_) => "AFTER_SEQUENCE_NUMBER",
        }
    }

    /// The sequence number it names, if any.
    pub fn sequence_number(&self) -> Option<&str> {
        match self {
            ShardPosition::AtSequenceNumber(n) | ShardPosition::AfterSequenceNumber(n) => Some(n),
            ShardPosition::TrimHorizon | ShardPosition::Latest => None,
        }
    }
}

/// One GetRecords answer.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct RecordsOutput {
    /// The records, in the shard's order.
    pub records: Vec<StreamRecord>,
    /// Where to read on; `None` once a closed shard has been read to its
    /// end.
    pub next_iterator: Option<String>,
}

impl RecordsOutput {
    /// An answer of `records` that continues at `next_iterator`.
    pub fn new(records: Vec<StreamRecord>, next_iterator: Option<String>) -> Self {
        RecordsOutput {
            records,
            next_iterator,
        }
    }
}
