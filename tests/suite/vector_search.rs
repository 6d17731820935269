//! Vector search: vector indexes created with the table, `conn.search`
//! ranking documents nearest first, filters and partitions checked before
//! sending, projections, entities, and found documents read from the table
//! (each the item as stored: saved, deleted and migrated as any other).
//! Engines without vector search (moto, Alternator) refuse before sending.

use dynamodb_mapper::{AttributeValue, Document, Error, Item, Model, Vector};
use futures::{StreamExt, TryStreamExt};

use crate::common::EngineKind;

#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "notes",
    hash_key = "id",
    vector_index(name = "by_meaning", vector = "embedding", distance = "cosine", filter = ["lang"]),
    vector_index(name = "by_dot", vector = "embedding", distance = "dot_product"),
    vector_index(name = "by_place", vector = "embedding", distance = "euclidean", projection = "keys_only")
)]
struct Note {
    id: String,
    lang: String,
    text: String,
    embedding: Vector<4>,
}

#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "tenant_docs",
    hash_key = "id",
    vector_index(name = "per_tenant", vector = "embedding", distance = "euclidean", partition = "tenant", filter = ["kind"])
)]
struct TenantDoc {
    id: String,
    tenant: String,
    kind: u32,
    embedding: Option<Vector<2>>,
}

#[derive(dynamodb_mapper::Attribute, Debug, Clone, Default, PartialEq)]
struct NoteTitle {
    id: String,
    text: String,
}

/// Entities sharing a table: each one's searches keep to its items.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "shelf",
    pk = "BOOK#{id}",
    entity = "Book",
    vector_index(name = "shelf_vectors", vector = "embedding", distance = "cosine")
)]
struct Book {
    id: String,
    embedding: Vector<2>,
}

#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "shelf",
    pk = "FILM#{id}",
    entity = "Film",
    vector_index(name = "shelf_vectors", vector = "embedding", distance = "cosine")
)]
struct Film {
    id: String,
    embedding: Vector<2>,
}

/// A model sharing a table with the Python library: its vectors are stored
/// as vector indexes read them, whatever the format.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "py_notes",
    hash_key = "id",
    format = "python",
    vector_index(name = "py_meaning", vector = "embedding", distance = "euclidean")
)]
struct PyNote {
    id: String,
    tags: Vec<String>,
    embedding: Vector<2>,
    spare: Option<Vector<3>>,
}

/// A deterministic direction for note `i`: the angle `i` tenths of a
/// right angle in the first two dimensions.
fn direction(i: u32) -> Vector<4> {
    let angle = f32::from(i as u16) * std::f32::consts::FRAC_PI_2 / 10.0;
    Vector::new([angle.cos(), angle.sin(), 0.0, 0.0])
}

fn note(i: u32) -> Note {
    Note {
        id: format!("n{i:02}"),
        lang: if i.is_multiple_of(2) { "en" } else { "fr" }.into(),
        text: format!("note {i}"),
        embedding: direction(i),
    }
}

/// Whether the engine has no vector search (and refuses before sending).
fn lacks_vectors(engine: EngineKind) -> bool {
    engine == EngineKind::Moto || crate::common::alternator_lane()
}

fn is_unsupported<T: std::fmt::Debug>(result: Result<T, Error>) -> bool {
    matches!(result, Err(Error::Unsupported { .. }))
}

async fn notes(conn: &dynamodb_mapper::Connection) -> Result<(), Error> {
    conn.create_table::<Note>().await?;
    for i in 0..=10 {
        conn.save(Document::new(note(i))).await?;
    }
    Ok(())
}

crate::engine_tests! {
    async fn a_search_ranks_documents_nearest_first(conn, engine) {
        if lacks_vectors(engine) {
            assert!(is_unsupported(conn.create_table::<Note>().await), "refused before sending");
            let search = conn.search(Note::indexes().by_meaning, &direction(3)).try_collect::<Vec<_>>().await;
            assert!(is_unsupported(search));
            return Ok(());
        }
        notes(&conn).await?;
        let described = conn.describe_table::<Note>().await?;
        let mut names = described.vector_indexes.clone();
        names.sort();
        assert_eq!(names, ["by_dot", "by_meaning", "by_place"]);
        let hits: Vec<_> = conn.search(Note::indexes().by_meaning, &direction(3)).k(3).try_collect().await?;
        let ids: Vec<&str> = hits.iter().map(|h| h.document.id.as_str()).collect();
        assert_eq!(ids[0], "n03");
        assert_eq!(ids.len(), 3);
        assert!(ids[1..].contains(&"n02") && ids[1..].contains(&"n04"), "{ids:?}");
        assert!(hits[0].score < 1e-6, "the same direction: distance 0, got {}", hits[0].score);
        assert!(hits.windows(2).all(|w| w[0].score <= w[1].score), "cosine: lower first");
        // The document is the item as stored, the vector included.
        assert_eq!(*hits[0].document, note(3));
        assert_eq!(hits[0].document.stored_item(), Some(&note(3).to_item()?));
        // The default k is 10.
        let all: Vec<_> = conn.search(Note::indexes().by_meaning, &direction(0)).try_collect().await?;
        assert_eq!(all.len(), 10);
    }

    async fn dot_product_ranks_highest_first(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        notes(&conn).await?;
        let hits: Vec<_> = conn.search(Note::indexes().by_dot, &direction(10)).k(4).try_collect().await?;
        assert_eq!(hits[0].document.id, "n10");
        assert!(hits.windows(2).all(|w| w[0].score >= w[1].score), "dot product: higher first");
        assert!((hits[0].score - 1.0).abs() < 1e-5);
    }

    async fn a_filter_keeps_to_equal_values(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        notes(&conn).await?;
        let f = Note::fields();
        let french: Vec<_> = conn
            .search(Note::indexes().by_meaning, &direction(4))
            .k(3)
            .filter(f.lang.eq("fr"))
            .try_collect()
            .await?;
        assert_eq!(french.len(), 3, "a filtered search still returns k results");
        assert!(french.iter().all(|h| h.document.lang == "fr"));
        assert!(["n03", "n05"].contains(&french[0].document.id.as_str()));
        // What a vector index cannot filter on is refused before sending.
        for (filter, reason) in [
            (f.lang.ne("fr"), "equalities"),
            (f.text.eq("note 1"), "not its partition nor one of its filters"),
            (f.lang.eq("fr").and(f.lang.eq("en")), "given twice"),
            (f.lang.eq("fr").or(f.lang.eq("en")), "equalities"),
        ] {
            let refused = conn.search(Note::indexes().by_meaning, &direction(4)).filter(filter).try_collect::<Vec<_>>().await;
            match refused {
                Err(Error::InvalidRequest { reason: got, .. }) => assert!(got.contains(reason), "{got}"),
                other => panic!("refused before sending, got {other:?}"),
            }
        }
    }

    async fn a_partitioned_index_needs_its_partition(conn, engine) {
        if lacks_vectors(engine) {
            assert!(is_unsupported(conn.create_table::<TenantDoc>().await));
            return Ok(());
        }
        conn.create_table::<TenantDoc>().await?;
        for (id, tenant, kind, v) in [
            ("a", "acme", 1, Some([0.0, 0.0])),
            ("b", "acme", 2, Some([1.0, 1.0])),
            ("c", "acme", 1, Some([5.0, 5.0])),
            ("d", "other", 1, Some([0.1, 0.1])),
            ("e", "acme", 1, None),
        ] {
            let doc = TenantDoc { id: id.into(), tenant: tenant.into(), kind, embedding: v.map(Vector::new) };
            conn.save(Document::new(doc)).await?;
        }
        let f = TenantDoc::fields();
        let query = Vector::new([0.2, 0.2]);
        let missing = conn.search(TenantDoc::indexes().per_tenant, &query).try_collect::<Vec<_>>().await;
        assert!(matches!(missing, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("partition")), "{missing:?}");
        let acme: Vec<_> = conn.search(TenantDoc::indexes().per_tenant, &query).filter(f.tenant.eq("acme")).try_collect().await?;
        let ids: Vec<&str> = acme.iter().map(|h| h.document.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"], "euclidean, nearest first; no vector, not indexed");
        let kind_one: Vec<_> = conn
            .search(TenantDoc::indexes().per_tenant, &query)
            .filter(f.tenant.eq("acme").and(f.kind.eq(1u32)))
            .try_collect()
            .await?;
        let ids: Vec<&str> = kind_one.iter().map(|h| h.document.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"]);
        assert!((acme[0].score - (0.08f64).sqrt()).abs() < 1e-5, "{}", acme[0].score);
    }

    async fn a_projection_reads_only_its_attributes(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        notes(&conn).await?;
        let titles: Vec<_> = conn.search(Note::indexes().by_meaning, &direction(7)).k(2).project::<NoteTitle>().try_collect().await?;
        assert_eq!(titles[0].document, NoteTitle { id: "n07".into(), text: "note 7".into() });
        // An index of keys only gives documents too: they are read from the table.
        let whole: Vec<_> = conn.search(Note::indexes().by_place, &direction(7)).k(1).try_collect().await?;
        assert_eq!(*whole[0].document, note(7));
        #[derive(dynamodb_mapper::Attribute, Debug, Clone, Default, PartialEq)]
        struct Id { id: String }
        let ids: Vec<_> = conn.search(Note::indexes().by_place, &direction(7)).k(1).project::<Id>().try_collect().await?;
        assert_eq!(ids[0].document.id, "n07");
    }

    async fn a_found_document_is_the_item_as_stored(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        notes(&conn).await?;
        // Another program stores an attribute the model does not declare, and
        // a vector component with more precision than an f32.
        let mut raw = note(5).to_item()?;
        raw.insert("audit".into(), AttributeValue::S("keep me".into()));
        let numbers = ["0.1000000000000000055511151231257827", "1", "0", "0"];
        raw.insert("embedding".into(), AttributeValue::L(numbers.iter().map(|n| AttributeValue::N((*n).into())).collect()));
        crate::common::put_raw(&conn, "notes", raw.clone()).await?;
        let search = || conn.search(Note::indexes().by_meaning, &Vector::new([0.1, 1.0, 0.0, 0.0])).k(1).consistent_read();
        let mut found = search().try_collect::<Vec<_>>().await?.remove(0).document;
        assert_eq!(found.id, "n05");
        assert_eq!(found.stored_item(), Some(&raw), "the item as stored, not the index's copy");
        // Saved whole with conflict detection: what it did not declare is kept.
        found.text = "changed".into();
        conn.save(&mut found).await?;
        let stored = conn.get::<Note>("n05".into()).await?.expect("stored");
        assert_eq!(stored.stored_item().and_then(|i| i.get("audit")), Some(&AttributeValue::S("keep me".into())));
        assert_eq!(stored.text, "changed");
        // Deleted with conflict detection as any document.
        let mut found = search().try_collect::<Vec<_>>().await?.remove(0).document;
        conn.delete(&mut found).raise_on_conflict().await?;
        assert!(conn.get::<Note>("n05".into()).await?.is_none());
    }

    async fn k_and_vectors_are_checked_before_sending(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        notes(&conn).await?;
        for k in [0, 101] {
            let refused = conn.search(Note::indexes().by_meaning, &direction(1)).k(k).try_collect::<Vec<_>>().await;
            assert!(matches!(refused, Err(Error::InvalidRequest { .. })), "k = {k}: {refused:?}");
        }
        let most = conn.search(Note::indexes().by_meaning, &direction(1)).k(100).try_collect::<Vec<_>>().await?;
        assert_eq!(most.len(), 11);
        let nan = Vector::new([f32::NAN, 0.0, 0.0, 0.0]);
        let refused = conn.search(Note::indexes().by_meaning, &nan).try_collect::<Vec<_>>().await;
        match refused {
            Err(Error::Attribute(error)) => assert_eq!(error.attribute, "embedding[0]", "{error}"),
            other => panic!("a NaN component is refused, got {other:?}"),
        }
        // A query of another index's dimensions, through a handle built by hand.
        let by_hand = dynamodb_mapper::model::VectorIndex::<Note, Vector<2>>::new("by_meaning");
        let refused = conn.search(by_hand, &Vector::new([1.0, 0.0])).try_collect::<Vec<_>>().await;
        assert!(matches!(refused, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("dimensions")), "{refused:?}");
        // The zero vector has no direction for a cosine index.
        let refused = conn.search(Note::indexes().by_meaning, &Vector::default()).try_collect::<Vec<_>>().await;
        assert!(matches!(refused, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("zero")), "{refused:?}");
        // A vector with a NaN is not saved either: nothing is sent.
        let mut bad = note(20);
        bad.embedding = nan;
        assert!(matches!(conn.save(Document::new(bad)).await, Err(Error::Attribute(_))));
    }

    async fn stored_vectors_of_other_programs_are_checked(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        notes(&conn).await?;
        // The engine refuses a vector of the wrong dimensions on an indexed attribute.
        let mut wrong = note(30).to_item()?;
        wrong.insert("embedding".into(), AttributeValue::L(vec![AttributeValue::N("1".into())]));
        assert!(crate::common::put_raw(&conn, "notes", wrong).await.is_err());
        // A vector another program wrote with more precision reads as the nearest f32.
        let mut precise = note(31).to_item()?;
        let numbers = ["0.1000000000000000055511151231257827", "0", "0", "1"];
        precise.insert("embedding".into(), AttributeValue::L(numbers.iter().map(|n| AttributeValue::N((*n).into())).collect()));
        crate::common::put_raw(&conn, "notes", precise).await?;
        let got = conn.get::<Note>("n31".into()).await?.expect("stored");
        assert_eq!(got.embedding.as_array(), &[0.1, 0.0, 0.0, 1.0]);
        // An item whose vector is no list reads as an error naming the attribute.
        let item: Item = Item::from_iter([
            ("id".to_string(), AttributeValue::S("x".into())),
            ("embedding".to_string(), AttributeValue::S("oops".into())),
        ]);
        let error = Document::<Note>::from_stored(item).expect_err("no vector");
        assert!(error.to_string().contains("embedding"), "{error}");
    }

    async fn an_entity_searches_its_own_items(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<Book>().await?;
        for i in 0..3u8 {
            let v = Vector::new([1.0, f32::from(i) / 10.0]);
            conn.save(Document::new(Book { id: format!("b{i}"), embedding: v })).await?;
            conn.save(Document::new(Film { id: format!("f{i}"), embedding: v })).await?;
        }
        let books: Vec<_> = conn.search(Book::indexes().shelf_vectors, &Vector::new([1.0, 0.0])).try_collect().await?;
        assert_eq!(books.len(), 3);
        let films: Vec<_> = conn.search(Film::indexes().shelf_vectors, &Vector::new([1.0, 0.0])).k(2).try_collect().await?;
        let ids: Vec<&str> = films.iter().map(|h| h.document.id.as_str()).collect();
        assert_eq!(ids, ["f0", "f1"]);
        // The entity name is the mapper's to filter on.
        let by_name = dynamodb_mapper::Condition::Compare(
            dynamodb_mapper::expression::Path::attribute("entity"),
            dynamodb_mapper::expression::Comparison::Eq,
            AttributeValue::S("Book".into()),
        );
        let refused = conn.search(Film::indexes().shelf_vectors, &Vector::new([1.0, 0.0])).filter(by_name).try_collect::<Vec<_>>().await;
        assert!(matches!(refused, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("entity")), "{refused:?}");
    }

    async fn python_format_models_store_vectors_natively(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<PyNote>().await?;
        let note = PyNote { id: "p".into(), tags: vec!["a".into()], embedding: Vector::new([1.0, 2.0]), spare: Some(Vector::new([0.5, 0.0, -0.5])) };
        conn.save(Document::new(note.clone())).await?;
        let hits: Vec<_> = conn.search(PyNote::indexes().py_meaning, &Vector::new([1.0, 2.0])).try_collect().await?;
        assert_eq!(*hits[0].document, note);
        let stored = hits[0].document.stored_item().expect("loaded").clone();
        assert_eq!(stored["tags"], AttributeValue::S("[\"a\"]".into()), "the original's JSON text");
        let n = |t: &str| AttributeValue::N(t.into());
        assert_eq!(stored["embedding"], AttributeValue::L(vec![n("1"), n("2")]));
        assert_eq!(stored["spare"], AttributeValue::L(vec![n("0.5"), n("0"), n("-0.5")]));
    }

    async fn a_search_is_a_stream_sent_once(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        notes(&conn).await?;
        let mut search = conn.search(Note::indexes().by_meaning, &direction(2)).k(2);
        let first = search.next().await.expect("a hit")?;
        assert_eq!(first.document.id, "n02");
        let (score, document) = search.next().await.expect("a second hit")?.into_parts();
        assert!(score > 0.0 && document.id != "n02");
        assert!(search.next().await.is_none());
    }
}
