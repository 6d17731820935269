//! The table's stream, as dynoxide keeps it: one shard per table, never
//! closed.

use dynoxide::actions::{describe_stream, get_records, get_shard_iterator};

use super::convert::{convert_error, from_engine_item};
use crate::engine::request::*;
use crate::error::EngineError;
use crate::model::change::{change_time, ChangeKind, UserIdentity};
use crate::model::StreamView;

pub(super) fn describe(
    db: &dynoxide::Database,
    input: &DescribeStreamInput,
) -> Result<StreamDescription, EngineError> {
    let request = describe_stream::DescribeStreamRequest {
        stream_arn: input.stream_arn.clone(),
        exclusive_start_shard_id: input.exclusive_start_shard_id.clone(),
        limit: None,
    };
    let description = db
        .describe_stream(request)
        .map_err(convert_error)?
        .stream_description;
    let shards = description
        .shards
        .into_iter()
        .map(|shard| StreamShard {
            shard_id: shard.shard_id,
            parent_shard_id: None,
            starting_sequence_number: shard.sequence_number_range.starting_sequence_number,
            ending_sequence_number: shard.sequence_number_range.ending_sequence_number,
        })
        .collect();
    Ok(StreamDescription {
        stream_arn: description.stream_arn,
        view: StreamView::parse(&description.stream_view_type),
        status: description.stream_status,
        shards,
        // dynoxide describes every shard at once.
        last_evaluated_shard_id: None,
    })
}

pub(super) fn iterator(
    db: &dynoxide::Database,
    input: &GetShardIteratorInput,
) -> Result<Option<String>, EngineError> {
    let request = get_shard_iterator::GetShardIteratorRequest {
        stream_arn: input.stream_arn.clone(),
        shard_id: input.shard_id.clone(),
        shard_iterator_type: input.position.iterator_type().to_owned(),
        sequence_number: input.position.sequence_number().map(str::to_owned),
    };
    db.get_shard_iterator(request)
        .map_err(convert_error)
        .map(|r| r.shard_iterator)
}

pub(super) fn records(
    db: &dynoxide::Database,
    input: &GetRecordsInput,
) -> Result<RecordsOutput, EngineError> {
    let request = get_records::GetRecordsRequest {
        shard_iterator: input.iterator.clone(),
        limit: input.limit.map(|l| l as usize),
    };
    let answer = db.get_records(request).map_err(convert_error)?;
    let records = answer
        .records
        .into_iter()
        .map(record)
        .collect::<Result<_, _>>()?;
    Ok(RecordsOutput::new(records, answer.next_shard_iterator))
}

fn record(raw: get_records::Record) -> Result<StreamRecord, EngineError> {
    let data = raw.dynamodb;
    let kind = ChangeKind::parse(&raw.event_name).ok_or_else(|| {
        EngineError::new(
            crate::error::EngineErrorKind::InvalidResponse,
            None,
            format!("a stream record of unknown event {:?}", raw.event_name),
        )
    })?;
    let mut record = StreamRecord::new(
        raw.event_id,
        kind,
        from_engine_item(data.keys),
        data.sequence_number,
    );
    record.new_image = data.new_image.map(from_engine_item);
    record.old_image = data.old_image.map(from_engine_item);
    record.size_bytes = u64::try_from(data.size_bytes).ok();
    record.view = StreamView::parse(&data.stream_view_type);
    record.approximate_creation = change_time(data.approximate_creation_date_time);
    record.user_identity = raw.user_identity.map(|identity| UserIdentity {
        identity_type: identity.identity_type,
        principal_id: identity.principal_id,
    });
    Ok(record)
}
