//! The model's promises where two capabilities meet: writes with conflict
//! detection and items other programs changed since they were loaded,
//! versions and items stored before (or as) version 0, batch and single
//! saves of versioned objects.

use crate::common;

use dynamodb_mapper::error::ConflictKind;
use dynamodb_mapper::{AttributeValue, Connection, Document, Error, Item, Model};

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "notes", hash_key = "id")]
struct Note {
    id: String,
    text: String,
    tag: Option<String>,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "pages", hash_key = "id")]
struct Page {
    id: String,
    body: String,
    #[dynamodb(version)]
    version: u64,
}

/// A model of its key alone.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "marks", hash_key = "id")]
struct Mark {
    id: String,
}

fn kind(result: Result<(), Error>) -> Option<ConflictKind> {
    match result {
        Err(Error::Conflict(conflict)) => Some(conflict.kind),
        Err(other) => panic!("expected a conflict, got {other:?}"),
        Ok(()) => None,
    }
}

fn key(id: &str) -> Item {
    Item::from_iter([("id".to_string(), AttributeValue::S(id.into()))])
}

async fn raw(conn: &Connection, table: &str, id: &str) -> Option<Item> {
    let input =
        dynamodb_mapper::engine::request::GetItemInput::new(conn.table_name(table), key(id))
            .with_consistent_read(true);
    conn.engine()
        .send(&input)
        .await
        .expect("read")
        .item
        .map(Item::from)
}

/// Another program adds `name = value` to the stored item.
async fn add_attribute(conn: &Connection, table: &str, id: &str, name: &str, value: &str) {
    let mut item = raw(conn, table, id).await.expect("stored");
    item.insert(name.into(), AttributeValue::S(value.into()));
    common::put_raw(conn, table, item).await.expect("written");
}

engine_tests! {
    async fn a_save_keeps_attributes_another_program_added_since_the_load(conn, engine) {
        conn.create_table::<Note>().await?;
        conn.save(Document::new(Note { id: "n".into(), text: "a".into(), tag: Some("t".into()) })).await?;
        let mut loaded = conn.get::<Note>("n".into()).await?.expect("saved");
        let mut plain = conn.get::<Note>("n".into()).await?.expect("saved");
        add_attribute(&conn, "notes", "n", "audit", "seen").await;

        // With conflict detection: the loaded attributes are unchanged, so
        // the save goes through, and the added attribute stays.
        loaded.text = "b".into();
        loaded.tag = None;
        conn.save(&mut loaded).raise_on_conflict().await?;
        let stored = raw(&conn, "notes", "n").await.expect("stored");
        assert_eq!(stored.get("audit"), Some(&AttributeValue::S("seen".into())));
        assert_eq!(stored.get("text"), Some(&AttributeValue::S("b".into())));
        assert!(!stored.contains_key("tag"), "what the object dropped is removed");
        assert_eq!(loaded.stored_item(), Some(&stored), "the document knows what it kept");

        // Without conflict detection too.
        add_attribute(&conn, "notes", "n", "audit2", "seen").await;
        plain.text = "c".into();
        conn.save(&mut plain).await?;
        let stored = raw(&conn, "notes", "n").await.expect("stored");
        assert!(stored.contains_key("audit") && stored.contains_key("audit2"), "{stored:?}");
        assert_eq!(stored.get("tag"), Some(&AttributeValue::S("t".into())), "the plain save's object holds its tag");

        // And the document that saved last carries both on its next save.
        conn.save(&mut loaded).raise_on_conflict().await.expect_err("changed since");
        let mut fresh = conn.get::<Note>("n".into()).await?.expect("stored");
        fresh.text = "d".into();
        conn.save(&mut fresh).raise_on_conflict().await?;
        let stored = raw(&conn, "notes", "n").await.expect("stored");
        assert!(stored.contains_key("audit") && stored.contains_key("audit2"), "{stored:?}");
    }

    async fn a_declared_attribute_added_since_the_load_is_a_conflict(conn, engine) {
        conn.create_table::<Note>().await?;
        conn.save(Document::new(Note { id: "n".into(), text: "a".into(), tag: None })).await?;
        let mut loaded = conn.get::<Note>("n".into()).await?.expect("saved");
        add_attribute(&conn, "notes", "n", "tag", "theirs").await;
        loaded.text = "b".into();
        assert_eq!(kind(conn.save(&mut loaded).raise_on_conflict().await), Some(ConflictKind::Changed));
        let stored = raw(&conn, "notes", "n").await.expect("stored");
        assert_eq!(stored.get("tag"), Some(&AttributeValue::S("theirs".into())));
        assert_eq!(stored.get("text"), Some(&AttributeValue::S("a".into())));
    }

    async fn a_model_of_its_key_alone_saves_when_loaded(conn, engine) {
        conn.create_table::<Mark>().await?;
        conn.save(Document::new(Mark { id: "m".into() })).await?;
        let mut loaded = conn.get::<Mark>("m".into()).await?.expect("saved");
        conn.save(&mut loaded).raise_on_conflict().await?;
        assert_eq!(raw(&conn, "marks", "m").await, Some(key("m")));
        // Nothing to set or remove: still nothing dropped.
        add_attribute(&conn, "marks", "m", "audit", "seen").await;
        conn.save(&mut loaded).raise_on_conflict().await?;
        assert!(raw(&conn, "marks", "m").await.expect("stored").contains_key("audit"));
        let mut again = conn.get::<Mark>("m".into()).await?.expect("stored");
        if !common::alternator_lane() {
            conn.transact_write().save(conn.save(&mut again).raise_on_conflict()).await?;
        }
        conn.save(&mut again).await?;
        assert!(raw(&conn, "marks", "m").await.expect("stored").contains_key("audit"));
    }

    async fn a_plain_save_leaves_an_undeclared_attribute_another_program_changed(conn, engine) {
        conn.create_table::<Note>().await?;
        conn.save(Document::new(Note { id: "n".into(), text: "a".into(), tag: None })).await?;
        add_attribute(&conn, "notes", "n", "audit", "v1").await;
        let mut loaded = conn.get::<Note>("n".into()).await?.expect("saved");
        add_attribute(&conn, "notes", "n", "audit", "v2").await;
        loaded.text = "b".into();
        conn.save(&mut loaded).await?;
        let stored = raw(&conn, "notes", "n").await.expect("stored");
        assert_eq!(stored.get("audit"), Some(&AttributeValue::S("v2".into())), "not undone");
        assert_eq!(stored.get("text"), Some(&AttributeValue::S("b".into())));
        assert_eq!(loaded.stored_item(), Some(&stored));
    }

    async fn an_object_moved_to_another_key_replaces_the_item_there(conn, engine) {
        conn.create_table::<Note>().await?;
        conn.save(Document::new(Note { id: "a".into(), text: "a".into(), tag: None })).await?;
        conn.save(Document::new(Note { id: "b".into(), text: "b".into(), tag: None })).await?;
        add_attribute(&conn, "notes", "b", "theirs", "x").await;
        let mut moved = conn.get::<Note>("a".into()).await?.expect("saved");
        moved.id = "b".into();
        conn.save(&mut moved).await?;
        let stored = raw(&conn, "notes", "b").await.expect("stored");
        assert!(!stored.contains_key("theirs"), "a put of the object, as before: {stored:?}");
        assert_eq!(stored.get("text"), Some(&AttributeValue::S("a".into())));
    }

    async fn a_conflict_detecting_delete_refuses_an_item_changed_by_additions(conn, engine) {
        conn.create_table::<Note>().await?;
        conn.save(Document::new(Note { id: "n".into(), text: "a".into(), tag: None })).await?;
        let mut loaded = conn.get::<Note>("n".into()).await?.expect("saved");
        add_attribute(&conn, "notes", "n", "audit", "seen").await;
        assert_eq!(kind(conn.delete(&mut loaded).raise_on_conflict().await), Some(ConflictKind::Changed));
        let stored = raw(&conn, "notes", "n").await.expect("the item is still there");
        assert_eq!(stored.get("audit"), Some(&AttributeValue::S("seen".into())));
        assert!(loaded.is_loaded(), "a refused delete leaves the document loaded");
        // Loaded again, it deletes.
        let mut again = conn.get::<Note>("n".into()).await?.expect("stored");
        conn.delete(&mut again).raise_on_conflict().await?;
        assert!(raw(&conn, "notes", "n").await.is_none());
    }

    async fn a_stored_version_0_is_not_new(conn, engine) {
        conn.create_table::<Page>().await?;
        let page = Page { id: "p".into(), body: "a".into(), version: 0 };
        // An item stored at version 0 (by another program, or an older batch).
        let mut item = page.to_item()?;
        item.insert("version".into(), AttributeValue::N("0".into()));
        common::put_raw(&conn, "pages", item).await?;
        let mut loaded = conn.get::<Page>("p".into()).await?.expect("stored");
        let mut stale = conn.get::<Page>("p".into()).await?.expect("stored");
        assert_eq!(loaded.version, 0);
        loaded.body = "b".into();
        conn.save(&mut loaded).await?;
        assert_eq!(loaded.version, 1);
        assert_eq!(raw(&conn, "pages", "p").await.expect("stored").get("version"), Some(&AttributeValue::N("1".into())));
        stale.body = "c".into();
        assert_eq!(kind(conn.save(&mut stale).await), Some(ConflictKind::Changed));
        assert_eq!(stale.version, 0, "a refused save keeps the version");
    }

    async fn an_item_stored_before_the_model_was_versioned_saves(conn, engine) {
        conn.create_table::<Page>().await?;
        let mut item = key("p");
        item.insert("body".into(), AttributeValue::S("old".into()));
        common::put_raw(&conn, "pages", item).await?;
        let mut loaded = conn.get::<Page>("p".into()).await?.expect("stored");
        let mut stale = conn.get::<Page>("p".into()).await?.expect("stored");
        loaded.body = "new".into();
        conn.save(&mut loaded).raise_on_conflict().await?;
        assert_eq!(raw(&conn, "pages", "p").await.expect("stored").get("version"), Some(&AttributeValue::N("1".into())));
        // A second copy loaded without a version now conflicts.
        assert_eq!(kind(conn.save(&mut stale).await), Some(ConflictKind::Changed));
        // Deleted by another program: the loaded copy does not re-create it.
        let mut gone = conn.get::<Page>("p".into()).await?.expect("stored");
        conn.delete_key::<Page>("p".into()).await?;
        assert_eq!(kind(conn.save(&mut gone).await), Some(ConflictKind::Changed));
        assert!(raw(&conn, "pages", "p").await.is_none());
        // A delete of a loaded item without a version, on exactly that state.
        common::put_raw(&conn, "pages", key("q")).await?;
        let mut q = conn.get::<Page>("q".into()).await?.expect("stored");
        conn.delete(&mut q).await?;
        assert!(raw(&conn, "pages", "q").await.is_none());
    }

    async fn save_batch_and_save_store_the_same_first_version(conn, engine) {
        conn.create_table::<Page>().await?;
        let batch = Page { id: "b".into(), body: "x".into(), version: 0 };
        conn.save_batch([&batch]).await?;
        let mut single = Document::new(Page { id: "s".into(), body: "x".into(), version: 0 });
        conn.save(&mut single).await?;
        let version = |item: Option<Item>| item.expect("stored").get("version").cloned();
        assert_eq!(version(raw(&conn, "pages", "b").await), version(raw(&conn, "pages", "s").await));
        assert_eq!(version(raw(&conn, "pages", "b").await), Some(AttributeValue::N("1".into())));
        // Loaded, the batch's item saves on.
        let mut loaded = conn.get::<Page>("b".into()).await?.expect("stored");
        loaded.body = "y".into();
        conn.save(&mut loaded).raise_on_conflict().await?;
        assert_eq!(loaded.version, 2);
        // A version at its type's maximum is refused, never wrapped.
        let full = Page { id: "f".into(), body: "x".into(), version: u64::MAX };
        assert!(matches!(conn.save_batch([&full]).await, Err(Error::Attribute(_)) | Err(Error::RetriesExhausted { .. })), "refused");
        assert!(raw(&conn, "pages", "f").await.is_none());
    }

    async fn a_native_transaction_save_keeps_what_it_did_not_load(conn, engine) {
        if engine == common::EngineKind::Embedded && common::alternator_lane() {
            return Ok(());
        }
        conn.create_table::<Note>().await?;
        conn.save(Document::new(Note { id: "n".into(), text: "a".into(), tag: None })).await?;
        let mut item = raw(&conn, "notes", "n").await.expect("stored");
        item.insert("legacy".into(), AttributeValue::S("kept".into()));
        common::put_raw(&conn, "notes", item).await?;
        let mut loaded = conn.get::<Note>("n".into()).await?.expect("stored");
        add_attribute(&conn, "notes", "n", "audit", "seen").await;
        loaded.text = "b".into();
        conn.transact_write().save(conn.save(&mut loaded).raise_on_conflict()).await?;
        let stored = raw(&conn, "notes", "n").await.expect("stored");
        assert_eq!(stored.get("legacy"), Some(&AttributeValue::S("kept".into())), "undeclared loaded attributes carried");
        assert_eq!(stored.get("audit"), Some(&AttributeValue::S("seen".into())), "added since the load kept");
        assert_eq!(stored.get("text"), Some(&AttributeValue::S("b".into())));
    }
}
