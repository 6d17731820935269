//! What an operation left undone or may have done: the leftovers of a
//! give-up, the target of a write of unknown outcome, a transaction's step.

use std::fmt;

use super::ConflictError;
use crate::attribute::ItemKey;

/// What an [`Error::RetriesExhausted`](super::Error::RetriesExhausted) left undone.
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
