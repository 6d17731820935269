//! Partial updates and version-attribute locking, on every engine.

use crate::common;

use std::collections::BTreeSet;

use common::models::{Everything, Player};
use dynamodb_mapper::error::ConflictKind;
use dynamodb_mapper::{AttributeValue, Connection, Document, Error, Model};

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "counters", hash_key = "id")]
struct Counter {
    id: String,
    hits: u64,
    #[dynamodb(version)]
    version: u64,
}

fn conflict_kind<T: std::fmt::Debug>(result: Result<T, Error>) -> Option<ConflictKind> {
    match result {
        Err(Error::Conflict(conflict)) => Some(conflict.kind),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

async fn ann(conn: &Connection) -> dynamodb_mapper::Result<()> {
    conn.create_table::<Player>().await?;
    let player = Player {
        login: "ann".into(),
        display_name: "Ann".into(),
        level: 1,
        state: "new".into(),
        tags: BTreeSet::from(["a".into(), "b".into()]),
    };
    conn.save(Document::new(player)).await
}

engine_tests! {
    async fn update_sends_only_the_actions(conn, engine) {
        ann(&conn).await?;
        let f = Player::fields();
        conn
            .update::<Player>("ann".into())
            .set(f.display_name, "Ann B.")
            .set(f.state, "active")
            .add(f.level, 2u32)
            .add(f.tags, BTreeSet::from(["c".to_string()]))
            .await?;
        let updated = conn.update::<Player>("ann".into()).delete(f.tags, BTreeSet::from(["a".to_string()])).return_new().await?;
        assert_eq!(updated.display_name, "Ann B.");
        assert_eq!((updated.level, updated.state.as_str()), (3, "active"));
        assert_eq!(updated.tags, BTreeSet::from(["b".to_string(), "c".to_string()]));
        assert_eq!(updated.stored_item().and_then(|i| i.get("name")), Some(&AttributeValue::S("Ann B.".into())), "reserved words just work");

        match conn.update::<Player>("ann".into()).plus(f.level, 10u32).minus(f.level, 1u32).await {
            Err(Error::InvalidRequest { model: "Player", reason, .. }) => assert!(reason.contains("overlapping paths (level and level)"), "{reason}"),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
        assert!(matches!(conn.update::<Player>("ann".into()).await, Err(Error::InvalidRequest { .. })), "no action");
        conn.update::<Player>("ann".into()).plus(f.level, 10u32).await?;
        conn.update::<Player>("ann".into()).minus(f.level, 3u32).await?;
        assert_eq!(conn.get::<Player>("ann".into()).await?.map(|p| p.level), Some(10));

        let old = conn.update::<Player>("ann".into()).remove(f.state).return_old().await?.expect("existed");
        assert_eq!(old.state, "active");
        let changed = conn.update::<Player>("ann".into()).set(f.level, 42u32).return_updated_new().await?;
        assert_eq!(changed.keys().collect::<Vec<_>>(), ["level"]);
        let now = conn.get::<Player>("ann".into()).await?.expect("exists");
        assert!(!now.stored_item().expect("loaded").contains_key("status"), "removed");
    }

    async fn empty_values_remove_attributes(conn, engine) {
        ann(&conn).await?;
        let f = Player::fields();
        conn.update::<Player>("ann".into()).set(f.display_name, "").set(f.tags, BTreeSet::new()).await?;
        let now = conn.get::<Player>("ann".into()).await?.expect("exists");
        let stored = now.stored_item().expect("loaded");
        assert!(!stored.contains_key("name") && !stored.contains_key("tags"), "{stored:?}");
        // Adding or deleting no members is no action at all.
        conn.update::<Player>("ann".into()).add(f.tags, BTreeSet::new()).delete(f.tags, BTreeSet::new()).set(f.level, 5u32).await?;
    }

    async fn lists_append_and_prepend(conn, engine) {
        conn.create_table::<Everything>().await?;
        let f = Everything::fields();
        conn.update::<Everything>("e".into()).append(f.list, vec![1, 2]).await?;
        conn.update::<Everything>("e".into()).append(f.list, vec![3]).prepend(f.nested_lists, vec![vec!["x".to_string()]]).await?;
        conn.update::<Everything>("e".into()).prepend(f.list, vec![0]).await?;
        let e = conn.get::<Everything>("e".into()).await?.expect("created by the update");
        assert_eq!(e.list, [0, 1, 2, 3]);
        assert_eq!(e.nested_lists, [vec!["x".to_string()]]);
    }

    async fn updates_can_be_conditional(conn, engine) {
        ann(&conn).await?;
        let f = Player::fields();
        assert_eq!(conflict_kind(conn.update::<Player>("nobody".into()).set(f.level, 1u32).if_exists().await), Some(ConflictKind::ConditionFailed));
        assert!(conn.get::<Player>("nobody".into()).await?.is_none());
        assert_eq!(conflict_kind(conn.update::<Player>("ann".into()).set(f.level, 9u32).condition(f.level.gt(5u32)).await), Some(ConflictKind::ConditionFailed));
        conn.update::<Player>("ann".into()).set(f.level, 9u32).condition(f.level.lt(5u32)).if_exists().await?;
        assert_eq!(conn.get::<Player>("ann".into()).await?.map(|p| p.level), Some(9));
    }

    async fn atomic_counters_lose_no_increment(conn, engine) {
        ann(&conn).await?;
        let tasks: Vec<_> = (0..4).map(|_| {
            let conn = conn.clone();
            tokio::spawn(async move {
                for _ in 0..10 {
                    conn.update::<Player>("ann".into()).add(Player::fields().level, 1u32).await?;
                }
                Ok::<_, Error>(())
            })
        }).collect();
        for task in tasks {
            task.await??;
        }
        assert_eq!(conn.get::<Player>("ann".into()).consistent_read().await?.map(|p| p.level), Some(41));
    }

    async fn the_version_attribute_locks_saves_deletes_and_updates(conn, engine) {
        conn.create_table::<Counter>().await?;
        let mut counter = Document::new(Counter { id: "home".into(), ..Default::default() });
        conn.save(&mut counter).await?;
        assert_eq!(counter.version, 1);
        assert_eq!(conflict_kind(conn.save(Document::new(Counter { id: "home".into(), ..Default::default() })).await), Some(ConflictKind::Overwrite));

        let mut stale = conn.get::<Counter>("home".into()).await?.expect("saved");
        counter.hits = 1;
        conn.save(&mut counter).await?;
        assert_eq!(counter.version, 2);
        stale.hits = 100;
        assert_eq!(conflict_kind(conn.save(&mut stale).await), Some(ConflictKind::Changed));
        assert_eq!(stale.version, 1, "a failed save keeps the version read");
        assert_eq!(conflict_kind(conn.delete(&mut stale).await), Some(ConflictKind::Changed));

        let f = Counter::fields();
        assert_eq!(conflict_kind(conn.update::<Counter>("home".into()).add(f.hits, 1u64).expect_version(1).await), Some(ConflictKind::Changed));
        let bumped = conn.update::<Counter>("home".into()).add(f.hits, 1u64).expect_version(2).return_new().await?;
        assert_eq!((bumped.hits, bumped.version), (2, 3), "an update bumps the version");
        assert_eq!(conflict_kind(conn.save(&mut counter).await), Some(ConflictKind::Changed), "counter still holds version 2");

        let mut fresh = conn.get::<Counter>("home".into()).await?.expect("saved");
        conn.delete(&mut fresh).await?;
        assert!(conn.get::<Counter>("home".into()).await?.is_none());
    }
}
