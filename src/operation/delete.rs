//! [`Delete`]: delete an object, optionally with conflict detection.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::{
    call_retrying, conflict, item_key, unknown_outcome, write_resolving, Repeat, State, Transition,
};
use crate::engine::request::DeleteItemInput;
use crate::error::{ConflictError, ConflictKind, Error, WriteTarget};
use crate::expression::Condition;
use crate::model::{version, Document, Model};
use crate::Connection;

/// A pending delete; `.await` it. Built by [`Connection::delete`].
///
/// After a delete the document counts as new: saving it again is an insertion.
#[must_use = "a delete does nothing until awaited"]
pub struct Delete<'d, M: Model> {
    conn: Connection,
    document: &'d mut Document<M>,
    raise_on_conflict: bool,
    condition: Option<Condition>,
}

impl<'d, M: Model> Delete<'d, M> {
    pub(crate) fn new(conn: Connection, document: &'d mut Document<M>) -> Self {
        Delete {
            conn,
            document,
            raise_on_conflict: false,
            condition: None,
        }
    }

    /// Conflict detection, as the original's `raise_on_conflict=True`: delete
    /// only if the stored item is unchanged since it was loaded. Deleting an
    /// object that was never loaded is then a [`ConflictKind::NeverLoaded`] error.
    pub fn raise_on_conflict(mut self) -> Self {
        self.raise_on_conflict = true;
        self
    }

    /// Deletes only if `condition` holds on the stored item.
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(condition);
        self
    }

    async fn run(self) -> Result<(), Error> {
        let Delete {
            conn,
            document,
            raise_on_conflict,
            condition,
        } = self;
        let key = document.own_key_item()?;
        crate::model::auto_increment::refuse_counter_key::<M>(&key)?;
        super::composed::key_matches_stored::<M>(document.stored_item(), &key)?;
        let table = conn.table_name(M::SCHEMA.table);
        let (mut kind, mut conflict_condition) = match (raise_on_conflict, document.stored_item()) {
            (false, _) => (ConflictKind::ConditionFailed, None),
            (true, Some(stored)) => (
                ConflictKind::Changed,
                Some(conflict::unchanged_since::<M>(stored)),
            ),
            (true, None) => {
                return Err(Error::Conflict(ConflictError {
                    kind: ConflictKind::NeverLoaded,
                    model: M::SCHEMA.model,
                    table,
                    key: item_key::<M>(&key),
                    taken: None,
                }))
            }
        };
        if let Some(attribute) = version::attribute::<M>() {
            let expected = match (document.stored_item(), version::current::<M>(document)) {
                (Some(item), _) => {
                    version::expected::<M>(attribute, 0, version::Stored::Loaded(item)).0
                }
                // A delete of an object never loaded, at version 0: of an
                // item without a version, or of no item.
                (None, Some(0) | None) => {
                    Condition::NotExists(crate::expression::Path::attribute(attribute))
                }
                (None, Some(current)) => {
                    version::expected::<M>(attribute, current, version::Stored::Number).0
                }
            };
            conflict_condition = Some(match conflict_condition {
                Some(c) => c.and(expected),
                None => expected,
            });
            kind = ConflictKind::Changed;
        }
        let resolving = conflict_condition.is_some() || condition.is_some();
        let (kind, conflict_condition) =
            super::composed::with_entity_guard::<M>(kind, conflict_condition, resolving);
        // A delete with conflict detection of a loaded object must not take
        // attributes another program added since the load with it.
        let loaded = match (raise_on_conflict, document.stored_item()) {
            (true, Some(loaded)) => Some(loaded),
            _ => None,
        };
        if super::unique::enabled::<M>() {
            super::unique::delete::<M>(&conn, &key, kind, conflict_condition, condition, loaded)
                .await?;
            document.set_stored(None);
            return Ok(());
        }
        let (condition_text, placeholders) =
            conflict::write_condition(conflict_condition, condition)?;
        let input = DeleteItemInput {
            table: table.clone(),
            key: key.clone(),
            condition: condition_text,
            placeholders,
            return_old: loaded.is_some(),
        };
        let target = || WriteTarget::item(M::SCHEMA.model, item_key::<M>(&key));
        let send = || conn.engine().delete_item(&input);
        let output = if resolving {
            // A lost answer is settled by reading the key: gone, when the
            // document was loaded, means done.
            let transition = Transition {
                from: document.stored_item().map(State::Item),
                to: State::Absent,
            };
            write_resolving(&conn, "DeleteItem", &table, &key, transition, target, send)
                .await
                .map_err(|e| conflict::as_conflict::<M>(e, kind, &key))?
        } else {
            // Repeated, it deletes nothing more (an entity's condition holds
            // on the missing item).
            Some(
                call_retrying(&conn, "DeleteItem", &table, Repeat::Safe, send)
                    .await
                    .map_err(|e| conflict::as_conflict::<M>(e, kind, &key))
                    .map_err(|e| unknown_outcome(e, target))?,
            )
        };
        if let (Some(loaded), Some(old)) = (loaded, output.and_then(|o| o.old_item)) {
            restore_additions::<M>(&conn, &table, loaded, old.into_item()).await?;
        }
        document.set_stored(None);
        Ok(())
    }
}

/// After a delete with conflict detection: the deleted item held attributes
/// added since the load (between the load and the delete, which no
/// condition can name), so it is put back, where its key is still free,
/// and the delete is a [`ConflictKind::Changed`] conflict.
async fn restore_additions<M: Model>(
    conn: &Connection,
    table: &str,
    loaded: &crate::Item,
    deleted: crate::Item,
) -> Result<(), Error> {
    if deleted.keys().all(|name| loaded.contains_key(name)) {
        return Ok(());
    }
    let key = item_key::<M>(&deleted);
    let (condition, placeholders) =
        conflict::write_condition(Some(conflict::key_is_free::<M>()), None)?;
    let mut input = crate::engine::request::PutItemInput::new(table, deleted);
    input.condition = condition;
    input.placeholders = placeholders;
    // Sent again after a lost answer, it is refused by its own condition.
    let restored = call_retrying(conn, "PutItem", table, Repeat::Safe, || {
        conn.engine().put_item(&input)
    })
    .await;
    if let Err(error) = restored {
        // The key was taken again in the meantime (or the answer lost):
        // what it holds now is another writer's.
        tracing::warn!(model = M::SCHEMA.model, %key, %error, "a deleted item changed since it was loaded could not be put back");
    }
    Err(Error::Conflict(ConflictError {
        kind: ConflictKind::Changed,
        model: M::SCHEMA.model,
        table: table.to_owned(),
        key,
        taken: None,
    }))
}

impl<'d, M: Model> IntoFuture for Delete<'d, M> {
    type Output = Result<(), Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'd>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
