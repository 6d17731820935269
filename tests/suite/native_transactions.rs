//! Native transactions (TransactWriteItems, TransactGetItems), on every engine.

use crate::common;

use common::models::{DoomMap, Player};
use dynamodb_mapper::transactions::MAX_TRANSACTION_ACTIONS;
use dynamodb_mapper::{Connection, Document, Error, Model};

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "wallets", hash_key = "owner")]
struct Wallet {
    owner: String,
    coins: i64,
    #[dynamodb(version)]
    version: u32,
}

async fn setup(conn: &Connection) -> dynamodb_mapper::Result<()> {
    conn.create_table::<Wallet>().await?;
    conn.create_table::<Player>().await?;
    conn.create_table::<DoomMap>().await?;
    for owner in ["ann", "bob"] {
        conn.save(Document::new(Wallet {
            owner: owner.into(),
            coins: 100,
            version: 0,
        }))
        .await?;
    }
    Ok(())
}

async fn coins(conn: &Connection, owner: &str) -> dynamodb_mapper::Result<i64> {
    Ok(conn
        .get::<Wallet>(owner.into())
        .consistent_read()
        .await?
        .map(|w| w.coins)
        .unwrap_or(-1))
}

engine_tests! {
    async fn every_action_happens_together(conn, engine) {
        setup(&conn).await?;
        conn.save(Document::new(DoomMap::new(1, 1, "Hangar"))).await?;
        let w = Wallet::fields();
        let mut carol = Document::new(Player { login: "carol".into(), level: 1, ..Default::default() });
        let tx = conn.transact_write()
            .update(conn.update::<Wallet>("ann".into()).add(w.coins, -30i64).condition(w.coins.ge(30i64)))
            .update(conn.update::<Wallet>("bob".into()).add(w.coins, 30i64))
            .save(conn.save(&mut carol).raise_on_conflict())
            .delete_key(conn.delete_key::<DoomMap>((1, 1)))
            .condition_check::<DoomMap>((2, 1), DoomMap::fields().name.not_exists());
        assert_eq!(tx.len(), 5);
        tx.await?;
        assert_eq!((coins(&conn, "ann").await?, coins(&conn, "bob").await?), (70, 130));
        assert!(conn.get::<Player>("carol".into()).await?.is_some());
        assert!(carol.is_loaded(), "a saved document holds what the transaction stored");
        assert!(conn.get::<DoomMap>((1, 1)).await?.is_none());
        let ann = conn.get::<Wallet>("ann".into()).await?.expect("saved");
        assert_eq!(ann.version, 2, "updates in a transaction bump the version too");
    }

    async fn a_cancelled_transaction_writes_nothing_and_says_why(conn, engine) {
        setup(&conn).await?;
        let w = Wallet::fields();
        let tx = conn.transact_write()
            .update(conn.update::<Wallet>("bob".into()).add(w.coins, 500i64))
            .update(conn.update::<Wallet>("ann".into()).add(w.coins, -500i64).condition(w.coins.ge(500i64)));
        match tx.await {
            Err(Error::TransactionCanceled { reasons, .. }) => {
                assert_eq!(reasons.len(), 1, "{reasons:?}");
                assert_eq!((reasons[0].index, reasons[0].model, reasons[0].code.as_str()), (1, "Wallet", "ConditionalCheckFailed"));
                assert_eq!(reasons[0].key.to_string(), "owner=\"ann\"");
            }
            other => panic!("expected TransactionCanceled, got {other:?}"),
        }
        assert_eq!((coins(&conn, "ann").await?, coins(&conn, "bob").await?), (100, 100), "all or nothing");
    }

    async fn versions_are_checked_and_bumped_inside_transactions(conn, engine) {
        setup(&conn).await?;
        let mut ann = conn.get::<Wallet>("ann".into()).await?.expect("saved");
        let mut stale = ann.clone();
        ann.coins = 1;
        conn.transact_write().save(conn.save(&mut ann)).await?;
        let fresh = conn.get::<Wallet>("ann".into()).await?.expect("saved");
        assert_eq!((fresh.coins, fresh.version), (1, 2));
        assert_eq!(ann.version, 2, "the document holds the version the transaction stored");
        // The same, stale, version again: refused.
        stale.coins = 2;
        let refused = conn.transact_write().save(conn.save(&mut stale)).await;
        assert!(matches!(refused, Err(Error::TransactionCanceled { .. })), "{refused:?}");
        assert_eq!(stale.version, 1, "a refused transaction leaves the document as it was");
        // A loaded document saved with conflict detection, and a new one.
        let mut changed = conn.get::<Wallet>("bob".into()).await?.expect("saved");
        changed.coins = 5;
        let dan = Document::new(Wallet { owner: "dan".into(), coins: 1, version: 0 });
        conn.transact_write()
            .save(conn.save(&mut changed).raise_on_conflict())
            .save(conn.save(dan).raise_on_conflict())
            .await?;
        // Saved again alone: the document's snapshot is the transaction's.
        changed.coins = 6;
        conn.save(&mut changed).raise_on_conflict().await?;
        assert_eq!((coins(&conn, "bob").await?, coins(&conn, "dan").await?), (6, 1));
    }

    async fn limits_are_checked_before_sending(conn, engine) {
        setup(&conn).await?;
        let mut too_many = conn.transact_write();
        for i in 0..=MAX_TRANSACTION_ACTIONS {
            too_many = too_many.save(conn.save(Document::new(Player { login: format!("p{i}"), ..Default::default() })));
        }
        match too_many.await {
            Err(Error::InvalidRequest { reason, .. }) => assert!(reason.contains("101 actions"), "{reason}"),
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
        let twice = conn.transact_write()
            .delete_key(conn.delete_key::<Player>("x".into()))
            .save(conn.save(Document::new(Player { login: "x".into(), ..Default::default() })));
        assert!(matches!(twice.await, Err(Error::InvalidRequest { .. })));
        assert!(matches!(conn.transact_write().await, Err(Error::InvalidRequest { .. })));
        assert!(conn.get::<Player>("p0".into()).await?.is_none());
    }

    async fn an_idempotency_token_makes_a_retry_harmless(conn, engine) {
        setup(&conn).await?;
        for _ in 0..2 {
            let tx = conn.transact_write()
                .update(conn.update::<Player>("tok".into()).add(Player::fields().level, 1u32))
                .token("transfer-42");
            tx.await?;
        }
        // (moto itself ignores the token; the harness gives it DynamoDB's behaviour.)
        let level = conn.get::<Player>("tok".into()).await?.map(|p| p.level);
        assert_eq!(level, Some(1), "the second commit with the same token is the first one's answer");
    }

    async fn transact_get_reads_across_models(conn, engine) {
        setup(&conn).await?;
        conn.save(Document::new(DoomMap::new(1, 1, "Hangar"))).await?;
        let get = conn.transact_get().get::<Wallet>("ann".into()).get::<DoomMap>((1, 1)).get::<Wallet>("nobody".into());
        let items = get.await?;
        assert_eq!(items.len(), 3);
        assert_eq!(items.get::<Wallet>(0)?.map(|w| w.coins), Some(100));
        assert_eq!(items.get::<DoomMap>(1)?.map(|m| m.name.clone()), Some("Hangar".into()));
        assert!(items.get::<Wallet>(2)?.is_none());
        assert!(matches!(items.get::<DoomMap>(0), Err(Error::InvalidRequest { .. })));
        // The documents carry snapshots: conflict detection works on them.
        let mut ann = items.get::<Wallet>(0)?.expect("exists");
        ann.coins += 1;
        conn.save(&mut ann).raise_on_conflict().await?;
    }
}
