//! Optimistic locking with a version attribute: `cargo run --example versioning`.

use dynamodb_mapper::{Connection, Document, Model};

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "documents", hash_key = "id")]
struct Page {
    id: String,
    body: String,
    #[dynamodb(version)]
    version: u64,
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Page>().await?;
    let mut page = Document::new(Page {
        id: "home".into(),
        body: "Hello".into(),
        ..Default::default()
    });
    conn.save(&mut page).await?;
    println!("saved version {}", page.version);

    let mut alice = conn.get::<Page>("home".into()).await?.expect("saved");
    let mut bob = conn.get::<Page>("home".into()).await?.expect("saved");
    alice.body = "Hello from Alice".into();
    conn.save(&mut alice).await?;
    bob.body = "Hello from Bob".into();
    match conn.save(&mut bob).await {
        Err(e) if e.is_conflict() => println!("Bob's stale save was refused: {e}"),
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}
