//! The JSON view of a model (the original's `to_json_dict`): `cargo run --example json_view`.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use dynamodb_mapper::Model;

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "doom_map", hash_key = "episode", range_key = "map")]
struct DoomMap {
    episode: i64,
    map: i64,
    name: String,
    cheats: HashSet<String>,
    #[dynamodb(json)]
    secrets: Vec<String>,
    first_played: DateTime<Utc>,
}

fn main() -> dynamodb_mapper::Result<()> {
    let e1m1 = DoomMap {
        episode: 1,
        map: 1,
        name: "Hangar".into(),
        cheats: ["idkfa".into(), "iddqd".into()].into(),
        secrets: vec!["armor".into()],
        first_played: "1993-12-10T12:00:00Z".parse().expect("a datetime"),
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&e1m1.to_json()?).expect("JSON")
    );
    Ok(())
}
