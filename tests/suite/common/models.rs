//! Models shared by the behavioural tests.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, Utc};
use dynamodb_mapper::{Attribute, Bytes, Decimal, Json, Model};
use serde::{Deserialize, Serialize};

/// The original README's model.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodb(table = "doom_map", hash_key = "episode", range_key = "map")]
pub struct DoomMap {
    pub episode: i64,
    pub map: i64,
    pub name: String,
    #[dynamodb(default = HashSet::from(["Konami".to_string()]))]
    pub cheats: HashSet<String>,
}

impl DoomMap {
    pub fn new(episode: i64, map: i64, name: &str) -> Self {
        DoomMap {
            episode,
            map,
            name: name.to_owned(),
            ..Default::default()
        }
    }
}

/// A hash-only model with reserved-word attribute names.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "players", hash_key = "login")]
pub struct Player {
    pub login: String,
    #[dynamodb(rename = "name")]
    pub display_name: String,
    pub level: u32,
    #[dynamodb(rename = "status")]
    pub state: String,
    pub tags: BTreeSet<String>,
}

/// A spell, stored as JSON text inside `Everything` and as a map elsewhere.
#[derive(Attribute, Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Spell {
    pub name: String,
    pub damage: i32,
    pub elements: Vec<String>,
}

/// Every supported type, one field each.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodb(table = "everything", hash_key = "id")]
pub struct Everything {
    pub id: String,
    pub small: i8,
    pub unsigned: u16,
    pub int: i32,
    pub long: i64,
    pub huge: i128,
    pub unsigned_huge: u128,
    pub size: usize,
    pub single: f32,
    pub double: f64,
    pub exact: Decimal,
    pub flag: bool,
    #[dynamodb(bool_as_number)]
    pub legacy_flag: bool,
    pub blob: Bytes,
    pub words: HashSet<String>,
    pub numbers: BTreeSet<i64>,
    pub decimals: BTreeSet<Decimal>,
    pub blobs: HashSet<Bytes>,
    pub list: Vec<i64>,
    pub nested_lists: Vec<Vec<String>>,
    pub map: HashMap<String, f64>,
    pub ordered_map: BTreeMap<String, Vec<String>>,
    pub spell: Spell,
    pub spells: Vec<Spell>,
    #[dynamodb(json)]
    pub spellbook: Vec<Spell>,
    pub settings: Json<BTreeMap<String, serde_json::Value>>,
    pub when: DateTime<Utc>,
    pub maybe: Option<String>,
    pub maybe_number: Option<i64>,
}

impl Everything {
    pub fn sample(id: &str) -> Self {
        let fireball = Spell {
            name: "fireball".into(),
            damage: 10,
            elements: vec!["fire".into()],
        };
        Everything {
            id: id.into(),
            small: -8,
            unsigned: 65535,
            int: -2_000_000_000,
            long: i64::MIN,
            huge: 12345678901234567890123456789012345678,
            unsigned_huge: 99999999999999999999999999999999999999,
            size: 42,
            single: 1.5,
            double: 0.1,
            exact: "-1E-130".parse().unwrap(),
            flag: true,
            legacy_flag: true,
            blob: Bytes(vec![0, 1, 2, 255]),
            words: HashSet::from(["é".into(), "plain".into()]),
            numbers: BTreeSet::from([-1, 0, 7]),
            decimals: BTreeSet::from(["1E+125".parse().unwrap(), "0.5".parse().unwrap()]),
            blobs: HashSet::from([Bytes(vec![1]), Bytes(vec![2, 3])]),
            list: vec![3, 1, 2],
            nested_lists: vec![vec!["a".into()], vec![]],
            map: HashMap::from([("half".into(), 0.5)]),
            ordered_map: BTreeMap::from([("k".into(), vec!["v".into()])]),
            spell: fireball.clone(),
            spells: vec![fireball.clone(), Spell::default()],
            spellbook: vec![fireball],
            settings: Json(BTreeMap::from([("volume".into(), serde_json::json!(11))])),
            when: "2012-05-31T12:30:01.000042Z".parse().unwrap(),
            maybe: Some("here".into()),
            maybe_number: None,
        }
    }
}

/// An account: a balance to add to, and tags another writer may change.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "accounts", hash_key = "id")]
pub struct Account {
    pub id: String,
    pub balance: i64,
    pub tags: BTreeSet<String>,
}
