//! [`Delete`]: delete an object, optionally with conflict detection.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::plan::{Detect, WritePlan};
use crate::error::Error;
use crate::expression::Condition;
use crate::model::{Document, Model};
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
    /// object that was never loaded is then a [`ConflictKind::NeverLoaded`](crate::ConflictKind::NeverLoaded) error.
    ///
    /// No condition can name an attribute another program added since the
    /// load, so the delete asks for the item it deleted: one that gained
    /// attributes is put back, where its key is still free, and the delete
    /// is a [`ConflictKind::Changed`](crate::ConflictKind::Changed) conflict (readers and streams see the
    /// item gone for that moment). Two cases are not caught: an answer lost
    /// after the delete applied (settled by reading: the item is gone,
    /// which is done), and, on a model with unique attributes, attributes
    /// added between the read that precedes its transaction and the
    /// transaction.
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
        let detect = if raise_on_conflict {
            Detect::Changes
        } else {
            Detect::No
        };
        WritePlan::delete(&conn, document, detect, condition)?
            .send(&conn)
            .await?;
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
