//! Typed conditions from model fields: `cargo run --example conditions`.

use dynamodb_mapper::{Connection, Document, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "monsters", hash_key = "name")]
struct Monster {
    name: String,
    health: u32,
    #[dynamodb(rename = "status")] // a reserved word: placeholders make it work
    state: String,
    loot: Vec<String>,
}

#[tokio::main]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    conn.create_table::<Monster>().await?;
    for (name, health, loot) in [
        ("imp", 60, vec!["ammo"]),
        ("demon", 150, vec![]),
        ("baron", 1000, vec!["armor", "key"]),
    ] {
        let monster = Monster {
            name: name.into(),
            health,
            state: "awake".into(),
            loot: loot.into_iter().map(String::from).collect(),
        };
        conn.save(Document::new(monster)).await?;
    }

    let f = Monster::fields();
    let tough: Vec<_> = conn
        .scan::<Monster>()
        .filter(f.health.between(100u32, 2000u32).and(f.loot.size().gt(1)))
        .try_collect()
        .await?;
    println!(
        "tough with loot: {:?}",
        tough.iter().map(|m| &m.name).collect::<Vec<_>>()
    );

    // A conditional write: put the imp to sleep only if it is still awake.
    let mut imp = conn.get::<Monster>("imp".into()).await?.expect("saved");
    imp.state = "asleep".into();
    conn.save(&mut imp).condition(f.state.eq("awake")).await?;
    // `f.health.gt("a lot")` would not compile: health is a number.
    println!(
        "the imp is {}",
        conn.get::<Monster>("imp".into())
            .await?
            .expect("saved")
            .state
    );
    Ok(())
}
