//! A table's stream (the DynamoDB Streams API: DescribeStream,
//! GetShardIterator, GetRecords), engine-neutral.

pub(crate) use crate::model::change::StreamRecord;
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

/// DescribeStream: one page of a stream's shards. Answered by a
/// [`StreamDescription`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct DescribeStreamInput {
    /// The stream.
    pub stream_arn: String,
    /// The shards listed are those after this one.
    pub exclusive_start_shard_id: Option<String>,
}

impl DescribeStreamInput {
    /// The first page of the shards of the stream `stream_arn`.
    pub fn new(stream_arn: impl Into<String>) -> Self {
        DescribeStreamInput {
            stream_arn: stream_arn.into(),
            exclusive_start_shard_id: None,
        }
    }

    /// The same request, for the shards after `shard_id`.
    pub fn with_exclusive_start_shard_id(mut self, shard_id: impl Into<String>) -> Self {
        self.exclusive_start_shard_id = Some(shard_id.into());
        self
    }
}

/// GetShardIterator: where to read a shard from. Answered by the iterator,
/// `None` when there is nothing to read (a closed shard read to its end).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct GetShardIteratorInput {
    /// The stream.
    pub stream_arn: String,
    /// The shard.
    pub shard_id: String,
    /// Where in the shard to start.
    pub position: ShardPosition,
}

impl GetShardIteratorInput {
    /// An iterator over the shard `shard_id` of `stream_arn`, from `position`.
    pub fn new(
        stream_arn: impl Into<String>,
        shard_id: impl Into<String>,
        position: ShardPosition,
    ) -> Self {
        GetShardIteratorInput {
            stream_arn: stream_arn.into(),
            shard_id: shard_id.into(),
            position,
        }
    }
}

/// GetRecords: the next records of a shard. Answered by a [`RecordsOutput`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct GetRecordsInput {
    /// The shard iterator, from GetShardIterator or the last GetRecords.
    pub iterator: String,
    /// At most this many records.
    pub limit: Option<u32>,
}

impl GetRecordsInput {
    /// The records at `iterator`, as many as the engine gives.
    pub fn new(iterator: impl Into<String>) -> Self {
        GetRecordsInput {
            iterator: iterator.into(),
            limit: None,
        }
    }

    /// The same request, for at most `limit` records.
    pub fn with_limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
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
