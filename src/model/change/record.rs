//! A stream record, as the DynamoDB Streams API, Lambda's DynamoDB events
//! and dynoxide describe one change, before any model reads it.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::attribute::{dynamodb_json, Item, ValueError};
use crate::model::StreamView;

/// What happened to an item, as a stream record names it (`eventName`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// `INSERT`: an item was written where there was none.
    Insert,
    /// `MODIFY`: an existing item was written over or updated.
    Modify,
    /// `REMOVE`: an item was deleted (by a writer or by time to live).
    Remove,
}

impl ChangeKind {
    /// The kind named `name` (`INSERT`, `MODIFY` or `REMOVE`).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "INSERT" => Some(ChangeKind::Insert),
            "MODIFY" => Some(ChangeKind::Modify),
            "REMOVE" => Some(ChangeKind::Remove),
            _ => None,
        }
    }

    /// DynamoDB's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Insert => "INSERT",
            ChangeKind::Modify => "MODIFY",
            ChangeKind::Remove => "REMOVE",
        }
    }
}

/// Who made a change (`userIdentity`): present only on deletions made by
/// DynamoDB itself, that is, time-to-live expiries.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct UserIdentity {
    /// `Service` for DynamoDB's own deletions.
    #[serde(rename = "type", default)]
    pub identity_type: String,
    /// `dynamodb.amazonaws.com` for a time-to-live expiry.
    #[serde(rename = "principalId", default)]
    pub principal_id: String,
}

impl UserIdentity {
    /// The identity of DynamoDB's time-to-live sweeper.
    pub fn time_to_live() -> Self {
        UserIdentity {
            identity_type: "Service".to_owned(),
            principal_id: "dynamodb.amazonaws.com".to_owned(),
        }
    }
}

/// One record of a table's stream: the item's key and the images its
/// stream's view type records, undecoded.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StreamRecord {
    /// The record's unique id (`eventID`).
    pub event_id: String,
    /// What happened.
    pub kind: ChangeKind,
    /// The item's key attributes.
    pub keys: Item,
    /// The item after the change, when the view records it.
    pub new_image: Option<Item>,
    /// The item before the change, when the view records it.
    pub old_image: Option<Item>,
    /// The record's position in its shard, a decimal number as text.
    pub sequence_number: String,
    /// The size of the record's images and keys, when reported.
    pub size_bytes: Option<u64>,
    /// What the stream records of each change, when the record says.
    pub view: Option<StreamView>,
    /// When the change was made (approximately; DynamoDB rounds it).
    pub approximate_creation: Option<DateTime<Utc>>,
    /// Who made the change, when not a writer (time-to-live expiries).
    pub user_identity: Option<UserIdentity>,
}

impl StreamRecord {
    /// A record of `kind` of the item with `keys`, at `sequence_number`,
    /// with no images (engines fill the rest in).
    pub fn new(
        event_id: impl Into<String>,
        kind: ChangeKind,
        keys: Item,
        sequence_number: impl Into<String>,
    ) -> Self {
        StreamRecord {
            event_id: event_id.into(),
            kind,
            keys,
            new_image: None,
            old_image: None,
            sequence_number: sequence_number.into(),
            size_bytes: None,
            view: None,
            approximate_creation: None,
            user_identity: None,
        }
    }

    /// Whether DynamoDB deleted the item because its time to live passed
    /// (a removal by the DynamoDB service principal), not a writer.
    pub fn expired(&self) -> bool {
        self.kind == ChangeKind::Remove
            && self.user_identity.as_ref().is_some_and(|identity| {
                identity.identity_type == "Service"
                    && identity.principal_id == "dynamodb.amazonaws.com"
            })
    }

    /// A record in AWS's JSON shape (`GetRecords`' records, a Lambda
    /// DynamoDB event's `Records`), images in DynamoDB JSON. Fields AWS adds
    /// that the record does not carry (`eventSource`, `awsRegion`, ...) are
    /// ignored. The error locates the fault (`.dynamodb.NewImage.level`).
    pub fn from_json(json: &serde_json::Value) -> Result<Self, ValueError> {
        let raw = RawRecord::deserialize(json)
            .map_err(|e| ValueError::invalid("a stream record", e.to_string()))?;
        let kind = ChangeKind::parse(&raw.event_name).ok_or_else(|| {
            ValueError::invalid(
                &raw.event_name,
                "a stream record's event is INSERT, MODIFY or REMOVE",
            )
            .in_key("eventName")
        })?;
        let data = raw.dynamodb;
        let image = |json: Option<serde_json::Value>, name: &str| match json {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(json) => dynamodb_json::item_from_json(&json)
                .map(Some)
                .map_err(|e| e.in_key(name).in_key("dynamodb")),
        };
        let keys = match data.keys {
            None => Item::default(),
            Some(keys) => image(Some(keys), "Keys")?.unwrap_or_default(),
        };
        Ok(StreamRecord {
            event_id: raw.event_id,
            kind,
            keys,
            new_image: image(data.new_image, "NewImage")?,
            old_image: image(data.old_image, "OldImage")?,
            sequence_number: data.sequence_number,
            size_bytes: data.size_bytes.and_then(|size| u64::try_from(size).ok()),
            view: data.stream_view_type.as_deref().and_then(StreamView::parse),
            approximate_creation: data.approximate_creation.and_then(change_time),
            user_identity: raw.user_identity,
        })
    }
}

/// An instant from epoch seconds as stream records carry it (a JSON
/// number, fractions allowed); `None` when out of chrono's range or not finite.
pub(crate) fn change_time(seconds: f64) -> Option<DateTime<Utc>> {
    let millis = (seconds * 1000.0).round();
    // `as` saturates; the range check keeps saturated values out.
    (millis.is_finite() && millis.abs() < 8.0e15)
        .then(|| DateTime::from_timestamp_millis(millis as i64))
        .flatten()
}

/// The JSON skeleton of a record; images stay JSON until read, so their
/// faults are located by attribute.
#[derive(Deserialize)]
struct RawRecord {
    #[serde(rename = "eventID", default)]
    event_id: String,
    #[serde(rename = "eventName")]
    event_name: String,
    dynamodb: RawData,
    #[serde(rename = "userIdentity", default)]
    user_identity: Option<UserIdentity>,
}

#[derive(Deserialize)]
struct RawData {
    #[serde(rename = "Keys", default)]
    keys: Option<serde_json::Value>,
    #[serde(rename = "NewImage", default)]
    new_image: Option<serde_json::Value>,
    #[serde(rename = "OldImage", default)]
    old_image: Option<serde_json::Value>,
    #[serde(rename = "SequenceNumber", default)]
    sequence_number: String,
    #[serde(rename = "SizeBytes", default)]
    size_bytes: Option<i64>,
    #[serde(rename = "StreamViewType", default)]
    stream_view_type: Option<String>,
    #[serde(rename = "ApproximateCreationDateTime", default)]
    approximate_creation: Option<f64>,
}
