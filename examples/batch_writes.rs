//! Batch saves and deletes of any size: `cargo run --example batch_writes`.

use dynamodb_mapper::{Connection, Model};

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "events", hash_key = "id")]
struct Event {
    id: u64,
    kind: String,
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Event>().await?;
    let events: Vec<Event> = (0..1000)
        .map(|id| Event {
            id,
            kind: "click".into(),
        })
        .collect();
    // Requests of at most 25 writes and 16 MB, four at a time; unprocessed
    // writes are retried, and anything left is returned in the error.
    let report = conn.save_batch(&events).concurrency(4).await?;
    println!(
        "saved {} events in {} requests",
        report.written, report.requests
    );
    let report = conn.delete_batch::<Event>(0..500).await?;
    println!("deleted {} events", report.written);
    Ok(())
}
