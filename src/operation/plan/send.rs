//! Sending a plan as one write: a put, an update or a delete, or with
//! unique attributes one transaction with their guard items; a lost answer
//! settled by reading the key, or the write sent again where that is safe.

use super::unique;
use super::whole::{self, both, WholeWrite};
use super::{conflict, Main, Settle, WritePlan};
use crate::attribute::Item;
use crate::engine::request::{DeleteItemInput, Input, PutItemInput};
use crate::error::{ConflictError, ConflictKind, Error, WriteTarget};
use crate::expression::Condition;
use crate::model::Model;
use crate::operation::outcome::{unknown_outcome, write_resolving, KeyState, Transition};
use crate::operation::{call_retrying, item_key, send, typed, RetryClass};
use crate::Connection;

/// What a sent plan left.
pub(crate) enum Sent {
    /// The whole item as stored after the write (with what an update kept).
    Stored(Item),
    /// The item deleted.
    Deleted,
    /// An update's answer: the attributes its return values asked for.
    Updated(Option<crate::attribute::StoredItem>),
}

impl<M: Model> WritePlan<'_, M> {
    /// Sends the plan; what it left under the key.
    pub(crate) async fn send(self, conn: &Connection) -> Result<Sent, Error> {
        if self.guarded() {
            return self.send_guarded(conn).await;
        }
        match self.main {
            Main::Whole { .. } => self.send_whole(conn).await,
            Main::Delete { .. } => self.send_delete(conn).await,
            Main::Update { .. } => self.send_update(conn).await,
        }
    }

    /// Sends a whole object: a put, or an update that keeps what it did not
    /// load.
    async fn send_whole(self, conn: &Connection) -> Result<Sent, Error> {
        let Main::Whole { item } = self.main else {
            return Err(not_planned::<M>());
        };
        let condition = both(self.conflict, self.caller);
        let target = || WriteTarget::item(M::SCHEMA.model, item_key::<M>(&self.key));
        let table = &self.table;
        let mut write = WholeWrite::new::<M>(table.clone(), item, self.loaded, condition)?;
        write.ask_current(self.ask_current);
        let written = if self.settle == Settle::Read {
            // Sending it again could fail its own condition, or apply it over
            // another writer's change: a lost answer is settled by reading the
            // key. Only a loaded object knows what it was written against: for
            // a new one, no item may mean "not applied" or "applied, then
            // deleted".
            let transition = Transition {
                from: self.loaded.map(KeyState::Item),
                to: KeyState::Item(write.item()),
            };
            write_resolving(conn, table, &self.key, transition, target, write.call())
                .await
                .map_err(|e| {
                    conflict::as_conflict::<M>(e, self.kind, &self.key, self.ask_current)
                })?
        } else {
            // The same unconditional write, repeated, leaves the same item (an
            // entity's condition holds again after its own).
            Some(
                call_retrying(conn, table, RetryClass::Safe, write.call())
                    .await
                    .map_err(|e| {
                        conflict::as_conflict::<M>(e, self.kind, &self.key, self.ask_current)
                    })
                    .map_err(|e| unknown_outcome(e, target))?,
            )
        };
        // What an update kept of another program's is remembered, so that
        // the next save carries it over too.
        let stored = written.and_then(whole::stored);
        Ok(Sent::Stored(stored.unwrap_or_else(|| write.into_item())))
    }

    /// Sends a delete; one with conflict detection puts back an item that
    /// gained attributes since the load.
    async fn send_delete(self, conn: &Connection) -> Result<Sent, Error> {
        let Main::Delete { return_old } = self.main else {
            return Err(not_planned::<M>());
        };
        let condition = both(self.conflict, self.caller);
        let target = || WriteTarget::item(M::SCHEMA.model, item_key::<M>(&self.key));
        let table = &self.table;
        let (text, placeholders) = conflict::write_condition(condition, None)?;
        let input = DeleteItemInput {
            return_values_on_condition_check_failure: self.ask_current && text.is_some(),
            table: table.clone(),
            key: self.key.clone(),
            condition: text,
            placeholders,
            return_old,
        };
        let output = if self.settle == Settle::Read {
            // Gone, when the document was loaded, means done.
            let transition = Transition {
                from: self.loaded.map(KeyState::Item),
                to: KeyState::Absent,
            };
            write_resolving(conn, table, &self.key, transition, target, input.call())
                .await
                .map_err(|e| {
                    conflict::as_conflict::<M>(e, self.kind, &self.key, self.ask_current)
                })?
        } else {
            // Repeated, it deletes nothing more (an entity's condition holds
            // on the missing item).
            Some(
                call_retrying(conn, table, RetryClass::Safe, input.call())
                    .await
                    .map_err(|e| {
                        conflict::as_conflict::<M>(e, self.kind, &self.key, self.ask_current)
                    })
                    .map_err(|e| unknown_outcome(e, target))?,
            )
        };
        let output = output.map(|r| typed(&input, table, r));
        if let (Some(loaded), Some(old)) =
            (self.loaded, output.transpose()?.and_then(|o| o.old_item))
        {
            restore_additions::<M>(conn, table, loaded, old.into_item()).await?;
        }
        Ok(Sent::Deleted)
    }

    /// Sends the write with the guard items of its unique attributes, in
    /// one transaction.
    async fn send_guarded(self, conn: &Connection) -> Result<Sent, Error> {
        let checks_additions = matches!(self.main, Main::Delete { return_old: true });
        let new_value = |attribute: &str| self.unique_change(attribute);
        let main = |unchanged: Condition, current: Option<&Item>| {
            // A delete with conflict detection must not take attributes
            // another program added since the load with it.
            let gained = |loaded: &Item| {
                current.is_some_and(|current| current.keys().any(|name| !loaded.contains_key(name)))
            };
            if checks_additions && self.loaded.is_some_and(gained) {
                return Err(Error::Conflict(ConflictError::new(
                    ConflictKind::Changed,
                    M::SCHEMA.model,
                    self.table.clone(),
                    item_key::<M>(&self.key),
                )));
            }
            self.action(Some(unchanged))
        };
        let current = unique::write::<M>(conn, &self.key, new_value, main, self.kind).await?;
        if let Main::Update { .. } = self.main {
            return self.guarded_update_answer(conn, current).await;
        }
        Ok(match self.main {
            // A transaction answers no item: what it left is worked out from
            // the item read just before it.
            Main::Whole { item } => Sent::Stored(match self.loaded {
                Some(loaded) => super::whole::stored_after::<M>(current, loaded, &item),
                None => item,
            }),
            Main::Delete { .. } | Main::Update { .. } => Sent::Deleted,
        })
    }
}

/// A plan sent by the wrong sender: a bug of the mapper's, never the caller's.
pub(super) fn not_planned<M: Model>() -> Error {
    Error::InvalidRequest {
        model: M::SCHEMA.model,
        reason: "a write plan reached the sender of another kind of write (a bug of the mapper's)"
            .into(),
    }
}

/// After a delete with conflict detection: the deleted item held attributes
/// added since the load (between the load and the delete, which no
/// condition can name), so it is put back, where its key is still free,
/// and the delete is a [`ConflictKind::Changed`] conflict.
async fn restore_additions<M: Model>(
    conn: &Connection,
    table: &str,
    loaded: &Item,
    deleted: Item,
) -> Result<(), Error> {
    if deleted.keys().all(|name| loaded.contains_key(name)) {
        return Ok(());
    }
    let key = item_key::<M>(&deleted);
    let (condition, placeholders) =
        conflict::write_condition(Some(conflict::key_is_free::<M>()), None)?;
    let mut input = PutItemInput::new(table, deleted);
    input.condition = condition;
    input.placeholders = placeholders;
    // Sent again after a lost answer, it is refused by its own condition.
    let restored = send(conn, table, RetryClass::Safe, &input).await;
    if let Err(error) = restored {
        // The key was taken again in the meantime (or the answer lost):
        // what it holds now is another writer's.
        tracing::warn!(model = M::SCHEMA.model, %key, %error, "a deleted item changed since it was loaded could not be put back");
    }
    Err(Error::Conflict(ConflictError::new(
        ConflictKind::Changed,
        M::SCHEMA.model,
        table,
        key,
    )))
}
