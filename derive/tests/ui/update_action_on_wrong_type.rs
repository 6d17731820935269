use dynamodb_mapper::{Connection, Model};
use std::collections::BTreeSet;

#[derive(Model)]
#[dynamodb(table = "players", hash_key = "login")]
struct Player {
    login: String,
    name: String,
    level: u32,
    tags: BTreeSet<String>,
}

fn main() {
    let conn = Connection::default_connection().unwrap();
    let f = Player::fields();
    let _ = conn.update::<Player>("ann".into()).add(f.name, "x");
    let _ = conn.update::<Player>("ann".into()).delete(f.level, 1u32);
    let _ = conn.update::<Player>("ann".into()).append(f.tags, BTreeSet::new());
}
