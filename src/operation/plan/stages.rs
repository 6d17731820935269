//! The stages of a write plan, one per policy of the model: each adds its
//! part to the plan's condition, item or conflict kind.

use super::{conflict as conditions, whole::both, Detect, WritePlan};
use crate::attribute::Item;
use crate::error::{ConflictError, ConflictKind, Error};
use crate::model::Model;

/// The stored format: the item a whole write writes, and the key it writes
/// it under.
pub(crate) mod format {
    use super::*;
    use crate::attribute::AttributeValue;
    use crate::model::Document;

    /// The item a save of `document` writes: the model's attributes, and the
    /// attributes of the loaded item that the model does not declare (as
    /// the model reads the item: what a migration removed stays removed),
    /// under the key it was loaded from.
    pub(crate) fn whole<M: Model>(document: &Document<M>) -> Result<Item, Error> {
        let item = document.item_to_save()?;
        same_key::<M>(document.stored_item(), &item)?;
        let size = crate::attribute::item_size(&item);
        if size > crate::operation::MAX_ITEM_BYTES {
            return Err(Error::ItemTooLarge {
                model: M::SCHEMA.model,
                key: crate::operation::item_key::<M>(&item),
                size,
            });
        }
        Ok(item)
    }

    /// A loaded entity is written and deleted under the key its fields make
    /// (`written`: the new item, or the key): a stored key that differs (an
    /// item written by another program) would be left behind, the write
    /// landing on another item.
    pub(crate) fn same_key<M: Model>(stored: Option<&Item>, written: &Item) -> Result<(), Error> {
        let Some(stored) = stored else {
            return Ok(());
        };
        if M::SCHEMA.composed.is_empty() {
            return Ok(());
        }
        let keys = [Some(M::SCHEMA.hash_key), M::SCHEMA.range_key];
        for attribute in keys.into_iter().flatten().map(|k| k.attribute) {
            let (found, value) = (stored.get(attribute), written.get(attribute));
            if found != value {
                return Err(Error::InvalidRequest {
                    model: M::SCHEMA.model,
                    reason: format!(
                        "the loaded item's `{attribute}` is {}, but its fields make {}: nothing was written, as the write would miss the stored item",
                        found.map_or("missing".to_owned(), AttributeValue::preview),
                        value.map_or("missing".to_owned(), AttributeValue::preview)
                    ),
                });
            }
        }
        Ok(())
    }
}

/// Auto-increment keys: the counter's item is no object.
pub(crate) mod counter {
    use super::*;

    /// Refuses a write under the counter's key.
    pub(crate) fn refuse<M: Model>(item: &Item) -> Result<(), Error> {
        crate::model::auto_increment::refuse_counter_key::<M>(item)
    }
}

/// Conflict detection, the original's `raise_on_conflict`.
pub(crate) mod conflict {
    use super::*;

    /// A save: a loaded object only if unchanged since loaded, a new one
    /// (or with [`Detect::KeyFree`]) only if its key is free.
    pub(crate) fn save<M: Model>(plan: &mut WritePlan<'_, M>, detect: Detect) -> Result<(), Error> {
        let (kind, condition) = match (detect, plan.loaded) {
            (Detect::No, _) => (ConflictKind::ConditionFailed, None),
            (Detect::Changes, Some(loaded)) => (
                ConflictKind::Changed,
                Some(conditions::unchanged_since::<M>(loaded)),
            ),
            (Detect::Changes | Detect::KeyFree, _) => (
                ConflictKind::Overwrite,
                Some(conditions::key_is_free::<M>()),
            ),
        };
        plan.kind = kind;
        plan.conflict = both(plan.conflict.take(), condition);
        Ok(())
    }

    /// A delete: only if unchanged since loaded; deleting an object never
    /// loaded, with conflict detection, is refused.
    pub(crate) fn delete<M: Model>(
        plan: &mut WritePlan<'_, M>,
        detect: Detect,
    ) -> Result<(), Error> {
        match (detect, plan.loaded) {
            (Detect::No, _) => {}
            (_, Some(loaded)) => {
                plan.kind = ConflictKind::Changed;
                plan.conflict = both(
                    plan.conflict.take(),
                    Some(conditions::unchanged_since::<M>(loaded)),
                );
            }
            (_, None) => {
                return Err(Error::Conflict(ConflictError::new(
                    ConflictKind::NeverLoaded,
                    M::SCHEMA.model,
                    plan.table.clone(),
                    crate::operation::item_key::<M>(&plan.key),
                )))
            }
        }
        Ok(())
    }
}

/// Optimistic locking on a version attribute.
pub(crate) mod version {
    use super::*;
    use crate::expression::{Condition, Path};
    use crate::model::version::{attribute, expected, Stored};

    /// The stored version must be the one `stored` tells (the object's
    /// `current` for a bare object).
    pub(crate) fn require<M: Model>(
        plan: &mut WritePlan<'_, M>,
        current: i128,
        stored: Stored<'_>,
    ) {
        let Some(attribute) = attribute::<M>() else {
            return;
        };
        let (condition, kind) = expected::<M>(attribute, current, stored);
        plan.conflict = both(plan.conflict.take(), Some(condition));
        plan.kind = kind;
    }

    /// An update: every one bumps the version (`ADD 1`); with an
    /// `expected` version, only if the stored one is it, which the caller's
    /// condition gets. Whether a version is expected (a failure is then a
    /// change since).
    pub(crate) fn bump<M: Model>(
        actions: &mut Vec<crate::expression::UpdateAction>,
        caller: &mut Option<Condition>,
        expected: Option<i128>,
    ) -> bool {
        use crate::attribute::AttributeValue;
        use crate::expression::{Comparison, UpdateAction};
        let Some(attribute) = attribute::<M>() else {
            return false;
        };
        actions.push(UpdateAction::Add(
            Path::attribute(attribute),
            AttributeValue::N("1".into()),
        ));
        let Some(version) = expected else {
            return false;
        };
        let expected = Condition::Compare(
            Path::attribute(attribute),
            Comparison::Eq,
            AttributeValue::N(version.to_string()),
        );
        *caller = both(caller.take(), Some(expected));
        true
    }

    /// A delete: of the version loaded; of an object never loaded, of its
    /// own version (at 0: of an item without one, or of no item).
    pub(crate) fn require_for_delete<M: Model>(plan: &mut WritePlan<'_, M>, current: Option<i128>) {
        let Some(attribute) = attribute::<M>() else {
            return;
        };
        let condition = match (plan.loaded, current) {
            (Some(item), _) => expected::<M>(attribute, 0, Stored::Loaded(item)).0,
            (None, Some(0) | None) => Condition::NotExists(Path::attribute(attribute)),
            (None, Some(current)) => expected::<M>(attribute, current, Stored::Number).0,
        };
        plan.conflict = both(plan.conflict.take(), Some(condition));
        plan.kind = ConflictKind::Changed;
    }
}

/// Entities sharing a table: a write never lands on another entity's item
/// (nor on a guard item of unique attributes).
pub(crate) mod entity {
    use super::*;
    use crate::attribute::AttributeValue;

    /// Adds the entity's condition. Conditions of the caller's or of the
    /// other policies make a lost answer one to settle by reading; the
    /// entity's own does not (it holds again after the write). A failure of
    /// it alone is an overwrite; with unique attributes, whose guards
    /// condition every write on the values read, a change since the read.
    pub(crate) fn guard<M: Model>(plan: &mut WritePlan<'_, M>) {
        let resolving = plan.conflict.is_some() || plan.caller.is_some();
        plan.settle = if resolving {
            super::super::Settle::Read
        } else {
            super::super::Settle::Resend
        };
        let guarded = plan.guarded();
        if guarded && !resolving {
            plan.kind = ConflictKind::Changed;
        }
        let Some(condition) = crate::model::entity::absent_or_own::<M>() else {
            return;
        };
        if plan.conflict.is_none() && !resolving && !guarded {
            plan.kind = ConflictKind::Overwrite;
        }
        plan.conflict = both(plan.conflict.take(), Some(condition));
    }

    /// A batch write of an entity (which carries no condition) under a guard
    /// item's key is refused: it would replace the guard.
    pub(crate) fn refuse_guard_key<M: Model>(key: &Item) -> Result<(), Error> {
        if M::SCHEMA.entities.is_empty() {
            return Ok(());
        }
        let prefix = format!("{}#", crate::operation::GUARD_ENTITY);
        match key.get(M::SCHEMA.hash_key.attribute) {
            Some(AttributeValue::S(text)) if text.starts_with(&prefix) => {
                Err(Error::InvalidRequest {
                    model: M::SCHEMA.model,
                    reason: format!(
                        "`{}` is {}, a guard item's key (unique attributes): a batch write carries no condition and would replace it; nothing was written",
                        M::SCHEMA.hash_key.attribute,
                        AttributeValue::S(text.clone()).preview()
                    ),
                })
            }
            _ => Ok(()),
        }
    }
}
