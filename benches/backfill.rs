//! A backfill killed midway and resumed, on the embedded file engine: the
//! program `scripts/backfill-report` drives (it kills the run with SIGKILL,
//! then resumes it, then counts). Subcommands, on a database file:
//!
//!     fill <db> <items>                  items of version 1 (9 in 10) and 2
//!     run <db> <checkpoint> <journal>    the backfill, resuming from the
//!                                        checkpoint file if any, writing it
//!                                        after every page
//!     count <db> <journal>               how often each item was written
//!
//! The journal is written by an engine wrapper around every put: `sent K`
//! before it goes to the engine, `done K` once it is applied, each line
//! appended with one write(2), so a SIGKILL loses at most the `done` of the
//! put in flight. (The table's stream would count applied writes exactly,
//! but dynoxide's streams make each write on a file database cost time in
//! proportion to the records kept: a fill of 100,000 items does not end.)

use std::collections::HashMap;
use std::io::Write;

use std::sync::{Arc, Mutex};

use dynamodb_mapper::backfill::{Backfill, BackfillCheckpoint};
use dynamodb_mapper::engine::request::{BatchWriteInput, Call, Request, Response, WriteRequest};
use dynamodb_mapper::engine::{Engine, EngineFuture, EngineWrapper};
use dynamodb_mapper::model::{Migrator, SchemaVersion};
use dynamodb_mapper::{AttributeValue, Connection, Item, Model};

struct CardVersions;

fn rename(raw: &mut Item) -> Result<()> {
    let name = raw.remove("name").ok_or("version 1 items have a name")?;
    raw.insert("full_name".into(), name);
    Ok(())
}

impl Migrator for CardVersions {
    const VERSIONS: &'static [SchemaVersion] = &[
        SchemaVersion::new(1).check(|raw| raw.contains_key("name")),
        SchemaVersion::new(2)
            .check(|raw| raw.contains_key("full_name"))
            .migrate(rename),
    ];
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "cards", hash_key = "id", migrator = CardVersions)]
struct Card {
    id: String,
    full_name: String,
    balance: u64,
}

/// Journals every put: `sent K` before, `done K` after it is applied.
#[derive(Debug)]
struct Journal {
    inner: Arc<dyn Engine>,
    file: Mutex<std::fs::File>,
}

impl Journal {
    fn log(&self, what: &str, item: &Item) {
        if let Some(AttributeValue::S(id)) = item.get("id") {
            let line = format!("{what} {id}\n");
            let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
            // One write(2) of the whole line: appended whole.
            let _ = file.write_all(line.as_bytes());
        }
    }
}

impl EngineWrapper for Journal {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }
    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        let Call::PutItem(input) = request.call else {
            return self.inner.exec(request);
        };
        self.log("sent", &input.item);
        let item = input.item.clone();
        let put = self.inner.exec(request);
        Box::pin(async move {
            let output = put.await?;
            self.log("done", &item);
            Ok(output)
        })
    }
}

fn card(i: u64) -> Item {
    let name = if i.is_multiple_of(10) {
        "full_name"
    } else {
        "name"
    };
    Item::from_iter([
        ("id".to_owned(), AttributeValue::S(format!("card-{i:06}"))),
        (name.to_owned(), AttributeValue::S(format!("holder {i}"))),
        ("balance".to_owned(), AttributeValue::N((i * 7).to_string())),
    ])
}

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match args.as_slice() {
        [command, db, items] if command == "fill" => runtime.block_on(fill(db, items.parse()?)),
        [command, db, checkpoint, journal] if command == "run" => {
            runtime.block_on(run(db, checkpoint, journal))
        }
        [command, db, journal] if command == "count" => runtime.block_on(count(db, journal)),
        // `cargo bench` runs every bench: this one does nothing by itself.
        _ => {
            eprintln!(
                "usage: backfill fill <db> <items> | run <db> <checkpoint> <journal> | count <db> <journal>"
            );
            Ok(())
        }
    }
}

async fn fill(db: &str, items: u64) -> Result<()> {
    let conn = Connection::embedded_file(db)?;
    conn.create_table::<Card>().await?;
    let table = conn.table_name("cards");
    let all: Vec<u64> = (0..items).collect();
    for chunk in all.chunks(25) {
        let writes = chunk.iter().map(|&i| WriteRequest::Put(card(i))).collect();
        let input = BatchWriteInput::new(table.clone(), writes);
        conn.engine().send(&input).await?;
    }
    let stale = items - items.div_ceil(10);
    println!("filled {items} items, {stale} of version 1");
    Ok(())
}

async fn run(db: &str, checkpoint_file: &str, journal: &str) -> Result<()> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(journal)?;
    let embedded = Connection::embedded_file(db)?;
    let conn = Connection::new(Journal {
        inner: embedded.shared_engine(),
        file: Mutex::new(file),
    });
    let mut backfill = Backfill::<Card>::new(&conn).page_size(500);
    if let Ok(json) = std::fs::read_to_string(checkpoint_file) {
        backfill = backfill.resume(BackfillCheckpoint::from_json(&json)?);
        println!("resuming from {checkpoint_file}");
    }
    let file = checkpoint_file.to_owned();
    let report = backfill
        .on_progress(move |p| {
            // Written whole, then renamed: a kill leaves the old or the new.
            let partial = format!("{file}.partial");
            if std::fs::write(&partial, p.checkpoint.to_json()).is_ok() {
                let _ = std::fs::rename(&partial, &file);
            }
            let c = p.counts;
            eprint!(
                "\rseen {:>7}  stale {:>7}  rewritten {:>7}  conflicts {}  errors {}  {:>5.1} s",
                c.seen,
                c.stale,
                c.rewritten,
                c.conflicts,
                c.errors,
                p.elapsed.as_secs_f64()
            );
            let _ = std::io::stderr().flush();
        })
        .await?;
    eprintln!();
    let c = report.checkpoint.counts;
    println!(
        "done: this run rewrote {}; pages done over all runs: seen {}, rewritten {}, errors {}",
        report.counts.rewritten, c.seen, c.rewritten, c.errors
    );
    Ok(())
}

async fn count(db: &str, journal: &str) -> Result<()> {
    let mut sent: HashMap<String, u32> = HashMap::new();
    let mut done: HashMap<String, u32> = HashMap::new();
    for line in std::fs::read_to_string(journal)?.lines() {
        match line.split_once(' ') {
            Some(("sent", id)) => *sent.entry(id.to_owned()).or_default() += 1,
            Some(("done", id)) => *done.entry(id.to_owned()).or_default() += 1,
            _ => {} // the last line of a killed run may be cut: never, with one write(2)
        }
    }
    let twice = done.values().filter(|&&n| n > 1).count();
    let sent_twice = sent.values().filter(|&&n| n > 1).count();
    // Sent, never known to be applied: the put in flight when the run died.
    let in_doubt: Vec<&String> = sent.keys().filter(|k| !done.contains_key(*k)).collect();
    let conn = Connection::embedded_file(db)?;
    let input = dynamodb_mapper::engine::request::ScanInput::new(conn.table_name("cards"));
    let (mut stale, mut total) = (0, 0);
    let mut start = None;
    loop {
        let page = match start.take() {
            Some(key) => {
                conn.engine()
                    .send(&input.clone().with_start_key(key))
                    .await?
            }
            None => conn.engine().send(&input).await?,
        };
        total += page.items.len();
        stale += page.items.iter().filter(|i| i.contains("name")).count();
        match page.last_evaluated_key {
            Some(key) => start = Some(key),
            None => break,
        }
    }
    println!(
        "journal: {} items written back ({twice} of them more than once); {} sent twice; in doubt (sent, answer lost to the kill): {in_doubt:?}",
        done.len(),
        sent_twice
    );
    println!("table: {total} items, {stale} still stale");
    Ok(())
}
