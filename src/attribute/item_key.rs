//! [`ItemKey`]: which item an error is about, as the key attributes it is
//! stored under.

use std::fmt;

use super::{AttributeValue, Item};

/// The primary key of one item: its key attributes, each with its name, the
/// hash key first, then the range key if the table has one.
///
/// Errors name the item they are about with it ([`ConflictError`],
/// [`Error::DuplicateKey`], [`Leftover`], ...). It prints as `name=value`
/// pairs: strings quoted, numbers as their text, anything else as its
/// `Debug` form, and an attribute the item lacks as `name=<missing>`:
///
/// ```
/// use dynamodb_mapper::attribute::ItemKey;
/// use dynamodb_mapper::AttributeValue;
///
/// let key = ItemKey::new("episode", AttributeValue::N("1".into()))
///     .with_range("map", AttributeValue::S("E1M1".into()));
/// assert_eq!(key.to_string(), r#"episode=1, map="E1M1""#);
/// assert_eq!(key.get("map"), Some(&AttributeValue::S("E1M1".into())));
/// ```
///
/// Key values are never secret: the derive refuses `#[dynamodb(sensitive)]`
/// on a key attribute, and only key attributes are kept here.
///
/// [`ConflictError`]: crate::error::ConflictError
/// [`Error::DuplicateKey`]: crate::Error::DuplicateKey
/// [`Leftover`]: crate::error::Leftover
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ItemKey {
    /// Hash key then range key; `None` where the item lacks the attribute.
    attributes: Vec<(String, Option<AttributeValue>)>,
}

// Key values are strings, numbers and binaries: their equality is an
// equivalence (and any other value's is too: numbers compare as text).
impl Eq for ItemKey {}

impl ItemKey {
    /// The key of a table with only a hash key.
    pub fn new(hash_key: impl Into<String>, value: AttributeValue) -> Self {
        ItemKey {
            attributes: vec![(hash_key.into(), Some(value))],
        }
    }

    /// The same key with a range key attribute after the hash key.
    pub fn with_range(mut self, range_key: impl Into<String>, value: AttributeValue) -> Self {
        self.attributes.push((range_key.into(), Some(value)));
        self
    }

    /// The key of `item` (a whole item or a key item) under the key attribute
    /// `names`, hash key first: the attributes `item` lacks are kept as
    /// missing, and print as `name=<missing>`.
    pub fn from_item<'a>(item: &Item, names: impl IntoIterator<Item = &'a str>) -> Self {
        ItemKey {
            attributes: names
                .into_iter()
                .map(|name| (name.to_owned(), item.get(name).cloned()))
                .collect(),
        }
    }

    /// The value of key attribute `name`, if the key has it.
    pub fn get(&self, name: &str) -> Option<&AttributeValue> {
        self.attributes
            .iter()
            .find(|(attribute, _)| attribute == name)
            .and_then(|(_, value)| value.as_ref())
    }

    /// The key attributes the item has, with their values: hash key first.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &AttributeValue)> {
        self.attributes
            .iter()
            .filter_map(|(name, value)| value.as_ref().map(|value| (name.as_str(), value)))
    }

    /// The names of the key attributes the item lacked (an item a migration
    /// step or a hand-written write left without its key).
    pub fn missing(&self) -> impl Iterator<Item = &str> {
        self.attributes
            .iter()
            .filter(|(_, value)| value.is_none())
            .map(|(name, _)| name.as_str())
    }

    /// The key as a key item (the attributes the item has), e.g. to get or
    /// write the item again through an engine.
    pub fn to_item(&self) -> Item {
        self.iter()
            .map(|(name, value)| (name.to_owned(), value.clone()))
            .collect()
    }
}

/// `name=value` pairs, hash key first: `login="ann"`, `episode=1, map=2`.
impl fmt::Display for ItemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (at, (name, value)) in self.attributes.iter().enumerate() {
            if at > 0 {
                f.write_str(", ")?;
            }
            match value {
                Some(AttributeValue::S(s)) => write!(f, "{name}={s:?}")?,
                Some(AttributeValue::N(n)) => write!(f, "{name}={n}")?,
                Some(other) => write!(f, "{name}={other:?}")?,
                None => write!(f, "{name}=<missing>")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_name_value_pairs() {
        let item = Item::from_iter([
            ("id".to_string(), AttributeValue::S("a \"b\"".into())),
            ("n".to_string(), AttributeValue::N("1.50".into())),
            ("other".to_string(), AttributeValue::S("not a key".into())),
        ]);
        assert_eq!(
            ItemKey::from_item(&item, ["id", "n"]).to_string(),
            r#"id="a \"b\"", n=1.50"#
        );
        let bytes = ItemKey::new("b", AttributeValue::B(vec![1, 2]));
        assert_eq!(bytes.to_string(), "b=B([1, 2])");
        let missing = ItemKey::from_item(&item, ["id", "range"]);
        assert_eq!(missing.to_string(), r#"id="a \"b\"", range=<missing>"#);
        assert_eq!(missing.missing().collect::<Vec<_>>(), ["range"]);
        assert_eq!(missing.to_item().len(), 1);
        assert_eq!(missing.get("range"), None);
    }
}
