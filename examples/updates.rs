//! Partial updates and atomic counters: `cargo run --example updates`.

use std::collections::BTreeSet;

use dynamodb_mapper::{Connection, Model};

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "players", hash_key = "login")]
struct Player {
    login: String,
    score: u64,
    badges: BTreeSet<String>,
    history: Vec<String>,
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Player>().await?;
    let f = Player::fields();
    // Sends only an UpdateExpression: no read, no whole-item put.
    let ann = conn
        .update::<Player>("ann".into())
        .add(f.score, 10u64) // atomic counter
        .add(f.badges, BTreeSet::from(["first-blood".to_string()]))
        .append(f.history, vec!["joined".to_string()])
        .return_new()
        .await?;
    println!(
        "ann: score {}, badges {:?}, history {:?}",
        ann.score, ann.badges, ann.history
    );
    // `.delete(f.score, ..)` would not compile: DELETE applies to sets only.
    conn.update::<Player>("ann".into())
        .delete(f.badges, BTreeSet::from(["first-blood".to_string()]))
        .await?;
    Ok(())
}
