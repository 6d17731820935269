//! Conflicts (writes refused by conflict detection) and attribute errors
//! (values that could not be converted).

use std::fmt;

use crate::attribute::{Item, ItemKey, ValueError};

/// Why a conditional write was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConflictKind {
    /// The stored item changed since the object was loaded (or was deleted).
    Changed,
    /// A new object's key is already taken (the original's `OverwriteError`).
    Overwrite,
    /// Deleting, with conflict detection, an object that was never loaded.
    NeverLoaded,
    /// A condition given by the caller did not hold.
    ConditionFailed,
    /// Another item holds the value of this unique attribute
    /// (`#[dynamodb(unique)]`); the value is [`ConflictError::taken`].
    Unique {
        /// The attribute's stored name.
        attribute: &'static str,
    },
}

/// What a refused write learned of the item stored under its key: DynamoDB
/// returns it with the refusal when asked
/// (`ReturnValuesOnConditionCheckFailure = ALL_OLD`), which the mapper does
/// on engines that can ([`Capabilities::item_on_condition_failure`](crate::engine::Capabilities::item_on_condition_failure)).
#[derive(Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CurrentItem {
    /// Not returned: the engine does not return items with a refusal, or
    /// the refusal was not of the write's condition (a transaction's guard
    /// item, a conflict found before sending).
    #[default]
    NotReturned,
    /// No item is stored under the key.
    Absent,
    /// The item stored under the key when the write was refused, as the
    /// engine returned it.
    Item(Box<Item>),
}

impl CurrentItem {
    /// What a refusal that asked for the item says: the item, or none stored.
    pub fn returned(item: Option<Item>) -> Self {
        match item {
            Some(item) => CurrentItem::Item(Box::new(item)),
            None => CurrentItem::Absent,
        }
    }

    /// The stored item, when one was returned.
    pub fn item(&self) -> Option<&Item> {
        match self {
            CurrentItem::Item(item) => Some(item),
            CurrentItem::NotReturned | CurrentItem::Absent => None,
        }
    }
}

/// Prints the item's attribute names, no values: errors end up in logs, and
/// the item may hold sensitive attributes (of this model, or written by
/// another program). Print [`item`](Self::item) yourself where that is safe.
impl fmt::Debug for CurrentItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CurrentItem::NotReturned => f.write_str("NotReturned"),
            CurrentItem::Absent => f.write_str("Absent"),
            CurrentItem::Item(item) => {
                let mut names: Vec<_> = item.keys().collect();
                names.sort_unstable();
                write!(f, "Item(attributes {names:?})")
            }
        }
    }
}

/// A write refused by conflict detection: the original's `ConflictError` and
/// its `OverwriteError` kind.
///
/// It carries what is stored under the key now ([`current`](Self::current)),
/// where the engine returned it: decode it with
/// [`current_as`](Self::current_as) to retry against it without reading
/// the item again. `Debug` prints its attribute names, not their values.
///
/// Build one with [`ConflictError::new`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
#[non_exhaustive]
pub struct ConflictError {
    /// Why the write was refused.
    pub kind: ConflictKind,
    /// The model's Rust name.
    pub model: &'static str,
    /// The table, with its prefix.
    pub table: String,
    /// The object's key.
    pub key: ItemKey,
    /// For [`ConflictKind::Unique`]: the value another item holds
    /// (`<redacted>` for a sensitive attribute).
    pub taken: Option<Box<str>>,
    /// The item stored under the key when the write was refused.
    pub current: CurrentItem,
}

impl ConflictError {
    /// A write of `model`'s item `key` in `table` refused for `kind`.
    pub fn new(
        kind: ConflictKind,
        model: &'static str,
        table: impl Into<String>,
        key: ItemKey,
    ) -> Self {
        ConflictError {
            kind,
            model,
            table: table.into(),
            key,
            taken: None,
            current: CurrentItem::NotReturned,
        }
    }

    /// The same conflict, with what is stored under the key.
    pub fn with_current(mut self, current: CurrentItem) -> Self {
        self.current = current;
        self
    }

    /// The same conflict, naming the unique value another item holds.
    pub fn with_taken(mut self, value: impl Into<String>) -> Self {
        self.taken = Some(value.into().into_boxed_str());
        self
    }

    fn describe(&self) -> String {
        let what = match self.kind {
            ConflictKind::Changed => "the stored item changed since it was loaded",
            ConflictKind::Overwrite => "an item with this key already exists",
            ConflictKind::NeverLoaded => {
                "the object was never loaded, so it cannot be checked for changes"
            }
            ConflictKind::ConditionFailed => "the write condition did not hold",
            ConflictKind::Unique { attribute } => {
                return format!(
                    "conflict on {} ({}) in table {:?}: another item holds {attribute} {}, which is unique",
                    self.model,
                    self.key,
                    self.table,
                    self.taken.as_deref().unwrap_or("?")
                );
            }
        };
        format!(
            "conflict on {} ({}) in table {:?}: {what}",
            self.model, self.key, self.table
        )
    }
}

/// A value of a model's attribute could not be converted. Build one with
/// [`AttributeError::new`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{model}.{attribute}: {source}")]
#[non_exhaustive]
pub struct AttributeError {
    /// The model's Rust name.
    pub model: &'static str,
    /// The stored attribute name, with the path inside it (`spells[2].name`).
    pub attribute: String,
    /// What was wrong.
    pub source: ValueError,
}

impl AttributeError {
    /// The same error with the offending value left out: for sensitive attributes.
    pub fn redacted(mut self) -> Self {
        // The attribute names the path inside the value, map keys included.
        if let Some(attribute) = self.attribute.strip_suffix(self.source.path()) {
            self.attribute = attribute.to_owned();
        }
        self.source = self.source.redacted();
        self
    }

    /// Names the model and attribute of a value error.
    pub fn new(model: &'static str, attribute: &str, source: ValueError) -> Self {
        AttributeError {
            model,
            attribute: format!("{attribute}{}", source.path()),
            source,
        }
    }
}
