//! Lambda's DynamoDB stream events as typed changes (feature `lambda`):
//! `aws_lambda_events`' [`Event`] decoded record by record into
//! [`ChangeRecord<M>`], and the partial batch response that tells Lambda
//! which records to send again.
//!
//! Lambda delivers a stream's records at least once, in order per shard. A
//! handler that returns a [`DynamoDbEventResponse`] naming a record's
//! sequence number (with `ReportBatchItemFailures` enabled on the event
//! source mapping) has Lambda send the batch again from that record; an
//! empty response marks the whole batch done. [`process_changes`] does that
//! bookkeeping: it hands each record to your function in order, as its
//! decoded change or the decoding error, and at the first your function
//! fails, stops and reports that record.
//!
//! Your function decides what a record that does not decode is. Failing it
//! (as below) has Lambda send it again until the mapping's retries run out
//! (then to its on-failure destination, if any; set `MaximumRetryAttempts`
//! and `BisectBatchOnFunctionError`): a record that can never decode holds
//! its shard back until then. A handler that cannot wait logs it, or sends
//! it to a dead-letter queue of its own, and returns `Ok`.
//!
//! ```
//! use dynamodb_mapper::streams::lambda::process_changes;
//! use dynamodb_mapper::streams::Change;
//! use dynamodb_mapper::Model;
//!
//! #[derive(Model, Debug, Clone, Default)]
//! #[dynamodb(table = "players", hash_key = "login", stream = "new_and_old_images")]
//! struct Player { login: String, level: u32 }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let event: aws_lambda_events::event::dynamodb::Event = serde_json::from_value(serde_json::json!({
//!     "Records": [
//!         {"eventID": "1", "eventName": "INSERT", "awsRegion": "us-east-1",
//!          "dynamodb": {"Keys": {"login": {"S": "ann"}}, "NewImage": {"login": {"S": "ann"}, "level": {"N": "3"}},
//!                       "SequenceNumber": "111", "SizeBytes": 26, "StreamViewType": "NEW_AND_OLD_IMAGES"}},
//!         {"eventID": "2", "eventName": "INSERT", "awsRegion": "us-east-1",
//!          "dynamodb": {"Keys": {"login": {"S": "bob"}}, "NewImage": {"login": {"S": "bob"}, "level": {"S": "high"}},
//!                       "SequenceNumber": "222", "SizeBytes": 26, "StreamViewType": "NEW_AND_OLD_IMAGES"}}
//!     ]
//! }))?;
//! let mut levels = Vec::new();
//! let response = process_changes::<Player, _, _, _>(&event, |change| {
//!     let result = change.map(|record| {
//!         if let Change::Inserted { new: Some(player) } = &record.change {
//!             levels.push(player.level);
//!         }
//!     });
//!     async move { result }
//! })
//! .await?;
//! assert_eq!(levels, [3]);
//! // Bob's level does not decode: Lambda is asked to send it again.
//! let failed: Vec<_> = response.batch_item_failures.iter().map(|f| f.item_identifier.clone()).collect();
//! assert_eq!(failed, [Some("222".to_string())]);
//! # Ok(()) }
//! ```

use std::future::Future;

use aws_lambda_events::event::dynamodb::{Event, EventRecord};
use aws_lambda_events::event::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};

use crate::attribute::serde_dynamo_bridge::item_from_serde_dynamo;
use crate::attribute::{Item, ValueError};
use crate::error::Error;
use crate::model::change::{
    record_error, ChangeKind, ChangeRecord, DecodeChange, StreamRecord, UserIdentity,
};
use crate::model::StreamView;

/// A Lambda event record as a [`StreamRecord`]: numbers checked (a typed
/// error locates the fault), images that are absent (empty in
/// `aws_lambda_events`) `None`.
pub fn stream_record(record: &EventRecord) -> Result<StreamRecord, ValueError> {
    let kind = ChangeKind::parse(&record.event_name).ok_or_else(|| {
        ValueError::invalid(
            &record.event_name,
            "a stream record's event is INSERT, MODIFY or REMOVE",
        )
        .in_key("eventName")
    })?;
    let data = &record.change;
    let image = |item: &serde_dynamo::Item, name: &str| -> Result<Option<Item>, ValueError> {
        if item.is_empty() {
            return Ok(None);
        }
        item_from_serde_dynamo(item.clone())
            .map(Some)
            .map_err(|e| e.in_key(name).in_key("dynamodb"))
    };
    let mut out = StreamRecord::new(
        record.event_id.clone(),
        kind,
        image(&data.keys, "Keys")?.unwrap_or_default(),
        data.sequence_number.clone().unwrap_or_default(),
    );
    out.new_image = image(&data.new_image, "NewImage")?;
    out.old_image = image(&data.old_image, "OldImage")?;
    out.size_bytes = u64::try_from(data.size_bytes).ok();
    out.view = data.stream_view_type.as_ref().and_then(|view| {
        // aws_lambda_events' own enum, named as DynamoDB names it.
        let name = serde_json::to_value(view).ok()?;
        StreamView::parse(name.as_str()?)
    });
    // aws_lambda_events reads an absent time as the epoch.
    out.approximate_creation = Some(data.approximate_creation_date_time)
        .filter(|time| time.timestamp() != 0 || time.timestamp_subsec_nanos() != 0);
    out.user_identity = record.user_identity.as_ref().map(|identity| UserIdentity {
        identity_type: identity.type_.clone(),
        principal_id: identity.principal_id.clone(),
    });
    Ok(out)
}

/// One record of a Lambda event, decoded as `M`.
#[non_exhaustive]
pub struct LambdaChange<'e, M: DecodeChange> {
    /// The record as Lambda delivered it.
    pub record: &'e EventRecord,
    /// The change, or why it did not decode (naming the model, attribute
    /// and value).
    pub change: Result<ChangeRecord<M>, Error>,
}

/// Decodes a Lambda event record as `M` (see [`stream_record`] and
/// [`ChangeRecord::from_record`]).
pub fn change_record<M: DecodeChange>(record: &EventRecord) -> Result<ChangeRecord<M>, Error> {
    let record = stream_record(record).map_err(record_error::<M>)?;
    ChangeRecord::from_record(record)
}

/// The records of `event` that `M` reads, each decoded: an entity of a
/// shared table passes other entities' records by (see
/// [`ChangeRecord::concerns`]).
pub fn changes<M: DecodeChange>(event: &Event) -> impl Iterator<Item = LambdaChange<'_, M>> {
    event.records.iter().filter_map(|record| {
        let change = match stream_record(record) {
            Ok(stream) if !ChangeRecord::<M>::concerns(&stream) => return None,
            Ok(stream) => ChangeRecord::from_record(stream),
            Err(error) => Err(record_error::<M>(error)),
        };
        Some(LambdaChange { record, change })
    })
}

/// The records to report to Lambda as failed (by sequence number), as its
/// partial batch response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchItemFailures {
    sequence_numbers: Vec<String>,
}

impl BatchItemFailures {
    /// Reports `record` as failed; an error when it has no sequence number
    /// (Lambda could not tell which to send again: fail the whole batch).
    pub fn fail(&mut self, record: &EventRecord) -> Result<(), Error> {
        match &record.change.sequence_number {
            Some(number) if !number.is_empty() => {
                self.sequence_numbers.push(number.clone());
                Ok(())
            }
            _ => Err(Error::InvalidRequest {
                model: "EventRecord",
                reason: format!(
                    "record {:?} has no sequence number to report as failed",
                    record.event_id
                ),
            }),
        }
    }

    /// Whether no record failed.
    pub fn is_empty(&self) -> bool {
        self.sequence_numbers.is_empty()
    }

    /// The sequence numbers reported, in order.
    pub fn sequence_numbers(&self) -> &[String] {
        &self.sequence_numbers
    }

    /// The response a Lambda handler returns: `{"batchItemFailures":
    /// [{"itemIdentifier": "<sequence number>"}, ..]}`.
    pub fn into_response(self) -> DynamoDbEventResponse {
        let mut response = DynamoDbEventResponse::default();
        response.batch_item_failures = self
            .sequence_numbers
            .into_iter()
            .map(|number| {
                let mut failure = DynamoDbBatchItemFailure::default();
                failure.item_identifier = Some(number);
                failure
            })
            .collect();
        response
    }
}

/// Hands each record of `event` that `M` reads to `handle`, in order, as
/// its decoded change or the decoding error; at the first record `handle`
/// fails, stops, and reports that record to Lambda (which sends it and
/// every later record again: at least once). `Err` only when that record
/// has no sequence number to report: the handler should fail the whole
/// batch.
pub async fn process_changes<M, F, Fut, E>(
    event: &Event,
    mut handle: F,
) -> Result<DynamoDbEventResponse, Error>
where
    M: DecodeChange,
    F: FnMut(Result<ChangeRecord<M>, Error>) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: std::fmt::Display,
{
    let mut failures = BatchItemFailures::default();
    for change in changes::<M>(event) {
        let event_id = change.record.event_id.clone();
        if let Err(error) = handle(change.change).await {
            tracing::warn!(event_id, %error, "stream record failed: reported for another delivery");
            failures.fail(change.record)?;
            break;
        }
    }
    Ok(failures.into_response())
}
