//! Tables shared with the Python library: items written exactly as
//! dynamodb-mapper 1.8 stores them read back through our models, and saving
//! them back stores exactly what the Python library would, on every engine.

use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use dynamodb_mapper::engine::request::GetItemInput;
use dynamodb_mapper::model::auto_increment::COUNTER_ATTRIBUTE;
use dynamodb_mapper::{AttributeValue, Connection, Document, Item, JsonValue, Model};
use serde_json::{json, Value};

/// The Rust side of this Python model:
///
/// ```python
/// class Player(DynamoDBModel):
///     __table__ = "py_players"
///     __hash_key__ = "id"
///     __schema__ = {"id": autoincrement_int, "name": unicode, "nick": unicode,
///                   "admin": bool, "tags": set, "lucky": set, "inventory": list,
///                   "prefs": dict, "joined": datetime, "rating": float, "level": int}
/// ```
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "py_players", hash_key = "id")]
struct Player {
    #[dynamodb(auto_increment)]
    id: i64,
    name: String,
    nick: String,
    #[dynamodb(bool_as_number)]
    admin: bool,
    tags: HashSet<String>,
    lucky: BTreeSet<i64>,
    #[dynamodb(json)]
    inventory: Vec<BTreeMap<String, Value>>,
    #[dynamodb(json)]
    prefs: BTreeMap<String, Value>,
    joined: DateTime<Utc>,
    rating: f64,
    level: i64,
}

/// The original's untyped `list` and `dict` fields, as `JsonValue`:
/// `__schema__ = {"id": unicode, "items": list, "extra": dict, "note": unicode}`.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "py_untyped", hash_key = "id")]
struct Untyped {
    id: String,
    items: JsonValue,
    extra: JsonValue,
    note: String,
}

/// Texts written by Python's `json.dumps(value, sort_keys=True)`: integers
/// beyond 64 bits, floats in repr form, NaN and infinities, non-ASCII and
/// astral characters escaped, nesting.
const PYTHON_LIST: &str = r#"[1180591620717411303424, -1267650600228229401496703205376, 0.1, 1e+300, -0.0, 5e-324, {"a": [1, 2.5, null, true], "z": "\u00e9\ud83d\ude00"}, 717897987691852588770249]"#;
const PYTHON_DICT: &str = r#"{"big": 10000000000000000000000000000000000000000, "f": 1.7976931348623157e+308, "inf": -Infinity, "nan": NaN, "neg": -1180591620717411303424, "nested": {"a": [], "b": "x\"y\\z\n"}}"#;

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

/// Player 7 as the Python library stores it: bool as 0/1, list and dict as
/// sorted-key JSON text with `\uXXXX` escapes, datetime with `+00:00`, the
/// empty `nick` left out.
fn python_item() -> Item {
    Item::from_iter([
        ("id".to_string(), n("7")),
        ("name".to_string(), s("Zoë")),
        ("admin".to_string(), n("1")),
        (
            "tags".to_string(),
            AttributeValue::Ss(vec!["pvp".into(), "raid".into()]),
        ),
        (
            "lucky".to_string(),
            AttributeValue::Ns(vec!["3".into(), "7".into()]),
        ),
        (
            "inventory".to_string(),
            s(r#"[{"count": 2, "name": "potion"}, {"count": 1, "name": "\u00e9p\u00e9e"}]"#),
        ),
        (
            "prefs".to_string(),
            s(r#"{"lang": "fr", "ratio": 0.5, "volume": 11}"#),
        ),
        ("joined".to_string(), s("2012-05-31T12:30:01.000042+00:00")),
        ("rating".to_string(), n("4.5")),
        ("level".to_string(), n("0")),
    ])
}

async fn raw(
    conn: &Connection,
    id: &str,
) -> Result<Option<Item>, Box<dyn std::error::Error + Send + Sync>> {
    let key = Item::from_iter([("id".to_string(), n(id))]);
    let output = conn
        .engine()
        .get_item(&GetItemInput::new(conn.table_name("py_players"), key).with_consistent_read(true))
        .await?;
    Ok(output.item)
}

engine_tests! {
    async fn python_items_read_back_and_save_back_identical(conn, engine) {
        conn.create_table::<Player>().await?;
        common::put_raw(&conn, "py_players", Item::from_iter([("id".to_string(), n("-1")), (COUNTER_ATTRIBUTE.to_string(), n("7"))])).await?;
        common::put_raw(&conn, "py_players", python_item()).await?;

        let mut player = conn.get::<Player>(7).await?.expect("stored by Python");
        assert_eq!(player.name, "Zoë");
        assert_eq!(player.nick, "", "absent reads as empty");
        assert!(player.admin);
        assert_eq!(player.lucky, BTreeSet::from([3, 7]));
        assert_eq!(player.inventory[1]["name"], json!("épée"));
        assert_eq!(player.prefs["ratio"], json!(0.5));
        assert_eq!(player.joined.to_rfc3339(), "2012-05-31T12:30:01.000042+00:00");
        assert_eq!(player.rating, 4.5);

        // Saved back unchanged: byte for byte what Python stored.
        conn.save(&mut player).raise_on_conflict().await?;
        assert_eq!(raw(&conn, "7").await?, Some(python_item()));

        // Changed: stored as the Python library would store the change.
        player.admin = false;
        player.tags.insert("guild".into());
        player.prefs.insert("theme".into(), json!("dark"));
        conn.save(&mut player).raise_on_conflict().await?;
        let mut expected = python_item();
        expected.insert("admin".into(), n("0"));
        expected.insert("tags".into(), AttributeValue::Ss(vec!["guild".into(), "pvp".into(), "raid".into()]));
        expected.insert("prefs".into(), s(r#"{"lang": "fr", "ratio": 0.5, "theme": "dark", "volume": 11}"#));
        assert_eq!(raw(&conn, "7").await?, Some(expected));

        // Our auto-increment continues the Python counter.
        let mut newcomer = Document::new(Player { name: "Ann".into(), ..Default::default() });
        conn.save(&mut newcomer).await?;
        assert_eq!(newcomer.id, 8);
        let stored = raw(&conn, "8").await?.expect("saved");
        assert_eq!(stored.get("admin"), Some(&n("0")), "false is stored, as 0");
        assert_eq!(stored.get("level"), Some(&n("0")), "0 is stored");
        for absent in ["nick", "tags", "lucky", "inventory", "prefs"] {
            assert!(!stored.contains_key(absent), "{absent}: empty values are left out, as Python does");
        }
    }

    async fn untyped_json_from_python_saves_back_byte_for_byte(conn, engine) {
        conn.create_table::<Untyped>().await?;
        let stored = Item::from_iter([
            ("id".to_string(), s("u1")),
            ("items".to_string(), s(PYTHON_LIST)),
            ("extra".to_string(), s(PYTHON_DICT)),
        ]);
        common::put_raw(&conn, "py_untyped", stored.clone()).await?;
        let mut loaded = conn.get::<Untyped>("u1".into()).await?.expect("stored by Python");
        assert_eq!(loaded.items.to_string(), PYTHON_LIST);
        // Unchanged, then with another field changed: the JSON text stays as Python wrote it.
        conn.save(&mut loaded).raise_on_conflict().await?;
        loaded.note = "seen".into();
        conn.save(&mut loaded).raise_on_conflict().await?;
        let key = Item::from_iter([("id".to_string(), s("u1"))]);
        let raw = conn
            .engine()
            .get_item(&GetItemInput::new(conn.table_name("py_untyped"), key).with_consistent_read(true))
            .await?
            .item
            .expect("saved");
        assert_eq!(raw.get("items"), stored.get("items"));
        assert_eq!(raw.get("extra"), stored.get("extra"));
    }
}
