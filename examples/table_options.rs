//! Table options from the model: billing, time to live, streams:
//! `cargo run --example table_options`.

use chrono::{DateTime, Duration, Utc};
use dynamodb_mapper::{Connection, Document, Model};

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(
    table = "sessions",
    hash_key = "token",
    ttl = "expires",
    stream = "new_and_old_images"
)]
struct Session {
    token: String,
    user: String,
    /// Stored as epoch seconds, which DynamoDB's time to live reads.
    #[dynamodb(epoch_seconds)]
    expires: DateTime<Utc>,
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    let table = conn.create_table::<Session>().provisioned(5, 5).await?;
    println!(
        "billing {:?}, stream {:?}",
        table.billing, table.stream_view
    );
    println!(
        "time to live by {:?}",
        conn.time_to_live::<Session>().await?
    );
    let session = Session {
        token: "t1".into(),
        user: "ann".into(),
        expires: Utc::now() + Duration::hours(1),
    };
    conn.save(Document::new(session)).await?;
    Ok(())
}
