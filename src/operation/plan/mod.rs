//! The write plan: every write of one item (a save, a delete, a delete by
//! key, an update, a write in a native transaction, a step of an
//! application transaction or a backfill, which save) is compiled here from
//! the model, one stage per policy, and every entry point sends the plan it
//! chose. Batch writes, which carry no condition, are compiled here too
//! ([`batch`]): a policy that needs a condition is refused there or kept
//! otherwise, as its stage says.
//!
//! | stage | a save | a delete | an update | a batch write |
//! |---|---|---|---|---|
//! | stored format ([`stages::format`], [`whole`]) | the model's item, with the loaded item's undeclared attributes; a loaded object as an update that keeps what it did not load | the key | the caller's actions | the model's item |
//! | auto-increment ([`stages::counter`], [`auto_increment`]) | key 0 takes the counter's next value; the counter's key refused | refused | refused | refused |
//! | key templates ([`stages::format`], `composed`) | a loaded entity written under the key it was loaded from | the same | composed keys kept in step | (compile time: a collection's entities cannot meet) |
//! | conflict detection ([`stages::conflict`], [`conflict`]) | unchanged since loaded, or the key free | unchanged since loaded; gained attributes put back | the caller's condition | no document |
//! | version ([`stages::version`]) | the version loaded (or none), or the key free; the next version written | the version loaded | bumped; an expected version checked | the next version written, unconditionally |
//! | entity ([`stages::entity`]) | never over another entity's item | the same | the entity's name written, on its own item only | a guard item's key refused |
//! | unique ([`unique`]) | guard items in one transaction, stranded ones taken over | the same | the same, for a value set or removed | refused |
//!
//! What a failure means ([`WritePlan::kind`]) and how a lost answer is
//! settled ([`Settle`]) are part of the plan.

pub(crate) mod auto_increment;
pub(crate) mod batch;
mod composed;
pub(crate) mod conflict;
mod send;
pub(crate) mod stages;
pub(crate) mod unique;
mod update;
pub(crate) mod whole;

use std::marker::PhantomData;

use crate::attribute::Item;
use crate::engine::request::{DeleteItemInput, ReturnValues, TransactWriteItem};
use crate::error::{ConflictKind, Error};
use crate::expression::{Condition, UpdateAction};
use crate::model::{version, Document, Model};
use crate::operation::plan::unique::UniqueChanges;

pub(crate) use send::Sent;

/// Conflict detection, as the caller asked for it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detect {
    /// None: the write applies whatever is stored (within the model's own
    /// policies: versions, entities).
    No,
    /// The original's `raise_on_conflict`: a loaded object only if the
    /// stored item is unchanged since it was loaded, a new one only if its
    /// key is free.
    Changes,
    /// Only if the key is free.
    KeyFree,
}

/// What is written to the item.
pub(crate) enum Main {
    /// The whole object: put for a new one, an update that keeps what it did
    /// not load for a loaded one.
    Whole { item: Item },
    /// The item deleted; `return_old`: asked back, to find attributes
    /// gained since the load.
    Delete { return_old: bool },
    /// An update expression: the caller's actions and the policies'.
    Update {
        actions: Vec<UpdateAction>,
        return_values: ReturnValues,
        /// The top-level attributes the caller's actions (and the version
        /// bump) touch: what `UPDATED_*` return values show.
        touched: Vec<String>,
        /// The values it gives unique attributes, if any.
        unique: Option<UniqueChanges>,
    },
}

/// How a lost answer is settled.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Settle {
    /// Sent again: repeating the write leaves what it left.
    Resend,
    /// By reading the key with strong consistency (a conditional put or
    /// delete: the state it leaves, or the one it was made against).
    Read,
    /// Reported as [`Error::OutcomeUnknown`]:
    /// repeating it could apply it twice, and reading cannot tell.
    Report,
}

/// One write of one item of `M`, compiled from the model's policies.
pub(crate) struct WritePlan<'d, M: Model> {
    /// The table, with its prefix.
    pub(crate) table: String,
    /// The item's key.
    pub(crate) key: Item,
    pub(crate) main: Main,
    /// What the model's policies require of the stored item.
    pub(crate) conflict: Option<Condition>,
    /// The caller's own condition.
    pub(crate) caller: Option<Condition>,
    /// What a failure of the write's condition means.
    pub(crate) kind: ConflictKind,
    /// The item the document was loaded with, if it was.
    pub(crate) loaded: Option<&'d Item>,
    /// How a lost answer is settled.
    pub(crate) settle: Settle,
    /// Whether a refusal asks for the stored item (the engine can return
    /// it: [`Capabilities::item_on_condition_failure`](crate::engine::Capabilities::item_on_condition_failure)).
    pub(crate) ask_current: bool,
    _model: PhantomData<M>,
}

impl<'d, M: Model> WritePlan<'d, M> {
    /// A plan of `main` on the item with `key` of `M`'s table (the
    /// document's `loaded` item), under the caller's `condition`; the
    /// stages add the rest.
    fn new(
        conn: &crate::Connection,
        key: Item,
        main: Main,
        loaded: Option<&'d Item>,
        condition: Option<Condition>,
    ) -> Self {
        WritePlan {
            table: conn.table_name(M::SCHEMA.table),
            key,
            main,
            conflict: None,
            caller: condition,
            kind: ConflictKind::ConditionFailed,
            loaded,
            settle: Settle::Resend,
            ask_current: conn.engine().capabilities().item_on_condition_failure,
            _model: PhantomData,
        }
    }

    /// Saves `document` (its version already the next one, `version` the
    /// one before), with conflict detection `detect` and the caller's
    /// `condition`.
    pub(crate) fn save(
        conn: &crate::Connection,
        document: &'d Document<M>,
        detect: Detect,
        condition: Option<Condition>,
        version: Option<i128>,
    ) -> Result<Self, Error> {
        let item = stages::format::whole::<M>(document)?;
        stages::counter::refuse::<M>(&item)?;
        let key = document.own_key_item()?;
        let loaded = document.stored_item();
        let mut plan = WritePlan::new(conn, key, Main::Whole { item }, loaded, condition);
        stages::conflict::save(&mut plan, detect)?;
        if let Some(current) = version {
            let stored = match loaded {
                Some(item) => version::Stored::Loaded(item),
                None => version::Stored::New,
            };
            stages::version::require(&mut plan, current, stored);
        }
        stages::entity::guard(&mut plan);
        Ok(plan)
    }

    /// Deletes `document`'s item, with conflict detection `detect` and the
    /// caller's `condition`.
    pub(crate) fn delete(
        conn: &crate::Connection,
        document: &'d Document<M>,
        detect: Detect,
        condition: Option<Condition>,
    ) -> Result<Self, Error> {
        let key = document.own_key_item()?;
        stages::counter::refuse::<M>(&key)?;
        stages::format::same_key::<M>(document.stored_item(), &key)?;
        let loaded = document.stored_item();
        let return_old = detect == Detect::Changes && loaded.is_some();
        let mut plan = WritePlan::new(conn, key, Main::Delete { return_old }, loaded, condition);
        stages::conflict::delete(&mut plan, detect)?;
        if version::attribute::<M>().is_some() {
            stages::version::require_for_delete(&mut plan, version::current::<M>(document));
        }
        stages::entity::guard(&mut plan);
        Ok(plan)
    }

    /// Deletes the item with `key`, unconditionally but for the model's own
    /// policies; `condition`: the caller's.
    pub(crate) fn delete_key(
        conn: &crate::Connection,
        key: Item,
        condition: Option<Condition>,
    ) -> Result<Self, Error> {
        stages::counter::refuse::<M>(&key)?;
        let mut plan = WritePlan::new(
            conn,
            key,
            Main::Delete { return_old: false },
            None,
            condition,
        );
        stages::entity::guard(&mut plan);
        Ok(plan)
    }

    /// Writes the version after `model`'s into the item (a write that does
    /// not change the object: a native transaction's save).
    pub(crate) fn store_next_version(&mut self, model: &M) -> Result<(), Error> {
        if let Main::Whole { item } = &mut self.main {
            version::store_next::<M>(model, item)?;
        }
        Ok(())
    }

    /// The whole item a save writes (none for a delete or an update).
    pub(crate) fn whole_item(&self) -> Option<&Item> {
        match &self.main {
            Main::Whole { item } => Some(item),
            Main::Delete { .. } | Main::Update { .. } => None,
        }
    }

    /// Whether the model's unique attributes make this write a transaction
    /// with their guard items.
    pub(crate) fn guarded(&self) -> bool {
        !M::SCHEMA.unique.is_empty() && !matches!(self.main, Main::Update { unique: None, .. })
    }

    /// The write as one action of a native transaction, under its
    /// condition and `extra` (the unique stage's). Unique attributes'
    /// guards are the caller's to add.
    pub(crate) fn action(&self, extra: Option<Condition>) -> Result<TransactWriteItem, Error> {
        action_of::<M>(self, self.loaded, extra)
    }

    /// What the write gives unique attribute `attribute`.
    pub(crate) fn unique_change(
        &self,
        attribute: &str,
    ) -> crate::operation::plan::unique::UniqueChange {
        use crate::operation::plan::unique::UniqueChange;
        match &self.main {
            Main::Whole { item } => UniqueChange::To(item.get(attribute).cloned()),
            Main::Delete { .. } => UniqueChange::To(None),
            Main::Update { unique, .. } => {
                match unique.iter().flatten().find(|(a, _)| *a == attribute) {
                    Some((_, value)) => UniqueChange::To(value.clone()),
                    None => UniqueChange::Keep,
                }
            }
        }
    }

    /// The plan without its borrow of the document: kept in a native
    /// transaction until it is sent, when a model with unique attributes
    /// reads the stored item and adds its guards.
    pub(crate) fn into_owned(self) -> OwnedPlan<M> {
        OwnedPlan {
            loaded: self.loaded.cloned(),
            plan: WritePlan {
                loaded: None,
                ..self
            },
        }
    }
}

/// A [`WritePlan`] that owns the item it was loaded with.
pub(crate) struct OwnedPlan<M: Model> {
    plan: WritePlan<'static, M>,
    loaded: Option<Item>,
}

impl<M: Model> OwnedPlan<M> {
    /// The written item's key.
    pub(crate) fn key(&self) -> &Item {
        &self.plan.key
    }

    /// The table, with its prefix.
    pub(crate) fn table(&self) -> &str {
        &self.plan.table
    }

    /// As [`WritePlan::action`].
    pub(crate) fn action(&self, extra: Option<Condition>) -> Result<TransactWriteItem, Error> {
        action_of::<M>(&self.plan, self.loaded.as_ref(), extra)
    }

    /// What the write gives unique attribute `attribute`.
    pub(crate) fn unique_change(
        &self,
        attribute: &str,
    ) -> crate::operation::plan::unique::UniqueChange {
        self.plan.unique_change(attribute)
    }
}

fn action_of<M: Model>(
    plan: &WritePlan<'_, M>,
    loaded: Option<&Item>,
    extra: Option<Condition>,
) -> Result<TransactWriteItem, Error> {
    let condition = whole::both(
        whole::both(plan.conflict.clone(), plan.caller.clone()),
        extra,
    );
    let action = match &plan.main {
        Main::Whole { item } => {
            whole::WholeWrite::new::<M>(plan.table.clone(), item.clone(), loaded, condition)?
                .into_action()
        }
        Main::Update { .. } => {
            let mut input = update::input(plan, condition)?;
            input.return_values = ReturnValues::None;
            TransactWriteItem::Update(input)
        }
        Main::Delete { .. } => {
            let (condition, placeholders) = conflict::write_condition(condition, None)?;
            TransactWriteItem::Delete(DeleteItemInput {
                return_values_on_condition_check_failure: false, // asked below
                table: plan.table.clone(),
                key: plan.key.clone(),
                condition,
                placeholders,
                return_old: false,
            })
        }
    };
    Ok(action.asking_current(plan.ask_current))
}
