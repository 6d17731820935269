//! Work at scale, paced and followed: `cargo run --example backfill`.
//!
//! A table of accounts written by an older release (one `name` attribute) is
//! brought up to the model's newest version (`first_name`, `last_name`) by a
//! backfill that leaves most of the table's capacity to everyone else, shows
//! a progress line, and saves its checkpoint after every page so that a
//! crash would resume where it stopped. Bulk writes and scans report their
//! progress the same way.

use std::io::Write;
use std::sync::{Arc, Mutex};

use dynamodb_mapper::backfill::{Backfill, BackfillCheckpoint};
use dynamodb_mapper::model::{Migrator, SchemaVersion};
use dynamodb_mapper::operation::CapacityLimit;
use dynamodb_mapper::operation::Progress;
use dynamodb_mapper::{AttributeValue, Connection, Item, Model};
use futures::TryStreamExt;

struct AccountVersions;

fn split_name(raw: &mut Item) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let name = match raw.remove("name") {
        Some(AttributeValue::S(name)) => name,
        _ => return Err("version 1 items have a name".into()),
    };
    let (first, last) = name.split_once(' ').unwrap_or((&name, ""));
    raw.insert("first_name".into(), AttributeValue::S(first.into()));
    raw.insert("last_name".into(), AttributeValue::S(last.into()));
    Ok(())
}

impl Migrator for AccountVersions {
    const VERSIONS: &'static [SchemaVersion] = &[
        SchemaVersion::new(1).check(|raw| raw.contains_key("name")),
        SchemaVersion::new(2)
            .check(|raw| raw.contains_key("first_name"))
            .migrate(split_name),
    ];
}

/// The newest version of an account.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "accounts", hash_key = "id", migrator = AccountVersions)]
struct Account {
    id: u32,
    first_name: String,
    last_name: String,
}

/// The same table as the older release wrote it.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "accounts", hash_key = "id")]
struct OldAccount {
    id: u32,
    name: String,
}

/// A progress line a person can follow, rewritten in place.
fn line(what: &str, done: u64, total: Option<u64>, finished: bool) {
    let total = total.map_or(String::new(), |t| format!(" of {t}"));
    eprint!(
        "\r{what}: {done}{total}{}",
        if finished { "\n" } else { "" }
    );
    let _ = std::io::stderr().flush();
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Account>().await?;

    // The old release's accounts, written in bulk with a progress line.
    let old: Vec<OldAccount> = (1..=2_000)
        .map(|id| OldAccount {
            id,
            name: format!("Ada Lovelace-{id}"),
        })
        .collect();
    conn.save_batch(&old)
        .concurrency(4)
        .on_progress(|p: &Progress| line("written", p.items, p.total, p.finished))
        .await?;

    // The backfill, paced to 2,000 write and 1,000 read units a second:
    // the rest of the table's capacity stays with the service.
    let paced = conn.with_capacity_limit(CapacityLimit::reads(1_000.0).with_writes(2_000.0))?;
    let saved: Arc<Mutex<Option<String>>> = Arc::default();
    let checkpoint = Arc::clone(&saved);
    let report = Backfill::<Account>::new(&paced)
        .page_size(250)
        .on_progress(move |p| {
            // A real job writes this to a file or a table after every page.
            *checkpoint.lock().unwrap_or_else(|e| e.into_inner()) = Some(p.checkpoint.to_json());
            let c = p.counts;
            eprint!(
                "\rbackfill: {} seen, {} rewritten, {} conflicts, {} errors, {:.1} s{}",
                c.seen,
                c.rewritten,
                c.conflicts,
                c.errors,
                p.elapsed.as_secs_f64(),
                if p.finished { "\n" } else { "" }
            );
            let _ = std::io::stderr().flush();
        })
        .await?;
    assert_eq!(report.counts.rewritten, 2_000);
    let written = paced
        .pacer()
        .and_then(|p| p.stats("", dynamodb_mapper::operation::CapacityKind::Write))
        .map_or(0.0, |s| s.consumed);
    println!(
        "backfill rewrote {} accounts, {written} write units",
        report.counts.rewritten
    );

    // Resuming from the last checkpoint finds nothing left to do.
    let json = saved.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(json) = json {
        let again = Backfill::<Account>::new(&conn)
            .resume(BackfillCheckpoint::from_json(&json)?)
            .await?;
        assert_eq!(again.counts.rewritten, 0);
    }

    // A full scan, with its own progress line: every account is current.
    let accounts: Vec<_> = conn
        .scan::<Account>()
        .on_progress(|p: &Progress| line("scanned", p.items, p.total, p.finished))
        .try_collect()
        .await?;
    assert!(
        accounts
            .iter()
            .all(|a| a.first_name == "Ada"
                && a.stored_item().is_some_and(|i| !i.contains_key("name")))
    );
    println!("{} accounts, all of the newest version", accounts.len());
    Ok(())
}
