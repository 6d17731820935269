//! Batch writes (BatchWriteItem), which carry no condition: each policy's
//! stage says what a batch keeps of it, and refuses what it cannot keep
//! (the README's table of writes and policies).

use super::stages;
use crate::engine::request::WriteRequest;
use crate::error::Error;
use crate::model::{version, Model};

/// Refuses a batch of a model with unique attributes: a batch cannot keep
/// their guard items (it reads no values it replaces).
fn refuse_unique<M: Model>() -> Result<(), Error> {
    crate::operation::plan::unique::refuse_in::<M>("a batch write")
}

/// The put of `model` in a batch: its item, at the next version for a
/// versioned model (as a save of a new object stores it), unconditionally;
/// an auto-increment object without its key is refused.
pub(crate) fn put<M: Model>(model: &M) -> Result<WriteRequest, Error> {
    refuse_unique::<M>()?;
    // A batch takes no value from the counter: an object at key 0 would be
    // stored under 0, which means "unset".
    if crate::model::auto_increment::enabled::<M>()
        && crate::model::auto_increment::needs_hash_key::<M>(model)
    {
        return Err(Error::InvalidRequest {
            model: M::SCHEMA.model,
            reason: format!(
                "`{}` is 0, which an auto-increment key means unset, and a batch takes no value from the counter: save new objects with save, or give them their keys",
                M::SCHEMA.hash_key.attribute
            ),
        });
    }
    let mut item = model.to_item()?;
    version::store_next::<M>(model, &mut item)?;
    stages::counter::refuse::<M>(&item)?;
    stages::entity::refuse_guard_key::<M>(&item)?;
    Ok(WriteRequest::Put(item))
}

/// The delete of the item with `key` in a batch, unconditionally.
pub(crate) fn delete<M: Model>(key: &M::Key) -> Result<WriteRequest, Error> {
    refuse_unique::<M>()?;
    let key = M::key_item(key)?;
    stages::counter::refuse::<M>(&key)?;
    stages::entity::refuse_guard_key::<M>(&key)?;
    Ok(WriteRequest::Delete(key))
}
