//! Writes whose answer was lost: resolved by reading where the mapper can
//! know, reported as [`Error::OutcomeUnknown`] where it cannot; never sent
//! again blindly when repeating them could apply them twice.

use std::future::Future;

use tokio::time::Instant;

use super::call::call_until;
use super::{Consumed, Repeat};
use crate::attribute::{same_item, Item};
use crate::engine::request::GetItemInput;
use crate::error::{EngineError, EngineErrorKind, Error};
use crate::Connection;

/// The stored state a single-item write leaves behind, by which a lost
/// answer is resolved.
pub(crate) enum Leaves<'a> {
    /// A put: exactly this item under its key.
    Item(&'a Item),
    /// A delete: no item under the key.
    Nothing,
}

impl Leaves<'_> {
    fn found_in(&self, stored: Option<&Item>) -> bool {
        match (self, stored) {
            (Leaves::Item(written), Some(stored)) => same_item(written, stored),
            (Leaves::Nothing, None) => true,
            _ => false,
        }
    }
}

/// A write's error as the caller sees it: one that may follow the write being
/// applied (a lost, late or unreadable answer, a server error) becomes
/// [`Error::OutcomeUnknown`], naming `target` (the model and key).
pub(crate) fn unknown_outcome(error: Error, target: impl FnOnce() -> String) -> Error {
    match error {
        Error::Engine {
            operation,
            table,
            source,
        } if source.may_have_applied() => Error::OutcomeUnknown {
            operation,
            table,
            target: target(),
            source,
        },
        other => other,
    }
}

/// Sends a conditional single-item write (a put or a delete). When its
/// answer is lost, reads `key` with strong consistency: if the stored state
/// is the one the write leaves, it was applied (`Ok(None)`: its answer is
/// gone); if not, it is sent again and its condition decides afresh.
///
/// A resend that fails its condition after a lost answer is not reported as
/// a conflict: the earlier attempt may be what the condition saw (applied
/// late, or applied and then overwritten by another writer before the read).
/// The key is read once more: the write's own state means applied; anything
/// else is [`Error::OutcomeUnknown`], as is a write that cannot be settled
/// within the retry policy and the connection's operation timeout (shared by
/// every request of the write; each read gets at least one attempt).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn write_resolving<T, F, Fut>(
    conn: &Connection,
    operation: &'static str,
    table: &str,
    key: &Item,
    leaves: Leaves<'_>,
    target: impl Fn() -> String,
    mut send: F,
) -> Result<Option<T>, Error>
where
    T: Consumed,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, EngineError>>,
{
    let max_sends = conn.retry_policy().max_attempts.max(1);
    let deadline = Instant::now() + conn.timeouts().operation_timeout();
    let unknown = |source: Box<EngineError>| Error::OutcomeUnknown {
        operation,
        table: table.to_owned(),
        target: target(),
        source,
    };
    // The last lost answer, once there was one.
    let mut lost: Option<Box<EngineError>> = None;
    let mut sends = 0;
    loop {
        sends += 1;
        let sent = call_until(
            conn,
            operation,
            table,
            Repeat::IfRefused,
            deadline,
            &mut send,
        );
        let source = match (sent.await, lost.take()) {
            (Ok(output), _) => return Ok(Some(output)),
            (Err(Error::Engine { source, .. }), _) if source.may_have_applied() => source,
            (Err(Error::Engine { source, .. }), Some(earlier))
                if source.kind == EngineErrorKind::ConditionalCheckFailed =>
            {
                return match read_key(conn, table, key, deadline).await {
                    Ok(stored) if leaves.found_in(stored.as_ref()) => Ok(None),
                    _ => Err(unknown(earlier)),
                };
            }
            (Err(other), _) => return Err(other),
        };
        tracing::debug!(operation, table, error = %source, "answer lost: reading the key");
        let stored = match read_key(conn, table, key, deadline).await {
            Ok(stored) => stored,
            Err(_) => return Err(unknown(source)),
        };
        if leaves.found_in(stored.as_ref()) {
            return Ok(None);
        }
        if sends >= max_sends || Instant::now() >= deadline {
            return Err(unknown(source));
        }
        lost = Some(source);
    }
}

/// The item under `key`, read with strong consistency.
async fn read_key(
    conn: &Connection,
    table: &str,
    key: &Item,
    deadline: Instant,
) -> Result<Option<Item>, Error> {
    let input = GetItemInput {
        table: table.to_owned(),
        key: key.clone(),
        consistent_read: true,
    };
    // However little time is left, the read gets one attempt.
    let deadline = deadline.max(Instant::now() + conn.timeouts().attempt_timeout());
    let output = call_until(conn, "GetItem", table, Repeat::Read, deadline, || {
        conn.engine().get_item(&input)
    })
    .await?;
    Ok(output.item)
}
