//! Paging you can resume, and parallel scans, on every engine.

use crate::common;

use std::collections::BTreeSet;

use common::models::{DoomMap, Player};
use dynamodb_mapper::operation::Cursor;
use dynamodb_mapper::{Connection, Error, Model};
use futures::{StreamExt, TryStreamExt};

async fn episode(conn: &Connection, maps: i64) -> dynamodb_mapper::Result<()> {
    conn.create_table::<DoomMap>().await?;
    let all: Vec<DoomMap> = (1..=maps)
        .map(|m| DoomMap::new(1, m, &format!("E1M{m}")))
        .collect();
    conn.save_batch(&all).await?;
    Ok(())
}

fn map_numbers(pages: &[dynamodb_mapper::operation::Page<DoomMap>]) -> Vec<i64> {
    pages
        .iter()
        .flat_map(|p| p.items.iter().map(|d| d.map))
        .collect()
}

engine_tests! {
    async fn pages_carry_cursors_and_page_size_bounds_each_page(conn, engine) {
        episode(&conn, 10).await?;
        let pages: Vec<_> = conn.query::<DoomMap>(1).page_size(3).pages().try_collect().await?;
        assert_eq!(map_numbers(&pages), (1..=10).collect::<Vec<_>>());
        assert!(pages.iter().all(|p| p.items.len() <= 3));
        assert!(pages.len() >= 4);
        assert!(pages.last().is_some_and(|p| p.cursor.is_none()), "the last page has no cursor");
        assert!(pages[..pages.len() - 1].iter().all(|p| p.cursor.is_some()));
        // Item streams page the same way.
        let items: Vec<_> = conn.query::<DoomMap>(1).page_size(3).try_collect().await?;
        assert_eq!(items.len(), 10);
    }

    async fn a_limit_ending_mid_page_resumes_exactly_after_the_last_item(conn, engine) {
        episode(&conn, 10).await?;
        let first: Vec<_> = conn.query::<DoomMap>(1).page_size(4).limit(6).pages().try_collect().await?;
        assert_eq!(map_numbers(&first), [1, 2, 3, 4, 5, 6]);
        let cursor = first.last().and_then(|p| p.cursor.clone()).expect("more to come");
        // The cursor travels as text, e.g. to a client and back.
        let cursor: Cursor = cursor.to_string().parse()?;
        let rest: Vec<_> = conn.query::<DoomMap>(1).page_size(4).start_after(cursor.clone()).pages().try_collect().await?;
        assert_eq!(map_numbers(&rest), [7, 8, 9, 10], "no duplicates, no gaps");
        let reversed: Vec<_> = conn.query::<DoomMap>(1).reverse().start_after(cursor).try_collect().await?;
        assert_eq!(reversed.iter().map(|d| d.map).collect::<Vec<_>>(), [5, 4, 3, 2, 1]);
        assert!(matches!("not a cursor".parse::<Cursor>(), Err(Error::InvalidRequest { .. })));
    }

    async fn filtered_walks_resume_too(conn, engine) {
        episode(&conn, 10).await?;
        // A filter on the range key is refused up front, as DynamoDB refuses it.
        let on_key = conn.query::<DoomMap>(1).filter(DoomMap::fields().map.gt(2)).try_collect::<Vec<_>>().await;
        assert!(matches!(on_key, Err(Error::InvalidRequest { reason, .. }) if reason.contains("`map`")));
        let odd = || DoomMap::fields().name.is_in(["E1M1", "E1M3", "E1M5", "E1M7", "E1M9"]);
        let first: Vec<_> = conn.query::<DoomMap>(1).filter(odd()).limit(2).pages().try_collect().await?;
        assert_eq!(map_numbers(&first), [1, 3]);
        let cursor = first.last().and_then(|p| p.cursor.clone()).expect("more to come");
        let rest: Vec<_> = conn.query::<DoomMap>(1).filter(odd()).start_after(cursor).pages().try_collect().await?;
        assert_eq!(map_numbers(&rest), [5, 7, 9]);
    }

    async fn scans_resume_without_duplicates_or_gaps(conn, engine) {
        conn.create_table::<Player>().await?;
        let all: Vec<Player> = (0..40).map(|i| Player { login: format!("p{i:02}"), ..Default::default() }).collect();
        conn.save_batch(&all).await?;
        let mut seen = BTreeSet::new();
        let mut cursor = None;
        let mut walks = 0;
        loop {
            let mut scan = conn.scan::<Player>().page_size(7).limit(9);
            if let Some(c) = cursor.take() {
                scan = scan.start_after(c);
            }
            let pages: Vec<_> = scan.pages().try_collect().await?;
            for page in &pages {
                for player in &page.items {
                    assert!(seen.insert(player.login.clone()), "{} twice", player.login);
                }
            }
            walks += 1;
            cursor = pages.last().and_then(|p| p.cursor.clone());
            if cursor.is_none() {
                break;
            }
        }
        assert_eq!(seen.len(), 40);
        assert!(walks >= 5, "nine at a time");
    }

    async fn a_parallel_scan_is_one_merged_stream(conn, engine) {
        conn.create_table::<Player>().await?;
        let all: Vec<Player> = (0..50).map(|i| Player { login: format!("p{i:02}"), ..Default::default() }).collect();
        conn.save_batch(&all).await?;
        let merged: BTreeSet<String> = conn.scan::<Player>().parallel(4).page_size(5).map_ok(|p| p.login.clone()).try_collect().await?;
        assert_eq!(merged.len(), 50);
        let limited: Vec<_> = conn.scan::<Player>().parallel(3).limit(10).try_collect().await?;
        assert_eq!(limited.len(), 10);
        let mut by_segment = BTreeSet::new();
        for index in 0..3 {
            let part: Vec<String> = conn.scan::<Player>().segment(index, 3).map_ok(|p| p.login.clone()).try_collect().await?;
            for login in part {
                assert!(by_segment.insert(login), "segments do not overlap");
            }
        }
        assert_eq!(by_segment.len(), 50);
        let mut pages = conn.scan::<Player>().parallel(2).pages();
        assert!(matches!(pages.next().await, Some(Err(Error::InvalidRequest { .. }))));
    }

    async fn a_page_keeps_its_good_items_its_errors_and_its_cursor(conn, engine) {
        episode(&conn, 6).await?;
        // Another program stored a map whose name is a number.
        let mut bad = DoomMap::new(1, 2, "x").to_item()?;
        bad.insert("name".into(), dynamodb_mapper::AttributeValue::N("2".into()));
        common::put_raw(&conn, "doom_map", bad).await?;
        let pages: Vec<_> = conn.query::<DoomMap>(1).page_size(3).pages().try_collect().await?;
        assert_eq!(map_numbers(&pages), vec![1, 3, 4, 5, 6], "every good item arrives");
        assert_eq!(pages[0].errors.len(), 1, "the bad item is its page's error");
        assert!(pages[0].errors[0].to_string().contains("name"), "{}", pages[0].errors[0]);
        assert!(pages.iter().skip(1).all(|p| p.errors.is_empty()));
        // The bad item's page keeps its cursor: resuming after it goes on from there.
        let cursor = pages[0].cursor.clone().expect("the first page has a cursor");
        let rest: Vec<_> = conn.query::<DoomMap>(1).page_size(3).start_after(cursor).map_ok(|m| m.map).try_collect().await?;
        assert_eq!(rest, vec![4, 5, 6]);
    }
}
