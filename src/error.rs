//! The crate's error types. Every error names what it is about: the model,
//! attribute and value for bad data; the operation and table for engine
//! faults; the item by its [`ItemKey`]. Every cause is kept as the error's
//! [`source`](std::error::Error::source), to downcast to its own type: the
//! engine's error, the error your migration step or transaction step
//! returned, what failed while setting up an engine, the last conflict of a
//! write that gave up.

use std::fmt;

use crate::attribute::{ItemKey, ValueError};

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
    /// A transaction step's getter found no target.
    #[non_exhaustive]
    TargetNotFound {
        /// The target model's Rust name.
        model: &'static str,
        /// The step's position, from 0.
        step: usize,
    },
    /// A transaction's setup or a step's setter refused to go on: the error
    /// it returned is the [`source`](std::error::Error::source), to downcast
    /// to your own type.
    #[non_exhaustive]
    StepFailed {
        /// The setup, or the step by position.
        step: StepIndex,
        /// The error the setup or setter returned.
        source: Box<dyn std::error::Error + Send + Sync>,
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
            Error::ReservedKey {
                model,
                attribute,
                value,
            } => write!(
                f,
                "{model}.{attribute}: key {value} is reserved for the auto-increment counter"
            ),
            Error::TargetNotFound { model, step } => {
                write!(f, "transaction step {step}: no {model} to change")
            }
            Error::StepFailed { step, source } => write!(f, "transaction step {step}: {source}"),
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
            Error::TransactionCanceled { message, reasons } => write!(
                f,
                "transaction cancelled: {message} ({} actions refused)",
                reasons.len()
            ),
            Error::NoDefaultConnection => {
                f.write_str("no default connection: call Connection::set_default first")
            }
            Error::TableNotActive { table, waited } => {
                write!(f, "table {table:?} is not active after waiting {waited:?}")
            }
            Error::Setup { what, source } => write!(f, "engine setup failed: {what}: {source}"),
            Error::OutcomeUnknown {
                operation,
                table,
                target,
                source,
            } => write!(
                f,
                "{operation} on table {table:?} ({target}): the write was sent but its outcome is unknown (it may have been applied): {source}"
            ),
        }
    }
}

/// The [`source`](std::error::Error::source) is the cause itself, to
/// downcast to its own type: the [`EngineError`] of [`Error::Engine`] and
/// [`Error::OutcomeUnknown`], your error for [`Error::StepFailed`] and
/// [`Error::Migration`], what failed for [`Error::Setup`], the last conflict
/// of an [`Error::RetriesExhausted`] that gave up on conflicts. A conflict or an
/// attribute error is the error itself: its source is its own
/// ([`AttributeError`]'s value error).
impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Conflict(conflict) => std::error::Error::source(conflict),
            Error::Attribute(attribute) => std::error::Error::source(&**attribute),
            Error::Engine { source, .. } | Error::OutcomeUnknown { source, .. } => Some(&**source),
            Error::StepFailed { source, .. }
            | Error::Migration { source, .. }
            | Error::Setup { source, .. } => Some(&**source),
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

/// What an [`Error::RetriesExhausted`] left undone.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unfinished {
    /// A batch get's keys the engine left unprocessed on every attempt.
    #[non_exhaustive]
    Reads {
        /// How many items of the part that gave up had been read (the
        /// other parts' items may have been returned already).
        done: usize,
        /// The keys never read.
        unprocessed: Vec<ItemKey>,
    },
    /// A batch write's writes not done, or of unknown outcome. Batch writes
    /// are unconditional puts and deletes: sending any of them again is safe.
    #[non_exhaustive]
    Writes {
        /// How many writes were confirmed done.
        done: usize,
        /// The writes not done (left unprocessed by the engine).
        unprocessed: Vec<Leftover>,
        /// The writes sent whose answer was lost: they may have been done.
        uncertain: Vec<Leftover>,
    },
    /// One write that conflicts kept from being done (the key it took was
    /// taken, or another writer changed its target first): nothing of it
    /// was written.
    #[non_exhaustive]
    Conflicts {
        /// The last conflict met (also the error's
        /// [`source`](std::error::Error::source)); `None` if no attempt got
        /// as far as writing (an auto-increment counter that handed out only
        /// reserved values).
        last: Option<ConflictError>,
    },
}

/// What is left: `3 items read, 7 keys still unprocessed`; `0 writes done, 30
/// not done, 0 of unknown outcome`; `conflicts kept it from being done, the
/// last: conflict on ...`.
impl fmt::Display for Unfinished {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unfinished::Reads { done, unprocessed } => write!(
                f,
                "{done} items read, {} keys still unprocessed",
                unprocessed.len()
            ),
            Unfinished::Writes {
                done,
                unprocessed,
                uncertain,
            } => write!(
                f,
                "{done} writes done, {} not done, {} of unknown outcome",
                unprocessed.len(),
                uncertain.len()
            ),
            Unfinished::Conflicts { last: Some(last) } => {
                write!(f, "conflicts kept it from being done, the last: {last}")
            }
            Unfinished::Conflicts { last: None } => f.write_str("no attempt got as far as writing"),
        }
    }
}

/// A write of a batch that was not done.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Leftover {
    /// Its position in the sequence given to the batch.
    pub position: usize,
    /// The key of its item.
    pub key: ItemKey,
}

/// What a write whose outcome is unknown was about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WriteTarget {
    /// One item of a model.
    #[non_exhaustive]
    Item {
        /// The model's Rust name.
        model: &'static str,
        /// The item's key.
        key: ItemKey,
    },
    /// The actions of a native transaction, in order: each one's model and key.
    #[non_exhaustive]
    Transaction {
        /// Each action's model (its Rust name) and key.
        actions: Vec<(&'static str, ItemKey)>,
    },
}

impl WriteTarget {
    /// One item of `model`.
    pub(crate) fn item(model: &'static str, key: ItemKey) -> Self {
        WriteTarget::Item { model, key }
    }

    /// A native transaction's actions, in order.
    pub(crate) fn transaction(actions: Vec<(&'static str, ItemKey)>) -> Self {
        WriteTarget::Transaction { actions }
    }
}

/// `Model (key)`, or `transaction of Model (key), Other (key)`.
impl fmt::Display for WriteTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteTarget::Item { model, key } => write!(f, "{model} ({key})"),
            WriteTarget::Transaction { actions } => {
                f.write_str("transaction of ")?;
                for (at, (model, key)) in actions.iter().enumerate() {
                    if at > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{model} ({key})")?;
                }
                Ok(())
            }
        }
    }
}

/// Where in a transaction a failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StepIndex {
    /// The setup, before any step.
    Setup,
    /// Step number `n`, from 0.
    Step(usize),
}

impl fmt::Display for StepIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepIndex::Setup => f.write_str("setup"),
            StepIndex::Step(n) => write!(f, "{n}"),
        }
    }
}

/// Why a conditional write was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConflictKind {
    /// The stored item changed since the object was loaded (or was deleted).
    Changed,
    /// A new object's key is already taken (the original's `OverwriteError`).
    Overwrite,
    /// Deleting, with conflict detection, an object that was never loaded.
    NeverLoaded,
    /// A condition given by the caller did not hold.
    ConditionFailed,
}

/// A write refused by conflict detection: the original's `ConflictError` and
/// its `OverwriteError` kind.
///
/// Build one with [`ConflictError::new`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
#[non_exhaustive]
pub struct ConflictError {
    /// Why the write was refused.
    pub kind: ConflictKind,
    /// The model's Rust name.
    pub model: &'static str,
    /// The table, with its prefix.
    pub table: String,
    /// The object's key.
    pub key: ItemKey,
}

impl ConflictError {
    /// A write of `model`'s item `key` in `table` refused for `kind`.
    pub fn new(
        kind: ConflictKind,
        model: &'static str,
        table: impl Into<String>,
        key: ItemKey,
    ) -> Self {
        ConflictError {
            kind,
            model,
            table: table.into(),
            key,
        }
    }

    fn describe(&self) -> String {
        let what = match self.kind {
            ConflictKind::Changed => "the stored item changed since it was loaded",
            ConflictKind::Overwrite => "an item with this key already exists",
            ConflictKind::NeverLoaded => {
                "the object was never loaded, so it cannot be checked for changes"
            }
            ConflictKind::ConditionFailed => "the write condition did not hold",
        };
        format!(
            "conflict on {} ({}) in table {:?}: {what}",
            self.model, self.key, self.table
        )
    }
}

/// A value of a model's attribute could not be converted. Build one with
/// [`AttributeError::new`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{model}.{attribute}: {source}")]
#[non_exhaustive]
pub struct AttributeError {
    /// The model's Rust name.
    pub model: &'static str,
    /// The stored attribute name, with the path inside it (`spells[2].name`).
    pub attribute: String,
    /// What was wrong.
    pub source: ValueError,
}

impl AttributeError {
    /// The same error with the offending value left out: for sensitive attributes.
    pub fn redacted(mut self) -> Self {
        self.source = self.source.redacted();
        self
    }

    /// Names the model and attribute of a value error.
    pub fn new(model: &'static str, attribute: &str, source: ValueError) -> Self {
        AttributeError {
            model,
            attribute: format!("{attribute}{}", source.path()),
            source,
        }
    }
}

/// What kind of failure an engine reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EngineErrorKind {
    /// A condition expression did not hold.
    ConditionalCheckFailed,
    /// The table (or index) does not exist.
    ResourceNotFound,
    /// The table already exists or is busy.
    ResourceInUse,
    /// The request was invalid.
    Validation,
    /// Throughput exceeded or request throttled: retryable.
    Throttled,
    /// A transaction was cancelled.
    TransactionCanceled,
    /// The request did not reach the engine, or its answer was lost or
    /// unreadable: a write may have been applied.
    Transport,
    /// No answer within the connection's attempt timeout: a write may have
    /// been applied.
    Timeout,
    /// The engine failed internally (a server error, HTTP 5xx): a write may
    /// have been applied before the failure.
    Internal,
    /// The engine answered what DynamoDB never does (a page that repeats
    /// its start key as its last key): a faulty server or proxy.
    InvalidResponse,
    /// Anything else.
    Other,
}

/// A failure reported by an engine, with its DynamoDB error code when it has
/// one, the AWS request id when the service answered, and the engine's own
/// error as its [`source`](std::error::Error::source): on the `aws` engine an
/// `aws_sdk_dynamodb::error::SdkError`, on the embedded one a
/// `dynoxide::DynoxideError`, to downcast to.
///
/// Build one with [`EngineError::new`] or [`EngineError::from_code`] (a
/// wrapper engine may make its own).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EngineError {
    /// What kind of failure.
    pub kind: EngineErrorKind,
    /// The DynamoDB error code, e.g. `ValidationException`.
    pub code: Option<String>,
    /// The engine's message.
    pub message: String,
    /// For a cancelled transaction: why each action was cancelled, in order
    /// (code `None` for actions that would have succeeded).
    pub reasons: Vec<CancellationReason>,
    /// The AWS request id of the failed request, when the service answered
    /// with one (for AWS support).
    pub request_id: Option<String>,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

/// Equal when they say the same (kind, code, message, reasons, request id),
/// whatever their sources.
impl PartialEq for EngineError {
    fn eq(&self, other: &Self) -> bool {
        (
            self.kind,
            &self.code,
            &self.message,
            &self.reasons,
            &self.request_id,
        ) == (
            other.kind,
            &other.code,
            &other.message,
            &other.reasons,
            &other.request_id,
        )
    }
}

impl Eq for EngineError {}

impl std::error::Error for EngineError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn std::error::Error + 'static))
    }
}

/// Why one action of a cancelled transaction was cancelled, as an engine
/// reports it ([`EngineError::with_reasons`]). Build one with
/// [`CancellationReason::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CancellationReason {
    /// `None`, `ConditionalCheckFailed`, `TransactionConflict`, ...
    pub code: String,
    /// The engine's message.
    pub message: Option<String>,
}

impl CancellationReason {
    /// An action cancelled for `code` (`None` for an action that would have
    /// succeeded), with the engine's message if it gave one.
    pub fn new(code: impl Into<String>, message: Option<String>) -> Self {
        CancellationReason {
            code: code.into(),
            message,
        }
    }
}

impl EngineError {
    /// A new engine error.
    pub fn new(kind: EngineErrorKind, code: Option<String>, message: impl Into<String>) -> Self {
        EngineError {
            kind,
            code,
            message: message.into(),
            reasons: Vec::new(),
            request_id: None,
            source: None,
        }
    }

    /// The same error, caused by `source` (the engine's own error).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(std::sync::Arc::new(source));
        self
    }

    /// The same error, with the AWS request id of the failed request.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// Classifies a DynamoDB error code.
    pub fn from_code(code: &str, message: impl Into<String>) -> Self {
        let kind = match code {
            "ConditionalCheckFailedException" => EngineErrorKind::ConditionalCheckFailed,
            "ResourceNotFoundException" => EngineErrorKind::ResourceNotFound,
            "ResourceInUseException" => EngineErrorKind::ResourceInUse,
            "ValidationException" | "SerializationException" => EngineErrorKind::Validation,
            "ProvisionedThroughputExceededException"
            | "ThrottlingException"
            | "RequestLimitExceeded"
            | "LimitExceededException"
            // Another request with the same idempotency token is still running.
            | "TransactionInProgressException" => EngineErrorKind::Throttled,
            "TransactionCanceledException" => EngineErrorKind::TransactionCanceled,
            "InternalServerError" | "InternalFailure" | "ServiceUnavailable" => {
                EngineErrorKind::Internal
            }
            _ => EngineErrorKind::Other,
        };
        EngineError::new(kind, Some(code.to_owned()), message)
    }

    /// The same error, with a cancelled transaction's reasons.
    pub fn with_reasons(mut self, reasons: Vec<CancellationReason>) -> Self {
        self.reasons = reasons;
        self
    }

    /// Whether retrying the same request may succeed.
    pub fn is_retryable(&self) -> bool {
        self.kind == EngineErrorKind::Throttled || self.may_have_applied()
    }

    /// Whether a write that failed with this error may still have been
    /// applied: its answer was lost, late or unreadable, or the server failed
    /// after receiving it. Throttling and refusals (validation, conditions)
    /// mean it was not.
    pub fn may_have_applied(&self) -> bool {
        matches!(
            self.kind,
            EngineErrorKind::Transport | EngineErrorKind::Timeout | EngineErrorKind::Internal
        )
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Why one action of a cancelled transaction was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ActionCancellation {
    /// The action's position in the transaction, from 0.
    pub index: usize,
    /// The model the action was on.
    pub model: &'static str,
    /// The action's key.
    pub key: ItemKey,
    /// DynamoDB's reason code, e.g. `ConditionalCheckFailed`.
    pub code: String,
    /// The engine's message.
    pub message: Option<String>,
}
