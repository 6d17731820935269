//! Conflicts carry the stored item: every conditional write asks for it
//! (`ReturnValuesOnConditionCheckFailure = ALL_OLD`), a conflict and each
//! refused action of a native transaction hold it, decoded as the model on
//! demand, with its values kept out of `Debug`; an
//! application transaction's step retries against it without calling its
//! `get` again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use dynamodb_mapper::engine::request::{Call, Request, Response};
use dynamodb_mapper::engine::{Capabilities, Engine, EngineFuture, EngineWrapper};
use dynamodb_mapper::error::{ConflictError, ConflictKind, CurrentItem};
use dynamodb_mapper::transactions::{Transaction, TransactionLog};
use dynamodb_mapper::{AttributeValue, Connection, Document, Error, Item, Model};

use crate::common;

#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(table = "vaults", hash_key = "id")]
struct Vault {
    id: String,
    balance: i64,
    #[dynamodb(sensitive)]
    pin: String,
}

fn vault(id: &str, balance: i64) -> Vault {
    Vault {
        id: id.into(),
        balance,
        pin: "4321".into(),
    }
}

/// The conflict of a refused write.
fn conflict<T: std::fmt::Debug>(result: Result<T, Error>) -> ConflictError {
    match result {
        Err(Error::Conflict(conflict)) => conflict,
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// The item stored under `id`, as the engine holds it.
async fn stored(conn: &Connection, id: &str) -> Item {
    conn.get::<Vault>(id.into())
        .await
        .expect("read")
        .and_then(|d| d.stored_item().cloned())
        .expect("stored")
}

/// An engine that counts its calls by name, and may say it returns no
/// item with a refusal.
#[derive(Debug)]
pub struct Counted {
    inner: Arc<dyn Engine>,
    capabilities: Capabilities,
    pub gets: AtomicUsize,
    pub writes: AtomicUsize,
}

impl Counted {
    /// `conn`'s engine, counted; without items on refusals where `returns` is false.
    pub fn connection(conn: &Connection, returns: bool) -> (Connection, Arc<Counted>) {
        let inner = conn.shared_engine();
        let mut capabilities = inner.capabilities();
        if !returns {
            capabilities = capabilities.without_item_on_condition_failure();
        }
        let counted = Arc::new(Counted {
            inner,
            capabilities,
            gets: AtomicUsize::new(0),
            writes: AtomicUsize::new(0),
        });
        let conn = Connection::from_arc(counted.clone()).with_table_prefix(common::unique_prefix());
        (conn, counted)
    }
}

impl EngineWrapper for Counted {
    fn inner(&self) -> &dyn Engine {
        &*self.inner
    }

    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }

    fn exec<'a>(&'a self, request: Request<'_>) -> EngineFuture<'a, Response> {
        match request.call {
            Call::GetItem(_) => self.gets.fetch_add(1, Ordering::SeqCst),
            Call::PutItem(_)
            | Call::UpdateItem(_)
            | Call::DeleteItem(_)
            | Call::TransactWriteItems(_) => self.writes.fetch_add(1, Ordering::SeqCst),
            _ => 0,
        };
        self.inner.exec(request)
    }
}

crate::engine_tests! {
    /// A save of a loaded object that changed since: the conflict holds the
    /// item as stored now, decoded as the model; retrying against it saves.
    async fn a_changed_conflict_carries_the_stored_item(conn, engine) {
        conn.create_table::<Vault>().await?;
        conn.save(Document::new(vault("v1", 100))).await?;
        let mut stale = conn.get::<Vault>("v1".into()).await?.expect("saved");
        let mut other = conn.get::<Vault>("v1".into()).await?.expect("saved");
        other.balance = 150;
        conn.save(&mut other).raise_on_conflict().await?;

        stale.balance += 5;
        let conflict = conflict(conn.save(&mut stale).raise_on_conflict().await);
        assert_eq!(conflict.kind, ConflictKind::Changed);
        assert_eq!(conflict.current, CurrentItem::Item(Box::new(stored(&conn, "v1").await)));
        let mut fresh = conflict.current_as::<Vault>().expect("returned")?;
        assert_eq!(fresh.model(), &vault("v1", 150));
        fresh.balance += 5;
        conn.save(&mut fresh).raise_on_conflict().await?;
        assert_eq!(conn.get::<Vault>("v1".into()).await?.expect("saved").balance, 155);
    }

    /// A new object over a taken key, an update whose condition fails, and
    /// a delete of a changed object: each conflict holds the stored item.
    async fn every_conditional_write_carries_the_stored_item(conn, engine) {
        conn.create_table::<Vault>().await?;
        conn.save(Document::new(vault("v1", 100))).await?;
        let now = stored(&conn, "v1").await;

        let taken = conflict(conn.save(Document::new(vault("v1", 1))).raise_on_conflict().await);
        assert_eq!((taken.kind, taken.current.item()), (ConflictKind::Overwrite, Some(&now)));

        let f = Vault::fields();
        let refused = conflict(conn.update::<Vault>("v1".into()).set(f.balance, 0i64).condition(f.balance.lt(50i64)).await);
        assert_eq!((refused.kind, refused.current.item()), (ConflictKind::ConditionFailed, Some(&now)));

        let mut loaded = conn.get::<Vault>("v1".into()).await?.expect("saved");
        conn.update::<Vault>("v1".into()).add(f.balance, 1i64).await?;
        let changed = conflict(conn.delete(&mut loaded).raise_on_conflict().await);
        assert_eq!(changed.kind, ConflictKind::Changed);
        assert_eq!(changed.current.item(), Some(&stored(&conn, "v1").await));
        assert_eq!(changed.current_as::<Vault>().expect("returned")?.balance, 101);
    }

    /// A refusal on a key that holds nothing says so: nothing stored, not
    /// "not returned".
    async fn a_refusal_on_a_missing_item_says_absent(conn, engine) {
        conn.create_table::<Vault>().await?;
        conn.save(Document::new(vault("v1", 100))).await?;
        let loaded = conn.get::<Vault>("v1".into()).await?.expect("saved");
        conn.delete_key::<Vault>("v1".into()).await?;
        let mut loaded = loaded;
        loaded.balance = 7;
        let gone = conflict(conn.save(&mut loaded).raise_on_conflict().await);
        assert_eq!((gone.kind, &gone.current), (ConflictKind::Changed, &CurrentItem::Absent));
        assert!(gone.current_as::<Vault>().is_none());
    }

    /// `Debug` of a conflict names the stored item's attributes but shows
    /// none of their values (a sensitive one among them), its message names
    /// no stored value, and decoding it as another model is refused.
    async fn a_conflicts_stored_item_keeps_its_secrets(conn, engine) {
        conn.create_table::<Vault>().await?;
        conn.save(Document::new(vault("v1", 100))).await?;
        let taken = conflict(conn.save(Document::new(vault("v1", 1))).raise_on_conflict().await);
        let shown = format!("{taken:?} {taken} {:?}", Error::Conflict(taken.clone()));
        assert!(!shown.contains("4321"), "{shown}");
        assert!(shown.contains("balance") && shown.contains("pin"), "named: {shown}");
        assert!(format!("{:?}", taken.current).contains("pin"), "named, not shown");
        assert!(!format!("{:?}", taken.current).contains("4321"));
        let wrong = taken.current_as::<common::models::DoomMap>().expect("returned");
        assert!(matches!(wrong, Err(Error::InvalidRequest { .. })), "{wrong:?}");
    }

    /// An item another program wrote that does not decode as the model: the
    /// conflict still holds it raw, and decoding it is an error naming the
    /// attribute, not a panic.
    async fn a_stored_item_that_does_not_decode_stays_raw(conn, engine) {
        conn.create_table::<Vault>().await?;
        let foreign = Item::from_iter([
            ("id".to_string(), AttributeValue::S("v1".into())),
            ("balance".to_string(), AttributeValue::S("lots".into())),
        ]);
        common::put_raw(&conn, "vaults", foreign.clone()).await?;
        let taken = conflict(conn.save(Document::new(vault("v1", 1))).raise_on_conflict().await);
        assert_eq!(taken.current.item(), Some(&foreign));
        let error = taken.current_as::<Vault>().expect("returned").expect_err("balance is no number");
        assert!(error.to_string().contains("balance"), "{error}");
    }

    /// An engine that returns no item with a refusal: the conflict says it
    /// was not returned, and nothing else changes.
    async fn without_the_capability_the_item_is_not_returned(conn, engine) {
        let (conn, _) = Counted::connection(&conn, false);
        conn.create_table::<Vault>().await?;
        conn.save(Document::new(vault("v1", 100))).await?;
        let taken = conflict(conn.save(Document::new(vault("v1", 1))).raise_on_conflict().await);
        assert_eq!((taken.kind, &taken.current), (ConflictKind::Overwrite, &CurrentItem::NotReturned));
        assert!(taken.current_as::<Vault>().is_none());
    }

    /// A native transaction's refused actions each carry the stored item;
    /// an action that was not refused carries none.
    async fn a_cancelled_transaction_carries_each_stored_item(conn, engine) {
        if common::alternator_lane() {
            return Ok(());
        }
        conn.create_table::<Vault>().await?;
        conn.save(Document::new(vault("v1", 100))).await?;
        conn.save(Document::new(vault("v2", 200))).await?;
        let f = Vault::fields();
        let result = conn
            .transact_write()
            .save(conn.save(Document::new(vault("v3", 3))))
            .update(conn.update::<Vault>("v1".into()).add(f.balance, -500i64).condition(f.balance.ge(500i64)))
            .condition_check::<Vault>("v2".into(), f.balance.lt(0i64))
            .await;
        let Err(Error::TransactionCanceled { reasons, .. }) = result else {
            panic!("cancelled: {result:?}");
        };
        let refused: Vec<_> = reasons.iter().filter(|r| r.code == "ConditionalCheckFailed").collect();
        assert_eq!(refused.len(), 2, "{reasons:?}");
        assert_eq!(refused[0].current_as::<Vault>().expect("returned")?.model(), &vault("v1", 100));
        assert_eq!(refused[1].current_as::<Vault>().expect("returned")?.model(), &vault("v2", 200));
        assert!(!format!("{reasons:?}").contains("4321"), "values kept out: {reasons:?}");
        for other in reasons.iter().filter(|r| r.code != "ConditionalCheckFailed") {
            assert_eq!(other.current, CurrentItem::NotReturned, "{other:?}");
        }
        assert!(conn.get::<Vault>("v3".into()).await?.is_none(), "nothing written");
    }

    /// A save with conflict detection inside a native transaction: its
    /// conflict carries the stored item too.
    async fn a_transactions_save_conflict_carries_the_stored_item(conn, engine) {
        if common::alternator_lane() {
            return Ok(());
        }
        conn.create_table::<Vault>().await?;
        conn.save(Document::new(vault("v1", 100))).await?;
        let result = conn
            .transact_write()
            .save(conn.save(Document::new(vault("v1", 9))).raise_on_conflict())
            .await;
        let Err(Error::TransactionCanceled { reasons, .. }) = result else {
            panic!("cancelled: {result:?}");
        };
        assert_eq!(reasons[0].current.item(), Some(&stored(&conn, "v1").await), "{reasons:?}");
    }

    /// An application transaction's step whose target changed after its
    /// `get`: the retry works on the item the conflict returned, without
    /// calling `get` or reading again; without the capability, it calls
    /// `get` again.
    async fn a_step_retries_on_the_returned_item_without_reading(conn, engine) {
        for returns in [true, false] {
            let (conn, counted) = Counted::connection(&conn, returns);
            conn.create_table::<Vault>().await?;
            conn.save(Document::new(vault("v1", 100))).await?;
            let stale = conn.get::<Vault>("v1".into()).await?.expect("saved");
            conn.update::<Vault>("v1".into()).add(Vault::fields().balance, 50i64).await?;

            let calls = Arc::new(AtomicUsize::new(0));
            let mut transfer = Transaction::new(TransactionLog::default());
            let counter = Arc::clone(&calls);
            transfer.transient().step(
                move |conn: &Connection| {
                    let first = counter.fetch_add(1, Ordering::SeqCst) == 0;
                    let (conn, stale) = (conn.clone(), stale.clone());
                    async move {
                        match first {
                            true => Ok(Some(stale)),
                            false => conn.get::<Vault>("v1".into()).await,
                        }
                    }
                },
                |v: &mut Vault| {
                    v.balance += 5;
                    Ok(())
                },
            );
            let gets_before = counted.gets.load(Ordering::SeqCst);
            transfer.commit(&conn).await?;
            let gets = counted.gets.load(Ordering::SeqCst) - gets_before;
            assert_eq!(conn.get::<Vault>("v1".into()).await?.expect("saved").balance, 155);
            match returns {
                true => assert_eq!((calls.load(Ordering::SeqCst), gets), (1, 0), "no second read"),
                false => assert_eq!((calls.load(Ordering::SeqCst), gets), (2, 1), "read again"),
            }
        }
    }

    /// A step whose change moves its target to another key that is taken:
    /// the conflict returns the other item, which the retry must not work
    /// on; it calls `get` again each time.
    async fn a_step_never_retries_on_another_keys_item(conn, engine) {
        conn.create_table::<Vault>().await?;
        conn.save(Document::new(vault("v1", 100))).await?;
        conn.save(Document::new(vault("v2", 200))).await?;
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let mut moving = Transaction::new(TransactionLog::default());
        moving.transient().max_retries(3).step(
            move |conn: &Connection| {
                counter.fetch_add(1, Ordering::SeqCst);
                conn.get::<Vault>("v1".into())
            },
            |v: &mut Vault| {
                v.id = "v2".into();
                Ok(())
            },
        );
        let result = moving.commit(&conn).await;
        assert!(result.is_err(), "v2 is taken: {result:?}");
        assert_eq!(calls.load(Ordering::SeqCst), 3, "get called on every attempt");
        assert_eq!(conn.get::<Vault>("v2".into()).await?.expect("kept").balance, 200);
    }
}
