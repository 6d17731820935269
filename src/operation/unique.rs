//! Unique attributes (`#[dynamodb(unique)]`): each value an item holds is
//! also the key of a guard item, which no other item's value can take. Every
//! write of such a model is one native transaction: the write itself, under
//! the condition that the unique values are still those read just before,
//! and the guard items of the values it drops and takes.

use super::{call_retrying, item_key, unknown_outcome, Repeat};
use crate::attribute::{AttributeValue, Item};
use crate::engine::request::{
    DeleteItemInput, GetItemInput, PutItemInput, TransactWriteInput, TransactWriteItem,
};
use crate::error::{ConflictError, ConflictKind, EngineErrorKind, Error, WriteTarget};
use crate::expression::{Comparison, Condition, Path, Placeholders};
use crate::model::Model;
use crate::Connection;

/// DynamoDB's limit on a sort key (a guard's key is its sort key too).
const MAX_GUARD_KEY_BYTES: usize = 1024;

/// The entity name stored in guard items.
pub const GUARD_ENTITY: &str = "UNIQUE";
/// The attributes of a guard item holding its owner's key.
const OWNER: [&str; 2] = ["owner_pk", "owner_sk"];

/// The values an update gives unique attributes (`None`: removed).
pub(crate) type UniqueChanges = Vec<(&'static str, Option<AttributeValue>)>;

/// What a write does to one unique attribute.
pub(super) enum Change {
    /// Leaves it as stored.
    Keep,
    /// Gives it this value (`None`: removes it).
    To(Option<AttributeValue>),
}

/// Whether the model has unique attributes, whose writes go through here.
pub(super) fn enabled<M: Model>() -> bool {
    !M::SCHEMA.unique.is_empty()
}

/// Refuses a write that cannot keep the guard items: a batch, or a native
/// transaction the caller builds (neither reads the values it replaces).
pub(super) fn refuse_in<M: Model>(what: &str) -> Result<(), Error> {
    if enabled::<M>() {
        return Err(Error::InvalidRequest {
            model: M::SCHEMA.model,
            reason: format!(
                "{what} cannot keep the guard items of unique attributes ({}): use save, update or delete",
                M::SCHEMA.unique.join(", ")
            ),
        });
    }
    Ok(())
}

/// Writes `main` with the guard items of the unique attributes it changes,
/// in one transaction; resolves to the item as it was before. `main` gets
/// the condition that the unique values are those read, to add to its own;
/// a failure of its own condition is a conflict of `kind`.
pub(super) async fn write<M: Model>(
    conn: &Connection,
    key: &Item,
    change: impl Fn(&str) -> Change,
    main: impl FnOnce(Condition, Option<&Item>) -> Result<TransactWriteItem, Error>,
    kind: ConflictKind,
) -> Result<Option<Item>, Error> {
    let schema = M::SCHEMA;
    super::native_transaction::need_native_transactions(
        conn,
        schema.model,
        format!(
            "unique attributes ({}) are kept by guard items written in one native transaction: declare the model without `unique` on this engine",
            schema.unique.join(", ")
        ),
    )?;
    let table = conn.table_name(schema.table);
    let current = read_current(conn, &table, key).await?;
    let stored = |attribute: &str| current.as_ref().and_then(|item| item.get(attribute));
    let unchanged = still_stored(schema.unique, current.as_ref());
    let mut actions = vec![main(unchanged, current.as_ref())?];
    // The attribute and value of each guard action, after `main`.
    let mut guarded = Vec::new();
    for attribute in schema.unique {
        let old = stored(attribute);
        let new = match change(attribute) {
            Change::Keep => old.cloned(),
            Change::To(value) => value,
        };
        let new = new.as_ref();
        if old == new {
            // Kept: its guard is written again (its own already, or missing
            // for an item stored before the attribute was unique).
            if let Some(value) = new {
                actions.push(guard_put::<M>(&table, key, attribute, value)?);
                guarded.push((*attribute, value.clone()));
            }
            continue;
        }
        if let Some(old) = old {
            actions.push(guard_delete::<M>(&table, key, attribute, old)?);
            guarded.push((*attribute, old.clone()));
        }
        if let Some(new) = new {
            actions.push(guard_put::<M>(&table, key, attribute, new)?);
            guarded.push((*attribute, new.clone()));
        }
    }
    let input = TransactWriteInput {
        actions,
        token: Some(super::native_transaction::new_token()),
    };
    // With its idempotency token, sending the transaction again is safe.
    let result = call_retrying(conn, "TransactWriteItems", &table, Repeat::Safe, || {
        conn.engine().transact_write_items(&input)
    })
    .await;
    match result {
        Ok(_) => Ok(current),
        Err(error) => Err(refusal::<M>(error, key, kind, &guarded)),
    }
}

/// The condition that the unique attributes hold what `current` holds.
fn still_stored(unique: &[&'static str], current: Option<&Item>) -> Condition {
    let stored = |attribute: &str| current.and_then(|item| item.get(attribute));
    Condition::And(
        unique
            .iter()
            .map(|attribute| match stored(attribute) {
                Some(value) => {
                    Condition::Compare(Path::attribute(*attribute), Comparison::Eq, value.clone())
                }
                None => Condition::NotExists(Path::attribute(*attribute)),
            })
            .collect(),
    )
}

/// What a failed guarded write means: a guard's condition, a clash on that
/// unique value; the write's own, a conflict of `kind`; anything else, as it
/// came (or of unknown outcome).
fn refusal<M: Model>(
    error: Error,
    key: &Item,
    kind: ConflictKind,
    guarded: &[(&'static str, AttributeValue)],
) -> Error {
    let schema = M::SCHEMA;
    let Error::Engine { table, source, .. } = error else {
        return unknown_outcome(error, || {
            WriteTarget::item(schema.model, item_key::<M>(key))
        });
    };
    if source.kind != EngineErrorKind::TransactionCanceled {
        let error = Error::Engine {
            operation: "TransactWriteItems",
            table,
            source,
        };
        return unknown_outcome(error, || {
            WriteTarget::item(schema.model, item_key::<M>(key))
        });
    }
    let failed = |index: usize| {
        source
            .reasons
            .get(index)
            .is_some_and(|r| r.code == "ConditionalCheckFailed")
    };
    let conflict = |kind| ConflictError::new(kind, schema.model, table.clone(), item_key::<M>(key));
    if let Some((attribute, value)) = guarded
        .iter()
        .enumerate()
        .find(|(i, _)| failed(i + 1))
        .map(|(_, guard)| guard)
    {
        let shown = if schema.sensitive.contains(attribute) {
            "<redacted>".to_owned()
        } else {
            value_text(value)
        };
        return Error::Conflict(conflict(ConflictKind::Unique { attribute }).with_taken(shown));
    }
    if failed(0) {
        return Error::Conflict(conflict(kind));
    }
    Error::Engine {
        operation: "TransactWriteItems",
        table,
        source,
    }
}

/// Deletes the item with `key` and the guard items of its unique values;
/// `loaded`, for a delete with conflict detection: the item as loaded, which
/// the stored one may not have gained attributes over.
pub(super) async fn delete<M: Model>(
    conn: &Connection,
    key: &Item,
    kind: ConflictKind,
    conflict_condition: Option<Condition>,
    condition: Option<Condition>,
    loaded: Option<&Item>,
) -> Result<(), Error> {
    let kind = match (&conflict_condition, &condition) {
        (None, None) => ConflictKind::Changed,
        _ => kind,
    };
    let table = conn.table_name(M::SCHEMA.table);
    let main = |unchanged: Condition, current: Option<&Item>| {
        let gained = |loaded: &Item| {
            current.is_some_and(|current| current.keys().any(|name| !loaded.contains_key(name)))
        };
        if loaded.is_some_and(gained) {
            return Err(Error::Conflict(ConflictError::new(
                ConflictKind::Changed,
                M::SCHEMA.model,
                table.clone(),
                item_key::<M>(key),
            )));
        }
        let caller = Some(match condition {
            Some(c) => c.and(unchanged),
            None => unchanged,
        });
        let (condition, placeholders) =
            super::conflict::write_condition(conflict_condition, caller)?;
        Ok(TransactWriteItem::Delete(DeleteItemInput {
            table,
            key: key.clone(),
            condition,
            placeholders,
            return_old: false,
        }))
    };
    write::<M>(conn, key, |_| Change::To(None), main, kind)
        .await
        .map(drop)
}

/// The stored item, read strongly consistent.
pub(super) async fn read_current(
    conn: &Connection,
    table: &str,
    key: &Item,
) -> Result<Option<Item>, Error> {
    let mut input = GetItemInput::new(table, key.clone());
    input.consistent_read = true;
    let output = call_retrying(conn, "GetItem", table, Repeat::Safe, || {
        conn.engine().get_item(&input)
    })
    .await?;
    Ok(output.item.map(crate::attribute::StoredItem::into_item))
}

/// A unique value as text in a guard's key: a string as it is, a number as
/// stored, bytes in hex.
fn value_text(value: &AttributeValue) -> String {
    match value {
        AttributeValue::S(text) | AttributeValue::N(text) => text.clone(),
        AttributeValue::B(bytes) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        other => other.preview(),
    }
}

/// The key of the guard item of `attribute`'s `value`: both key attributes
/// `UNIQUE#{entity}#{attribute}#{value}` (an entity's keys are strings).
fn guard_key<M: Model>(attribute: &str, value: &AttributeValue) -> Result<Item, Error> {
    let schema = M::SCHEMA;
    let entity = schema.entities.first().map_or(schema.model, |e| e.name);
    let text = format!("{GUARD_ENTITY}#{entity}#{attribute}#{}", value_text(value));
    if text.len() > MAX_GUARD_KEY_BYTES {
        return Err(Error::InvalidRequest {
            model: schema.model,
            reason: format!(
                "the unique attribute `{attribute}` holds a value of {} bytes: its guard item's key would pass DynamoDB's {MAX_GUARD_KEY_BYTES} bytes for a sort key; nothing was written",
                value_text(value).len()
            ),
        });
    }
    let mut key = Item::default();
    key.insert(
        schema.hash_key.attribute.to_owned(),
        AttributeValue::S(text.clone()),
    );
    if let Some(range) = schema.range_key {
        key.insert(range.attribute.to_owned(), AttributeValue::S(text));
    }
    Ok(key)
}

/// The guard is free, or already this item's.
fn free_or_ours<M: Model>(owner: &Item) -> Condition {
    let schema = M::SCHEMA;
    let mut ours = vec![];
    for (index, attribute) in [Some(schema.hash_key), schema.range_key]
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(value) = owner.get(attribute.attribute) {
            ours.push(Condition::Compare(
                Path::attribute(OWNER[index]),
                Comparison::Eq,
                value.clone(),
            ));
        }
    }
    Condition::Or(vec![
        Condition::NotExists(Path::attribute(schema.hash_key.attribute)),
        Condition::And(ours),
    ])
}

fn guard_put<M: Model>(
    table: &str,
    owner: &Item,
    attribute: &str,
    value: &AttributeValue,
) -> Result<TransactWriteItem, Error> {
    let schema = M::SCHEMA;
    let mut item = guard_key::<M>(attribute, value)?;
    if let Some(entity) = schema.entities.first() {
        item.insert(
            entity.attribute.to_owned(),
            AttributeValue::S(GUARD_ENTITY.to_owned()),
        );
    }
    for (index, key) in [Some(schema.hash_key), schema.range_key]
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(value) = owner.get(key.attribute) {
            item.insert(OWNER[index].to_owned(), value.clone());
        }
    }
    let (condition, placeholders) = compiled(free_or_ours::<M>(owner))?;
    Ok(TransactWriteItem::Put(PutItemInput {
        table: table.to_owned(),
        item,
        condition,
        placeholders,
    }))
}

fn guard_delete<M: Model>(
    table: &str,
    owner: &Item,
    attribute: &str,
    value: &AttributeValue,
) -> Result<TransactWriteItem, Error> {
    let (condition, placeholders) = compiled(free_or_ours::<M>(owner))?;
    Ok(TransactWriteItem::Delete(DeleteItemInput {
        table: table.to_owned(),
        key: guard_key::<M>(attribute, value)?,
        condition,
        placeholders,
        return_old: false,
    }))
}

fn compiled(
    condition: Condition,
) -> Result<(Option<String>, crate::expression::ExpressionAttributes), Error> {
    let mut placeholders = Placeholders::default();
    let text = placeholders.condition(condition)?;
    Ok((text, placeholders.finish()))
}
