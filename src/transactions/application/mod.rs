//! Application-level transactions: [`Transaction`], its steps, setup and
//! record; presented in [`crate::transactions`].

mod error;

pub use error::{StepIndex, TransactionError};

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use chrono::{DateTime, Utc};

use crate::operation::need_native_transactions;

use crate::attribute::{Attribute, AttributeValue, ValueError};
use crate::error::{ConflictError, ConflictKind, Error, Unfinished};
use crate::model::{Document, Model};
use crate::{Connection, Model as DeriveModel};

/// How often a step is tried, starting over after each conflict, before it
/// fails with [`Error::RetriesExhausted`] (its last conflict as the source):
/// the original's `MAX_RETRIES`, the default of [`Transaction::max_retries`].
pub const MAX_RETRIES: u32 = 100;

/// What a setup or setter may fail with: any error, reported as
/// [`TransactionError::StepFailed`] with it as the source (to downcast to
/// your type).
pub type StepError = Box<dyn std::error::Error + Send + Sync>;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Where a transaction is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TransactionStatus {
    /// Nothing written yet.
    #[default]
    Pending,
    /// At least one target was written.
    Running,
    /// Every step and sub-transaction succeeded.
    Done,
}

impl TransactionStatus {
    /// The stored text, as the original stores it.
    pub fn as_str(self) -> &'static str {
        match self {
            TransactionStatus::Pending => "pending",
            TransactionStatus::Running => "running",
            TransactionStatus::Done => "done",
        }
    }
}

impl Attribute for TransactionStatus {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        Ok(AttributeValue::S(self.as_str().to_owned()))
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        match value {
            AttributeValue::S(text) if text == "pending" => Ok(TransactionStatus::Pending),
            AttributeValue::S(text) if text == "running" => Ok(TransactionStatus::Running),
            AttributeValue::S(text) if text == "done" => Ok(TransactionStatus::Done),
            AttributeValue::S(text) => Err(ValueError::invalid(
                text,
                "not a transaction status (pending, running, done)",
            )),
            AttributeValue::Null => Ok(TransactionStatus::Pending),
            other => Err(ValueError::type_mismatch("S", &other)),
        }
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(TransactionStatus::Pending)
    }
}

/// A model that records transactions: the original's `Transaction` model
/// (hash key `requester_id`, range key `datetime`, a `status`). Implement it
/// for your own record model to store more, or use [`TransactionLog`].
pub trait TransactionRecord: Model {
    /// The recorded status.
    fn status(&self) -> TransactionStatus;
    /// Records a status.
    fn set_status(&mut self, status: TransactionStatus);
    /// Records when the transaction was saved (the range key).
    fn set_datetime(&mut self, at: DateTime<Utc>);
}

/// A ready-made transaction record, in table `transactions`.
#[derive(DeriveModel, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "transactions",
    hash_key = "requester_id",
    range_key = "datetime"
)]
pub struct TransactionLog {
    /// Who ran the transaction.
    pub requester_id: i64,
    /// When its record was saved.
    pub datetime: DateTime<Utc>,
    /// Where it got.
    pub status: TransactionStatus,
}

impl TransactionLog {
    /// A record for a transaction run by `requester_id`.
    pub fn new(requester_id: i64) -> Self {
        TransactionLog {
            requester_id,
            ..Default::default()
        }
    }
}

impl TransactionRecord for TransactionLog {
    fn status(&self) -> TransactionStatus {
        self.status
    }
    fn set_status(&mut self, status: TransactionStatus) {
        self.status = status;
    }
    fn set_datetime(&mut self, at: DateTime<Utc>) {
        self.datetime = at;
    }
}

/// One step: get a fresh target, change it, save it with conflict detection.
trait Step: Send {
    fn apply<'a>(
        &'a mut self,
        conn: &'a Connection,
        index: usize,
        retry: Retry,
    ) -> BoxFuture<'a, Result<(), TransactionError>>;

    /// The model saved, when its saves need native transactions (unique
    /// attributes' guards).
    fn needs_native_transactions(&self) -> Option<&'static str>;
}

/// How a step retries after a conflict.
#[derive(Clone, Copy)]
struct Retry {
    /// Tries in all.
    attempts: u32,
    /// Each try calls the step's `get`, even when the conflict returned the
    /// stored item ([`Transaction::retry_from_get`]).
    from_get: bool,
}

/// A step from its get and change (see [`Transaction::step`]).
fn boxed_step<T, G, F, S>(get: G, change: S) -> Box<dyn Step>
where
    T: Model,
    G: FnMut(&Connection) -> F + Send + 'static,
    F: IntoFuture<Output = Result<Option<Document<T>>, Error>> + 'static,
    F::IntoFuture: Send,
    S: FnMut(&mut T) -> Result<(), StepError> + Send + 'static,
{
    Box::new(GetChangeSave {
        get,
        change,
        target: PhantomData,
    })
}

struct GetChangeSave<T, G, S> {
    get: G,
    change: S,
    target: PhantomData<fn() -> T>,
}

impl<T, G, F, S> Step for GetChangeSave<T, G, S>
where
    T: Model,
    G: FnMut(&Connection) -> F + Send,
    F: IntoFuture<Output = Result<Option<Document<T>>, Error>>,
    F::IntoFuture: Send,
    S: FnMut(&mut T) -> Result<(), StepError> + Send,
{
    fn needs_native_transactions(&self) -> Option<&'static str> {
        (!T::SCHEMA.unique.is_empty()).then_some(T::SCHEMA.model)
    }

    fn apply<'a>(
        &'a mut self,
        conn: &'a Connection,
        index: usize,
        retry: Retry,
    ) -> BoxFuture<'a, Result<(), TransactionError>> {
        let attempts = retry.attempts;
        Box::pin(async move {
            let mut last = None;
            // The stored item a conflict returned: the next attempt's
            // target, without calling `get` again.
            let mut returned: Option<Document<T>> = None;
            for attempt in 0..attempts {
                if attempt > 0 {
                    tokio::time::sleep(conn.retry_policy().backoff(attempt)).await;
                }
                let mut target = match returned.take() {
                    Some(target) => target,
                    None => (self.get)(conn)
                        .await?
                        .ok_or(TransactionError::TargetNotFound {
                            model: T::SCHEMA.model,
                            step: index,
                        })?,
                };
                // The key the target was read under: a conflict elsewhere (a
                // change that moved it) returns another item.
                let read_under = target.stored_item().map(crate::model::item_key::<T>);
                (self.change)(&mut target).map_err(|source| TransactionError::StepFailed {
                    step: StepIndex::Step(index),
                    source,
                })?;
                match conn.save(&mut target).raise_on_conflict().await {
                    Err(Error::Conflict(conflict)) => {
                        if !retry.from_get && read_under.as_ref() == Some(&conflict.key) {
                            returned = fresh_target(&conflict);
                        }
                        last = Some(conflict);
                    }
                    other => return Ok(other?),
                }
            }
            Err(TransactionError::Mapper(Error::RetriesExhausted {
                operation: "transaction step",
                model: T::SCHEMA.model,
                table: conn.table_name(T::SCHEMA.table),
                attempts,
                unfinished: Box::new(Unfinished::Conflicts { last }),
            }))
        })
    }
}

/// The target a conflict returned, when it is what `get` would read: the
/// item that changed under a loaded target (the caller checks it is the
/// target's own key). Anything else (an item that
/// does not decode, gone, or a new target's key taken) is left to `get`,
/// which may create, skip or report it.
fn fresh_target<T: Model>(conflict: &ConflictError) -> Option<Document<T>> {
    if conflict.kind != ConflictKind::Changed {
        return None;
    }
    conflict.current_as::<T>()?.ok()
}

/// Anything that commits on a connection: a [`Transaction`] as a sub-transaction.
pub trait Commit: Send {
    /// Runs the transaction.
    fn commit<'a>(
        &'a mut self,
        conn: &'a Connection,
    ) -> Pin<Box<dyn Future<Output = Result<(), TransactionError>> + Send + 'a>>;

    /// A model it saves whose saves need native transactions (unique
    /// attributes), if any: checked before anything is written, so that an
    /// engine without them refuses the whole transaction up front.
    fn needs_native_transactions(&self) -> Option<&'static str> {
        None
    }
}

/// What a setup returns: a boxed future, `Box::pin(async move { .. })`.
pub type SetupFuture<'a> = BoxFuture<'a, Result<(), StepError>>;

type Setup<R> = Box<dyn for<'a, 'c> FnOnce(&'a mut SetupContext<'c, R>) -> SetupFuture<'a> + Send>;

/// What a transaction's setup works with at commit time (the original's
/// `_setup()`): the connection to read with, the record, and the steps and
/// sub-transactions to add.
pub struct SetupContext<'c, R: TransactionRecord> {
    conn: &'c Connection,
    record: &'c mut R,
    steps: &'c mut Vec<Box<dyn Step>>,
    subtransactions: &'c mut Vec<Box<dyn Commit>>,
}

impl<R: TransactionRecord> SetupContext<'_, R> {
    /// The connection the transaction commits on.
    pub fn connection(&self) -> &Connection {
        self.conn
    }

    /// The transaction's record.
    pub fn record(&self) -> &R {
        self.record
    }

    /// The transaction's record, to change before it is saved.
    pub fn record_mut(&mut self) -> &mut R {
        self.record
    }

    /// Adds a step, run after those added before the commit (see
    /// [`Transaction::step`]).
    pub fn step<T, G, F, S>(&mut self, get: G, change: S) -> &mut Self
    where
        T: Model,
        G: FnMut(&Connection) -> F + Send + 'static,
        F: IntoFuture<Output = Result<Option<Document<T>>, Error>> + 'static,
        F::IntoFuture: Send,
        S: FnMut(&mut T) -> Result<(), StepError> + Send + 'static,
    {
        self.steps.push(boxed_step(get, change));
        self
    }

    /// Adds a transaction committed after every step (see
    /// [`Transaction::subtransaction`]).
    pub fn subtransaction(&mut self, transaction: impl Commit + 'static) -> &mut Self {
        self.subtransactions.push(Box::new(transaction));
        self
    }
}

/// An application-level transaction recorded as `R` (see [`transactions`](crate::transactions)).
#[must_use = "a transaction does nothing until committed"]
pub struct Transaction<R: TransactionRecord> {
    record: Document<R>,
    setup: Option<Setup<R>>,
    steps: Vec<Box<dyn Step>>,
    subtransactions: Vec<Box<dyn Commit>>,
    transient: bool,
    max_retries: u32,
    retry_from_get: bool,
}

impl<R: TransactionRecord> Transaction<R> {
    /// A pending transaction recorded as `record`.
    pub fn new(mut record: R) -> Self {
        record.set_status(TransactionStatus::Pending);
        Transaction {
            record: Document::new(record),
            setup: None,
            steps: Vec::new(),
            subtransactions: Vec::new(),
            transient: false,
            max_retries: MAX_RETRIES,
            retry_from_get: false,
        }
    }

    /// Runs once at the start of `commit`, before any step, as the
    /// original's `_setup()`: it may read through the connection, change
    /// the record, and add steps (run after those added before) and
    /// sub-transactions. Its error stops the commit as
    /// [`TransactionError::StepFailed`] at [`StepIndex::Setup`], before anything is
    /// written, and drops the steps and sub-transactions it added (a later
    /// commit runs without them, and without the setup, which runs once);
    /// the crate's own [`Error`] converts with `?`.
    ///
    /// ```
    /// use dynamodb_mapper::transactions::{Transaction, TransactionLog};
    /// use dynamodb_mapper::{Connection, Document, Model};
    ///
    /// #[derive(Model, Debug, Clone, Default)]
    /// #[dynamodb(table = "accounts", hash_key = "id")]
    /// struct Account { id: String, balance: i64, owner: i64 }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dynamodb_mapper::Result<()> {
    /// let conn = Connection::embedded()?;
    /// conn.create_table::<Account>().await?;
    /// conn.create_table::<TransactionLog>().await?;
    /// conn.save(Document::new(Account { id: "ann".into(), balance: 100, owner: 7 })).await?;
    ///
    /// let mut bonus = Transaction::new(TransactionLog::default());
    /// bonus.setup(|ctx| Box::pin(async move {
    ///     // Read at commit time: the record's requester is the account's owner.
    ///     let account = ctx.connection().get::<Account>("ann".into()).await?.ok_or("no account")?;
    ///     ctx.record_mut().requester_id = account.owner;
    ///     ctx.step(|conn| conn.get::<Account>("ann".into()), |a| { a.balance += 5; Ok(()) });
    ///     Ok(())
    /// }));
    /// bonus.commit(&conn).await?;
    /// assert_eq!(bonus.record().requester_id, 7);
    /// assert_eq!(conn.get::<Account>("ann".into()).await?.unwrap().balance, 105);
    /// # Ok(()) }
    /// ```
    pub fn setup<F>(&mut self, setup: F) -> &mut Self
    where
        F: for<'a, 'c> FnOnce(&'a mut SetupContext<'c, R>) -> SetupFuture<'a> + Send + 'static,
    {
        self.setup = Some(Box::new(setup));
        self
    }

    /// How often each step is tried, starting over after each conflict, and
    /// how often the record's save takes a new time after a clash, before
    /// [`Error::RetriesExhausted`]: the original's `MAX_RETRIES` class
    /// attribute, [`MAX_RETRIES`] (100) by default. Sub-transactions keep
    /// their own. At least one attempt is made: 0 counts as 1.
    pub fn max_retries(&mut self, attempts: u32) -> &mut Self {
        self.max_retries = attempts.max(1);
        self
    }

    /// After a conflict, each step starts over from its `get`, as the
    /// original did, instead of from the stored item the conflict returned:
    /// for steps whose `get` chooses its target anew each time (the first
    /// account with room, not the same account again).
    pub fn retry_from_get(&mut self) -> &mut Self {
        self.retry_from_get = true;
        self
    }

    /// Adds a step: `get` fetches a fresh target (`None`: [`TransactionError::TargetNotFound`]),
    /// `change` changes it, then it is saved with conflict detection. On a
    /// conflict because the target changed since `get`, the step starts over
    /// from the item as stored now, which the conflict returned (on engines
    /// that return it: [`Capabilities::item_on_condition_failure`](crate::engine::Capabilities::item_on_condition_failure)),
    /// without calling `get` or reading again; otherwise (the item gone, a
    /// new target's key taken, or [`retry_from_get`](Self::retry_from_get))
    /// from `get`; after
    /// [`max_retries`](Self::max_retries) tries, [`Error::RetriesExhausted`]. An error of `change` stops the
    /// commit as [`TransactionError::StepFailed`], with it as the source.
    pub fn step<T, G, F, S>(&mut self, get: G, change: S) -> &mut Self
    where
        T: Model,
        G: FnMut(&Connection) -> F + Send + 'static,
        F: IntoFuture<Output = Result<Option<Document<T>>, Error>> + 'static,
        F::IntoFuture: Send,
        S: FnMut(&mut T) -> Result<(), StepError> + Send + 'static,
    {
        self.steps.push(boxed_step(get, change));
        self
    }

    /// Adds a transaction committed after every step of this one.
    pub fn subtransaction(&mut self, transaction: impl Commit + 'static) -> &mut Self {
        self.subtransactions.push(Box::new(transaction));
        self
    }

    /// Never saves the record (the original's `__transient__`).
    pub fn transient(&mut self) -> &mut Self {
        self.transient = true;
        self
    }

    /// The record: its status, and whether it was saved.
    pub fn record(&self) -> &Document<R> {
        &self.record
    }

    /// The status so far.
    pub fn status(&self) -> TransactionStatus {
        self.record.status()
    }

    /// Runs the setup, then each step, then each sub-transaction. The status
    /// goes pending -> running (once a target was written) -> done. Unless
    /// transient, the record is saved once the status is running or done,
    /// even when a later step failed; its datetime is taken when it is saved.
    ///
    /// A second `commit` runs the steps and sub-transactions again (as the
    /// original does) and saves another record; the setup runs only at the
    /// first, and the steps a failed setup added never run.
    pub async fn commit(&mut self, conn: &Connection) -> Result<(), TransactionError> {
        let outcome = self.run(conn).await;
        let recorded = self.save_record(conn).await;
        outcome.and(recorded.map_err(TransactionError::from))
    }

    async fn run(&mut self, conn: &Connection) -> Result<(), TransactionError> {
        if let Some(setup) = self.setup.take() {
            let (steps, subtransactions) = (self.steps.len(), self.subtransactions.len());
            let mut context = SetupContext {
                conn,
                record: &mut *self.record,
                steps: &mut self.steps,
                subtransactions: &mut self.subtransactions,
            };
            if let Err(source) = setup(&mut context).await {
                // What a failed setup added never runs, not on a later commit either.
                self.steps.truncate(steps);
                self.subtransactions.truncate(subtransactions);
                return Err(TransactionError::StepFailed {
                    step: StepIndex::Setup,
                    source,
                });
            }
        }
        if let Some(model) = self.needs_native_transactions() {
            // Before the first write: refused later, earlier steps would stay.
            need_native_transactions(
                conn,
                model,
                "its unique attributes are kept by guard items written in one native transaction: declare the model without `unique` on this engine".to_owned(),
            )?;
        }
        for (index, step) in self.steps.iter_mut().enumerate() {
            let retry = Retry {
                attempts: self.max_retries,
                from_get: self.retry_from_get,
            };
            step.apply(conn, index, retry).await?;
            self.record.set_status(TransactionStatus::Running);
        }
        for subtransaction in &mut self.subtransactions {
            subtransaction.commit(conn).await?;
        }
        self.record.set_status(TransactionStatus::Done);
        Ok(())
    }

    async fn save_record(&mut self, conn: &Connection) -> Result<(), Error> {
        if self.transient || self.record.status() == TransactionStatus::Pending {
            return Ok(());
        }
        let mut last = None;
        for attempt in 0..self.max_retries {
            if attempt > 0 {
                tokio::time::sleep(conn.retry_policy().backoff(attempt)).await;
            }
            self.record.set_datetime(Utc::now());
            // A new record each time: two commits of one requester in the same
            // microsecond would share a key, so the later one takes a new time.
            self.record.set_stored(None);
            match conn.save(&mut self.record).raise_on_conflict().await {
                Err(Error::Conflict(conflict)) if conflict.kind == ConflictKind::Overwrite => {
                    last = Some(conflict)
                }
                other => return other,
            }
        }
        Err(Error::RetriesExhausted {
            operation: "transaction record save",
            model: R::SCHEMA.model,
            table: conn.table_name(R::SCHEMA.table),
            attempts: self.max_retries,
            unfinished: Box::new(Unfinished::Conflicts { last }),
        })
    }
}

impl<R: TransactionRecord> Commit for Transaction<R> {
    fn commit<'a>(
        &'a mut self,
        conn: &'a Connection,
    ) -> Pin<Box<dyn Future<Output = Result<(), TransactionError>> + Send + 'a>> {
        Box::pin(Transaction::commit(self, conn))
    }

    fn needs_native_transactions(&self) -> Option<&'static str> {
        let steps = self
            .steps
            .iter()
            .map(|step| step.needs_native_transactions());
        let subtransactions = self
            .subtransactions
            .iter()
            .map(|sub| sub.needs_native_transactions());
        steps.chain(subtransactions).flatten().next()
    }
}
