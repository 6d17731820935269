//! Vector search where it meets the model's policies: unique attributes
//! of entities, auto-increment keys, time to live with migrations, entities
//! sharing a table, renamed fields, updates moving items in and out of the
//! index, and documents moved by another program between the search and
//! the read. Each test is bounded.

use dynamodb_mapper::backfill::Backfill;
use dynamodb_mapper::error::ConflictKind;
use dynamodb_mapper::model::{Migrator, SchemaVersion};
use dynamodb_mapper::{AttributeValue, Connection, Document, Error, Item, Model, Vector};
use futures::TryStreamExt;

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

fn vector_item(values: &[&str]) -> AttributeValue {
    AttributeValue::L(values.iter().map(|v| n(v)).collect())
}

fn is_conflict<T: std::fmt::Debug>(result: &Result<T, Error>) -> bool {
    matches!(
        result,
        Err(Error::Conflict(_)) | Err(Error::TransactionCanceled { .. })
    )
}

/// An entity with a unique attribute and a partitioned vector index.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_handles",
    pk = "H#{id}",
    vector_index(
        name = "rt_h_idx",
        vector = "embedding",
        distance = "euclidean",
        partition = "tenant"
    )
)]
struct Handle {
    id: u64,
    tenant: String,
    #[dynamodb(unique)]
    email: String,
    embedding: Vector<2>,
}

/// An auto-increment key, an optional vector, a partition and a filter.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_posts",
    hash_key = "id",
    vector_index(name = "rt_p_idx", vector = "embedding", distance = "dot_product", partition = "tenant", filter = ["kind"])
)]
struct Post {
    #[dynamodb(auto_increment)]
    id: i64,
    tenant: String,
    kind: u32,
    embedding: Option<Vector<3>>,
}

#[derive(dynamodb_mapper::Attribute, Debug, Clone, Default, PartialEq)]
struct PostId {
    id: i64,
    kind: u32,
}

/// Version 1 stored `title`; version 2 stores `text`.
struct MemoSteps;

fn title_to_text(raw: &mut Item) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let title = raw.remove("title").ok_or("version 1 items have a title")?;
    raw.insert("text".into(), title);
    Ok(())
}

impl Migrator for MemoSteps {
    const VERSIONS: &'static [SchemaVersion] = &[
        SchemaVersion::new(1).check(|raw| raw.contains_key("title")),
        SchemaVersion::new(2)
            .check(|raw| raw.contains_key("text"))
            .migrate(title_to_text),
    ];
}

/// Time to live, a migrator, and the expiry as a search filter.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_memos",
    hash_key = "id",
    ttl = "expires",
    migrator = MemoSteps,
    vector_index(name = "rt_m_idx", vector = "embedding", distance = "euclidean", filter = ["expires"])
)]
struct Memo {
    id: String,
    text: String,
    expires: u64,
    embedding: Vector<2>,
}

/// Three entities in one table; two declare the same vector index.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_shelf",
    pk = "BOOK#{id}",
    vector_index(
        name = "rt_shelf_idx",
        vector = "embedding",
        distance = "euclidean",
        partition = "shelf"
    )
)]
struct RtBook {
    id: String,
    shelf: String,
    embedding: Vector<2>,
}

#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_shelf",
    pk = "FILM#{id}",
    vector_index(
        name = "rt_shelf_idx",
        vector = "embedding",
        distance = "euclidean",
        partition = "shelf"
    )
)]
struct RtFilm {
    id: String,
    shelf: String,
    embedding: Vector<2>,
}

/// An entity without the index, storing an attribute the index reads.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(table = "rt_shelf", pk = "TOY#{id}")]
struct RtToy {
    id: String,
    shelf: String,
    embedding: Vector<2>,
}

/// Renamed vector, partition and filter fields.
#[derive(Model, Debug, Clone, Default, PartialEq)]
#[dynamodb(
    table = "rt_renamed_vec",
    hash_key = "id",
    vector_index(name = "rt_ren_vec", vector = "embedding", distance = "euclidean", partition = "team", filter = ["when"])
)]
struct RenamedVec {
    id: String,
    #[dynamodb(rename = "t")]
    team: String,
    #[dynamodb(rename = "w")]
    when: i64,
    #[dynamodb(rename = "e")]
    embedding: Vector<2>,
}

/// Moves one item (as another program would) right after the first vector
/// search is answered, before the mapper reads the found documents.
#[derive(Debug)]
struct MovesAfterSearch {
    inner: std::sync::Arc<dyn dynamodb_mapper::engine::Engine>,
    table: String,
    item: Item,
    done: std::sync::Mutex<bool>,
}

impl dynamodb_mapper::engine::EngineWrapper for MovesAfterSearch {
    fn inner(&self) -> &dyn dynamodb_mapper::engine::Engine {
        &*self.inner
    }
    fn exec<'a>(
        &'a self,
        request: dynamodb_mapper::engine::request::Request<'_>,
    ) -> dynamodb_mapper::engine::EngineFuture<'a, dynamodb_mapper::engine::request::Response> {
        use dynamodb_mapper::engine::request::{Call, PutItemInput};
        let search = matches!(request.call, Call::SearchVectors(_));
        let answer = self.inner.exec(request);
        if !search || std::mem::replace(&mut *self.done.lock().unwrap(), true) {
            return answer;
        }
        Box::pin(async move {
            let response = answer.await?;
            self.inner
                .send(&PutItemInput::new(self.table.clone(), self.item.clone()))
                .await?;
            Ok(response)
        })
    }
}

crate::engine_tests! {
    async fn rt_vector_unique_entity_guards_stay_out_of_searches(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<Handle>().await?;
        for id in 1..=3u64 {
            let h = Handle { id, tenant: "t".into(), email: format!("e{id}@x"), embedding: Vector::new([id as f32, 0.0]) };
            conn.save(Document::new(h)).await?;
        }
        let search = |tenant: &str| {
            conn.search(Handle::indexes().rt_h_idx, &Vector::new([0.0, 0.0]))
                .k(10)
                .filter(Handle::fields().tenant.eq(tenant))
                .consistent_read()
        };
        let hits: Vec<_> = search("t").try_collect().await?;
        let ids: Vec<u64> = hits.iter().map(|h| h.document.id).collect();
        assert_eq!(ids, [1, 2, 3], "no guard item among the hits");
        assert!(search("nobody").try_collect::<Vec<_>>().await?.is_empty());
        // A found document taking another's value is a unique conflict.
        let mut first = hits[0].document.clone();
        first.email = "e2@x".into();
        let taken = conn.save(&mut first).await;
        assert!(matches!(taken, Err(Error::Conflict(ref c)) if c.kind == ConflictKind::Unique { attribute: "email" }), "{taken:?}");
        first.email = "fresh@x".into();
        conn.save(&mut first).raise_on_conflict().await?;
        // The old value is free again.
        conn.save(Document::new(Handle { id: 4, tenant: "t".into(), email: "e1@x".into(), embedding: Vector::new([9.0, 9.0]) })).await?;
        // Another program moves item 2; the found copy is stale.
        let mut second = search("t").try_collect::<Vec<_>>().await?.remove(1).document;
        assert_eq!(second.id, 2);
        let mut raw = second.stored_item().expect("loaded").clone();
        raw.insert("embedding".into(), vector_item(&["50", "50"]));
        put_raw(&conn, "rt_handles", raw).await?;
        second.email = "other@x".into();
        let saved = conn.save(&mut second).raise_on_conflict().await;
        assert!(is_conflict(&saved), "{saved:?}");
        // Nothing of the refused save: e2 is still held, other@x is free.
        conn.save(Document::new(Handle { id: 5, tenant: "t".into(), email: "other@x".into(), embedding: Vector::new([8.0, 8.0]) })).await?;
        let hits: Vec<_> = search("t").try_collect().await?;
        let ids: Vec<u64> = hits.iter().map(|h| h.document.id).collect();
        assert_eq!(ids, [1, 3, 5, 4, 2], "{ids:?}");
        // Deleting a found document frees its value.
        let mut third = hits[1].document.clone();
        conn.delete(&mut third).raise_on_conflict().await?;
        conn.save(Document::new(Handle { id: 6, tenant: "t".into(), email: "e3@x".into(), embedding: Vector::new([7.0, 7.0]) })).await?;
    }

    async fn rt_vector_auto_increment_keys_and_projections(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<Post>().await?;
        for (kind, v) in [(1u32, Some([1.0, 0.0, 0.0])), (2, Some([0.0, 1.0, 0.0])), (1, None), (1, Some([0.5, 0.5, 0.0]))] {
            let mut post = Document::new(Post { id: 0, tenant: "acme".into(), kind, embedding: v.map(Vector::new) });
            conn.save(&mut post).await?;
            assert!(post.id > 0);
        }
        let query = Vector::new([1.0, 0.0, 0.0]);
        let f = Post::fields();
        let hits: Vec<_> = conn.search(Post::indexes().rt_p_idx, &query).k(100).filter(f.tenant.eq("acme")).try_collect().await?;
        let ids: Vec<i64> = hits.iter().map(|h| h.document.id).collect();
        assert_eq!(ids, [1, 4, 2], "dot product, highest first; no counter, no vectorless post");
        let projected: Vec<_> = conn.search(Post::indexes().rt_p_idx, &query).k(100).filter(f.tenant.eq("acme").and(f.kind.eq(1u32))).project::<PostId>().try_collect().await?;
        let got: Vec<PostId> = projected.into_iter().map(|h| h.document).collect();
        assert_eq!(got, [PostId { id: 1, kind: 1 }, PostId { id: 4, kind: 1 }]);
        // A new post after the searches still takes the next key.
        let mut late = Document::new(Post { id: 0, tenant: "acme".into(), kind: 3, embedding: Some(Vector::new([2.0, 0.0, 0.0])) });
        conn.save(&mut late).await?;
        assert_eq!(late.id, 5);
        let top: Vec<_> = conn.search(Post::indexes().rt_p_idx, &query).k(1).filter(f.tenant.eq("acme")).consistent_read().try_collect().await?;
        assert_eq!(top[0].document.id, 5);
    }

    async fn rt_vector_migrated_documents_save_what_was_edited(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<Memo>().await?;
        for (i, x) in [0.0f32, 1.0, 2.0].iter().enumerate() {
            let item = Item::from_iter([
                ("id".to_string(), s(&format!("m{i}"))),
                ("title".to_string(), s(&format!("title {i}"))),
                ("expires".to_string(), n("4000000000")),
                ("embedding".to_string(), vector_item(&[&x.to_string(), "0"])),
            ]);
            put_raw(&conn, "rt_memos", item).await?;
        }
        let search = || conn.search(Memo::indexes().rt_m_idx, &Vector::new([0.0, 0.0])).k(10).filter(Memo::fields().expires.eq(4_000_000_000u64)).consistent_read();
        let hits: Vec<_> = search().try_collect().await?;
        let texts: Vec<&str> = hits.iter().map(|h| h.document.text.as_str()).collect();
        assert_eq!(texts, ["title 0", "title 1", "title 2"], "migrated on read");
        // Edit a migrated document found by search, with conflict detection.
        let mut first = hits[0].document.clone();
        first.text = "edited".into();
        conn.save(&mut first).raise_on_conflict().await?;
        let again = conn.get::<Memo>("m0".into()).consistent_read().await?.expect("stored");
        assert_eq!(again.text, "edited", "the edit survives the next read (no stale `title` migrated over it)");
        let raw = again.stored_item().expect("loaded");
        assert!(!raw.contains_key("title"), "the saved item is of the current version: {raw:?}");
        // A backfill rewrites the other two once.
        let report = Backfill::<Memo>::new(&conn).await?;
        assert_eq!((report.counts.seen, report.counts.rewritten, report.counts.errors), (3, 2, 0), "{:?}", report.counts);
        let hits: Vec<_> = search().try_collect().await?;
        assert_eq!(hits.len(), 3, "still indexed after the rewrite");
        for hit in &hits {
            let raw = hit.document.stored_item().expect("loaded");
            assert!(raw.contains_key("text") && !raw.contains_key("title"), "{raw:?}");
        }
        let texts: Vec<&str> = hits.iter().map(|h| h.document.text.as_str()).collect();
        assert_eq!(texts, ["edited", "title 1", "title 2"]);
        let again = Backfill::<Memo>::new(&conn).await?;
        assert_eq!(again.counts.rewritten, 0);
    }

    async fn rt_vector_entities_keep_to_their_items_with_a_partition(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<RtBook>().await?;
        for i in 0..3u8 {
            let x = f32::from(i);
            // Toys are nearest, films next, books farthest.
            conn.save(Document::new(RtToy { id: format!("t{i}"), shelf: "s1".into(), embedding: Vector::new([x, 0.0]) })).await?;
            conn.save(Document::new(RtFilm { id: format!("f{i}"), shelf: "s1".into(), embedding: Vector::new([x + 10.0, 0.0]) })).await?;
            conn.save(Document::new(RtBook { id: format!("b{i}"), shelf: "s1".into(), embedding: Vector::new([x + 20.0, 0.0]) })).await?;
        }
        let near = Vector::new([0.0, 0.0]);
        let books: Vec<_> = conn.search(RtBook::indexes().rt_shelf_idx, &near).k(2).filter(RtBook::fields().shelf.eq("s1")).try_collect().await?;
        let ids: Vec<&str> = books.iter().map(|h| h.document.id.as_str()).collect();
        assert_eq!(ids, ["b0", "b1"], "k books, though toys and films are nearer");
        let films: Vec<_> = conn.search(RtFilm::indexes().rt_shelf_idx, &near).k(3).filter(RtFilm::fields().shelf.eq("s1")).try_collect().await?;
        let ids: Vec<&str> = films.iter().map(|h| h.document.id.as_str()).collect();
        assert_eq!(ids, ["f0", "f1", "f2"]);
        // A found book saved in a transaction after another program changed it:
        // the whole transaction is refused.
        let mut book = books[0].document.clone();
        let mut raw = book.stored_item().expect("loaded").clone();
        raw.insert("shelf".into(), s("s2"));
        put_raw(&conn, "rt_shelf", raw).await?;
        book.shelf = "s3".into();
        let newcomer = RtFilm { id: "f9".into(), shelf: "s1".into(), embedding: Vector::new([1.0, 1.0]) };
        let tx = conn.transact_write()
            .save(conn.save(&mut book).raise_on_conflict())
            .save(conn.save(Document::new(newcomer)));
        let result = tx.await;
        assert!(is_conflict(&result), "{result:?}");
        assert!(conn.get::<RtFilm>(RtFilm::key("f9".into())).consistent_read().await?.is_none(), "nothing of the transaction");
        let moved: Vec<_> = conn.search(RtBook::indexes().rt_shelf_idx, &near).k(5).filter(RtBook::fields().shelf.eq("s2")).consistent_read().try_collect().await?;
        let ids: Vec<&str> = moved.iter().map(|h| h.document.id.as_str()).collect();
        assert_eq!(ids, ["b0"]);
    }

    async fn rt_vector_renamed_fields(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<RenamedVec>().await?;
        for (i, when) in [(0u8, 1i64), (1, 2), (2, 1)] {
            conn.save(Document::new(RenamedVec { id: format!("r{i}"), team: "core".into(), when, embedding: Vector::new([f32::from(i), 0.0]) })).await?;
        }
        let f = RenamedVec::fields();
        let hits: Vec<_> = conn.search(RenamedVec::indexes().rt_ren_vec, &Vector::new([0.0, 0.0])).filter(f.team.eq("core").and(f.when.eq(1i64))).try_collect().await?;
        let ids: Vec<&str> = hits.iter().map(|h| h.document.id.as_str()).collect();
        assert_eq!(ids, ["r0", "r2"]);
        let missing = conn.search(RenamedVec::indexes().rt_ren_vec, &Vector::new([0.0, 0.0])).filter(f.when.eq(1i64)).try_collect::<Vec<_>>().await;
        assert!(matches!(missing, Err(Error::InvalidRequest { ref reason, .. }) if reason.contains("partition")), "{missing:?}");
    }

    async fn rt_vector_updates_move_items_in_and_out_of_the_index(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<Post>().await?;
        for v in [Some([1.0, 0.0, 0.0]), Some([0.5, 0.0, 0.0]), None] {
            conn.save(Document::new(Post { id: 0, tenant: "acme".into(), kind: 1, embedding: v.map(Vector::new) })).await?;
        }
        let f = Post::fields();
        let refused = conn.update::<Post>(1).set(f.embedding, Some(Vector::new([f32::NAN, 0.0, 0.0]))).await;
        assert!(matches!(refused, Err(Error::Attribute(_))), "{refused:?}");
        conn.update::<Post>(1).remove(f.embedding).await?;
        conn.update::<Post>(3).set(f.embedding, Some(Vector::new([2.0, 0.0, 0.0]))).await?;
        let hits: Vec<_> = conn.search(Post::indexes().rt_p_idx, &Vector::new([1.0, 0.0, 0.0])).filter(f.tenant.eq("acme")).consistent_read().try_collect().await?;
        let ids: Vec<i64> = hits.iter().map(|h| h.document.id).collect();
        assert_eq!(ids, [3, 2]);
        // Moved to another partition by an update.
        conn.update::<Post>(2).set(f.tenant, "other").await?;
        let hits: Vec<_> = conn.search(Post::indexes().rt_p_idx, &Vector::new([1.0, 0.0, 0.0])).filter(f.tenant.eq("acme")).try_collect().await?;
        assert_eq!(hits.len(), 1);
        // An empty partition value.
        let empty = conn.search(Post::indexes().rt_p_idx, &Vector::new([1.0, 0.0, 0.0])).filter(f.tenant.eq("")).try_collect::<Vec<_>>().await;
        match empty {
            Ok(hits) => assert!(hits.is_empty()),
            Err(Error::InvalidRequest { .. }) | Err(Error::Attribute(_)) => {}
            Err(other) => panic!("an empty partition: {other:?}"),
        }
    }

    async fn rt_vector_search_never_returns_a_document_outside_its_partition(conn, engine) {
        if lacks_vectors(engine) {
            return Ok(());
        }
        conn.create_table::<Post>().await?;
        for v in [[1.0, 0.0, 0.0], [0.5, 0.0, 0.0]] {
            conn.save(Document::new(Post { id: 0, tenant: "acme".into(), kind: 1, embedding: Some(Vector::new(v)) })).await?;
        }
        // Between the search and the read, another program moves post 1 to
        // another tenant (and kind).
        let mut moved = conn.get::<Post>(1).await?.expect("saved").stored_item().expect("loaded").clone();
        moved.insert("tenant".into(), s("other"));
        moved.insert("kind".into(), n("2"));
        let wrapper = std::sync::Arc::new(MovesAfterSearch {
            inner: conn.shared_engine(),
            table: conn.table_name("rt_posts"),
            item: moved,
            done: std::sync::Mutex::new(false),
        });
        let racing = Connection::from_arc(wrapper).with_table_prefix(conn.table_name(""));
        let f = Post::fields();
        let hits: Vec<_> = racing
            .search(Post::indexes().rt_p_idx, &Vector::new([1.0, 0.0, 0.0]))
            .filter(f.tenant.eq("acme").and(f.kind.eq(1u32)))
            .consistent_read()
            .try_collect()
            .await?;
        let found: Vec<(i64, String, u32)> = hits.iter().map(|h| (h.document.id, h.document.tenant.clone(), h.document.kind)).collect();
        assert!(found.iter().all(|(_, tenant, kind)| tenant == "acme" && *kind == 1), "a search of tenant acme returned {found:?}");
    }
}
