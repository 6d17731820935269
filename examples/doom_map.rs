//! The README's walkthrough: the DoomMap model of the original library's docs.
//!
//! Runs on the embedded engine (in memory, no AWS account) by default:
//!
//!     cargo run --example doom_map
//!
//! and on DynamoDB through the AWS SDK with `--aws` (standard AWS config:
//! credentials, `AWS_REGION`, and `AWS_ENDPOINT_URL` for a compatible endpoint):
//!
//!     AWS_ENDPOINT_URL=http://127.0.0.1:8000 cargo run --example doom_map -- --aws

use std::collections::HashSet;

use dynamodb_mapper::{Connection, Document, KeyCondition, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq)]
#[dynamodb(table = "doom_map", hash_key = "episode", range_key = "map")]
struct DoomMap {
    episode: i64,
    map: i64,
    name: String,
    #[dynamodb(default = HashSet::from(["Konami".to_string()]))]
    cheats: HashSet<String>,
}

/// The embedded engine, or with `--aws` (and the `aws` feature) the SDK.
async fn connect() -> Result<Connection, Box<dyn std::error::Error>> {
    if std::env::args().any(|a| a == "--aws") {
        #[cfg(feature = "aws")]
        {
            println!("engine: AWS SDK (standard AWS configuration)");
            return Ok(Connection::aws().await);
        }
        #[cfg(not(feature = "aws"))]
        return Err("--aws needs the `aws` feature".into());
    }
    println!("engine: embedded (in memory)");
    Ok(Connection::embedded()?)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let conn = connect().await?;

    let table = conn
        .create_table::<DoomMap>()
        .provisioned(10, 10)
        .wait_for_active()
        .await?;
    println!("created table {} ({:?})", table.name, table.status);

    let mut e1m1 = Document::new(DoomMap {
        episode: 1,
        map: 1,
        name: "Hangar".into(),
        ..Default::default()
    });
    println!(
        "a new map starts with the default cheats: {:?}",
        e1m1.cheats
    );
    e1m1.cheats = HashSet::from(["idkfa".into(), "iddqd".into(), "idclip".into()]);
    conn.save(&mut e1m1).raise_on_conflict().await?;
    println!("saved E1M1 {:?}", e1m1.name);

    for (map, name) in [
        (2, "Nuclear Plant"),
        (6, "Central Processing"),
        (9, "Military Base"),
    ] {
        let mut doc = Document::new(DoomMap {
            episode: 1,
            map,
            name: name.into(),
            ..Default::default()
        });
        conn.save(&mut doc).await?;
    }

    let e1m1 = conn
        .get::<DoomMap>((1, 1))
        .await?
        .ok_or("E1M1 is missing")?;
    let mut cheats: Vec<_> = e1m1.cheats.iter().collect();
    cheats.sort();
    println!("got E1M1 back: {:?} with cheats {:?}", e1m1.name, cheats);

    let episode_1: Vec<_> = conn.query::<DoomMap>(1).try_collect().await?;
    println!("maps of episode 1:");
    for map in &episode_1 {
        println!("  E{}M{} {}", map.episode, map.map, map.name);
    }

    let after_5: Vec<_> = conn
        .query::<DoomMap>(1)
        .range(KeyCondition::Gt(5))
        .try_collect()
        .await?;
    println!("maps of episode 1 after map 5:");
    for map in &after_5 {
        println!("  E{}M{} {}", map.episode, map.map, map.name);
    }

    // Saving a second "new" E1M1 with conflict detection is refused.
    let mut impostor = Document::new(DoomMap {
        episode: 1,
        map: 1,
        name: "Impostor".into(),
        ..Default::default()
    });
    match conn.save(&mut impostor).raise_on_conflict().await {
        Err(e) if e.is_overwrite() => println!("refused to overwrite E1M1: {e}"),
        other => return Err(format!("expected an overwrite error, got {other:?}").into()),
    }

    conn.delete_table::<DoomMap>().await?;
    println!("deleted table doom_map");
    Ok(())
}
