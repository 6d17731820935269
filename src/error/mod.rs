//! The crate's error types: [`Error`] and [`Result`] (also at the crate's
//! root), and what their variants carry ([`ConflictError`] and its
//! [`ConflictKind`], [`EngineError`] and its [`EngineErrorKind`],
//! [`Unfinished`], ...). An application feature's own errors live with the
//! feature and come boxed as [`Error::Feature`]. Every error names what it
//! is about: the model,
//! attribute and value for bad data; the operation and table for engine
//! faults; the item by its [`ItemKey`]. Every cause is kept as the error's
//! [`source`](std::error::Error::source), to downcast to its own type: the
//! engine's error, the error your migration step or transaction step
//! returned, what failed while setting up an engine, the last conflict of a
//! write that gave up.

mod conflict;
mod engine;
mod unfinished;

pub use conflict::*;
pub use engine::*;
pub use unfinished::*;

use std::fmt;

use crate::attribute::ItemKey;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in a mapper operation.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A conditional write found the stored item not as expected.
    Conflict(ConflictError),
    /// A value could not be converted to or from its attribute.
    Attribute(Box<AttributeError>),
    /// The engine refused or failed a request.
    #[non_exhaustive]
    Engine {
        /// The DynamoDB operation, e.g. `PutItem`.
        operation: &'static str,
        /// The table, with its prefix.
        table: String,
        /// What the engine said.
        source: Box<EngineError>,
    },
    /// An operation tried as often as it may and did not finish: a batch
    /// with keys or writes still unprocessed (or writes whose answer was
    /// lost), or a conditional write that met a conflict on every attempt.
    /// [`unfinished`](Unfinished) says what is left; nothing is dropped
    /// silently. With writes of unknown outcome left,
    /// [`is_outcome_unknown`](Error::is_outcome_unknown) is true; after
    /// conflicts, the last one is the [`source`](std::error::Error::source).
    #[non_exhaustive]
    RetriesExhausted {
        /// What was tried: a DynamoDB operation (`BatchGetItem`,
        /// `BatchWriteItem`) or one of the mapper's own (`auto-increment
        /// save`, `transaction step`, `transaction record save`).
        operation: &'static str,
        /// The model's Rust name.
        model: &'static str,
        /// The table, with its prefix.
        table: String,
        /// How many attempts were made: for a batch, the requests sent for
        /// the part that gave up (batches go in parts of 100 keys or 25
        /// writes, each with its own attempts).
        attempts: u32,
        /// What was left undone.
        unfinished: Box<Unfinished>,
    },
    /// A key that is reserved, such as hash key -1 of an auto-increment model
    /// (where its counter lives).
    #[non_exhaustive]
    ReservedKey {
        /// The model's Rust name.
        model: &'static str,
        /// The key attribute.
        attribute: &'static str,
        /// The reserved value.
        value: String,
    },
    /// No version check of the model's migrator recognised a stored item.
    #[non_exhaustive]
    UnknownSchemaVersion {
        /// The model's Rust name.
        model: &'static str,
        /// The item's key.
        key: ItemKey,
    },
    /// A migration step failed: the error it returned is the
    /// [`source`](std::error::Error::source), to downcast to your own type.
    #[non_exhaustive]
    Migration {
        /// The model's Rust name.
        model: &'static str,
        /// The item's key, as the failing step left it.
        key: ItemKey,
        /// The version the failing step migrates to.
        version: u32,
        /// The error the step returned.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The same key twice in one batch: refused before anything is sent.
    #[non_exhaustive]
    DuplicateKey {
        /// The model's Rust name.
        model: &'static str,
        /// The key.
        key: ItemKey,
    },
    /// An item over DynamoDB's 400 KB limit: refused before anything is sent.
    #[non_exhaustive]
    ItemTooLarge {
        /// The model's Rust name.
        model: &'static str,
        /// The item's key.
        key: ItemKey,
        /// The item's size as DynamoDB counts it.
        size: usize,
    },
    /// A request that DynamoDB would refuse, caught before sending.
    #[non_exhaustive]
    InvalidRequest {
        /// The model's Rust name.
        model: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A native transaction was cancelled: nothing of it was written.
    #[non_exhaustive]
    TransactionCanceled {
        /// The engine's message.
        message: String,
        /// Each refused action, with its reason.
        reasons: Vec<ActionCancellation>,
    },
    /// No process-wide default connection was set.
    NoDefaultConnection,
    /// A table did not become active in time.
    #[non_exhaustive]
    TableNotActive {
        /// The table, with its prefix.
        table: String,
        /// How long we waited.
        waited: std::time::Duration,
    },
    /// The engine could not be opened or configured: what failed is the
    /// [`source`](std::error::Error::source) (the embedded engine's
    /// [`EngineError`], itself caused by dynoxide's error; an I/O error; ...).
    #[non_exhaustive]
    Setup {
        /// What was being set up, e.g. `opening the embedded database in memory`.
        what: String,
        /// Why it failed.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The engine lacks what the operation needs (native transactions on
    /// ScyllaDB Alternator: see `engine::Capabilities`):
    /// refused before anything was sent.
    #[non_exhaustive]
    Unsupported {
        /// The model's Rust name, or the operation's (`TransactWrite`).
        model: &'static str,
        /// What the operation needs, e.g. `native transactions`.
        needs: &'static str,
        /// The engine and its profile (`aws (ScyllaDB Alternator)`).
        engine: String,
        /// What works instead.
        alternative: String,
    },
    /// Records of a table's stream were gone before a reader got to them:
    /// trimmed (DynamoDB keeps 24 hours), a checkpoint's shard no longer in
    /// the stream, or a shard the reader gave up on (a reader that does not
    /// follow stops reading a shard after repeated failures; its checkpoint
    /// stays before them). The changes after `after` may be lost for this
    /// reader; it goes on with what is left.
    #[non_exhaustive]
    ChangesMissed {
        /// The table, with its prefix.
        table: String,
        /// The shard.
        shard_id: String,
        /// The last sequence number delivered of it, if any.
        after: Option<String>,
        /// Why.
        reason: String,
        /// The engine's error, when it said so.
        source: Option<Box<EngineError>>,
    },
    /// A stream checkpoint given to resume from holds, for a shard, a
    /// position that is no sequence number (1 to 40 decimal digits): read
    /// from the shard's oldest record it would never be replaced, and every
    /// resume would deliver the shard again. Nothing was sent.
    #[non_exhaustive]
    InvalidCheckpoint {
        /// The table, with its prefix.
        table: String,
        /// The shard.
        shard_id: String,
        /// The position the checkpoint holds for it.
        position: String,
    },
    /// An application feature's own error, boxed: an application-level
    /// transaction's `transactions::TransactionError` (other
    /// than the mapper's own errors, which stay themselves). Find it again
    /// with [`Error::feature`].
    Feature(Box<dyn std::error::Error + Send + Sync>),
    /// A write was sent and its answer was lost (the connection dropped or
    /// timed out after sending, a server error, an unreadable answer), and
    /// the mapper could not find out whether it was applied: it may have
    /// been, once. It is not sent again blindly; see the README's outcome
    /// model for which writes the mapper resolves by itself.
    #[non_exhaustive]
    OutcomeUnknown {
        /// The DynamoDB operation, e.g. `UpdateItem`.
        operation: &'static str,
        /// The table, with its prefix.
        table: String,
        /// What was written: a model's item, or a transaction's actions.
        target: WriteTarget,
        /// The last failure seen for it.
        source: Box<EngineError>,
    },
}

/// The messages name what failed and, as the crate's convention, end with
/// the cause's own message: `PutItem on table "users" failed:
/// ValidationException: ...`.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Conflict(conflict) => fmt::Display::fmt(conflict, f),
            Error::Attribute(attribute) => fmt::Display::fmt(attribute, f),
            Error::Engine {
                operation,
                table,
                source,
            } => write!(f, "{operation} on table {table:?} failed: {source}"),
            Error::ReservedKey {
                model,
                attribute,
                value,
            } => write!(
                f,
                "{model}.{attribute}: key {value} is reserved for the auto-increment counter"
            ),
            Error::Feature(error) => error.fmt(f),
            Error::UnknownSchemaVersion { model, key } => write!(
                f,
                "{model} ({key}): no version check of the migrator matches the stored item"
            ),
            Error::Migration {
                model,
                key,
                version,
                source,
            } => write!(
                f,
                "{model} ({key}): migration to version {version} failed: {source}"
            ),
            Error::DuplicateKey { model, key } => {
                write!(f, "{model}: key {key} appears twice in one batch")
            }
            Error::ItemTooLarge { model, key, size } => write!(
                f,
                "{model} ({key}): the item is {size} bytes, over DynamoDB's limit of 409600"
            ),
            Error::InvalidRequest { model, reason } => write!(f, "{model}: {reason}"),
            Error::NoDefaultConnection => {
                f.write_str("no default connection: call Connection::set_default first")
            }
            Error::TableNotActive { table, waited } => {
                write!(f, "table {table:?} is not active after waiting {waited:?}")
            }
            Error::Setup { what, source } => write!(f, "engine setup failed: {what}: {source}"),
            Error::Unsupported {
                model,
                needs,
                engine,
                alternative,
            } => write!(
                f,
                "{model}: this needs {needs}, which the engine {engine} does not have: nothing was sent; {alternative}"
            ),
            Error::RetriesExhausted { .. }
            | Error::TransactionCanceled { .. }
            | Error::OutcomeUnknown { .. } => self.fmt_outcome(f),
            Error::ChangesMissed { .. } | Error::InvalidCheckpoint { .. } => self.fmt_stream(f),
        }
    }
}

impl Error {
    /// The errors of a write's outcome: retries exhausted, a cancelled
    /// transaction, an unknown outcome.
    fn fmt_outcome(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::RetriesExhausted {
                operation,
                model,
                table,
                attempts,
                unfinished,
            } => write!(
                f,
                "{operation} of {model} on table {table:?}: gave up after {attempts} attempts: {unfinished}"
            ),
            Error::TransactionCanceled { message, reasons } => write!(
                f,
                "transaction cancelled: {message} ({} actions refused)",
                reasons.len()
            ),
            Error::OutcomeUnknown {
                operation,
                table,
                target,
                source,
            } => write!(
                f,
                "{operation} on table {table:?} ({target}): the write was sent but its outcome is unknown (it may have been applied): {source}"
            ),
            // Called for the variants above only.
            _ => Ok(()),
        }
    }

    /// The errors of reading a table's stream.
    fn fmt_stream(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ChangesMissed {
                table,
                shard_id,
                after,
                reason,
                ..
            } => {
                write!(f, "stream of table {table:?}, shard {shard_id}: changes ")?;
                match after {
                    Some(after) => write!(f, "after sequence number {after}")?,
                    None => f.write_str("from its start")?,
                }
                write!(f, " may be missed: {reason}")
            }
            Error::InvalidCheckpoint {
                table,
                shard_id,
                position,
            } => write!(
                f,
                "stream of table {table:?}: the checkpoint's position for shard {shard_id} is {position:?}, which is no sequence number: nothing was read; fix or remove that shard's entry to resume"
            ),
            // Called for the variants above only.
            _ => Ok(()),
        }
    }
}

/// The [`source`](std::error::Error::source) is the cause itself, to
/// downcast to its own type: the [`EngineError`] of [`Error::Engine`] and
/// [`Error::OutcomeUnknown`], the feature's error for [`Error::Feature`],
/// your error for [`Error::Migration`], what failed for [`Error::Setup`], the last conflict
/// of an [`Error::RetriesExhausted`] that gave up on conflicts. A conflict or an
/// attribute error is the error itself: its source is its own
/// ([`AttributeError`]'s value error).
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Conflict(conflict) => std::error::Error::source(conflict),
            Error::Attribute(attribute) => std::error::Error::source(&**attribute),
            Error::Engine { source, .. } | Error::OutcomeUnknown { source, .. } => Some(&**source),
            Error::ChangesMissed {
                source: Some(source),
                ..
            } => Some(&**source),
            Error::Feature(error) => Some(&**error),
            Error::Migration { source, .. } | Error::Setup { source, .. } => Some(&**source),
            Error::RetriesExhausted { unfinished, .. } => match &**unfinished {
                Unfinished::Conflicts {
                    last: Some(conflict),
                } => Some(conflict),
                _ => None,
            },
            _ => None,
        }
    }
}

impl From<ConflictError> for Error {
    fn from(error: ConflictError) -> Self {
        Error::Conflict(error)
    }
}

impl From<AttributeError> for Error {
    fn from(error: AttributeError) -> Self {
        Error::Attribute(Box::new(error))
    }
}

impl Error {
    /// The application feature's error of an [`Error::Feature`], as its
    /// own type `E` (for instance an application-level transaction's
    /// `TransactionError`); `None` for another error.
    pub fn feature<E: std::error::Error + 'static>(&self) -> Option<&E> {
        match self {
            Error::Feature(error) => error.downcast_ref::<E>(),
            _ => None,
        }
    }

    /// An engine failure of `operation` on `table`.
    pub fn engine(operation: &'static str, table: impl Into<String>, source: EngineError) -> Self {
        Error::Engine {
            operation,
            table: table.into(),
            source: Box::new(source),
        }
    }

    /// Engine setup that failed: `what` was being set up, `source` is why
    /// (any error, or a message).
    pub fn setup(
        what: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Setup {
            what: what.into(),
            source: source.into(),
        }
    }

    /// Whether this is a [`ConflictError`] (including an overwrite).
    pub fn is_conflict(&self) -> bool {
        matches!(self, Error::Conflict(_))
    }

    /// Whether this is a conflict caused by writing a new object over an existing key.
    pub fn is_overwrite(&self) -> bool {
        matches!(self, Error::Conflict(c) if c.kind == ConflictKind::Overwrite)
    }

    /// Whether a write may or may not have been applied: an
    /// [`Error::OutcomeUnknown`], or an [`Error::RetriesExhausted`] with
    /// writes of unknown outcome left ([`Unfinished::Writes`]'s `uncertain`).
    pub fn is_outcome_unknown(&self) -> bool {
        match self {
            Error::OutcomeUnknown { .. } => true,
            Error::RetriesExhausted { unfinished, .. } => matches!(
                &**unfinished,
                Unfinished::Writes { uncertain, .. } if !uncertain.is_empty()
            ),
            _ => false,
        }
    }

    /// The engine error, if the engine refused or failed the request.
    pub fn engine_error(&self) -> Option<&EngineError> {
        match self {
            Error::Engine { source, .. } | Error::OutcomeUnknown { source, .. } => Some(source),
            _ => None,
        }
    }
}
