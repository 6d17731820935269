//! Migrations on read, on every engine: version detection in numeric order,
//! later steps in ascending order, the snapshot left as stored.

use crate::common;

use dynamodb_mapper::model::{Migrator, SchemaVersion};
use dynamodb_mapper::{AttributeValue, Connection, Error, Item, Model};
use futures::TryStreamExt;

/// Version 1: `name`. Version 2: `full_name`. Version 11: adds `visits`
/// (checked after 2: versions sort as numbers, not as text).
struct ProfileVersions;

fn rename_name(raw: &mut Item) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let name = raw.remove("name").ok_or("version 1 items have a name")?;
    raw.insert("full_name".into(), name);
    Ok(())
}

fn add_visits(raw: &mut Item) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    raw.insert("visits".into(), AttributeValue::N("0".into()));
    raw.insert("migrated".into(), AttributeValue::Bool(true));
    Ok(())
}

impl Migrator for ProfileVersions {
    const VERSIONS: &'static [SchemaVersion] = &[
        SchemaVersion::new(11)
            .check(|raw| raw.contains_key("visits"))
            .migrate(add_visits),
        SchemaVersion::new(1).check(|raw| raw.contains_key("name")),
        SchemaVersion::new(2)
            .check(|raw| raw.contains_key("full_name"))
            .migrate(rename_name),
    ];
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "profiles", hash_key = "id", migrator = ProfileVersions)]
struct Profile {
    id: String,
    full_name: String,
    visits: u32,
    migrated: bool,
}

/// A migration step's own error type, to find again behind `Error::Migration`.
#[derive(Debug, PartialEq)]
struct NoName {
    attributes: usize,
}

impl std::fmt::Display for NoName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no name among {} attributes", self.attributes)
    }
}

impl std::error::Error for NoName {}

struct StrictVersions;

impl Migrator for StrictVersions {
    const VERSIONS: &'static [SchemaVersion] = &[
        SchemaVersion::new(1).check(|raw| raw.contains_key("name")),
        SchemaVersion::new(2)
            .check(|raw| raw.contains_key("full_name"))
            .migrate(|raw| match raw.remove("name") {
                Some(AttributeValue::S(name)) if !name.is_empty() => {
                    raw.insert("full_name".into(), AttributeValue::S(name));
                    Ok(())
                }
                _ => Err(Box::new(NoName {
                    attributes: raw.len(),
                })),
            }),
    ];
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "strict_profiles", hash_key = "id", migrator = StrictVersions)]
struct StrictProfile {
    id: String,
    full_name: String,
}

#[test]
fn a_failing_step_is_the_source_of_the_migration_error() {
    let item = Item::from_iter([
        ("id".to_string(), s("x")),
        ("name".to_string(), AttributeValue::N("7".into())),
    ]);
    let error = dynamodb_mapper::Document::<StrictProfile>::from_stored(item)
        .expect_err("the step refuses a numeric name");
    match &error {
        Error::Migration {
            model,
            key,
            version,
            ..
        } => {
            assert_eq!((*model, *version), ("StrictProfile", 2u32));
            assert_eq!(key.get("id"), Some(&s("x")));
        }
        other => panic!("expected a migration error, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "StrictProfile (id=\"x\"): migration to version 2 failed: no name among 1 attributes",
        "the message keeps the step's"
    );
    let cause = std::error::Error::source(&error).expect("the step's error");
    assert_eq!(
        cause.downcast_ref::<NoName>(),
        Some(&NoName { attributes: 1 })
    );
}

async fn put_raw(
    conn: &Connection,
    pairs: &[(&str, AttributeValue)],
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let item: Item = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    common::put_raw(conn, "profiles", item).await
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

engine_tests! {
    async fn every_later_step_runs_in_numeric_order(conn, engine) {
        conn.create_table::<Profile>().await?;
        put_raw(&conn, &[("id", s("v1")), ("name", s("Ada"))]).await?;
        put_raw(&conn, &[("id", s("v2")), ("full_name", s("Grace"))]).await?;
        put_raw(&conn, &[("id", s("v11")), ("full_name", s("Edsger")), ("visits", AttributeValue::N("5".into()))]).await?;

        let v1 = conn.get::<Profile>("v1".to_string()).await?.expect("stored");
        assert_eq!((v1.full_name.as_str(), v1.visits, v1.migrated), ("Ada", 0, true), "1 -> 2 -> 11");
        let v2 = conn.get::<Profile>("v2".to_string()).await?.expect("stored");
        assert_eq!((v2.full_name.as_str(), v2.migrated), ("Grace", true), "2 -> 11");
        let v11 = conn.get::<Profile>("v11".to_string()).await?.expect("stored");
        assert_eq!((v11.visits, v11.migrated), (5, false), "11 is current: no step runs");

        // Every read path migrates.
        let scanned: Vec<_> = conn.scan::<Profile>().try_collect().await?;
        assert!(scanned.iter().all(|p| !p.full_name.is_empty()));
        let batch: Vec<_> = conn.get_batch::<Profile>(["v1".to_string()]).try_collect().await?;
        assert!(batch[0].migrated);
    }

    async fn the_snapshot_stays_as_stored_and_saving_writes_back(conn, engine) {
        conn.create_table::<Profile>().await?;
        put_raw(&conn, &[("id", s("v1")), ("name", s("Ada"))]).await?;
        let mut ada = conn.get::<Profile>("v1".to_string()).await?.expect("stored");
        let stored = ada.stored_item().expect("loaded");
        assert_eq!(stored.get("name"), Some(&s("Ada")));
        assert!(!stored.contains_key("full_name"), "the snapshot is the stored item, not the migrated copy");
        // Conflict detection compares against what is really stored: the save passes.
        ada.visits = 1;
        conn.save(&mut ada).raise_on_conflict().await?;
        let again = conn.get::<Profile>("v1".to_string()).await?.expect("stored");
        assert_eq!(again.stored_item().and_then(|i| i.get("full_name")), Some(&s("Ada")), "written back in the new form");
        assert!(!again.stored_item().is_some_and(|i| i.contains_key("name")), "what the migration removed stays removed");
        assert_eq!(again.visits, 1);
    }

    async fn an_item_no_check_recognises_is_a_version_error(conn, engine) {
        conn.create_table::<Profile>().await?;
        put_raw(&conn, &[("id", s("odd")), ("nickname", s("?"))]).await?;
        match conn.get::<Profile>("odd".to_string()).await {
            Err(Error::UnknownSchemaVersion { model, key, .. }) => {
                assert_eq!(model, "Profile");
                assert_eq!(key.get("id"), Some(&s("odd")));
                assert_eq!(key.to_string(), "id=\"odd\"");
            }
            other => panic!("expected a version error, got {other:?}"),
        }
    }
}
