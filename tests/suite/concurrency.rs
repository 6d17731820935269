//! No lost updates under concurrency, on every engine: concurrent
//! read-modify-write with conflict detection, version locking and the
//! original's transactions; concurrent auto-increment saves; conservation of
//! a total under concurrent transfers.
//!
//! CI runs smaller counts; `DYNAMODB_MAPPER_FULL_RELIABILITY=1` runs the full
//! ones (8 tasks x 250 updates, and so on).

use crate::common;

use std::collections::BTreeSet;

use common::EngineKind;
use dynamodb_mapper::transactions::{Transaction, TransactionLog};
use dynamodb_mapper::{Document, Error, Model};
use futures::TryStreamExt;

const TASKS: usize = 8;

/// Operations per task: the full count with the opt-in flag, fewer in CI.
fn per_task(engine: EngineKind) -> usize {
    if std::env::var("DYNAMODB_MAPPER_FULL_RELIABILITY").is_ok_and(|v| v == "1") {
        return 250;
    }
    match engine {
        EngineKind::Embedded => 250,
        // Every conflict costs a round trip; moto answers one request at a time.
        EngineKind::DynoxideHttp => 40,
        EngineKind::Moto => 15,
    }
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "counters", hash_key = "id")]
struct Counter {
    id: String,
    value: u64,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "versioned", hash_key = "id")]
struct Versioned {
    id: String,
    value: u64,
    #[dynamodb(version)]
    version: u64,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "tickets", hash_key = "id")]
struct Ticket {
    #[dynamodb(auto_increment)]
    id: i64,
    task: u32,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "accounts", hash_key = "id")]
struct Account {
    id: u32,
    coins: i64,
}

/// Runs `TASKS` copies of `work` at once and waits for all.
async fn in_parallel<F, Fut>(work: F) -> Result<(), Error>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>> + Send + 'static,
{
    let tasks: Vec<_> = (0..TASKS).map(|task| tokio::spawn(work(task))).collect();
    for task in tasks {
        task.await.expect("the task ran to completion")?;
    }
    Ok(())
}

engine_tests! {
    async fn no_update_is_lost_with_conflict_detection(conn, engine) {
        conn.create_table::<Counter>().await?;
        conn.save(Document::new(Counter { id: "c".into(), value: 0 })).await?;
        let n = per_task(engine);
        in_parallel(|_| {
            let conn = conn.clone();
            async move {
                for _ in 0..n {
                    loop {
                        let mut counter = conn.get::<Counter>("c".into()).consistent_read().await?.expect("saved");
                        counter.value += 1;
                        match conn.save(&mut counter).raise_on_conflict().await {
                            Err(e) if e.is_conflict() => continue,
                            other => break other?,
                        }
                    }
                }
                Ok(())
            }
        }).await?;
        let value = conn.get::<Counter>("c".into()).consistent_read().await?.expect("saved").value;
        assert_eq!(value, (TASKS * n) as u64, "every update attempted was kept");
    }

    async fn no_update_is_lost_with_a_version_attribute(conn, engine) {
        conn.create_table::<Versioned>().await?;
        conn.save(Document::new(Versioned { id: "v".into(), ..Default::default() })).await?;
        let n = per_task(engine);
        in_parallel(|_| {
            let conn = conn.clone();
            async move {
                for _ in 0..n {
                    loop {
                        let mut counter = conn.get::<Versioned>("v".into()).consistent_read().await?.expect("saved");
                        counter.value += 1;
                        match conn.save(&mut counter).await {
                            Err(e) if e.is_conflict() => continue,
                            other => break other?,
                        }
                    }
                }
                Ok(())
            }
        }).await?;
        let stored = conn.get::<Versioned>("v".into()).consistent_read().await?.expect("saved");
        assert_eq!(stored.value, (TASKS * n) as u64);
        assert_eq!(stored.version, (TASKS * n) as u64 + 1, "one version per kept update");
    }

    async fn no_update_is_lost_with_application_transactions(conn, engine) {
        conn.create_table::<Counter>().await?;
        conn.create_table::<TransactionLog>().await?;
        conn.save(Document::new(Counter { id: "t".into(), value: 0 })).await?;
        let n = per_task(engine);
        in_parallel(|task| {
            let conn = conn.clone();
            async move {
                for _ in 0..n {
                    let mut tx = Transaction::new(TransactionLog::new(task as i64));
                    tx.step(|c| c.get::<Counter>("t".into()).consistent_read(), |c| {
                        c.value += 1;
                        Ok(())
                    });
                    tx.commit(&conn).await?;
                }
                Ok(())
            }
        }).await?;
        let value = conn.get::<Counter>("t".into()).consistent_read().await?.expect("saved").value;
        assert_eq!(value, (TASKS * n) as u64);
        let records: Vec<_> = conn.scan::<TransactionLog>().try_collect().await?;
        assert_eq!(records.len(), TASKS * n, "one record per commit");
    }

    async fn concurrent_auto_increment_saves_get_distinct_keys(conn, engine) {
        conn.create_table::<Ticket>().await?;
        let n = per_task(engine);
        in_parallel(|task| {
            let conn = conn.clone();
            async move {
                for _ in 0..n {
                    conn.save(Document::new(Ticket { id: 0, task: task as u32 })).await?;
                }
                Ok(())
            }
        }).await?;
        let keys: BTreeSet<i64> = conn.scan::<Ticket>().map_ok(|t| t.id).try_collect().await?;
        let total = (TASKS * n) as i64;
        assert_eq!(keys.len() as i64, total, "every save has its own key");
        assert_eq!(keys.iter().next().copied(), Some(1));
        assert_eq!(keys.iter().last().copied(), Some(total), "no key skipped when nobody writes directly");
    }

    async fn concurrent_native_transfers_conserve_the_total(conn, engine) {
        conn.create_table::<Account>().await?;
        let accounts: Vec<Account> = (0..10).map(|id| Account { id, coins: 100 }).collect();
        conn.save_batch(&accounts).await?;
        let rounds = per_task(engine);
        let reader = {
            let conn = conn.clone();
            tokio::spawn(async move {
                // The total seen in one consistent snapshot never changes.
                for _ in 0..rounds {
                    let mut get = conn.transact_get();
                    for id in 0..10 {
                        get = get.get::<Account>(id);
                    }
                    let snapshot = get.await?;
                    let total: i64 = (0..10).map(|i| snapshot.get::<Account>(i).map(|a| a.map_or(0, |a| a.coins))).sum::<Result<i64, _>>()?;
                    assert_eq!(total, 1000);
                }
                Ok::<_, Error>(())
            })
        };
        let f = Account::fields();
        in_parallel(|task| {
            let conn = conn.clone();
            async move {
                for round in 0..rounds {
                    let from = ((task * 7 + round * 3) % 10) as u32;
                    let to = (from + 1 + (round % 9) as u32) % 10;
                    let amount = 1 + (round % 20) as i64;
                    let mut tx = conn.transact_write();
                    tx = tx.update(conn.update::<Account>(from).add(f.coins, -amount).condition(f.coins.ge(amount)))
                        .update(conn.update::<Account>(to).add(f.coins, amount));
                    match tx.await {
                        // Refused (not enough coins, or a concurrent transaction): nothing applied.
                        Err(Error::TransactionCanceled { .. }) => {}
                        other => other?,
                    }
                }
                Ok(())
            }
        }).await?;
        reader.await.expect("the reader ran")?;
        let total: i64 = conn.scan::<Account>().consistent_read().map_ok(|a| a.coins).try_collect::<Vec<_>>().await?.iter().sum();
        assert_eq!(total, 1000);
    }

    async fn concurrent_application_transfers_conserve_the_total(conn, engine) {
        conn.create_table::<Account>().await?;
        conn.create_table::<TransactionLog>().await?;
        let accounts: Vec<Account> = (0..10).map(|id| Account { id, coins: 100 }).collect();
        conn.save_batch(&accounts).await?;
        let rounds = per_task(engine).min(40);
        in_parallel(|task| {
            let conn = conn.clone();
            async move {
                for round in 0..rounds {
                    let from = ((task * 7 + round * 3) % 10) as u32;
                    let to = (from + 1 + (round % 9) as u32) % 10;
                    let mut tx = Transaction::new(TransactionLog::new(task as i64));
                    tx.step(move |c| c.get::<Account>(from).consistent_read(), |a| { a.coins -= 5; Ok(()) })
                        .step(move |c| c.get::<Account>(to).consistent_read(), |a| { a.coins += 5; Ok(()) });
                    tx.commit(&conn).await?;
                }
                Ok(())
            }
        }).await?;
        // The original's transactions are not atomic across steps: the total
        // is conserved once every commit has run both of its steps.
        let total: i64 = conn.scan::<Account>().consistent_read().map_ok(|a| a.coins).try_collect::<Vec<_>>().await?.iter().sum();
        assert_eq!(total, 1000);
    }
}
