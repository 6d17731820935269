//! The stored item a refused write returned, decoded as its model.

use super::{Document, Model};
use crate::error::{ActionCancellation, ConflictError, CurrentItem};
use crate::Error;

/// Decodes `current` as `M`, refusing a conflict on another model.
fn decode<M: Model>(
    model: &'static str,
    current: &CurrentItem,
) -> Option<Result<Document<M>, Error>> {
    let item = current.item()?;
    if model != M::SCHEMA.model {
        return Some(Err(Error::InvalidRequest {
            model: M::SCHEMA.model,
            reason: format!(
                "the refused write was on {model}, not on {}",
                M::SCHEMA.model
            ),
        }));
    }
    Some(Document::from_stored(item.clone()))
}

impl ConflictError {
    /// The item stored under the key when the write was refused, decoded as
    /// `M` (as a read decodes it: migrations run, and the document keeps
    /// the stored item, so saving it with conflict detection compares
    /// against it). `None` where no item came back: see
    /// [`current`](Self::current) for whether none is stored
    /// ([`CurrentItem::Absent`]) or the engine did not say
    /// ([`CurrentItem::NotReturned`]). An item that does not decode as `M`
    /// (another program wrote it) is an error; the raw item stays in
    /// [`current`](Self::current).
    ///
    /// ```
    /// # use dynamodb_mapper::{Connection, Document, Error, Model};
    /// # #[derive(Model, Debug, Clone, Default)]
    /// # #[dynamodb(table = "counters", hash_key = "id")]
    /// # struct Counter { id: String, hits: u64 }
    /// # async fn run(conn: &Connection, mut mine: Document<Counter>) -> Result<(), Error> {
    /// loop {
    ///     mine.hits += 1;
    ///     match conn.save(&mut mine).raise_on_conflict().await {
    ///         Err(Error::Conflict(conflict)) => match conflict.current_as::<Counter>() {
    ///             // Retry against what is stored now, without reading it again.
    ///             Some(stored) => mine = stored?,
    ///             None => match conn.get::<Counter>(mine.id.clone()).await? {
    ///                 Some(stored) => mine = stored,
    ///                 None => return Ok(()), // deleted meanwhile
    ///             },
    ///         },
    ///         done => return done,
    ///     }
    /// }
    /// # }
    /// ```
    pub fn current_as<M: Model>(&self) -> Option<Result<Document<M>, Error>> {
        decode(self.model, &self.current)
    }
}

impl ActionCancellation {
    /// The item stored under the action's key when the transaction was
    /// cancelled, decoded as `M`: as [`ConflictError::current_as`].
    pub fn current_as<M: Model>(&self) -> Option<Result<Document<M>, Error>> {
        decode(self.model, &self.current)
    }
}
