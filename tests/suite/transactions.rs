//! Application-level transactions, on every engine, with the original's edge
//! cases: concurrent steps on one target, failing steps and sub-transactions,
//! missing targets, transient transactions, exhausted retries.

use std::time::Duration;

use dynamodb_mapper::error::{ConflictError, ConflictKind, Unfinished};
use dynamodb_mapper::operation::RetryPolicy;
use dynamodb_mapper::transactions::{
    StepIndex, Transaction, TransactionError, TransactionLog, TransactionStatus, MAX_RETRIES,
};
use dynamodb_mapper::{Connection, Document, Error, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "accounts", hash_key = "id")]
pub(crate) struct Account {
    pub(crate) id: String,
    pub(crate) balance: i64,
}

pub(crate) async fn bank(conn: &Connection) -> dynamodb_mapper::Result<()> {
    conn.create_table::<Account>().await?;
    conn.create_table::<TransactionLog>().await?;
    for id in ["ann", "bob"] {
        conn.save(Document::new(Account {
            id: id.into(),
            balance: 100,
        }))
        .await?;
    }
    Ok(())
}

pub(crate) async fn balance(conn: &Connection, id: &str) -> dynamodb_mapper::Result<i64> {
    Ok(conn
        .get::<Account>(id.to_string())
        .consistent_read()
        .await?
        .map(|a| a.balance)
        .unwrap_or(-1))
}

pub(crate) async fn records(conn: &Connection) -> dynamodb_mapper::Result<Vec<TransactionLog>> {
    conn.scan::<TransactionLog>()
        .map_ok(|d| d.into_inner())
        .try_collect()
        .await
}

/// A setter's own error type, to find again behind `TransactionError::StepFailed`.
#[derive(Debug, PartialEq)]
struct Overdrawn {
    balance: i64,
}

impl std::fmt::Display for Overdrawn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "overdrawn: balance {}", self.balance)
    }
}

impl std::error::Error for Overdrawn {}

fn transfer(from: &'static str, to: &'static str, amount: i64) -> Transaction<TransactionLog> {
    let mut tx = Transaction::new(TransactionLog::new(1));
    tx.step(
        move |c| c.get::<Account>(from.into()),
        move |a| {
            a.balance -= amount;
            Ok(())
        },
    )
    .step(
        move |c| c.get::<Account>(to.into()),
        move |a| {
            a.balance += amount;
            Ok(())
        },
    );
    tx
}

engine_tests! {
    async fn a_commit_applies_every_step_and_records_done(conn, engine) {
        bank(&conn).await?;
        let mut tx = transfer("ann", "bob", 30);
        tx.setup(|ctx| Box::pin(async move { ctx.record_mut().requester_id = 42; Ok(()) }));
        tx.commit(&conn).await?;
        assert_eq!((balance(&conn, "ann").await?, balance(&conn, "bob").await?), (70, 130));
        assert_eq!(tx.status(), TransactionStatus::Done);
        let saved = records(&conn).await?;
        assert_eq!(saved.len(), 1);
        assert_eq!((saved[0].requester_id, saved[0].status), (42, TransactionStatus::Done), "setup ran, record saved");
        assert!(saved[0].datetime <= chrono::Utc::now());
        let stored = conn.get::<TransactionLog>((42, saved[0].datetime)).await?.expect("saved");
        assert_eq!(stored.stored_item().and_then(|i| i.get("status")), Some(&dynamodb_mapper::AttributeValue::S("done".into())));
    }

    async fn concurrent_steps_on_one_target_lose_no_change(conn, engine) {
        bank(&conn).await?;
        let tasks: Vec<_> = (0..2).map(|_| {
            let conn = conn.clone();
            tokio::spawn(async move {
                for _ in 0..10 {
                    let mut tx = Transaction::new(TransactionLog::new(1));
                    tx.step(|c| c.get::<Account>("ann".into()).consistent_read(), |a| { a.balance += 1; Ok(()) });
                    tx.commit(&conn).await?;
                }
                Ok::<_, Error>(())
            })
        }).collect();
        for task in tasks {
            task.await??;
        }
        assert_eq!(balance(&conn, "ann").await?, 120, "20 commits, 20 increments");
        assert_eq!(records(&conn).await?.len(), 20, "one record per commit, even at the same microsecond");
    }

    async fn a_missing_target_stops_the_commit_before_anything_is_written(conn, engine) {
        bank(&conn).await?;
        let mut tx = transfer("ann", "nobody", 30);
        match tx.commit(&conn).await {
            Err(TransactionError::TargetNotFound { model: "Account", step: 1, .. }) => {}
            other => panic!("expected TargetNotFound, got {other:?}"),
        }
        assert_eq!(balance(&conn, "ann").await?, 70, "the first step was written: no rollback, as in the original");
        assert_eq!(tx.status(), TransactionStatus::Running);
        assert_eq!(records(&conn).await?.iter().map(|r| r.status).collect::<Vec<_>>(), [TransactionStatus::Running]);

        let mut nothing_written = transfer("nobody", "ann", 1);
        assert!(matches!(nothing_written.commit(&conn).await, Err(TransactionError::TargetNotFound { step: 0, .. })));
        assert_eq!(records(&conn).await?.len(), 1, "a pending transaction is not recorded");
    }

    async fn a_failing_step_and_a_failing_subtransaction_stop_the_commit(conn, engine) {
        bank(&conn).await?;
        let mut failing = Transaction::new(TransactionLog::new(2));
        failing.step(|c| c.get::<Account>("bob".into()), |_| Err("insufficient funds".into()));
        let mut parent = transfer("ann", "bob", 10);
        parent.subtransaction(failing);
        match parent.commit(&conn).await {
            Err(TransactionError::StepFailed { step: StepIndex::Step(0), source, .. }) => assert_eq!(source.to_string(), "insufficient funds"),
            other => panic!("expected StepFailed, got {other:?}"),
        }
        assert_eq!(parent.status(), TransactionStatus::Running, "its own steps were written, it is not done");
        let saved = records(&conn).await?;
        assert_eq!(saved.iter().map(|r| (r.requester_id, r.status)).collect::<Vec<_>>(), [(1, TransactionStatus::Running)]);

        let mut failing_setup = transfer("ann", "bob", 10);
        failing_setup.setup(|_| Box::pin(async { Err("no".into()) }));
        assert!(matches!(failing_setup.commit(&conn).await, Err(TransactionError::StepFailed { step: StepIndex::Setup, .. })));
        assert_eq!(balance(&conn, "ann").await?, 90, "nothing ran after the failed setup");
    }

    async fn a_step_error_and_a_setup_error_are_the_sources_of_step_failed(conn, engine) {
        bank(&conn).await?;
        let mut tx = Transaction::new(TransactionLog::new(4));
        tx.step(
            |c| c.get::<Account>("ann".into()),
            |a: &mut Account| Err(Overdrawn { balance: a.balance }.into()),
        );
        let error = tx.commit(&conn).await.expect_err("the setter refused");
        assert!(matches!(error, TransactionError::StepFailed { step: StepIndex::Step(0), .. }), "{error:?}");
        assert_eq!(error.to_string(), "transaction step 0: overdrawn: balance 100", "the message keeps the cause's text");
        let cause = std::error::Error::source(&error).expect("the setter's error");
        assert_eq!(cause.downcast_ref::<Overdrawn>(), Some(&Overdrawn { balance: 100 }));

        let mut failing_setup = transfer("ann", "bob", 10);
        failing_setup.setup(|_| Box::pin(async { Err(Box::new(Overdrawn { balance: -1 }) as _) }));
        let error = failing_setup.commit(&conn).await.expect_err("the setup refused");
        assert!(matches!(error, TransactionError::StepFailed { step: StepIndex::Setup, .. }), "{error:?}");
        let cause = std::error::Error::source(&error).expect("the setup's error");
        assert_eq!(cause.downcast_ref::<Overdrawn>(), Some(&Overdrawn { balance: -1 }));
        assert_eq!(balance(&conn, "ann").await?, 100, "nothing was written");
    }

    async fn a_transient_transaction_is_never_recorded(conn, engine) {
        bank(&conn).await?;
        let mut tx = transfer("ann", "bob", 5);
        tx.transient();
        tx.commit(&conn).await?;
        assert_eq!(balance(&conn, "bob").await?, 105);
        assert!(records(&conn).await?.is_empty());
        assert!(!tx.record().is_loaded());
    }

    async fn a_step_that_always_conflicts_gives_up(conn, engine) {
        bank(&conn).await?;
        let stale = conn.get::<Account>("ann".to_string()).await?.expect("saved");
        let mut newer = conn.get::<Account>("ann".to_string()).await?.expect("saved");
        newer.balance = 1;
        conn.save(&mut newer).await?;
        let fast = conn.with_retry_policy(RetryPolicy { max_attempts: 1, base_delay: Duration::from_micros(10), max_delay: Duration::from_micros(100) });
        let mut tx = Transaction::new(TransactionLog::new(3));
        // Each retry calls the stale get again (the item the conflict
        // returned would let it through).
        tx.retry_from_get().step(move |_| std::future::ready(Ok(Some(stale.clone()))), |a: &mut Account| { a.balance += 1; Ok(()) });
        match tx.commit(&fast).await {
            Err(TransactionError::Mapper(error @ Error::RetriesExhausted { model: "Account", operation: "transaction step", .. })) => {
                assert!(error.to_string().contains(&format!("gave up after {MAX_RETRIES} attempts: conflicts kept it from being done, the last: conflict on Account")), "{error}");
                let last = std::error::Error::source(&error).and_then(|cause| cause.downcast_ref::<ConflictError>()).expect("the last conflict is the source");
                assert_eq!((last.kind, last.key.to_string()), (ConflictKind::Changed, "id=\"ann\"".to_string()));
                let Error::RetriesExhausted { attempts, unfinished, .. } = error else { unreachable!() };
                assert_eq!(attempts, MAX_RETRIES);
                assert!(matches!(*unfinished, Unfinished::Conflicts { last: Some(_), .. }), "{unfinished:?}");
            }
            other => panic!("expected RetriesExhausted, got {other:?}"),
        }
        assert_eq!(balance(&conn, "ann").await?, 1, "the newer value is kept");
    }

    async fn a_transaction_gives_up_after_its_own_retry_limit(conn, engine) {
        bank(&conn).await?;
        let stale = conn.get::<Account>("ann".to_string()).await?.expect("saved");
        let mut newer = conn.get::<Account>("ann".to_string()).await?.expect("saved");
        newer.balance = 1;
        conn.save(&mut newer).await?;
        let gets = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        for (limit, attempts) in [(3, 3), (0, 1)] {
            gets.store(0, std::sync::atomic::Ordering::SeqCst);
            let (stale, counter) = (stale.clone(), gets.clone());
            let mut tx = Transaction::new(TransactionLog::new(3));
            tx.max_retries(limit).retry_from_get().step(
                move |_| {
                    counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    std::future::ready(Ok(Some(stale.clone())))
                },
                |a: &mut Account| { a.balance += 1; Ok(()) },
            );
            match tx.commit(&conn).await {
                Err(TransactionError::Mapper(Error::RetriesExhausted { attempts: tried, .. })) => assert_eq!(tried, attempts),
                other => panic!("expected RetriesExhausted, got {other:?}"),
            }
            assert_eq!(gets.load(std::sync::atomic::Ordering::SeqCst), attempts, "max_retries({limit})");
        }
        assert_eq!(balance(&conn, "ann").await?, 1);
    }

    async fn the_setup_runs_at_commit_time_reads_and_adds_steps_and_subtransactions(conn, engine) {
        bank(&conn).await?;
        let mut tx = Transaction::new(TransactionLog::new(0));
        tx.step(|c| c.get::<Account>("ann".into()), |a| { a.balance -= 1; Ok(()) });
        tx.setup(|ctx| Box::pin(async move {
            // Reads what the database holds when the commit starts.
            let bob = ctx.connection().get::<Account>("bob".into()).consistent_read().await?.ok_or("no bob")?;
            ctx.record_mut().requester_id = bob.balance;
            ctx.step(|c| c.get::<Account>("bob".into()), |b| { b.balance += 1; Ok(()) });
            let mut audit = Transaction::new(TransactionLog::new(9));
            audit.step(|c| c.get::<Account>("ann".into()), |a| { a.balance *= 2; Ok(()) });
            ctx.subtransaction(audit);
            Ok(())
        }));
        // Changed after the setup was declared: the setup sees it.
        let mut bob = conn.get::<Account>("bob".to_string()).await?.expect("saved");
        bob.balance = 200;
        conn.save(&mut bob).await?;
        tx.commit(&conn).await?;
        assert_eq!(tx.record().requester_id, 200);
        assert_eq!((balance(&conn, "ann").await?, balance(&conn, "bob").await?), (198, 201), "own step, added step, then the sub-transaction");
        let mut saved: Vec<_> = records(&conn).await?.iter().map(|r| (r.requester_id, r.status)).collect();
        saved.sort_by_key(|(id, _)| *id);
        assert_eq!(saved, [(9, TransactionStatus::Done), (200, TransactionStatus::Done)]);

        // An error read in the setup stops the commit before anything is written.
        let mut missing = Transaction::new(TransactionLog::new(5));
        missing.setup(|ctx| Box::pin(async move {
            ctx.connection().get::<Account>("nobody".into()).await?.ok_or("no such account")?;
            Ok(())
        }));
        let error = missing.commit(&conn).await.expect_err("the setup found nothing");
        assert!(matches!(error, TransactionError::StepFailed { step: StepIndex::Setup, .. }), "{error:?}");
        assert_eq!(missing.status(), TransactionStatus::Pending);
    }
}
