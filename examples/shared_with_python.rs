//! A table shared with the Python library dynamodb-mapper 1.8:
//! `cargo run --example shared_with_python`.
//!
//! `format = "python"` stores every field the way the original does (`bool`
//! as 0/1, lists and maps as its JSON text), so Python programs read what
//! this one writes, and the other way round, byte for byte.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use dynamodb_mapper::engine::request::{GetItemInput, PutItemInput};
use dynamodb_mapper::{AttributeValue, Connection, Document, Item, Json, JsonValue, Model};

/// ```python
/// class Player(DynamoDBModel):
///     __table__ = u"players"
///     __hash_key__ = u"id"
///     __schema__ = {u"id": autoincrement_int, u"name": unicode, u"admin": bool,
///                   u"tags": set, u"inventory": list, u"prefs": dict, u"joined": datetime}
/// ```
#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "players", hash_key = "id", format = "python")]
struct Player {
    #[dynamodb(auto_increment)]
    id: i64,
    name: String,
    admin: bool,
    tags: HashSet<String>,
    inventory: Vec<BTreeMap<String, u32>>,
    /// An untyped dict: every number's text is kept as Python wrote it.
    prefs: JsonValue,
    joined: DateTime<Utc>,
}

/// The original's JSON-list hash key: `__schema__ = {u"path": list, ..}`.
#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "folders", hash_key = "path", format = "python")]
struct Folder {
    path: Json<Vec<String>>,
    shared: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let conn = Connection::embedded()?;
    conn.create_table::<Player>().wait_for_active().await?;
    conn.create_table::<Folder>().await?;

    let mut ann = Document::new(Player {
        name: "Ann".into(),
        admin: true,
        tags: HashSet::from(["pvp".into()]),
        inventory: vec![BTreeMap::from([("potion".into(), 2)])],
        joined: "2012-05-31T12:00:00Z".parse()?,
        ..Default::default()
    });
    conn.save(&mut ann).raise_on_conflict().await?;
    let stored = raw(
        &conn,
        "players",
        ("id", AttributeValue::N(ann.id.to_string())),
    )
    .await?;
    println!("stored as the original stores it: {stored:?}");
    assert_eq!(stored["admin"], AttributeValue::N("1".into()));
    assert_eq!(
        stored["inventory"],
        AttributeValue::S(r#"[{"potion": 2}]"#.into())
    );

    // An item a Python program wrote loads, and saves back unchanged.
    let from_python = Item::from_iter([
        ("id".to_string(), AttributeValue::N("7".into())),
        ("name".to_string(), AttributeValue::S("Zoë".into())),
        ("admin".to_string(), AttributeValue::N("0".into())),
        (
            "prefs".to_string(),
            AttributeValue::S(r#"{"big": 1180591620717411303424, "ratio": 0.5}"#.into()),
        ),
        (
            "joined".to_string(),
            AttributeValue::S("2012-05-31T12:30:01.000042+00:00".into()),
        ),
    ]);
    let table = conn.table_name("players");
    conn.engine()
        .send(&PutItemInput::new(table, from_python.clone()))
        .await?;
    let mut zoe = conn.get::<Player>(7).await?.ok_or("stored above")?;
    conn.save(&mut zoe).raise_on_conflict().await?;
    assert_eq!(
        raw(&conn, "players", ("id", AttributeValue::N("7".into()))).await?,
        from_python
    );

    // The original's `to_json_dict()`.
    println!("{}", zoe.to_json()?);

    let path = Json(vec!["home".to_string(), "ann".to_string()]);
    conn.save(Document::new(Folder {
        path: path.clone(),
        shared: true,
    }))
    .await?;
    let folder = conn.get::<Folder>(path).await?.ok_or("saved above")?;
    let key = r#"["home", "ann"]"#;
    assert_eq!(
        raw(&conn, "folders", ("path", AttributeValue::S(key.into()))).await?["shared"],
        AttributeValue::N("1".into())
    );
    println!("folder {key}: shared = {}", folder.shared);
    Ok(())
}

/// The item as stored, read past the mapper.
async fn raw(
    conn: &Connection,
    table: &str,
    (name, value): (&str, AttributeValue),
) -> Result<Item, Box<dyn std::error::Error>> {
    let key = Item::from_iter([(name.to_string(), value)]);
    let input = GetItemInput::new(conn.table_name(table), key).with_consistent_read(true);
    Ok(conn
        .engine()
        .send(&input)
        .await?
        .item
        .ok_or("no such item")?
        .into_item())
}
