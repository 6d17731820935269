//! Saves and reads back one model: on the embedded engine, or through the AWS
//! SDK (standard configuration) when built without `embedded` or given `--aws`
//! (so a build with both features links both engines).

use dynamodb_mapper::{Connection, Document, Model};

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "players", hash_key = "login")]
struct Player {
    login: String,
    level: u32,
}

#[cfg(all(feature = "embedded", feature = "aws"))]
async fn connect(aws: bool) -> dynamodb_mapper::Result<Connection> {
    if aws {
        Ok(Connection::aws().await)
    } else {
        Connection::embedded()
    }
}

#[cfg(all(feature = "embedded", not(feature = "aws")))]
async fn connect(_aws: bool) -> dynamodb_mapper::Result<Connection> {
    Connection::embedded()
}

#[cfg(all(feature = "aws", not(feature = "embedded")))]
async fn connect(_aws: bool) -> dynamodb_mapper::Result<Connection> {
    Ok(Connection::aws().await)
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let aws = !cfg!(feature = "embedded") || std::env::args().any(|a| a == "--aws");
    let conn = connect(aws).await?;
    conn.create_table::<Player>().await?;
    let mut ann = Document::new(Player {
        login: "ann".into(),
        level: 1,
    });
    conn.save(&mut ann).await?;
    let level = conn
        .get::<Player>("ann".to_string())
        .await?
        .map(|p| p.level);
    println!("ann is at level {level:?}");
    Ok(())
}
