//! Migrations on read: `cargo run --example migrations`.

use dynamodb_mapper::engine::request::PutItemInput;
use dynamodb_mapper::model::{Migrator, SchemaVersion};
use dynamodb_mapper::{AttributeValue, Connection, Item, Model};

struct UserVersions;

impl Migrator for UserVersions {
    const VERSIONS: &'static [SchemaVersion] = &[
        SchemaVersion::new(1).check(|raw| raw.contains_key("name")),
        SchemaVersion::new(2)
            .check(|raw| raw.contains_key("display_name"))
            .migrate(|raw| {
                let name = raw.remove("name").ok_or("version 1 has a name")?;
                raw.insert("display_name".into(), name);
                Ok(())
            }),
    ];
}

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "users", hash_key = "id", migrator = UserVersions)]
struct User {
    id: String,
    display_name: String,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let conn = Connection::embedded()?;
    conn.create_table::<User>().await?;
    // An item written by an older version of the program.
    let old = Item::from_iter([
        ("id".to_string(), AttributeValue::S("u1".into())),
        ("name".to_string(), AttributeValue::S("Ada".into())),
    ]);
    conn.engine()
        .send(&PutItemInput::new(conn.table_name("users"), old))
        .await?;

    let mut user = conn
        .get::<User>("u1".into())
        .await?
        .ok_or("u1 is missing")?;
    println!("read version 1 as {:?}", user.display_name);
    conn.save(&mut user).raise_on_conflict().await?; // writes the new form back
    let stored = conn
        .get::<User>("u1".into())
        .await?
        .ok_or("u1 is missing")?;
    println!(
        "stored now: {:?}",
        stored.stored_item().map(|i| i.keys().collect::<Vec<_>>())
    );
    Ok(())
}
