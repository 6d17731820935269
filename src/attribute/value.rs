//! The DynamoDB value model: what an attribute holds once it leaves Rust types.

use std::collections::HashMap;
use std::fmt;

use super::Decimal;

/// A DynamoDB item: attribute name to value.
///
/// Build one with `Item::default()`, `Item::with_capacity_and_hasher(n, Default::default())`
/// or by collecting `(String, AttributeValue)` pairs.
pub type Item = HashMap<String, AttributeValue, ItemHasher>;

/// The hasher of an [`Item`]'s attribute names: foldhash, seeded at random
/// for each map (hashbrown's default). Converting a model hashes every
/// attribute name, and SipHash, std's default, was a sixth of that work.
pub type ItemHasher = foldhash::fast::RandomState;

/// An empty item with room for `capacity` attributes.
#[inline]
pub fn item_with_capacity(capacity: usize) -> Item {
    Item::with_capacity_and_hasher(capacity, ItemHasher::default())
}

/// One DynamoDB attribute value, in DynamoDB's own type system.
///
/// Numbers travel as their decimal text so that no precision is lost between
/// the engine and the Rust type that reads them.
///
/// Equality treats sets as sets: member order does not matter.
#[derive(Clone)]
pub enum AttributeValue {
    /// String (`S`).
    S(String),
    /// Number (`N`), as decimal text.
    N(String),
    /// Binary (`B`).
    B(Vec<u8>),
    /// Boolean (`BOOL`).
    Bool(bool),
    /// Null (`NULL`).
    Null,
    /// String set (`SS`).
    Ss(Vec<String>),
    /// Number set (`NS`).
    Ns(Vec<String>),
    /// Binary set (`BS`).
    Bs(Vec<Vec<u8>>),
    /// List (`L`).
    L(Vec<AttributeValue>),
    /// Map (`M`).
    M(Item),
}

impl AttributeValue {
    /// The DynamoDB type descriptor: `S`, `N`, `B`, `BOOL`, `NULL`, `SS`, `NS`, `BS`, `L` or `M`.
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Bool(_) => "BOOL",
            AttributeValue::Null => "NULL",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
            AttributeValue::L(_) => "L",
            AttributeValue::M(_) => "M",
        }
    }

    /// Whether this value is left out of an item under the original library's
    /// empty-value rule: null, empty strings, empty binaries, empty sets,
    /// empty lists and empty maps are stored as an absent attribute.
    pub fn is_empty_value(&self) -> bool {
        match self {
            AttributeValue::Null => true,
            AttributeValue::S(s) => s.is_empty(),
            AttributeValue::B(b) => b.is_empty(),
            AttributeValue::Ss(v) => v.is_empty(),
            AttributeValue::Ns(v) => v.is_empty(),
            AttributeValue::Bs(v) => v.is_empty(),
            AttributeValue::L(v) => v.is_empty(),
            AttributeValue::M(m) => m.is_empty(),
            AttributeValue::N(_) | AttributeValue::Bool(_) => false,
        }
    }

    /// Whether DynamoDB refuses this value anywhere in an item (an empty set).
    pub(crate) fn is_empty_set(&self) -> bool {
        match self {
            AttributeValue::Ss(v) => v.is_empty(),
            AttributeValue::Ns(v) => v.is_empty(),
            AttributeValue::Bs(v) => v.is_empty(),
            _ => false,
        }
    }

    /// The value's size as DynamoDB counts it against the 400 KB item limit.
    pub fn size(&self) -> usize {
        super::access::value_size(self)
    }

    /// Whether both values hold the same data as DynamoDB sees it: numbers
    /// by value (`1.50` is `1.5`, as engines may store either), sets as
    /// sets, lists and maps element by element.
    pub fn same_value(&self, other: &AttributeValue) -> bool {
        fn same_number(a: &str, b: &str) -> bool {
            a == b || matches!((Decimal::parse(a), Decimal::parse(b)), (Ok(x), Ok(y)) if x == y)
        }
        fn same_numbers(a: &[String], b: &[String]) -> bool {
            let parse = |v: &[String]| -> Option<std::collections::HashSet<Decimal>> {
                v.iter().map(|n| Decimal::parse(n).ok()).collect()
            };
            a.len() == b.len()
                && match (parse(a), parse(b)) {
                    (Some(x), Some(y)) => x == y,
                    _ => AttributeValue::Ns(a.to_vec()) == AttributeValue::Ns(b.to_vec()),
                }
        }
        match (self, other) {
            (AttributeValue::N(a), AttributeValue::N(b)) => same_number(a, b),
            (AttributeValue::Ns(a), AttributeValue::Ns(b)) => same_numbers(a, b),
            (AttributeValue::L(a), AttributeValue::L(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_value(y))
            }
            (AttributeValue::M(a), AttributeValue::M(b)) => same_item(a, b),
            (a, b) => a == b,
        }
    }

    /// A short rendering for error messages: long values are cut.
    pub(crate) fn preview(&self) -> String {
        const MAX: usize = 80;
        let mut text = format!("{self:?}");
        if text.len() > MAX {
            let mut cut = MAX;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
            text.push_str("...");
        }
        text
    }
}

impl PartialEq for AttributeValue {
    fn eq(&self, other: &Self) -> bool {
        fn same_members<T: Ord>(a: &[T], b: &[T]) -> bool {
            if a.len() != b.len() {
                return false;
            }
            let mut a: Vec<&T> = a.iter().collect();
            let mut b: Vec<&T> = b.iter().collect();
            a.sort_unstable();
            b.sort_unstable();
            a == b
        }
        match (self, other) {
            (AttributeValue::S(a), AttributeValue::S(b)) => a == b,
            (AttributeValue::N(a), AttributeValue::N(b)) => a == b,
            (AttributeValue::B(a), AttributeValue::B(b)) => a == b,
            (AttributeValue::Bool(a), AttributeValue::Bool(b)) => a == b,
            (AttributeValue::Null, AttributeValue::Null) => true,
            (AttributeValue::Ss(a), AttributeValue::Ss(b)) => same_members(a, b),
            (AttributeValue::Ns(a), AttributeValue::Ns(b)) => same_members(a, b),
            (AttributeValue::Bs(a), AttributeValue::Bs(b)) => same_members(a, b),
            (AttributeValue::L(a), AttributeValue::L(b)) => a == b,
            (AttributeValue::M(a), AttributeValue::M(b)) => a == b,
            _ => false,
        }
    }
}

/// The equality above is an equivalence (numbers compare as their text,
/// sets as sorted members).
impl Eq for AttributeValue {}

/// An item that prints in key order with the values of `sensitive`
/// attributes as `<redacted>`: how documents and errors show stored items.
pub(crate) struct RedactedItem<'a>(pub(crate) &'a Item, pub(crate) &'static [&'static str]);

impl fmt::Debug for RedactedItem<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut entries: Vec<_> = self.0.iter().collect();
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut map = f.debug_map();
        for (name, value) in entries {
            if self.1.contains(&name.as_str()) {
                map.entry(name, &format_args!("<redacted>"));
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

/// Maps print in key order, so that equal values print alike.
impl fmt::Debug for AttributeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttributeValue::S(v) => f.debug_tuple("S").field(v).finish(),
            AttributeValue::N(v) => f.debug_tuple("N").field(v).finish(),
            AttributeValue::B(v) => f.debug_tuple("B").field(v).finish(),
            AttributeValue::Bool(v) => f.debug_tuple("Bool").field(v).finish(),
            AttributeValue::Null => f.write_str("Null"),
            AttributeValue::Ss(v) => f.debug_tuple("Ss").field(v).finish(),
            AttributeValue::Ns(v) => f.debug_tuple("Ns").field(v).finish(),
            AttributeValue::Bs(v) => f.debug_tuple("Bs").field(v).finish(),
            AttributeValue::L(v) => f.debug_tuple("L").field(v).finish(),
            AttributeValue::M(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                f.debug_tuple("M").field(&DebugEntries(&entries)).finish()
            }
        }
    }
}

struct DebugEntries<'a>(&'a [(&'a String, &'a AttributeValue)]);

impl fmt::Debug for DebugEntries<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

/// An item's size as DynamoDB counts it against its 400 KB limit: the UTF-8
/// length of each attribute name plus the size of its value.
pub fn item_size(item: &Item) -> usize {
    super::access::ItemAccess::size(item)
}

/// Whether two items hold the same attributes with the same data
/// ([`AttributeValue::same_value`]).
pub fn same_item(a: &Item, b: &Item) -> bool {
    a.len() == b.len()
        && a.iter()
            .all(|(name, value)| b.get(name).is_some_and(|other| value.same_value(other)))
}

/// The scalar types a key attribute can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// `S`
    String,
    /// `N`
    Number,
    /// `B`
    Binary,
}

impl ScalarType {
    /// The DynamoDB type descriptor: `S`, `N` or `B`.
    pub fn descriptor(self) -> &'static str {
        match self {
            ScalarType::String => "S",
            ScalarType::Number => "N",
            ScalarType::Binary => "B",
        }
    }
}
