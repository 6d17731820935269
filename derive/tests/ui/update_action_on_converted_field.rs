use dynamodb_mapper::{Connection, Model};
use std::collections::BTreeMap;

#[derive(Model)]
#[dynamodb(table = "players", hash_key = "login", format = "python")]
struct Player {
    login: String,
    level: u32,
    inventory: Vec<String>,
    prefs: BTreeMap<String, u32>,
    #[dynamodb(native)]
    badges: Vec<String>,
    #[dynamodb(json)]
    spells: Vec<String>,
}

fn main() {
    let conn = Connection::default_connection().unwrap();
    let f = Player::fields();
    // Stored natively: these compile.
    let _ = conn.update::<Player>("ann".into()).add(f.level, 1u32).append(f.badges, vec!["x".to_string()]);
    let _ = f.badges.index(0);
    // Stored as JSON text: whole values only.
    let _ = conn.update::<Player>("ann".into()).set(f.inventory, vec!["sword".to_string()]);
    let _ = conn.update::<Player>("ann".into()).append(f.inventory, vec!["sword".to_string()]);
    let _ = f.prefs.key("volume");
    let _ = conn.update::<Player>("ann".into()).prepend(f.spells, vec!["heal".to_string()]);
}
