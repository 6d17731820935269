//! Engine errors: what an engine reported, with its own error as the
//! source, and why each action of a cancelled transaction was cancelled.

use std::fmt;

use super::CurrentItem;
use crate::attribute::{Item, ItemKey};

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
    /// A stream's shard iterator is older than 15 minutes: get a new one
    /// from the last sequence number read.
    ExpiredIterator,
    /// A stream's records asked for are past its trim horizon (older than
    /// 24 hours on DynamoDB): they are gone.
    TrimmedData,
    /// The engine does not implement the operation (an engine without
    /// streams; an endpoint without transactions).
    Unsupported,
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
/// wrapper engine may make its own). `Debug` names a returned item's
/// attributes, not their values.
#[derive(Clone)]
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
    pub request_id: Option<Box<str>>,
    /// The stored item, for a write refused by its condition that asked
    /// for it (`ReturnValuesOnConditionCheckFailure = ALL_OLD`); `None`
    /// when the item is missing or the write did not ask.
    pub item: Option<Box<Item>>,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl fmt::Debug for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EngineError")
            .field("kind", &self.kind)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("reasons", &self.reasons)
            .field("request_id", &self.request_id)
            .field("item", &Names(self.item.as_deref()))
            .field("source", &self.source)
            .finish()
    }
}

/// A returned item in `Debug` output: its attribute names, as
/// [`CurrentItem`] prints them (errors end up in logs).
struct Names<'a>(Option<&'a Item>);

impl fmt::Debug for Names<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(item) => CurrentItem::Item(Box::new(item.clone())).fmt(f),
            None => f.write_str("None"),
        }
    }
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
/// [`CancellationReason::new`]. `Debug` names a returned item's
/// attributes, not their values.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CancellationReason {
    /// `None`, `ConditionalCheckFailed`, `TransactionConflict`, ...
    pub code: String,
    /// The engine's message.
    pub message: Option<String>,
    /// For an action refused by its condition that asked for it
    /// (`ReturnValuesOnConditionCheckFailure = ALL_OLD`): the stored item
    /// (`None` when no item is stored, or the action did not ask).
    pub item: Option<Box<Item>>,
}

impl fmt::Debug for CancellationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancellationReason")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("item", &Names(self.item.as_deref()))
            .finish()
    }
}

impl CancellationReason {
    /// An action cancelled for `code` (`None` for an action that would have
    /// succeeded), with the engine's message if it gave one.
    pub fn new(code: impl Into<String>, message: Option<String>) -> Self {
        CancellationReason {
            code: code.into(),
            message,
            item: None,
        }
    }

    /// The same reason, with the stored item the action asked for.
    pub fn with_item(mut self, item: Option<Item>) -> Self {
        self.item = item.map(Box::new);
        self
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
            item: None,
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
        self.request_id = request_id.map(String::into_boxed_str);
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
            "ExpiredIteratorException" => EngineErrorKind::ExpiredIterator,
            "TrimmedDataAccessException" => EngineErrorKind::TrimmedData,
            "UnknownOperationException" => EngineErrorKind::Unsupported,
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

    /// The same error, carrying the stored item a refused write asked for.
    pub fn with_item(mut self, item: Option<Item>) -> Self {
        self.item = item.map(Box::new);
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
    /// For an action refused by its condition: the item stored under its
    /// key, where the engine returned it. Decode it with
    /// [`current_as`](Self::current_as).
    pub current: CurrentItem,
}
