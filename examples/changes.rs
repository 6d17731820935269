//! Typed changes from a table's stream: `cargo run --example changes`.
//!
//! A shop writes orders through the mapper; a worker reacts to the `orders`
//! table's stream (a notification per shipped order, an audit line per
//! change). The worker stores its checkpoint in a table of its own after
//! each change, and a restarted worker resumes from it: nothing missed, and
//! only changes processed after the last stored checkpoint come again
//! (at-least-once).

use dynamodb_mapper::streams::Checkpoint;
use dynamodb_mapper::streams::{Change, ChangeRecord};
use dynamodb_mapper::{Connection, Document, Model};

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "orders", hash_key = "order_id", stream = "new_and_old_images")]
struct Order {
    order_id: u32,
    customer: String,
    status: String,
}

/// Where a stream consumer has got to.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "stream_checkpoints", hash_key = "consumer")]
struct StreamCheckpoint {
    consumer: String,
    #[dynamodb(json)]
    checkpoint: Checkpoint,
}

/// What the worker does with one change; returns the audit line.
fn react(change: &ChangeRecord<Order>) -> String {
    match &change.change {
        Change::Inserted { new: Some(order) } => {
            format!("order {} placed by {}", order.order_id, order.customer)
        }
        Change::Modified {
            old: Some(old),
            new: Some(new),
        } if old.status != new.status => {
            if new.status == "shipped" {
                println!(
                    "  -> notify {}: order {} is on its way",
                    new.customer, new.order_id
                );
            }
            format!("order {}: {} -> {}", new.order_id, old.status, new.status)
        }
        Change::Removed {
            old: Some(order),
            expired,
        } => format!(
            "order {} {}",
            order.order_id,
            if *expired { "expired" } else { "cancelled" }
        ),
        _ => format!("order {:?} changed", change.keys.get("order_id")),
    }
}

/// One run of the worker: resumes from its stored checkpoint, reads until
/// caught up, storing the checkpoint after each change.
async fn run_worker(conn: &Connection) -> dynamodb_mapper::Result<Vec<String>> {
    let stored = conn
        .get::<StreamCheckpoint>("audit".to_owned())
        .await?
        .map(|stored| stored.checkpoint.clone())
        .unwrap_or_default();
    let mut changes = conn.changes::<Order>().resume(stored).reader();
    let mut lines = Vec::new();
    while let Some(event) = changes.next().await {
        let event = event?;
        match &event.change {
            Ok(change) => lines.push(react(change)),
            // A record that does not decode as an Order: logged, passed by.
            Err(undecoded) => eprintln!("skipped: {undecoded}"),
        }
        let mut checkpoint = Document::new(StreamCheckpoint {
            consumer: "audit".into(),
            checkpoint: changes.checkpoint().clone(),
        });
        conn.save(&mut checkpoint).await?;
    }
    Ok(lines)
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Order>().await?;
    conn.create_table::<StreamCheckpoint>().await?;

    let mut first = Document::new(Order {
        order_id: 1,
        customer: "ann".into(),
        status: "placed".into(),
    });
    conn.save(&mut first).await?;
    let mut second = Document::new(Order {
        order_id: 2,
        customer: "bob".into(),
        status: "placed".into(),
    });
    conn.save(&mut second).await?;
    first.status = "shipped".into();
    conn.save(&mut first).await?;

    println!("worker, first run:");
    let lines = run_worker(&conn).await?;
    for line in &lines {
        println!("  {line}");
    }
    assert_eq!(lines.len(), 3);

    conn.delete(&mut second).await?;
    println!("worker, restarted:");
    let lines = run_worker(&conn).await?;
    for line in &lines {
        println!("  {line}");
    }
    assert_eq!(lines, ["order 2 cancelled"], "resumed after the checkpoint");
    Ok(())
}
