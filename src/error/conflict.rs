//! Conflicts (writes refused by conflict detection) and attribute errors
//! (values that could not be converted).

use crate::attribute::{ItemKey, ValueError};

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

/// A write refused by conflict detection: the original's `ConflictError` and
/// its `OverwriteError` kind.
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
    pub taken: Option<String>,
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
        }
    }

    /// The same conflict, naming the unique value another item holds.
    pub fn with_taken(mut self, value: impl Into<String>) -> Self {
        self.taken = Some(value.into());
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
