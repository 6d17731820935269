//! [`Cursor`]: where a query or scan stopped, to resume it later.

use std::fmt;
use std::str::FromStr;

use serde_json::{Map, Value};

use crate::attribute::{AttributeValue, Item};
use crate::error::Error;

/// An opaque position in a query or scan: the key of the last item returned.
/// Resuming with [`Query::start_after`](super::Query::start_after) (or
/// [`Scan::start_after`](super::Scan::start_after)) continues exactly after
/// it. Its text form (`to_string()`, `parse()`) can be handed to a client.
#[derive(Debug, Clone, PartialEq)]
pub struct Cursor(pub(crate) Item);

impl Cursor {
    /// The key attributes of the position.
    pub fn key(&self) -> &Item {
        &self.0
    }
}

fn tagged(value: &AttributeValue) -> Value {
    let (tag, body) = match value {
        AttributeValue::S(s) => ("S", Value::from(s.as_str())),
        AttributeValue::N(n) => ("N", Value::from(n.as_str())),
        AttributeValue::B(b) => ("B", Value::from(b.clone())),
        AttributeValue::Bool(b) => ("BOOL", Value::from(*b)),
        AttributeValue::Null => ("NULL", Value::from(true)),
        AttributeValue::Ss(v) => ("SS", Value::from(v.clone())),
        AttributeValue::Ns(v) => ("NS", Value::from(v.clone())),
        AttributeValue::Bs(v) => ("BS", Value::from(v.clone())),
        AttributeValue::L(v) => ("L", Value::Array(v.iter().map(tagged).collect())),
        AttributeValue::M(m) => (
            "M",
            Value::Object(m.iter().map(|(k, v)| (k.clone(), tagged(v))).collect()),
        ),
    };
    Value::Object(Map::from_iter([(tag.to_owned(), body)]))
}

fn untagged(value: Value) -> Option<AttributeValue> {
    let Value::Object(map) = value else {
        return None;
    };
    let (tag, body) = map.into_iter().next()?;
    let strings = |body: Value| -> Option<Vec<String>> { serde_json::from_value(body).ok() };
    Some(match tag.as_str() {
        "S" => AttributeValue::S(body.as_str()?.to_owned()),
        "N" => AttributeValue::N(body.as_str()?.to_owned()),
        "B" => AttributeValue::B(serde_json::from_value(body).ok()?),
        "BOOL" => AttributeValue::Bool(body.as_bool()?),
        "NULL" => AttributeValue::Null,
        "SS" => AttributeValue::Ss(strings(body)?),
        "NS" => AttributeValue::Ns(strings(body)?),
        "BS" => AttributeValue::Bs(serde_json::from_value(body).ok()?),
        "L" => match body {
            Value::Array(items) => {
                AttributeValue::L(items.into_iter().map(untagged).collect::<Option<_>>()?)
            }
            _ => return None,
        },
        "M" => match body {
            Value::Object(entries) => AttributeValue::M(
                entries
                    .into_iter()
                    .map(|(k, v)| Some((k, untagged(v)?)))
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        },
        _ => return None,
    })
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let object: Map<String, Value> =
            self.0.iter().map(|(k, v)| (k.clone(), tagged(v))).collect();
        f.write_str(&Value::Object(object).to_string())
    }
}

impl FromStr for Cursor {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        let invalid = || Error::InvalidRequest {
            model: "Cursor",
            reason: format!(
                "not a cursor: {:?}",
                text.chars().take(80).collect::<String>()
            ),
        };
        let Ok(Value::Object(entries)) = serde_json::from_str::<Value>(text) else {
            return Err(invalid());
        };
        let key = entries
            .into_iter()
            .map(|(k, v)| Some((k, untagged(v)?)))
            .collect::<Option<Item>>()
            .ok_or_else(invalid)?;
        Ok(Cursor(key))
    }
}
