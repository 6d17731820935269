//! Unique attributes of entities: a guard item per value, written in the
//! same native transaction as the item, moved by updates, removed by deletes;
//! a clash is a typed conflict naming the attribute and value.

use dynamodb_mapper::error::ConflictKind;
use dynamodb_mapper::{AttributeValue, Connection, Document, Error, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "users", pk = "USER#{user_id}", sk = "USER")]
struct User {
    user_id: u64,
    #[dynamodb(unique)]
    email: String,
    #[dynamodb(unique, sensitive)]
    phone: Option<String>,
    name: String,
}

fn user(user_id: u64, email: &str) -> User {
    User {
        user_id,
        email: email.into(),
        phone: None,
        name: format!("user {user_id}"),
    }
}

fn clash(result: Result<impl std::fmt::Debug, Error>, attribute: &str, taken: &str) {
    match result {
        Err(Error::Conflict(c)) => {
            assert_eq!(
                c.kind,
                ConflictKind::Unique {
                    attribute: match attribute {
                        "email" => "email",
                        "code" => "code",
                        _ => "phone",
                    }
                }
            );
            assert_eq!(c.taken.as_deref(), Some(taken));
            let text = Error::Conflict(c).to_string();
            assert!(text.contains(attribute) && text.contains(taken), "{text}");
        }
        other => panic!("expected a unique clash on {attribute}, got {other:?}"),
    }
}

/// The guard item of `email`, read through the engine.
async fn guard(conn: &Connection, email: &str) -> Option<dynamodb_mapper::Item> {
    let text = format!("UNIQUE#User#email#{email}");
    let key = dynamodb_mapper::Item::from_iter([
        ("pk".to_string(), AttributeValue::S(text.clone())),
        ("sk".to_string(), AttributeValue::S(text)),
    ]);
    let input = dynamodb_mapper::engine::request::GetItemInput::new(conn.table_name("users"), key);
    conn.engine()
        .send(&input)
        .await
        .expect("read")
        .item
        .map(dynamodb_mapper::Item::from)
}

engine_tests! {
    async fn a_unique_value_is_held_by_one_item(conn, engine) {
        conn.create_table::<User>().await?;
        conn.save(Document::new(user(1, "ann@example.com"))).await?;
        assert!(guard(&conn, "ann@example.com").await.is_some());
        clash(conn.save(Document::new(user(2, "ann@example.com"))).await, "email", "ann@example.com");
        assert!(conn.get::<User>(User::key(2)).await?.is_none(), "nothing of the refused save was written");
        conn.save(Document::new(user(2, "bob@example.com"))).await?;
        // Saving again with the same value keeps the guard; a scan shows no guards.
        let mut ann = conn.get::<User>(User::key(1)).await?.expect("saved");
        ann.name = "Ann".into();
        conn.save(&mut ann).await?;
        assert_eq!(conn.scan::<User>().try_collect::<Vec<_>>().await?.len(), 2);

        // An update moves the guard: the old value is free again.
        let f = User::fields();
        conn.update::<User>(User::key(1)).set(f.email, "ann@new.example").await?;
        assert!(guard(&conn, "ann@example.com").await.is_none());
        assert!(guard(&conn, "ann@new.example").await.is_some());
        let bob = conn.update::<User>(User::key(2)).set(f.email, "ann@example.com").return_new().await?;
        assert_eq!(bob.email, "ann@example.com");
        clash(conn.update::<User>(User::key(2)).set(f.email, "ann@new.example").await, "email", "ann@new.example");
        assert_eq!(conn.get::<User>(User::key(2)).await?.expect("kept").email, "ann@example.com");

        // A sensitive unique value stays out of the error.
        conn.update::<User>(User::key(1)).set(f.phone, Some("555-0100".to_string())).await?;
        clash(conn.update::<User>(User::key(2)).set(f.phone, Some("555-0100".to_string())).await, "phone", "<redacted>");
        conn.update::<User>(User::key(1)).remove(f.phone).await?;
        conn.update::<User>(User::key(2)).set(f.phone, Some("555-0100".to_string())).await?;

        // A delete frees its values, by document or by key.
        conn.delete_key::<User>(User::key(1)).await?;
        assert!(guard(&conn, "ann@new.example").await.is_none());
        conn.save(Document::new(user(3, "ann@new.example"))).await?;
        let mut third = conn.get::<User>(User::key(3)).await?.expect("saved");
        conn.delete(&mut third).raise_on_conflict().await?;
        assert!(guard(&conn, "ann@new.example").await.is_none());
    }

    async fn writes_that_cannot_keep_guards_are_refused(conn, engine) {
        conn.create_table::<User>().await?;
        let refused = conn.save_batch(&[user(1, "a@x")]).await;
        assert!(matches!(refused, Err(Error::InvalidRequest { .. })), "{refused:?}");
        let refused = conn.delete_batch::<User>([User::key(1)]).await;
        assert!(matches!(refused, Err(Error::InvalidRequest { .. })), "{refused:?}");
        let refused = conn.update::<User>(User::key(1)).action(dynamodb_mapper::expression::UpdateAction::Remove(
            dynamodb_mapper::expression::Path::attribute("email").index(0),
        )).await;
        assert!(matches!(refused, Err(Error::InvalidRequest { .. })), "{refused:?}");
        assert!(conn.get::<User>(User::key(1)).await?.is_none());
    }

    async fn concurrent_claims_of_one_value_let_one_win(conn, engine) {
        conn.create_table::<User>().await?;
        let claims = (1..=6).map(|id| {
            let conn = conn.clone();
            tokio::spawn(async move { conn.save(Document::new(user(id, "same@example.com"))).await })
        });
        let results = futures::future::join_all(claims).await;
        let won = results.iter().filter(|r| matches!(r, Ok(Ok(())))).count();
        assert_eq!(won, 1, "{results:?}");
        for result in results {
            match result? {
                Ok(()) => {}
                Err(Error::Conflict(c)) if matches!(c.kind, ConflictKind::Unique { .. } | ConflictKind::Changed) => {}
                Err(other) => panic!("{other}"),
            }
        }
        assert_eq!(conn.scan::<User>().try_collect::<Vec<_>>().await?.len(), 1);
    }
}

/// An engine without native transactions (as ScyllaDB Alternator).
#[cfg(feature = "embedded")]
mod without_native_transactions {
    use std::sync::Arc;

    use dynamodb_mapper::engine::{Engine, EngineWrapper};

    use super::*;

    #[derive(Debug)]
    struct NoTransactions(Arc<dyn Engine>);

    impl EngineWrapper for NoTransactions {
        fn inner(&self) -> &dyn Engine {
            &*self.0
        }
        fn capabilities(&self) -> dynamodb_mapper::engine::Capabilities {
            dynamodb_mapper::engine::Capabilities::DYNAMODB.without_native_transactions()
        }
    }

    #[tokio::test]
    async fn without_native_transactions_nothing_is_written(
    ) -> Result<(), Box<dyn std::error::Error>> {
        let engine: Arc<dyn Engine> = Arc::new(dynamodb_mapper::engine::EmbeddedEngine::memory()?);
        let conn = Connection::new(NoTransactions(engine));
        conn.create_table::<User>().await?;
        let error = conn
            .save(Document::new(user(1, "a@x")))
            .await
            .expect_err("no transactions");
        assert!(
            matches!(error, Error::Unsupported { .. })
                && error.to_string().contains("native transaction"),
            "{error}"
        );
        assert!(conn.get::<User>(User::key(1)).await?.is_none());
        Ok(())
    }
}

/// A model whose items expire, with a unique value.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "invites", pk = "INVITE#{id}", sk = "INVITE", ttl = "expires")]
struct Invite {
    id: u64,
    #[dynamodb(unique)]
    code: String,
    expires: u64,
}

/// Two entities whose names and attributes would meet in an unescaped
/// guard key: `U` with `mail = "k#v"`, `U#mail` with `k = "v"`.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "hashes", entity = "U", pk = "U#{id}", sk = "U")]
struct U {
    id: u64,
    #[dynamodb(unique)]
    mail: String,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "hashes", entity = "U#mail", pk = "UM#{id}", sk = "UM")]
struct UMail {
    id: u64,
    #[dynamodb(unique)]
    k: String,
}

fn epoch_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// Stranded guards and guard keys.
mod guards {
    use super::*;
    use crate::common;

    engine_tests! {
        async fn a_value_whose_owner_was_deleted_by_another_program_is_taken_over(conn, engine) {
            conn.create_table::<User>().await?;
            conn.save(Document::new(user(1, "ann@example.com"))).await?;
            // Another program deletes the owner, leaving its guard.
            let key = User::key_item(&User::key(1))?;
            conn.engine().send(&dynamodb_mapper::engine::request::DeleteItemInput::new(conn.table_name("users"), key)).await?;
            assert!(guard(&conn, "ann@example.com").await.is_some(), "stranded");
            conn.save(Document::new(user(2, "ann@example.com"))).await?;
            let taken = guard(&conn, "ann@example.com").await.expect("guarded");
            assert_eq!(taken.get("owner_pk"), Some(&AttributeValue::S("USER#00000000000000000002".into())), "{taken:?}");
            // And a real holder still clashes.
            clash(conn.save(Document::new(user(3, "ann@example.com"))).await, "email", "ann@example.com");
        }

        async fn a_value_whose_owner_was_overwritten_is_taken_over(conn, engine) {
            conn.create_table::<User>().await?;
            conn.save(Document::new(user(1, "ann@example.com"))).await?;
            // Another program rewrites the owner with another value, no guards.
            let overwritten = user(1, "other@example.com").to_item()?;
            common::put_raw(&conn, "users", overwritten).await?;
            conn.save(Document::new(user(2, "ann@example.com"))).await?;
            assert_eq!(conn.get::<User>(User::key(2)).await?.expect("saved").email, "ann@example.com");
            // The program writes the old value back into the first owner: it
            // can still be deleted, and the guard stays the second's.
            common::put_raw(&conn, "users", user(1, "ann@example.com").to_item()?).await?;
            conn.delete_key::<User>(User::key(1)).await?;
            let held = guard(&conn, "ann@example.com").await.expect("guarded");
            assert_eq!(held.get("owner_pk"), Some(&AttributeValue::S("USER#00000000000000000002".into())));
        }

        async fn a_guarded_save_remembers_what_it_kept(conn, engine) {
            conn.create_table::<User>().await?;
            conn.save(Document::new(user(1, "ann@example.com"))).await?;
            let mut ann = conn.get::<User>(User::key(1)).await?.expect("saved");
            let key = User::key_item(&User::key(1))?;
            let input = dynamodb_mapper::engine::request::GetItemInput::new(conn.table_name("users"), key);
            let mut item = conn.engine().send(&input).await?.item.map(dynamodb_mapper::Item::from).expect("stored");
            item.insert("audit".into(), AttributeValue::S("seen".into()));
            common::put_raw(&conn, "users", item).await?;
            ann.name = "Ann".into();
            conn.save(&mut ann).raise_on_conflict().await?;
            assert!(ann.stored_item().is_some_and(|stored| stored.contains_key("audit")), "{:?}", ann.stored_item());
            conn.delete(&mut ann).raise_on_conflict().await?;
            assert!(conn.get::<User>(User::key(1)).await?.is_none());
        }

        async fn a_value_whose_owner_expired_is_taken_over(conn, engine) {
            conn.create_table::<Invite>().await?;
            let invite = |id, expires| Invite { id, code: "XYZ".into(), expires };
            conn.save(Document::new(invite(1, epoch_now() + 3600))).await?;
            clash(conn.save(Document::new(invite(2, epoch_now() + 3600))).await, "code", "XYZ");
            // A time to live of 0, or more than five years past, is one
            // DynamoDB never acts on: the holder keeps its value.
            conn.update::<Invite>(Invite::key(1)).set(Invite::fields().expires, 0u64).await?;
            clash(conn.save(Document::new(invite(2, epoch_now() + 3600))).await, "code", "XYZ");
            conn.update::<Invite>(Invite::key(1)).set(Invite::fields().expires, 1_000_000_000u64).await?;
            clash(conn.save(Document::new(invite(2, epoch_now() + 3600))).await, "code", "XYZ");
            // The holder expired an hour ago (whether or not the engine has
            // deleted it yet): its value is free for the taking.
            conn.update::<Invite>(Invite::key(1)).set(Invite::fields().expires, epoch_now() - 3600).await?;
            conn.save(Document::new(invite(2, epoch_now() + 3600))).await?;
            assert_eq!(conn.get::<Invite>(Invite::key(2)).await?.expect("took it over").code, "XYZ");
            clash(conn.save(Document::new(invite(3, epoch_now() + 3600))).await, "code", "XYZ");
            // The former holder can still change its value and be deleted: the
            // guard it would drop is another's now, and left alone.
            let mut former = conn.get::<Invite>(Invite::key(1)).await?.expect("not swept yet");
            former.code = "NEW".into();
            conn.save(&mut former).await?;
            conn.delete_key::<Invite>(Invite::key(1)).await?;
            clash(conn.save(Document::new(invite(3, epoch_now() + 3600))).await, "code", "XYZ");
            assert_eq!(conn.get::<Invite>(Invite::key(2)).await?.expect("kept").code, "XYZ");
        }

        async fn unique_values_join_native_transactions(conn, engine) {
        conn.create_table::<User>().await?;
        conn.create_table::<Invite>().await?;
        // A put with another model's: the guard comes along.
        let mut tx = conn.transact_write();
        tx = tx.save(conn.save(Document::new(user(1, "ann@example.com"))));
        tx = tx.save(conn.save(Document::new(Invite { id: 1, code: "A".into(), expires: epoch_now() + 3600 })));
        tx.await?;
        assert!(guard(&conn, "ann@example.com").await.is_some());
        // A value another item holds: a clash, and nothing of the transaction written.
        let mut tx = conn.transact_write();
        tx = tx.save(conn.save(Document::new(user(2, "ann@example.com"))));
        tx = tx.save(conn.save(Document::new(Invite { id: 2, code: "B".into(), expires: epoch_now() + 3600 })));
        clash(tx.await, "email", "ann@example.com");
        assert!(conn.get::<User>(User::key(2)).await?.is_none());
        assert!(conn.get::<Invite>(Invite::key(2)).await?.is_none());
        // A save that changes the value moves the guard; a delete drops it.
        let mut ann = conn.get::<User>(User::key(1)).await?.expect("saved");
        ann.email = "ann@new.example".into();
        let mut tx = conn.transact_write();
        tx = tx.save(conn.save(&mut ann).raise_on_conflict());
        tx.await?;
        assert!(guard(&conn, "ann@example.com").await.is_none());
        assert!(guard(&conn, "ann@new.example").await.is_some());
        let mut tx = conn.transact_write();
        tx = tx.delete_key(conn.delete_key::<User>(User::key(1)));
        tx.await?;
        assert!(guard(&conn, "ann@new.example").await.is_none());
        assert!(conn.get::<User>(User::key(1)).await?.is_none());
        // A stranded guard is taken over inside the transaction too.
        conn.save(Document::new(user(3, "cy@example.com"))).await?;
        let key = User::key_item(&User::key(3))?;
        conn.engine().send(&dynamodb_mapper::engine::request::DeleteItemInput::new(conn.table_name("users"), key)).await?;
        let mut tx = conn.transact_write();
        tx = tx.save(conn.save(Document::new(user(4, "cy@example.com"))));
        tx.await?;
        assert_eq!(conn.get::<User>(User::key(4)).await?.expect("saved").email, "cy@example.com");
        // An update of a unique attribute moves its guard there too.
        let mut tx = conn.transact_write();
        tx = tx.update(conn.update::<User>(User::key(4)).set(User::fields().email, "d@x".to_string()));
        tx.await?;
        assert!(guard(&conn, "cy@example.com").await.is_none());
        assert!(guard(&conn, "d@x").await.is_some());
        let mut tx = conn.transact_write();
        tx = tx.update(conn.update::<User>(User::key(2)).set(User::fields().email, "d@x".to_string()));
        clash(tx.await, "email", "d@x");
    }

    async fn a_transaction_that_writes_one_guard_twice_is_refused_clearly(conn, engine) {
        conn.create_table::<User>().await?;
        let f = User::fields();
        // Two claims of one value: a clash, as with another item.
        let mut tx = conn.transact_write();
        tx = tx.save(conn.save(Document::new(user(1, "x@example.com"))));
        tx = tx.save(conn.save(Document::new(user(2, "x@example.com"))));
        clash(tx.await, "email", "x@example.com");
        // A swap moves values between items: refused before sending.
        conn.save(Document::new(user(1, "a@example.com"))).await?;
        conn.save(Document::new(user(2, "b@example.com"))).await?;
        let mut tx = conn.transact_write();
        tx = tx.update(conn.update::<User>(User::key(1)).set(f.email, "b@example.com"));
        tx = tx.update(conn.update::<User>(User::key(2)).set(f.email, "a@example.com"));
        let refused = tx.await;
        assert!(matches!(&refused, Err(Error::InvalidRequest { reason, .. }) if reason.contains("email") && !reason.contains("a@example.com")), "{refused:?}");
        assert_eq!(conn.get::<User>(User::key(1)).await?.expect("kept").email, "a@example.com");
    }

    async fn guard_keys_keep_entities_and_attributes_apart(conn, engine) {
            conn.create_table::<U>().await?;
            conn.save(Document::new(U { id: 1, mail: "k#v".into() })).await?;
            conn.save(Document::new(UMail { id: 1, k: "v".into() })).await?;
            assert_eq!(conn.get::<U>(U::key(1)).await?.expect("saved").mail, "k#v");
            assert_eq!(conn.get::<UMail>(UMail::key(1)).await?.expect("saved").k, "v");
            // A plain name's guard key is as it always was.
            conn.create_table::<User>().await?;
            conn.save(Document::new(user(1, "ann@example.com"))).await?;
            assert!(guard(&conn, "ann@example.com").await.is_some());
        }
    }
}
