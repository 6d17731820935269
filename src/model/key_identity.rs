//! [`KeyIdentity`]: which item a key names, for finding duplicates; and
//! the [`ItemKey`] errors name an item by.

use crate::attribute::{AttributeValue, Decimal, Item, ItemKey};
use crate::model::Model;

/// What a model's key names, compared as DynamoDB compares keys: numbers by
/// value (`1.0` and `1` are one key), strings and binaries byte for byte.
/// Attributes other than the key's are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct KeyIdentity(Vec<KeyPart>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyPart {
    Missing,
    S(String),
    N(Decimal),
    /// Number text that is no DynamoDB number: compared as text.
    NText(String),
    B(Vec<u8>),
    /// A type no key can have: compared by its rendering.
    Other(String),
}

impl KeyIdentity {
    /// The identity of the key of `item` (a key item or a whole item) of `M`'s table.
    pub(crate) fn of<M: Model>(item: &Item) -> KeyIdentity {
        let schema = M::SCHEMA;
        let names = std::iter::once(schema.hash_key.attribute)
            .chain(schema.range_key.map(|range| range.attribute));
        KeyIdentity(names.map(|name| KeyPart::of(item.get(name))).collect())
    }
}

impl KeyPart {
    fn of(value: Option<&AttributeValue>) -> KeyPart {
        match value {
            None => KeyPart::Missing,
            Some(AttributeValue::S(s)) => KeyPart::S(s.clone()),
            Some(AttributeValue::N(n)) => match Decimal::parse(n) {
                Ok(number) => KeyPart::N(number),
                Err(_) => KeyPart::NText(n.clone()),
            },
            Some(AttributeValue::B(b)) => KeyPart::B(b.clone()),
            Some(other) => KeyPart::Other(format!("{other:?}")),
        }
    }
}

/// The key of `item` (a key item or a whole item) of `M`'s table, for errors.
pub(crate) fn item_key<M: Model>(item: &Item) -> ItemKey {
    let schema = M::SCHEMA;
    let names = std::iter::once(schema.hash_key.attribute)
        .chain(schema.range_key.map(|range| range.attribute));
    ItemKey::from_item(item, names)
}
