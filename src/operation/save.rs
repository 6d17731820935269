//! [`Save`]: put a whole object, optionally with conflict detection.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::plan::{Detect, Sent, WritePlan};
use crate::error::Error;
use crate::expression::Condition;
use crate::model::{auto_increment, version};
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
    /// ([`ConflictKind::Overwrite`](crate::ConflictKind::Overwrite) otherwise).
    pub fn raise_on_conflict(mut self) -> Self {
        self.raise_on_conflict = true;
        self
    }

    /// Writes only if `condition` holds on the stored item
    /// ([`ConflictKind::ConditionFailed`](crate::ConflictKind::ConditionFailed) otherwise).
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
        let current = version::current::<M>(document);
        if let Some(current) = current {
            // The next version must fit the field: at its type's maximum the
            // save is refused with an error naming the value, never wrapped.
            version::set::<M>(document, current.saturating_add(1))?;
        }
        let detect = if raise_on_conflict {
            Detect::Changes
        } else {
            Detect::No
        };
        let result = write(&conn, document, detect, condition, current).await;
        if let (Err(_), Some(current)) = (&result, current) {
            version::set::<M>(document, current)?;
        }
        result
    }
}

/// Saves `document` through its write plan; a new object of an
/// auto-increment model first gets its key from the counter.
async fn write<M: Model>(
    conn: &Connection,
    document: &mut Document<M>,
    detect: Detect,
    condition: Option<Condition>,
    version: Option<i128>,
) -> Result<(), Error> {
    if auto_increment::enabled::<M>() && auto_increment::needs_hash_key::<M>(document) {
        return super::plan::auto_increment::save_new(conn, document, condition).await;
    }
    send(conn, document, detect, condition, version).await
}

/// Sends the write plan of a save; on success the document remembers what
/// is stored.
async fn send<M: Model>(
    conn: &Connection,
    document: &mut Document<M>,
    detect: Detect,
    condition: Option<Condition>,
    version: Option<i128>,
) -> Result<(), Error> {
    let sent = WritePlan::save(conn, document, detect, condition, version)?
        .send(conn)
        .await?;
    if let Sent::Stored(item) = sent {
        document.set_stored(Some(item));
    }
    Ok(())
}

/// The item a save of `document` writes: the model's attributes, and the
/// attributes of the loaded item that the model does not declare.
pub(crate) fn item_to_write<M: Model>(document: &Document<M>) -> Result<crate::Item, Error> {
    super::plan::stages::format::whole(document)
}

/// Saves a new object only if its key is free.
pub(crate) async fn put_new<M: Model>(
    conn: &Connection,
    document: &mut Document<M>,
    condition: Option<Condition>,
) -> Result<(), Error> {
    send(conn, document, Detect::KeyFree, condition, None).await
}

impl<'d, M: Model> IntoFuture for Save<'d, M> {
    type Output = Result<(), Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'd>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}
