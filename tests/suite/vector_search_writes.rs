//! Vector search where it meets versions, native transactions and batch
//! writes, and hostile queries: found documents that another program
//! changed meanwhile conflict on save, delete and in transactions; NaN and
//! infinities are refused before anything is written; extreme `k`, vectors
//! and filters are refused or answered sanely. Each test is bounded.

use dynamodb_mapper::error::ConflictKind;
use dynamodb_mapper::expression::{Comparison, Path};
use dynamodb_mapper::{AttributeValue, Condition, Document, Error, Model, Vector};
use futures::{StreamExt, TryStreamExt};

use crate::common::{put_raw, EngineKind};

fn lacks_vectors(engine: EngineKind) -> bool {
    engine == EngineKind::Moto || crate::common::alternator_lane()
}

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

/// A versioned model with a vector index.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_versioned",
    hash_key = "id",
    vector_index(name = "rt_v_idx", vector = "embedding", distance = "cosine", filter = ["lang"])
)]
struct Versioned {
    id: String,
    lang: String,
    text: String,
    embedding: Vector<2>,
    #[dynamodb(version)]
    version: u64,
}

fn versioned(id: &str, angle: f32) -> Versioned {
    Versioned {
        id: id.into(),
        lang: "en".into(),
        text: format!("text {id}"),
        embedding: Vector::new([angle.cos(), angle.sin()]),
        version: 0,
    }
}

/// A table with a range key: found keys have two parts.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_logs",
    hash_key = "owner",
    range_key = "seq",
    vector_index(name = "rt_l_idx", vector = "embedding", distance = "euclidean", filter = ["lang"])
)]
struct Log {
    owner: String,
    seq: u32,
    lang: String,
    embedding: Vector<2>,
}

fn log(owner: &str, seq: u32, x: f32) -> Log {
    Log {
        owner: owner.into(),
        seq,
        lang: "en".into(),
        embedding: Vector::new([x, 0.0]),
    }
}

crate::engine_tests! {
    async fn rt_vector_found_versioned_documents_detect_other_writers(conn, engine) {
        if lacks_vectors(engine) {
            assert!(matches!(conn.create_table::<Versioned>().await, Err(Error::Unsupported { .. })));
            return Ok(());
        }
        conn.create_table::<Versioned>().await?;
        for (i, id) in ["a", "b", "c"].iter().enumerate() {
            conn.save(Document::new(versioned(id, i as f32 * 0.5))).await?;
        }
        let search = || {
            conn.search(Versioned::indexes().rt_v_idx, &Vector::new([1.0, 0.0]))
                .k(1)
                .filter(Versioned::fields().lang.eq("en"))
                .consistent_read()
        };
        let mut found = search().try_collect::<Vec<_>>().await?.remove(0).document;
        assert_eq!(found.id, "a");
        let loaded_version = found.version;
        assert!(loaded_version >= 1, "saved once: {loaded_version}");
        // Another program bumps the version and changes the text.
        let mut raw = found.stored_item().expect("loaded").clone();
        raw.insert("text".into(), s("theirs"));
        raw.insert("version".into(), n(&(loaded_version + 1).to_string()));
        put_raw(&conn, "rt_versioned", raw).await?;
        found.text = "mine".into();
        let saved = conn.save(&mut found).await;
        assert!(matches!(saved, Err(Error::Conflict(ref c)) if c.kind == ConflictKind::Changed), "{saved:?}");
        assert_eq!(found.version, loaded_version, "a failed save keeps the version");
        let stored = conn.get::<Versioned>("a".into()).consistent_read().await?.expect("stored");
        assert_eq!(stored.text, "theirs");
        // Another program changes the text without the version: raise_on_conflict sees it.
        let mut found = search().try_collect::<Vec<_>>().await?.remove(0).document;
        assert_eq!(found.version, loaded_version + 1);
        let mut raw = found.stored_item().expect("loaded").clone();
        raw.insert("text".into(), s("sneaky"));
        put_raw(&conn, "rt_versioned", raw).await?;
        found.text = "mine again".into();
        let saved = conn.save(&mut found).raise_on_conflict().await;
        assert!(is_conflict(&saved), "{saved:?}");
        // A delete of a found document whose version moved on is refused.
        let mut stale = search().try_collect::<Vec<_>>().await?.remove(0).document;
        let mut raw = stale.stored_item().expect("loaded").clone();
        raw.insert("version".into(), n("99"));
        put_raw(&conn, "rt_versioned", raw).await?;
        let deleted = conn.delete(&mut stale).await;
        assert!(is_conflict(&deleted), "{deleted:?}");
        assert!(conn.get::<Versioned>("a".into()).consistent_read().await?.is_some());
        // Found again, it saves (version bumped from 99) and deletes.
        let mut fresh = search().try_collect::<Vec<_>>().await?.remove(0).document;
        assert_eq!(fresh.version, 99);
        fresh.text = "final".into();
        conn.save(&mut fresh).raise_on_conflict().await?;
        assert_eq!(fresh.version, 100);
        conn.delete(&mut fresh).raise_on_conflict().await?;
        let rest: Vec<_> = conn.search(Versioned::indexes().rt_v_idx, &Vector::new([1.0, 0.0])).k(5).consistent_read().try_collect().await?;
        let ids: Vec<&str> = rest.iter().map(|h| h.document.id.as_str()).collect();
        assert_eq!(ids, ["b", "c"]);
    }

    async fn rt_vector_versioned_transactions_of_found_documents(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<Versioned>().await?;
        for (i, id) in ["a", "b"].iter().enumerate() {
            conn.save(Document::new(versioned(id, i as f32))).await?;
        }
        let hits: Vec<_> = conn.search(Versioned::indexes().rt_v_idx, &Vector::new([1.0, 0.0])).k(2).consistent_read().try_collect().await?;
        let mut a = hits[0].document.clone();
        let mut b = hits[1].document.clone();
        let (va, vb) = (a.version, b.version);
        let mut raw = b.stored_item().expect("loaded").clone();
        raw.insert("version".into(), n(&(vb + 5).to_string()));
        put_raw(&conn, "rt_versioned", raw).await?;
        a.text = "tx".into();
        let result = conn.transact_write().save(conn.save(&mut a)).delete(conn.delete(&mut b)).await;
        assert!(is_conflict(&result), "{result:?}");
        assert_eq!((a.version, b.version), (va, vb), "versions kept after a refused transaction");
        let stored = conn.get::<Versioned>("a".into()).consistent_read().await?.expect("kept");
        assert_eq!((stored.text.as_str(), stored.version), ("text a", va));
        assert!(conn.get::<Versioned>("b".into()).consistent_read().await?.is_some());
    }

    async fn rt_vector_batches_and_transactions_refuse_nan_before_writing(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<Log>().await?;
        let mut bad = log("ann", 2, 0.0);
        bad.embedding = Vector::new([f32::NAN, 1.0]);
        let refused = conn.save_batch(&[log("ann", 1, 1.0), bad.clone()]).await;
        assert!(matches!(refused, Err(Error::Attribute(_))), "{refused:?}");
        assert!(conn.get::<Log>(("ann".into(), 1)).consistent_read().await?.is_none(), "nothing of the refused batch");
        let mut infinite = log("ann", 3, 0.0);
        infinite.embedding = Vector::new([1.0, f32::INFINITY]);
        let refused = conn.transact_write()
            .save(conn.save(Document::new(log("ann", 4, 1.0))))
            .save(conn.save(Document::new(infinite)))
            .await;
        assert!(matches!(refused, Err(Error::Attribute(_))), "{refused:?}");
        assert!(conn.get::<Log>(("ann".into(), 4)).consistent_read().await?.is_none(), "nothing of the refused transaction");
        // Thirty items of two owners, the same sequence numbers: found keys
        // are (owner, seq) pairs, none confused with another.
        let logs: Vec<Log> = (0..15).flat_map(|i| [log("ann", i, i as f32), log("bob", i, i as f32 + 0.5)]).collect();
        conn.save_batch(&logs).await?;
        let hits: Vec<_> = conn.search(Log::indexes().rt_l_idx, &Vector::new([0.0, 0.0])).k(100).consistent_read().try_collect().await?;
        assert_eq!(hits.len(), 30);
        let keys: Vec<(String, u32)> = hits.iter().take(4).map(|h| (h.document.owner.clone(), h.document.seq)).collect();
        assert_eq!(keys, [("ann".to_string(), 0), ("bob".to_string(), 0), ("ann".to_string(), 1), ("bob".to_string(), 1)]);
        for hit in &hits {
            let expected = if hit.document.owner == "ann" { hit.document.seq as f32 } else { hit.document.seq as f32 + 0.5 };
            assert_eq!(hit.document.embedding.as_array()[0], expected, "the document of its own key");
            assert!((hit.score - f64::from(expected)).abs() < 1e-4, "{} vs {expected}", hit.score);
        }
        // A transaction of found documents, both saved with conflict detection.
        let mut a = hits[0].document.clone();
        let mut b = hits[1].document.clone();
        a.lang = "fr".into();
        b.lang = "fr".into();
        conn.transact_write().save(conn.save(&mut a).raise_on_conflict()).save(conn.save(&mut b).raise_on_conflict()).await?;
        let french: Vec<_> = conn.search(Log::indexes().rt_l_idx, &Vector::new([0.0, 0.0])).k(100).filter(Log::fields().lang.eq("fr")).try_collect().await?;
        assert_eq!(french.len(), 2);
    }

    async fn rt_vector_hostile_queries_are_refused_or_answered_sanely(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<Versioned>().await?;
        for i in 0..5u8 {
            let mut v = versioned(&format!("v{i}"), f32::from(i) * 0.3);
            if i == 4 {
                v.lang = "日本語🎌".into();
            }
            conn.save(Document::new(v)).await?;
        }
        let idx = Versioned::indexes().rt_v_idx;
        let f = Versioned::fields();
        let east = Vector::new([1.0, 0.0]);
        // A huge k.
        let refused = conn.search(idx, &east).k(u32::MAX).try_collect::<Vec<_>>().await;
        assert!(matches!(refused, Err(Error::InvalidRequest { .. })), "{refused:?}");
        // An infinite component names its index.
        let refused = conn.search(idx, &Vector::new([1.0, f32::INFINITY])).try_collect::<Vec<_>>().await;
        assert!(matches!(refused, Err(Error::Attribute(ref e)) if e.attribute == "embedding[1]"), "{refused:?}");
        // The negative zero vector has no direction either.
        let refused = conn.search(idx, &Vector::new([-0.0, -0.0])).try_collect::<Vec<_>>().await;
        assert!(matches!(refused, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("zero")), "-0: {refused:?}");
        // A vector of the smallest subnormal has a direction: east.
        let tiny = conn.search(idx, &Vector::new([f32::from_bits(1), 0.0])).k(1).try_collect::<Vec<_>>().await;
        match tiny {
            Ok(hits) => {
                assert_eq!(hits.len(), 1);
                assert!(hits[0].score.is_finite(), "score {}", hits[0].score);
                assert_eq!(hits[0].document.id, "v0", "subnormal query ranks by direction");
            }
            Err(Error::InvalidRequest { .. }) => {}
            Err(other) => panic!("a subnormal query: {other:?}"),
        }
        // Unicode filter values.
        let hits: Vec<_> = conn.search(idx, &east).filter(f.lang.eq("日本語🎌")).try_collect().await?;
        let ids: Vec<&str> = hits.iter().map(|h| h.document.id.as_str()).collect();
        assert_eq!(ids, ["v4"]);
        // An empty filter value: nothing stores it (empty strings are no attribute).
        let empty = conn.search(idx, &east).filter(f.lang.eq("")).try_collect::<Vec<_>>().await;
        match empty {
            Ok(hits) => assert!(hits.is_empty(), "{} hits", hits.len()),
            Err(Error::InvalidRequest { .. }) | Err(Error::Attribute(_)) => {}
            Err(other) => panic!("an empty filter value is refused before sending or finds nothing, got {other:?}"),
        }
        // The same attribute through two calls of `filter`.
        let twice = conn.search(idx, &east).filter(f.lang.eq("en")).filter(f.lang.eq("en")).try_collect::<Vec<_>>().await;
        assert!(matches!(twice, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("twice")), "{twice:?}");
        // A value of the wrong type for a string filter.
        let wrong = Condition::Compare(Path::attribute("lang"), Comparison::Eq, n("1"));
        let wrong = conn.search(idx, &east).filter(wrong).try_collect::<Vec<_>>().await;
        match wrong {
            Ok(hits) => assert!(hits.is_empty()),
            Err(Error::InvalidRequest { .. }) | Err(Error::Attribute(_)) => {}
            Err(other) => panic!("a number for a string filter: {other:?}"),
        }
        // A handle on an index the model does not declare.
        let nope = dynamodb_mapper::model::VectorIndex::<Versioned, Vector<2>>::new("nope");
        let refused = conn.search(nope, &east).try_collect::<Vec<_>>().await;
        assert!(matches!(refused, Err(Error::InvalidRequest { .. })), "{refused:?}");
        // A search polled after its end stays ended.
        let mut stream = conn.search(idx, &east).k(1);
        assert!(stream.next().await.is_some());
        assert!(stream.next().await.is_none());
        assert!(stream.next().await.is_none());
    }

    async fn rt_vector_k_100_over_many_items(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<Log>().await?;
        let logs: Vec<Log> = (0..130).map(|i| log("ann", i, i as f32)).collect();
        conn.save_batch(&logs).await?;
        let hits: Vec<_> = conn.search(Log::indexes().rt_l_idx, &Vector::new([0.0, 0.0])).k(100).try_collect().await?;
        assert_eq!(hits.len(), 100);
        let seqs: Vec<u32> = hits.iter().map(|h| h.document.seq).collect();
        assert_eq!(seqs, (0..100).collect::<Vec<_>>());
    }
}
