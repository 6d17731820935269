//! Saves per second on the embedded engine, by quarter of the run: a plain
//! table, a table with a stream (its records indexed by the engine), and,
//! for the record, a table with a stream as dynoxide keeps it alone (the
//! index dropped), over fewer writes since that one slows down as it goes.
//! Prints the BENCHMARKS.md table: `cargo bench --bench stream_writes`.

use std::time::Instant;

use dynamodb_mapper::engine::EmbeddedEngine;
use dynamodb_mapper::{Connection, Document, Model};

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "plain", hash_key = "id")]
struct Plain {
    id: u64,
    name: String,
    count: u32,
}

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "streamed", hash_key = "id", stream = "new_and_old_images")]
struct Streamed {
    id: u64,
    name: String,
    count: u32,
}

/// Items per second in each quarter of `total` saves made by `save`.
async fn quarters<F, Fut>(total: u64, mut save: F) -> [f64; 4]
where
    F: FnMut(u64) -> Fut,
    Fut: std::future::Future<Output = dynamodb_mapper::Result<()>>,
{
    let quarter = total / 4;
    let mut rates = [0.0; 4];
    for (q, rate) in rates.iter_mut().enumerate() {
        let started = Instant::now();
        for i in 0..quarter {
            save(q as u64 * quarter + i).await.expect("saved");
        }
        *rate = quarter as f64 / started.elapsed().as_secs_f64();
    }
    rates
}

/// Saves per second in each quarter of `total` saves to a plain table and
/// to a table with a stream, interleaved by chunks of 1,000 so that both see
/// the same machine (a shared machine's speed drifts by more than the
/// difference measured).
async fn paired(total: u64) -> ([f64; 4], [f64; 4]) {
    const CHUNK: u64 = 1_000;
    let plain = Connection::embedded().expect("engine");
    plain.create_table::<Plain>().await.expect("table");
    let streamed = Connection::embedded().expect("engine");
    streamed.create_table::<Streamed>().await.expect("table");
    let quarter = total / 4;
    let (mut plain_rates, mut stream_rates) = ([0.0; 4], [0.0; 4]);
    for q in 0..4 {
        let (mut plain_time, mut stream_time) = (0.0, 0.0);
        for chunk in 0..quarter / CHUNK {
            let first = q * quarter + chunk * CHUNK;
            let started = Instant::now();
            for id in first..first + CHUNK {
                let item = Plain {
                    id,
                    name: format!("item {id}"),
                    count: 1,
                };
                plain.save(Document::new(item)).await.expect("saved");
            }
            plain_time += started.elapsed().as_secs_f64();
            let started = Instant::now();
            for id in first..first + CHUNK {
                let item = Streamed {
                    id,
                    name: format!("item {id}"),
                    count: 1,
                };
                streamed.save(Document::new(item)).await.expect("saved");
            }
            stream_time += started.elapsed().as_secs_f64();
        }
        plain_rates[q as usize] = quarter as f64 / plain_time;
        stream_rates[q as usize] = quarter as f64 / stream_time;
    }
    (plain_rates, stream_rates)
}

fn row(what: &str, total: u64, rates: [f64; 4]) {
    let cells: Vec<String> = rates.iter().map(|r| format!("{r:.0}")).collect();
    println!("| {what} | {total} | {} |", cells.join(" | "));
}

fn main() {
    // `cargo bench` passes `--bench`; a `--test` run (cargo test --benches) only checks it builds.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        println!("| saves | writes | 1st quarter | 2nd | 3rd | 4th |");
        println!("|---|---|---|---|---|---|");
        let (plain, streamed) = paired(100_000).await;
        row("plain table (items/s)", 100_000, plain);
        row("table with a stream (items/s)", 100_000, streamed);
        let ratios: Vec<String> = plain
            .iter()
            .zip(&streamed)
            .map(|(p, s)| format!("{:.2}", s / p))
            .collect();
        println!("| with a stream / plain | | {} |", ratios.join(" | "));

        // dynoxide alone: a file database whose index is dropped again.
        let dir = std::env::temp_dir().join(format!("stream-writes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a directory");
        let path = dir.join("alone.sqlite");
        let engine = EmbeddedEngine::open(&path).expect("engine");
        let sqlite = rusqlite::Connection::open(&path).expect("sqlite");
        sqlite
            .execute_batch("DROP INDEX IF EXISTS dynamodb_mapper_stream_sequence")
            .expect("dropped");
        let conn = Connection::new(engine);
        conn.create_table::<Streamed>().await.expect("table");
        let alone = quarters(20_000, |id| {
            let conn = conn.clone();
            async move {
                conn.save(Document::new(Streamed {
                    id,
                    name: format!("item {id}"),
                    count: 1,
                }))
                .await
            }
        })
        .await;
        row("stream, dynoxide's own indexes (items/s)", 20_000, alone);
        let _ = std::fs::remove_dir_all(&dir);
    });
}
