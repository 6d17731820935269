//! Saves and reads back one model: on the embedded engine when built with
//! `embedded`, else through the AWS SDK (standard configuration).

use dynamodb_mapper::{Connection, Document, Model};

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "players", hash_key = "login")]
struct Player {
    login: String,
    level: u32,
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    #[cfg(feature = "embedded")]
    let conn = Connection::embedded()?;
    #[cfg(not(feature = "embedded"))]
    let conn = Connection::aws().await;
    conn.create_table::<Player>().await?;
    let mut ann = Document::new(Player { login: "ann".into(), level: 1 });
    conn.save(&mut ann).await?;
    let level = conn.get::<Player>("ann".to_string()).await?.map(|p| p.level);
    println!("ann is at level {level:?}");
    Ok(())
}
