//! Batch saves and deletes, on every engine: any number of items, duplicates
//! and oversized items refused up front, unprocessed writes retried, and what
//! is left after the retry budget returned, never dropped.

use crate::common;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use common::faults::{FaultyEngine, Unprocessed};
use common::models::Player;
use dynamodb_mapper::operation::RetryPolicy;
use dynamodb_mapper::{AttributeValue, Connection, Error, ItemKey, Unfinished};
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

engine_tests! {
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
