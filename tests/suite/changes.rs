//! A table's stream read as typed changes (`conn.changes::<M>()`): inserts,
//! modifies and removes with the images of each view type, entities of a
//! shared table and collections, undecodable records, resuming from a
//! checkpoint (at-least-once, duplicates counted), following, and time-to-live
//! expiries told apart from deletions. The shards' lineage and the faults of
//! DynamoDB Streams are in `stream_lineage.rs`.
//!
//! On the embedded engine, dynoxide over HTTP and moto (the `aws` engine
//! reads streams with feature `aws-streams`). Time-to-live expiry is tested
//! on the embedded engine, whose sweep the test can run; the servers sweep on
//! their own clocks.

use std::collections::HashMap;
use std::time::Duration;

use dynamodb_mapper::model::Decoded;
use dynamodb_mapper::model::StreamView;
use dynamodb_mapper::streams::Change;
use dynamodb_mapper::streams::{ChangeEvent, Checkpoint};
use dynamodb_mapper::{AttributeValue, Collection, Connection, Document, Error, Model};
use futures::StreamExt;

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "players", hash_key = "login", stream = "new_and_old_images")]
pub(crate) struct Player {
    pub(crate) login: String,
    pub(crate) level: u32,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "keys_only", hash_key = "login", stream = "keys_only")]
struct KeysOnly {
    login: String,
    level: u32,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "new_only", hash_key = "login", stream = "new_image")]
struct NewOnly {
    login: String,
    level: u32,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "old_only", hash_key = "login", stream = "old_image")]
struct OldOnly {
    login: String,
    level: u32,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "quiet", hash_key = "login")]
struct NoStream {
    login: String,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "PROFILE",
    stream = "new_and_old_images"
)]
struct Customer {
    customer_id: u64,
    name: String,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{order_id}",
    stream = "new_and_old_images"
)]
struct Order {
    customer_id: u64,
    order_id: u32,
    total: i64,
}

struct NameMigrations;

impl dynamodb_mapper::model::Migrator for NameMigrations {
    const VERSIONS: &'static [dynamodb_mapper::model::SchemaVersion] = &[
        // Version 1 stored "name"; version 2 "full_name".
        dynamodb_mapper::model::SchemaVersion::new(1).check(|raw| raw.contains_key("name")),
        dynamodb_mapper::model::SchemaVersion::new(2)
            .check(|raw| raw.contains_key("full_name"))
            .migrate(|raw| {
                let name = raw.remove("name").ok_or("version 1 items have a name")?;
                raw.insert("full_name".into(), name);
                Ok(())
            }),
    ];
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "members", hash_key = "id", stream = "new_and_old_images", migrator = NameMigrations)]
struct Member {
    id: String,
    full_name: String,
}

#[derive(Collection, Debug, PartialEq)]
enum CustomerData {
    Customer(Customer),
    Order(Order),
}

/// Every event until the reader has caught up (bounded).
pub(crate) async fn read_all<M: dynamodb_mapper::streams::DecodeChange>(
    conn: &Connection,
) -> Result<Vec<ChangeEvent<M>>, Error> {
    let mut reader = conn.changes::<M>().reader();
    let mut events = Vec::new();
    for _ in 0..10_000 {
        match reader.next().await {
            Some(event) => events.push(event?),
            None => return Ok(events),
        }
    }
    panic!("the reader did not catch up in 10,000 events");
}

fn level_of<M: Model>(image: Option<&Document<M>>, level: impl Fn(&M) -> u32) -> Option<u32> {
    image.map(|document| level(document))
}

crate::engine_tests! {
    streams:

    async fn inserts_modifies_and_removes_arrive_with_both_images(conn, engine) {
        conn.create_table::<Player>().await?;
        let mut ann = Document::new(Player { login: "ann".into(), level: 1 });
        conn.save(&mut ann).await?;
        ann.level = 2;
        conn.save(&mut ann).await?;
        conn.delete(&mut ann).await?;

        let events = read_all::<Player>(&conn).await?;
        assert_eq!(events.len(), 3, "{engine:?}: {events:?}");
        let changes: Vec<_> = events.iter().map(|e| e.change.as_ref().expect("decodes")).collect();
        assert!(matches!(&changes[0].change, Change::Inserted { new: Some(new) } if new.level == 1));
        assert!(matches!(&changes[1].change,
            Change::Modified { old: Some(old), new: Some(new) } if old.level == 1 && new.level == 2));
        assert!(matches!(&changes[2].change,
            Change::Removed { old: Some(old), expired: false } if old.level == 2));
        for change in &changes {
            assert_eq!(change.keys.get("login"), Some(&AttributeValue::S("ann".into())));
            assert_eq!(change.view, Some(StreamView::NewAndOldImages));
            assert!(change.approximate_creation.is_some());
        }
        let ids: std::collections::HashSet<_> = changes.iter().map(|c| c.event_id.clone()).collect();
        assert_eq!(ids.len(), 3, "event ids are distinct");
        let numbers: Vec<u128> = events.iter().map(|e| e.sequence_number.parse().expect("a number")).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "in order: {numbers:?}");
    }

    async fn each_view_type_carries_its_images(conn, engine) {
        async fn three<M: Model>(conn: &Connection, model: M, change: impl Fn(&mut M)) -> Result<(), Error> {
            conn.create_table::<M>().await?;
            let mut document = Document::new(model);
            conn.save(&mut document).await?;
            change(&mut document);
            conn.save(&mut document).await?;
            conn.delete(&mut document).await?;
            Ok(())
        }
        let bump = |level: &mut u32| *level += 1;
        three(&conn, KeysOnly { login: "k".into(), level: 1 }, |m| bump(&mut m.level)).await?;
        three(&conn, NewOnly { login: "n".into(), level: 1 }, |m| bump(&mut m.level)).await?;
        three(&conn, OldOnly { login: "o".into(), level: 1 }, |m| bump(&mut m.level)).await?;

        let images = |change: &Change<Document<KeysOnly>>| (change.old_image().is_some(), change.new_image().is_some());
        let keys_only: Vec<_> = read_all::<KeysOnly>(&conn).await?.into_iter().map(|e| e.change.expect("decodes")).collect();
        assert_eq!(keys_only.len(), 3, "{engine:?}");
        assert!(keys_only.iter().all(|c| images(&c.change) == (false, false)), "{engine:?}: {keys_only:?}");
        assert!(keys_only.iter().all(|c| c.keys.contains_key("login")));

        let new_only: Vec<_> = read_all::<NewOnly>(&conn).await?.into_iter().map(|e| e.change.expect("decodes")).collect();
        let levels: Vec<_> = new_only.iter().map(|c| (level_of(c.change.old_image(), |m| m.level), level_of(c.change.new_image(), |m| m.level))).collect();
        assert_eq!(levels, [(None, Some(1)), (None, Some(2)), (None, None)], "{engine:?}");

        let old_only: Vec<_> = read_all::<OldOnly>(&conn).await?.into_iter().map(|e| e.change.expect("decodes")).collect();
        let levels: Vec<_> = old_only.iter().map(|c| (level_of(c.change.old_image(), |m| m.level), level_of(c.change.new_image(), |m| m.level))).collect();
        assert_eq!(levels, [(None, None), (Some(1), None), (Some(2), None)], "{engine:?}");
    }

    async fn a_record_that_does_not_decode_is_an_event_and_the_stream_goes_on(conn, engine) {
        conn.create_table::<Player>().await?;
        let bad = dynamodb_mapper::Item::from_iter([
            ("login".to_string(), AttributeValue::S("bob".into())),
            ("level".to_string(), AttributeValue::S("not a number".into())),
        ]);
        crate::common::put_raw(&conn, "players", bad).await?;
        conn.save(Document::new(Player { login: "cy".into(), level: 3 })).await?;

        let events = read_all::<Player>(&conn).await?;
        assert_eq!(events.len(), 2, "{engine:?}");
        let undecoded = events[0].change.as_ref().expect_err("the wrong type does not decode");
        match &undecoded.error {
            Error::Attribute(e) => assert_eq!((e.model, e.attribute.as_str()), ("Player", "level")),
            other => panic!("{other:?}"),
        }
        assert_eq!(undecoded.record.keys.get("login"), Some(&AttributeValue::S("bob".into())));
        assert!(matches!(&events[1].change, Ok(c) if matches!(&c.change, Change::Inserted { new: Some(p) } if p.level == 3)));
    }

    async fn entities_read_their_own_records_and_collections_all(conn, engine) {
        conn.create_table::<Customer>().await?;
        conn.save(Document::new(Customer { customer_id: 7, name: "Ann".into() })).await?;
        conn.save(Document::new(Order { customer_id: 7, order_id: 1, total: 30 })).await?;
        conn.save(Document::new(Order { customer_id: 7, order_id: 2, total: 40 })).await?;

        let orders = read_all::<Order>(&conn).await?;
        let totals: Vec<_> = orders.iter().map(|e| e.change.as_ref().expect("decodes").change.new_image().map(|o| o.total)).collect();
        assert_eq!(totals, [Some(30), Some(40)], "{engine:?}: only orders");
        let customers = read_all::<Customer>(&conn).await?;
        assert_eq!(customers.len(), 1, "{engine:?}: only the customer");

        let all = read_all::<CustomerData>(&conn).await?;
        let kinds: Vec<_> = all.iter().map(|e| match e.change.as_ref().expect("decodes").change.new_image() {
            Some(Decoded::Known(CustomerData::Customer(c))) => format!("customer {}", c.name),
            Some(Decoded::Known(CustomerData::Order(o))) => format!("order {}", o.order_id),
            other => panic!("{other:?}"),
        }).collect();
        assert_eq!(kinds, ["customer Ann", "order 1", "order 2"], "{engine:?}");
        // A reader of one entity passes the others by, and its checkpoint
        // still moves past them.
        let mut reader = conn.changes::<Customer>().reader();
        while let Some(event) = reader.next().await { event?; }
        let last = all.last().map(|e| e.sequence_number.clone());
        assert_eq!(reader.checkpoint().shards().next().map(|(_, n)| n.to_owned()), last);
    }

    async fn images_are_migrated_as_any_read(conn, engine) {
        conn.create_table::<Member>().await?;
        let old_style = dynamodb_mapper::Item::from_iter([
            ("id".to_string(), AttributeValue::S("m1".into())),
            ("name".to_string(), AttributeValue::S("Ann Smith".into())),
        ]);
        crate::common::put_raw(&conn, "members", old_style).await?;
        let events = read_all::<Member>(&conn).await?;
        let change = events[0].change.as_ref().expect("migrated and decoded");
        let new = change.change.new_image().expect("new image");
        assert_eq!(new.full_name, "Ann Smith", "{engine:?}");
        assert!(new.stored_item().is_some_and(|stored| stored.contains_key("name")), "the snapshot is the stored item");
    }

    async fn a_table_without_a_stream_is_a_typed_error(conn, engine) {
        conn.create_table::<NoStream>().await?;
        let mut reader = conn.changes::<NoStream>().reader();
        match reader.next().await {
            Some(Err(Error::InvalidRequest { model, reason, .. })) => {
                assert_eq!(model, "NoStream");
                assert!(reason.contains("no stream"), "{reason}");
            }
            other => panic!("{engine:?}: {other:?}"),
        }
        assert!(reader.next().await.is_none(), "the reader ends after it");
    }

    async fn a_checkpoint_whose_position_is_no_sequence_number_is_refused(conn, engine) {
        conn.create_table::<Player>().await?;
        conn.save(Document::new(Player { login: "p".into(), level: 1 })).await?;
        for position in ["abc", "", "12x"] {
            let text = format!(r#"{{"shards":{{"shardId-1":{position:?}}}}}"#);
            let checkpoint: Checkpoint = serde_json::from_str(&text)?;
            let mut reader = conn.changes::<Player>().resume(checkpoint).reader();
            match reader.next().await {
                Some(Err(error @ Error::InvalidCheckpoint { .. })) => {
                    let Error::InvalidCheckpoint { shard_id, position: held, .. } = &error else { unreachable!() };
                    assert_eq!((shard_id.as_str(), held.as_str()), ("shardId-1", position));
                    assert!(error.to_string().contains("shardId-1"), "{error}");
                }
                other => panic!("{engine:?}, {position:?}: {other:?}"),
            }
            assert!(reader.next().await.is_none(), "the reader ends after it");
        }
    }

    async fn resuming_from_a_checkpoint_misses_nothing_and_repeats_only_the_unstored(conn, engine) {
        conn.create_table::<Player>().await?;
        for level in 0..10 {
            conn.save(Document::new(Player { login: format!("p{level}"), level })).await?;
        }
        // A consumer processes four changes and stores its checkpoint after
        // three: it stops (a crash) before storing the fourth.
        let mut reader = conn.changes::<Player>().reader();
        let mut processed: Vec<u32> = Vec::new();
        let mut stored = Checkpoint::default();
        for _ in 0..4 {
            let event = reader.next().await.expect("an event")?;
            processed.push(event.change.expect("decodes").change.new_image().expect("new image").level);
            if processed.len() < 4 {
                stored = reader.checkpoint().clone();
            }
        }
        drop(reader);
        let stored: Checkpoint = serde_json::from_str(&serde_json::to_string(&stored)?)?;
        for level in 10..15 {
            conn.save(Document::new(Player { login: format!("p{level}"), level })).await?;
        }
        let mut resumed = conn.changes::<Player>().resume(stored).reader();
        for _ in 0..100 {
            let Some(event) = resumed.next().await else { break };
            processed.push(event?.change.expect("decodes").change.new_image().expect("new image").level);
        }
        let mut counts: HashMap<u32, usize> = HashMap::new();
        for level in &processed {
            *counts.entry(*level).or_default() += 1;
        }
        assert_eq!(counts.len(), 15, "{engine:?}: no change missed: {processed:?}");
        let duplicates: Vec<_> = counts.iter().filter(|(_, n)| **n > 1).map(|(l, _)| *l).collect();
        assert_eq!(duplicates, [3], "{engine:?}: only the change processed after the stored checkpoint comes again");
        assert_eq!(processed.len(), 16);
    }

    async fn a_reader_resumed_at_the_end_sees_what_comes_later(conn, engine) {
        conn.create_table::<Player>().await?;
        conn.save(Document::new(Player { login: "a".into(), level: 1 })).await?;
        let mut reader = conn.changes::<Player>().reader();
        while let Some(event) = reader.next().await { event?; }
        let checkpoint = reader.checkpoint().clone();
        let mut resumed = conn.changes::<Player>().resume(checkpoint).follow(Duration::from_millis(20)).reader();
        let nothing = tokio::time::timeout(Duration::from_millis(200), resumed.next()).await;
        assert!(nothing.is_err(), "{engine:?}: nothing after the checkpoint yet");
        conn.save(Document::new(Player { login: "b".into(), level: 2 })).await?;
        let event = tokio::time::timeout(Duration::from_secs(10), resumed.next()).await?
            .expect("following never ends")?;
        assert_eq!(event.change.expect("decodes").change.new_image().map(|p| p.level), Some(2));
    }

    async fn from_latest_reads_only_what_comes_after(conn, engine) {
        conn.create_table::<Player>().await?;
        conn.save(Document::new(Player { login: "before".into(), level: 1 })).await?;
        let mut reader = conn.changes::<Player>().from_latest().follow(Duration::from_millis(20)).reader();
        // The reader takes its position at its first read.
        let first = tokio::time::timeout(Duration::from_millis(200), reader.next()).await;
        assert!(first.is_err(), "{engine:?}: nothing new yet: {:?}", first.ok().flatten().map(|e| e.map(|e| e.sequence_number)));
        conn.save(Document::new(Player { login: "after".into(), level: 2 })).await?;
        let event = tokio::time::timeout(Duration::from_secs(10), reader.next()).await?
            .expect("following never ends")?;
        let change = event.change.expect("decodes");
        assert_eq!(change.change.new_image().map(|p| p.login.clone()), Some("after".into()));
    }

    async fn a_following_stream_delivers_changes_made_after_it_started(conn, engine) {
        conn.create_table::<Player>().await?;
        let stream = conn.changes::<Player>().follow(Duration::from_millis(20)).stream();
        let reading = tokio::spawn(async move {
            stream.take(3).map(|e| e.map(|e| e.sequence_number)).collect::<Vec<_>>().await
        });
        for level in 0..3 {
            conn.save(Document::new(Player { login: format!("f{level}"), level })).await?;
        }
        let events = tokio::time::timeout(Duration::from_secs(20), reading).await??;
        assert_eq!(events.len(), 3, "{engine:?}");
        assert!(events.iter().all(Result::is_ok));
    }
}

#[cfg(feature = "embedded")]
mod embedded_only {
    use super::*;
    use chrono::{DateTime, Utc};
    use dynamodb_mapper::engine::EmbeddedEngine;

    #[derive(Model, Debug, Clone, PartialEq, Default)]
    #[dynamodb(
        table = "sessions",
        hash_key = "id",
        ttl = "expires",
        stream = "new_and_old_images"
    )]
    struct Session {
        id: String,
        #[dynamodb(epoch_seconds)]
        expires: DateTime<Utc>,
    }

    /// dynoxide's sweep deletes expired items as DynamoDB's does, with the
    /// service's identity on the record.
    #[tokio::test]
    async fn an_expiry_is_told_apart_from_a_deletion() -> Result<(), Box<dyn std::error::Error>> {
        let engine = EmbeddedEngine::memory()?;
        let conn = Connection::new(engine.clone());
        conn.create_table::<Session>().await?;
        let past = DateTime::from_timestamp(1_000_000_000, 0).expect("a time");
        let mut expired = Document::new(Session {
            id: "old".into(),
            expires: past,
        });
        conn.save(&mut expired).await?;
        let mut deleted = Document::new(Session {
            id: "gone".into(),
            expires: Utc::now() + chrono::Duration::days(1),
        });
        conn.save(&mut deleted).await?;
        conn.delete(&mut deleted).await?;
        assert_eq!(engine.database().sweep_ttl()?, 1, "one item expired");

        let removals: Vec<_> = read_all::<Session>(&conn)
            .await?
            .into_iter()
            .filter_map(|e| match e.change.expect("decodes").change {
                Change::Removed { old, expired } => Some((old.map(|s| s.id.clone()), expired)),
                _ => None,
            })
            .collect();
        assert_eq!(
            removals,
            [(Some("gone".into()), false), (Some("old".into()), true)]
        );
        Ok(())
    }
}

/// An `aws` engine built without a streams client reads no streams: the
/// reader says so before sending anything (nothing listens at the endpoint,
/// so a request sent would fail as a transport error instead).
#[cfg(feature = "aws")]
#[tokio::test]
async fn an_aws_engine_without_a_streams_client_is_refused_before_sending(
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let engine =
        dynamodb_mapper::engine::AwsEngine::new(crate::common::sdk_client("http://127.0.0.1:9"));
    let conn = dynamodb_mapper::Connection::new(engine);
    let mut reader = conn.changes::<Player>().reader();
    match reader.next().await {
        Some(Err(Error::Unsupported { needs, engine, .. })) => {
            assert!(needs.contains("stream"), "{needs}");
            assert!(engine.starts_with("aws"), "{engine}");
        }
        other => panic!("{other:?}"),
    }
    assert!(reader.next().await.is_none(), "the reader ends after it");
    Ok(())
}
