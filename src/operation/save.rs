//! [`Save`]: put a whole object, optionally with conflict detection.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::whole::{both, WholeWrite, Written};
use super::{
    call_retrying, conflict, item_key, unknown_outcome, write_resolving, Repeat, State, Transition,
};
use crate::error::{ConflictKind, Error, WriteTarget};
use crate::expression::Condition;
use crate::model::{auto_increment, migration, version};
use crate::model::{Document, Model};
use crate::Connection;

/// A pending save; `.await` it. Built by [`Connection::save`].
///
/// Attributes of the loaded item that the model does not declare are written
/// back unchanged, so saving never drops data another program stored.
#[must_use = "a save does nothing until awaited"]
pub struct Save<'d, M: Model> {
    conn: Connection,
    document: &'d mut Document<M>,
    raise_on_conflict: bool,
    condition: Option<Condition>,
}

impl<'d, M: Model> Save<'d, M> {
    pub(crate) fn new(conn: Connection, document: &'d mut Document<M>) -> Self {
        Save {
            conn,
            document,
            raise_on_conflict: false,
            condition: None,
        }
    }

    /// Conflict detection, as the original's `raise_on_conflict=True`: a
    /// loaded object is written only if the stored item is unchanged since it
    /// was loaded; a new object only if its key is free
    /// ([`ConflictKind::Overwrite`] otherwise).
    pub fn raise_on_conflict(mut self) -> Self {
        self.raise_on_conflict = true;
        self
    }

    /// Writes only if `condition` holds on the stored item
    /// ([`ConflictKind::ConditionFailed`] otherwise).
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(condition);
        self
    }

    async fn run(self) -> Result<(), Error> {
        let Save {
            conn,
            document,
            raise_on_conflict,
            condition,
        } = self;
        // A versioned object is written with the next version; it keeps its
        // version if the write fails.
        let version = version::attribute::<M>()
            .map(|attribute| (attribute, version::current::<M>(document).unwrap_or(0)));
        if let Some((_, current)) = version {
            // The next version must fit the field: at its type's maximum the
            // save is refused with an error naming the value, never wrapped.
            version::set::<M>(document, current.saturating_add(1))?;
        }
        let result = write(&conn, document, raise_on_conflict, condition, version).await;
        if let (Err(_), Some((_, current))) = (&result, version) {
            version::set::<M>(document, current)?;
        }
        result
    }
}

async fn write<M: Model>(
    conn: &Connection,
    document: &mut Document<M>,
    raise_on_conflict: bool,
    condition: Option<Condition>,
    version: Option<(&'static str, i128)>,
) -> Result<(), Error> {
    if auto_increment::enabled::<M>() {
        auto_increment::refuse_counter_key::<M>(&document.own_key_item()?)?;
        if auto_increment::needs_hash_key::<M>(document) {
            return super::auto_increment::save_new(conn, document, condition).await;
        }
    }
    let (mut kind, mut conflict_condition) = match (raise_on_conflict, document.stored_item()) {
        (false, _) => (ConflictKind::ConditionFailed, None),
        (true, Some(stored)) => (
            ConflictKind::Changed,
            Some(conflict::unchanged_since::<M>(stored)),
        ),
        (true, None) => (ConflictKind::Overwrite, Some(conflict::key_is_free::<M>())),
    };
    if let Some((attribute, current)) = version {
        let stored = match document.stored_item() {
            Some(item) => version::Stored::Loaded(item),
            None => version::Stored::New,
        };
        let (expected, version_kind) = version::expected::<M>(attribute, current, stored);
        conflict_condition = Some(match conflict_condition {
            Some(c) => c.and(expected),
            None => expected,
        });
        kind = version_kind;
    }
    put(conn, document, kind, conflict_condition, condition).await
}

/// The item a save of `document` writes: the model's attributes, and the
/// attributes of the loaded item that the model does not declare.
pub(crate) fn item_to_write<M: Model>(document: &Document<M>) -> Result<crate::Item, Error> {
    let mut item = document.to_item()?;
    super::composed::key_matches_stored::<M>(document.stored_item(), &item)?;
    if let Some(stored) = document.stored_item() {
        // Carry over what the model does not declare, from the item as the
        // model reads it: what a migration removed stays removed.
        let migrated;
        let current = if migration::enabled::<M>() {
            migrated = migration::apply::<M>(stored.clone())?;
            &migrated
        } else {
            stored
        };
        for (name, value) in current {
            if !M::SCHEMA.declares(name) {
                item.entry(name.clone()).or_insert_with(|| value.clone());
            }
        }
    }
    Ok(item)
}

/// Saves a new object only if its key is free.
pub(crate) async fn put_new<M: Model>(
    conn: &Connection,
    document: &mut Document<M>,
    condition: Option<Condition>,
) -> Result<(), Error> {
    let key_is_free = Some(conflict::key_is_free::<M>());
    put(
        conn,
        document,
        ConflictKind::Overwrite,
        key_is_free,
        condition,
    )
    .await
}

/// Puts the whole object under both conditions; a failed condition is a
/// conflict of `kind`. On success the document remembers what was written.
async fn put<M: Model>(
    conn: &Connection,
    document: &mut Document<M>,
    kind: ConflictKind,
    conflict_condition: Option<Condition>,
    condition: Option<Condition>,
) -> Result<(), Error> {
    let item = item_to_write(document)?;
    let size = crate::attribute::item_size(&item);
    if size > super::MAX_ITEM_BYTES {
        return Err(Error::ItemTooLarge {
            model: M::SCHEMA.model,
            key: super::item_key::<M>(&item),
            size,
        });
    }
    // Conditions of the caller's or of conflict detection make a lost
    // answer one to settle by reading; the entity's own does not.
    let resolving = conflict_condition.is_some() || condition.is_some();
    if super::unique::enabled::<M>() {
        // Without a condition of the caller's, a failed write means another
        // writer changed a unique value since it was read (or the key holds
        // another entity's item).
        let kind = if resolving {
            kind
        } else {
            ConflictKind::Changed
        };
        let (_, conflict_condition) =
            super::composed::with_entity_guard::<M>(kind, conflict_condition, true);
        return put_guarded(conn, document, item, kind, conflict_condition, condition).await;
    }
    let (kind, conflict_condition) =
        super::composed::with_entity_guard::<M>(kind, conflict_condition, resolving);
    let table = conn.table_name(M::SCHEMA.table);
    let condition = both(conflict_condition, condition);
    let write = WholeWrite::new::<M>(table.clone(), item, document.stored_item(), condition)?;
    let target = || WriteTarget::item(M::SCHEMA.model, item_key::<M>(write.item()));
    let send = || write.send(conn);
    let written = if resolving {
        // Sending it again could fail its own condition, or apply it over
        // another writer's change: a lost answer is settled by reading the key.
        let key = document.own_key_item()?;
        // Only a loaded object knows what it was written against: for a new
        // one, no item may mean "not applied" or "applied, then deleted".
        let transition = Transition {
            from: document.stored_item().map(State::Item),
            to: State::Item(write.item()),
        };
        write_resolving(
            conn,
            write.operation(),
            &table,
            &key,
            transition,
            target,
            send,
        )
        .await
        .map_err(|e| conflict::as_conflict::<M>(e, kind, write.item()))?
    } else {
        // The same unconditional write, repeated, leaves the same item (an
        // entity's condition holds again after its own write).
        Some(
            call_retrying(conn, write.operation(), &table, Repeat::Safe, send)
                .await
                .map_err(|e| conflict::as_conflict::<M>(e, kind, write.item()))
                .map_err(|e| unknown_outcome(e, target))?,
        )
    };
    // What an update kept of another program's is remembered, so that the
    // next save carries it over too.
    let stored = written.and_then(Written::stored);
    document.set_stored(Some(stored.unwrap_or_else(|| write.into_item())));
    Ok(())
}

/// Puts the object of a model with unique attributes, with their guard items.
async fn put_guarded<M: Model>(
    conn: &Connection,
    document: &mut Document<M>,
    item: crate::Item,
    kind: ConflictKind,
    conflict_condition: Option<Condition>,
    condition: Option<Condition>,
) -> Result<(), Error> {
    let key = document.own_key_item()?;
    let table = conn.table_name(M::SCHEMA.table);
    let change = |attribute: &str| super::unique::Change::To(item.get(attribute).cloned());
    let loaded = document.stored_item();
    let main = |unchanged: Condition, _: Option<&crate::Item>| {
        let caller = Some(match condition {
            Some(c) => c.and(unchanged),
            None => unchanged,
        });
        let write = WholeWrite::new::<M>(
            table,
            item.clone(),
            loaded,
            both(conflict_condition, caller),
        )?;
        Ok(write.into_action())
    };
    super::unique::write::<M>(conn, &key, change, main, kind).await?;
    document.set_stored(Some(item));
    Ok(())
}

impl<'d, M: Model> IntoFuture for Save<'d, M> {
    type Output = Result<(), Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'd>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
