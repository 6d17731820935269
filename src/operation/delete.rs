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
            let expected = match version::current::<M>(document).unwrap_or(0) {
                0 => Condition::NotExists(crate::expression::Path::attribute(attribute)),
                current => version::expected::<M>(attribute, current).0,
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
        if super::unique::enabled::<M>() {
            super::unique::delete::<M>(&conn, &key, kind, conflict_condition, condition).await?;
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
        };
        let target = || WriteTarget::item(M::SCHEMA.model, item_key::<M>(&key));
        let send = || conn.engine().delete_item(&input);
        if resolving {
            // A lost answer is settled by reading the key: gone, when the
            // document was loaded, means done.
            let transition = Transition {
                from: document.stored_item().map(State::Item),
                to: State::Absent,
            };
            write_resolving(&conn, "DeleteItem", &table, &key, transition, target, send)
                .await
                .map_err(|e| conflict::as_conflict::<M>(e, kind, &key))?;
        } else {
            // Repeated, it deletes nothing more (an entity's condition holds
            // on the missing item).
            call_retrying(&conn, "DeleteItem", &table, Repeat::Safe, send)
                .await
                .map_err(|e| conflict::as_conflict::<M>(e, kind, &key))
                .map_err(|e| unknown_outcome(e, target))?;
        }
        document.set_stored(None);
        Ok(())
    }
}

impl<'d, M: Model> IntoFuture for Delete<'d, M> {
    type Output = Result<(), Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'd>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
