//! Values to and from serde_dynamo's, the attribute
//! values of `aws_lambda_events`' DynamoDB events and of serde_dynamo-based
//! code: numbers kept as written once checked as DynamoDB would check them.
//!
//! ```
//! use dynamodb_mapper::attribute::serde_dynamo_bridge::{item_from_serde_dynamo, item_to_serde_dynamo};
//! use dynamodb_mapper::{AttributeValue, Item};
//!
//! let item = Item::from_iter([("n".to_string(), AttributeValue::N("1.50".into()))]);
//! assert_eq!(item_from_serde_dynamo(item_to_serde_dynamo(&item)).unwrap(), item);
//! let bad = serde_dynamo::Item::from(std::collections::HashMap::from([(
//!     "n".to_string(),
//!     serde_dynamo::AttributeValue::N("1e999".into()),
//! )]));
//! assert!(item_from_serde_dynamo(bad).is_err());
//! ```

use std::collections::HashMap;

use serde_dynamo::AttributeValue as Theirs;

use super::{item_with_capacity, AttributeValue, Decimal, Item, ValueError};

/// An item as serde_dynamo's.
pub fn item_to_serde_dynamo(item: &Item) -> serde_dynamo::Item {
    let map: HashMap<String, Theirs> = item
        .iter()
        .map(|(name, value)| (name.clone(), to_serde_dynamo(value)))
        .collect();
    serde_dynamo::Item::from(map)
}

/// An item from serde_dynamo's; a number DynamoDB would refuse is a typed
/// error naming where it is.
pub fn item_from_serde_dynamo(item: serde_dynamo::Item) -> Result<Item, ValueError> {
    map_from(item.into_inner())
}

/// One value as serde_dynamo's.
pub fn to_serde_dynamo(value: &AttributeValue) -> Theirs {
    match value {
        AttributeValue::S(v) => Theirs::S(v.clone()),
        AttributeValue::N(v) => Theirs::N(v.clone()),
        AttributeValue::B(v) => Theirs::B(v.clone()),
        AttributeValue::Bool(v) => Theirs::Bool(*v),
        AttributeValue::Null => Theirs::Null(true),
        AttributeValue::Ss(v) => Theirs::Ss(v.clone()),
        AttributeValue::Ns(v) => Theirs::Ns(v.clone()),
        AttributeValue::Bs(v) => Theirs::Bs(v.clone()),
        AttributeValue::L(v) => Theirs::L(v.iter().map(to_serde_dynamo).collect()),
        AttributeValue::M(v) => Theirs::M(
            v.iter()
                .map(|(name, value)| (name.clone(), to_serde_dynamo(value)))
                .collect(),
        ),
    }
}

/// One value from serde_dynamo's.
pub fn from_serde_dynamo(value: Theirs) -> Result<AttributeValue, ValueError> {
    Ok(match value {
        Theirs::S(v) => AttributeValue::S(v),
        Theirs::N(v) => AttributeValue::N(number(v)?),
        Theirs::B(v) => AttributeValue::B(v),
        Theirs::Bool(v) => AttributeValue::Bool(v),
        Theirs::Null(_) => AttributeValue::Null,
        Theirs::Ss(v) => AttributeValue::Ss(v),
        Theirs::Ns(v) => AttributeValue::Ns(
            v.into_iter()
                .enumerate()
                .map(|(i, n)| number(n).map_err(|e| e.in_index(i)))
                .collect::<Result<_, _>>()?,
        ),
        Theirs::Bs(v) => AttributeValue::Bs(v),
        Theirs::L(v) => AttributeValue::L(
            v.into_iter()
                .enumerate()
                .map(|(i, v)| from_serde_dynamo(v).map_err(|e| e.in_index(i)))
                .collect::<Result<_, _>>()?,
        ),
        Theirs::M(v) => AttributeValue::M(map_from(v)?),
    })
}

fn map_from(map: HashMap<String, Theirs>) -> Result<Item, ValueError> {
    let mut item = item_with_capacity(map.len());
    for (name, value) in map {
        let value = from_serde_dynamo(value).map_err(|e| e.in_key(&name))?;
        item.insert(name, value);
    }
    Ok(item)
}

/// A number's text, kept as written once DynamoDB would take it.
fn number(text: String) -> Result<String, ValueError> {
    Decimal::parse(&text)?;
    Ok(text)
}
