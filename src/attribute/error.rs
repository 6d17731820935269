//! Errors of converting between Rust values and attribute values.

use std::fmt;

/// Why a value could not be converted to or from an attribute value.
///
/// The `path` locates the fault inside a nested value (`[3].name`); the model
/// layer wraps it into an [`AttributeError`](crate::error::AttributeError) naming the
/// model and attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueError {
    path: String,
    kind: ValueErrorKind,
}

/// What went wrong converting one value.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ValueErrorKind {
    /// The stored attribute has another DynamoDB type than the field reads.
    TypeMismatch {
        /// What the field reads, e.g. `N` or `SS`.
        expected: &'static str,
        /// What was stored.
        found: &'static str,
        /// The stored value, shortened.
        value: String,
    },
    /// Text that is not a number DynamoDB accepts.
    InvalidNumber {
        /// The offending text.
        value: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// A number that does not fit the Rust type (or DynamoDB's range).
    NumberOutOfRange {
        /// The number.
        value: String,
        /// The type it had to fit.
        target: &'static str,
    },
    /// Text that is not a datetime with a timezone.
    InvalidDatetime {
        /// The offending text.
        value: String,
        /// The parser's reason.
        reason: String,
    },
    /// JSON text that could not be read or written.
    InvalidJson {
        /// The offending text (shortened), when reading.
        value: String,
        /// serde_json's reason.
        reason: String,
    },
    /// A key attribute with an empty value, which DynamoDB refuses.
    EmptyKey,
    /// A key attribute missing from a stored item.
    MissingKey,
    /// A stored item of another entity than the model reads (entities
    /// sharing a table store their name beside their keys).
    WrongEntity {
        /// The entity the model reads.
        expected: &'static str,
        /// The stored entity name; `None` when the item has none.
        found: Option<String>,
    },
    /// Any other refusal, with its reason.
    Invalid {
        /// The offending value.
        value: String,
        /// Why it is refused.
        reason: String,
    },
}

impl ValueError {
    /// A new error at the value itself (empty path).
    pub fn new(kind: ValueErrorKind) -> Self {
        ValueError {
            path: String::new(),
            kind,
        }
    }

    /// The stored type was not the one expected.
    pub fn type_mismatch<V: super::AttributeAccess>(expected: &'static str, found: &V) -> Self {
        Self::new(ValueErrorKind::TypeMismatch {
            expected,
            found: found.type_name(),
            value: match found.access() {
                super::ValueRef::Unknown => "<a type this crate does not know>".to_owned(),
                _ => found.to_attribute_value().preview(),
            },
        })
    }

    /// The number does not fit `target`.
    pub fn out_of_range(value: impl fmt::Display, target: &'static str) -> Self {
        Self::new(ValueErrorKind::NumberOutOfRange {
            value: value.to_string(),
            target,
        })
    }

    /// Any other refusal.
    pub fn invalid(value: impl fmt::Display, reason: impl Into<String>) -> Self {
        Self::new(ValueErrorKind::Invalid {
            value: value.to_string(),
            reason: reason.into(),
        })
    }

    /// The same error with any value replaced by `<redacted>`, and without
    /// the path inside the value (its map keys are data too).
    pub fn redacted(mut self) -> Self {
        const HIDDEN: &str = "<redacted>";
        match &mut self.kind {
            ValueErrorKind::TypeMismatch { value, .. }
            | ValueErrorKind::InvalidNumber { value, .. }
            | ValueErrorKind::NumberOutOfRange { value, .. }
            | ValueErrorKind::InvalidDatetime { value, .. }
            | ValueErrorKind::InvalidJson { value, .. }
            | ValueErrorKind::Invalid { value, .. } => *value = HIDDEN.to_owned(),
            ValueErrorKind::EmptyKey
            | ValueErrorKind::MissingKey
            | ValueErrorKind::WrongEntity { .. } => {}
        }
        if let ValueErrorKind::InvalidDatetime { reason, .. }
        | ValueErrorKind::InvalidJson { reason, .. }
        | ValueErrorKind::Invalid { reason, .. } = &mut self.kind
        {
            // Parser messages (serde's among them) may quote the input.
            *reason = HIDDEN.to_owned();
        }
        // A path names map keys, which are data too.
        self.path.clear();
        self
    }

    /// Locates this error inside a map entry.
    pub fn in_key(mut self, key: &str) -> Self {
        self.path = format!(".{key}{}", self.path);
        self
    }

    /// Locates this error inside a list element.
    pub fn in_index(mut self, index: usize) -> Self {
        self.path = format!("[{index}]{}", self.path);
        self
    }

    /// Where inside the attribute the fault is (`""` for the attribute itself).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What went wrong.
    pub fn kind(&self) -> &ValueErrorKind {
        &self.kind
    }
}

impl fmt::Display for ValueErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueErrorKind::TypeMismatch {
                expected,
                found,
                value,
            } => write!(f, "expected type {expected}, found {found} (value {value})"),
            ValueErrorKind::InvalidNumber { value, reason } => {
                write!(f, "invalid number {value:?}: {reason}")
            }
            ValueErrorKind::NumberOutOfRange { value, target } => {
                write!(f, "number {value} does not fit {target}")
            }
            ValueErrorKind::InvalidDatetime { value, reason } => {
                write!(f, "invalid datetime {value:?}: {reason}")
            }
            ValueErrorKind::InvalidJson { value, reason } => {
                write!(f, "invalid JSON {value:?}: {reason}")
            }
            ValueErrorKind::EmptyKey => f.write_str("key attributes cannot be empty"),
            ValueErrorKind::MissingKey => f.write_str("key attribute missing from the stored item"),
            ValueErrorKind::WrongEntity {
                expected,
                found: Some(found),
            } => write!(f, "the stored item is a {found:?}, not a {expected:?}"),
            ValueErrorKind::WrongEntity {
                expected,
                found: None,
            } => write!(
                f,
                "the stored item has no entity name, so it is not a {expected:?}"
            ),
            ValueErrorKind::Invalid { value, reason } => {
                write!(f, "invalid value {value}: {reason}")
            }
        }
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            self.kind.fmt(f)
        } else {
            write!(f, "at {}: {}", self.path, self.kind)
        }
    }
}

impl std::error::Error for ValueError {}
