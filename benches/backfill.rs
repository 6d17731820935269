//! A backfill killed midway and resumed, on the embedded file engine: the
//! program `scripts/backfill-report` drives (it kills the run with SIGKILL,
//! then resumes it, then counts). Subcommands, on a database file:
//!
//!     fill <db> <items>        items of version 1 (9 in 10) and 2, stream on
//!     run <db> <checkpoint>    the backfill, resuming from the checkpoint
//!                              file if any, writing it after every page
//!     count <db>               every write the stream recorded since the
//!                              fill: items rewritten, and how often each
//!
//! The stream (keys only) counts writes that took effect, whatever the
//! processes knew of them when killed.

use std::collections::HashMap;
use std::io::Write;

use dynamodb_mapper::engine::request::{BatchWriteInput, WriteRequest};
use dynamodb_mapper::features::backfill::BackfillCheckpoint;
use dynamodb_mapper::model::change::Change;
use dynamodb_mapper::model::migration::{Migrator, SchemaVersion};
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
#[dynamodb(table = "cards", hash_key = "id", migrator = CardVersions, stream = "keys_only")]
struct Card {
    id: String,
    full_name: String,
    balance: u64,
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
        [command, db, checkpoint] if command == "run" => runtime.block_on(run(db, checkpoint)),
        [command, db] if command == "count" => runtime.block_on(count(db)),
        // `cargo bench` runs every bench: this one does nothing by itself.
        _ => {
            eprintln!("usage: backfill fill <db> <items> | run <db> <checkpoint> | count <db>");
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
        conn.engine().batch_write_item(&input).await?;
    }
    let stale = items - items.div_ceil(10);
    println!("filled {items} items, {stale} of version 1");
    Ok(())
}

async fn run(db: &str, checkpoint_file: &str) -> Result<()> {
    let conn = Connection::embedded_file(db)?;
    let mut backfill = conn.backfill::<Card>().page_size(500);
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

async fn count(db: &str) -> Result<()> {
    let conn = Connection::embedded_file(db)?;
    let mut reader = conn
        .changes::<Card>()
        .from_trim_horizon()
        .page_size(1000)
        .reader();
    let mut writes: HashMap<String, u32> = HashMap::new();
    let mut inserts = 0u64;
    while let Some(event) = reader.next().await {
        let record = event?.change.map_err(|e| format!("{e:?}"))?;
        match record.change {
            Change::Inserted { .. } => inserts += 1,
            Change::Modified { .. } => {
                let id = match record.keys.get("id") {
                    Some(AttributeValue::S(id)) => id.clone(),
                    other => return Err(format!("a key {other:?}").into()),
                };
                *writes.entry(id).or_default() += 1;
            }
            _ => return Err("no item is removed".into()),
        }
    }
    let twice = writes.values().filter(|&&n| n > 1).count();
    let input = dynamodb_mapper::engine::request::ScanInput::new(conn.table_name("cards"));
    let mut stale = 0;
    let mut start = None;
    loop {
        let page = match start.take() {
            Some(key) => {
                conn.engine()
                    .scan(&input.clone().with_start_key(key))
                    .await?
            }
            None => conn.engine().scan(&input).await?,
        };
        stale += page.items.iter().filter(|i| i.contains_key("name")).count();
        match page.last_evaluated_key {
            Some(key) => start = Some(key),
            None => break,
        }
    }
    println!(
        "stream: {inserts} inserts (the fill), {} items rewritten, {twice} of them more than once; {stale} items still stale",
        writes.len()
    );
    Ok(())
}
