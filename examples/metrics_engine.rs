//! A metrics engine: `cargo run --example metrics_engine`. It wraps the
//! embedded engine and counts every call and its time by the call's name
//! (GetItem, PutItem, UpdateItem: a save of a loaded document is an update
//! of its attributes, ...): one method, `exec`, sees every request.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dynamodb_mapper::engine::request::{Request, Response};
use dynamodb_mapper::engine::{EmbeddedEngine, Engine, EngineFuture, EngineWrapper};
use dynamodb_mapper::{Connection, Document, Model};

/// Calls and their total time, by the call's name.
#[derive(Debug)]
struct Metrics {
    inner: EmbeddedEngine,
    calls: Mutex<BTreeMap<&'static str, (u64, Duration)>>,
}

impl Metrics {
    fn count(&self, call: &'static str, took: Duration) {
        // A poisoned lock only means another count panicked: keep counting.
        let mut calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        let entry = calls.entry(call).or_default();
        entry.0 += 1;
        entry.1 += took;
    }

    fn calls(&self, call: &str) -> u64 {
        let calls = self.calls.lock().unwrap_or_else(|e| e.into_inner());
        calls.get(call).map_or(0, |entry| entry.0)
    }
}

impl EngineWrapper for Metrics {
    fn inner(&self) -> &dyn Engine {
        &self.inner
    }
    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        let (name, start) = (request.call.name(), Instant::now());
        let answer = self.inner.exec(request); // the embedded engine does its work here
        Box::pin(async move {
            let result = answer.await;
            self.count(name, start.elapsed());
            result
        })
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
        calls: Mutex::default(),
    });
    let conn = Connection::from_arc(metrics.clone());
    conn.create_table::<Player>().await?;
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
    for (call, (calls, took)) in metrics
        .calls
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
    {
        println!("{call}: {calls} calls, {} µs", took.as_micros());
    }
    assert_eq!(metrics.calls("CreateTable"), 1);
    assert_eq!(metrics.calls("GetItem"), 1);
    assert_eq!(metrics.calls("PutItem") + metrics.calls("UpdateItem"), 2);
    Ok(())
}
