//! Entities under attack: the red team's findings on keys, upserts, other
//! entities' items and unique guards, each pinned.

use chrono::{DateTime, Utc};
use dynamodb_mapper::engine::request::PutItemInput;
use dynamodb_mapper::error::ConflictKind;
use dynamodb_mapper::{
    Attribute, AttributeValue, Collection, Connection, Document, Error, Item, Model,
};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "hostile",
    pk = "K#{kid}",
    sk = "PROFILE",
    global_index(name = "gsi1", pk = "NAME#{name}", sk = "K#{kid}"),
    global_index(name = "gsi2", pk = "WHEN", sk = "{when}")
)]
struct Profile {
    kid: u64,
    name: String,
    when: DateTime<Utc>,
}

/// Another entity whose sort key ends in a free string: a hostile value can
/// render any key of the partition.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "hostile", pk = "K#{kid}", sk = "{label}")]
struct Note {
    kid: u64,
    label: String,
    text: String,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "accounts", pk = "{username}")]
struct Account {
    username: String,
    #[dynamodb(unique)]
    email: String,
}

/// An entity without unique attributes in the table of `Account`'s guards.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "accounts", pk = "{handle}")]
struct Alias {
    handle: String,
    text: String,
}

#[derive(Collection, Debug)]
enum OnlyProfiles {
    Profile(Profile),
}

/// An index of keys only: it holds no entity names.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "keysonly",
    pk = "K#{kid}",
    global_index(name = "kox", pk = "KO#{kid}", projection = "keys_only")
)]
struct Keyed {
    kid: u64,
    name: String,
}

#[derive(Collection, Debug)]
#[allow(dead_code)]
enum KeyedOnly {
    Keyed(Keyed),
}

fn s(item: &Item, name: &str) -> Option<String> {
    match item.get(name) {
        Some(AttributeValue::S(text)) => Some(text.clone()),
        _ => None,
    }
}

async fn table(conn: &Connection) -> dynamodb_mapper::Result<()> {
    conn.create_table::<Profile>().await.map(drop)
}

engine_tests! {
    async fn an_upsert_stores_the_key_fields_and_the_index_keys_they_make(conn, engine) {
        table(&conn).await?;
        let f = Profile::fields();
        conn.update::<Profile>(Profile::key(44)).set(f.name, "Cid").await?;
        let cid = conn.get::<Profile>(Profile::key(44)).await?.expect("created");
        assert_eq!(cid.kid, 44, "the key's field is stored");
        let stored = cid.stored_item().expect("loaded");
        assert_eq!(s(stored, "gsi1_pk").as_deref(), Some("NAME#Cid"));
        assert_eq!(s(stored, "gsi1_sk").as_deref(), Some("K#00000000000000000044"), "filled in from the key");
        // It saves and deletes under its own key.
        let mut cid = cid;
        cid.name = "Cid 2".into();
        conn.save(&mut cid).await?;
        conn.delete(&mut cid).await?;
        assert!(conn.scan::<Profile>().try_collect::<Vec<_>>().await?.is_empty());
    }

    async fn no_write_lands_on_another_entitys_item(conn, engine) {
        table(&conn).await?;
        conn.save(Document::new(Profile { kid: 1, name: "Ann".into(), ..Default::default() })).await?;
        // A note whose label renders the profile's key.
        let impostor = Note { kid: 1, label: "PROFILE".into(), text: String::new() };
        let refused = conn.save(Document::new(impostor.clone())).await;
        assert!(matches!(&refused, Err(Error::Conflict(c)) if c.kind == ConflictKind::Overwrite), "{refused:?}");
        let mut tx = conn.transact_write();
        tx = tx.save(conn.save(Document::new(impostor)));
        assert!(matches!(tx.await, Err(Error::TransactionCanceled { .. })));
        let refused = conn.delete_key::<Note>(Note::key(1, "PROFILE".into())).await;
        assert!(matches!(refused, Err(Error::Conflict(_))), "{refused:?}");
        assert_eq!(conn.get::<Profile>(Profile::key(1)).await?.expect("kept").name, "Ann");
    }

    async fn a_batch_write_cannot_take_a_guard_items_key(conn, engine) {
        conn.create_table::<Account>().await?;
        let guard_key = "UNIQUE#Account#email#a@x";
        let hostile = Alias { handle: guard_key.into(), text: "evil".into() };
        let refused = conn.save_batch([&hostile]).await;
        assert!(matches!(&refused, Err(Error::InvalidRequest { reason, .. }) if reason.contains("guard")), "{refused:?}");
        let refused = conn.delete_batch::<Alias>([Alias::key(guard_key.into())]).await;
        assert!(matches!(&refused, Err(Error::InvalidRequest { .. })), "{refused:?}");
        // Other keys go through.
        conn.save_batch([&Alias { handle: "ann".into(), text: "hi".into() }]).await?;
        assert!(conn.get::<Alias>(Alias::key("ann".into())).await?.is_some());
    }

    async fn a_guard_item_cannot_be_taken_by_an_ordinary_item(conn, engine) {
        conn.create_table::<Account>().await?;
        conn.save(Document::new(Account { username: "ann".into(), email: "a@x".into() })).await?;
        let hostile = Account { username: "UNIQUE#Account#email#a@x".into(), email: "evil@x".into() };
        let refused = conn.save(Document::new(hostile)).await;
        assert!(matches!(refused, Err(Error::Conflict(_))), "{refused:?}");
        let refused = conn.delete_key::<Account>(Account::key("UNIQUE#Account#email#a@x".into())).await;
        assert!(matches!(refused, Err(Error::Conflict(_))), "{refused:?}");
        let taken = conn.save(Document::new(Account { username: "carol".into(), email: "a@x".into() })).await;
        assert!(matches!(&taken, Err(Error::Conflict(c)) if c.kind == ConflictKind::Unique { attribute: "email" }), "{taken:?}");
        let f = Account::fields();
        conn.update::<Account>(Account::key("ann".into())).set(f.email, "ann2@x").await?;
        // A value too long for a guard's key: a typed refusal, nothing written.
        let long = "x".repeat(1100);
        let refused = conn.save(Document::new(Account { username: "dee".into(), email: long })).await;
        assert!(matches!(&refused, Err(Error::InvalidRequest { reason, .. }) if reason.contains("email")), "{refused:?}");
        assert!(conn.get::<Account>(Account::key("dee".into())).await?.is_none());
    }

    async fn a_stored_key_that_disagrees_with_its_fields_is_not_written_over(conn, engine) {
        table(&conn).await?;
        let mut item = Profile { kid: 7, name: "x".into(), ..Default::default() }.to_item()?;
        item.insert("pk".into(), AttributeValue::S("K#garbage".into()));
        conn.engine().send(&PutItemInput::new(conn.table_name("hostile"), item)).await?;
        let mut loaded = conn.scan::<Profile>().try_collect::<Vec<_>>().await?.pop().expect("read");
        assert_eq!(loaded.kid, 7);
        let refused = conn.save(&mut loaded).await;
        assert!(matches!(&refused, Err(Error::InvalidRequest { reason, .. }) if reason.contains("K#garbage")), "{refused:?}");
        assert!(matches!(conn.delete(&mut loaded).await, Err(Error::InvalidRequest { .. })));
        assert_eq!(conn.scan::<Profile>().try_collect::<Vec<_>>().await?.len(), 1, "no second item");
    }

    async fn index_keys_of_missing_or_empty_fields_are_left_out(conn, engine) {
        table(&conn).await?;
        // An empty name is not stored, nor is `when` once removed: neither
        // index key is made up (from "" or from `now`).
        conn.save(Document::new(Profile { kid: 1, name: String::new(), ..Default::default() })).await?;
        let f = Profile::fields();
        let removed = conn.update::<Profile>(Profile::key(1)).remove(f.when).return_new().await?;
        let stored = removed.stored_item().expect("returned");
        assert!(!stored.contains_key("gsi2_sk"), "no key made up from `now`: {stored:?}");
        assert!(!stored.contains_key("gsi1_pk"), "{stored:?}");
    }

    async fn skipped_items_do_not_count_toward_the_limit(conn, engine) {
        table(&conn).await?;
        for label in ["A1", "A2", "A3"] {
            conn.save(Document::new(Note { kid: 1, label: label.into(), text: String::new() })).await?;
        }
        conn.save(Document::new(Profile { kid: 1, name: "Ann".into(), ..Default::default() })).await?;
        let profile = conn
            .collection::<OnlyProfiles>(ProfilePk { kid: 1 })
            .skip_unknown()
            .limit(1)
            .page_size(1)
            .try_collect::<Vec<_>>()
            .await?;
        assert!(matches!(&profile[..], [OnlyProfiles::Profile(p)] if p.name == "Ann"), "{profile:?}");
    }

    async fn items_stored_before_a_field_was_unique_get_their_guards_on_save(conn, engine) {
        conn.create_table::<Account>().await?;
        let raw = Account { username: "ann".into(), email: "a@x".into() }.to_item()?;
        conn.engine().send(&PutItemInput::new(conn.table_name("accounts"), raw)).await?;
        let mut ann = conn.get::<Account>(Account::key("ann".into())).await?.expect("stored");
        conn.save(&mut ann).await?;
        let taken = conn.save(Document::new(Account { username: "bob".into(), email: "a@x".into() })).await;
        assert!(matches!(&taken, Err(Error::Conflict(c)) if c.kind == ConflictKind::Unique { attribute: "email" }), "{taken:?}");
    }

    async fn updates_report_what_went_wrong_and_return_what_was_asked(conn, engine) {
        table(&conn).await?;
        conn.save(Document::new(Profile { kid: 1, name: "Ann".into(), ..Default::default() })).await?;
        // Another entity's item under the key: as a save says it.
        let f = Note::fields();
        let refused = conn.update::<Note>(Note::key(1, "PROFILE".into())).set(f.text, "x").await;
        assert!(matches!(&refused, Err(Error::Conflict(c)) if c.kind == ConflictKind::Overwrite), "{refused:?}");
        // Only the caller's attributes, not the keys kept in step.
        let f = Profile::fields();
        let updated = conn.update::<Profile>(Profile::key(1)).set(f.name, "Bo").return_updated_new().await?;
        assert_eq!(updated.keys().collect::<Vec<_>>(), ["name"], "{updated:?}");
    }

    async fn a_collection_of_an_index_without_entity_names_is_refused(conn, engine) {
        conn.create_table::<Keyed>().await?;
        conn.save(Document::new(Keyed { kid: 1, name: "a".into() })).await?;
        let refused = conn
            .collection_index::<KeyedOnly, _, _, _>(Keyed::indexes().kox, KeyedKoxPk { kid: 1 })
            .try_collect::<Vec<_>>()
            .await;
        assert!(matches!(&refused, Err(Error::InvalidRequest { reason, .. }) if reason.contains("kox")), "{refused:?}");
    }
}

#[test]
fn keys_read_only_their_canonical_text() {
    let sk = |text: &str| NoteSk::from_attribute(AttributeValue::S(text.into()));
    assert!(sk("a$23b").is_ok() || sk("a#b").is_ok());
    let pk = |text: &str| ProfilePk::from_attribute(AttributeValue::S(text.into()));
    assert!(pk("K#00000000000000000007").is_ok());
    for bad in [
        "K#7",
        "K#+0000000000000000007",
        "K#0000000000000000000a",
        "K#garbage",
        "K#",
        "",
    ] {
        assert!(pk(bad).is_err(), "{bad}");
    }
    let when = |text: &str| ProfileGsi2Sk::from_attribute(AttributeValue::S(text.into()));
    assert!(when("2026-11-26T10:00:00.000000+00:00").is_ok());
    for bad in [
        "2026-11-26t10:00:00.000000+00:00",
        "2026-11-26 10:00:00.000000+00:00",
        "2026-11-26T10:00:60.000000+00:00",
    ] {
        assert!(when(bad).is_err(), "{bad}");
    }
    #[derive(Model, Debug, Default)]
    #[dynamodb(table = "escapes", pk = "P#{name}#X")]
    struct Escaped {
        name: String,
    }
    let pk = |text: &str| EscapedPk::from_attribute(AttributeValue::S(text.into()));
    assert_eq!(pk("P#a$23b#X").expect("canonical").name, "a#b");
    assert!(
        pk("P#a$0ab#X").is_err(),
        "lowercase hex is not what render writes"
    );
    assert!(pk("P#a$+1b#X").is_err());
}
