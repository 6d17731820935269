//! Models under `format = "python"` beyond the plain struct: generic models
//! and wrapped collections, every policy at once (migrator, version, ttl,
//! auto-increment), and condition helpers on a native list beside lists kept
//! as JSON text.

use crate::common;

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use dynamodb_mapper::attribute::Secret;
use dynamodb_mapper::{AttributeValue, Document, Item, Model};
use futures::TryStreamExt;

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "rt_generic", hash_key = "id", format = "python")]
pub(crate) struct Generic<T>
where
    T: serde::Serialize
        + serde::de::DeserializeOwned
        + Clone
        + std::fmt::Debug
        + PartialEq
        + Default
        + Send
        + Sync
        + 'static,
{
    pub(crate) id: String,
    pub(crate) items: Vec<T>,
    pub(crate) maybe: Option<Vec<T>>,
    #[allow(clippy::box_collection)] // Box<T> of the original's form is the point
    pub(crate) boxed: Box<Vec<T>>,
    #[dynamodb(sensitive)]
    pub(crate) secret: Secret<Vec<String>>,
    pub(crate) by_key: BTreeMap<String, T>,
}

#[test]
fn generic_and_wrapped_collections_are_json_text() {
    let value = Generic::<u64> {
        id: "g".into(),
        items: vec![1, u64::MAX],
        maybe: Some(vec![3]),
        boxed: Box::new(vec![4, 5]),
        secret: Secret::new(vec!["é".into()]),
        by_key: BTreeMap::from([("b".to_string(), 2), ("a".to_string(), 1)]),
    };
    let item = value.to_item().expect("encodable");
    assert_eq!(item["items"], s("[1, 18446744073709551615]"));
    assert_eq!(item["maybe"], s("[3]"));
    assert_eq!(item["boxed"], s("[4, 5]"));
    assert_eq!(item["secret"], s(r#"["\u00e9"]"#));
    assert_eq!(item["by_key"], s(r#"{"a": 1, "b": 2}"#));
    assert_eq!(Generic::<u64>::from_item(item).expect("decodable"), value);
    let missing =
        Generic::<u64>::from_item(Item::from_iter([("id".to_string(), s("g"))])).expect("neutral");
    assert_eq!(
        missing,
        Generic::<u64> {
            id: "g".into(),
            ..Default::default()
        }
    );

    let strings = Generic::<String> {
        id: "g".into(),
        items: vec!["x".into()],
        ..Default::default()
    };
    assert_eq!(
        strings.to_item().expect("encodable")["items"],
        s(r#"["x"]"#)
    );
    let error = Generic::<u8>::from_item(Item::from_iter([
        ("id".to_string(), s("g")),
        ("boxed".to_string(), s("[300]")),
    ]))
    .expect_err("300 is no u8");
    assert_eq!(
        (error.model, error.attribute.as_str()),
        ("Generic", "boxed")
    );
}

/// The switch with every model policy: a migrator, a version, a ttl on a
/// datetime kept as epoch seconds, an auto-increment key.
mod all_policies {
    use super::*;
    use dynamodb_mapper::model::{Migrator, SchemaVersion};

    pub struct Steps;

    impl Migrator for Steps {
        const VERSIONS: &'static [SchemaVersion] = &[
            SchemaVersion::new(1).check(|raw| raw.contains_key("old_tags")),
            SchemaVersion::new(2)
                .check(|raw| !raw.contains_key("old_tags"))
                .migrate(|raw| {
                    if let Some(old) = raw.remove("old_tags") {
                        raw.insert("tags".into(), old);
                    }
                    Ok(())
                }),
        ];
    }

    #[derive(Model, Debug, Clone, PartialEq, Default)]
    #[dynamodb(table = "rt_policies", hash_key = "id", ttl = "expires", migrator = Steps, format = "python")]
    pub struct Everything {
        #[dynamodb(auto_increment)]
        pub id: i64,
        #[dynamodb(version)]
        pub version: i64,
        #[dynamodb(epoch_seconds)]
        pub expires: DateTime<Utc>,
        pub tags: Vec<String>,
        pub active: bool,
    }

    engine_tests! {
        async fn the_switch_with_every_policy(conn, engine) {
            conn.create_table::<Everything>().await?;
            let expires = Utc.timestamp_opt(2_000_000_000, 0).single().expect("a time");
            let mut doc = Document::new(Everything { expires, tags: vec!["a".into()], active: true, ..Default::default() });
            conn.save(&mut doc).await?;
            assert_eq!((doc.id, doc.version), (1, 1));
            let stored = doc.stored_item().expect("saved").clone();
            assert_eq!(stored.get("expires"), Some(&n("2000000000")));
            assert_eq!(stored.get("tags"), Some(&s(r#"["a"]"#)));
            assert_eq!(stored.get("active"), Some(&n("1")));
            assert_eq!(stored.get("version"), Some(&n("1")));
            // An item of version 1 migrates on load, JSON text and all.
            common::put_raw(&conn, "rt_policies", Item::from_iter([
                ("id".to_string(), n("5")),
                ("old_tags".to_string(), s(r#"["x", "y"]"#)),
                ("active".to_string(), n("0")),
            ])).await?;
            let migrated = conn.get::<Everything>(5).consistent_read().await?.expect("stored");
            assert_eq!(migrated.tags, ["x", "y"]);
            assert!(!migrated.active);
        }
    }
}

// Condition helpers on a field kept as JSON text.

// `contains` and `size` on a list kept as JSON text answered about the text
// (a substring of the JSON, its length in characters): they no longer
// compile there (tests/ui/contains_size_on_json_text.rs). Stored
// natively, they answer about the list.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "rt_bags", hash_key = "id", format = "python")]
struct Bag {
    id: String,
    #[dynamodb(native)]
    inventory: Vec<String>,
    #[dynamodb(native)]
    counts: Vec<u32>,
}

async fn bag_ids(
    conn: &dynamodb_mapper::Connection,
    filter: dynamodb_mapper::Condition,
) -> dynamodb_mapper::Result<Vec<String>> {
    let mut ids: Vec<String> = conn
        .scan::<Bag>()
        .filter(filter)
        .map_ok(|d| d.into_inner().id)
        .try_collect()
        .await?;
    ids.sort();
    Ok(ids)
}

mod json_text_conditions {
    use super::*;

    engine_tests! {
        async fn contains_and_size_on_a_native_list_answer_about_the_list(conn, engine) {
            conn.create_table::<Bag>().await?;
            for (id, inventory, counts) in [("a", vec!["sword"], vec![3]), ("b", vec!["swordfish", "shield"], vec![33])] {
                conn.save(Document::new(Bag { id: id.into(), inventory: inventory.into_iter().map(String::from).collect(), counts })).await?;
            }
            let f = Bag::fields();
            assert_eq!(bag_ids(&conn, f.inventory.contains("sword".to_string())).await?, ["a"]);
            assert_eq!(bag_ids(&conn, f.counts.contains(3u32)).await?, ["a"]);
            assert_eq!(bag_ids(&conn, f.inventory.size().eq(2)).await?, ["b"]);
        }
    }
}
