//! Native DynamoDB transactions: [`TransactWrite`] (TransactWriteItems) and
//! [`TransactGet`] (TransactGetItems), across models and tables.

use std::collections::HashSet;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::plan::WritePlan;
use super::{item_key, send, unknown_outcome, Delete, DeleteKey, RetryClass, Save, Update};
use crate::attribute::{Item, ItemKey};
use crate::engine::request::{
    ConditionCheckInput, ReturnValues, TransactGetInput, TransactWriteInput, TransactWriteItem,
    UpdateItemInput,
};
use crate::error::{ConflictError, ConflictKind, CurrentItem, EngineErrorKind, Error, WriteTarget};
use crate::expression::{Condition, Placeholders};
use crate::model::{Document, Model};
use crate::Connection;

/// DynamoDB's limit of actions per transaction.
pub const MAX_TRANSACTION_ACTIONS: usize = 100;

pub(super) struct Planned {
    pub(super) action: Pending,
    pub(super) model: &'static str,
    pub(super) table: String,
    /// The action's key, for errors.
    pub(super) key: ItemKey,
}

/// An action as planned: ready, or (a model with unique attributes)
/// completed when the transaction is sent.
pub(super) enum Pending {
    Ready(TransactWriteItem),
    Unique(Box<dyn super::plan::unique::transaction::UniqueAction>),
}

/// What a document learns once its transaction is done (it cannot fail:
/// the transaction is done by then).
type Committed<'d> = Box<dyn FnOnce() + Send + 'd>;

/// One action of a [`TransactWrite`], planned, and what its document learns
/// once the transaction is done.
pub(super) struct Action<'d> {
    planned: Planned,
    committed: Option<Committed<'d>>,
}

impl<'d> Action<'d> {
    /// Once the transaction is done, `committed` runs (a borrowed
    /// document takes the state the transaction stored).
    pub(super) fn committed(mut self, committed: impl FnOnce() + Send + 'd) -> Self {
        self.committed = Some(Box::new(committed));
        self
    }
}

/// A pending TransactWriteItems: all its actions happen, or none. `.await` it.
/// Built by [`Connection::transact_write`]; its actions are the single
/// writes' builders, with their modifiers:
///
/// ```
/// # use dynamodb_mapper::{Connection, Document, Model};
/// # #[derive(Model, Debug, Clone, Default)]
/// # #[dynamodb(table = "wallets", hash_key = "owner")]
/// # struct Wallet { owner: String, coins: i64 }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> dynamodb_mapper::Result<()> {
/// # let conn = Connection::embedded()?;
/// # conn.create_table::<Wallet>().await?;
/// # conn.save(Document::new(Wallet { owner: "cy".into(), coins: 0 })).await?;
/// let w = Wallet::fields();
/// let mut ann = Document::new(Wallet { owner: "ann".into(), coins: 30 });
/// conn.transact_write()
///     .save(conn.save(&mut ann).raise_on_conflict())
///     .update(conn.update::<Wallet>("bob".into()).add(w.coins, 10))
///     .delete_key(conn.delete_key::<Wallet>("cy".into()).condition(w.coins.eq(0)))
///     .await?;
/// assert!(ann.is_loaded(), "the document holds what the transaction wrote");
/// # Ok(()) }
/// ```
///
/// Version attributes are checked and bumped inside the transaction as in
/// single writes. Each builder names its table through the connection it
/// was built by (its table prefix); the transaction is sent through its
/// own. The writes of a model with unique attributes bring their
/// guard items into the transaction (the stored item is read when the
/// transaction is sent; a value another item holds is a
/// [`ConflictKind::Unique`] conflict, nothing written). More than
/// 100 actions (guards included), or two on one item, are refused before
/// sending; a cancellation is [`Error::TransactionCanceled`] with the reason
/// of each refused action.
#[must_use = "a transaction does nothing until awaited"]
pub struct TransactWrite<'d> {
    conn: Connection,
    actions: Vec<Planned>,
    committed: Vec<Committed<'d>>,
    token: Option<String>,
    error: Option<Error>,
}

impl Connection {
    /// A native transaction of writes (TransactWriteItems), across models
    /// and tables: [`save`](TransactWrite::save),
    /// [`delete`](TransactWrite::delete),
    /// [`delete_key`](TransactWrite::delete_key),
    /// [`update`](TransactWrite::update) and
    /// [`condition_check`](TransactWrite::condition_check).
    pub fn transact_write<'d>(&self) -> TransactWrite<'d> {
        TransactWrite {
            conn: self.clone(),
            actions: Vec::new(),
            committed: Vec::new(),
            token: None,
            error: None,
        }
    }

    /// A native transaction of reads (TransactGetItems), across models and tables.
    pub fn transact_get(&self) -> TransactGet {
        TransactGet {
            conn: self.clone(),
            gets: Vec::new(),
            error: None,
        }
    }
}

impl<'d> TransactWrite<'d> {
    fn push(mut self, action: Result<Action<'d>, Error>) -> Self {
        if self.error.is_some() {
            return self;
        }
        match action {
            Ok(action) => {
                self.actions.push(action.planned);
                self.committed.extend(action.committed);
            }
            Err(error) => self.error = Some(error),
        }
        self
    }

    /// Saves a document, as [`Connection::save`] with its modifiers
    /// (`.raise_on_conflict()`, `.condition(..)`). A borrowed document
    /// holds the next version and the item written once the transaction
    /// is done.
    pub fn save<M: Model>(self, save: Save<'d, M>) -> Self {
        self.push(save.into_action())
    }

    /// Deletes a document, as [`Connection::delete`] with its modifiers.
    pub fn delete<M: Model>(self, delete: Delete<'d, M>) -> Self {
        self.push(delete.into_action())
    }

    /// Deletes the item with a key, as [`Connection::delete_key`] with its
    /// modifiers.
    pub fn delete_key<M: Model>(self, delete: DeleteKey<M>) -> Self {
        self.push(delete.into_action())
    }

    /// Applies an update built with [`Connection::update`] (return values
    /// and exactly once are single writes' modifiers: a transaction returns
    /// nothing and is sent with an idempotency token); one that sets or
    /// removes a unique attribute brings its guard items into the
    /// transaction.
    pub fn update<M: Model>(self, update: Update<M>) -> Self {
        self.push(update.into_plan(ReturnValues::None).and_then(pending))
    }

    /// Requires `condition` to hold on the item with this key, without writing it.
    pub fn condition_check<M: Model>(self, key: M::Key, condition: Condition) -> Self {
        let table = self.conn.table_name(M::SCHEMA.table);
        self.push(check::<M>(table, &key, condition))
    }

    /// The idempotency token (1 to 36 characters): the same transaction sent
    /// again with it within ten minutes is done once. A transaction with an
    /// action of a model with unique attributes reads their items when it
    /// is sent, so a second sending of yours may differ from the first (and
    /// DynamoDB then refuses its token): after `Error::OutcomeUnknown`,
    /// read the items instead. Without one, a random
    /// token is generated, so the mapper can send the transaction again
    /// after a lost answer; give your own to make a retry of your own (after
    /// [`Error::OutcomeUnknown`]) safe too.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// How many actions the transaction has.
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Whether the transaction has no action.
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    async fn run(self) -> Result<(), Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        self.validate()?;
        super::plan::unique::transaction::send(&self.conn, self.actions, self.token).await?;
        for committed in self.committed {
            committed();
        }
        Ok(())
    }

    /// Refuses, before sending, what DynamoDB would refuse.
    fn validate(&self) -> Result<(), Error> {
        need_native_transactions(&self.conn, "TransactWrite", APP_TRANSACTION)?;
        let invalid = |reason: String| Error::InvalidRequest {
            model: "TransactWrite",
            reason,
        };
        if self.actions.is_empty() {
            return Err(invalid("a transaction needs at least one action".into()));
        }
        if self.actions.len() > MAX_TRANSACTION_ACTIONS {
            return Err(invalid(format!(
                "{} actions, over DynamoDB's limit of {MAX_TRANSACTION_ACTIONS}",
                self.actions.len()
            )));
        }
        let mut items = HashSet::with_capacity(self.actions.len());
        for planned in &self.actions {
            if !items.insert((planned.table.as_str(), planned.key.to_string())) {
                return Err(invalid(format!(
                    "two actions on one item of {} ({}): DynamoDB refuses them",
                    planned.model, planned.key
                )));
            }
        }
        Ok(())
    }
}

/// A plan as a transaction's action: ready, or for a model with unique
/// attributes, completed when the transaction is sent.
pub(super) fn pending<M: Model>(plan: WritePlan<'_, M>) -> Result<Action<'static>, Error> {
    let (key, table) = (item_key::<M>(&plan.key), plan.table.clone());
    let action = if plan.guarded() {
        Pending::Unique(Box::new(plan.into_owned()))
    } else {
        Pending::Ready(plan.action(None)?)
    };
    let planned = Planned {
        action,
        model: M::SCHEMA.model,
        table,
        key,
    };
    Ok(Action {
        planned,
        committed: None,
    })
}

/// A condition check on the item with `key` of `table`.
fn check<M: Model>(
    table: String,
    key: &M::Key,
    condition: Condition,
) -> Result<Action<'static>, Error> {
    let key = M::key_item(key)?;
    let mut placeholders = Placeholders::default();
    let condition = placeholders
        .condition(condition)?
        .ok_or_else(|| Error::InvalidRequest {
            model: M::SCHEMA.model,
            reason: "a condition check needs a condition".into(),
        })?;
    let planned = Planned {
        model: M::SCHEMA.model,
        key: item_key::<M>(&key),
        action: Pending::Ready(TransactWriteItem::ConditionCheck(ConditionCheckInput {
            table: table.clone(),
            key,
            condition,
            placeholders: placeholders.finish(),
            return_values_on_condition_check_failure: false, // asked when sent
        })),
        table,
    };
    Ok(Action {
        planned,
        committed: None,
    })
}

/// What works without native transactions, for most writes.
pub(crate) const APP_TRANSACTION: &str = "the application-level Transaction (transactions::Transaction) needs only single-item conditional writes";

/// Refuses, before anything is sent, on an engine without native
/// transactions (ScyllaDB Alternator).
pub(crate) fn need_native_transactions(
    conn: &Connection,
    model: &'static str,
    alternative: impl Into<String>,
) -> Result<(), Error> {
    let capabilities = conn.engine().capabilities();
    if capabilities.native_transactions {
        return Ok(());
    }
    Err(Error::Unsupported {
        model,
        needs: "native transactions (TransactWriteItems, TransactGetItems)",
        engine: engine_label(conn),
        alternative: alternative.into(),
    })
}

/// The engine and its profile, as `Error::Unsupported` names them:
/// `aws (ScyllaDB Alternator)`.
pub(crate) fn engine_label(conn: &Connection) -> String {
    let engine = conn.engine();
    format!("{} ({})", engine.name(), engine.capabilities().profile)
}

/// A fresh idempotency token: 32 random hexadecimal digits.
pub(super) fn new_token() -> String {
    format!("{:032x}", fastrand::u128(..))
}

/// Sends one update as a one-action transaction with a fresh idempotency
/// token, again after a lost answer; a failed condition is a conflict of `kind`.
pub(crate) async fn send_once<M: Model>(
    conn: &Connection,
    update: UpdateItemInput,
    kind: ConflictKind,
    key: &Item,
) -> Result<(), Error> {
    need_native_transactions(
        conn,
        M::SCHEMA.model,
        "send the update without exactly_once(): a lost answer then fails with Error::OutcomeUnknown instead of being sent again",
    )?;
    let table = update.table.clone();
    let asked = update.return_values_on_condition_check_failure;
    let input = TransactWriteInput {
        actions: vec![TransactWriteItem::Update(update)],
        token: Some(new_token()),
    };
    let result = send(conn, &table, RetryClass::Safe, &input).await;
    match result {
        Ok(_) => Ok(()),
        Err(Error::Engine { table, source, .. })
            if source.kind == EngineErrorKind::TransactionCanceled
                && source
                    .reasons
                    .iter()
                    .any(|r| r.code == "ConditionalCheckFailed") =>
        {
            let current = match source.reasons.first() {
                Some(reason) if asked => {
                    CurrentItem::returned(reason.item.clone().map(|item| *item))
                }
                _ => CurrentItem::NotReturned,
            };
            Err(Error::Conflict(
                ConflictError::new(kind, M::SCHEMA.model, table, item_key::<M>(key))
                    .with_current(current),
            ))
        }
        Err(other) => Err(unknown_outcome(other, || {
            WriteTarget::item(M::SCHEMA.model, item_key::<M>(key))
        })),
    }
}

impl<'d> IntoFuture for TransactWrite<'d> {
    type Output = Result<(), Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'd>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// A pending TransactGetItems: a consistent snapshot of up to 100 items across
/// models and tables. `.await` it. Built by [`Connection::transact_get`].
#[must_use = "a transaction does nothing until awaited"]
pub struct TransactGet {
    conn: Connection,
    gets: Vec<(&'static str, String, Item)>,
    error: Option<Error>,
}

impl TransactGet {
    /// Gets the item with this key; its position is the order of the calls.
    pub fn get<M: Model>(mut self, key: M::Key) -> Self {
        match M::key_item(&key) {
            Ok(key) => {
                self.gets
                    .push((M::SCHEMA.model, self.conn.table_name(M::SCHEMA.table), key))
            }
            Err(error) => {
                self.error.get_or_insert(error.into());
            }
        }
        self
    }

    async fn run(self) -> Result<TransactItems, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        need_native_transactions(
            &self.conn,
            "TransactGet",
            "read the items one by one (consistent reads), or with an application-level Transaction",
        )?;
        if self.gets.is_empty() || self.gets.len() > MAX_TRANSACTION_ACTIONS {
            return Err(Error::InvalidRequest {
                model: "TransactGet",
                reason: format!(
                    "{} gets: a transaction has 1 to {MAX_TRANSACTION_ACTIONS}",
                    self.gets.len()
                ),
            });
        }
        let models = self.gets.iter().map(|g| g.0).collect();
        let table = self.gets[0].1.clone();
        let input = TransactGetInput {
            gets: self
                .gets
                .into_iter()
                .map(|(_, table, key)| (table, key))
                .collect(),
        };
        let conn = &self.conn;
        let output = send(conn, &table, RetryClass::Read, &input).await?;
        Ok(TransactItems {
            models,
            items: output.items,
        })
    }
}

impl IntoFuture for TransactGet {
    type Output = Result<TransactItems, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.run())
    }
}

/// The items of a [`TransactGet`], by position.
#[derive(Debug, Clone)]
pub struct TransactItems {
    models: Vec<&'static str>,
    items: Vec<Option<crate::attribute::StoredItem>>,
}

impl TransactItems {
    /// The document at `index` (the order of the gets), or `None` if no item
    /// has that key. Asking for another model than was got there is an error.
    pub fn get<M: Model>(&self, index: usize) -> Result<Option<Document<M>>, Error> {
        match self.models.get(index) {
            Some(model) if *model == M::SCHEMA.model => {}
            other => {
                return Err(Error::InvalidRequest {
                    model: M::SCHEMA.model,
                    reason: format!(
                        "get {index} of the transaction is {other:?}, not {}",
                        M::SCHEMA.model
                    ),
                })
            }
        }
        self.items
            .get(index)
            .cloned()
            .flatten()
            .map(Document::<M>::from_stored)
            .transpose()
    }

    /// How many gets there were.
    pub fn len(&self) -> usize {
        self.models.len()
    }

    /// Whether there were no gets.
    pub fn is_empty(&self) -> bool {
        self.models.is_empty()
    }
}
