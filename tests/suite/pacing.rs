//! Capacity pacing on every engine: each request pays what it consumed
//! (reported, or estimated from item sizes where the engine reports none),
//! throttling lowers the rate, a wait for capacity is never an attempt's
//! timeout, and long work reports its progress. No assertion on timing:
//! `scripts/pacing-report` measures the rate held.

use std::sync::{Arc, Mutex};

use dynamodb_mapper::operation::Progress;
use dynamodb_mapper::operation::{CapacityKind, CapacityLimit};
#[cfg(feature = "embedded")]
use dynamodb_mapper::Connection;
use futures::TryStreamExt;

#[cfg(feature = "embedded")]
use crate::common;
use crate::common::models::DoomMap;

fn maps(count: i64) -> Vec<DoomMap> {
    (0..count).map(|m| DoomMap::new(1, m, "E1")).collect()
}

engine_tests! {
    async fn a_paced_connection_pays_what_each_request_consumed(conn, engine) {
        let conn = conn.with_capacity_limit(CapacityLimit::reads(10_000.0).with_writes(10_000.0))?;
        conn.create_table::<DoomMap>().await?;
        let reports: Arc<Mutex<Vec<Progress>>> = Arc::default();
        let sink = Arc::clone(&reports);
        let maps = maps(30);
        let report = conn
            .save_batch(&maps)
            .on_progress(move |p| sink.lock().unwrap().push(*p))
            .await?;
        assert_eq!(report.written, 30);
        let last = *reports.lock().unwrap().last().expect("a final report");
        assert_eq!((last.items, last.total, last.finished), (30, Some(30), true));
        let sink = Arc::clone(&reports);
        let scanned: Vec<_> = conn
            .scan::<DoomMap>()
            .page_size(7)
            .on_progress(move |p| sink.lock().unwrap().push(*p))
            .try_collect()
            .await?;
        assert_eq!(scanned.len(), 30);
        let last = *reports.lock().unwrap().last().expect("a final report");
        assert_eq!((last.items, last.total, last.finished), (30, None, true));
        let pacer = conn.pacer().expect("paced");
        let table = conn.table_name("doom_map");
        let writes = pacer.stats(&table, CapacityKind::Write).expect("writes paced");
        let reads = pacer.stats(&table, CapacityKind::Read).expect("reads paced");
        // What the engine reported (moto reports a unit per batch request,
        // dynoxide a unit per item): something was paid for each kind.
        assert!(writes.consumed >= 1.0, "{engine:?}: {writes:?}");
        assert!(reads.consumed > 0.0, "{engine:?}: {reads:?}");
        assert_eq!((writes.throttled, reads.throttled), (0, 0));
        // Unpaced, the same connection pays nothing.
        conn.unpaced().scan::<DoomMap>().try_collect::<Vec<_>>().await?;
        assert_eq!(pacer.stats(&table, CapacityKind::Read).unwrap().consumed, reads.consumed);
    }
}

/// The embedded engine's own tests (no server needed).
#[cfg(feature = "embedded")]
mod on_embedded {
    use super::*;

    use std::time::Duration;

    use dynamodb_mapper::operation::Timeouts;
    use dynamodb_mapper::{Document, Error, Model};

    use dynamodb_mapper::engine::request::*;
    use dynamodb_mapper::engine::{Engine, EngineFuture, EngineWrapper};

    use crate::common::faults::{FaultyEngine, Unprocessed};

    /// Reports no consumed capacity, as ScyllaDB Alternator on Query and Scan.
    #[derive(Debug)]
    struct Silent(Arc<dyn Engine>);

    impl EngineWrapper for Silent {
        fn inner(&self) -> &dyn Engine {
            &*self.0
        }
        fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
            let answer = self.0.exec(request);
            Box::pin(async move {
                Ok(match answer.await? {
                    Response::Scan(mut page) => {
                        page.consumed_capacity = None;
                        Response::Scan(page)
                    }
                    Response::BatchWriteItem(mut written) => {
                        written.consumed_capacity = None;
                        Response::BatchWriteItem(written)
                    }
                    other => other,
                })
            })
        }
    }

    #[tokio::test]
    async fn without_reported_capacity_the_items_sizes_are_paid(
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let conn = common::connect(common::EngineKind::Embedded).await;
        let silent = Connection::from_arc(Arc::new(Silent(conn.shared_engine())))
            .with_table_prefix(conn.table_name(""))
            .with_capacity_limit(CapacityLimit::reads(10_000.0).with_writes(10_000.0))?;
        silent.create_table::<DoomMap>().await?;
        silent.save_batch(&maps(30)).await?;
        silent
            .scan::<DoomMap>()
            .page_size(10)
            .try_collect::<Vec<_>>()
            .await?;
        let pacer = silent.pacer().expect("paced");
        let table = silent.table_name("doom_map");
        // 30 small items: a write unit each; 3 small pages: half a read unit each.
        assert_eq!(
            pacer.stats(&table, CapacityKind::Write).unwrap().consumed,
            30.0
        );
        let reads = pacer.stats(&table, CapacityKind::Read).unwrap().consumed;
        assert!((1.5..=2.0).contains(&reads), "{reads}");
        Ok(())
    }

    #[tokio::test]
    async fn throttling_lowers_the_rate() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let conn = common::connect(common::EngineKind::Embedded).await;
        conn.create_table::<DoomMap>().await?;
        let faulty = Arc::new(FaultyEngine::new(conn.shared_engine(), Unprocessed::Half));
        let paced = Connection::from_arc(faulty)
            .with_table_prefix(conn.table_name(""))
            .with_capacity_limit(CapacityLimit::writes(10_000.0))?;
        paced.save_batch(&maps(50)).await?;
        let stats = paced
            .pacer()
            .and_then(|p| p.stats(&paced.table_name("doom_map"), CapacityKind::Write))
            .expect("paced");
        assert!(stats.throttled >= 1, "{stats:?}");
        assert!(stats.rate < 10_000.0, "{stats:?}");
        let fixed = paced.with_capacity_limit(CapacityLimit::writes(10_000.0).fixed())?;
        fixed.save_batch(&maps(50)).await?;
        let stats = fixed
            .pacer()
            .and_then(|p| p.stats(&paced.table_name("doom_map"), CapacityKind::Write))
            .expect("paced");
        assert!(stats.throttled >= 1 && stats.rate == 10_000.0, "{stats:?}");
        Ok(())
    }

    #[tokio::test]
    async fn a_wait_for_capacity_is_no_timeout(
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let conn = common::connect(common::EngineKind::Embedded).await;
        conn.create_table::<DoomMap>().await?;
        // Six writes of a unit at 8 units a second take over half a second of
        // waiting, longer than an attempt or a whole operation may take.
        let slow = conn
            .with_timeouts(
                Timeouts::default()
                    .attempt(Duration::from_millis(50))
                    .operation(Duration::from_millis(100)),
            )
            .with_capacity_limit(CapacityLimit::writes(8.0).with_burst(Duration::ZERO))?;
        for map in maps(6) {
            slow.save(Document::new(map)).raise_on_conflict().await?;
        }
        let stats = slow
            .pacer()
            .and_then(|p| p.stats("", CapacityKind::Write))
            .expect("paced");
        assert!(
            stats.consumed >= 6.0 && stats.waited > Duration::ZERO,
            "{stats:?}"
        );
        Ok(())
    }

    #[tokio::test]
    async fn a_write_refused_by_its_condition_is_charged(
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let conn = common::connect(common::EngineKind::Embedded)
            .await
            .with_capacity_limit(CapacityLimit::writes(10_000.0))?;
        conn.create_table::<DoomMap>().await?;
        let map = maps(1).remove(0);
        conn.save(Document::new(map.clone()))
            .raise_on_conflict()
            .await?;
        let refused = conn.save(Document::new(map)).raise_on_conflict().await;
        assert!(matches!(refused, Err(Error::Conflict(_))), "{refused:?}");
        let stats = conn
            .pacer()
            .and_then(|p| p.stats("", CapacityKind::Write))
            .expect("paced");
        assert!(stats.consumed >= 2.0, "{stats:?}");
        // The shared engine is the one without pacing.
        let unpaced =
            Connection::from_arc(conn.shared_engine()).with_table_prefix(conn.table_name(""));
        unpaced.scan::<DoomMap>().try_collect::<Vec<_>>().await?;
        assert!(conn
            .pacer()
            .and_then(|p| p.stats("", CapacityKind::Read))
            .is_none());
        Ok(())
    }

    #[tokio::test]
    async fn limits_that_are_no_rate_are_typed_errors() {
        let conn = Connection::embedded().expect("embedded");
        for limit in [
            CapacityLimit::reads(0.0),
            CapacityLimit::writes(-3.0),
            CapacityLimit::reads(f64::NAN),
            CapacityLimit::reads(1e-300),
            CapacityLimit::writes(f64::INFINITY),
            CapacityLimit::reads(1.0).with_burst(Duration::from_secs(86_400)),
        ] {
            let error = conn.with_capacity_limit(limit).unwrap_err();
            assert!(matches!(error, Error::Setup { .. }), "{error}");
            assert!(std::error::Error::source(&error).is_some());
        }
        assert!(conn.pacer().is_none());
        assert!(DoomMap::SCHEMA.table == "doom_map");
    }
}
