//! A JSON view of models, as the original's `to_json_dict()`: every declared
//! attribute, sets as sorted lists, datetimes as ISO text, JSON-text fields
//! as the JSON they hold.
//!
//! ```
//! # use dynamodb_mapper::Model;
//! # use std::collections::HashSet;
//! #[derive(Model, Debug, Clone, Default)]
//! #[dynamodb(table = "doom_map", hash_key = "episode", range_key = "map")]
//! struct DoomMap { episode: i64, map: i64, name: String, cheats: HashSet<String> }
//!
//! let map = DoomMap { episode: 1, map: 1, name: "Hangar".into(), cheats: ["iddqd".into(), "idkfa".into()].into() };
//! assert_eq!(
//!     map.to_json().unwrap(),
//!     serde_json::json!({"episode": 1, "map": 1, "name": "Hangar", "cheats": ["iddqd", "idkfa"]})
//! );
//! ```

use serde_json::{Map, Number, Value};

use crate::attribute::{AttributeValue, Decimal};

/// The JSON form of an attribute value: numbers as JSON numbers where that is
/// exact (otherwise as their decimal text), sets as sorted lists, binaries as
/// lists of bytes, maps as objects.
pub fn attribute_to_json(value: &AttributeValue) -> Value {
    match value {
        AttributeValue::S(text) => Value::String(text.clone()),
        AttributeValue::N(text) => number(text),
        AttributeValue::B(bytes) => bytes_to_json(bytes),
        AttributeValue::Bool(flag) => Value::Bool(*flag),
        AttributeValue::Null => Value::Null,
        AttributeValue::Ss(members) => {
            let mut sorted = members.clone();
            sorted.sort();
            Value::Array(sorted.into_iter().map(Value::String).collect())
        }
        AttributeValue::Ns(members) => {
            let mut sorted: Vec<(Option<Decimal>, &String)> = members
                .iter()
                .map(|m| (Decimal::parse(m).ok(), m))
                .collect();
            sorted.sort();
            Value::Array(sorted.into_iter().map(|(_, text)| number(text)).collect())
        }
        AttributeValue::Bs(members) => {
            let mut sorted = members.clone();
            sorted.sort();
            Value::Array(sorted.iter().map(|b| bytes_to_json(b)).collect())
        }
        AttributeValue::L(list) => Value::Array(list.iter().map(attribute_to_json).collect()),
        AttributeValue::M(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), attribute_to_json(v)))
                .collect::<Map<String, Value>>(),
        ),
    }
}

fn bytes_to_json(bytes: &[u8]) -> Value {
    Value::Array(bytes.iter().map(|b| Value::from(*b)).collect())
}

fn number(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return Value::from(i);
    }
    if let Ok(u) = text.parse::<u64>() {
        return Value::from(u);
    }
    let exact_float = text
        .parse::<f64>()
        .ok()
        .filter(|f| Decimal::try_from(*f).ok() == Decimal::parse(text).ok());
    match exact_float.and_then(Number::from_f64) {
        Some(number) => Value::Number(number),
        None => Value::String(text.to_owned()),
    }
}
