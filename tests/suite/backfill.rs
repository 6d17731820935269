//! Backfills on every engine: stale items (by migrations, or by stored form)
//! rewritten once with conflict detection, current ones left alone, the
//! counter item never touched; a run stopped midway resumed from its last
//! checkpoint rewrites nothing twice; a conflicting writer costs a re-read,
//! not a lost update; bad arguments are typed errors.

use std::collections::HashMap;
use std::future::IntoFuture;
use std::sync::{Arc, Mutex};

use dynamodb_mapper::backfill::{Backfill, BackfillCheckpoint, BackfillProgress};
use dynamodb_mapper::engine::request::*;
use dynamodb_mapper::engine::{Engine, EngineFuture, EngineWrapper};
use dynamodb_mapper::error::EngineError;
use dynamodb_mapper::model::{Migrator, SchemaVersion};
use dynamodb_mapper::{AttributeValue, Connection, Item, Model};

use crate::common;

/// Version 1 stored `name`; version 2 stores `full_name`.
struct CardVersions;

fn rename(raw: &mut Item) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
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
}

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.into())
}

fn v1(id: usize) -> Item {
    Item::from_iter([
        ("id".to_owned(), s(&format!("c{id:03}"))),
        ("name".to_owned(), s(&format!("name {id}"))),
        // Another program's attribute: kept through the rewrite.
        ("note".to_owned(), s("kept")),
    ])
}

fn v2(id: usize) -> Item {
    Item::from_iter([
        ("id".to_owned(), s(&format!("c{id:03}"))),
        ("full_name".to_owned(), s(&format!("name {id}"))),
    ])
}

/// 30 items of version 1 and 10 of version 2.
async fn stale_cards(conn: &Connection) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    conn.create_table::<Card>().await?;
    for id in 0..40 {
        let item = if id < 30 { v1(id) } else { v2(id) };
        common::put_raw(conn, "cards", item).await?;
    }
    Ok(())
}

async fn raw_items(conn: &Connection) -> Result<Vec<Item>, dynamodb_mapper::error::EngineError> {
    let input = ScanInput::new(conn.table_name("cards"));
    Ok(conn
        .engine()
        .send(&input)
        .await?
        .items
        .into_iter()
        .map(Item::from)
        .collect())
}

/// Counts the puts of each key that reach the engine; after `crash_after`
/// puts applied, never answers again (a process killed right after a write).
#[derive(Debug)]
struct CountPuts {
    inner: Arc<dyn Engine>,
    puts: Mutex<HashMap<String, usize>>,
    crash_after: std::sync::atomic::AtomicUsize,
    crashed: tokio::sync::Notify,
}

impl CountPuts {
    /// Counts a write of the item with `key`, then sends it; after
    /// `crash_after` writes, the answer never comes (the process died).
    fn counted<'a, T: Send + 'a>(
        &'a self,
        key: &Item,
        write: EngineFuture<'a, T>,
    ) -> EngineFuture<'a, T> {
        let total = {
            let mut puts = self.puts.lock().unwrap();
            if let Some(AttributeValue::S(id)) = key.get("id") {
                *puts.entry(id.clone()).or_default() += 1;
            }
            puts.values().sum::<usize>()
        };
        if total < self.crash_after.load(std::sync::atomic::Ordering::SeqCst) {
            return write;
        }
        Box::pin(async move {
            write.await?;
            self.crashed.notify_one();
            futures::future::pending().await
        })
    }
}

impl EngineWrapper for CountPuts {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }
    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        let key = match request.call {
            Call::PutItem(input) => &input.item,
            // A loaded item is written back as an update of its attributes.
            Call::UpdateItem(input) => &input.key,
            _ => return self.inner.exec(request),
        };
        self.counted(key, self.inner.exec(request))
    }
}

/// Before the first put of `victim`, another writer changes its item (still
/// of version 1): the backfill's conditional put fails once.
#[derive(Debug)]
struct Interloper {
    inner: Arc<dyn Engine>,
    victim: &'static str,
    done: Mutex<bool>,
}

impl EngineWrapper for Interloper {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }
    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        let (table, key) = match request.call {
            Call::PutItem(input) => (&input.table, &input.item),
            // A loaded item is written back as an update of its attributes.
            Call::UpdateItem(input) => (&input.table, &input.key),
            _ => return self.inner.exec(request),
        };
        let first = key.get("id") == Some(&s(self.victim))
            && !std::mem::replace(&mut *self.done.lock().unwrap(), true);
        if !first {
            return self.inner.exec(request);
        }
        let mut changed = v1(7);
        changed.insert("name".into(), s("changed meanwhile"));
        let interloper = PutItemInput::new(table.clone(), changed);
        let write = Owned::of(request.call);
        Box::pin(async move {
            self.inner.send(&interloper).await?;
            write.exec(&*self.inner).await
        })
    }
}

/// A put or an update, kept to be sent later.
enum Owned {
    Put(PutItemInput),
    Update(UpdateItemInput),
}

impl Owned {
    fn of(call: Call<'_>) -> Owned {
        match call {
            Call::PutItem(input) => Owned::Put(input.clone()),
            Call::UpdateItem(input) => Owned::Update(input.clone()),
            other => panic!("not a put or an update: {}", other.name()),
        }
    }

    async fn exec(&self, engine: &dyn Engine) -> Result<Response, EngineError> {
        match self {
            Owned::Put(input) => engine.exec(Request::new(input.call())).await,
            Owned::Update(input) => engine.exec(Request::new(input.call())).await,
        }
    }
}

/// Right before the backfill writes `victim`, another program adds an
/// attribute to its item (after the backfill read it).
#[derive(Debug)]
struct AddsBeforeWrite {
    inner: Arc<dyn Engine>,
    victim: &'static str,
    done: Mutex<bool>,
}

impl EngineWrapper for AddsBeforeWrite {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }
    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        let Call::UpdateItem(input) = request.call else {
            return self.inner.exec(request);
        };
        let first = input.key.get("id") == Some(&s(self.victim))
            && !std::mem::replace(&mut *self.done.lock().unwrap(), true);
        if !first {
            return self.inner.exec(request);
        }
        let input = input.clone();
        Box::pin(async move {
            let read = GetItemInput::new(input.table.clone(), input.key.clone());
            if let Some(stored) = self.inner.send(&read).await?.item {
                let mut item = Item::from(stored);
                item.insert("audit".into(), s("added meanwhile"));
                self.inner
                    .send(&PutItemInput::new(input.table.clone(), item))
                    .await?;
            }
            self.inner.exec(Request::new(input.call())).await
        })
    }
}

/// A versioned model whose stored form changed: each rewrite bumps the
/// version (conflict detection on it holds), and a second run finds nothing.
#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodb(table = "ledgers", hash_key = "id")]
struct Ledger {
    id: String,
    #[dynamodb(default = 7u32)]
    limit: u32,
    #[dynamodb(version)]
    version: u64,
}

engine_tests! {
    async fn a_versioned_model_is_rewritten_once_with_its_version_bumped(conn, engine) {
        conn.create_table::<Ledger>().await?;
        for id in 0..12 {
            // Stored before `limit` existed, at version 3.
            let item = Item::from_iter([
                ("id".to_owned(), s(&format!("l{id}"))),
                ("version".to_owned(), AttributeValue::N("3".into())),
            ]);
            common::put_raw(&conn, "ledgers", item).await?;
        }
        let report = Backfill::<Ledger>::new(&conn).rewrite_all().page_size(5).await?;
        assert_eq!((report.counts.seen, report.counts.rewritten, report.counts.errors), (12, 12, 0));
        let ledger = conn.get::<Ledger>("l4".to_owned()).await?.expect("l4");
        assert_eq!(ledger.version, 4);
        let again = Backfill::<Ledger>::new(&conn).rewrite_all().await?;
        assert_eq!((again.counts.seen, again.counts.rewritten), (12, 0));
    }

    async fn a_backfill_rewrites_each_stale_item_once_and_keeps_what_it_does_not_know(conn, engine) {
        stale_cards(&conn).await?;
        let reports: Arc<Mutex<Vec<BackfillProgress>>> = Arc::default();
        let sink = Arc::clone(&reports);
        let report = Backfill::<Card>::new(&conn)
            .segments(2)
            .page_size(7)
            .on_progress(move |p| sink.lock().unwrap().push(p.clone()))
            .await?;
        let counts = report.counts;
        assert_eq!((counts.seen, counts.stale, counts.rewritten), (40, 30, 30), "{counts:?}");
        assert_eq!((counts.conflicts, counts.errors), (0, 0));
        assert!(report.failures.is_empty() && report.checkpoint.is_done());
        assert_eq!(report.checkpoint.counts, counts, "every page checkpointed");
        let reports = reports.lock().unwrap().clone();
        assert!(reports.len() >= 6, "a report per page: {}", reports.len());
        assert!(reports.last().is_some_and(|p| p.finished));
        for item in raw_items(&conn).await? {
            assert!(item.contains_key("full_name") && !item.contains_key("name"), "{item:?}");
            let id = match item.get("id") { Some(AttributeValue::S(id)) => id.clone(), _ => panic!() };
            let old = id[1..].parse::<usize>()? < 30;
            assert_eq!(item.get("note") == Some(&s("kept")), old, "{item:?}");
        }
        // Everything is current now: a second run writes nothing.
        let again = Backfill::<Card>::new(&conn).await?;
        assert_eq!((again.counts.seen, again.counts.stale, again.counts.rewritten), (40, 0, 0));
    }

    async fn a_backfill_stopped_midway_resumes_from_its_checkpoint_without_writing_twice(conn, engine) {
        stale_cards(&conn).await?;
        // The 13th rewrite is applied, then the process "dies": in the
        // third page of five, after two checkpoints.
        let counting = Arc::new(CountPuts {
            inner: conn.shared_engine(),
            puts: Mutex::default(),
            crash_after: 13.into(),
            crashed: tokio::sync::Notify::new(),
        });
        let counted = Connection::from_arc(counting.clone())
            .with_table_prefix(conn.table_name(""));
        let checkpoints: Arc<Mutex<Vec<BackfillCheckpoint>>> = Arc::default();
        let sink = Arc::clone(&checkpoints);
        let run = Backfill::<Card>::new(&counted)
            .page_size(5)
            .on_progress(move |p| sink.lock().unwrap().push(p.checkpoint.clone()));
        tokio::select! {
            result = run.into_future() => panic!("the run ended before its crash: {result:?}"),
            _ = counting.crashed.notified() => {}
        }
        let checkpoint = checkpoints.lock().unwrap().last().cloned().expect("a checkpoint");
        assert!(!checkpoint.is_done());
        let json = checkpoint.to_json();
        // A new process: nothing hangs any more.
        counting.crash_after.store(usize::MAX, std::sync::atomic::Ordering::SeqCst);
        let resumed = Backfill::<Card>::new(&counted)
            .page_size(5)
            .resume(BackfillCheckpoint::from_json(&json)?)
            .await?;
        assert!(resumed.checkpoint.is_done());
        let puts = counting.puts.lock().unwrap().clone();
        assert_eq!(puts.len(), 30, "every stale item rewritten: {puts:?}");
        assert!(puts.values().all(|&n| n == 1), "none twice: {puts:?}");
        assert!(raw_items(&conn).await?.iter().all(|i| i.contains_key("full_name")));
    }

    async fn an_attribute_added_between_read_and_write_is_kept(conn, engine) {
        stale_cards(&conn).await?;
        let adding = Arc::new(AddsBeforeWrite {
            inner: conn.shared_engine(),
            victim: "c007",
            done: Mutex::new(false),
        });
        let racing = Connection::from_arc(adding).with_table_prefix(conn.table_name(""));
        let report = Backfill::<Card>::new(&racing).await?;
        assert_eq!((report.counts.stale, report.counts.rewritten, report.counts.errors), (30, 30, 0));
        let victim = raw_items(&conn)
            .await?
            .into_iter()
            .find(|item| item.get("id") == Some(&s("c007")))
            .expect("c007");
        assert_eq!(victim.get("audit"), Some(&s("added meanwhile")), "{victim:?}");
        assert_eq!(victim.get("full_name"), Some(&s("name 7")));
        assert_eq!(victim.get("note"), Some(&s("kept")));
        assert!(!victim.contains_key("name"), "migrated: {victim:?}");
    }

    async fn a_conflicting_writer_costs_a_re_read_not_an_update(conn, engine) {
        stale_cards(&conn).await?;
        let interloper = Arc::new(Interloper {
            inner: conn.shared_engine(),
            victim: "c007",
            done: Mutex::new(false),
        });
        let racing = Connection::from_arc(interloper).with_table_prefix(conn.table_name(""));
        let report = Backfill::<Card>::new(&racing).await?;
        let counts = report.counts;
        assert_eq!((counts.stale, counts.rewritten, counts.conflicts, counts.errors), (30, 30, 1, 0));
        let card = conn.get::<Card>("c007".to_owned()).await?.expect("c007");
        assert_eq!(card.full_name, "changed meanwhile", "the other writer's change migrated, not lost");
    }
}

/// The embedded engine's own tests (no server needed).
#[cfg(feature = "embedded")]
mod on_embedded {
    use super::*;

    use dynamodb_mapper::{Document, Error};
    use futures::TryStreamExt;

    #[derive(Model, Debug, Clone, PartialEq)]
    #[dynamodb(table = "counted", hash_key = "id")]
    struct Numbered {
        #[dynamodb(auto_increment)]
        id: i64,
        label: String,
        #[dynamodb(default = 5u32)]
        weight: u32,
    }

    #[tokio::test]
    async fn rewrite_all_writes_what_a_save_writes_and_leaves_the_counter(
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let conn = common::connect(common::EngineKind::Embedded).await;
        conn.create_table::<Numbered>().await?;
        for label in ["a", "b"] {
            conn.save(Document::new(Numbered {
                label: label.into(),
                ..Numbered::default()
            }))
            .await?;
        }
        // An item stored before `weight` existed.
        let old = Item::from_iter([
            ("id".to_owned(), AttributeValue::N("9".into())),
            ("label".to_owned(), s("old")),
        ]);
        common::put_raw(&conn, "counted", old).await?;
        let counter_before = raw_counter(&conn).await?;
        let report = Backfill::<Numbered>::new(&conn).rewrite_all().await?;
        assert_eq!(
            (report.counts.seen, report.counts.rewritten),
            (3, 1),
            "{:?}",
            report.counts
        );
        let key = Item::from_iter([("id".to_owned(), AttributeValue::N("9".into()))]);
        let input = GetItemInput::new(conn.table_name("counted"), key);
        let stored = conn
            .engine()
            .send(&input)
            .await?
            .item
            .expect("item 9")
            .into_item();
        assert!(
            stored.contains_key("weight"),
            "written as a save writes it: {stored:?}"
        );
        assert_eq!(
            raw_counter(&conn).await?,
            counter_before,
            "the counter is no object"
        );
        // A model without migrations has nothing a migration backfill could do.
        let error = Backfill::<Numbered>::new(&conn).await.unwrap_err();
        assert!(error.to_string().contains("without a migrator"), "{error}");
        // An item under the unset key 0 is never saved as a new one (a copy).
        let zero = Item::from_iter([
            ("id".to_owned(), AttributeValue::N("0".into())),
            ("label".to_owned(), s("zero")),
        ]);
        common::put_raw(&conn, "counted", zero).await?;
        let report = Backfill::<Numbered>::new(&conn).rewrite_all().await?;
        assert_eq!(
            (
                report.counts.seen,
                report.counts.rewritten,
                report.counts.errors
            ),
            (4, 0, 1)
        );
        assert!(report.failures[0]
            .to_string()
            .contains("unset auto-increment key"));
        assert_eq!(
            raw_counter(&conn).await?,
            counter_before,
            "no key handed out"
        );
        Ok(())
    }

    async fn raw_counter(
        conn: &Connection,
    ) -> Result<Option<Item>, dynamodb_mapper::error::EngineError> {
        let key = Item::from_iter([("id".to_owned(), AttributeValue::N("-1".into()))]);
        let input = GetItemInput::new(conn.table_name("counted"), key);
        Ok(conn.engine().send(&input).await?.item.map(Item::from))
    }

    #[tokio::test]
    async fn bad_backfill_arguments_are_typed_errors(
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let conn = common::connect(common::EngineKind::Embedded).await;
        conn.create_table::<Card>().await?;
        let error = Backfill::<Card>::new(&conn).segments(0).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidRequest { model: "Card", .. }),
            "{error}"
        );
        let done = Backfill::<Card>::new(&conn).await?;
        let error = Backfill::<Numbered>::new(&conn)
            .rewrite_all()
            .resume(done.checkpoint.clone())
            .await
            .unwrap_err();
        assert!(
            error.to_string().contains("resuming a backfill of Card"),
            "{error}"
        );
        // A finished checkpoint resumes to nothing to do.
        let again = Backfill::<Card>::new(&conn).resume(done.checkpoint).await?;
        assert_eq!(again.counts.seen, 0);
        let mut bad = BackfillCheckpoint::from_json(&again.checkpoint.to_json())?;
        bad.segments = vec![dynamodb_mapper::backfill::SegmentPosition::After(
            "no cursor".into(),
        )];
        assert!(Backfill::<Card>::new(&conn)
            .resume(bad.clone())
            .await
            .is_err());
        // A cursor of another table's key, a checkpoint of another kind of
        // backfill, too many segments, counts at their maximum.
        bad.segments = vec![dynamodb_mapper::backfill::SegmentPosition::After(
            r#"{"pk":{"S":"a"},"sk":{"S":"b"}}"#.into(),
        )];
        let error = Backfill::<Card>::new(&conn).resume(bad).await.unwrap_err();
        assert!(error.to_string().contains("not the table's key"), "{error}");
        let error = Backfill::<Card>::new(&conn)
            .rewrite_all()
            .resume(again.checkpoint.clone())
            .await
            .unwrap_err();
        assert!(error.to_string().contains("StoredForm"), "{error}");
        let mut many = again.checkpoint.clone();
        many.segments = vec![dynamodb_mapper::backfill::SegmentPosition::Start; 1_000_001];
        assert!(Backfill::<Card>::new(&conn).resume(many).await.is_err());
        assert!(Backfill::<Card>::new(&conn).segments(1001).await.is_err());
        let mut full = again.checkpoint.clone();
        full.segments = vec![dynamodb_mapper::backfill::SegmentPosition::Start];
        full.counts = serde_json::from_str(
            r#"{"seen":18446744073709551615,"stale":0,"rewritten":0,"conflicts":0,"errors":0}"#,
        )?;
        let resumed = Backfill::<Card>::new(&conn).resume(full).await?;
        assert_eq!(resumed.checkpoint.counts.seen, u64::MAX);
        let scanned: Vec<_> = conn.scan::<Card>().try_collect().await?;
        assert!(scanned.is_empty());
        Ok(())
    }
}
