//! DynamoDB JSON: items as DynamoDB's own APIs, stream records, exports and
//! the AWS CLI write them, each value an object naming its type
//! (`{"name": {"S": "Ann"}, "visits": {"N": "42"}}`).
//!
//! Numbers keep their text exactly (never read through `f64`); binary values
//! are base64, as DynamoDB writes them. Reading refuses what DynamoDB would:
//! an object without exactly one type, a type unknown to it, a number that
//! is no DynamoDB number, base64 that does not decode, a `NULL` that is not
//! `true`; the error names the path to the value.
//!
//! ```
//! use dynamodb_mapper::attribute::dynamodb_json;
//! use dynamodb_mapper::{AttributeValue, Item};
//!
//! let item = Item::from_iter([
//!     ("name".to_string(), AttributeValue::S("Ann".into())),
//!     ("visits".to_string(), AttributeValue::N("42".into())),
//! ]);
//! let json = dynamodb_json::item_to_json(&item);
//! assert_eq!(json, serde_json::json!({"name": {"S": "Ann"}, "visits": {"N": "42"}}));
//! assert_eq!(dynamodb_json::item_from_json(&json).unwrap(), item);
//!
//! // With serde: a field of your own types in DynamoDB JSON.
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Exported {
//!     #[serde(with = "dynamodb_json::item")]
//!     item: Item,
//! }
//! let text = serde_json::to_string(&Exported { item: item.clone() }).unwrap();
//! let back: Exported = serde_json::from_str(&text).unwrap();
//! assert_eq!(back.item, item);
//! ```

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::{Map, Value};

use super::{AttributeValue, Decimal, Item, ValueError};

/// An item as a DynamoDB JSON object.
pub fn item_to_json(item: &Item) -> Value {
    Value::Object(
        item.iter()
            .map(|(name, value)| (name.clone(), to_json(value)))
            .collect(),
    )
}

/// How deep values may nest (DynamoDB allows 32 levels): deeper JSON is a
/// typed error rather than a deep recursion.
pub(crate) const MAX_DEPTH: usize = 64;

/// An item from a DynamoDB JSON object.
pub fn item_from_json(json: &Value) -> Result<Item, ValueError> {
    item_at(json, 0)
}

fn item_at(json: &Value, depth: usize) -> Result<Item, ValueError> {
    let Value::Object(entries) = json else {
        return Err(ValueError::invalid(
            preview(json),
            "an item in DynamoDB JSON is an object of typed values",
        ));
    };
    entries
        .iter()
        .map(|(name, value)| {
            value_at(value, depth)
                .map(|value| (name.clone(), value))
                .map_err(|e| e.in_key(name))
        })
        .collect()
}

/// One value as DynamoDB JSON: `{"S": "text"}`, `{"N": "1.5"}`, ...
pub fn to_json(value: &AttributeValue) -> Value {
    let (tag, body) = match value {
        AttributeValue::S(text) => ("S", Value::String(text.clone())),
        AttributeValue::N(text) => ("N", Value::String(text.clone())),
        AttributeValue::B(bytes) => ("B", Value::String(BASE64.encode(bytes))),
        AttributeValue::Bool(flag) => ("BOOL", Value::Bool(*flag)),
        AttributeValue::Null => ("NULL", Value::Bool(true)),
        AttributeValue::Ss(texts) => ("SS", strings(texts.iter().cloned())),
        AttributeValue::Ns(texts) => ("NS", strings(texts.iter().cloned())),
        AttributeValue::Bs(all) => ("BS", strings(all.iter().map(|b| BASE64.encode(b)))),
        AttributeValue::L(values) => ("L", Value::Array(values.iter().map(to_json).collect())),
        AttributeValue::M(item) => ("M", item_to_json(item)),
    };
    Value::Object(Map::from_iter([(tag.to_owned(), body)]))
}

fn strings(texts: impl Iterator<Item = String>) -> Value {
    Value::Array(texts.map(Value::String).collect())
}

/// One value from DynamoDB JSON.
pub fn from_json(json: &Value) -> Result<AttributeValue, ValueError> {
    value_at(json, 0)
}

fn value_at(json: &Value, depth: usize) -> Result<AttributeValue, ValueError> {
    if depth >= MAX_DEPTH {
        return Err(ValueError::invalid(
            preview(json),
            format!("values nest deeper than {MAX_DEPTH} levels"),
        ));
    }
    let typed = match json {
        Value::Object(typed) if typed.len() == 1 => typed,
        _ => {
            return Err(ValueError::invalid(
                preview(json),
                "a value in DynamoDB JSON is an object with one type: {\"S\": \"..\"}, {\"N\": \"..\"}, ...",
            ))
        }
    };
    let Some((tag, body)) = typed.iter().next() else {
        return Err(ValueError::invalid(preview(json), "an empty typed value"));
    };
    let wrong = |expected: &str| {
        ValueError::invalid(
            preview(body),
            format!("a `{tag}` value in DynamoDB JSON is {expected}"),
        )
    };
    Ok(match (tag.as_str(), body) {
        ("S", Value::String(text)) => AttributeValue::S(text.clone()),
        ("N", Value::String(text)) => AttributeValue::N(number(text)?),
        ("B", Value::String(text)) => AttributeValue::B(bytes(text)?),
        ("BOOL", Value::Bool(flag)) => AttributeValue::Bool(*flag),
        ("NULL", Value::Bool(true)) => AttributeValue::Null,
        ("SS", Value::Array(all)) => AttributeValue::Ss(texts(all, |t| Ok(t.to_owned()))?),
        ("NS", Value::Array(all)) => AttributeValue::Ns(texts(all, number)?),
        ("BS", Value::Array(all)) => AttributeValue::Bs(texts(all, bytes)?),
        ("L", Value::Array(all)) => AttributeValue::L(
            all.iter()
                .enumerate()
                .map(|(i, v)| value_at(v, depth + 1).map_err(|e| e.in_index(i)))
                .collect::<Result<_, _>>()?,
        ),
        ("M", map @ Value::Object(_)) => AttributeValue::M(item_at(map, depth + 1)?),
        ("S" | "N" | "B", _) => return Err(wrong("a string")),
        ("BOOL", _) => return Err(wrong("true or false")),
        ("NULL", _) => return Err(wrong("true")),
        ("SS" | "NS" | "BS" | "L", _) => return Err(wrong("an array")),
        ("M", _) => return Err(wrong("an object")),
        _ => {
            return Err(ValueError::invalid(
                tag,
                "not a DynamoDB type (S, N, B, BOOL, NULL, SS, NS, BS, L, M)",
            ))
        }
    })
}

/// The members of a set, each a string read by `read`.
fn texts<T>(
    all: &[Value],
    read: impl Fn(&str) -> Result<T, ValueError>,
) -> Result<Vec<T>, ValueError> {
    all.iter()
        .enumerate()
        .map(|(i, member)| match member {
            Value::String(text) => read(text).map_err(|e| e.in_index(i)),
            other => {
                Err(ValueError::invalid(preview(other), "a set's members are strings").in_index(i))
            }
        })
        .collect()
}

/// A number's text, kept exactly as written once DynamoDB would take it.
fn number(text: &str) -> Result<String, ValueError> {
    Decimal::parse(text)?;
    Ok(text.to_owned())
}

fn bytes(text: &str) -> Result<Vec<u8>, ValueError> {
    BASE64.decode(text).map_err(|e| {
        ValueError::invalid(
            preview(&Value::String(text.to_owned())),
            format!("not base64: {e}"),
        )
    })
}

/// A value shortened for an error message.
fn preview(json: &Value) -> String {
    let text = json.to_string();
    match text.char_indices().nth(80) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text,
    }
}

/// `#[serde(with = "dynamodb_json::item")]`: an [`Item`] field written and
/// read as DynamoDB JSON by any serde format.
pub mod item {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{item_from_json, item_to_json};
    use crate::attribute::Item;

    /// Writes the item as a DynamoDB JSON object.
    pub fn serialize<S: Serializer>(item: &Item, serializer: S) -> Result<S::Ok, S::Error> {
        item_to_json(item).serialize(serializer)
    }

    /// Reads an item from a DynamoDB JSON object.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Item, D::Error> {
        let json = serde_json::Value::deserialize(deserializer)?;
        item_from_json(&json).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// Any attribute value DynamoDB accepts (nested three deep at most).
    pub(crate) fn value() -> impl Strategy<Value = AttributeValue> {
        let number = prop_oneof![
            any::<i64>().prop_map(|n| n.to_string()),
            // Within DynamoDB's range: at most 30 digits before the point,
            // times at most 1E89.
            "-?[1-9][0-9]{0,37}|-?[1-9][0-9]{0,29}\\.[0-9]{1,5}(E-?[1-8][0-9]?)?",
        ];
        let leaf = prop_oneof![
            any::<String>().prop_map(AttributeValue::S),
            number.clone().prop_map(AttributeValue::N),
            proptest::collection::vec(any::<u8>(), 0..16).prop_map(AttributeValue::B),
            any::<bool>().prop_map(AttributeValue::Bool),
            Just(AttributeValue::Null),
            proptest::collection::btree_set(any::<String>(), 1..4)
                .prop_map(|s| AttributeValue::Ss(s.into_iter().collect())),
            proptest::collection::btree_set(number, 1..4)
                .prop_map(|s| AttributeValue::Ns(s.into_iter().collect())),
            proptest::collection::btree_set(proptest::collection::vec(any::<u8>(), 1..8), 1..4)
                .prop_map(|s| AttributeValue::Bs(s.into_iter().collect())),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(AttributeValue::L),
                proptest::collection::hash_map("[a-z#.]{0,6}", inner, 0..4)
                    .prop_map(|m| AttributeValue::M(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_item_round_trips(item in proptest::collection::hash_map("\\PC{0,8}", value(), 0..6)) {
            let item: Item = item.into_iter().collect();
            let json = item_to_json(&item);
            prop_assert_eq!(item_from_json(&json).unwrap(), item.clone());
            // Through its text too (as a file or a stream record holds it).
            let text = serde_json::to_string(&json).unwrap();
            let reread: Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(item_from_json(&reread).unwrap(), item);
        }
    }

    #[test]
    fn numbers_keep_their_text_and_binary_is_base64() {
        let json = json!({"n": {"N": "1.50E+3"}, "big": {"N": "12345678901234567890123456789012345678"}, "b": {"B": "AAEC/w=="}});
        let item = item_from_json(&json).unwrap();
        assert_eq!(item["n"], AttributeValue::N("1.50E+3".into()));
        assert_eq!(item["b"], AttributeValue::B(vec![0, 1, 2, 255]));
        assert_eq!(item_to_json(&item), json);
    }

    #[test]
    fn what_dynamodb_would_refuse_is_refused_with_its_path() {
        let refused = [
            json!({"a": {"S": "x", "N": "1"}}),
            json!({"a": {}}),
            json!({"a": {"X": "1"}}),
            json!({"a": {"N": "1e999"}}),
            json!({"a": {"N": "abc"}}),
            json!({"a": {"N": 1}}),
            json!({"a": {"B": "***"}}),
            json!({"a": {"NULL": false}}),
            json!({"a": {"L": [{"S": "ok"}, {"Q": 1}]}}),
            json!({"a": {"M": {"b": {"NS": ["1", "x"]}}}}),
            json!({"a": "plain"}),
            json!(["not", "an", "item"]),
        ];
        for json in refused {
            let error = item_from_json(&json).expect_err(&json.to_string());
            if json.is_object() {
                assert!(error.path().starts_with(".a"), "{json}: {error}");
            }
        }
        let error = item_from_json(&json!({"a": {"L": [{"S": "ok"}, {"Q": 1}]}})).unwrap_err();
        assert_eq!(error.path(), ".a[1]");
    }

    #[test]
    fn deep_nesting_is_a_typed_error_not_a_deep_recursion() {
        let mut value = json!({"S": "bottom"});
        for _ in 0..200 {
            let mut list = serde_json::Map::new();
            list.insert("L".into(), Value::Array(vec![value]));
            value = Value::Object(list);
        }
        let mut item = serde_json::Map::new();
        item.insert("a".into(), value);
        let error = item_from_json(&Value::Object(item)).unwrap_err();
        assert!(error.to_string().contains("nest deeper"), "{error}");
    }
}
