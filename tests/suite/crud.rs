//! Save, get and delete, with the original's conflict detection, on every engine.

use crate::common;

use common::models::{DoomMap, Player};
use dynamodb_mapper::error::ConflictKind;
use dynamodb_mapper::{AttributeValue, Document, Error};

async fn doom_table(conn: &dynamodb_mapper::Connection) -> dynamodb_mapper::Result<()> {
    conn.create_table::<DoomMap>()
        .provisioned(10, 10)
        .wait_for_active()
        .await?;
    Ok(())
}

fn conflict_kind(result: Result<(), Error>) -> Option<ConflictKind> {
    match result {
        Err(Error::Conflict(conflict)) => Some(conflict.kind),
        _ => None,
    }
}

engine_tests! {
    async fn save_then_get_returns_the_same_object(conn, engine) {
        doom_table(&conn).await?;
        let mut e1m1 = Document::new(DoomMap::new(1, 1, "Hangar"));
        e1m1.cheats = ["idkfa", "iddqd", "idclip"].map(String::from).into();
        conn.save(&mut e1m1).await?;
        let loaded = conn.get::<DoomMap>((1, 1)).await?.expect("saved");
        assert_eq!(*loaded, *e1m1);
        let consistent = conn.get::<DoomMap>((1, 1)).consistent_read().await?.expect("saved");
        assert_eq!(*consistent, *e1m1);
        assert_eq!(loaded.stored_item(), e1m1.stored_item(), "the snapshot is what was written");
    }

    async fn get_of_a_missing_key_is_none(conn, engine) {
        doom_table(&conn).await?;
        assert!(conn.get::<DoomMap>((1, 99)).await?.is_none());
    }

    async fn defaults_apply_to_new_objects_never_to_loaded_ones(conn, engine) {
        doom_table(&conn).await?;
        let mut fresh = Document::new(DoomMap::new(1, 2, "Nuclear Plant"));
        assert_eq!(fresh.cheats, ["Konami".to_string()].into());
        fresh.cheats.clear();
        conn.save(&mut fresh).await?;
        let loaded = conn.get::<DoomMap>((1, 2)).await?.expect("saved");
        assert!(loaded.cheats.is_empty(), "an empty set is stored absent and reads back empty, not as the default");
        assert!(!loaded.stored_item().expect("loaded").contains_key("cheats"));
    }

    async fn saving_a_new_object_over_a_taken_key_is_an_overwrite_error(conn, engine) {
        doom_table(&conn).await?;
        conn.save(Document::new(DoomMap::new(1, 1, "Hangar"))).raise_on_conflict().await?;
        let mut second = Document::new(DoomMap::new(1, 1, "Impostor"));
        let result = conn.save(&mut second).raise_on_conflict().await;
        assert_eq!(conflict_kind(result), Some(ConflictKind::Overwrite));
        assert_eq!(conn.get::<DoomMap>((1, 1)).await?.expect("kept").name, "Hangar");
        // Without conflict detection the put replaces the item, as in the original.
        conn.save(&mut second).await?;
        assert_eq!(conn.get::<DoomMap>((1, 1)).await?.expect("replaced").name, "Impostor");
    }

    async fn a_loaded_object_saves_only_if_unchanged_since_loaded(conn, engine) {
        doom_table(&conn).await?;
        conn.save(Document::new(DoomMap::new(1, 1, "Hangar"))).await?;
        let mut mine = conn.get::<DoomMap>((1, 1)).await?.expect("saved");
        let mut theirs = conn.get::<DoomMap>((1, 1)).await?.expect("saved");

        theirs.name = "Their hangar".into();
        conn.save(&mut theirs).raise_on_conflict().await?;

        mine.name = "My hangar".into();
        let result = conn.save(&mut mine).raise_on_conflict().await;
        assert_eq!(conflict_kind(result), Some(ConflictKind::Changed));
        assert_eq!(conn.get::<DoomMap>((1, 1)).await?.expect("kept").name, "Their hangar");

        // Their snapshot was updated by their save: they can save again.
        theirs.name = "Their hangar, again".into();
        conn.save(&mut theirs).raise_on_conflict().await?;
        // Reloading gives a fresh snapshot.
        let mut reloaded = conn.get::<DoomMap>((1, 1)).await?.expect("saved");
        reloaded.name = "Mine at last".into();
        conn.save(&mut reloaded).raise_on_conflict().await?;
        assert_eq!(conn.get::<DoomMap>((1, 1)).await?.expect("saved").name, "Mine at last");
    }

    async fn an_attribute_absent_when_loaded_must_still_be_absent(conn, engine) {
        doom_table(&conn).await?;
        let mut original = Document::new(DoomMap::new(1, 3, "Toxin Refinery"));
        original.cheats.clear();
        conn.save(&mut original).await?;
        let mut mine = conn.get::<DoomMap>((1, 3)).await?.expect("saved");
        let mut theirs = conn.get::<DoomMap>((1, 3)).await?.expect("saved");
        theirs.cheats.insert("idspispopd".into());
        conn.save(&mut theirs).await?;
        mine.name = "Renamed".into();
        let result = conn.save(&mut mine).raise_on_conflict().await;
        assert_eq!(conflict_kind(result), Some(ConflictKind::Changed));
    }

    async fn a_deleted_item_is_a_conflict_for_a_loaded_object(conn, engine) {
        doom_table(&conn).await?;
        conn.save(Document::new(DoomMap::new(1, 1, "Hangar"))).await?;
        let mut mine = conn.get::<DoomMap>((1, 1)).await?.expect("saved");
        conn.delete_key::<DoomMap>((1, 1)).await?;
        let result = conn.save(&mut mine).raise_on_conflict().await;
        assert_eq!(conflict_kind(result), Some(ConflictKind::Changed));
    }

    async fn delete_with_conflict_detection(conn, engine) {
        doom_table(&conn).await?;
        // Never loaded: refused before any request.
        let mut never_loaded = Document::new(DoomMap::new(1, 1, "Hangar"));
        let result = conn.delete(&mut never_loaded).raise_on_conflict().await;
        assert_eq!(conflict_kind(result), Some(ConflictKind::NeverLoaded));

        conn.save(&mut never_loaded).await?;
        let mut stale = conn.get::<DoomMap>((1, 1)).await?.expect("saved");
        let mut fresh = conn.get::<DoomMap>((1, 1)).await?.expect("saved");
        fresh.name = "Changed".into();
        conn.save(&mut fresh).await?;
        let result = conn.delete(&mut stale).raise_on_conflict().await;
        assert_eq!(conflict_kind(result), Some(ConflictKind::Changed));
        assert!(conn.get::<DoomMap>((1, 1)).await?.is_some());

        conn.delete(&mut fresh).raise_on_conflict().await?;
        assert!(conn.get::<DoomMap>((1, 1)).await?.is_none());
        // After a delete, a save is an insertion again.
        assert!(!fresh.is_loaded());
        conn.save(&mut fresh).raise_on_conflict().await?;
        assert!(conn.get::<DoomMap>((1, 1)).await?.is_some());
    }

    async fn delete_without_conflict_detection_removes_the_item(conn, engine) {
        doom_table(&conn).await?;
        let mut map = Document::new(DoomMap::new(2, 1, "Deimos Anomaly"));
        conn.save(&mut map).await?;
        conn.delete(&mut map).await?;
        assert!(conn.get::<DoomMap>((2, 1)).await?.is_none());
        conn.delete_key::<DoomMap>((2, 1)).await?;
    }

    async fn reserved_words_as_attribute_names_just_work(conn, engine) {
        conn.create_table::<Player>().wait_for_active().await?;
        let mut player = Document::new(Player {
            login: "ann".into(),
            display_name: "Ann".into(),
            level: 3,
            state: "active".into(),
            tags: ["new".to_string()].into(),
        });
        conn.save(&mut player).raise_on_conflict().await?;
        let mut loaded = conn.get::<Player>("ann".to_string()).await?.expect("saved");
        let stored = loaded.stored_item().expect("loaded");
        assert_eq!(stored.get("name"), Some(&AttributeValue::S("Ann".into())));
        assert_eq!(stored.get("status"), Some(&AttributeValue::S("active".into())));
        loaded.level += 1;
        conn.save(&mut loaded).raise_on_conflict().await?;
        conn.delete(&mut loaded).raise_on_conflict().await?;
    }

    async fn attributes_the_model_does_not_declare_survive_a_save(conn, engine) {
        conn.create_table::<Player>().wait_for_active().await?;
        // Another program stores an attribute Player does not declare.
        let table = conn.table_name("players");
        let mut item = dynamodb_mapper::Item::default();
        item.insert("login".into(), AttributeValue::S("bob".into()));
        item.insert("level".into(), AttributeValue::N("1".into()));
        item.insert("legacy_score".into(), AttributeValue::N("99".into()));
        conn.engine().send(&dynamodb_mapper::engine::request::PutItemInput::new(table, item)).await?;

        let mut bob = conn.get::<Player>("bob".to_string()).await?.expect("saved");
        bob.level = 2;
        conn.save(&mut bob).raise_on_conflict().await?;
        let again = conn.get::<Player>("bob".to_string()).await?.expect("saved");
        assert_eq!(again.level, 2);
        assert_eq!(again.stored_item().and_then(|i| i.get("legacy_score")), Some(&AttributeValue::N("99".into())));
    }

    async fn an_empty_key_is_refused_before_any_request(conn, engine) {
        conn.create_table::<Player>().wait_for_active().await?;
        let mut nobody = Document::new(Player::default());
        match conn.save(&mut nobody).await {
            Err(Error::Attribute(e)) => {
                assert_eq!((e.model, e.attribute.as_str()), ("Player", "login"));
                assert!(e.to_string().contains("empty"), "{e}");
            }
            other => panic!("expected an attribute error, got {other:?}"),
        }
    }
}
