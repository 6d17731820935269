//! A metrics engine: `cargo run --example metrics_engine`. It wraps the
//! embedded engine, counts GetItem calls and single-item writes (PutItem,
//! and UpdateItem: a save of a loaded document is an update of its
//! attributes) and their time, and forwards every other request untouched.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Instant;

use dynamodb_mapper::engine::request::{
    GetItemInput, GetItemOutput, PutItemInput, UpdateItemInput, UpdateItemOutput, WriteOutput,
};
use dynamodb_mapper::engine::{EmbeddedEngine, Engine, EngineFuture, EngineWrapper};
use dynamodb_mapper::{Connection, Document, Model};

/// Calls of one operation and their total time.
#[derive(Debug, Default)]
struct Counter {
    calls: AtomicU64,
    micros: AtomicU64,
}

impl Counter {
    /// Counts `call` and times it until its answer.
    fn time<'a, T: 'a>(
        &'a self,
        call: impl FnOnce() -> EngineFuture<'a, T>,
    ) -> EngineFuture<'a, T> {
        let start = Instant::now();
        let answer = call(); // the embedded engine does its work here
        Box::pin(async move {
            let result = answer.await;
            self.calls.fetch_add(1, Relaxed);
            self.micros
                .fetch_add(start.elapsed().as_micros() as u64, Relaxed);
            result
        })
    }
}

#[derive(Debug)]
struct Metrics {
    inner: EmbeddedEngine,
    gets: Counter,
    writes: Counter,
}

impl EngineWrapper for Metrics {
    fn inner(&self) -> &dyn Engine {
        &self.inner
    }
    fn get_item<'a>(&'a self, input: &GetItemInput) -> EngineFuture<'a, GetItemOutput> {
        self.gets.time(|| self.inner.get_item(input))
    }
    fn put_item<'a>(&'a self, input: &PutItemInput) -> EngineFuture<'a, WriteOutput> {
        self.writes.time(|| self.inner.put_item(input))
    }
    fn update_item<'a>(&'a self, input: &UpdateItemInput) -> EngineFuture<'a, UpdateItemOutput> {
        self.writes.time(|| self.inner.update_item(input))
    }
}

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "players", hash_key = "login")]
struct Player {
    login: String,
    level: u32,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let metrics = Arc::new(Metrics {
        inner: EmbeddedEngine::memory()?,
        gets: Counter::default(),
        writes: Counter::default(),
    });
    let conn = Connection::from_arc(metrics.clone());
    conn.create_table::<Player>().await?; // not counted: forwarded as it is
    let mut ann = Document::new(Player {
        login: "ann".into(),
        level: 1,
    });
    conn.save(&mut ann).await?;
    ann.level = 2;
    conn.save(&mut ann).raise_on_conflict().await?;
    let stored = conn
        .get::<Player>("ann".into())
        .await?
        .ok_or("ann is missing")?;
    println!("{} is at level {}", stored.login, stored.level);
    for (operation, counter) in [("GetItem", &metrics.gets), ("writes", &metrics.writes)] {
        let calls = counter.calls.load(Relaxed);
        let micros = counter.micros.load(Relaxed);
        println!("{operation}: {calls} calls, {micros} µs");
    }
    assert_eq!(metrics.gets.calls.load(Relaxed), 1);
    assert_eq!(metrics.writes.calls.load(Relaxed), 2);
    Ok(())
}
