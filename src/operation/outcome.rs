//! Writes whose answer was lost: resolved by reading where the mapper can
//! know, reported as [`Error::OutcomeUnknown`] where it cannot; never sent
//! again blindly when repeating them could apply them twice.

use tokio::time::Instant;

use super::{call_until, send_until, RetryClass};
use crate::attribute::{same_item, Item, StoredItem};
use crate::engine::request::{Call, GetItemInput, Response};
use crate::error::{EngineError, EngineErrorKind, Error, WriteTarget};
use crate::Connection;

/// What is stored under a key.
#[derive(Clone, Copy)]
pub(crate) enum KeyState<'a> {
    /// Exactly this item.
    Item(&'a Item),
    /// No item.
    Absent,
}

impl KeyState<'_> {
    fn is(&self, stored: Option<&Item>) -> bool {
        match (self, stored) {
            (KeyState::Item(expected), Some(stored)) => same_item(expected, stored),
            (KeyState::Absent, None) => true,
            _ => false,
        }
    }
}

/// How a conditional single-item write changes its key, by which a lost
/// answer is settled.
pub(crate) struct Transition<'a> {
    /// What the write was made against, when the writer knows it: the item
    /// a document was loaded with. Finding it still there proves the write
    /// was not applied, so it is sent again. (No item proves nothing: a
    /// write may have been applied and its item deleted since.)
    pub(crate) from: Option<KeyState<'a>>,
    /// What the write leaves. Finding it proves the write applied, unless it
    /// is also what the write was made against.
    pub(crate) to: KeyState<'a>,
}

impl Transition<'_> {
    /// Whether finding `to` proves the write applied: an item as written,
    /// yes; an absent item only where the item was known to exist (a delete
    /// of a key nobody loaded may have found it absent already).
    fn proves_by_finding(&self) -> bool {
        matches!(self.to, KeyState::Item(_)) || self.from.is_some()
    }
}

/// A write's error as the caller sees it: one that may follow the write being
/// applied (a lost, late or unreadable answer, a server error) becomes
/// [`Error::OutcomeUnknown`], naming `target` (the model and key).
pub(crate) fn unknown_outcome(error: Error, target: impl FnOnce() -> WriteTarget) -> Error {
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

/// Sends a conditional single-item write (a put or a delete) and settles a
/// lost answer by reading `key` with strong consistency:
///
/// - the state the write leaves is there: it was applied (`Ok(None)`, its
///   answer is gone);
/// - the state it was made against is still there: it was not; it is sent
///   again and its condition decides afresh;
/// - anything else (another writer changed the item, maybe after this write
///   applied): [`Error::OutcomeUnknown`]. Sending it again could apply it a
///   second time over the other writer's change.
///
/// A resend that fails its condition after a lost answer is read once more
/// the same way, never reported as a conflict its own first attempt may have
/// caused. The write, its reads and resends share the connection's operation
/// timeout (each read gets at least one attempt) and its retry policy.
pub(crate) async fn write_resolving(
    conn: &Connection,
    table: &str,
    key: &Item,
    transition: Transition<'_>,
    target: impl Fn() -> WriteTarget,
    call: Call<'_>,
) -> Result<Option<Response>, Error> {
    let operation = call.name();
    let max_sends = conn.retry_policy().max_attempts.max(1);
    let mut deadline = Instant::now() + conn.timeouts().operation_timeout();
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
        let sent = call_until(conn, table, RetryClass::IfRefused, &mut deadline, call);
        // A resend refused by its condition, after a lost answer: refused
        // because of that earlier attempt, or truly?
        let mut refused = None;
        let source = match (sent.await, lost.take()) {
            (Ok(output), _) => return Ok(Some(output)),
            (Err(Error::Engine { source, .. }), _) if source.may_have_applied() => source,
            (Err(error @ Error::Engine { .. }), Some(earlier))
                if error.engine_error().map(|e| e.kind)
                    == Some(EngineErrorKind::ConditionalCheckFailed) =>
            {
                refused = Some(error);
                earlier
            }
            (Err(other), _) => return Err(other),
        };
        // A refusal that returned the stored item says what a read would.
        let stored = match refused.as_ref().and_then(|refusal| returned(refusal, call)) {
            Some(stored) => stored,
            None => {
                tracing::debug!(operation, table, error = %source, "answer lost: reading the key");
                match read_key(conn, table, key, deadline).await {
                    Ok(stored) => stored,
                    Err(_) => return Err(unknown(source)),
                }
            }
        };
        let stored = stored.as_ref();
        let unchanged = transition.from.is_some_and(|from| from.is(stored));
        if transition.to.is(stored) && !unchanged && transition.proves_by_finding() {
            return Ok(None);
        }
        match refused {
            // Refused against the very state it was made against: a real conflict.
            Some(conflict) if unchanged => return Err(conflict),
            _ if !unchanged || sends >= max_sends || Instant::now() >= deadline => {
                return Err(unknown(source))
            }
            _ => lost = Some(source),
        }
    }
}

/// The stored item a refusal of `call` returned, where it asked. No item
/// back proves nothing here (an engine that ignores the question, an item
/// it could not convert): the key is read instead.
fn returned(refusal: &Error, call: Call<'_>) -> Option<Option<Item>> {
    let asked = match call {
        Call::PutItem(put) => put.return_values_on_condition_check_failure,
        Call::UpdateItem(update) => update.return_values_on_condition_check_failure,
        Call::DeleteItem(delete) => delete.return_values_on_condition_check_failure,
        _ => false,
    };
    let item = refusal.engine_error()?.item.as_deref().cloned()?;
    asked.then_some(Some(item))
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
    let mut deadline = deadline.max(Instant::now() + conn.timeouts().attempt_timeout());
    let output = send_until(conn, table, RetryClass::Read, &mut deadline, &input).await?;
    Ok(output.item.map(StoredItem::into_item))
}
