//! Typed changes: a table's stream records (as the DynamoDB Streams API,
//! Lambda's DynamoDB events and dynoxide write them) decoded into the model's
//! documents.
//!
//! (Work in progress for issue 14: the record shape and its decoding; the
//! readers of a table's stream and the Lambda feature come next.)
//!
//! ```
//! use dynamodb_mapper::model::change::{Change, ChangeRecord};
//! use dynamodb_mapper::Model;
//!
//! #[derive(Model, Debug, Clone, Default)]
//! #[dynamodb(table = "players", hash_key = "login")]
//! struct Player { login: String, level: u32 }
//!
//! let record = serde_json::json!({
//!     "eventID": "1", "eventName": "MODIFY", "eventSource": "aws:dynamodb",
//!     "dynamodb": {
//!         "Keys": {"login": {"S": "ann"}},
//!         "OldImage": {"login": {"S": "ann"}, "level": {"N": "1"}},
//!         "NewImage": {"login": {"S": "ann"}, "level": {"N": "2"}},
//!         "SequenceNumber": "100", "SizeBytes": 30, "StreamViewType": "NEW_AND_OLD_IMAGES",
//!         "ApproximateCreationDateTime": 1479499740
//!     }
//! });
//! let change = ChangeRecord::<Player>::from_json(&record).unwrap();
//! assert!(matches!(&change.change, Change::Modified { old: Some(old), new: Some(new) } if old.level == 1 && new.level == 2));
//! assert_eq!(change.sequence_number, "100");
//! ```

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{Document, Model, StreamView};
use crate::attribute::{dynamodb_json, Item, ValueError};
use crate::error::{AttributeError, Error};

/// A stream record as AWS writes it (`GetRecords`, Lambda's DynamoDB event
/// records), images in DynamoDB JSON.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct StreamRecord {
    /// The record's unique id.
    #[serde(rename = "eventID", default)]
    pub event_id: String,
    /// `INSERT`, `MODIFY` or `REMOVE`.
    #[serde(rename = "eventName")]
    pub event_name: String,
    /// The change itself.
    pub dynamodb: StreamData,
    /// Who made the change: DynamoDB's own service principal for a time-to-live
    /// expiry.
    #[serde(rename = "userIdentity", default)]
    pub user_identity: Option<UserIdentity>,
}

/// The `dynamodb` part of a stream record.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct StreamData {
    /// The item's key attributes, in DynamoDB JSON.
    #[serde(rename = "Keys", default)]
    pub keys: serde_json::Value,
    /// The item after the change, when the view records it.
    #[serde(rename = "NewImage", default)]
    pub new_image: Option<serde_json::Value>,
    /// The item before the change, when the view records it.
    #[serde(rename = "OldImage", default)]
    pub old_image: Option<serde_json::Value>,
    /// The record's position in its shard.
    #[serde(rename = "SequenceNumber", default)]
    pub sequence_number: String,
    /// `KEYS_ONLY`, `NEW_IMAGE`, `OLD_IMAGE` or `NEW_AND_OLD_IMAGES`.
    #[serde(rename = "StreamViewType", default)]
    pub stream_view_type: Option<String>,
    /// When the change was made, in epoch seconds (approximately).
    #[serde(rename = "ApproximateCreationDateTime", default)]
    pub approximate_creation: Option<f64>,
}

/// The `userIdentity` of a stream record.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct UserIdentity {
    /// `Service` for DynamoDB's own deletions.
    #[serde(rename = "type", default)]
    pub identity_type: String,
    /// `dynamodb.amazonaws.com` for a time-to-live expiry.
    #[serde(rename = "principalId", default)]
    pub principal_id: String,
}

/// What happened to an item. The images are those the stream's view
/// records: `None` where it does not (keys only: neither; new image: no old
/// one; old image: no new one).
#[non_exhaustive]
pub enum Change<M> {
    /// The item was written where there was none.
    Inserted {
        /// The item written.
        new: Option<Document<M>>,
    },
    /// An existing item was written over or updated.
    Modified {
        /// The item before.
        old: Option<Document<M>>,
        /// The item after.
        new: Option<Document<M>>,
    },
    /// The item was deleted.
    Removed {
        /// The item deleted.
        old: Option<Document<M>>,
        /// Deleted by time to live, not by a writer.
        expired: bool,
    },
}

/// A decoded stream record: the change, the item's key, and where and when
/// it happened.
#[non_exhaustive]
pub struct ChangeRecord<M> {
    /// What happened.
    pub change: Change<M>,
    /// The item's key attributes.
    pub keys: Item,
    /// The record's unique id.
    pub event_id: String,
    /// The record's position in its shard (what a checkpoint stores).
    pub sequence_number: String,
    /// When the change was made (approximately).
    pub approximate_creation: Option<DateTime<Utc>>,
    /// What the stream records of each change, when the record says.
    pub view: Option<StreamView>,
}

impl<M: Model> ChangeRecord<M> {
    /// Decodes a record in AWS's JSON shape.
    pub fn from_json(record: &serde_json::Value) -> Result<Self, Error> {
        let record = StreamRecord::deserialize(record).map_err(|e| {
            AttributeError::new(
                M::SCHEMA.model,
                "",
                ValueError::invalid("a stream record", e.to_string()),
            )
        })?;
        Self::from_record(&record)
    }

    /// Decodes a record: each image as a read decodes an item (migrations
    /// run, the entity is checked).
    pub fn from_record(record: &StreamRecord) -> Result<Self, Error> {
        let data = &record.dynamodb;
        let image = |json: &Option<serde_json::Value>| -> Result<Option<Document<M>>, Error> {
            match json {
                None => Ok(None),
                Some(json) => {
                    let item = dynamodb_json::item_from_json(json)
                        .map_err(|e| AttributeError::new(M::SCHEMA.model, "", e))?;
                    Document::<M>::from_stored(item).map(Some)
                }
            }
        };
        let (old, new) = (image(&data.old_image)?, image(&data.new_image)?);
        let change = match record.event_name.as_str() {
            "INSERT" => Change::Inserted { new },
            "MODIFY" => Change::Modified { old, new },
            "REMOVE" => Change::Removed {
                old,
                expired: record.user_identity.as_ref().is_some_and(|u| {
                    u.identity_type == "Service" && u.principal_id == "dynamodb.amazonaws.com"
                }),
            },
            other => {
                return Err(AttributeError::new(
                    M::SCHEMA.model,
                    "eventName",
                    ValueError::invalid(
                        other,
                        "a stream record's event is INSERT, MODIFY or REMOVE",
                    ),
                )
                .into())
            }
        };
        let keys = dynamodb_json::item_from_json(&data.keys)
            .map_err(|e| AttributeError::new(M::SCHEMA.model, "Keys", e))?;
        let view = match data.stream_view_type.as_deref() {
            Some("KEYS_ONLY") => Some(StreamView::KeysOnly),
            Some("NEW_IMAGE") => Some(StreamView::NewImage),
            Some("OLD_IMAGE") => Some(StreamView::OldImage),
            Some("NEW_AND_OLD_IMAGES") => Some(StreamView::NewAndOldImages),
            _ => None,
        };
        let approximate_creation = data
            .approximate_creation
            .and_then(|seconds| DateTime::from_timestamp_millis((seconds * 1000.0).round() as i64));
        Ok(ChangeRecord {
            change,
            keys,
            event_id: record.event_id.clone(),
            sequence_number: data.sequence_number.clone(),
            approximate_creation,
            view,
        })
    }
}

impl<M: Model + std::fmt::Debug> std::fmt::Debug for Change<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Inserted { new } => f.debug_struct("Inserted").field("new", new).finish(),
            Change::Modified { old, new } => f
                .debug_struct("Modified")
                .field("old", old)
                .field("new", new)
                .finish(),
            Change::Removed { old, expired } => f
                .debug_struct("Removed")
                .field("old", old)
                .field("expired", expired)
                .finish(),
        }
    }
}

impl<M: Model + std::fmt::Debug> std::fmt::Debug for ChangeRecord<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The keys are shown as the schema allows (sensitive ones redacted).
        f.debug_struct("ChangeRecord")
            .field("change", &self.change)
            .field("key", &super::item_key::<M>(&self.keys))
            .field("event_id", &self.event_id)
            .field("sequence_number", &self.sequence_number)
            .field("approximate_creation", &self.approximate_creation)
            .field("view", &self.view)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::{Attribute, AttributeValue};
    use crate::model::{KeyDefinition, ModelSchema};
    use serde_json::json;

    /// A model written by hand, as the model layer's own tests need.
    #[derive(Debug, Clone, PartialEq)]
    struct Message {
        id: i64,
        text: String,
    }

    impl Model for Message {
        type HashKey = i64;
        type RangeKey = crate::model::NoRangeKey;
        type Key = i64;
        const SCHEMA: ModelSchema = ModelSchema {
            model: "Message",
            table: "messages",
            hash_key: KeyDefinition {
                attribute: "Id",
                scalar_type: crate::attribute::ScalarType::Number,
            },
            range_key: None,
            attributes: &["Id", "Message"],
            sensitive: &[],
            indexes: &[],
            ttl: None,
            stream: None,
            unique: &[],
            entities: &[],
            composed: &[],
        };
        fn to_item(&self) -> Result<Item, AttributeError> {
            let mut item = Self::key_item(&self.id)?;
            item.insert("Message".into(), AttributeValue::S(self.text.clone()));
            Ok(item)
        }
        fn from_item(mut item: Item) -> Result<Self, AttributeError> {
            let id = item.remove("Id").unwrap_or(AttributeValue::Null);
            let id =
                i64::from_attribute(id).map_err(|e| AttributeError::new("Message", "Id", e))?;
            let text = match item.remove("Message") {
                Some(AttributeValue::S(text)) => text,
                Some(other) => {
                    return Err(AttributeError::new(
                        "Message",
                        "Message",
                        ValueError::type_mismatch("S", &other),
                    ))
                }
                None => String::new(),
            };
            Ok(Message { id, text })
        }
        fn key_item(key: &i64) -> Result<Item, AttributeError> {
            Ok(Item::from_iter([(
                "Id".to_string(),
                AttributeValue::N(key.to_string()),
            )]))
        }
        fn own_key_item(&self) -> Result<Item, AttributeError> {
            Self::key_item(&self.id)
        }
        fn to_json(&self) -> Result<serde_json::Value, AttributeError> {
            Ok(json!({"Id": self.id, "Message": self.text}))
        }
    }

    /// AWS's documented sample of a Lambda DynamoDB event's records.
    fn sample() -> serde_json::Value {
        json!([
            {"eventID": "c4ca4238a0b923820dcc509a6f75849b", "eventName": "INSERT", "eventVersion": "1.1",
             "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
             "dynamodb": {"Keys": {"Id": {"N": "101"}},
                          "NewImage": {"Message": {"S": "New item!"}, "Id": {"N": "101"}},
                          "ApproximateCreationDateTime": 1428537600,
                          "SequenceNumber": "4421584500000000017450439091", "SizeBytes": 26,
                          "StreamViewType": "NEW_AND_OLD_IMAGES"},
             "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/ExampleTableWithStream/stream/2015-06-27T00:48:05.899"},
            {"eventID": "c81e728d9d4c2f636f067f89cc14862c", "eventName": "MODIFY", "eventVersion": "1.1",
             "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
             "dynamodb": {"Keys": {"Id": {"N": "101"}},
                          "NewImage": {"Message": {"S": "This item has changed"}, "Id": {"N": "101"}},
                          "OldImage": {"Message": {"S": "New item!"}, "Id": {"N": "101"}},
                          "ApproximateCreationDateTime": 1428537600,
                          "SequenceNumber": "4421584500000000017450439092", "SizeBytes": 59,
                          "StreamViewType": "NEW_AND_OLD_IMAGES"}},
            {"eventID": "eccbc87e4b5ce2fe28308fd9f2a7baf3", "eventName": "REMOVE", "eventVersion": "1.1",
             "eventSource": "aws:dynamodb", "awsRegion": "us-east-1",
             "dynamodb": {"Keys": {"Id": {"N": "101"}},
                          "OldImage": {"Message": {"S": "This item has changed"}, "Id": {"N": "101"}},
                          "ApproximateCreationDateTime": 1428537600,
                          "SequenceNumber": "4421584500000000017450439093", "SizeBytes": 38,
                          "StreamViewType": "NEW_AND_OLD_IMAGES"},
             "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"}}
        ])
    }

    #[test]
    fn the_documented_sample_decodes() {
        let records = sample();
        let decoded: Vec<ChangeRecord<Message>> = records
            .as_array()
            .unwrap()
            .iter()
            .map(|r| ChangeRecord::from_json(r).unwrap())
            .collect();
        assert!(
            matches!(&decoded[0].change, Change::Inserted { new: Some(m) } if m.text == "New item!")
        );
        assert!(
            matches!(&decoded[1].change, Change::Modified { old: Some(o), new: Some(n) } if o.text == "New item!" && n.text == "This item has changed")
        );
        assert!(matches!(
            &decoded[2].change,
            Change::Removed {
                old: Some(_),
                expired: true
            }
        ));
        assert_eq!(decoded[0].sequence_number, "4421584500000000017450439091");
        assert_eq!(
            decoded[0].approximate_creation.map(|t| t.timestamp()),
            Some(1428537600)
        );
        assert_eq!(decoded[0].view, Some(StreamView::NewAndOldImages));
        assert_eq!(decoded[0].keys["Id"], AttributeValue::N("101".into()));
    }

    #[test]
    fn bad_records_are_typed_errors() {
        let mut keys_only = sample()[0].clone();
        keys_only["dynamodb"]
            .as_object_mut()
            .unwrap()
            .remove("NewImage");
        keys_only["dynamodb"]["StreamViewType"] = json!("KEYS_ONLY");
        let record = ChangeRecord::<Message>::from_json(&keys_only).unwrap();
        assert!(matches!(record.change, Change::Inserted { new: None }));
        let mut wrong_type = sample()[0].clone();
        wrong_type["dynamodb"]["NewImage"]["Message"] = json!({"N": "5"});
        assert!(
            matches!(ChangeRecord::<Message>::from_json(&wrong_type), Err(Error::Attribute(e)) if e.attribute == "Message")
        );
        let mut unknown = sample()[0].clone();
        unknown["eventName"] = json!("UPSERT");
        assert!(ChangeRecord::<Message>::from_json(&unknown).is_err());
        assert!(ChangeRecord::<Message>::from_json(&json!({"no": "record"})).is_err());
        let mut not_json = sample()[0].clone();
        not_json["dynamodb"]["NewImage"] = json!({"Id": {"N": "abc"}});
        assert!(ChangeRecord::<Message>::from_json(&not_json).is_err());
    }
}
