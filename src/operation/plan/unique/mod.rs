//! Unique attributes (`#[dynamodb(unique)]`): each value an item holds is
//! also the key of a guard item, which no other item's value can take. Every
//! write of such a model is one native transaction: the write itself, under
//! the condition that the unique values are still those read just before,
//! and the guard items of the values it drops and takes.
//!
//! A guard names its owner. A guard whose owner no longer holds the value
//! (deleted by another program, expired by time to live, overwritten) is
//! taken over in the transaction that claims it, on the condition that the
//! former owner still does not hold it.

mod guard;
mod takeover;
pub(crate) mod transaction;

use crate::attribute::{AttributeValue, Item};
use crate::engine::request::{GetItemInput, TransactWriteInput, TransactWriteItem};
use crate::error::{ConflictError, ConflictKind, CurrentItem, EngineErrorKind, Error, WriteTarget};
use crate::expression::{Comparison, Condition, Path};
use crate::model::Model;
use crate::operation::{item_key, send, unknown_outcome, RetryClass};
use crate::Connection;

/// The entity name stored in guard items.
pub const GUARD_ENTITY: &str = "UNIQUE";

/// The values an update gives unique attributes (`None`: removed).
pub(crate) type UniqueChanges = Vec<(&'static str, Option<AttributeValue>)>;

/// What a write does to one unique attribute.
pub(crate) enum UniqueChange {
    /// Leaves it as stored.
    Keep,
    /// Gives it this value (`None`: removes it).
    To(Option<AttributeValue>),
}

/// Whether the model has unique attributes, whose writes go through here.
pub(super) fn enabled<M: Model>() -> bool {
    !M::SCHEMA.unique.is_empty()
}

/// Refuses a write that cannot keep the guard items: a batch, or a native
/// transaction the caller builds (neither reads the values it replaces).
pub(super) fn refuse_in<M: Model>(what: &str) -> Result<(), Error> {
    if enabled::<M>() {
        return Err(Error::InvalidRequest {
            model: M::SCHEMA.model,
            reason: format!(
                "{what} cannot keep the guard items of unique attributes ({}): use save, update or delete",
                M::SCHEMA.unique.join(", ")
            ),
        });
    }
    Ok(())
}

/// Writes `main` with the guard items of the unique attributes it changes,
/// in one transaction; resolves to the item as it was before. `main` gets
/// the condition that the unique values are those read, to add to its own;
/// a failure of its own condition is a conflict of `kind`.
pub(super) async fn write<M: Model>(
    conn: &Connection,
    key: &Item,
    change: impl Fn(&str) -> UniqueChange,
    main: impl FnOnce(Condition, Option<&Item>) -> Result<TransactWriteItem, Error>,
    kind: ConflictKind,
) -> Result<Option<Item>, Error> {
    let schema = M::SCHEMA;
    crate::operation::native_transaction::need_native_transactions(
        conn,
        schema.model,
        format!(
            "unique attributes ({}) are kept by guard items written in one native transaction: declare the model without `unique` on this engine",
            schema.unique.join(", ")
        ),
    )?;
    let table = conn.table_name(schema.table);
    let current = read_current(conn, &table, key).await?;
    let unchanged = still_stored(schema.unique, current.as_ref());
    let main = main(unchanged, current.as_ref())?;
    let mut guards = Guards::<M>::new(&table, key, current.as_ref(), change)?;
    // Each refused guard is looked at once: taken over from an owner that
    // no longer holds its value, or a clash.
    for _ in 0..=guards.guarded.len() {
        let mut actions = vec![main.clone()];
        let mut described = Vec::new();
        guards.append(&mut actions, &mut described)?;
        let input = TransactWriteInput {
            actions,
            token: Some(crate::operation::native_transaction::new_token()),
        };
        // With its idempotency token, sending the transaction again is safe.
        let result = send(conn, &table, RetryClass::Safe, &input).await;
        let error = match result {
            Ok(_) => return Ok(current),
            Err(error) => error,
        };
        let refused = refused_guard(&error, guards.guarded.len());
        match refused {
            Some(index) if guards.look_into(conn, index).await? => {}
            _ => {
                return Err(refusal(
                    error,
                    &guards,
                    kind,
                    &described,
                    main.asks_current(),
                ))
            }
        }
    }
    Err(guards.unsettled())
}

/// The unique stage of one write: the guard actions of the values it
/// drops and takes, against the item as read, and what became of each
/// refused guard.
pub(crate) struct Guards<M> {
    table: String,
    /// The written item's key.
    key: Item,
    /// Each guard action, and what it does.
    actions: Vec<TransactWriteItem>,
    guarded: Vec<Guarded>,
    takeovers: takeover::Takeovers,
    model: std::marker::PhantomData<M>,
}

impl<M: Model> Guards<M> {
    /// The guards of a write of the item with `key`, stored as `current`,
    /// that gives each unique attribute what `change` says.
    pub(crate) fn new(
        table: &str,
        key: &Item,
        current: Option<&Item>,
        change: impl Fn(&str) -> UniqueChange,
    ) -> Result<Self, Error> {
        let stored = |attribute: &str| current.and_then(|item| item.get(attribute));
        let mut actions = Vec::new();
        let mut guarded = Vec::new();
        for attribute in M::SCHEMA.unique {
            let old = stored(attribute);
            let new = match change(attribute) {
                UniqueChange::Keep => old.cloned(),
                UniqueChange::To(value) => value,
            };
            let new = new.as_ref();
            if old == new {
                // Kept: its guard is written again (its own already, or
                // missing for an item stored before the attribute was unique).
                if let Some(value) = new {
                    actions.push(guard::put::<M>(table, key, attribute, value, None)?);
                    guarded.push(Guarded::taking(attribute, value));
                }
                continue;
            }
            if let Some(old) = old {
                actions.push(guard::delete::<M>(table, key, attribute, old)?);
                guarded.push(Guarded::dropping(attribute, old));
            }
            if let Some(new) = new {
                actions.push(guard::put::<M>(table, key, attribute, new, None)?);
                guarded.push(Guarded::taking(attribute, new));
            }
        }
        Ok(Guards {
            table: table.to_owned(),
            key: key.clone(),
            actions,
            guarded,
            takeovers: takeover::Takeovers::default(),
            model: std::marker::PhantomData,
        })
    }

    /// Appends the guard actions, then a condition check on each former
    /// owner a guard is taken over from, to `actions`; what each is to
    /// `described`.
    pub(crate) fn append(
        &self,
        actions: &mut Vec<TransactWriteItem>,
        described: &mut Vec<Guarded>,
    ) -> Result<(), Error> {
        actions.extend(self.actions.iter().cloned());
        described.extend(self.guarded.iter().cloned());
        self.takeovers
            .append_checks::<M>(&self.table, actions, described)
    }

    /// The key of each action [`append`](Self::append) adds, in order: the
    /// guard items', then the former owners' a takeover checks.
    pub(crate) fn keys(&self) -> Result<Vec<crate::attribute::ItemKey>, Error> {
        let mut keys = Vec::with_capacity(self.guarded.len());
        for guarded in &self.guarded {
            let key = guard::guard_key::<M>(guarded.attribute, &guarded.value)?;
            keys.push(item_key::<M>(&key));
        }
        keys.extend(self.takeovers.owners().map(item_key::<M>));
        Ok(keys)
    }

    /// The refusal of guard `index` (of those appended, in order): whether
    /// the write may be sent again (the guard was freed since, or is taken
    /// over from an owner that no longer holds its value). Each guard is
    /// looked into once.
    pub(crate) async fn look_into(
        &mut self,
        conn: &Connection,
        index: usize,
    ) -> Result<bool, Error> {
        let Some(guarded) = self.guarded.get_mut(index) else {
            return Ok(false);
        };
        if guarded.looked_at {
            return Ok(false);
        }
        guarded.looked_at = true;
        let Guarded {
            attribute,
            value,
            takes,
            ..
        } = guarded.clone();
        if !takes {
            // A guard the write drops, found another item's (taken over
            // since): left alone, and checked to stay not this item's.
            let key = guard::guard_key::<M>(attribute, &value)?;
            let stored = read_current(conn, &self.table, &key).await?;
            let ours = stored
                .as_ref()
                .and_then(guard::owner_of::<M>)
                .is_some_and(|owner| owner == self.key);
            if ours {
                return Ok(false);
            }
            self.actions[index] = guard::not_ours::<M>(&self.table, &self.key, attribute, &value)?;
            return Ok(true);
        }
        match takeover::former_owner::<M>(conn, &self.table, &self.key, attribute, &value).await? {
            takeover::Found::Freed => Ok(true),
            takeover::Found::Stranded(owner) => {
                self.actions[index] =
                    guard::put::<M>(&self.table, &self.key, attribute, &value, Some(&owner))?;
                self.takeovers.add(owner, attribute, &value);
                Ok(true)
            }
            takeover::Found::Held => Ok(false),
        }
    }

    /// The clash of guard (or takeover check) `index`: its value is another
    /// item's.
    pub(crate) fn clash(&self, index: usize, described: &[Guarded]) -> Error {
        let schema = M::SCHEMA;
        let Some(Guarded {
            attribute, value, ..
        }) = described.get(index)
        else {
            return self.unsettled();
        };
        let shown = if schema.sensitive.contains(attribute) {
            "<redacted>".to_owned()
        } else {
            guard::value_text(value)
        };
        Error::Conflict(
            ConflictError::new(
                ConflictKind::Unique { attribute },
                schema.model,
                self.table.clone(),
                item_key::<M>(&self.key),
            )
            .with_taken(shown),
        )
    }

    /// Every guard was looked into and the write still refused.
    fn unsettled(&self) -> Error {
        Error::InvalidRequest {
            model: M::SCHEMA.model,
            reason: "the guard items of its unique values kept changing under the write; nothing was written".into(),
        }
    }
}

/// A guard action of a write.
#[derive(Clone)]
pub(crate) struct Guarded {
    pub(super) attribute: &'static str,
    pub(super) value: AttributeValue,
    /// It takes (or keeps) the value; otherwise it drops it.
    takes: bool,
    /// Its refusal was looked into already.
    looked_at: bool,
}

impl Guarded {
    fn taking(attribute: &'static str, value: &AttributeValue) -> Self {
        Guarded {
            attribute,
            value: value.clone(),
            takes: true,
            looked_at: false,
        }
    }

    fn dropping(attribute: &'static str, value: &AttributeValue) -> Self {
        Guarded {
            takes: false,
            ..Guarded::taking(attribute, value)
        }
    }

    pub(super) fn check(attribute: &'static str, value: &AttributeValue) -> Self {
        Guarded::taking(attribute, value)
    }
}

/// The guard (its index among the guards) whose condition refused the
/// transaction, if one did.
fn refused_guard(error: &Error, guards: usize) -> Option<usize> {
    let source = error.engine_error()?;
    if source.kind != EngineErrorKind::TransactionCanceled {
        return None;
    }
    (0..guards).find(|i| {
        source
            .reasons
            .get(i + 1)
            .is_some_and(|r| r.code == "ConditionalCheckFailed")
    })
}

/// The condition that the unique attributes hold what `current` holds.
pub(super) fn still_stored(unique: &[&'static str], current: Option<&Item>) -> Condition {
    let stored = |attribute: &str| current.and_then(|item| item.get(attribute));
    Condition::And(
        unique
            .iter()
            .map(|attribute| match stored(attribute) {
                Some(value) => {
                    Condition::Compare(Path::attribute(*attribute), Comparison::Eq, value.clone())
                }
                None => Condition::NotExists(Path::attribute(*attribute)),
            })
            .collect(),
    )
}

/// What a failed guarded write means: a guard's condition, a clash on that
/// unique value; the write's own, a conflict of `kind`; anything else, as it
/// came (or of unknown outcome).
fn refusal<M: Model>(
    error: Error,
    guards: &Guards<M>,
    kind: ConflictKind,
    guarded: &[Guarded],
    asked: bool,
) -> Error {
    let schema = M::SCHEMA;
    let key = &guards.key;
    let Error::Engine { table, source, .. } = error else {
        return unknown_outcome(error, || {
            WriteTarget::item(schema.model, item_key::<M>(key))
        });
    };
    if source.kind != EngineErrorKind::TransactionCanceled {
        let error = Error::Engine {
            operation: "TransactWriteItems",
            table,
            source,
        };
        return unknown_outcome(error, || {
            WriteTarget::item(schema.model, item_key::<M>(key))
        });
    }
    let failed = |index: usize| {
        source
            .reasons
            .get(index)
            .is_some_and(|r| r.code == "ConditionalCheckFailed")
    };
    // A guard's (or takeover check's) refusal: the value is another item's.
    if let Some(index) = (0..guarded.len()).find(|i| failed(i + 1)) {
        return guards.clash(index, guarded);
    }
    if failed(0) {
        let current = match (asked, source.reasons.first()) {
            (true, Some(reason)) => CurrentItem::returned(reason.item.clone().map(|item| *item)),
            _ => CurrentItem::NotReturned,
        };
        return Error::Conflict(
            ConflictError::new(kind, schema.model, table.clone(), item_key::<M>(key))
                .with_current(current),
        );
    }
    Error::Engine {
        operation: "TransactWriteItems",
        table,
        source,
    }
}

/// The stored item, read strongly consistent.
pub(super) async fn read_current(
    conn: &Connection,
    table: &str,
    key: &Item,
) -> Result<Option<Item>, Error> {
    let mut input = GetItemInput::new(table, key.clone());
    input.consistent_read = true;
    let output = send(conn, table, RetryClass::Safe, &input).await?;
    Ok(output.item.map(crate::attribute::StoredItem::into_item))
}
