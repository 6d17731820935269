//! Conflict detection: the conditions that make a write fail when the stored
//! item is not what the writer expects.

use crate::attribute::Item;
use crate::error::{ConflictError, ConflictKind, CurrentItem, EngineErrorKind, Error};
use crate::expression::{Comparison, Condition, ExpressionAttributes, Path, Placeholders};
use crate::model::Model;

/// Every attribute still holds its loaded value, and every declared attribute
/// that was absent is still absent.
pub(crate) fn unchanged_since<M: Model>(stored: &Item) -> Condition {
    let mut parts = Vec::with_capacity(stored.len() + M::SCHEMA.attributes.len());
    for (name, value) in stored {
        parts.push(Condition::Compare(
            Path::attribute(name.as_str()),
            Comparison::Eq,
            value.clone(),
        ));
    }
    for name in M::SCHEMA.attributes {
        if !stored.contains_key(*name) {
            parts.push(Condition::NotExists(Path::attribute(*name)));
        }
    }
    Condition::And(parts)
}

/// No item has this key yet.
pub(crate) fn key_is_free<M: Model>() -> Condition {
    Condition::NotExists(Path::attribute(M::SCHEMA.hash_key.attribute))
}

/// Turns a failed condition into the conflict it means, with the stored
/// item the refusal returned where the write `asked` for it.
pub(crate) fn as_conflict<M: Model>(
    error: Error,
    kind: ConflictKind,
    key: &Item,
    asked: bool,
) -> Error {
    match error {
        Error::Engine { table, source, .. }
            if source.kind == EngineErrorKind::ConditionalCheckFailed =>
        {
            let current = match asked {
                true => CurrentItem::returned(source.item.map(|item| *item)),
                false => CurrentItem::NotReturned,
            };
            Error::Conflict(
                ConflictError::new(
                    kind,
                    M::SCHEMA.model,
                    table,
                    crate::operation::item_key::<M>(key),
                )
                .with_current(current),
            )
        }
        other => other,
    }
}

/// The condition expression of a write: conflict detection and the caller's
/// own condition, both of which must hold.
pub(crate) fn write_condition(
    conflict: Option<Condition>,
    caller: Option<Condition>,
) -> Result<(Option<String>, ExpressionAttributes), Error> {
    let condition = match (conflict, caller) {
        (Some(a), Some(b)) => Some(a.and(b)),
        (a, b) => a.or(b),
    };
    let mut placeholders = Placeholders::default();
    let text = match condition {
        Some(condition) => placeholders.condition(condition)?,
        None => None,
    };
    Ok((text, placeholders.finish()))
}
