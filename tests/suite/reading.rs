//! Query, scan and batch get: lazy streams with paging hidden, on every engine.

use crate::common;

use common::models::{DoomMap, Player};
use dynamodb_mapper::{Connection, Document, KeyCondition};
use futures::{StreamExt, TryStreamExt};

/// Episode 1 with maps 1..=9, and episode 2 with map 1.
async fn doom_maps(conn: &Connection) -> dynamodb_mapper::Result<()> {
    conn.create_table::<DoomMap>()
        .provisioned(10, 10)
        .wait_for_active()
        .await?;
    for map in 1..=9 {
        conn.save(Document::new(DoomMap::new(1, map, &format!("E1M{map}"))))
            .await?;
    }
    conn.save(Document::new(DoomMap::new(2, 1, "E2M1"))).await?;
    Ok(())
}

async fn maps(
    query: dynamodb_mapper::operation::Query<DoomMap>,
) -> dynamodb_mapper::Result<Vec<i64>> {
    query.map_ok(|doc| doc.map).try_collect().await
}

engine_tests! {
    async fn query_walks_one_hash_key_in_range_order(conn, engine) {
        doom_maps(&conn).await?;
        assert_eq!(maps(conn.query::<DoomMap>(1)).await?, (1..=9).collect::<Vec<_>>());
        assert_eq!(maps(conn.query::<DoomMap>(2)).await?, vec![1]);
        assert_eq!(maps(conn.query::<DoomMap>(3)).await?, Vec::<i64>::new());
        assert_eq!(maps(conn.query::<DoomMap>(1).reverse()).await?, (1..=9).rev().collect::<Vec<_>>());
        assert_eq!(maps(conn.query::<DoomMap>(1).consistent_read()).await?.len(), 9);
    }

    async fn query_range_conditions_of_the_original(conn, engine) {
        doom_maps(&conn).await?;
        let q = || conn.query::<DoomMap>(1);
        assert_eq!(maps(q().range(KeyCondition::Eq(5))).await?, vec![5]);
        assert_eq!(maps(q().range(KeyCondition::Le(3))).await?, vec![1, 2, 3]);
        assert_eq!(maps(q().range(KeyCondition::Lt(3))).await?, vec![1, 2]);
        assert_eq!(maps(q().range(KeyCondition::Ge(8))).await?, vec![8, 9]);
        assert_eq!(maps(q().range(KeyCondition::Gt(5))).await?, vec![6, 7, 8, 9]);
        assert_eq!(maps(q().range(KeyCondition::Between(4, 6))).await?, vec![4, 5, 6]);
        assert_eq!(maps(q().range(KeyCondition::Gt(5)).reverse()).await?, vec![9, 8, 7, 6]);
    }

    async fn query_begins_with_on_a_string_range_key(conn, engine) {
        #[derive(dynamodb_mapper::Model, Debug, Clone, PartialEq, Default)]
        #[dynamodb(table = "files", hash_key = "owner", range_key = "path")]
        struct File {
            owner: String,
            path: String,
        }
        conn.create_table::<File>().wait_for_active().await?;
        for path in ["docs/a", "docs/b", "src/main.rs", "do"] {
            conn.save(Document::new(File { owner: "ann".into(), path: path.into() })).await?;
        }
        let docs: Vec<String> = conn
            .query::<File>("ann".into())
            .range(KeyCondition::BeginsWith("docs/".into()))
            .map_ok(|f| f.path.clone())
            .try_collect()
            .await?;
        assert_eq!(docs, ["docs/a", "docs/b"]);
    }

    async fn a_limit_counts_items_returned_across_pages(conn, engine) {
        doom_maps(&conn).await?;
        assert_eq!(maps(conn.query::<DoomMap>(1).limit(4)).await?, vec![1, 2, 3, 4]);
        assert_eq!(maps(conn.query::<DoomMap>(1).limit(0)).await?, Vec::<i64>::new());
        assert_eq!(maps(conn.query::<DoomMap>(1).limit(100)).await?.len(), 9);
        // With a filter, pages hold fewer matches than they read: the stream
        // keeps paging until the limit is met.
        let odd = DoomMap::fields().name.is_in(["E1M1", "E1M3", "E1M5", "E1M7", "E1M9"]);
        assert_eq!(maps(conn.query::<DoomMap>(1).filter(odd.clone()).limit(3)).await?, vec![1, 3, 5]);
        assert_eq!(maps(conn.query::<DoomMap>(1).filter(odd).reverse().limit(2)).await?, vec![9, 7]);
    }

    async fn streams_are_lazy(conn, engine) {
        doom_maps(&conn).await?;
        let mut stream = conn.query::<DoomMap>(1);
        let first = stream.next().await.expect("an item")?;
        assert_eq!(first.map, 1);
        let rest: Vec<_> = stream.try_collect().await?;
        assert_eq!(rest.len(), 8);
    }

    async fn paging_is_hidden_for_results_over_one_megabyte(conn, engine) {
        conn.create_table::<Player>().wait_for_active().await?;
        // 24 items of ~100 KB: more than DynamoDB's 1 MB page.
        let padding = "x".repeat(100_000);
        for i in 0..24 {
            let mut player = Document::new(Player { login: format!("p{i:02}"), display_name: padding.clone(), ..Default::default() });
            conn.save(&mut player).await?;
        }
        let mut logins: Vec<String> = conn.scan::<Player>().map_ok(|p| p.login.clone()).try_collect().await?;
        logins.sort();
        assert_eq!(logins, (0..24).map(|i| format!("p{i:02}")).collect::<Vec<_>>());
    }

    async fn scan_with_conditions_on_any_attribute(conn, engine) {
        doom_maps(&conn).await?;
        let f = DoomMap::fields();
        let count = |filter| {
            let conn = conn.clone();
            async move { conn.scan::<DoomMap>().filter(filter).try_collect::<Vec<_>>().await.map(|v| v.len()) }
        };
        assert_eq!(conn.scan::<DoomMap>().try_collect::<Vec<_>>().await?.len(), 10);
        assert_eq!(count(f.episode.eq(2)).await?, 1);
        assert_eq!(count(f.episode.ne(2)).await?, 9);
        assert_eq!(count(f.map.gt(7)).await?, 2);
        assert_eq!(count(f.map.ge(7)).await?, 3);
        assert_eq!(count(f.map.lt(2)).await?, 2);
        assert_eq!(count(f.map.le(2)).await?, 3);
        assert_eq!(count(f.map.between(2, 4)).await?, 3);
        assert_eq!(count(f.name.begins_with("E2")).await?, 1);
        assert_eq!(count(f.name.contains("M9".to_string())).await?, 1);
        assert_eq!(count(f.cheats.contains("Konami".to_string())).await?, 10);
        assert_eq!(count(f.cheats.contains("Konami".to_string()).not()).await?, 0);
        assert_eq!(count(f.cheats.exists()).await?, 10);
        assert_eq!(count(f.cheats.not_exists()).await?, 0);
        assert_eq!(count(f.map.is_in([1, 2, 3])).await?, 4);
        assert_eq!(count(f.episode.eq(1).and(f.map.gt(8)).or(f.episode.eq(2))).await?, 2);
        assert_eq!(conn.scan::<DoomMap>().filter(f.episode.eq(1)).limit(4).try_collect::<Vec<_>>().await?.len(), 4);
    }

    async fn batch_get_any_number_of_keys(conn, engine) {
        conn.create_table::<Player>().wait_for_active().await?;
        for i in 0..250 {
            conn.save(Document::new(Player { login: format!("p{i}"), level: i, ..Default::default() })).await?;
        }
        // 300 keys (3+ requests of at most 100): 50 missing, and duplicates.
        let mut keys: Vec<String> = (0..300).map(|i| format!("p{i}")).collect();
        keys.extend(["p1".to_string(), "p2".to_string()]);
        let mut found: Vec<u32> = conn.get_batch::<Player>(keys).concurrency(3).map_ok(|p| p.level).try_collect().await?;
        found.sort();
        assert_eq!(found, (0..250).collect::<Vec<_>>());
        let none: Vec<_> = conn.get_batch::<Player>(Vec::new()).try_collect().await?;
        assert!(none.is_empty());
        let consistent: Vec<_> = conn.get_batch::<Player>(["p7".to_string()]).consistent_read().try_collect().await?;
        assert_eq!(consistent.len(), 1);
        // Loaded documents carry their snapshot: conflict detection works on them.
        let mut p7 = consistent.into_iter().next().expect("one");
        p7.level = 700;
        conn.save(&mut p7).raise_on_conflict().await?;
    }
}
