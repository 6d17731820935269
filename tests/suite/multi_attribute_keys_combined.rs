//! Multi-attribute index keys where they meet the other capabilities: mixed
//! key types, versions and auto-increment keys as key attributes, entities
//! sharing an index, migrations and backfills, paging by cursors, projections,
//! index scans, items written by other programs, the original's format, and
//! hostile sort conditions. Each test is bounded.

use dynamodb_mapper::backfill::Backfill;
use dynamodb_mapper::model::{Migrator, SchemaVersion};
use dynamodb_mapper::operation::Cursor;
use dynamodb_mapper::{AttributeValue, Bytes, Connection, Decimal, Document, Error, Item, Model};
use futures::{StreamExt, TryStreamExt};

use crate::common::{put_raw, EngineKind};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

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

// ---------------------------------------------------------------------------
// Multi-attribute models
// ---------------------------------------------------------------------------

/// Four partition attributes and four sort attributes of mixed types.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_quads",
    hash_key = "id",
    global_index(name = "rt_quad", hash_key = ["a", "b", "c", "d"], range_key = ["s1", "s2", "s3", "s4"]),
    global_index(name = "rt_quad_keys", hash_key = ["a", "b"], range_key = ["s3", "s1"], projection = "keys_only")
)]
struct Quad {
    id: String,
    a: String,
    b: i64,
    c: Bytes,
    d: Decimal,
    s1: i64,
    s2: Bytes,
    s3: String,
    s4: u8,
    note: String,
}

#[derive(dynamodb_mapper::Attribute, Debug, Clone, Default, PartialEq)]
struct QuadKeys {
    id: String,
    s3: String,
    s1: i64,
}

#[derive(dynamodb_mapper::Attribute, Debug, Clone, Default, PartialEq)]
struct QuadNote {
    id: String,
    note: String,
}

fn quad_partition() -> Res<(String, i64, Bytes, Decimal)> {
    Ok((
        "ü🎌 team".to_string(),
        i64::MIN,
        Bytes(vec![0, 255]),
        Decimal::parse("-0.5")?,
    ))
}

fn quad(id: &str, s1: i64, s2: &[u8], s3: &str, s4: u8) -> Res<Quad> {
    let (a, b, c, d) = quad_partition()?;
    Ok(Quad {
        id: id.into(),
        a,
        b,
        c,
        d,
        s1,
        s2: Bytes(s2.to_vec()),
        s3: s3.into(),
        s4,
        note: if id.ends_with(['1', '3', '7']) {
            "keep"
        } else {
            "drop"
        }
        .into(),
    })
}

/// The order by (s1 as a number, s2 as unsigned bytes, s3 as UTF-8 bytes, s4).
const QUAD_ORDER: [&str; 7] = ["q0", "q1", "q2", "q4", "q3", "q5", "q7"];

async fn quads(conn: &Connection) -> Res<()> {
    conn.create_table::<Quad>().await?;
    let mut all = vec![
        quad("q0", -10, &[0x80], "b", 1)?,
        quad("q1", -2, &[0x00], "a", 5)?,
        quad("q2", -2, &[0x00], "a", 200)?,
        quad("q3", -2, &[0x00], "é", 0)?,
        quad("q4", -2, &[0x00], "z", 0)?,
        quad("q5", -2, &[0xff], "a", 0)?,
        // An empty string is stored as no attribute: not in the index.
        quad("q6", 3, &[0x01], "", 0)?,
        quad("q7", 3, &[0x7f], "a", 0)?,
    ];
    // Another partition: one of the four values differs.
    let mut other = quad("q8", 0, &[1], "a", 0)?;
    other.d = Decimal::parse("0.5")?;
    all.push(other);
    for q in all {
        conn.save(Document::new(q)).await?;
    }
    Ok(())
}

fn quad_ids(found: &[Document<Quad>]) -> Vec<String> {
    found.iter().map(|q| q.id.clone()).collect()
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
    async fn rt_multi_four_attributes_of_mixed_types_order_by_type(conn, engine) {
        quads(&conn).await?;
        let idx = Quad::indexes().rt_quad;
        let all: Vec<_> = conn.query_index(idx, quad_partition()?).try_collect().await?;
        assert_eq!(quad_ids(&all), QUAD_ORDER, "numbers as numbers, bytes unsigned, strings by UTF-8; no sparse item");
        let reversed: Vec<_> = conn.query_index(idx, quad_partition()?).reverse().try_collect().await?;
        let mut expected = QUAD_ORDER.to_vec();
        expected.reverse();
        assert_eq!(quad_ids(&reversed), expected);
        // A number written otherwise is the same number.
        let (a, b, c, _) = quad_partition()?;
        let same = (a, b, c, Decimal::parse("-0.500")?);
        let again: Vec<_> = conn.query_index(idx, same).try_collect().await?;
        assert_eq!(quad_ids(&again), QUAD_ORDER);
        let q = || conn.query_index(idx, quad_partition().expect("partition"));
        let found: Vec<_> = q().sort(|k| k.eq(-2).eq(Bytes(vec![0])).eq("a".into()).gt(5)).try_collect().await?;
        assert_eq!(quad_ids(&found), ["q2"]);
        let found: Vec<_> = q().sort(|k| k.eq(-2).between(Bytes(vec![0]), Bytes(vec![0x80]))).try_collect().await?;
        assert_eq!(quad_ids(&found), ["q1", "q2", "q4", "q3"]);
        let found: Vec<_> = q().sort(|k| k.eq(-2).begins_with(Bytes(vec![0xff]))).try_collect().await?;
        assert_eq!(quad_ids(&found), ["q5"]);
        let found: Vec<_> = q().sort(|k| k.eq(-2).eq(Bytes(vec![0])).begins_with("é".into())).try_collect().await?;
        assert_eq!(quad_ids(&found), ["q3"]);
        let found: Vec<_> = q().sort(|k| k.lt(0)).reverse().try_collect().await?;
        assert_eq!(quad_ids(&found), ["q5", "q3", "q4", "q2", "q1", "q0"]);
        let found: Vec<_> = q().sort(|k| k.ge(i64::MIN)).try_collect().await?;
        assert_eq!(quad_ids(&found), QUAD_ORDER);
        let found: Vec<_> = q().sort(|k| k.eq(-2).eq(Bytes(vec![0])).eq("a".into()).eq(u8::MAX)).try_collect().await?;
        assert!(found.is_empty());
        // The fourth sort attribute's full range.
        let found: Vec<_> = q().sort(|k| k.eq(-2).eq(Bytes(vec![0])).eq("a".into()).between(0, u8::MAX)).try_collect().await?;
        assert_eq!(quad_ids(&found), ["q1", "q2"]);
    }

    async fn rt_multi_hostile_sort_conditions(conn, engine) {
        quads(&conn).await?;
        let idx = Quad::indexes().rt_quad;
        let q = || conn.query_index(idx, quad_partition().expect("partition"));
        // Empty values are refused before sending, naming the attribute.
        let empty = q().sort(|k| k.eq(-2).eq(Bytes(Vec::new()))).try_collect::<Vec<_>>().await;
        assert!(matches!(empty, Err(Error::Attribute(ref e)) if e.attribute == "s2"), "{empty:?}");
        let empty = q().sort(|k| k.eq(-2).eq(Bytes(vec![0])).begins_with(String::new())).try_collect::<Vec<_>>().await;
        assert!(matches!(empty, Err(Error::Attribute(ref e)) if e.attribute == "s3"), "{empty:?}");
        let (a, b, _, d) = quad_partition()?;
        let empty = conn.query_index(idx, (a, b, Bytes(Vec::new()), d)).try_collect::<Vec<_>>().await;
        assert!(matches!(empty, Err(Error::Attribute(ref e)) if e.attribute == "c"), "{empty:?}");
        // A filter on a sort attribute (the fourth) is refused.
        let filtered = q().filter(Quad::fields().s4.gt(1u8)).try_collect::<Vec<_>>().await;
        assert!(matches!(filtered, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("s4")), "{filtered:?}");
        // A strongly consistent read of a global index is refused alike.
        let consistent = q().consistent_read().try_collect::<Vec<_>>().await;
        assert!(consistent.is_err(), "a global index has no consistent reads, got {} items", consistent.map(|v| v.len()).unwrap_or(0));
    }

    async fn rt_multi_pages_of_one_with_text_cursors_reverse_and_filters(conn, engine) {
        quads(&conn).await?;
        let idx = Quad::indexes().rt_quad;
        for reverse in [false, true] {
            let mut seen = Vec::new();
            let mut cursor: Option<Cursor> = None;
            let mut pages = 0;
            for _ in 0..20 {
                let mut query = conn.query_index(idx, quad_partition()?).page_size(1);
                if reverse {
                    query = query.reverse();
                }
                if let Some(cursor) = cursor.take() {
                    query = query.start_after(cursor);
                }
                let Some(page) = query.pages().next().await else { break };
                let page = page?;
                pages += 1;
                assert!(page.items.len() <= 1 && page.errors.is_empty());
                seen.extend(page.items.iter().map(|q| q.id.clone()));
                match page.cursor {
                    // Through its text form, as a client would.
                    Some(next) => cursor = Some(next.to_string().parse::<Cursor>()?),
                    None => break,
                }
            }
            let mut expected = QUAD_ORDER.to_vec();
            if reverse {
                expected.reverse();
            }
            assert_eq!(seen, expected, "reverse {reverse}");
            assert!(pages <= 8, "{pages} pages");
        }
        // A filter with pages of one: empty pages still carry a cursor.
        let pages: Vec<_> = conn.query_index(idx, quad_partition()?).page_size(1).filter(Quad::fields().note.eq("keep")).pages().take(20).try_collect().await?;
        let kept: Vec<String> = pages.iter().flat_map(|p| p.items.iter().map(|q| q.id.clone())).collect();
        assert_eq!(kept, ["q1", "q3", "q7"]);
        assert!(pages.last().is_some_and(|p| p.cursor.is_none()));
        // A limit ending inside a page: the cursor is after the last item returned.
        let first: Vec<_> = conn.query_index(idx, quad_partition()?).page_size(2).limit(3).pages().try_collect().await?;
        let ids: Vec<String> = first.iter().flat_map(|p| p.items.iter().map(|q| q.id.clone())).collect();
        assert_eq!(ids, ["q0", "q1", "q2"]);
        let cursor = first.last().and_then(|p| p.cursor.clone()).expect("a cursor after the limit");
        let rest: Vec<_> = conn.query_index(idx, quad_partition()?).start_after(cursor).try_collect().await?;
        assert_eq!(quad_ids(&rest), ["q4", "q3", "q5", "q7"]);
        // And through a filter and reverse with a limit.
        let limited: Vec<_> = conn.query_index(idx, quad_partition()?).reverse().filter(Quad::fields().note.eq("keep")).limit(2).page_size(1).try_collect().await?;
        assert_eq!(quad_ids(&limited), ["q7", "q3"]);
    }

    async fn rt_multi_projections_and_index_scans(conn, engine) {
        quads(&conn).await?;
        let (a, b, _, _) = quad_partition()?;
        // A keys-only index keyed (a, b) / (s3, s1).
        let keys: Vec<QuadKeys> = conn.query_index(Quad::indexes().rt_quad_keys, (a.clone(), b)).project::<QuadKeys>().try_collect().await?;
        let got: Vec<(&str, &str, i64)> = keys.iter().map(|k| (k.id.as_str(), k.s3.as_str(), k.s1)).collect();
        assert_eq!(got, [("q1", "a", -2), ("q2", "a", -2), ("q5", "a", -2), ("q8", "a", 0), ("q7", "a", 3), ("q0", "b", -10), ("q4", "z", -2), ("q3", "é", -2)]);
        let keys: Vec<QuadKeys> = conn.query_index(Quad::indexes().rt_quad_keys, (a, b)).sort(|k| k.eq("a".into()).ge(0)).project::<QuadKeys>().try_collect().await?;
        let ids: Vec<&str> = keys.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(ids, ["q8", "q7"]);
        let notes: Vec<QuadNote> = conn.query_index(Quad::indexes().rt_quad, quad_partition()?).sort(|k| k.eq(-2)).project::<QuadNote>().try_collect().await?;
        let ids: Vec<&str> = notes.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["q1", "q2", "q4", "q3", "q5"]);
        assert_eq!(notes[0].note, "keep");
        // A scan of the index: every indexed item once, the sparse one not.
        let mut seen = Vec::new();
        let mut cursor: Option<Cursor> = None;
        for _ in 0..20 {
            let mut scan = conn.scan::<Quad>().index(Quad::indexes().rt_quad).page_size(1);
            if let Some(cursor) = cursor.take() {
                scan = scan.start_after(cursor);
            }
            let Some(page) = scan.pages().next().await else { break };
            let page = page?;
            seen.extend(page.items.iter().map(|q| q.id.clone()));
            match page.cursor {
                Some(next) => cursor = Some(next.to_string().parse::<Cursor>()?),
                None => break,
            }
        }
        seen.sort();
        assert_eq!(seen, ["q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8"]);
        let mut projected: Vec<String> = conn.scan::<Quad>().index(Quad::indexes().rt_quad_keys).project::<QuadKeys>().map_ok(|k| k.id).try_collect().await?;
        projected.sort();
        assert_eq!(projected.len(), 8, "{projected:?}");
        let parallel: Vec<_> = conn.scan::<Quad>().index(Quad::indexes().rt_quad).parallel(3).try_collect().await?;
        assert_eq!(parallel.len(), 8);
        let limited: Vec<_> = conn.scan::<Quad>().index(Quad::indexes().rt_quad).page_size(2).limit(5).try_collect().await?;
        assert_eq!(limited.len(), 5);
    }

    async fn rt_multi_raw_items_with_wrong_key_types_are_refused(conn, engine) {
        quads(&conn).await?;
        let good = quad("q9", 1, &[1], "a", 1)?.to_item()?;
        put_raw(&conn, "rt_quads", good.clone()).await?;
        for (attribute, value) in [
            ("s1", s("one")),
            ("b", s("minus")),
            ("s2", s("bytes")),
            ("c", n("7")),
            ("s4", AttributeValue::Bool(true)),
        ] {
            let mut wrong = good.clone();
            wrong.insert("id".into(), s(&format!("bad_{attribute}")));
            wrong.insert(attribute.into(), value);
            let written = put_raw(&conn, "rt_quads", wrong).await;
            // DynamoDB (and dynoxide) refuse it; moto stores it.
            if engine != EngineKind::Moto {
                assert!(written.is_err(), "an index key attribute `{attribute}` of another type is refused by the engine");
            }
        }
        if engine == EngineKind::Moto {
            // moto stores them, then fails every query of the index (HTTP 500):
            // nothing the mapper can do.
            return Ok(());
        }
        // Whatever was written, the query still reads every good item, in order.
        let pages: Vec<_> = conn.query_index(Quad::indexes().rt_quad, quad_partition()?).pages().take(10).try_collect().await?;
        let good_ids: Vec<String> = pages.iter().flat_map(|p| p.items.iter().map(|q| q.id.clone())).filter(|id| !id.starts_with("bad_")).collect();
        let mut expected: Vec<String> = QUAD_ORDER.iter().map(|s| s.to_string()).collect();
        expected.insert(6, "q9".into());
        assert_eq!(good_ids, expected);

        // An item missing a key attribute is simply not indexed.
        let mut missing = good.clone();
        missing.insert("id".into(), s("no_s4"));
        missing.remove("s4");
        put_raw(&conn, "rt_quads", missing).await?;
        let all: Vec<_> = conn.query_index(Quad::indexes().rt_quad, quad_partition()?).try_collect().await?;
        assert_eq!(all.len(), 8);
    }

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

    async fn rt_multi_updates_move_and_drop_index_entries(conn, engine) {
        quads(&conn).await?;
        let f = Quad::fields();
        conn.update::<Quad>("q1".into()).set(f.s3, String::new()).await?;
        conn.update::<Quad>("q2".into()).set(f.s1, -100i64).await?;
        let all: Vec<_> = conn.query_index(Quad::indexes().rt_quad, quad_partition()?).try_collect().await?;
        assert_eq!(quad_ids(&all), ["q2", "q0", "q4", "q3", "q5", "q7"]);
        // An empty binary: refused before sending, or no attribute (not indexed).
        let emptied = conn.update::<Quad>("q0".into()).set(f.s2, Bytes(Vec::new())).await;
        if emptied.is_ok() {
            let all: Vec<_> = conn.query_index(Quad::indexes().rt_quad, quad_partition()?).try_collect().await?;
            assert_eq!(quad_ids(&all), ["q2", "q4", "q3", "q5", "q7"]);
        }
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

    async fn rt_multi_between_with_low_above_high(conn, engine) {
        quads(&conn).await?;
        let q = || conn.query_index(Quad::indexes().rt_quad, quad_partition().expect("partition"));
        // Refused before sending (as every engine must answer alike), or nothing found.
        let mut outcomes = Vec::new();
        for inverted in [
            q().sort(|k| k.between(3, -10)).try_collect::<Vec<_>>().await,
            q().sort(|k| k.eq(-2).eq(Bytes(vec![0])).between("z".into(), "a".into())).try_collect::<Vec<_>>().await,
            q().sort(|k| k.eq(-2).between(Bytes(vec![0xff]), Bytes(vec![0]))).try_collect::<Vec<_>>().await,
        ] {
            outcomes.push(match inverted {
                Ok(found) if found.is_empty() => "empty".to_string(),
                Ok(found) => format!("found {:?}", quad_ids(&found)),
                Err(Error::InvalidRequest { .. }) => "refused".to_string(),
                Err(other) => format!("{other}"),
            });
        }
        assert!(outcomes.iter().all(|o| o == "empty" || o == "refused"), "between with low > high on {engine:?}: {outcomes:#?}");
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
