//! Throttling and faults, through the fault-injecting engine wrapper over
//! every engine: throttled requests are retried with bounded backoff; a
//! dropped connection in the middle of a paged query resumes from the last
//! page without duplicates or gaps; when retries run out the error says what
//! was and was not done.

use crate::common;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use common::faults::{FaultyEngine, Unprocessed};
use common::models::{DoomMap, Player};
use dynamodb_mapper::error::EngineErrorKind;
use dynamodb_mapper::operation::RetryPolicy;
use dynamodb_mapper::{Connection, Document, Error, Model};
use futures::TryStreamExt;

fn faulty(conn: &Connection) -> (Connection, Arc<FaultyEngine>) {
    let engine = Arc::new(FaultyEngine::new(conn.shared_engine(), Unprocessed::None));
    let policy = RetryPolicy {
        max_attempts: 5,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(10),
    };
    let faulty = Connection::from_arc(engine.clone())
        .with_table_prefix(conn.table_name(""))
        .with_retry_policy(policy);
    (faulty, engine)
}

fn engine_error_kind<T: std::fmt::Debug>(result: Result<T, Error>) -> EngineErrorKind {
    match result {
        Err(Error::Engine { source, .. }) => source.kind,
        other => panic!("expected an engine error, got {other:?}"),
    }
}

engine_tests! {
    async fn throttled_requests_are_retried_within_the_budget(conn, engine) {
        conn.create_table::<Player>().await?;
        let (faulty, wrapper) = faulty(&conn);
        wrapper.throttles.store(3, Ordering::SeqCst);
        faulty.save(Document::new(Player { login: "ann".into(), level: 1, ..Default::default() })).await?;
        assert_eq!(wrapper.single_requests.load(Ordering::SeqCst), 4, "three throttled, then done");
        wrapper.throttles.store(4, Ordering::SeqCst);
        assert_eq!(faulty.get::<Player>("ann".into()).await?.map(|p| p.level), Some(1));

        // More throttling than the budget: a typed error, and nothing written.
        wrapper.throttles.store(100, Ordering::SeqCst);
        let result = faulty.save(Document::new(Player { login: "bob".into(), ..Default::default() })).await;
        assert_eq!(engine_error_kind(result), EngineErrorKind::Throttled, "refused, not applied");
        wrapper.throttles.store(0, Ordering::SeqCst);
        assert!(conn.get::<Player>("bob".into()).await?.is_none());
    }

    async fn a_dropped_connection_mid_query_resumes_without_duplicates_or_gaps(conn, engine) {
        conn.create_table::<DoomMap>().await?;
        let maps: Vec<DoomMap> = (1..=10).map(|m| DoomMap::new(1, m, &format!("E1M{m}"))).collect();
        conn.save_batch(&maps).await?;
        let (faulty, wrapper) = faulty(&conn);
        wrapper.drop_page.store(3, Ordering::SeqCst);
        let seen: Vec<i64> = faulty.query::<DoomMap>(1).page_size(2).map_ok(|m| m.map).try_collect().await?;
        assert_eq!(seen, (1..=10).collect::<Vec<_>>());
        assert!(wrapper.page_requests.load(Ordering::SeqCst) >= 6, "the third page was asked for twice");
    }

    async fn a_conditional_write_whose_answer_is_lost_is_resolved_by_reading(conn, engine) {
        conn.create_table::<Player>().await?;
        let (faulty, wrapper) = faulty(&conn);
        wrapper.drop_writes.store(true, Ordering::SeqCst);
        let mut ann = Document::new(Player { login: "ann".into(), ..Default::default() });
        faulty.save(&mut ann).raise_on_conflict().await?;
        assert_eq!(wrapper.single_requests.load(Ordering::SeqCst), 2, "one put, then one read of its key; the put is not sent again");
        assert!(ann.is_loaded(), "the read showed the write applied: the document is saved");
        assert!(conn.get::<Player>("ann".into()).await?.is_some());
        // An update that adds cannot be checked by reading: it says so.
        let f = Player::fields();
        let result = faulty.update::<Player>("ann".into()).add(f.level, 1u32).await;
        assert!(result.is_err_and(|e| e.is_outcome_unknown()), "the outcome is unknown: said so, not guessed");
        assert_eq!(conn.get::<Player>("ann".into()).await?.map(|p| p.level), Some(1), "applied once");
    }

    async fn a_conflict_that_may_be_our_own_write_is_not_reported_as_one(conn, engine) {
        conn.create_table::<Player>().await?;
        conn.save(Document::new(Player { login: "ann".into(), level: 1, ..Default::default() })).await?;
        let (faulty, wrapper) = faulty(&conn);
        let mut ann = faulty.get::<Player>("ann".into()).await?.expect("saved");
        // Our save is applied, its answer lost, and another program writes
        // before we can look: our resend then fails its condition because of
        // our own first write, which is not a conflict to report.
        wrapper.drop_writes.store(true, Ordering::SeqCst);
        let other = Player { login: "ann".into(), level: 50, ..Default::default() };
        *wrapper.interloper.lock().expect("not poisoned") = Some(dynamodb_mapper::engine::request::PutItemInput::new(
            conn.table_name("players"),
            other.to_item()?,
        ));
        ann.level = 2;
        let result = faulty.save(&mut ann).raise_on_conflict().await;
        assert!(result.as_ref().is_err_and(|e| e.is_outcome_unknown()), "{result:?}");
        assert_eq!(conn.get::<Player>("ann".into()).await?.map(|p| p.level), Some(50), "the other program's write stands");
    }
}
