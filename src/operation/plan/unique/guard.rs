//! Guard items: the key each unique value takes, the owner it names, and
//! the conditions under which a write takes, keeps or drops it.

use super::GUARD_ENTITY;
use crate::attribute::{AttributeValue, Item};
use crate::engine::request::{DeleteItemInput, PutItemInput, TransactWriteItem};
use crate::error::Error;
use crate::expression::{Comparison, Condition, ExpressionAttributes, Path, Placeholders};
use crate::model::Model;

/// DynamoDB's limit on a sort key (a guard's key is its sort key too).
const MAX_GUARD_KEY_BYTES: usize = 1024;

/// The attributes of a guard item holding its owner's key.
pub(super) const OWNER: [&str; 2] = ["owner_pk", "owner_sk"];

/// A unique value as text in a guard's key: a string as it is, a number as
/// stored, bytes in hex.
pub(super) fn value_text(value: &AttributeValue) -> String {
    match value {
        AttributeValue::S(text) | AttributeValue::N(text) => text.clone(),
        AttributeValue::B(bytes) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
        other => other.preview(),
    }
}

/// A name inside a guard's key, with `\` and `#` escaped, so that no two
/// entity and attribute names make one key (`U` and `k#v` against `U#k` and
/// `v`). Names without either are written as they are: the keys guards
/// already stored under keep their meaning.
fn escaped(name: &str) -> String {
    let mut text = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '\\' | '#') {
            text.push('\\');
        }
        text.push(c);
    }
    text
}

/// The key of the guard item of `attribute`'s `value`: both key attributes
/// `UNIQUE#{entity}#{attribute}#{value}` (an entity's keys are strings),
/// entity and attribute escaped; the value, last, needs no escaping.
pub(super) fn guard_key<M: Model>(attribute: &str, value: &AttributeValue) -> Result<Item, Error> {
    let schema = M::SCHEMA;
    let entity = schema.entities.first().map_or(schema.model, |e| e.name);
    let text = format!(
        "{GUARD_ENTITY}#{}#{}#{}",
        escaped(entity),
        escaped(attribute),
        value_text(value)
    );
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

/// The owner a guard item names, as the owner item's key.
pub(super) fn owner_of<M: Model>(guard: &Item) -> Option<Item> {
    let schema = M::SCHEMA;
    let mut owner = Item::default();
    for (index, key) in [Some(schema.hash_key), schema.range_key]
        .into_iter()
        .flatten()
        .enumerate()
    {
        owner.insert(key.attribute.to_owned(), guard.get(OWNER[index])?.clone());
    }
    Some(owner)
}

/// The guard names this owner (`owner`: an item's key).
fn owned_by<M: Model>(owner: &Item) -> Condition {
    let schema = M::SCHEMA;
    let mut named = vec![];
    for (index, attribute) in [Some(schema.hash_key), schema.range_key]
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(value) = owner.get(attribute.attribute) {
            named.push(Condition::Compare(
                Path::attribute(OWNER[index]),
                Comparison::Eq,
                value.clone(),
            ));
        }
    }
    Condition::And(named)
}

/// The guard is free, or already this item's; with `stranded`, also when
/// it still names that former owner (which the same transaction proves no
/// longer holds the value).
fn free_or_ours<M: Model>(owner: &Item, stranded: Option<&Item>) -> Condition {
    let mut any = vec![
        Condition::NotExists(Path::attribute(M::SCHEMA.hash_key.attribute)),
        owned_by::<M>(owner),
    ];
    any.extend(stranded.map(owned_by::<M>));
    Condition::Or(any)
}

/// The guard item of `value`, taken (or kept) by `owner`; `stranded`: the
/// former owner it may be taken over from.
pub(super) fn put<M: Model>(
    table: &str,
    owner: &Item,
    attribute: &str,
    value: &AttributeValue,
    stranded: Option<&Item>,
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
    let (condition, placeholders) = compiled(free_or_ours::<M>(owner, stranded))?;
    Ok(TransactWriteItem::Put(PutItemInput {
        return_values_on_condition_check_failure: false,
        table: table.to_owned(),
        item,
        condition,
        placeholders,
    }))
}

/// Drops `owner`'s guard item of `value`.
pub(super) fn delete<M: Model>(
    table: &str,
    owner: &Item,
    attribute: &str,
    value: &AttributeValue,
) -> Result<TransactWriteItem, Error> {
    let (condition, placeholders) = compiled(free_or_ours::<M>(owner, None))?;
    Ok(TransactWriteItem::Delete(DeleteItemInput {
        return_values_on_condition_check_failure: false,
        table: table.to_owned(),
        key: guard_key::<M>(attribute, value)?,
        condition,
        placeholders,
        return_old: false,
    }))
}

/// How long after its time to live an item counts as expired here: clocks
/// differ, and DynamoDB deletes expired items some time after.
const EXPIRY_MARGIN_SECONDS: u64 = 300;
/// DynamoDB does not delete items whose time to live is more than five
/// years past (a 0 meaning "never", say): they never count as expired.
const EXPIRY_HORIZON_SECONDS: u64 = 5 * 365 * 24 * 3600;

/// The window of time-to-live values that count as expired at `now`.
fn expired_window(now: u64) -> (u64, u64) {
    (
        now.saturating_sub(EXPIRY_HORIZON_SECONDS),
        now.saturating_sub(EXPIRY_MARGIN_SECONDS),
    )
}

/// The item `owner` (its key) no longer holds `value` in `attribute`: it is
/// gone, holds another value, is another entity's item, or (on a model with
/// time to live) has expired, `now` in epoch seconds: its time to live at
/// least five minutes past, and not so far past that DynamoDB would never
/// delete it.
pub(super) fn no_longer_holds<M: Model>(
    attribute: &str,
    value: &AttributeValue,
    now: u64,
) -> Condition {
    let schema = M::SCHEMA;
    let path = || Path::attribute(attribute);
    let mut any = vec![
        Condition::NotExists(Path::attribute(schema.hash_key.attribute)),
        Condition::NotExists(path()),
        Condition::Compare(path(), Comparison::Ne, value.clone()),
    ];
    if let (Some(entity), Some(own)) = (
        schema.entities.first(),
        crate::model::entity::own_entity::<M>(),
    ) {
        any.push(Condition::And(vec![
            Condition::Exists(Path::attribute(entity.attribute)),
            Condition::Not(Box::new(own)),
        ]));
    }
    if let Some(ttl) = schema.ttl {
        let (from, before) = expired_window(now);
        any.push(Condition::And(vec![
            Condition::Compare(
                Path::attribute(ttl),
                Comparison::Ge,
                AttributeValue::N(from.to_string()),
            ),
            Condition::Compare(
                Path::attribute(ttl),
                Comparison::Lt,
                AttributeValue::N(before.to_string()),
            ),
        ]));
    }
    Condition::Or(any)
}

/// Whether `owner` (the stored item a guard names, if any) still holds
/// `value` in `attribute`, as [`no_longer_holds`] would find.
pub(super) fn holds<M: Model>(
    owner: Option<&Item>,
    attribute: &str,
    value: &AttributeValue,
    now: u64,
) -> bool {
    let Some(owner) = owner else {
        return false;
    };
    let (from, before) = expired_window(now);
    let expired = M::SCHEMA.ttl.is_some_and(|ttl| match owner.get(ttl) {
        Some(AttributeValue::N(at)) => at
            .parse::<f64>()
            .is_ok_and(|at| at >= from as f64 && at < before as f64),
        _ => false,
    });
    let other_entity = M::SCHEMA.entities.first().is_some_and(|entity| {
        owner.get(entity.attribute).is_some_and(|stored| {
            !M::SCHEMA
                .entities
                .iter()
                .any(|own| *stored == AttributeValue::S(own.name.to_owned()))
        })
    });
    owner.get(attribute) == Some(value) && !expired && !other_entity
}

/// Checks that the guard of `value` is not `owner`'s (the guard a write
/// would drop, found another's: it is left alone).
pub(super) fn not_ours<M: Model>(
    table: &str,
    owner: &Item,
    attribute: &str,
    value: &AttributeValue,
) -> Result<TransactWriteItem, Error> {
    let condition = Condition::Or(vec![
        Condition::NotExists(Path::attribute(M::SCHEMA.hash_key.attribute)),
        Condition::Not(Box::new(owned_by::<M>(owner))),
    ]);
    let (condition, placeholders) = compiled(condition)?;
    let key = guard_key::<M>(attribute, value)?;
    let mut check =
        crate::engine::request::ConditionCheckInput::new(table, key, condition.unwrap_or_default());
    check.placeholders = placeholders;
    Ok(TransactWriteItem::ConditionCheck(check))
}

pub(super) fn compiled(
    condition: Condition,
) -> Result<(Option<String>, ExpressionAttributes), Error> {
    let mut placeholders = Placeholders::default();
    let text = placeholders.condition(condition)?;
    Ok((text, placeholders.finish()))
}
