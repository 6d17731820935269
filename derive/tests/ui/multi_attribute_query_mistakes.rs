use dynamodb_mapper::{Connection, KeyCondition, Model};

#[derive(Model)]
#[dynamodb(
    table = "tasks",
    hash_key = "id",
    global_index(name = "by_team", hash_key = ["team", "region"], range_key = ["status", "priority", "due"]),
)]
struct Task {
    id: String,
    team: String,
    region: String,
    status: String,
    priority: u8,
    due: i64,
}

fn queries(conn: &Connection) {
    let index = Task::indexes().by_team;
    let team = || ("core".to_string(), "eu".to_string());
    // Every partition attribute is given.
    let _ = conn.query_index(index, "core".to_string());
    // A range ends the condition: nothing follows it.
    let _ = conn.query_index(index, team()).sort(|k| k.gt("open".to_string()).eq(1));
    // Conditions follow the key order: the first attribute is a string.
    let _ = conn.query_index(index, team()).sort(|k| k.eq(1));
    // The single-attribute range condition is for single-attribute sort keys.
    let _ = conn.query_index(index, team()).range(KeyCondition::Eq(1));
    // No more attributes than the key has.
    let _ = conn.query_index(index, team()).sort(|k| k.eq("open".to_string()).eq(1).eq(2).eq(3));
}

fn main() {}
