//! Capacity pacing, measured: how close the consumed capacity comes to a
//! configured rate over a long scan (one segment, and four in parallel) and
//! a bulk batch write, on the embedded engine and over HTTP (dynoxide's
//! server). The consumed units are what the engine reported (both report
//! them); the rate is units / elapsed time from the first request to the
//! last answer. Prints one line per row; no assertion.
//!
//!     cargo bench --bench pacing                 # 30-second runs
//!     cargo bench --bench pacing -- --seconds 5  # shorter

mod support;

use std::time::{Duration, Instant};

use dynamodb_mapper::operation::{CapacityKind, CapacityLimit};
use dynamodb_mapper::{Connection, Model};
use futures::StreamExt;
use support::{order, Order};

/// Read units per second a scan is paced to, and write units a batch write.
const READ_UNITS: f64 = 80.0;
const WRITE_UNITS: f64 = 300.0;
/// Items in the table: more than a paced scan reads in its time.
const ITEMS: u64 = 60_000;

fn main() {
    let seconds: u64 = std::env::args()
        .skip_while(|a| a != "--seconds")
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    let window = Duration::from_secs(seconds);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let embedded = Connection::embedded().expect("embedded");
        let http = Connection::from_client(support::sdk_client(&support::start_dynoxide_http()));
        for (engine, conn) in [("embedded", embedded), ("over HTTP", http)] {
            fill(&conn).await;
            for segments in [1, 4] {
                // The engine's own speed first: the limit must be below it.
                let (units, elapsed, _) = scan(&conn, segments, None, REFERENCE).await;
                let own = units / elapsed.as_secs_f64();
                let (units, elapsed, items) = scan(&conn, segments, Some(READ_UNITS), window).await;
                let work = format!("scan, {segments} segment(s), {items} items");
                row(engine, &work, READ_UNITS, units, elapsed, own);
            }
            let (units, elapsed, _) = write(&conn, None, REFERENCE).await;
            let own = units / elapsed.as_secs_f64();
            let (units, elapsed, items) = write(&conn, Some(WRITE_UNITS), window).await;
            let work = format!("save_batch, {items} items");
            row(engine, &work, WRITE_UNITS, units, elapsed, own);
        }
    });
}

/// How long the unpaced reference runs.
const REFERENCE: Duration = Duration::from_secs(3);

fn row(engine: &str, work: &str, limit: f64, units: f64, elapsed: Duration, own: f64) {
    let rate = units / elapsed.as_secs_f64();
    println!(
        "pacing {engine:>9}: {work:<36} limit {limit:>4.0} units/s (unpaced {own:>6.0}): consumed {units:>7.1} in {:>4.1} s = {rate:>6.1} units/s ({:.3}x)",
        elapsed.as_secs_f64(),
        rate / limit
    );
}

async fn fill(conn: &Connection) {
    conn.create_table::<Order>().await.expect("table");
    let orders: Vec<Order> = (0..ITEMS)
        .map(|i| order(&format!("c{}", i % 1000), i))
        .collect();
    conn.save_batch(&orders)
        .concurrency(4)
        .await
        .expect("filled");
}

/// Scans for `window` under a read limit (or one too high to matter); the
/// units consumed, the time, the items read.
async fn scan(
    conn: &Connection,
    segments: u32,
    limit: Option<f64>,
    window: Duration,
) -> (f64, Duration, u64) {
    let limit = CapacityLimit::reads(limit.unwrap_or(1e9));
    let paced = conn.with_capacity_limit(limit).expect("limit");
    let start = Instant::now();
    let mut items = 0;
    let mut stream = paced.scan::<Order>().page_size(100).parallel(segments);
    while start.elapsed() < window {
        match stream.next().await {
            Some(Ok(_)) => items += 1,
            Some(Err(error)) => panic!("{error}"),
            None => break,
        }
    }
    let elapsed = start.elapsed();
    let stats = paced
        .pacer()
        .and_then(|p| p.stats("", CapacityKind::Read))
        .expect("paced");
    (stats.consumed, elapsed, items)
}

/// Batch-writes for `window` under a write limit (or one too high to matter).
async fn write(conn: &Connection, limit: Option<f64>, window: Duration) -> (f64, Duration, u64) {
    let limit = CapacityLimit::writes(limit.unwrap_or(1e9));
    let paced = conn.with_capacity_limit(limit).expect("limit");
    let start = Instant::now();
    let mut items = 0;
    let mut round = 0;
    while start.elapsed() < window {
        // Rounds of 250 writes (ten requests), four in flight.
        let orders: Vec<Order> = (0..250).map(|i| order(&format!("w{round}"), i)).collect();
        items += paced
            .save_batch(&orders)
            .concurrency(4)
            .await
            .expect("written")
            .written as u64;
        round += 1;
    }
    let elapsed = start.elapsed();
    let stats = paced
        .pacer()
        .and_then(|p| p.stats("", CapacityKind::Write))
        .expect("paced");
    let _ = Order::SCHEMA;
    (stats.consumed, elapsed, items)
}
