//! Multi-attribute index keys of four plus four attributes of mixed types
//! (strings, numbers, binary, decimals): ordered by each type, paged by
//! cursors of one item, projected, scanned, updated; items other programs
//! wrote with wrong key types; hostile sort conditions. Each test is bounded.

use dynamodb_mapper::operation::Cursor;
use dynamodb_mapper::{AttributeValue, Bytes, Connection, Decimal, Document, Error, Model};
use futures::{StreamExt, TryStreamExt};

use crate::common::{put_raw, EngineKind};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

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
}
