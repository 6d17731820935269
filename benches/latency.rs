//! Bulk work at a real call's latency: `save_batch`, `get_batch` and a
//! parallel scan of 10,000 items through a proxy that delays every request
//! by 5 ms (`support::latency`) in front of dynoxide's HTTP server, against
//! (a) the same work written by hand on the raw SDK (its batch calls, a loop
//! over unprocessed items, the same requests in flight) and (b) loops of
//! single saves and gets through the mapper. Not criterion: a report, as
//! `scripts/bench-report` reads it (about 3 minutes).
//!
//!     cargo bench --bench latency [-- --items 10000 --loop-items 1000
//!                                    --delay-ms 5 --runs 5 --segments 4]
//!
//! The single-item loops run over `--loop-items` items (at 5 ms a loop of
//! 10,000 takes a minute) and are scaled to `--items`: each call waits for
//! the one before it, so their time grows with the count.

mod support;

use std::time::{Duration, Instant};

use dynamodb_mapper::operation::DEFAULT_BATCH_CONCURRENCY;
use dynamodb_mapper::{Connection, Document};
use futures::TryStreamExt;
use support::batch::{hand_get_batch, hand_parallel_scan, hand_save_batch};
use support::{order, Order};

struct Options {
    items: u64,
    loop_items: u64,
    delay: Duration,
    runs: usize,
    segments: u32,
}

fn options() -> Options {
    let args: Vec<String> = std::env::args().collect();
    let value = |name: &str, default: u64| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    Options {
        items: value("--items", 10_000),
        loop_items: value("--loop-items", 1_000),
        delay: Duration::from_millis(value("--delay-ms", 5)),
        runs: value("--runs", 5) as usize,
        segments: value("--segments", 4) as u32,
    }
}

/// How long `work` takes, once.
async fn timed<T>(work: impl std::future::Future<Output = T>) -> (Duration, T) {
    let start = Instant::now();
    let out = work.await;
    (start.elapsed(), out)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Mapper and hand-written runs, alternated so that both see the machine
/// alike; the median of each.
async fn compare<A, B>(
    runs: usize,
    mut mapper: impl FnMut() -> A,
    mut hand: impl FnMut() -> B,
) -> (Duration, Duration)
where
    A: std::future::Future<Output = usize>,
    B: std::future::Future<Output = usize>,
{
    let (mut m, mut h) = (Vec::new(), Vec::new());
    for run in 0..runs {
        // Each goes first every other run.
        if run % 2 == 0 {
            h.push(timed(hand()).await.0);
            m.push(timed(mapper()).await.0);
        } else {
            m.push(timed(mapper()).await.0);
            h.push(timed(hand()).await.0);
        }
    }
    eprintln!("mapper {m:?}\nhand   {h:?}");
    (median(m), median(h))
}

fn row(label: &str, mapper: Duration, baseline: Duration, target: f64, how: &str) {
    let ratio = mapper.as_secs_f64() / baseline.as_secs_f64();
    println!(
        "ROW\t{label}\t{:.4}\t{:.4}\t{ratio:.3}\t{target}\t{how}",
        mapper.as_secs_f64(),
        baseline.as_secs_f64()
    );
}

fn main() {
    let options = options();
    let runtime = support::runtime();
    let server = support::start_dynoxide_http();
    let proxy = support::latency::start_latency_proxy(&server, options.delay);
    let client = support::sdk_client(&proxy);
    let conn = Connection::from_client(client.clone());
    let in_flight = DEFAULT_BATCH_CONCURRENCY;
    let n = options.items;
    let all: Vec<Order> = (0..n).map(|i| order("ann", i)).collect();
    let keys: Vec<(String, u64)> = (0..n).map(|i| ("ann".to_string(), i)).collect();
    eprintln!(
        "{n} items, {} ms per request, {in_flight} batch requests in flight (the default), {} scan segments, {} runs",
        options.delay.as_millis(),
        options.segments,
        options.runs
    );
    runtime.block_on(async {
        conn.create_table::<Order>().await.expect("table");
        // Every measured save overwrites (the first write of a key is cheaper
        // for the server).
        conn.save_batch(&all).await.expect("filled");
        let (mapper, hand) = compare(
            options.runs,
            || async { conn.save_batch(&all).await.expect("saved").written },
            || async {
                hand_save_batch(&client, &all, in_flight).await;
                all.len()
            },
        )
        .await;
        row(
            &format!("save_batch {n} vs hand-written SDK batches"),
            mapper,
            hand,
            1.05,
            "same",
        );
        let save_batch = mapper;

        let (mapper, hand) = compare(
            options.runs,
            || async {
                let found: Vec<_> = conn
                    .get_batch::<Order>(keys.clone())
                    .try_collect()
                    .await
                    .expect("read");
                assert_eq!(found.len(), n as usize);
                found.len()
            },
            || async {
                let found = hand_get_batch(&client, "ann", n, in_flight).await;
                assert_eq!(found.len(), n as usize);
                found.len()
            },
        )
        .await;
        row(
            &format!("get_batch {n} vs hand-written SDK batches"),
            mapper,
            hand,
            1.05,
            "same",
        );
        let get_batch = mapper;

        let segments = options.segments;
        let (mapper, hand) = compare(
            options.runs,
            || async {
                let found: Vec<_> = conn
                    .scan::<Order>()
                    .parallel(segments)
                    .try_collect()
                    .await
                    .expect("scan");
                assert_eq!(found.len(), n as usize);
                found.len()
            },
            || async {
                let found = hand_parallel_scan(&client, segments).await;
                assert_eq!(found.len(), n as usize);
                found.len()
            },
        )
        .await;
        row(
            &format!("parallel scan ({segments} segments) of {n} vs hand-written SDK scan"),
            mapper,
            hand,
            1.05,
            "same",
        );
        let scan = mapper;

        let sample = options.loop_items.min(n) as usize;
        let scale = n as f64 / sample as f64;
        let (saves, _) = timed(async {
            for o in &all[..sample] {
                conn.save(Document::new(o.clone())).await.expect("saved");
            }
        })
        .await;
        let (gets, _) = timed(async {
            for key in &keys[..sample] {
                conn.get::<Order>(key.clone())
                    .await
                    .expect("read")
                    .expect("found");
            }
        })
        .await;
        let saves = saves.mul_f64(scale);
        let gets = gets.mul_f64(scale);
        let how = format!("{sample} calls, times {scale}");
        row(
            &format!("save_batch {n} vs single saves"),
            save_batch,
            saves,
            0.05,
            &how,
        );
        row(
            &format!("get_batch {n} vs single gets"),
            get_batch,
            gets,
            0.05,
            &how,
        );
        row(
            &format!("parallel scan of {n} vs single gets"),
            scan,
            gets,
            0.05,
            &how,
        );
    });
}
