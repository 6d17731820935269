//! The embedded engine indexes its stream records by table and sequence
//! number (dynoxide numbers each record by the largest so far, which no
//! index of its own serves): writes on a table with a stream keep their
//! speed as the stream grows. Checked by the query plan, not by timing.

use dynamodb_mapper::engine::EmbeddedEngine;
use dynamodb_mapper::{Connection, Document, Model};

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "streamed", hash_key = "id", stream = "new_image")]
struct Streamed {
    id: u64,
}

/// How SQLite answers dynoxide's sequence number query in the database at `path`.
fn plan(path: &std::path::Path) -> String {
    let sqlite = rusqlite::Connection::open(path).expect("sqlite");
    let mut statement = sqlite
        .prepare(
            "EXPLAIN QUERY PLAN SELECT COALESCE(MAX(CAST(sequence_number AS INTEGER)), 0) + 1 \
             FROM _stream_records WHERE table_name = 'streamed'",
        )
        .expect("prepared");
    let rows = statement
        .query_map([], |row| row.get::<_, String>(3))
        .expect("planned");
    rows.map(|r| r.expect("a row"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", crate::common::unique_prefix()));
    std::fs::create_dir_all(&dir).expect("a directory");
    dir
}

#[tokio::test]
async fn a_file_database_serves_the_sequence_number_by_index() {
    let dir = temp_dir("stream-index-file");
    let path = dir.join("db.sqlite");
    let conn = Connection::new(EmbeddedEngine::open(&path).expect("engine"));
    conn.create_table::<Streamed>().await.expect("table");
    for id in 1..=3 {
        conn.save(Document::new(Streamed { id }))
            .await
            .expect("saved");
    }
    let first = plan(&path);
    assert!(first.contains("dynamodb_mapper_stream_sequence"), "{first}");
    // Opened again: the index is kept, not made twice.
    drop(conn);
    let again = EmbeddedEngine::open(&path).expect("reopened");
    drop(again);
    assert!(plan(&path).contains("dynamodb_mapper_stream_sequence"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Writes to a table with a stream through `engine`, then reads the query
/// plan from a snapshot of its database (its schema, indexes included).
async fn plan_of_memory_engine(engine: EmbeddedEngine, name: &str) -> String {
    let db = engine.database().clone();
    let conn = Connection::new(engine);
    conn.create_table::<Streamed>().await.expect("table");
    for id in 1..=3 {
        conn.save(Document::new(Streamed { id }))
            .await
            .expect("saved");
    }
    let dir = temp_dir(name);
    let path = dir.join("snapshot.sqlite");
    db.vacuum_into(path.to_str().expect("UTF-8"))
        .expect("snapshot");
    let used = plan(&path);
    let _ = std::fs::remove_dir_all(&dir);
    used
}

#[tokio::test]
async fn an_in_memory_database_serves_the_sequence_number_by_index() {
    let engine = EmbeddedEngine::memory().expect("engine");
    let used = plan_of_memory_engine(engine, "stream-index-memory").await;
    assert!(used.contains("dynamodb_mapper_stream_sequence"), "{used}");
}

#[tokio::test]
async fn a_database_given_in_memory_is_indexed_too() {
    let engine = EmbeddedEngine::from_database(dynoxide::Database::memory().expect("dynoxide"));
    let used = plan_of_memory_engine(engine, "stream-index-given").await;
    assert!(used.contains("dynamodb_mapper_stream_sequence"), "{used}");
}
