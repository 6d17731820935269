//! Writes on a table with a stream at constant cost.
//!
//! dynoxide numbers each stream record with `SELECT COALESCE(MAX(CAST(
//! sequence_number AS INTEGER)), 0) + 1 FROM _stream_records WHERE
//! table_name = ?` (its `storage.rs`), which no index serves: every write
//! reads every record the table's stream holds, so writes slow down as the
//! stream grows (20,000 saves: 3,862 items/s in the first quarter, 576 in
//! the last). An index on exactly that expression turns the read into one
//! lookup. dynoxide exposes no SQLite connection, so the index is made
//! beside it, through a second connection: to a file database's file, and
//! to the engine's own in-memory databases by their shared-cache name (a
//! database given in memory by the caller goes through a snapshot instead:
//! `VACUUM INTO` a temporary file, indexed there, restored). `docs/upstream/dynoxide-stream-sequence.md` is
//! the report for dynoxide, with the measurement.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

const CREATE: &str = "CREATE INDEX IF NOT EXISTS dynamodb_mapper_stream_sequence \
     ON _stream_records (table_name, CAST(sequence_number AS INTEGER))";

/// A fresh in-memory database, its stream records indexed: named, so that
/// a second connection can reach it (SQLite's shared-cache memory
/// databases live as long as a connection holds them: dynoxide's does).
pub(super) fn memory() -> Result<dynoxide::Database, dynoxide::DynoxideError> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "file:dynamodb-mapper-{}-{}?mode=memory&cache=shared",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let db = dynoxide::Database::new(&name)?;
    if let Err(reason) = index_file(&name) {
        tracing::warn!(
            reason,
            "the embedded engine's stream records are not indexed: writes on tables with a stream slow down as their stream grows"
        );
    }
    Ok(db)
}

/// Indexes `db`'s stream records by table and sequence number. A database
/// that cannot be indexed (read-only, locked) is used as it is: writes on
/// a table with a stream are then slower, never wrong; the reason is
/// logged.
pub(super) fn ensure(db: &dynoxide::Database) {
    let result = match db.db_path() {
        Ok(Some(path))
            if !path.is_empty() && path != ":memory:" && !path.contains("mode=memory") =>
        {
            index_file(&path)
        }
        Ok(_) => index_memory(db),
        Err(error) => Err(error.to_string()),
    };
    if let Err(reason) = result {
        tracing::warn!(
            reason,
            "the embedded engine's stream records are not indexed: writes on tables with a stream slow down as their stream grows"
        );
    }
}

/// Through a second connection to the database's file.
fn index_file(path: &str) -> Result<(), String> {
    let conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(|e| e.to_string())?;
    conn.execute_batch(CREATE).map_err(|e| e.to_string())
}

/// Through a snapshot: the database copied to a temporary file, indexed
/// there, and restored from it.
fn index_memory(db: &dynoxide::Database) -> Result<(), String> {
    let snapshot = Snapshot::new();
    let path = snapshot.path.to_str().ok_or("no UTF-8 temporary path")?;
    db.vacuum_into(path).map_err(|e| e.to_string())?;
    index_file(path)?;
    db.restore_from(path).map_err(|e| e.to_string())
}

/// A temporary file of this process, removed (with SQLite's `-wal` and
/// `-shm` files beside it) when dropped.
struct Snapshot {
    path: PathBuf,
}

impl Snapshot {
    fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let name = format!(
            "dynamodb-mapper-{}-{}.sqlite",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let snapshot = Snapshot {
            path: std::env::temp_dir().join(name),
        };
        // A file left by a process that crashed with this id: VACUUM INTO
        // writes only a new file.
        drop(Snapshot {
            path: snapshot.path.clone(),
        });
        snapshot
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut path = self.path.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}
