//! Another writer between a lost answer and the mapper's look at the key.
//!
//! The fault proxy lets a write through to the server and withholds its
//! answer until the attempt timeout; meanwhile another writer, on a
//! connection of its own, sees the write applied and changes the item. The
//! mapper then reads something that is neither what it wrote nor what it
//! wrote against. It must not send the write again (that would apply it a
//! second time, over the other writer's change) nor call the other writer's
//! change a conflict (code built on conflicts would then act twice): the
//! answer is `OutcomeUnknown`.

use crate::common;

use std::future::IntoFuture;
use std::time::Duration;

use common::models::Account;
use common::proxy::{Fault, FaultProxy};
use common::EngineKind;
use dynamodb_mapper::transactions::{Transaction, TransactionError, TransactionLog};
use dynamodb_mapper::{Connection, Document};

fn account(id: &str, balance: i64) -> Account {
    Account {
        id: id.into(),
        balance,
        ..Default::default()
    }
}

/// A connection straight to a server, and one through the fault proxy.
async fn connections(kind: EngineKind) -> (Connection, Connection, FaultProxy) {
    let (direct, faulty, proxy) = common::proxy::behind_proxy(kind).await;
    direct.create_table::<Account>().await.expect("table");
    (direct, faulty, proxy)
}

/// The other writer: waits (bounded) until the item under `id` passes
/// `applied`, then does `change` to it. True if it did.
async fn other_writer(
    direct: Connection,
    id: &'static str,
    applied: fn(Option<&Account>) -> bool,
    change: fn(Option<Account>) -> Option<Account>,
) -> bool {
    for _ in 0..300 {
        let found = direct.get::<Account>(id.into()).await.expect("read");
        if applied(found.as_deref()) {
            match change(found.map(Document::into_inner)) {
                Some(changed) => direct.save(Document::new(changed)).await.expect("saved"),
                None => direct
                    .delete_key::<Account>(id.into())
                    .await
                    .expect("deleted"),
            }
            return true;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    false
}

fn tagged(account: Option<Account>) -> Option<Account> {
    account.map(|mut a| {
        a.tags.insert("other".into());
        a
    })
}

async fn bounded<F: IntoFuture>(call: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), call.into_future())
        .await
        .expect("the call ends within its timeouts")
}

async fn new_object_saved_then_deleted_by_another(kind: EngineKind) {
    let (direct, faulty, proxy) = connections(kind).await;
    proxy.inject("PutItem", Fault::NoAnswer, 1);
    let other = tokio::spawn(other_writer(direct.clone(), "a", |a| a.is_some(), |_| None));
    let result = bounded(
        faulty
            .save(Document::new(account("a", 7)))
            .raise_on_conflict(),
    )
    .await;
    assert!(
        other.await.expect("joined"),
        "the other writer deleted the item"
    );
    assert!(
        result.is_err_and(|e| e.is_outcome_unknown()),
        "no item proves nothing"
    );
    assert_eq!(
        proxy.forwarded("PutItem"),
        1,
        "not sent again over the other writer's delete"
    );
    assert!(direct
        .get::<Account>("a".into())
        .await
        .expect("read")
        .is_none());
}

async fn loaded_object_deleted_then_recreated_by_another(kind: EngineKind) {
    let (direct, faulty, proxy) = connections(kind).await;
    direct
        .save(Document::new(account("b", 1)))
        .await
        .expect("saved");
    let mut loaded = faulty
        .get::<Account>("b".into())
        .await
        .expect("read")
        .expect("saved");
    proxy.inject("DeleteItem", Fault::NoAnswer, 1);
    let other = tokio::spawn(other_writer(
        direct.clone(),
        "b",
        |a| a.is_none(),
        |_| Some(account("b", 500)),
    ));
    let f = Account::fields();
    let result = bounded(
        faulty
            .delete(&mut loaded)
            .condition(f.balance.ge(0i64))
            .into_future(),
    )
    .await;
    assert!(
        other.await.expect("joined"),
        "the other writer re-created the item"
    );
    assert!(result.is_err_and(|e| e.is_outcome_unknown()));
    assert_eq!(
        direct
            .get::<Account>("b".into())
            .await
            .expect("read")
            .map(|a| a.balance),
        Some(500),
        "the other writer's item stands"
    );
}

async fn a_transaction_step_is_not_run_twice(kind: EngineKind) {
    let (direct, faulty, proxy) = connections(kind).await;
    direct
        .create_table::<TransactionLog>()
        .await
        .expect("table");
    direct
        .save(Document::new(account("c", 100)))
        .await
        .expect("saved");
    // The step saves the loaded account: an update of its attributes.
    proxy.inject("UpdateItem", Fault::NoAnswer, 1);
    let other = tokio::spawn(other_writer(
        direct.clone(),
        "c",
        |a| a.is_some_and(|a| a.balance == 90),
        tagged,
    ));
    let mut transaction = Transaction::new(TransactionLog::new(7));
    transaction.step(
        |conn| conn.get::<Account>("c".into()),
        |a| {
            a.balance -= 10;
            Ok(())
        },
    );
    let result = bounded(transaction.commit(&faulty)).await;
    assert!(
        other.await.expect("joined"),
        "the other writer tagged the debited account"
    );
    let stored = direct
        .get::<Account>("c".into())
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(stored.balance, 90, "debited once");
    assert!(
        stored.tags.contains("other"),
        "the other writer's change stands"
    );
    assert!(
        matches!(&result, Err(TransactionError::Mapper(e)) if e.is_outcome_unknown()),
        "{result:?}"
    );
}

macro_rules! on_both_servers {
    ($($name:ident),*) => {
        mod dynoxide_http { use super::*; $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(EngineKind::DynoxideHttp).await }
        )* }
        mod moto { use super::*; $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(EngineKind::Moto).await }
        )* }
    };
}

on_both_servers!(
    new_object_saved_then_deleted_by_another,
    loaded_object_deleted_then_recreated_by_another,
    a_transaction_step_is_not_run_twice
);
