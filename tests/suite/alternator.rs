//! The Alternator lane: every engine behind a wrapper that behaves as
//! ScyllaDB Alternator documents (TransactWriteItems and TransactGetItems
//! rejected with its error, no consumed capacity on Query and Scan) and
//! reports [`Capabilities::ALTERNATOR`]. What needs native transactions is
//! refused before anything is sent, naming what works instead; the
//! application-level transaction, conflict detection and versions work; the
//! tables the mapper creates are tagged for isolated conditional writes.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use dynamodb_mapper::engine::Capabilities;
#[cfg(feature = "aws")]
use dynamodb_mapper::engine::Engine;

use crate::common::alternator_like::AlternatorLike;
use dynamodb_mapper::error::ConflictKind;
use dynamodb_mapper::transactions::{Transaction, TransactionLog};
use dynamodb_mapper::{Connection, Document, Error, Model};
use futures::TryStreamExt;

/// `conn`'s engine (and table prefix) behind the Alternator wrapper.
fn alternator(conn: &Connection) -> (Connection, Arc<AlternatorLike>) {
    wrapped(conn, Capabilities::ALTERNATOR)
}

/// `conn`'s engine behind the wrapper, saying it supports `capabilities`.
fn wrapped(conn: &Connection, capabilities: Capabilities) -> (Connection, Arc<AlternatorLike>) {
    let wrapper = Arc::new(AlternatorLike::new(conn.shared_engine(), capabilities));
    let wrapped = Connection::from_arc(wrapper.clone()).with_table_prefix(conn.table_name(""));
    (wrapped, wrapper)
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "accounts", hash_key = "id")]
struct Account {
    id: String,
    balance: i64,
    #[dynamodb(version)]
    version: u64,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "users", pk = "USER#{user_id}", sk = "USER")]
struct User {
    user_id: u64,
    #[dynamodb(unique)]
    email: String,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "sessions", hash_key = "id", ttl = "expires")]
struct Session {
    id: String,
    expires: u64,
}

fn assert_unsupported(error: Error, model: &str) {
    match &error {
        Error::Unsupported {
            model: got,
            needs,
            alternative,
            ..
        } => {
            assert_eq!(*got, model);
            assert!(needs.contains("native transactions"), "{error}");
            assert!(!alternative.is_empty(), "{error}");
        }
        other => panic!("{other:?}"),
    }
}

crate::engine_tests! {
    async fn native_transactions_are_refused_before_sending(conn, engine) {
        let (conn, wrapper) = alternator(&conn);
        conn.create_table::<Account>().await?;
        let ann = Account { id: "ann".into(), balance: 10, version: 0 };
        let write = conn.transact_write().save(conn.save(Document::new(ann)));
        let error = write.await.expect_err("no native transactions");
        assert_unsupported(error, "TransactWrite");
        let get = conn.transact_get().get::<Account>("ann".into());
        let error = get.await.expect_err("no native transactions");
        assert_unsupported(error, "TransactGet");
        let error = conn
            .update::<Account>("ann".into())
            .add(Account::fields().balance, 1)
            .exactly_once()
            .await
            .expect_err("exactly once needs a transaction");
        assert!(error.to_string().contains("OutcomeUnknown"), "{error}");
        assert_unsupported(error, "Account");
        assert!(error_mentions_alternative(&conn).await);
        assert_eq!(wrapper.transactions_sent.load(Ordering::SeqCst), 0, "{engine:?}: nothing sent");
        assert!(conn.get::<Account>("ann".into()).await?.is_none(), "nothing written");
    }

    async fn unique_attributes_are_refused_before_writing(conn, engine) {
        let original = conn.clone();
        let (conn, wrapper) = alternator(&original);
        conn.create_table::<User>().await?;
        let error = conn
            .save(Document::new(User { user_id: 1, email: "a@x".into() }))
            .await
            .expect_err("guards need a transaction");
        assert!(error.to_string().contains("unique attributes (email)"), "{error}");
        assert_unsupported(error, "User");
        assert_eq!(wrapper.transactions_sent.load(Ordering::SeqCst), 0);
        assert!(conn.get::<User>(User::key(1)).await?.is_none(), "{engine:?}: nothing written");
        // Deleting one (stored before, by an engine with transactions) too.
        let mut stored = Document::new(User { user_id: 2, email: "b@x".into() });
        original.save(&mut stored).await?;
        let mut loaded = conn.get::<User>(User::key(2)).await?.expect("stored");
        assert_unsupported(conn.delete(&mut loaded).await.expect_err("guards"), "User");
        assert!(conn.get::<User>(User::key(2)).await?.is_some(), "{engine:?}: not deleted");
    }

    async fn a_transaction_with_a_unique_step_is_refused_before_its_first_write(conn, engine) {
        let (conn, wrapper) = alternator(&conn);
        conn.create_table::<Account>().await?;
        conn.create_table::<User>().await?;
        conn.create_table::<TransactionLog>().await?;
        conn.save(Document::new(Account { id: "ann".into(), balance: 100, version: 0 })).await?;
        let mut transaction = Transaction::new(TransactionLog::new(1));
        transaction
            .step(|c| c.get::<Account>("ann".into()), |a| { a.balance -= 1; Ok(()) })
            .step(|c| c.get::<User>(User::key(1)), |u| { u.email = "c@x".into(); Ok(()) });
        assert_unsupported(transaction.commit(&conn).await.expect_err("a unique step").into(), "User");
        let ann = conn.get::<Account>("ann".into()).await?.expect("saved");
        assert_eq!(ann.balance, 100, "{engine:?}: the first step did not run");
        assert_eq!(wrapper.transactions_sent.load(Ordering::SeqCst), 0);
    }

    async fn the_dynamodb_profile_tags_nothing_and_ttl_needs_the_capability(conn, engine) {
        let (plain, wrapper) = wrapped(&conn, Capabilities::DYNAMODB);
        plain.create_table::<Account>().await?;
        assert!(wrapper.tags.lock().expect("tags").is_empty(), "{engine:?}");
        let mut no_ttl = Capabilities::ALTERNATOR;
        no_ttl.time_to_live = false;
        let (conn, _) = wrapped(&conn, no_ttl);
        let error = conn.create_table::<Session>().await.expect_err("no time to live");
        assert!(matches!(&error, Error::Unsupported { needs, .. } if needs.contains("time to live")), "{error}");
    }

    async fn the_application_level_transaction_and_conditions_work(conn, engine) {
        let (conn, wrapper) = alternator(&conn);
        conn.create_table::<Account>().await?;
        conn.create_table::<TransactionLog>().await?;
        for id in ["ann", "bob"] {
            conn.save(Document::new(Account { id: id.into(), balance: 100, version: 0 })).await?;
        }
        let mut transfer = Transaction::new(TransactionLog::new(1));
        transfer
            .step(|c| c.get::<Account>("ann".into()), |a| { a.balance -= 30; Ok(()) })
            .step(|c| c.get::<Account>("bob".into()), |b| { b.balance += 30; Ok(()) });
        transfer.commit(&conn).await?;
        let balances: Vec<i64> = conn.scan::<Account>().try_collect::<Vec<_>>().await?.iter().map(|a| a.balance).collect();
        assert_eq!(balances.iter().sum::<i64>(), 200, "{engine:?}");
        assert!(balances.contains(&70) && balances.contains(&130));

        // Versions and conflict detection: single-item conditional writes.
        let mut stale = conn.get::<Account>("ann".into()).await?.expect("saved");
        let mut fresh = conn.get::<Account>("ann".into()).await?.expect("saved");
        fresh.balance += 1;
        conn.save(&mut fresh).await?;
        stale.balance += 2;
        match conn.save(&mut stale).await {
            Err(Error::Conflict(conflict)) => assert_eq!(conflict.kind, ConflictKind::Changed),
            other => panic!("{engine:?}: {other:?}"),
        }
        assert_eq!(wrapper.transactions_sent.load(Ordering::SeqCst), 0);
    }

    async fn tables_are_tagged_for_isolated_conditional_writes(conn, engine) {
        let (conn, wrapper) = alternator(&conn);
        conn.create_table::<Account>().await?;
        let tags = wrapper.tags.lock().expect("tags").clone();
        assert_eq!(tags, [("system:write_isolation".to_owned(), "always_use_lwt".to_owned())], "{engine:?}");
        // Queries and scans read without consumed capacity.
        conn.save(Document::new(Account { id: "cy".into(), balance: 1, version: 0 })).await?;
        assert_eq!(conn.query::<Account>("cy".into()).try_collect::<Vec<_>>().await?.len(), 1);
    }
}

/// The error of a refused native transaction says what works instead.
async fn error_mentions_alternative(conn: &Connection) -> bool {
    let write = conn.transact_write().save(conn.save(Document::new(Account {
        id: "x".into(),
        balance: 0,
        version: 0,
    })));
    match write.await {
        Err(error) => error.to_string().contains("application-level Transaction"),
        Ok(()) => false,
    }
}

#[cfg(feature = "aws")]
#[test]
fn the_aws_engine_has_an_alternator_profile() {
    let engine =
        dynamodb_mapper::engine::AwsEngine::new(crate::common::sdk_client("http://127.0.0.1:9"));
    assert_eq!(
        engine.capabilities(),
        Capabilities::DYNAMODB.without_streams(),
        "no streams client"
    );
    let alternator = engine.alternator();
    let capabilities = alternator.capabilities();
    assert_eq!(capabilities.profile, "ScyllaDB Alternator");
    assert!(!capabilities.native_transactions && capabilities.write_isolation_tag);
}

/// Detection on real servers: dynoxide's and moto's answers to the probe
/// keep the DynamoDB profile; behind a proxy answering as Alternator answers
/// TransactGetItems, the engine takes the Alternator profile and refuses a
/// native transaction before sending it. Nothing is written by the probe.
#[cfg(feature = "aws")]
mod detection {
    use super::*;
    use crate::common::proxy::{behind_proxy, Fault};
    use crate::common::EngineKind;
    use dynamodb_mapper::engine::AwsEngine;

    async fn detect(kind: EngineKind, alternator: bool) -> Capabilities {
        let (_, _, proxy) = behind_proxy(kind).await;
        if alternator {
            proxy.inject("TransactGetItems", Fault::UnsupportedOperation, 1);
        }
        let engine = AwsEngine::new(crate::common::sdk_client(&proxy.endpoint));
        let engine = engine.detect().await.expect("the endpoint answers");
        assert_eq!(
            proxy.forwarded("TransactGetItems"),
            usize::from(!alternator)
        );
        engine.capabilities()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dynamodb_compatible_servers_keep_the_dynamodb_profile() {
        for kind in [EngineKind::DynoxideHttp, EngineKind::Moto] {
            let capabilities = detect(kind, false).await;
            assert_eq!(capabilities.profile, "DynamoDB", "{kind:?}");
            assert!(capabilities.native_transactions);
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_endpoint_without_transactions_is_taken_for_alternator() {
        let capabilities = detect(EngineKind::DynoxideHttp, true).await;
        assert_eq!(capabilities.profile, "ScyllaDB Alternator");
        assert!(!capabilities.native_transactions && capabilities.write_isolation_tag);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_endpoint_that_does_not_answer_is_an_error() {
        let engine = AwsEngine::new(crate::common::sdk_client("http://127.0.0.1:9"));
        let error = engine
            .detect()
            .await
            .expect_err("nothing listens on port 9");
        assert!(error.is_retryable() || error.code.is_none(), "{error:?}");
    }
}
