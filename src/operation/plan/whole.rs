//! How a whole object is written: a put for an object never loaded (or
//! moved to another key); for a loaded one, an update that sets every
//! attribute the model declares as the object holds it, sets the undeclared
//! ones it carries only where they differ from the loaded item, and removes
//! those it lacks. Attributes another program added since the load are in
//! neither list, so they are kept: a save never drops what it did not load.
//! An object so wide that the update expression would pass DynamoDB's 4 KB
//! is put whole.

use crate::attribute::Item;
use crate::engine::request::{
    Call, Input, PutItemInput, Response, ReturnValues, TransactWriteItem, UpdateItemInput,
};
use crate::error::Error;
use crate::expression::{Condition, Path, Placeholders, SetValue, UpdateAction};
use crate::model::Model;

/// DynamoDB's limit on an expression's length.
const MAX_UPDATE_EXPRESSION_BYTES: usize = 4096;

/// An attribute name no item holds, removed by an update that has nothing
/// else to do.
const NOTHING: &str = "__dynamodb_mapper_nothing__";

/// The request that writes a whole object.
pub(crate) enum WholeWrite {
    /// An object never loaded: the item replaces whatever the key holds.
    Put(PutItemInput),
    /// A loaded object: its attributes set, the loaded ones it dropped
    /// removed, the others left as stored; and the item it writes.
    Update(UpdateItemInput, Item),
}

impl WholeWrite {
    /// Writes `item` (the object's attributes and the undeclared ones it
    /// carries over) to `table` under `condition`; `loaded` is the item the
    /// object was loaded with, if it was.
    pub(crate) fn new<M: Model>(
        table: String,
        item: Item,
        loaded: Option<&Item>,
        condition: Option<Condition>,
    ) -> Result<Self, Error> {
        let put = |item: Item, condition: Option<Condition>| -> Result<Self, Error> {
            let mut placeholders = Placeholders::default();
            let condition = match condition {
                Some(condition) => placeholders.condition(condition)?,
                None => None,
            };
            Ok(WholeWrite::Put(PutItemInput {
                return_values_on_condition_check_failure: false,
                table: table.clone(),
                item,
                condition,
                placeholders: placeholders.finish(),
            }))
        };
        // A new object, or one moved to another key (that is another item),
        // is put whole.
        let Some(loaded) = loaded.filter(|loaded| key_of::<M>(loaded) == key_of::<M>(&item)) else {
            return put(item, condition);
        };
        let mut placeholders = Placeholders::default();
        let compiled = match condition.clone() {
            Some(condition) => placeholders.condition(condition)?,
            None => None,
        };
        let mut actions = overwrite::<M>(loaded, &item);
        if actions.is_empty() {
            // Nothing to set or remove (a model of its key alone): an update
            // needs an action, and removing an attribute no item holds
            // changes nothing (DynamoDB would take an update without one;
            // other engines do not).
            actions.push(UpdateAction::Remove(Path::attribute(NOTHING)));
        }
        let update = placeholders.update(actions).unwrap_or_default();
        if update.len() > MAX_UPDATE_EXPRESSION_BYTES {
            // DynamoDB refuses longer expressions: so wide an object is put
            // whole, replacing what the stored item holds beyond it.
            return put(item, condition);
        }
        let input = UpdateItemInput {
            return_values_on_condition_check_failure: false,
            table,
            key: key_of::<M>(&item),
            update,
            condition: compiled,
            placeholders: placeholders.finish(),
            return_values: ReturnValues::AllNew,
        };
        Ok(WholeWrite::Update(input, item))
    }

    /// The call that writes it.
    pub(crate) fn call(&self) -> Call<'_> {
        match self {
            WholeWrite::Put(put) => put.call(),
            WholeWrite::Update(update, _) => update.call(),
        }
    }

    /// The item the object is written as (without what an update keeps).
    pub(crate) fn item(&self) -> &Item {
        match self {
            WholeWrite::Put(put) => &put.item,
            WholeWrite::Update(_, item) => item,
        }
    }

    /// The item the object is written as, given back after the write.
    pub(crate) fn into_item(self) -> Item {
        match self {
            WholeWrite::Put(put) => put.item,
            WholeWrite::Update(_, item) => item,
        }
    }

    /// Asks (where `ask`, and the write has a condition) that a refusal
    /// return the stored item.
    pub(crate) fn ask_current(&mut self, ask: bool) {
        match self {
            WholeWrite::Put(put) => {
                put.return_values_on_condition_check_failure = ask && put.condition.is_some();
            }
            WholeWrite::Update(update, _) => {
                update.return_values_on_condition_check_failure = ask && update.condition.is_some();
            }
        }
    }

    /// The same write as an action of a native transaction.
    pub(crate) fn into_action(self) -> TransactWriteItem {
        match self {
            WholeWrite::Put(put) => TransactWriteItem::Put(put),
            WholeWrite::Update(mut update, _) => {
                update.return_values = ReturnValues::None;
                TransactWriteItem::Update(update)
            }
        }
    }
}

/// The whole item as stored after a [`WholeWrite`], when its answer holds
/// it (an update returns it, with the attributes it kept).
pub(crate) fn stored(response: Response) -> Option<Item> {
    match response {
        Response::UpdateItem(output) => output.attributes.map(|item| item.into_item()),
        _ => None,
    }
}

/// The update that turns the loaded item into `item` and leaves what the
/// writer did not load: every attribute the model declares set as the
/// object holds it; an undeclared attribute carried over set only if it
/// differs from the loaded one (unchanged, it is left as stored, so a
/// change another program made to it since stays); every attribute the
/// model declares, or `loaded` held, that `item` lacks removed.
fn overwrite<M: Model>(loaded: &Item, item: &Item) -> Vec<UpdateAction> {
    let schema = M::SCHEMA;
    let is_key = |name: &str| {
        name == schema.hash_key.attribute || schema.range_key.is_some_and(|r| r.attribute == name)
    };
    let mut actions: Vec<UpdateAction> = item
        .iter()
        .filter(|(name, value)| {
            !is_key(name) && (schema.declares(name) || loaded.get(*name) != Some(value))
        })
        .map(|(name, value)| {
            UpdateAction::Set(
                Path::attribute(name.as_str()),
                SetValue::Value(value.clone()),
            )
        })
        .collect();
    let declared = schema.attributes.iter().copied();
    let dropped = loaded
        .keys()
        .map(String::as_str)
        .filter(|name| !schema.declares(name));
    actions.extend(
        declared
            .chain(dropped)
            .filter(|name| !is_key(name) && !item.contains_key(*name))
            .map(|name| UpdateAction::Remove(Path::attribute(name))),
    );
    actions
}

/// The item stored after the update [`overwrite`] makes of `loaded` into
/// `item` is applied to `current` (the item as read just before, in a
/// transaction, which answers nothing): what the update kept of `current`,
/// with `item`'s attributes.
pub(crate) fn stored_after<M: Model>(current: Option<Item>, loaded: &Item, item: &Item) -> Item {
    if key_of::<M>(loaded) != key_of::<M>(item) {
        return item.clone();
    }
    let schema = M::SCHEMA;
    let mut after = current.unwrap_or_default();
    after.retain(|name, _| {
        item.contains_key(name) || !(schema.declares(name) || loaded.contains_key(name))
    });
    after.extend(
        item.iter()
            .map(|(name, value)| (name.clone(), value.clone())),
    );
    after
}

/// Both conditions, when there are two.
pub(crate) fn both(a: Option<Condition>, b: Option<Condition>) -> Option<Condition> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.and(b)),
        (a, b) => a.or(b),
    }
}

/// The primary key attributes of `item`.
fn key_of<M: Model>(item: &Item) -> Item {
    let schema = M::SCHEMA;
    [Some(schema.hash_key), schema.range_key]
        .into_iter()
        .flatten()
        .filter_map(|key| {
            item.get(key.attribute)
                .map(|value| (key.attribute.to_owned(), value.clone()))
        })
        .collect()
}
