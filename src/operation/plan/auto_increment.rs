//! Saving a new object of an auto-increment model: the next value from its
//! counter (see [`model::auto_increment`](crate::model::auto_increment)),
//! then a put under "key must not exist", with a fresh value if a direct
//! write took the key.

use crate::attribute::{AttributeValue, Item};
use crate::engine::request::{ReturnValues, UpdateItemInput};
use crate::error::{AttributeError, ConflictKind, Error, Unfinished};
use crate::expression::{Condition, Placeholders};
use crate::model::auto_increment::{
    assign_hash_key, counter_value, COUNTER_ATTRIBUTE, MAX_ATTEMPTS,
};
use crate::model::{Document, Model};
use crate::operation::{put_new, send, RetryClass};
use crate::Connection;

/// Takes the next value from the counter: one atomic `ADD`, no read.
async fn next_value<M: Model>(conn: &Connection, table: &str) -> Result<i64, Error> {
    let mut placeholders = Placeholders::default();
    let counter = placeholders.name(COUNTER_ATTRIBUTE);
    let one = placeholders.value(AttributeValue::N("1".into()));
    let input = UpdateItemInput {
        return_values_on_condition_check_failure: false,
        table: table.to_owned(),
        key: Item::from_iter([(M::SCHEMA.hash_key.attribute.to_owned(), counter_value())]),
        update: format!("ADD {counter} {one}"),
        condition: None,
        placeholders: placeholders.finish(),
        return_values: ReturnValues::UpdatedNew,
    };
    // Sent again after a lost answer too: each ADD hands out a value of its
    // own, so a bump whose answer was lost leaves a gap, never a duplicate.
    let output = send(conn, table, RetryClass::Safe, &input).await?;
    let value = output
        .attributes
        .and_then(|a| a.into_item().remove(COUNTER_ATTRIBUTE))
        .unwrap_or(AttributeValue::Null);
    <i64 as crate::Attribute>::from_attribute(value)
        .map_err(|e| Error::from(AttributeError::new(M::SCHEMA.model, COUNTER_ATTRIBUTE, e)))
}

/// Saves a new object of an auto-increment model under the next free key.
pub(crate) async fn save_new<M: Model>(
    conn: &Connection,
    document: &mut Document<M>,
    condition: Option<Condition>,
) -> Result<(), Error> {
    let table = conn.table_name(M::SCHEMA.table);
    let mut last = None;
    for _ in 0..MAX_ATTEMPTS {
        let key = next_value::<M>(conn, &table).await?;
        if key <= 0 {
            // Key 0 means "unset" and negative keys are the counter's: never hand them out.
            continue;
        }
        assign_hash_key::<M>(document, key)?;
        match put_new(conn, document, condition.clone()).await {
            Err(Error::Conflict(conflict)) if conflict.kind == ConflictKind::Overwrite => {
                last = Some(conflict);
                continue;
            }
            // The object may be stored under this key: the document keeps it,
            // so the caller can look.
            Err(error) if error.is_outcome_unknown() => return Err(error),
            Err(error) => {
                assign_hash_key::<M>(document, 0)?;
                return Err(error);
            }
            Ok(()) => return Ok(()),
        }
    }
    assign_hash_key::<M>(document, 0)?;
    Err(Error::RetriesExhausted {
        operation: "auto-increment save",
        model: M::SCHEMA.model,
        table,
        attempts: MAX_ATTEMPTS,
        unfinished: Box::new(Unfinished::Conflicts { last }),
    })
}
