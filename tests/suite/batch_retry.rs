//! Batch gets retry unprocessed keys with bounded backoff, and say what is
//! left when the budget runs out. The fault-injecting wrapper runs over each
//! of the three engines.

use crate::common;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use common::faults::{FaultyEngine, Unprocessed};
use common::models::Player;
use dynamodb_mapper::error::Unfinished;
use dynamodb_mapper::operation::RetryPolicy;
use dynamodb_mapper::{AttributeValue, Connection, Document, Error};
use futures::TryStreamExt;

async fn faulty(
    conn: &Connection,
    unprocessed: Unprocessed,
    max_attempts: u32,
) -> dynamodb_mapper::Result<(Connection, Arc<FaultyEngine>)> {
    conn.create_table::<Player>().wait_for_active().await?;
    for i in 0..150 {
        conn.save(Document::new(Player {
            login: format!("p{i}"),
            level: i,
            ..Default::default()
        }))
        .await?;
    }
    let engine = Arc::new(FaultyEngine::new(conn.shared_engine(), unprocessed));
    let policy = RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(20),
    };
    let faulty = Connection::from_arc(engine.clone())
        .with_table_prefix(conn.table_name(""))
        .with_retry_policy(policy);
    Ok((faulty, engine))
}

engine_tests! {
    async fn unprocessed_keys_are_retried_until_every_item_is_read(conn, engine) {
        let (faulty, wrapper) = faulty(&conn, Unprocessed::Half, 10).await?;
        let keys: Vec<String> = (0..150).map(|i| format!("p{i}")).collect();
        let mut levels: Vec<u32> = faulty.get_batch::<Player>(keys).map_ok(|p| p.level).try_collect().await?;
        levels.sort();
        assert_eq!(levels, (0..150).collect::<Vec<_>>());
        // Two chunks (100 + 50); half of each is left every time: 100 keys
        // take 7 rounds (100, 50, 25, 12, 6, 3, 1 sent), 50 keys take 6.
        assert_eq!(wrapper.batch_requests.load(Ordering::SeqCst), 7 + 6);
    }

    async fn when_retries_run_out_the_error_says_what_is_left(conn, engine) {
        let (faulty, wrapper) = faulty(&conn, Unprocessed::All, 6).await?;
        let keys: Vec<String> = (0..10).map(|i| format!("p{i}")).collect();
        match faulty.get_batch::<Player>(keys).try_collect::<Vec<_>>().await {
            Err(error @ Error::RetriesExhausted { .. }) => {
                assert!(error.to_string().ends_with("gave up after 6 attempts: 0 items read, 10 keys still unprocessed"), "{error}");
                assert!(!error.is_outcome_unknown(), "a read changes nothing");
                let Error::RetriesExhausted { operation, model, attempts, unfinished, .. } = error else { unreachable!() };
                assert_eq!((operation, model, attempts), ("BatchGetItem", "Player", 6));
                match *unfinished {
                    Unfinished::Reads { done, unprocessed, .. } => {
                        assert_eq!((done, unprocessed.len()), (0, 10));
                        let mut logins: Vec<_> = unprocessed.iter().map(|key| key.get("login").cloned()).collect();
                        logins.sort_by_key(|login| format!("{login:?}"));
                        assert_eq!(logins, (0..10).map(|i| Some(AttributeValue::S(format!("p{i}")))).collect::<Vec<_>>(), "every key left is named");
                    }
                    other => panic!("expected unprocessed reads, got {other:?}"),
                }
            }
            other => panic!("expected RetriesExhausted, got {other:?}"),
        }
        assert_eq!(wrapper.batch_requests.load(Ordering::SeqCst), 6, "exactly the retry budget");
    }
}
