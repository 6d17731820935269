//! From a composed index key to a multi-attribute one, with no downtime for
//! readers: `cargo run --example multi_attribute_keys`.
//!
//! An older release kept its tasks findable by team and status through an
//! index on one composed string, `"TEAM#core#STATUS#open"`, and stored
//! nothing else of the two: no `team`, no `status` attribute. The new
//! release declares a global index keyed on the typed fields themselves
//! (`team`; `status`, then `due` as a number), beside the old index, which
//! it keeps writing. A migration on read gives old items their fields; a
//! paced backfill rewrites them, is interrupted halfway and resumed from its
//! checkpoint; readers keep querying the old index all along and move to the
//! new one when the backfill is done.

use std::sync::{Arc, Mutex};

use dynamodb_mapper::backfill::{Backfill, BackfillCheckpoint};
use dynamodb_mapper::engine::request::PutItemInput;
use dynamodb_mapper::model::{Migrator, SchemaVersion};
use dynamodb_mapper::operation::CapacityLimit;
use dynamodb_mapper::{AttributeValue, Connection, Item, Model};
use futures::TryStreamExt;

const TEAMS: [&str; 4] = ["core", "web", "data", "ops"];
const STATUSES: [&str; 3] = ["open", "review", "done"];
const TASKS: u32 = 1_200;

/// Version 1 stored the composed key only; version 2 stores the fields.
struct TaskVersions;

fn fields_from_composed_key(
    raw: &mut Item,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let Some(AttributeValue::S(key)) = raw.get("gsi1_pk") else {
        return Err("version 1 items have a gsi1_pk".into());
    };
    let (team, status) = key
        .strip_prefix("TEAM#")
        .and_then(|rest| rest.split_once("#STATUS#"))
        .ok_or_else(|| format!("`{key}` is not TEAM#{{team}}#STATUS#{{status}}"))?;
    let (team, status) = (team.to_owned(), status.to_owned());
    raw.insert("team".into(), AttributeValue::S(team));
    raw.insert("status".into(), AttributeValue::S(status));
    Ok(())
}

impl Migrator for TaskVersions {
    const VERSIONS: &'static [SchemaVersion] = &[
        SchemaVersion::new(1).check(|raw| !raw.contains_key("team")),
        SchemaVersion::new(2)
            .check(|raw| raw.contains_key("team"))
            .migrate(fields_from_composed_key),
    ];
}

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(
    table = "tasks",
    hash_key = "id",
    migrator = TaskVersions,
    // The old index, still written on every save while readers move.
    global_index(name = "by_team_status", pk = "TEAM#{team}#STATUS#{status}", pk_attribute = "gsi1_pk", range_key = "due"),
    // The new one: each field by its own type, `due` sorted as a number.
    global_index(name = "by_team", hash_key = "team", range_key = ["status", "due"]),
)]
struct Task {
    id: u32,
    team: String,
    status: String,
    due: i64,
    title: String,
}

fn team_of(id: u32) -> &'static str {
    TEAMS[id as usize % TEAMS.len()]
}

fn status_of(id: u32) -> &'static str {
    STATUSES[(id as usize / TEAMS.len()) % STATUSES.len()]
}

/// What the older release wrote: the composed key, no `team` or `status`.
fn legacy_item(id: u32) -> Item {
    Item::from_iter([
        ("id".to_string(), AttributeValue::N(id.to_string())),
        (
            "gsi1_pk".to_string(),
            AttributeValue::S(format!("TEAM#{}#STATUS#{}", team_of(id), status_of(id))),
        ),
        (
            "due".to_string(),
            AttributeValue::N((1_000 - i64::from(id)).to_string()),
        ),
        ("title".to_string(), AttributeValue::S(format!("task {id}"))),
    ])
}

/// A reader of the old index: core's open tasks.
async fn open_core_tasks_old(conn: &Connection) -> dynamodb_mapper::Result<Vec<u32>> {
    let key = TaskByTeamStatusPk {
        team: "core".into(),
        status: "open".into(),
    };
    let found: Vec<_> = conn
        .query_index(Task::indexes().by_team_status, key)
        .try_collect()
        .await?;
    Ok(found.iter().map(|t| t.id).collect())
}

/// The same reader on the new index.
async fn open_core_tasks_new(conn: &Connection) -> dynamodb_mapper::Result<Vec<u32>> {
    let found: Vec<_> = conn
        .query_index(Task::indexes().by_team, "core".to_string())
        .sort(|k| k.eq("open".to_string()))
        .try_collect()
        .await?;
    Ok(found.iter().map(|t| t.id).collect())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let conn = Connection::embedded()?;
    conn.create_table::<Task>().await?;
    let table = conn.table_name("tasks");
    for id in 1..=TASKS {
        conn.engine()
            .send(&PutItemInput::new(table.clone(), legacy_item(id)))
            .await?;
    }
    let expected = open_core_tasks_old(&conn).await?;
    println!("{} of core's tasks are open (old index)", expected.len());
    assert_eq!(
        open_core_tasks_new(&conn).await?.len(),
        0,
        "the new index holds no old item yet"
    );

    // The backfill, paced, its checkpoint kept after every page; cut off
    // after its third page, as a deploy or a crash would.
    let paced = conn.with_capacity_limit(CapacityLimit::reads(500.0).with_writes(500.0))?;
    let saved: Arc<Mutex<Option<String>>> = Arc::default();
    let keep = Arc::clone(&saved);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let stop = Mutex::new(Some(stop));
    let pages = Mutex::new(0u32);
    let first_run = Backfill::<Task>::new(&paced)
        .page_size(100)
        .on_progress(move |p| {
            *keep.lock().unwrap_or_else(|e| e.into_inner()) = Some(p.checkpoint.to_json());
            let mut pages = pages.lock().unwrap_or_else(|e| e.into_inner());
            *pages += 1;
            if *pages == 3 {
                if let Some(stop) = stop.lock().unwrap_or_else(|e| e.into_inner()).take() {
                    let _ = stop.send(());
                }
            }
        });
    tokio::select! {
        report = first_run => { report?; }
        _ = stopped => println!("backfill cut off after 3 pages"),
    }
    // Readers of the old index see every task, whatever is migrated yet.
    assert_eq!(open_core_tasks_old(&conn).await?, expected);
    let halfway = open_core_tasks_new(&conn).await?.len();
    println!("new index halfway: {halfway} of {}", expected.len());

    // Resumed from the last checkpoint: only what is left.
    let json = saved.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let mut resumed = Backfill::<Task>::new(&paced).page_size(100);
    if let Some(json) = json {
        resumed = resumed.resume(BackfillCheckpoint::from_json(&json)?);
    }
    let report = resumed.await?;
    println!(
        "resumed: {} rewritten, {} conflicts",
        report.counts.rewritten, report.counts.conflicts
    );
    assert_eq!(open_core_tasks_old(&conn).await?, expected);

    // Readers move: the new index answers as the old one did.
    let mut new = open_core_tasks_new(&conn).await?;
    let mut old = expected.clone();
    new.sort_unstable();
    old.sort_unstable();
    assert_eq!(new, old);
    // And it sorts `due` as a number, under each status.
    let core: Vec<_> = conn
        .query_index(Task::indexes().by_team, "core".to_string())
        .sort(|k| k.eq("open".to_string()).le(900))
        .try_collect()
        .await?;
    assert!(core.windows(2).all(|w| w[0].due <= w[1].due));
    println!(
        "{} of core's open tasks are due by 900 (new index)",
        core.len()
    );
    Ok(())
}
