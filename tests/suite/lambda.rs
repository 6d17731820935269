//! Lambda's DynamoDB stream events (feature `lambda`): AWS's documented
//! sample event decoded into typed changes, hostile records (unknown
//! attributes, wrong types, bad numbers, missing images and sequence
//! numbers) as per-record typed errors, and the partial batch response.

use aws_lambda_events::event::dynamodb::Event;
use dynamodb_mapper::streams::lambda::{changes, process_changes, stream_record};
use dynamodb_mapper::streams::{Change, ChangeRecord};
use dynamodb_mapper::{AttributeValue, Error, Model};
use serde_json::{json, Value};

/// The table of AWS's sample event.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "ExampleTableWithStream",
    hash_key = "id",
    stream = "new_and_old_images"
)]
struct Example {
    #[dynamodb(rename = "Id")]
    id: i64,
    #[dynamodb(rename = "Message")]
    message: String,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "people", hash_key = "id")]
struct Person {
    id: String,
    #[dynamodb(sensitive)]
    ssn: String,
}

fn sample() -> Value {
    serde_json::from_str(include_str!(
        "../fixtures/lambda/dynamodb_sample_event.json"
    ))
    .expect("the fixture is JSON")
}

fn event(json: Value) -> Event {
    serde_json::from_value(json).expect("an event aws_lambda_events reads")
}

#[test]
fn the_documented_sample_decodes_into_typed_changes() {
    let event = event(sample());
    let decoded: Vec<ChangeRecord<Example>> = changes::<Example>(&event)
        .map(|c| c.change.expect("decodes"))
        .collect();
    assert_eq!(decoded.len(), 3);
    assert!(
        matches!(&decoded[0].change, Change::Inserted { new: Some(e) } if e.message == "New item!" && e.id == 101)
    );
    assert!(matches!(&decoded[1].change,
        Change::Modified { old: Some(o), new: Some(n) } if o.message == "New item!" && n.message == "This item has changed"));
    assert!(
        matches!(&decoded[2].change, Change::Removed { old: Some(o), expired: false } if o.message == "This item has changed")
    );
    assert_eq!(decoded[0].sequence_number, "4421584500000000017450439091");
    assert_eq!(decoded[0].event_id, "c4ca4238a0b923820dcc509a6f75849b");
    assert_eq!(decoded[0].keys["Id"], AttributeValue::N("101".into()));
    assert_eq!(
        decoded[0].approximate_creation.map(|t| t.timestamp()),
        Some(1428537600)
    );
    // The same record read from its JSON directly decodes the same.
    let direct = ChangeRecord::<Example>::from_json(&sample()["Records"][1]).expect("decodes");
    assert_eq!(
        direct.change.new_image().map(|e| e.message.clone()),
        decoded[1].change.new_image().map(|e| e.message.clone())
    );
}

#[test]
fn a_time_to_live_removal_is_told_apart() {
    let mut json = sample();
    json["Records"][2]["userIdentity"] =
        json!({"type": "Service", "principalId": "dynamodb.amazonaws.com"});
    let event = event(json);
    let removal = changes::<Example>(&event)
        .nth(2)
        .expect("three records")
        .change
        .expect("decodes");
    assert!(matches!(
        removal.change,
        Change::Removed { expired: true, .. }
    ));
}

#[test]
fn hostile_records_are_typed_errors_per_record() {
    let mut json = sample();
    let records = json["Records"].as_array_mut().expect("records");
    // Unknown attributes are ignored, as any read ignores them.
    records[0]["dynamodb"]["NewImage"]["Extra"] = json!({"SS": ["a", "b"]});
    // A wrong type names the model and attribute.
    records[1]["dynamodb"]["NewImage"]["Message"] = json!({"N": "5"});
    // A number DynamoDB would refuse (39 digits).
    records[2]["dynamodb"]["OldImage"]["Id"] =
        json!({"N": "123456789012345678901234567890123456789"});
    // Missing images: a keys-only record.
    let mut keys_only = records[0].clone();
    keys_only["dynamodb"]
        .as_object_mut()
        .expect("object")
        .remove("NewImage");
    keys_only["dynamodb"]["StreamViewType"] = json!("KEYS_ONLY");
    keys_only["dynamodb"]["SequenceNumber"] = json!("4421584500000000017450439094");
    records.push(keys_only);
    let event = event(json);
    let all: Vec<_> = changes::<Example>(&event).map(|c| c.change).collect();
    assert_eq!(all.len(), 4, "every record is there, the stream goes on");
    assert!(
        matches!(&all[0], Ok(r) if matches!(&r.change, Change::Inserted { new: Some(e) } if e.message == "New item!"))
    );
    match &all[1] {
        Err(Error::Attribute(e)) => {
            assert_eq!((e.model, e.attribute.as_str()), ("Example", "Message"))
        }
        other => panic!("{:?}", other.as_ref().err()),
    }
    match &all[2] {
        Err(Error::Attribute(e)) => {
            assert_eq!(e.model, "Example");
            assert_eq!(e.attribute, "dynamodb.OldImage.Id", "located in the record");
        }
        other => panic!("{:?}", other.as_ref().err()),
    }
    assert!(
        matches!(&all[3], Ok(r) if matches!(r.change, Change::Inserted { new: None }) && r.keys.contains_key("Id"))
    );
}

#[test]
fn a_sensitive_value_stays_out_of_errors() {
    let record = json!({
        "eventID": "1", "eventName": "INSERT", "awsRegion": "us-east-1",
        "dynamodb": {"Keys": {"id": {"S": "p1"}},
                     "NewImage": {"id": {"S": "p1"}, "ssn": {"N": "178051120078051120078051120078051120999"}},
                     "SequenceNumber": "1000000000000000000001", "SizeBytes": 10, "StreamViewType": "NEW_IMAGE"}
    });
    let event = event(json!({"Records": [record.clone()]}));
    let error = changes::<Person>(&event)
        .next()
        .expect("one")
        .change
        .expect_err("39 digits");
    assert!(!error.to_string().contains("078051120"), "{error}");
    let error = ChangeRecord::<Person>::from_json(&record).expect_err("39 digits");
    assert!(!error.to_string().contains("078051120"), "{error}");
    match &error {
        Error::Attribute(e) => assert_eq!(e.attribute, "dynamodb.NewImage.ssn", "located"),
        other => panic!("{other:?}"),
    }
    // A malformed image (not a map) of a model with sensitive attributes:
    // its preview is left out, the location kept.
    let mut malformed = record.clone();
    malformed["dynamodb"]["NewImage"] = json!(["078051120"]);
    match ChangeRecord::<Person>::from_json(&malformed) {
        Err(Error::Attribute(e)) => {
            assert_eq!(e.attribute, "dynamodb.NewImage");
            assert!(!e.to_string().contains("078051120"), "{e}");
        }
        other => panic!("{:?}", other.err()),
    }
    // As a wrong type, through the model's own decoding.
    let mut wrong = record;
    wrong["dynamodb"]["NewImage"]["ssn"] = json!({"N": "78051120"});
    let error = ChangeRecord::<Person>::from_json(&wrong).expect_err("a number for a string");
    assert!(!error.to_string().contains("78051120"), "{error}");
}

#[tokio::test]
async fn the_batch_response_names_the_first_failure() {
    let mut json = sample();
    json["Records"][1]["dynamodb"]["NewImage"]["Message"] = json!({"BOOL": true});
    let event = event(json);
    let mut handled = Vec::new();
    let response = process_changes::<Example, _, _, _>(&event, |change| {
        let result = change.map(|c| handled.push(c.sequence_number));
        async move { result }
    })
    .await
    .expect("every record has a sequence number");
    assert_eq!(handled, ["4421584500000000017450439091"]);
    assert_eq!(
        serde_json::to_value(&response).expect("json"),
        json!({"batchItemFailures": [{"itemIdentifier": "4421584500000000017450439092"}]}),
        "Lambda sends the failed record and every later one again"
    );
    // A handler's own failure is reported the same way.
    let event = self::event(sample());
    let response = process_changes::<Example, _, _, _>(&event, |change| {
        let fail = change
            .map(|c| c.sequence_number.ends_with('3'))
            .unwrap_or(true);
        async move {
            if fail {
                Err("downstream is down")
            } else {
                Ok(())
            }
        }
    })
    .await
    .expect("reported");
    assert_eq!(response.batch_item_failures.len(), 1);
    // All well: an empty list, the whole batch done.
    let response = process_changes::<Example, _, _, _>(&event, |_| async { Ok::<_, Error>(()) })
        .await
        .expect("done");
    assert!(response.batch_item_failures.is_empty());
}

#[tokio::test]
async fn a_failed_record_without_a_sequence_number_fails_the_batch() {
    let mut json = sample();
    json["Records"][0]["dynamodb"]
        .as_object_mut()
        .expect("object")
        .remove("SequenceNumber");
    json["Records"][0]["dynamodb"]["NewImage"]["Message"] = json!({"N": "1"});
    let event = event(json);
    let result =
        process_changes::<Example, _, _, _>(&event, |change| async move { change.map(|_| ()) })
            .await;
    assert!(
        matches!(result, Err(Error::InvalidRequest { .. })),
        "{result:?}"
    );
}

#[test]
fn an_unknown_event_name_is_a_typed_error() {
    let mut json = sample();
    json["Records"][0]["eventName"] = json!("UPSERT");
    let event = event(json);
    let error = stream_record(&event.records[0]).expect_err("not a DynamoDB event");
    assert_eq!(error.path(), ".eventName");
}
