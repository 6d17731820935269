//! [`Save`]: write a whole object, optionally with conflict detection;
//! alone, or in a native transaction.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::native_transaction::{pending, Action};
use super::plan::{Detect, Sent, WritePlan};
use super::DocumentArg;
use crate::error::Error;
use crate::expression::Condition;
use crate::model::{auto_increment, version};
use crate::model::{Document, Model};
use crate::Connection;

impl Connection {
    /// Saves the whole object: `.await` it, or add it to a transaction
    /// ([`TransactWrite::save`](crate::transactions::TransactWrite::save)). A
    /// loaded document is written as an update of its attributes, a new one
    /// as a put. With [`raise_on_conflict`](Save::raise_on_conflict), only if
    /// the stored item is unchanged since it was loaded, or for a new
    /// object, only if its key is free.
    ///
    /// Takes `&mut Document<M>` (which then holds the next version and the
    /// item as stored) or a `Document<M>` (consumed).
    pub fn save<'d, M: Model>(&self, document: impl Into<DocumentArg<'d, M>>) -> Save<'d, M> {
        Save {
            conn: self.clone(),
            document: document.into(),
            raise_on_conflict: false,
            condition: None,
        }
    }
}

/// A pending save; `.await` it, or add it to a
/// [`TransactWrite`](crate::transactions::TransactWrite). Built by
/// [`Connection::save`].
///
/// Attributes of the loaded item that the model does not declare are written
/// back unchanged, so saving never drops data another program stored.
#[must_use = "a save does nothing until awaited"]
pub struct Save<'d, M: Model> {
    conn: Connection,
    document: DocumentArg<'d, M>,
    raise_on_conflict: bool,
    condition: Option<Condition>,
}

impl<'d, M: Model> Save<'d, M> {
    /// Conflict detection, as the original's `raise_on_conflict=True`: a
    /// loaded object is written only if the stored item is unchanged since it
    /// was loaded; a new object only if its key is free
    /// ([`ConflictKind::Overwrite`](crate::error::ConflictKind::Overwrite) otherwise).
    pub fn raise_on_conflict(mut self) -> Self {
        self.raise_on_conflict = true;
        self
    }

    /// Writes only if `condition` holds on the stored item
    /// ([`ConflictKind::ConditionFailed`](crate::error::ConflictKind::ConditionFailed) otherwise).
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(condition);
        self
    }

    fn detect(&self) -> Detect {
        if self.raise_on_conflict {
            Detect::Changes
        } else {
            Detect::No
        }
    }

    async fn run(self) -> Result<(), Error> {
        let detect = self.detect();
        let Save {
            conn,
            mut document,
            condition,
            ..
        } = self;
        let document = document.get_mut();
        // A versioned object is written with the next version; it keeps its
        // version if the write fails.
        let current = version::current::<M>(document);
        if let Some(current) = current {
            // The next version must fit the field: at its type's maximum the
            // save is refused with an error naming the value, never wrapped.
            version::set::<M>(document, current.saturating_add(1))?;
        }
        let result = write(&conn, document, detect, condition, current).await;
        if let (Err(_), Some(current)) = (&result, current) {
            version::set::<M>(document, current)?;
        }
        result
    }

    /// The save as an action of a native transaction; once the transaction
    /// is done, a borrowed document holds the next version and the item the
    /// transaction wrote (a transaction returns no item: what another
    /// program added since the load is not in it, as it was not loaded).
    /// A new object of an auto-increment model at key 0 is refused: a
    /// transaction takes no value from the counter.
    pub(super) fn into_action(self) -> Result<Action<'d>, Error> {
        let detect = self.detect();
        let Save {
            conn,
            document,
            condition,
            ..
        } = self;
        let model = document.get();
        if auto_increment::enabled::<M>() && auto_increment::needs_hash_key::<M>(model) {
            return Err(Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: "an auto-increment object at key 0 (unset) in a native transaction: a transaction takes no value from the counter; save it alone first, or give it a key".into(),
            });
        }
        let current = version::current::<M>(model);
        let mut plan = WritePlan::save(&conn, model, detect, condition, current)?;
        // The document changes only once the transaction is done: the item
        // carries the next version.
        plan.store_next_version(model)?;
        let written = plan.whole_item().cloned();
        let action = pending(plan)?;
        let DocumentArg::Borrowed(document) = document else {
            return Ok(action);
        };
        Ok(action.committed(move || {
            if let Some(current) = current {
                // store_next_version checked that the next version fits.
                let _fits = version::set::<M>(document, current.saturating_add(1));
            }
            document.set_stored(written);
        }))
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
