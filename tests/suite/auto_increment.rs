//! Auto-increment hash keys, on every engine, with the original's edge cases.

use crate::common;

use dynamodb_mapper::error::{ConflictError, ConflictKind, Unfinished};
use dynamodb_mapper::model::{AUTO_INCREMENT_ATTEMPTS as MAX_ATTEMPTS, COUNTER_ATTRIBUTE};
use dynamodb_mapper::{AttributeValue, Connection, Document, Error, Item, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "posts", hash_key = "id")]
struct Post {
    #[dynamodb(auto_increment)]
    id: i64,
    title: String,
}

fn post(title: &str) -> Document<Post> {
    Document::new(Post {
        title: title.into(),
        ..Default::default()
    })
}

async fn counter(conn: &Connection) -> Result<Option<AttributeValue>, Error> {
    let input = dynamodb_mapper::engine::request::GetItemInput::new(
        conn.table_name("posts"),
        Item::from_iter([("id".to_string(), AttributeValue::N("-1".into()))]),
    )
    .with_consistent_read(true);
    let output = conn
        .engine()
        .send(&input)
        .await
        .map_err(|source| Error::engine("GetItem", "posts", source))?;
    Ok(output
        .item
        .and_then(|item| item.into_item().remove(COUNTER_ATTRIBUTE)))
}

fn raw_post(id: i64) -> Item {
    Item::from_iter([
        ("id".to_string(), AttributeValue::N(id.to_string())),
        ("title".to_string(), AttributeValue::S("direct".into())),
    ])
}

engine_tests! {
    async fn new_objects_take_the_next_key(conn, engine) {
        conn.create_table::<Post>().await?;
        for expected in 1..=3 {
            let mut p = post(&format!("post {expected}"));
            conn.save(&mut p).await?;
            assert_eq!(p.id, expected);
            assert!(p.is_loaded());
        }
        assert_eq!(counter(&conn).await?, Some(AttributeValue::N("3".into())));
        // An object with a key saves normally, and takes nothing from the counter.
        let mut first = conn.get::<Post>(1).await?.expect("saved");
        first.title = "edited".into();
        conn.save(&mut first).raise_on_conflict().await?;
        assert_eq!(counter(&conn).await?, Some(AttributeValue::N("3".into())));
    }

    async fn scans_never_return_the_counter_item(conn, engine) {
        conn.create_table::<Post>().await?;
        for i in 0..3 {
            conn.save(post(&format!("{i}"))).await?;
        }
        let mut ids: Vec<i64> = conn.scan::<Post>().map_ok(|p| p.id).try_collect().await?;
        ids.sort();
        assert_eq!(ids, [1, 2, 3]);
        let limited: Vec<_> = conn.scan::<Post>().filter(Post::fields().title.ne("1")).limit(5).try_collect().await?;
        assert_eq!(limited.len(), 2);
        assert!(matches!(conn.get::<Post>(-1).await, Err(Error::ReservedKey { value, .. }) if value == "-1"));
        assert!(matches!(conn.query::<Post>(-1).try_collect::<Vec<_>>().await, Err(Error::ReservedKey { .. })));
        assert!(matches!(conn.get_batch::<Post>([1, -1]).try_collect::<Vec<_>>().await, Err(Error::ReservedKey { .. })));
    }

    async fn a_batch_refuses_objects_without_their_key(conn, engine) {
        conn.create_table::<Post>().await?;
        let unset = Post { title: "a".into(), ..Default::default() };
        let refused = conn.save_batch([&unset]).await;
        assert!(matches!(&refused, Err(Error::InvalidRequest { reason, .. }) if reason.contains("batch")), "{refused:?}");
        assert!(conn.get::<Post>(0).await?.is_none());
        conn.save_batch([&Post { id: 5, title: "b".into() }]).await?;
        assert!(conn.get::<Post>(5).await?.is_some());
    }

    /// A native transaction takes no value from the counter either: a new
    /// object at key 0 is refused before anything is sent, not stored
    /// under 0; one with its key is saved, and its document learns it.
    async fn a_transaction_refuses_objects_without_their_key(conn, engine) {
        if common::alternator_lane() {
            return Ok(());
        }
        conn.create_table::<Post>().await?;
        let mut unset = Document::new(Post { title: "a".into(), ..Default::default() });
        let refused = conn.transact_write().save(conn.save(&mut unset)).await;
        assert!(matches!(&refused, Err(Error::InvalidRequest { reason, .. }) if reason.contains("transaction")), "{refused:?}");
        assert!(!unset.is_loaded() && unset.id == 0, "the document is as it was");
        assert!(conn.get::<Post>(0).await?.is_none());
        assert_eq!(counter(&conn).await?, None, "nothing was written");
        let mut keyed = Document::new(Post { id: 7, title: "b".into() });
        conn.transact_write().save(conn.save(&mut keyed).raise_on_conflict()).await?;
        assert!(keyed.is_loaded());
        assert!(conn.get::<Post>(7).await?.is_some());
    }

    async fn saving_at_the_counter_key_is_refused(conn, engine) {
        conn.create_table::<Post>().await?;
        let mut counterfeit = Document::new(Post { id: -1, title: "nope".into() });
        assert!(matches!(conn.save(&mut counterfeit).await, Err(Error::ReservedKey { model: "Post", attribute: "id", .. })));
        assert!(matches!(conn.delete_key::<Post>(-1).await, Err(Error::ReservedKey { .. })));
        assert_eq!(counter(&conn).await?, None, "nothing was written");
    }

    async fn a_key_taken_by_a_direct_write_is_skipped(conn, engine) {
        conn.create_table::<Post>().await?;
        conn.save(post("one")).await?;
        // Another program writes key 2 without the counter.
        common::put_raw(&conn, "posts", raw_post(2)).await?;
        let mut next = post("three");
        conn.save(&mut next).await?;
        assert_eq!(next.id, 3);
        assert_eq!(conn.get::<Post>(2).await?.expect("direct").title, "direct", "the direct write is kept");
        assert_eq!(counter(&conn).await?, Some(AttributeValue::N("3".into())));
    }

    async fn when_every_key_is_taken_the_save_gives_up(conn, engine) {
        conn.create_table::<Post>().await?;
        for id in 1..=i64::from(MAX_ATTEMPTS) {
            common::put_raw(&conn, "posts", raw_post(id)).await?;
        }
        let mut doomed = post("doomed");
        match conn.save(&mut doomed).await {
            Err(error @ Error::RetriesExhausted { model: "Post", operation: "auto-increment save", .. }) => {
                let last = std::error::Error::source(&error).and_then(|cause| cause.downcast_ref::<ConflictError>()).cloned().expect("the last conflict is the source");
                assert_eq!(last.kind, ConflictKind::Overwrite);
                assert_eq!(last.key.get("id"), Some(&AttributeValue::N(MAX_ATTEMPTS.to_string())), "the last key tried");
                let Error::RetriesExhausted { attempts, unfinished, .. } = error else { unreachable!() };
                assert_eq!(attempts, MAX_ATTEMPTS);
                assert!(matches!(&*unfinished, Unfinished::Conflicts { last: Some(conflict), .. } if *conflict == last), "{unfinished:?}");
            }
            other => panic!("expected RetriesExhausted, got {other:?}"),
        }
        assert_eq!(doomed.id, 0, "the object is left without a key");
        assert!(!doomed.is_loaded());
        // The next save goes on from the counter.
        conn.save(&mut doomed).await?;
        assert_eq!(doomed.id, i64::from(MAX_ATTEMPTS) + 1);
    }

    async fn the_python_library_counter_is_continued(conn, engine) {
        conn.create_table::<Post>().await?;
        // As the Python library leaves it: counter at 41, items up to 41.
        common::put_raw(&conn, "posts", Item::from_iter([
            ("id".to_string(), AttributeValue::N("-1".into())),
            (COUNTER_ATTRIBUTE.to_string(), AttributeValue::N("41".into())),
        ])).await?;
        common::put_raw(&conn, "posts", raw_post(41)).await?;
        let mut next = post("ours");
        conn.save(&mut next).await?;
        assert_eq!(next.id, 42);
        assert_eq!(counter(&conn).await?, Some(AttributeValue::N("42".into())));
    }
}
