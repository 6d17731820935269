use super::*;
use crate::attribute::ValueError;
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
        vector_indexes: &[],
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
        let id = i64::from_attribute(id).map_err(|e| AttributeError::new("Message", "Id", e))?;
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
