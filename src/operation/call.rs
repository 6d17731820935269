//! Sending one request: a tracing span, the connection's timeouts, and
//! retries after errors that allow them.

use std::time::Duration;

use tokio::time::Instant;
use tracing::Instrument;

use crate::engine::request::*;
use crate::error::{EngineError, EngineErrorKind, Error};
use crate::Connection;

/// Whether a request may be sent again after an error that may follow its
/// being applied (a lost, late or unreadable answer, a server error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryClass {
    /// Reads: sent again after any retryable error.
    Read,
    /// Writes that do the same when repeated: unconditional puts and
    /// deletes, batch writes, SET-only updates, transactions with their
    /// idempotency token. Sent again after a lost answer; once an attempt
    /// may have been applied, a later failure still reports that.
    Safe,
    /// Writes that may not be repeated blindly (conditions, ADD, arithmetic,
    /// list appends): sent again only after errors that mean they were not
    /// applied (throttling).
    IfRefused,
}

/// Runs one engine call in a tracing span naming the operation and table,
/// recording the consumed capacity (asked for only when the span is
/// recorded: the answer costs the engine work), and names both in any
/// error. No answer within `timeout` is an [`EngineErrorKind::Timeout`].
async fn call(
    conn: &Connection,
    table: &str,
    timeout: Duration,
    call: Call<'_>,
) -> Result<Response, Error> {
    let operation = call.name();
    let span = tracing::debug_span!(
        "dynamodb",
        operation,
        table,
        consumed_capacity = tracing::field::Empty
    );
    let request = Request::new(call).with_consumed_capacity(!span.is_disabled());
    let future = conn.engine().exec(request).instrument(span.clone());
    let result = match tokio::time::timeout(timeout, future).await {
        Ok(result) => result,
        Err(_) => Err(EngineError::new(
            EngineErrorKind::Timeout,
            None,
            format!("no answer within {timeout:?}"),
        )),
    };
    match result {
        Ok(response) => {
            if let Some(capacity) = response.consumed_capacity() {
                span.record("consumed_capacity", capacity);
            }
            Ok(response)
        }
        Err(source) => Err(Error::engine(operation, table, source)),
    }
}

/// [`call_retrying`], typed: the output of `input`'s call.
pub(crate) async fn send<I: Input>(
    conn: &Connection,
    table: &str,
    repeat: RetryClass,
    input: &I,
) -> Result<I::Output, Error> {
    let response = call_retrying(conn, table, repeat, input.call()).await?;
    typed(input, table, response)
}

/// [`call_until`], typed: the output of `input`'s call.
pub(crate) async fn send_until<I: Input>(
    conn: &Connection,
    table: &str,
    repeat: RetryClass,
    deadline: &mut Instant,
    input: &I,
) -> Result<I::Output, Error> {
    let response = call_until(conn, table, repeat, deadline, input.call()).await?;
    typed(input, table, response)
}

/// The output `response` carries, as the answer to `input`; another
/// call's response is an engine error of `input`'s call.
pub(crate) fn typed<I: Input>(
    input: &I,
    table: &str,
    response: Response,
) -> Result<I::Output, Error> {
    I::output(response).map_err(|e| Error::engine(input.call().name(), table, e))
}

/// [`call`], sending the request again after a retryable error, with the
/// connection's bounded backoff, within its operation timeout.
///
/// When the attempts or the time run out the last error is returned. For a
/// write, once an attempt may have been applied, a later refusal (throttled,
/// denied, invalid) says nothing of that attempt: the earlier error is
/// returned instead, so the caller learns the outcome is unknown. Only a
/// cancelled transaction is an answer about the whole write (its idempotency
/// token makes a resend the same request).
pub(crate) async fn call_retrying(
    conn: &Connection,
    table: &str,
    repeat: RetryClass,
    call: Call<'_>,
) -> Result<Response, Error> {
    let mut deadline = Instant::now() + conn.timeouts().operation_timeout();
    call_until(conn, table, repeat, &mut deadline, call).await
}

/// [`call_retrying`] with a deadline of the caller's, for operations made of
/// several requests that share one operation timeout. Time spent waiting for
/// capacity (a paced connection) moves the deadline later, for this request
/// and the caller's next ones; once a request was sent, never past the
/// longest operation timeout after its first sending (an idempotency token
/// is honoured for ten minutes).
pub(crate) async fn call_until(
    conn: &Connection,
    table: &str,
    repeat: RetryClass,
    deadline: &mut Instant,
    request: Call<'_>,
) -> Result<Response, Error> {
    let operation = request.name();
    let policy = *conn.retry_policy();
    let timeouts = *conn.timeouts();
    let mut uncertain: Option<Error> = None;
    let mut first_sent: Option<Instant> = None;
    let mut attempt = 0;
    loop {
        attempt += 1;
        if let Some(pacer) = conn.pacer() {
            // Waiting for capacity is no time the engine took.
            *deadline += pacer.turn(operation, table).await;
            if let Some(first) = first_sent {
                *deadline = (*deadline).min(first + super::MAX_OPERATION_TIMEOUT);
            }
        }
        first_sent.get_or_insert_with(Instant::now);
        let deadline = *deadline;
        // At least a millisecond: a deadline already passed still sends once.
        let left = deadline.saturating_duration_since(Instant::now());
        let timeout = timeouts
            .attempt_timeout()
            .min(left)
            .max(Duration::from_millis(1));
        let error = match call(conn, table, timeout, request).await {
            Ok(output) => return Ok(output),
            Err(error) => error,
        };
        let Error::Engine { source, .. } = &error else {
            return Err(error);
        };
        let retry = match source.kind {
            EngineErrorKind::Throttled => true,
            _ if source.may_have_applied() => repeat != RetryClass::IfRefused,
            _ => false,
        };
        let may_have_applied = source.may_have_applied();
        let answered = source.kind == EngineErrorKind::TransactionCanceled;
        let pause = policy.backoff(attempt);
        let out_of_time = Instant::now() + pause >= deadline;
        if !retry || attempt >= policy.max_attempts || out_of_time {
            return Err(match uncertain {
                Some(earlier) if !may_have_applied && !answered => earlier,
                _ => error,
            });
        }
        tracing::debug!(operation, table, attempt, error = %source, "retrying");
        if may_have_applied && repeat != RetryClass::Read {
            uncertain = Some(error);
        }
        tokio::time::sleep(pause).await;
    }
}
