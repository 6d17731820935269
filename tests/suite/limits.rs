//! DynamoDB's limits, exactly, on every engine: the 400 KB item size by
//! DynamoDB's own formula, version numbers at their type's maximum,
//! duplicate keys in batches (compared as DynamoDB compares keys), and the
//! number of segments of a parallel scan.

use crate::common;

use common::models::{DoomMap, Player};
use dynamodb_mapper::operation::{MAX_ITEM_BYTES, MAX_SEGMENTS};
use dynamodb_mapper::{AttributeValue, Document, Error, Item, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "blobs", hash_key = "id")]
struct Blob {
    id: String,
    data: String,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "signed", hash_key = "id")]
struct Signed {
    id: String,
    #[dynamodb(version)]
    version: i64,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "unsigned", hash_key = "id")]
struct Unsigned {
    id: String,
    #[dynamodb(version)]
    version: u64,
}

/// A blob whose item is `size` bytes by DynamoDB's formula: attribute names
/// plus values (`id` + "b" is 3 bytes, `data` 4 bytes plus its text).
fn blob_of_size(size: usize) -> Blob {
    Blob {
        id: "b".into(),
        data: "x".repeat(size - 3 - 4),
    }
}

fn version_item(version: &str) -> Item {
    Item::from_iter([
        ("id".to_owned(), AttributeValue::S("v".into())),
        ("version".to_owned(), AttributeValue::N(version.into())),
    ])
}

engine_tests! {
    async fn an_item_of_exactly_400_kb_is_saved_and_one_byte_more_is_refused(conn, engine) {
        conn.create_table::<Blob>().await?;
        let exact = blob_of_size(MAX_ITEM_BYTES);
        assert_eq!(dynamodb_mapper::attribute::item_size(&exact.to_item()?), 409_600);
        let saved = conn.save(Document::new(exact.clone())).await;
        if engine == common::EngineKind::Moto {
            // moto refuses items over 405,000 bytes, its own approximation of
            // the limit: the mapper sent it, and moto said no.
            assert!(matches!(saved, Err(Error::Engine { .. })), "{saved:?}");
        } else {
            saved?;
            conn.save_batch([&exact]).await?;
            assert_eq!(conn.get::<Blob>("b".into()).await?.map(|b| b.data.len()), Some(exact.data.len()));
        }
        let over = blob_of_size(MAX_ITEM_BYTES + 1);
        match conn.save(Document::new(over.clone())).await {
            Err(Error::ItemTooLarge { size: 409_601, .. }) => {}
            other => panic!("expected ItemTooLarge, got {other:?}"),
        }
        assert!(matches!(conn.save_batch([&over]).await, Err(Error::ItemTooLarge { .. })));
    }

    async fn a_version_at_its_types_maximum_is_refused_not_wrapped(conn, engine) {
        conn.create_table::<Signed>().await?;
        common::put_raw(&conn, "signed", version_item(&i64::MAX.to_string())).await?;
        let mut at_max = conn.get::<Signed>("v".into()).await?.expect("stored");
        let error = conn.save(&mut at_max).await.expect_err("no version after i64::MAX");
        let text = error.to_string();
        assert!(text.contains("9223372036854775808"), "the error names the next version: {text}");
        assert_eq!(at_max.version, i64::MAX, "the document keeps its version");
        let stored = conn.get::<Signed>("v".into()).await?.expect("stored");
        assert_eq!(stored.version, i64::MAX, "nothing was written");
    }

    async fn an_unsigned_version_above_i64_max_counts_on(conn, engine) {
        conn.create_table::<Unsigned>().await?;
        let big = u64::MAX - 2;
        common::put_raw(&conn, "unsigned", version_item(&big.to_string())).await?;
        let mut loaded = conn.get::<Unsigned>("v".into()).await?.expect("stored");
        conn.save(&mut loaded).await?;
        assert_eq!(loaded.version, big + 1);
        conn.save(&mut loaded).await?;
        assert_eq!(conn.get::<Unsigned>("v".into()).await?.map(|u| u.version), Some(u64::MAX));
        let error = conn.save(&mut loaded).await.expect_err("no version after u64::MAX");
        assert!(error.to_string().contains("18446744073709551616"), "{error}");
    }

    async fn batch_get_asks_for_a_repeated_key_once(conn, engine) {
        conn.create_table::<DoomMap>().await?;
        conn.save_batch(&[DoomMap::new(1, 1, "Hangar"), DoomMap::new(1, 2, "Nuclear Plant")]).await?;
        // Hash maps order their keys at random: many tries, each must pass.
        for _ in 0..20 {
            let found: Vec<_> = conn.get_batch::<DoomMap>([(1, 1), (1, 2), (1, 1), (1, 2), (1, 1)]).try_collect().await?;
            assert_eq!(found.len(), 2);
        }
    }

    async fn batch_writes_refuse_a_repeated_key(conn, engine) {
        conn.create_table::<DoomMap>().await?;
        for _ in 0..20 {
            let result = conn.save_batch(&[DoomMap::new(1, 1, "a"), DoomMap::new(1, 2, "b"), DoomMap::new(1, 1, "c")]).await;
            assert!(matches!(result, Err(Error::DuplicateKey { .. })), "{result:?}");
            let result = conn.delete_batch::<DoomMap>([(1, 1), (1, 1)]).await;
            assert!(matches!(result, Err(Error::DuplicateKey { .. })), "{result:?}");
        }
    }

    async fn parallel_scans_take_1_to_1_000_000_segments(conn, engine) {
        conn.create_table::<Player>().await?;
        let players: Vec<Player> = (0..10).map(|n| Player { login: format!("p{n}"), ..Default::default() }).collect();
        conn.save_batch(&players).await?;
        for total in [0, MAX_SEGMENTS + 1, 2_000_000, u32::MAX] {
            let result: Result<Vec<_>, _> = conn.scan::<Player>().parallel(total).try_collect().await;
            assert!(matches!(result, Err(Error::InvalidRequest { .. })), "parallel({total}): {result:?}");
        }
        for (index, total) in [(0, 0), (3, 3), (0, MAX_SEGMENTS + 1)] {
            let result: Result<Vec<_>, _> = conn.scan::<Player>().segment(index, total).try_collect().await;
            assert!(matches!(result, Err(Error::InvalidRequest { .. })), "segment({index}, {total}): {result:?}");
        }
        // More segments than are walked at once: all of them are walked.
        let all: Vec<_> = conn.scan::<Player>().parallel(300).try_collect().await?;
        assert_eq!(all.len(), 10);
    }
}
