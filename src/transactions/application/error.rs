//! [`TransactionError`]: what an application-level transaction's commit
//! fails with.

use std::fmt;

use super::StepError;
use crate::error::Error;

/// What [`Transaction::commit`](super::Transaction::commit) fails with: a
/// step's own failures, or the mapper's error of a read or write. Converted
/// into the crate's [`Error`] (by `?`), a step's failure is boxed as
/// [`Error::Feature`] (find it again with [`Error::feature`]) and the
/// mapper's error is itself.
#[derive(Debug)]
#[non_exhaustive]
pub enum TransactionError {
    /// A step's getter found no target.
    #[non_exhaustive]
    TargetNotFound {
        /// The target model's Rust name.
        model: &'static str,
        /// The step's position, from 0.
        step: usize,
    },
    /// The setup or a step's setter refused to go on: the error it returned
    /// is the [`source`](std::error::Error::source), to downcast to your
    /// own type.
    #[non_exhaustive]
    StepFailed {
        /// The setup, or the step by position.
        step: StepIndex,
        /// The error the setup or setter returned.
        source: StepError,
    },
    /// A read or write of the transaction failed: a step that gave up on
    /// conflicts ([`Error::RetriesExhausted`]), the engine, ...
    Mapper(Error),
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

impl fmt::Display for TransactionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransactionError::TargetNotFound { model, step } => {
                write!(f, "transaction step {step}: no {model} to change")
            }
            TransactionError::StepFailed { step, source } => {
                write!(f, "transaction step {step}: {source}")
            }
            TransactionError::Mapper(error) => error.fmt(f),
        }
    }
}

/// The source of a step's failure is the error the setup or setter
/// returned; the mapper's error is transparent: its own source.
impl std::error::Error for TransactionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TransactionError::TargetNotFound { .. } => None,
            TransactionError::StepFailed { source, .. } => Some(&**source),
            TransactionError::Mapper(error) => std::error::Error::source(error),
        }
    }
}

impl From<Error> for TransactionError {
    fn from(error: Error) -> Self {
        TransactionError::Mapper(error)
    }
}

impl From<TransactionError> for Error {
    fn from(error: TransactionError) -> Self {
        match error {
            TransactionError::Mapper(error) => error,
            other => Error::Feature(Box::new(other)),
        }
    }
}
