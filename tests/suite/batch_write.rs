//! Batch saves and deletes, on every engine: any number of items, duplicates
//! and oversized items refused up front, unprocessed writes retried, and what
//! is left after the retry budget returned, never dropped.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::faults::{FaultyEngine, Unprocessed};
use common::models::Player;
use dynamodb_mapper::attribute::ItemKey;
use dynamodb_mapper::engine::request::{Call, Request, Response};
use dynamodb_mapper::engine::{Engine, EngineFuture, EngineWrapper};
use dynamodb_mapper::error::{EngineError, EngineErrorKind, Unfinished};
use dynamodb_mapper::operation::RetryPolicy;
use dynamodb_mapper::{AttributeValue, Connection, Error};
use futures::TryStreamExt;

fn players(count: u32) -> Vec<Player> {
    (0..count)
        .map(|i| Player {
            login: format!("p{i:03}"),
            level: i,
            ..Default::default()
        })
        .collect()
}

async fn logins(conn: &Connection) -> dynamodb_mapper::Result<Vec<String>> {
    let mut logins: Vec<String> = conn
        .scan::<Player>()
        .map_ok(|p| p.login.clone())
        .try_collect()
        .await?;
    logins.sort();
    Ok(logins)
}

fn faulty(
    conn: &Connection,
    unprocessed: Unprocessed,
    max_attempts: u32,
) -> (Connection, Arc<FaultyEngine>) {
    let engine = Arc::new(FaultyEngine::new(conn.shared_engine(), unprocessed));
    let policy = RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(10),
    };
    let conn = Connection::from_arc(engine.clone())
        .with_table_prefix(conn.table_name(""))
        .with_retry_policy(policy);
    (conn, engine)
}

/// Batch write requests, in the order sent: the first's answer is lost after
/// it was applied, the second is refused (not applied), the rest pass.
#[derive(Debug)]
struct MixedOutcomes {
    inner: Arc<dyn Engine>,
    requests: AtomicUsize,
}

impl EngineWrapper for MixedOutcomes {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }
    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        let Call::BatchWriteItem(_) = request.call else {
            return self.inner.exec(request);
        };
        let sent = self.requests.fetch_add(1, Ordering::SeqCst);
        let forwarded = (sent != 1).then(|| self.inner.exec(request));
        Box::pin(async move {
            match (sent, forwarded) {
                (0, Some(forwarded)) => {
                    forwarded.await?;
                    Err(EngineError::new(
                        EngineErrorKind::Transport,
                        None,
                        "connection reset",
                    ))
                }
                (_, Some(forwarded)) => forwarded.await,
                (_, None) => Err(EngineError::new(
                    EngineErrorKind::Validation,
                    None,
                    "refused",
                )),
            }
        })
    }
}

engine_tests! {
    /// Requests in flight at once each end their own way: the error accounts
    /// for all of them (done, refused and left, of unknown outcome), not only
    /// for the first to fail.
    async fn one_refused_request_does_not_hide_the_others_outcomes(conn, engine) {
        conn.create_table::<Player>().await?;
        let wrapper = Arc::new(MixedOutcomes { inner: conn.shared_engine(), requests: AtomicUsize::new(0) });
        let policy = RetryPolicy { max_attempts: 1, base_delay: Duration::from_millis(1), max_delay: Duration::from_millis(1) };
        let faulty = Connection::from_arc(wrapper.clone())
            .with_table_prefix(conn.table_name(""))
            .with_retry_policy(policy);
        let error = faulty.save_batch(&players(75)).await.expect_err("one lost, one refused");
        assert!(error.is_outcome_unknown(), "{error}");
        let Error::RetriesExhausted { unfinished, .. } = error else { panic!("{error:?}") };
        let Unfinished::Writes { done, unprocessed, uncertain, .. } = *unfinished else { panic!("{unfinished:?}") };
        assert_eq!((done, unprocessed.len(), uncertain.len()), (25, 25, 25));
        // Both lists name the writes by their place in the input, in order.
        for left in [&unprocessed, &uncertain] {
            assert!(left.windows(2).all(|w| w[0].position < w[1].position));
        }
        // What is stored: the done and the uncertain (applied) writes, not the refused.
        assert_eq!(logins(&conn).await?.len(), 50);
        // Refused with nothing else done, the refusal is the error itself.
        let wrapper = Arc::new(MixedOutcomes { inner: conn.shared_engine(), requests: AtomicUsize::new(1) });
        let faulty = Connection::from_arc(wrapper).with_table_prefix(conn.table_name("")).with_retry_policy(policy);
        let error = faulty.save_batch(&players(3)).await.expect_err("refused");
        assert_eq!(error.engine_error().map(|e| e.kind), Some(EngineErrorKind::Validation), "{error}");
    }

    async fn any_number_of_items_are_saved_and_deleted(conn, engine) {
        conn.create_table::<Player>().await?;
        let all = players(60);
        let report = conn.save_batch(&all).await?;
        assert_eq!((report.written, report.requests), (60, 3), "25 + 25 + 10");
        assert_eq!(logins(&conn).await?.len(), 60);
        let loaded = conn.get::<Player>("p042".to_string()).await?.expect("saved");
        assert_eq!(*loaded, all[42]);

        let more = (60..160).map(|i| Player { login: format!("p{i:03}"), ..Default::default() }).collect::<Vec<_>>();
        conn.save_batch(&more).concurrency(4).await?;
        assert_eq!(logins(&conn).await?.len(), 160);

        let report = conn.delete_batch::<Player>((0..150).map(|i| format!("p{i:03}"))).concurrency(3).await?;
        assert_eq!(report.written, 150);
        assert_eq!(logins(&conn).await?, (150..160).map(|i| format!("p{i:03}")).collect::<Vec<_>>());
        assert_eq!(conn.save_batch::<Player>([]).await?.requests, 0);
    }

    async fn a_key_twice_is_refused_before_anything_is_sent(conn, engine) {
        conn.create_table::<Player>().await?;
        let mut batch = players(30);
        batch.push(Player { login: "p007".into(), level: 99, ..Default::default() });
        match conn.save_batch(&batch).await {
            Err(Error::DuplicateKey { model: "Player", key, .. }) => {
                assert_eq!(key, ItemKey::new("login", AttributeValue::S("p007".into())));
                assert_eq!(key.to_string(), "login=\"p007\"");
            }
            other => panic!("expected DuplicateKey, got {other:?}"),
        }
        assert!(logins(&conn).await?.is_empty(), "nothing was written");
        assert!(matches!(conn.delete_batch::<Player>(["a".to_string(), "a".to_string()]).await, Err(Error::DuplicateKey { .. })));
    }

    async fn an_item_over_400_kb_is_refused_before_anything_is_sent(conn, engine) {
        conn.create_table::<Player>().await?;
        let mut batch = players(3);
        batch[1].display_name = "x".repeat(410_000);
        match conn.save_batch(&batch).await {
            Err(Error::ItemTooLarge { key, size, .. }) => {
                assert_eq!(key.to_string(), "login=\"p001\"");
                assert!(size > 409_600);
            }
            other => panic!("expected ItemTooLarge, got {other:?}"),
        }
        assert!(logins(&conn).await?.is_empty());
    }

    async fn with_half_of_every_request_unprocessed_every_item_is_written(conn, engine) {
        conn.create_table::<Player>().await?;
        let (faulty, wrapper) = faulty(&conn, Unprocessed::Half, 10);
        let report = faulty.save_batch(&players(60)).await?;
        assert_eq!((report.written, report.requests), (60, 3));
        assert_eq!(logins(&conn).await?.len(), 60);
        // 25 writes take 5 rounds (25, 12, 6, 3, 1 sent... ), twice; 10 take 4.
        assert_eq!(wrapper.batch_requests.load(Ordering::SeqCst), 5 + 5 + 4);
    }

    async fn when_retries_run_out_every_leftover_is_returned(conn, engine) {
        conn.create_table::<Player>().await?;
        let (faulty, wrapper) = faulty(&conn, Unprocessed::All, 4);
        match faulty.save_batch(&players(30)).await {
            Err(Error::RetriesExhausted { operation, model, attempts, unfinished, .. }) => {
                assert_eq!((operation, model, attempts), ("BatchWriteItem", "Player", 4));
                let Unfinished::Writes { done: 0, unprocessed: leftovers, uncertain, .. } = *unfinished else {
                    panic!("expected unprocessed writes, got {unfinished:?}");
                };
                assert!(uncertain.is_empty());
                assert_eq!(leftovers.iter().map(|l| l.position).collect::<Vec<_>>(), (0..30).collect::<Vec<_>>());
                assert_eq!(leftovers[7].key.get("login"), Some(&AttributeValue::S("p007".into())));
            }
            other => panic!("expected RetriesExhausted, got {other:?}"),
        }
        assert_eq!(wrapper.batch_requests.load(Ordering::SeqCst), 2 * 4, "two requests, each within its budget");
        assert!(logins(&conn).await?.is_empty());
    }
}
