//! [`Delete`] and [`DeleteKey`]: delete an object (optionally with conflict
//! detection) or the item with a key; alone, or in a native transaction.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use super::native_transaction::{pending, Action};
use super::plan::{Detect, WritePlan};
use super::DocumentArg;
use crate::attribute::Item;
use crate::error::Error;
use crate::expression::Condition;
use crate::model::Model;
use crate::Connection;

impl Connection {
    /// Deletes the object: `.await` it, or add it to a transaction
    /// ([`TransactWrite::delete`](crate::transactions::TransactWrite::delete)).
    /// With [`raise_on_conflict`](Delete::raise_on_conflict), only if the
    /// stored item is unchanged since it was loaded. A borrowed document
    /// counts as new afterwards.
    pub fn delete<'d, M: Model>(&self, document: impl Into<DocumentArg<'d, M>>) -> Delete<'d, M> {
        Delete {
            conn: self.clone(),
            document: document.into(),
            raise_on_conflict: false,
            condition: None,
        }
    }

    /// Deletes the item with this key, if any (for an entity: unless it
    /// holds another entity's item, a conflict): `.await` it, or add it to a
    /// transaction
    /// ([`TransactWrite::delete_key`](crate::transactions::TransactWrite::delete_key)).
    pub fn delete_key<M: Model>(&self, key: M::Key) -> DeleteKey<M> {
        DeleteKey {
            conn: self.clone(),
            key: M::key_item(&key).map_err(Error::from),
            condition: None,
            model: PhantomData,
        }
    }
}

/// A pending delete of an object; `.await` it, or add it to a
/// [`TransactWrite`](crate::transactions::TransactWrite). Built by
/// [`Connection::delete`].
///
/// After a delete the document counts as new: saving it again is an insertion.
#[must_use = "a delete does nothing until awaited"]
pub struct Delete<'d, M: Model> {
    conn: Connection,
    document: DocumentArg<'d, M>,
    raise_on_conflict: bool,
    condition: Option<Condition>,
}

impl<'d, M: Model> Delete<'d, M> {
    /// Conflict detection, as the original's `raise_on_conflict=True`: delete
    /// only if the stored item is unchanged since it was loaded. Deleting an
    /// object that was never loaded is then a [`ConflictKind::NeverLoaded`](crate::error::ConflictKind::NeverLoaded) error.
    ///
    /// No condition can name an attribute another program added since the
    /// load, so the delete asks for the item it deleted: one that gained
    /// attributes is put back, where its key is still free, and the delete
    /// is a [`ConflictKind::Changed`](crate::error::ConflictKind::Changed) conflict (readers and streams see the
    /// item gone for that moment). Two cases are not caught: an answer lost
    /// after the delete applied (settled by reading: the item is gone,
    /// which is done), and, on a model with unique attributes, attributes
    /// added between the read that precedes its transaction and the
    /// transaction. In a native transaction the deleted item is not
    /// returned: there it checks the attributes it loaded.
    pub fn raise_on_conflict(mut self) -> Self {
        self.raise_on_conflict = true;
        self
    }

    /// Deletes only if `condition` holds on the stored item
    /// ([`ConflictKind::ConditionFailed`](crate::error::ConflictKind::ConditionFailed) otherwise).
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(condition);
        self
    }

    fn plan(&self) -> Result<WritePlan<'_, M>, Error> {
        let detect = if self.raise_on_conflict {
            Detect::Changes
        } else {
            Detect::No
        };
        let condition = self.condition.clone();
        WritePlan::delete(&self.conn, self.document.get(), detect, condition)
    }

    async fn run(mut self) -> Result<(), Error> {
        self.plan()?.send(&self.conn).await?;
        self.document.get_mut().set_stored(None);
        Ok(())
    }

    /// The delete as an action of a native transaction; once the
    /// transaction is done, a borrowed document counts as new.
    pub(super) fn into_action(self) -> Result<Action<'d>, Error> {
        let action = pending(self.plan()?)?;
        let DocumentArg::Borrowed(document) = self.document else {
            return Ok(action);
        };
        Ok(action.committed(move || document.set_stored(None)))
    }
}

impl<'d, M: Model> IntoFuture for Delete<'d, M> {
    type Output = Result<(), Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'd>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// A pending delete of the item with one key; `.await` it, or add it to a
/// [`TransactWrite`](crate::transactions::TransactWrite). Built by
/// [`Connection::delete_key`].
#[must_use = "a delete does nothing until awaited"]
pub struct DeleteKey<M: Model> {
    conn: Connection,
    key: Result<Item, Error>,
    condition: Option<Condition>,
    model: PhantomData<fn() -> M>,
}

impl<M: Model> DeleteKey<M> {
    /// Deletes only if `condition` holds on the stored item
    /// ([`ConflictKind::ConditionFailed`](crate::error::ConflictKind::ConditionFailed) otherwise).
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(condition);
        self
    }

    fn plan(self) -> Result<WritePlan<'static, M>, Error> {
        WritePlan::delete_key(&self.conn, self.key?, self.condition)
    }

    /// The delete as an action of a native transaction.
    pub(super) fn into_action(self) -> Result<Action<'static>, Error> {
        pending(self.plan()?)
    }
}

impl<M: Model> IntoFuture for DeleteKey<M> {
    type Output = Result<(), Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        let conn = self.conn.clone();
        Box::pin(async move { self.plan()?.send(&conn).await.map(drop) })
    }
}
