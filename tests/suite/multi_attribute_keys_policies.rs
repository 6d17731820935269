//! Multi-attribute index keys where they meet the model's policies: the
//! version and auto-increment keys as key attributes, entities sharing an
//! index, keys-only entity indexes, migrations and backfills, renamed
//! fields, composed keys beside them, the original's format, and engines
//! without them. Each test is bounded.

use dynamodb_mapper::backfill::Backfill;
use dynamodb_mapper::model::{Migrator, SchemaVersion};
use dynamodb_mapper::operation::Cursor;
use dynamodb_mapper::{AttributeValue, Connection, Document, Error, Item, Model};
use futures::{StreamExt, TryStreamExt};

use crate::common::put_raw;

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

fn is_conflict<T: std::fmt::Debug>(result: &Result<T, Error>) -> bool {
    matches!(
        result,
        Err(Error::Conflict(_)) | Err(Error::TransactionCanceled { .. })
    )
}

/// The version as a sort key attribute of a multi-attribute index.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_revs",
    hash_key = "id",
    global_index(name = "rt_by_rev", hash_key = ["team", "status"], range_key = ["version", "id"])
)]
struct Rev {
    id: String,
    team: String,
    status: String,
    #[dynamodb(version)]
    version: u64,
}

/// Two entities sharing a table and a multi-attribute index.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_board",
    pk = "CARD#{id}",
    global_index(name = "rt_lane", hash_key = ["team", "lane"], range_key = ["rank", "id"])
)]
struct RtCard {
    id: String,
    team: String,
    lane: u32,
    rank: i64,
}

#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_board",
    pk = "NOTE#{id}",
    global_index(name = "rt_lane", hash_key = ["team", "lane"], range_key = ["rank", "id"])
)]
struct RtNote {
    id: String,
    team: String,
    lane: u32,
    rank: i64,
}

/// An auto-increment key as a sort attribute of a multi-attribute index.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_tickets",
    hash_key = "id",
    global_index(name = "rt_queue", hash_key = ["queue", "prio"], range_key = ["opened", "id"])
)]
struct Ticket {
    #[dynamodb(auto_increment)]
    id: i64,
    queue: String,
    prio: u8,
    opened: i64,
}

/// Version 1 stored a composed `team_region`; version 2 stores both.
struct CrewSteps;

fn split_team_region(raw: &mut Item) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let Some(AttributeValue::S(both)) = raw.remove("team_region") else {
        return Err("version 1 items have a team_region".into());
    };
    let (team, region) = both.split_once('#').ok_or("team#region")?;
    raw.insert("team".into(), s(team));
    raw.insert("region".into(), s(region));
    Ok(())
}

impl Migrator for CrewSteps {
    const VERSIONS: &'static [SchemaVersion] = &[
        SchemaVersion::new(1).check(|raw| raw.contains_key("team_region")),
        SchemaVersion::new(2)
            .check(|raw| raw.contains_key("team"))
            .migrate(split_team_region),
    ];
}

#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_crew",
    hash_key = "id",
    migrator = CrewSteps,
    global_index(name = "rt_crew_idx", hash_key = ["team", "region"], range_key = ["rank"])
)]
struct Crew {
    id: String,
    team: String,
    region: String,
    rank: u32,
}

/// An entity with a keys-only multi-attribute index, sharing its table
/// with an entity storing the same attributes.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_pins",
    pk = "PIN#{id}",
    global_index(name = "rt_pin_idx", hash_key = ["team", "lane"], range_key = ["rank"], projection = "keys_only")
)]
struct RtPin {
    id: String,
    team: String,
    lane: u32,
    rank: i64,
    label: String,
}

#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(table = "rt_pins", pk = "TAG#{id}")]
struct RtTag {
    id: String,
    team: String,
    lane: u32,
    rank: i64,
}

/// Renamed fields in a multi-attribute key that also holds the table's hash key.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_renamed",
    hash_key = "id",
    global_index(name = "rt_ren_idx", hash_key = ["team", "kind"], range_key = ["when", "id"])
)]
struct RenamedKeys {
    id: String,
    #[dynamodb(rename = "t")]
    team: String,
    #[dynamodb(rename = "k")]
    kind: u8,
    #[dynamodb(rename = "w")]
    when: i64,
}

/// A multi-attribute partition with a composed sort key, and a composed
/// partition with a multi-attribute sort key.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_mix",
    pk = "MIX#{id}",
    global_index(name = "rt_mix_a", hash_key = ["team", "lane"], sk = "R#{rank}"),
    global_index(name = "rt_mix_b", pk = "TEAM#{team}", range_key = ["lane", "rank"])
)]
struct RtMix {
    id: String,
    team: String,
    lane: u32,
    rank: u32,
}

/// A model of the original's format with a multi-attribute index.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_py_events",
    hash_key = "id",
    format = "python",
    global_index(name = "rt_py_idx", hash_key = ["room", "floor"], range_key = ["at", "seq"])
)]
struct PyEvent {
    id: String,
    room: String,
    floor: i32,
    at: chrono::DateTime<chrono::Utc>,
    seq: u64,
    tags: Vec<String>,
}

crate::engine_tests! {
    async fn rt_multi_version_as_a_sort_attribute(conn, engine) {
        conn.create_table::<Rev>().await?;
        for (id, saves) in [("r1", 1), ("r2", 2), ("r3", 3)] {
            let mut doc = Document::new(Rev { id: id.into(), team: "core".into(), status: "open".into(), version: 0 });
            for _ in 0..saves {
                conn.save(&mut doc).await?;
            }
        }
        // Sparse: no status, not in the index.
        conn.save(Document::new(Rev { id: "r4".into(), team: "core".into(), status: String::new(), version: 0 })).await?;
        let key = || ("core".to_string(), "open".to_string());
        let idx = Rev::indexes().rt_by_rev;
        let all: Vec<_> = conn.query_index(idx, key()).try_collect().await?;
        let got: Vec<(&str, u64)> = all.iter().map(|r| (r.id.as_str(), r.version)).collect();
        assert_eq!(got, [("r1", 1), ("r2", 2), ("r3", 3)]);
        let found: Vec<_> = conn.query_index(idx, key()).sort(|k| k.ge(2)).try_collect().await?;
        assert_eq!(found.len(), 2);
        let found: Vec<_> = conn.query_index(idx, key()).sort(|k| k.eq(3).eq("r3".into())).try_collect().await?;
        assert_eq!(found.len(), 1);
        // A found document whose version another program moved on.
        let mut r1 = all[0].clone();
        let mut raw = r1.stored_item().expect("loaded").clone();
        raw.insert("version".into(), n("7"));
        put_raw(&conn, "rt_revs", raw).await?;
        r1.status = "done".into();
        let saved = conn.save(&mut r1).await;
        assert!(is_conflict(&saved), "{saved:?}");
        let moved: Vec<_> = conn.query_index(idx, key()).sort(|k| k.eq(7)).try_collect().await?;
        assert_eq!(moved.len(), 1);
        let mut r1 = moved[0].clone();
        r1.status = "done".into();
        conn.save(&mut r1).await?;
        let done: Vec<_> = conn.query_index(idx, ("core".to_string(), "done".to_string())).try_collect().await?;
        let got: Vec<(&str, u64)> = done.iter().map(|r| (r.id.as_str(), r.version)).collect();
        assert_eq!(got, [("r1", 8)]);
        // An update bumps the version: the index key moves too.
        conn.update::<Rev>("r2".into()).set(Rev::fields().status, "done").await?;
        let done: Vec<_> = conn.query_index(idx, ("core".to_string(), "done".to_string())).try_collect().await?;
        let got: Vec<(&str, u64)> = done.iter().map(|r| (r.id.as_str(), r.version)).collect();
        assert_eq!(got, [("r2", 3), ("r1", 8)]);
        // Pages of one over a key holding the version.
        let pages: Vec<_> = conn.query_index(idx, ("core".to_string(), "done".to_string())).page_size(1).reverse().pages().take(10).try_collect().await?;
        let ids: Vec<String> = pages.iter().flat_map(|p| p.items.iter().map(|r| r.id.clone())).collect();
        assert_eq!(ids, ["r1", "r2"]);
    }

    async fn rt_multi_entities_share_an_index(conn, engine) {
        conn.create_table::<RtCard>().await?;
        for i in 0..3i64 {
            conn.save(Document::new(RtCard { id: format!("c{i}"), team: "core".into(), lane: 1, rank: 2 * i + 1 })).await?;
            conn.save(Document::new(RtNote { id: format!("n{i}"), team: "core".into(), lane: 1, rank: 2 * i + 2 })).await?;
        }
        let key = || ("core".to_string(), 1u32);
        let cards: Vec<_> = conn.query_index(RtCard::indexes().rt_lane, key()).try_collect().await?;
        let ids: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["c0", "c1", "c2"]);
        let notes: Vec<_> = conn.query_index(RtNote::indexes().rt_lane, key()).reverse().try_collect().await?;
        let ids: Vec<&str> = notes.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["n2", "n1", "n0"]);
        let after: Vec<_> = conn.query_index(RtCard::indexes().rt_lane, key()).sort(|k| k.gt(2)).try_collect().await?;
        let ids: Vec<&str> = after.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["c1", "c2"]);
        let exact: Vec<_> = conn.query_index(RtNote::indexes().rt_lane, key()).sort(|k| k.eq(4).eq("n1".into())).try_collect().await?;
        assert_eq!(exact.len(), 1);
        // Pages of one: other entities' items make empty pages, never errors.
        let mut seen = Vec::new();
        let mut cursor: Option<Cursor> = None;
        for _ in 0..20 {
            let mut query = conn.query_index(RtCard::indexes().rt_lane, key()).page_size(1);
            if let Some(cursor) = cursor.take() {
                query = query.start_after(cursor);
            }
            let Some(page) = query.pages().next().await else { break };
            let page = page?;
            assert!(page.errors.is_empty(), "{:?}", page.errors);
            seen.extend(page.items.iter().map(|c| c.id.clone()));
            match page.cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["c0", "c1", "c2"]);
        let limited: Vec<_> = conn.query_index(RtCard::indexes().rt_lane, key()).limit(2).page_size(1).try_collect().await?;
        let ids: Vec<&str> = limited.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["c0", "c1"]);
        let scanned: Vec<_> = conn.scan::<RtNote>().index(RtNote::indexes().rt_lane).try_collect().await?;
        assert_eq!(scanned.len(), 3);
    }

    async fn rt_multi_auto_increment_and_backfilled_keys(conn, engine) {
        conn.create_table::<Ticket>().await?;
        for opened in [30i64, 10, 10] {
            let mut t = Document::new(Ticket { id: 0, queue: "ops".into(), prio: 1, opened });
            conn.save(&mut t).await?;
        }
        let all: Vec<_> = conn.query_index(Ticket::indexes().rt_queue, ("ops".to_string(), 1u8)).try_collect().await?;
        let got: Vec<(i64, i64)> = all.iter().map(|t| (t.opened, t.id)).collect();
        assert_eq!(got, [(10, 2), (10, 3), (30, 1)]);
        let scanned: Vec<_> = conn.scan::<Ticket>().index(Ticket::indexes().rt_queue).try_collect().await?;
        assert_eq!(scanned.len(), 3, "no counter item");
        let found: Vec<_> = conn.query_index(Ticket::indexes().rt_queue, ("ops".to_string(), 1u8)).sort(|k| k.eq(10).gt(2)).try_collect().await?;
        assert_eq!(found.len(), 1);

        // Items of an older version are not in the index until backfilled.
        conn.create_table::<Crew>().await?;
        for i in 0..5u32 {
            let item = Item::from_iter([
                ("id".to_string(), s(&format!("w{i}"))),
                ("team_region".to_string(), s("core#eu")),
                ("rank".to_string(), n(&(10 - i).to_string())),
            ]);
            put_raw(&conn, "rt_crew", item).await?;
        }
        let key = || ("core".to_string(), "eu".to_string());
        let before: Vec<_> = conn.query_index(Crew::indexes().rt_crew_idx, key()).try_collect().await?;
        assert!(before.is_empty());
        let report = Backfill::<Crew>::new(&conn).page_size(2).await?;
        assert_eq!((report.counts.rewritten, report.counts.errors), (5, 0), "{:?}", report.counts);
        let after: Vec<_> = conn.query_index(Crew::indexes().rt_crew_idx, key()).try_collect().await?;
        let ids: Vec<&str> = after.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["w4", "w3", "w2", "w1", "w0"]);
        for c in &after {
            assert!(!c.stored_item().expect("loaded").contains_key("team_region"));
        }
    }

    async fn rt_multi_keys_only_index_of_an_entity_keeps_to_it(conn, engine) {
        conn.create_table::<RtPin>().await?;
        for i in 0..3i64 {
            conn.save(Document::new(RtPin { id: format!("p{i}"), team: "core".into(), lane: 1, rank: 2 * i + 1, label: "l".into() })).await?;
            conn.save(Document::new(RtTag { id: format!("t{i}"), team: "core".into(), lane: 1, rank: 2 * i + 2 })).await?;
        }
        let found = conn.query_index(RtPin::indexes().rt_pin_idx, ("core".to_string(), 1u32)).try_collect::<Vec<_>>().await;
        // Its items hold no entity name: refused before sending, with the
        // way to read it.
        match found {
            Err(Error::InvalidRequest { reason, .. }) => assert!(reason.contains("project"), "{reason}"),
            other => panic!("a keys-only index of an entity: {other:?}"),
        }
    }

    async fn rt_multi_renamed_fields_and_the_table_hash_key_in_the_index(conn, engine) {
        conn.create_table::<RenamedKeys>().await?;
        for (id, when) in [("b", 5i64), ("a", 5), ("c", -1)] {
            conn.save(Document::new(RenamedKeys { id: id.into(), team: "core".into(), kind: 2, when })).await?;
        }
        let idx = RenamedKeys::indexes().rt_ren_idx;
        let all: Vec<_> = conn.query_index(idx, ("core".to_string(), 2u8)).try_collect().await?;
        let ids: Vec<&str> = all.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
        let found: Vec<_> = conn.query_index(idx, ("core".to_string(), 2u8)).sort(|k| k.eq(5).gt("a".into())).try_collect().await?;
        let ids: Vec<&str> = found.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["b"]);
        let pages: Vec<_> = conn.query_index(idx, ("core".to_string(), 2u8)).page_size(1).reverse().pages().take(10).try_collect().await?;
        let ids: Vec<String> = pages.iter().flat_map(|p| p.items.iter().map(|r| r.id.clone())).collect();
        assert_eq!(ids, ["b", "a", "c"]);
        // A filter on a renamed key attribute is refused by its stored name.
        let filtered = conn.query_index(idx, ("core".to_string(), 2u8)).filter(RenamedKeys::fields().when.gt(0i64)).try_collect::<Vec<_>>().await;
        assert!(matches!(filtered, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("`w`")), "{filtered:?}");
        let scanned: Vec<_> = conn.scan::<RenamedKeys>().index(idx).page_size(1).try_collect().await?;
        assert_eq!(scanned.len(), 3);
    }

    async fn rt_multi_mixed_with_composed_keys(conn, engine) {
        conn.create_table::<RtMix>().await?;
        for (id, lane, rank) in [("m0", 1u32, 1u32), ("m1", 1, 3), ("m2", 2, 2), ("m3", 1, 10)] {
            conn.save(Document::new(RtMix { id: id.into(), team: "core".into(), lane, rank })).await?;
        }
        let a: Vec<_> = conn.query_index(RtMix::indexes().rt_mix_a, ("core".to_string(), 1u32)).try_collect().await?;
        let ids: Vec<&str> = a.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["m0", "m1", "m3"], "ranks zero-padded in the composed key");
        let above: Vec<_> = conn.query_index(RtMix::indexes().rt_mix_a, ("core".to_string(), 1u32)).range(dynamodb_mapper::KeyCondition::Gt(RtMixRtMixASk { rank: 2 })).try_collect().await?;
        let ids: Vec<&str> = above.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["m1", "m3"]);
        let b: Vec<_> = conn.query_index(RtMix::indexes().rt_mix_b, RtMixRtMixBPk { team: "core".into() }).sort(|k| k.eq(1).gt(2)).try_collect().await?;
        let ids: Vec<&str> = b.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["m1", "m3"]);
        let b: Vec<_> = conn.query_index(RtMix::indexes().rt_mix_b, RtMixRtMixBPk { team: "core".into() }).reverse().page_size(1).try_collect().await?;
        let ids: Vec<&str> = b.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["m2", "m3", "m1", "m0"]);
    }

    async fn rt_multi_scan_of_an_index_without_the_capability(conn, engine) {
        use std::sync::Arc;
        use dynamodb_mapper::engine::Capabilities;
        use crate::common::alternator_like::AlternatorLike;
        conn.create_table::<Rev>().await?;
        let without = Capabilities::DYNAMODB.without_multi_attribute_index_keys();
        let wrapper = Arc::new(AlternatorLike::new(conn.shared_engine(), without));
        let limited = Connection::from_arc(wrapper).with_table_prefix(conn.table_name(""));
        let queried = limited.query_index(Rev::indexes().rt_by_rev, ("a".to_string(), "b".to_string())).try_collect::<Vec<_>>().await;
        assert!(matches!(queried, Err(Error::Unsupported { .. })), "{queried:?}");
        let scanned = limited.scan::<Rev>().index(Rev::indexes().rt_by_rev).try_collect::<Vec<_>>().await;
        assert!(matches!(scanned, Err(Error::Unsupported { .. })), "a scan of the index is refused as its query is: {scanned:?}");
    }

    async fn rt_multi_duplicate_index_keys_page_without_loss(conn, engine) {
        conn.create_table::<Rev>().await?;
        for i in 0..6 {
            // Same team, status, version and... different ids: the id is the
            // last sort attribute, so make them collide on the rest.
            conn.save(Document::new(Rev { id: format!("d{i}"), team: "core".into(), status: "same".into(), version: 0 })).await?;
        }
        let mut seen = Vec::new();
        let mut cursor: Option<Cursor> = None;
        for _ in 0..20 {
            let mut scan = conn.query_index(Rev::indexes().rt_by_rev, ("core".to_string(), "same".to_string())).sort(|k| k.eq(1)).page_size(1);
            if let Some(cursor) = cursor.take() {
                scan = scan.start_after(cursor);
            }
            let Some(page) = scan.pages().next().await else { break };
            let page = page?;
            seen.extend(page.items.iter().map(|r| r.id.clone()));
            match page.cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(seen, ["d0", "d1", "d2", "d3", "d4", "d5"]);
    }

    async fn rt_multi_python_format_model(conn, engine) {
        conn.create_table::<PyEvent>().await?;
        let at = |h: u32| -> chrono::DateTime<chrono::Utc> { format!("2026-11-25T{h:02}:00:00Z").parse().expect("a datetime") };
        for (id, h, seq) in [("e0", 10u32, 2u64), ("e1", 9, 5), ("e2", 10, 1), ("e3", 11, 0)] {
            conn.save(Document::new(PyEvent { id: id.into(), room: "r1".into(), floor: -1, at: at(h), seq, tags: vec!["x".into()] })).await?;
        }
        let idx = PyEvent::indexes().rt_py_idx;
        let all: Vec<_> = conn.query_index(idx, ("r1".to_string(), -1i32)).try_collect().await?;
        let ids: Vec<&str> = all.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["e1", "e2", "e0", "e3"]);
        let later: Vec<_> = conn.query_index(idx, ("r1".to_string(), -1i32)).sort(|k| k.eq(at(10)).ge(2)).try_collect().await?;
        let ids: Vec<&str> = later.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["e0"]);
        let after: Vec<_> = conn.query_index(idx, ("r1".to_string(), -1i32)).sort(|k| k.gt(at(9))).try_collect().await?;
        assert_eq!(after.len(), 3);
        assert_eq!(all[0].tags, ["x"]);
    }
}
