//! [`StoredItem`]: an item kept in the form its engine returned it.

use std::fmt;
use std::sync::OnceLock;

use super::{AttributeAccess, ItemAccess};
use crate::attribute::Item;

/// An item as an engine returned it, kept in the engine's own form: reads
/// decode models from it in place, and documents keep it for conflict
/// detection without converting it.
///
/// [`item`](StoredItem::item) gives this crate's [`Item`] form, converted
/// the first time it is asked for (saves with conflict detection,
/// migrations) and kept. Two stored items are equal when their items are.
///
/// ```
/// # use dynamodb_mapper::{AttributeValue, Item};
/// # use dynamodb_mapper::attribute::StoredItem;
/// let item = Item::from_iter([("id".to_string(), AttributeValue::S("ann".into()))]);
/// let stored = StoredItem::from(item.clone());
/// assert_eq!(stored.item(), &item);
/// ```
#[derive(Clone)]
pub struct StoredItem {
    native: EngineForm,
    /// The `Item` form of an engine's item, once asked for.
    #[cfg_attr(not(any(feature = "aws", feature = "embedded")), allow(dead_code))]
    converted: OnceLock<Item>,
}

#[derive(Clone)]
enum EngineForm {
    Item(Item),
    #[cfg(feature = "aws")]
    Aws(std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>),
    #[cfg(feature = "embedded")]
    Embedded(std::collections::HashMap<String, dynoxide::types::AttributeValue>),
}

/// Reads an item of any engine's form: [`StoredItem::read`] calls `visit`
/// with the item as it is stored. (A closure cannot be generic over the
/// item's type; this is that closure.)
pub trait ItemVisitor {
    /// What reading the item gives.
    type Output;
    /// Reads `item`.
    fn visit<I: ItemAccess>(self, item: &I) -> Self::Output;
}

impl StoredItem {
    /// An item of the AWS SDK, kept as it is; refused (naming the
    /// attribute, not its value) if it holds a type this crate does not
    /// know, which it could not write back, or nests deeper than 64 levels
    /// ([`is_known`](super::is_known)).
    #[cfg(feature = "aws")]
    pub fn from_aws(
        item: std::collections::HashMap<String, aws_sdk_dynamodb::types::AttributeValue>,
    ) -> Result<Self, crate::attribute::ValueError> {
        match item.iter().find(|(_, value)| !super::is_known(*value)) {
            None => Ok(Self::with(EngineForm::Aws(item))),
            // Named, never shown: the value may be anyone's data.
            Some((name, value)) => Err(crate::attribute::ValueError::invalid(
                format_args!("a value of type {}", value.type_name()),
                "of a type this crate does not know, or nested deeper than 64 levels",
            )
            .in_key(name)),
        }
    }

    /// An item of dynoxide, kept as it is.
    #[cfg(feature = "embedded")]
    pub fn from_embedded(
        item: std::collections::HashMap<String, dynoxide::types::AttributeValue>,
    ) -> Self {
        Self::with(EngineForm::Embedded(item))
    }

    fn with(native: EngineForm) -> Self {
        StoredItem {
            native,
            converted: OnceLock::new(),
        }
    }

    /// The item in this crate's form, converted now (the migration path:
    /// the form read is kept, migrations change a copy).
    pub(crate) fn to_item(&self) -> Item {
        match &self.native {
            EngineForm::Item(item) => item.clone(),
            #[cfg(any(feature = "aws", feature = "embedded"))]
            _ => match self.converted.get() {
                Some(item) => item.clone(),
                None => self.read(ToItem),
            },
        }
    }

    /// Reads the item in its engine's form with `visitor`.
    #[inline]
    pub fn read<V: ItemVisitor>(&self, visitor: V) -> V::Output {
        match &self.native {
            EngineForm::Item(item) => visitor.visit(item),
            #[cfg(feature = "aws")]
            EngineForm::Aws(item) => visitor.visit(item),
            #[cfg(feature = "embedded")]
            EngineForm::Embedded(item) => visitor.visit(item),
        }
    }

    /// The item in this crate's form (converted once, on first use).
    pub fn item(&self) -> &Item {
        match &self.native {
            EngineForm::Item(item) => item,
            #[cfg(any(feature = "aws", feature = "embedded"))]
            _ => self.converted.get_or_init(|| self.read(ToItem)),
        }
    }

    /// The item in this crate's form, taken.
    pub fn into_item(self) -> Item {
        match self.native {
            EngineForm::Item(item) => item,
            #[cfg(any(feature = "aws", feature = "embedded"))]
            native => match self.converted.into_inner() {
                Some(item) => item,
                None => StoredItem::with(native).read(ToItem),
            },
        }
    }

    /// Whether the item has an attribute called `name`.
    pub fn contains(&self, name: &str) -> bool {
        struct Contains<'a>(&'a str);
        impl ItemVisitor for Contains<'_> {
            type Output = bool;
            fn visit<I: ItemAccess>(self, item: &I) -> bool {
                item.attribute(self.0).is_some()
            }
        }
        self.read(Contains(name))
    }

    /// A copy of the attributes called `names` that the item has (its key,
    /// for a cursor), in this crate's form.
    pub fn select(&self, names: &[String]) -> Item {
        struct Select<'a>(&'a [String]);
        impl ItemVisitor for Select<'_> {
            type Output = Item;
            fn visit<I: ItemAccess>(self, item: &I) -> Item {
                let mut selected = crate::attribute::item_with_capacity(self.0.len());
                for name in self.0 {
                    if let Some(value) = item.attribute(name) {
                        selected.insert(name.clone(), value.to_attribute_value());
                    }
                }
                selected
            }
        }
        self.read(Select(names))
    }

    /// How many attributes the item has.
    pub fn len(&self) -> usize {
        struct Count;
        impl ItemVisitor for Count {
            type Output = usize;
            fn visit<I: ItemAccess>(self, item: &I) -> usize {
                item.attribute_count()
            }
        }
        self.read(Count)
    }

    /// Whether the item has no attribute.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The item's size as DynamoDB counts it against its 400 KB limit.
    pub fn size(&self) -> usize {
        struct Size;
        impl ItemVisitor for Size {
            type Output = usize;
            fn visit<I: ItemAccess>(self, item: &I) -> usize {
                item.size()
            }
        }
        self.read(Size)
    }
}

#[cfg_attr(not(any(feature = "aws", feature = "embedded")), allow(dead_code))]
struct ToItem;

impl ItemVisitor for ToItem {
    type Output = Item;
    fn visit<I: ItemAccess>(self, item: &I) -> Item {
        item.to_item()
    }
}

impl From<Item> for StoredItem {
    fn from(item: Item) -> Self {
        StoredItem::with(EngineForm::Item(item))
    }
}

impl From<StoredItem> for Item {
    fn from(stored: StoredItem) -> Self {
        stored.into_item()
    }
}

impl PartialEq for StoredItem {
    fn eq(&self, other: &Self) -> bool {
        self.item() == other.item()
    }
}

impl PartialEq<Item> for StoredItem {
    fn eq(&self, other: &Item) -> bool {
        self.item() == other
    }
}

/// Prints as its [`Item`] form.
impl fmt::Debug for StoredItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.item().fmt(f)
    }
}
