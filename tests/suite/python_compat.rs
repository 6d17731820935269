//! Tables shared with the Python library: items written exactly as
//! dynamodb-mapper 1.8 stores them read back through our models, and saving
//! them back stores exactly what the Python library would, on every engine.

use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};
use dynamodb_mapper::engine::request::GetItemInput;
use dynamodb_mapper::model::COUNTER_ATTRIBUTE;
use dynamodb_mapper::{AttributeValue, Connection, Document, Item, JsonValue, Model};
use futures::TryStreamExt;
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

/// The same Python model through the one switch: no field option but the
/// key's `auto_increment`.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "py_players", hash_key = "id", format = "python")]
struct SwitchedPlayer {
    #[dynamodb(auto_increment)]
    id: i64,
    name: String,
    nick: String,
    admin: bool,
    tags: HashSet<String>,
    lucky: BTreeSet<i64>,
    inventory: Vec<BTreeMap<String, Value>>,
    prefs: BTreeMap<String, Value>,
    joined: DateTime<Utc>,
    rating: f64,
    level: i64,
}

/// Every other type the switch covers, and the overrides.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, PartialEq, Default)]
struct Spell {
    name: String,
    damage: u32,
}

#[derive(dynamodb_mapper::Attribute, Debug, Clone, PartialEq, Default)]
struct Position {
    x: i64,
    y: i64,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "py_mixed",
    hash_key = "id",
    range_key = "at",
    format = "python"
)]
struct Mixed {
    id: String,
    at: DateTime<Utc>,
    maybe: Option<bool>,
    counts: HashMap<String, u64>,
    queue: VecDeque<String>,
    #[dynamodb(json)]
    spell: Spell,
    spells: Vec<Spell>,
    untyped: Value,
    raw: JsonValue,
    #[dynamodb(native)]
    position: Position,
    #[dynamodb(native)]
    flags: Vec<bool>,
    #[dynamodb(native)]
    online: bool,
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
    raw_at(
        conn,
        "py_players",
        Item::from_iter([("id".to_string(), n(id))]),
    )
    .await
}

async fn raw_at(
    conn: &Connection,
    table: &str,
    key: Item,
) -> Result<Option<Item>, Box<dyn std::error::Error + Send + Sync>> {
    let output = conn
        .engine()
        .send(&GetItemInput::new(conn.table_name(table), key).with_consistent_read(true))
        .await?;
    Ok(output.item.map(Item::from))
}

/// Player 7's values, built in code.
fn switched_player() -> SwitchedPlayer {
    let item = |pairs: &[(&str, Value)]| {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    };
    SwitchedPlayer {
        id: 7,
        name: "Zoë".into(),
        nick: String::new(),
        admin: true,
        tags: HashSet::from(["pvp".into(), "raid".into()]),
        lucky: BTreeSet::from([3, 7]),
        inventory: vec![
            item(&[("count", json!(2)), ("name", json!("potion"))]),
            item(&[("count", json!(1)), ("name", json!("épée"))]),
        ],
        prefs: item(&[
            ("lang", json!("fr")),
            ("ratio", json!(0.5)),
            ("volume", json!(11)),
        ]),
        joined: "2012-05-31T12:30:01.000042+00:00"
            .parse()
            .expect("a datetime"),
        rating: 4.5,
        level: 0,
    }
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
            .send(&GetItemInput::new(conn.table_name("py_untyped"), key).with_consistent_read(true))
            .await?
            .item
            .expect("saved")
            .into_item();
        assert_eq!(raw.get("items"), stored.get("items"));
        assert_eq!(raw.get("extra"), stored.get("extra"));
    }

    async fn the_python_switch_alone_stores_what_python_stores(conn, engine) {
        conn.create_table::<SwitchedPlayer>().await?;
        // Built in code and saved: the exact item the Python library stores.
        conn.save(Document::new(switched_player())).raise_on_conflict().await?;
        assert_eq!(raw(&conn, "7").await?, Some(python_item()));
        assert_eq!(switched_player().to_item()?, Player::from_item(python_item())?.to_item()?, "the switch stores what the field options store");

        // Stored by Python: loads with the right values, saves back byte for byte.
        common::put_raw(&conn, "py_players", python_item()).await?;
        let mut player = conn.get::<SwitchedPlayer>(7).await?.expect("stored by Python");
        assert_eq!(*player, switched_player());
        conn.save(&mut player).raise_on_conflict().await?;
        assert_eq!(raw(&conn, "7").await?, Some(python_item()));

        // Conditions and filters compare in the stored form.
        let f = SwitchedPlayer::fields();
        let admins: Vec<_> = conn.scan::<SwitchedPlayer>().filter(f.admin.eq(true)).try_collect().await?;
        assert_eq!(admins.len(), 1);
        player.admin = false;
        conn.save(&mut player).condition(f.admin.eq(true)).await?;
        assert_eq!(raw(&conn, "7").await?.expect("saved").get("admin"), Some(&n("0")));
        let updated = conn.update::<SwitchedPlayer>(7).set(f.admin, true).return_new().await?;
        assert!(updated.admin);
        assert_eq!(raw(&conn, "7").await?.expect("saved").get("admin"), Some(&n("1")));

        // A new object through the counter: neutral values as Python stores them.
        let mut newcomer = Document::new(SwitchedPlayer { name: "Ann".into(), ..Default::default() });
        conn.save(&mut newcomer).await?;
        let stored = raw(&conn, &newcomer.id.to_string()).await?.expect("saved");
        assert_eq!(stored.get("admin"), Some(&n("0")));
        for absent in ["nick", "tags", "lucky", "inventory", "prefs"] {
            assert!(!stored.contains_key(absent), "{absent}: empty values are left out, as Python does");
        }
    }

    async fn the_python_switch_covers_every_type_and_keeps_overrides(conn, engine) {
        conn.create_table::<Mixed>().await?;
        let at: DateTime<Utc> = "2026-11-26T10:00:00+00:00".parse().expect("a datetime");
        let mixed = Mixed {
            id: "m1".into(),
            at,
            maybe: Some(false),
            counts: HashMap::from([("b".into(), 2), ("a".into(), u64::MAX)]),
            queue: VecDeque::from(["x".to_string(), "ÿ".to_string()]),
            spell: Spell { name: "fireball".into(), damage: 10 },
            spells: vec![Spell { name: "heal".into(), damage: 0 }],
            untyped: json!({"z": [1, 2.5], "a": null}),
            raw: JsonValue::parse(r#"{"big": 1180591620717411303424}"#)?,
            position: Position { x: 1, y: -2 },
            flags: vec![true, false],
            online: true,
        };
        conn.save(Document::new(mixed.clone())).await?;
        let key = Item::from_iter([("id".to_string(), s("m1")), ("at".to_string(), s("2026-11-26T10:00:00.000000+00:00"))]);
        let stored = raw_at(&conn, "py_mixed", key).await?.expect("saved");
        let expected = Item::from_iter([
            ("id".to_string(), s("m1")),
            ("at".to_string(), s("2026-11-26T10:00:00.000000+00:00")),
            ("maybe".to_string(), n("0")),
            ("counts".to_string(), s(r#"{"a": 18446744073709551615, "b": 2}"#)),
            ("queue".to_string(), s(r#"["x", "\u00ff"]"#)),
            ("spell".to_string(), s(r#"{"damage": 10, "name": "fireball"}"#)),
            ("spells".to_string(), s(r#"[{"damage": 0, "name": "heal"}]"#)),
            ("untyped".to_string(), s(r#"{"a": null, "z": [1, 2.5]}"#)),
            ("raw".to_string(), s(r#"{"big": 1180591620717411303424}"#)),
            ("position".to_string(), AttributeValue::M(Item::from_iter([("x".to_string(), n("1")), ("y".to_string(), n("-2"))]))),
            ("flags".to_string(), AttributeValue::L(vec![AttributeValue::Bool(true), AttributeValue::Bool(false)])),
            ("online".to_string(), AttributeValue::Bool(true)),
        ]);
        assert_eq!(stored, expected);
        let loaded = conn.get::<Mixed>(("m1".to_string(), at)).await?.expect("saved");
        assert_eq!(*loaded, mixed);
        let view = loaded.to_json()?;
        assert_eq!(view["maybe"], json!(false));
        assert_eq!(view["spells"], json!([{"damage": 0, "name": "heal"}]));
        assert_eq!(view["at"], json!("2026-11-26T10:00:00+00:00"), "isoformat drops a zero fraction");
    }
}
