//! Edges of an application transaction's `setup` and `max_retries`: limits
//! of 0 and `u32::MAX`, repeated commits, a setup that fails after adding
//! steps, nested setups, the crate's own error and a panic in a setup.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use dynamodb_mapper::transactions::{
    StepIndex, Transaction, TransactionError, TransactionLog, TransactionStatus,
};
use dynamodb_mapper::{Connection, Error, Model};
use futures::TryStreamExt;

use crate::transactions::{balance, bank, records, Account};

async fn record_count(conn: &Connection) -> dynamodb_mapper::Result<usize> {
    Ok(records(conn).await?.len())
}

fn ann_is_rich() -> bool {
    true
}

fn add_to(id: &'static str, amount: i64) -> Transaction<TransactionLog> {
    let mut tx = Transaction::new(TransactionLog::new(1));
    tx.step(
        move |c| c.get::<Account>(id.into()),
        move |a| {
            a.balance += amount;
            Ok(())
        },
    );
    tx
}

engine_tests! {
    async fn max_retries_of_zero_and_of_u32_max_commit_without_conflicts(conn, engine) {
        bank(&conn).await?;
        let mut none = add_to("ann", 1);
        none.max_retries(0);
        none.commit(&conn).await?;
        let mut all = add_to("ann", 1);
        all.max_retries(u32::MAX);
        tokio::time::timeout(Duration::from_secs(30), all.commit(&conn)).await??;
        assert_eq!(balance(&conn, "ann").await?, 102);
        assert_eq!(record_count(&conn).await?, 2);
    }

    /// The setup runs once; a second commit of the same transaction runs
    /// every step again (the transfer happens twice) and saves a second
    /// record. Documented here.
    async fn a_second_commit_reruns_the_steps_but_not_the_setup(conn, engine) {
        bank(&conn).await?;
        let setups = Arc::new(AtomicU32::new(0));
        let counter = setups.clone();
        let mut tx = add_to("ann", 10);
        tx.setup(move |ctx| Box::pin(async move {
            counter.fetch_add(1, Ordering::SeqCst);
            ctx.step(|c| c.get::<Account>("bob".into()), |b| { b.balance += 1; Ok(()) });
            Ok(())
        }));
        tx.commit(&conn).await?;
        tx.commit(&conn).await?;
        assert_eq!(setups.load(Ordering::SeqCst), 1, "the setup runs once");
        assert_eq!((balance(&conn, "ann").await?, balance(&conn, "bob").await?), (120, 102));
        assert_eq!(record_count(&conn).await?, 2);
    }

    /// A setup that added steps and then failed: nothing runs. The steps it
    /// added must not run on a later commit of the same transaction either
    /// (the setup, which ran once, is gone by then).
    async fn steps_added_by_a_failed_setup_never_run(conn, engine) {
        bank(&conn).await?;
        let mut tx = add_to("ann", 10);
        tx.setup(|ctx| Box::pin(async move {
            ctx.step(|c| c.get::<Account>("bob".into()), |b| { b.balance -= 50; Ok(()) });
            ctx.subtransaction(add_to("bob", -25));
            Err("the preconditions do not hold".into())
        }));
        let error = tx.commit(&conn).await.expect_err("the setup failed");
        assert!(matches!(error, TransactionError::StepFailed { step: StepIndex::Setup, .. }), "{error:?}");
        assert_eq!((balance(&conn, "ann").await?, balance(&conn, "bob").await?), (100, 100), "nothing ran");
        assert_eq!(tx.status(), TransactionStatus::Pending);
        assert_eq!(record_count(&conn).await?, 0);

        let _ = tx.commit(&conn).await;
        assert_eq!(balance(&conn, "bob").await?, 100, "the failed setup's step and sub-transaction ran on the second commit");
    }

    /// A setup adds a sub-transaction whose own setup adds a step: it runs
    /// at the sub-transaction's commit, after the parent's steps.
    async fn a_subtransaction_added_by_a_setup_runs_its_own_setup(conn, engine) {
        bank(&conn).await?;
        let mut tx = add_to("ann", 1);
        tx.setup(|ctx| Box::pin(async move {
            let mut sub = Transaction::new(TransactionLog::new(2));
            sub.setup(|inner| Box::pin(async move {
                // Sees the parent's step, which ran before.
                let ann = inner.connection().get::<Account>("ann".into()).consistent_read().await?.ok_or("no ann")?;
                let seen = ann.balance;
                inner.record_mut().requester_id = seen;
                inner.step(|c| c.get::<Account>("bob".into()), move |b| { b.balance = seen; Ok(()) });
                Ok(())
            }));
            ctx.subtransaction(sub);
            Ok(())
        }));
        tx.commit(&conn).await?;
        assert_eq!((balance(&conn, "ann").await?, balance(&conn, "bob").await?), (101, 101));
        let mut requesters: Vec<i64> = conn.scan::<TransactionLog>().consistent_read().map_ok(|r| r.requester_id).try_collect().await?;
        requesters.sort();
        assert_eq!(requesters, [1, 101]);
    }

    /// A setup's `?` on the crate's own error: `TransactionError::StepFailed` at
    /// `Setup`, the crate's error as its source, found by downcasting.
    async fn a_crate_error_in_a_setup_downcasts_from_step_failed(conn, engine) {
        bank(&conn).await?;
        #[derive(Model, Debug, Clone, Default)]
        #[dynamodb(table = "rt_missing_table", hash_key = "id")]
        struct Nowhere {
            id: String,
        }
        let mut tx = add_to("ann", 1);
        tx.setup(|ctx| Box::pin(async move {
            ctx.connection().get::<Nowhere>("x".into()).await?;
            Ok(())
        }));
        let error = tx.commit(&conn).await.expect_err("no such table");
        assert!(matches!(error, TransactionError::StepFailed { step: StepIndex::Setup, .. }), "{error:?}");
        let source = std::error::Error::source(&error).expect("a source");
        let inner = source.downcast_ref::<Error>().expect("the crate's Error");
        assert!(!matches!(inner, Error::Feature(_)), "{inner:?}");
        assert_eq!(balance(&conn, "ann").await?, 100);
    }

    /// A panic in a setup propagates out of `commit` (noted, not a
    /// guarantee); nothing was written.
    async fn a_panicking_setup_propagates_and_writes_nothing(conn, engine) {
        bank(&conn).await?;
        let task_conn = conn.clone();
        let joined = tokio::spawn(async move {
            let mut tx = add_to("ann", 1);
            tx.setup(|_| Box::pin(async move {
                if ann_is_rich() {
                    panic!("setup bug");
                }
                Ok(())
            }));
            tx.commit(&task_conn).await
        })
        .await;
        assert!(joined.expect_err("the panic propagates").is_panic());
        assert_eq!(balance(&conn, "ann").await?, 100);
        assert_eq!(record_count(&conn).await?, 0);
    }
}
