//! Reading attribute values in whichever form an engine returned them.
//!
//! Each engine answers with its own value type: the AWS SDK's
//! `AttributeValue`, dynoxide's, and this crate's [`AttributeValue`] for items
//! built in code. Models decode from any of them through one generic path,
//! the way serde's derive targets a `Deserializer`: a field type reads a
//! value through [`AttributeAccess::access`] (a borrowed [`ValueRef`]), a
//! model reads an item through [`ItemAccess`]. No item is copied into another
//! engine's form to be read, and [`StoredItem`] keeps a read item in the form
//! it came in.

mod stored;

#[cfg(feature = "aws")]
mod aws;
#[cfg(feature = "embedded")]
mod embedded;

pub use stored::{ItemVisitor, StoredItem};

use super::{item_with_capacity, AttributeValue, Decimal, Item, ValueError};

/// One stored attribute value, in some engine's own type, read by reference.
///
/// Implemented for this crate's [`AttributeValue`] and, with their features,
/// for the AWS SDK's and dynoxide's value types. Field types decode from it in
/// [`Attribute::from_attribute_ref`](super::Attribute::from_attribute_ref).
pub trait AttributeAccess: Sized {
    /// The engine's map of values (an item, or an `M` value).
    type Map: ItemAccess<Value = Self>;
    /// The engine's binary type, a member of `BS`.
    type Binary: AsRef<[u8]>;

    /// The value's type and contents, borrowed.
    fn access(&self) -> ValueRef<'_, Self>;

    /// A copy in this crate's own form: for the paths that keep or change a
    /// value (migrations, conditions, errors), never for plain reads. A
    /// value of a type this crate does not know ([`ValueRef::Unknown`],
    /// which [`StoredItem`]s never hold) copies as `NULL`: use
    /// [`known_copy`] where that matters.
    fn to_attribute_value(&self) -> AttributeValue {
        match self.access() {
            ValueRef::S(v) => AttributeValue::S(v.to_owned()),
            ValueRef::N(v) => AttributeValue::N(v.to_owned()),
            ValueRef::B(v) => AttributeValue::B(v.to_vec()),
            ValueRef::Bool(v) => AttributeValue::Bool(v),
            ValueRef::Null => AttributeValue::Null,
            ValueRef::Ss(v) => AttributeValue::Ss(v.to_vec()),
            ValueRef::Ns(v) => AttributeValue::Ns(v.to_vec()),
            ValueRef::Bs(v) => AttributeValue::Bs(v.iter().map(|b| b.as_ref().to_vec()).collect()),
            ValueRef::L(v) => AttributeValue::L(v.iter().map(Self::to_attribute_value).collect()),
            ValueRef::M(v) => AttributeValue::M(v.to_item()),
            ValueRef::Unknown => AttributeValue::Null,
        }
    }

    /// The DynamoDB type descriptor (`S`, `N`, ..., `M`), `?` for a type
    /// this crate does not know.
    fn type_name(&self) -> &'static str {
        self.access().type_name()
    }
}

/// A stored value's type and contents, borrowed from an engine's value `V`.
#[derive(Debug)]
#[non_exhaustive]
pub enum ValueRef<'a, V: AttributeAccess> {
    /// String (`S`).
    S(&'a str),
    /// Number (`N`), as decimal text.
    N(&'a str),
    /// Binary (`B`).
    B(&'a [u8]),
    /// Boolean (`BOOL`).
    Bool(bool),
    /// Null (`NULL`).
    Null,
    /// String set (`SS`).
    Ss(&'a [String]),
    /// Number set (`NS`).
    Ns(&'a [String]),
    /// Binary set (`BS`).
    Bs(&'a [V::Binary]),
    /// List (`L`).
    L(&'a [V]),
    /// Map (`M`).
    M(&'a V::Map),
    /// A type the engine's SDK knows and this crate does not: no decoder
    /// accepts it.
    Unknown,
}

impl<V: AttributeAccess> ValueRef<'_, V> {
    /// The DynamoDB type descriptor, `?` for [`ValueRef::Unknown`].
    pub fn type_name(&self) -> &'static str {
        match self {
            ValueRef::S(_) => "S",
            ValueRef::N(_) => "N",
            ValueRef::B(_) => "B",
            ValueRef::Bool(_) => "BOOL",
            ValueRef::Null => "NULL",
            ValueRef::Ss(_) => "SS",
            ValueRef::Ns(_) => "NS",
            ValueRef::Bs(_) => "BS",
            ValueRef::L(_) => "L",
            ValueRef::M(_) => "M",
            ValueRef::Unknown => "?",
        }
    }
}

/// A map of stored values (an item, or an `M` value) in some engine's own
/// type, read by reference. Models decode from it in
/// [`Model::from_item_ref`](crate::Model::from_item_ref).
pub trait ItemAccess: Sized {
    /// The engine's value type.
    type Value: AttributeAccess<Map = Self>;

    /// The value stored under `name`.
    fn attribute(&self, name: &str) -> Option<&Self::Value>;

    /// How many attributes the map holds.
    fn attribute_count(&self) -> usize;

    /// Every `(name, value)` pair, in no particular order.
    fn attributes(&self) -> impl Iterator<Item = (&str, &Self::Value)>;

    /// A copy in this crate's own form.
    fn to_item(&self) -> Item {
        let mut item = item_with_capacity(self.attribute_count());
        for (name, value) in self.attributes() {
            item.insert(name.to_owned(), value.to_attribute_value());
        }
        item
    }

    /// The map's size as DynamoDB counts it against the 400 KB item limit.
    fn size(&self) -> usize {
        self.attributes()
            .map(|(name, value)| name.len() + value_size(value))
            .sum()
    }
}

/// Whether the value, and everything inside it, is of a type this crate
/// knows, nested at most 64 levels (DynamoDB allows 32): what decoding and
/// converting it recurse through is bounded.
pub fn is_known<V: AttributeAccess>(value: &V) -> bool {
    fn within<V: AttributeAccess>(value: &V, depth: usize) -> bool {
        match value.access() {
            _ if depth >= super::dynamodb_json::MAX_DEPTH => false,
            ValueRef::L(list) => list.iter().all(|value| within(value, depth + 1)),
            ValueRef::M(map) => map.attributes().all(|(_, value)| within(value, depth + 1)),
            ValueRef::Unknown => false,
            _ => true,
        }
    }
    within(value, 0)
}

/// A copy in this crate's own form, refused if the value holds a type this
/// crate does not know (a copy would turn it into `NULL`).
pub fn known_copy<V: AttributeAccess>(value: &V) -> Result<AttributeValue, ValueError> {
    if is_known(value) {
        Ok(value.to_attribute_value())
    } else {
        Err(ValueError::type_mismatch("a known type", value))
    }
}

/// A value's size as DynamoDB counts it (see [`AttributeValue::size`]).
pub fn value_size<V: AttributeAccess>(value: &V) -> usize {
    // One byte per two significant digits (leading and trailing zeros
    // trimmed: "100" and "1E+2" are one digit), plus one.
    fn number(text: &str) -> usize {
        let digits = match plain_significant_digits(text) {
            Some(digits) => Ok(digits),
            None => Decimal::parse(text).map(|number| number.significant_digits()),
        };
        let digits = match digits {
            Ok(digits) => digits,
            // Not a DynamoDB number (the engine refuses it): count its digits.
            Err(_) => text.bytes().filter(u8::is_ascii_digit).count(),
        };
        digits.div_ceil(2) + 1
    }
    match value.access() {
        ValueRef::S(s) => s.len(),
        ValueRef::N(n) => number(n),
        ValueRef::B(b) => b.len(),
        ValueRef::Bool(_) | ValueRef::Null | ValueRef::Unknown => 1,
        ValueRef::Ss(v) => v.iter().map(String::len).sum(),
        ValueRef::Ns(v) => v.iter().map(|n| number(n)).sum(),
        ValueRef::Bs(v) => v.iter().map(|b| b.as_ref().len()).sum(),
        // Each element of a list or map costs one byte more.
        ValueRef::L(v) => 3 + v.len() + v.iter().map(value_size).sum::<usize>(),
        ValueRef::M(m) => 3 + m.attribute_count() + m.size(),
    }
}

/// The significant digits of a short plain decimal (`-12.50`: 3), counted
/// without parsing it; `None` for any other text (an exponent, a sign `+`,
/// more than 40 characters or 38 digits: [`Decimal::parse`] decides those). A short
/// plain decimal is always within DynamoDB's range, so both agree.
fn plain_significant_digits(text: &str) -> Option<usize> {
    let digits = text.strip_prefix('-').unwrap_or(text).as_bytes();
    if digits.is_empty() || text.len() > 40 {
        return None;
    }
    let (mut first, mut last, mut count, mut points) = (None, 0, 0, 0);
    for &b in digits {
        match b {
            b'0' => count += 1,
            b'1'..=b'9' => {
                count += 1;
                first.get_or_insert(count);
                last = count;
            }
            b'.' if points == 0 => points += 1,
            _ => return None,
        }
    }
    if count == 0 {
        return None;
    }
    // More than 38 is no DynamoDB number: `Decimal::parse` says so.
    Some(first.map_or(0, |first| last - first + 1)).filter(|digits| *digits <= 38)
}

impl AttributeAccess for AttributeValue {
    type Map = Item;
    type Binary = Vec<u8>;

    #[inline]
    fn access(&self) -> ValueRef<'_, Self> {
        match self {
            AttributeValue::S(v) => ValueRef::S(v),
            AttributeValue::N(v) => ValueRef::N(v),
            AttributeValue::B(v) => ValueRef::B(v),
            AttributeValue::Bool(v) => ValueRef::Bool(*v),
            AttributeValue::Null => ValueRef::Null,
            AttributeValue::Ss(v) => ValueRef::Ss(v),
            AttributeValue::Ns(v) => ValueRef::Ns(v),
            AttributeValue::Bs(v) => ValueRef::Bs(v),
            AttributeValue::L(v) => ValueRef::L(v),
            AttributeValue::M(v) => ValueRef::M(v),
        }
    }

    fn to_attribute_value(&self) -> AttributeValue {
        self.clone()
    }
}

impl ItemAccess for Item {
    type Value = AttributeValue;

    #[inline]
    fn attribute(&self, name: &str) -> Option<&AttributeValue> {
        self.get(name)
    }

    #[inline]
    fn attribute_count(&self) -> usize {
        self.len()
    }

    fn attributes(&self) -> impl Iterator<Item = (&str, &AttributeValue)> {
        self.iter().map(|(name, value)| (name.as_str(), value))
    }

    fn to_item(&self) -> Item {
        self.clone()
    }
}

/// Implements [`ItemAccess`] for a `HashMap<String, V>` of an engine's value
/// type `V` (std's hasher, as both SDKs build their maps).
#[cfg(any(feature = "aws", feature = "embedded"))]
macro_rules! engine_map_access {
    ($value:ty) => {
        impl $crate::attribute::access::ItemAccess for ::std::collections::HashMap<String, $value> {
            type Value = $value;

            #[inline]
            fn attribute(&self, name: &str) -> Option<&$value> {
                self.get(name)
            }

            #[inline]
            fn attribute_count(&self) -> usize {
                self.len()
            }

            fn attributes(&self) -> impl Iterator<Item = (&str, &$value)> {
                self.iter().map(|(name, value)| (name.as_str(), value))
            }
        }
    };
}
#[cfg(any(feature = "aws", feature = "embedded"))]
use engine_map_access;

#[cfg(test)]
mod tests;
