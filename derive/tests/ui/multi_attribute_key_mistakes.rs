use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(
    table = "tasks",
    hash_key = "id",
    range_key = "created",
    global_index(name = "by_team", hash_key = ["team", "team"], range_key = ["status", "team"]),
    global_index(name = "too_many", hash_key = ["a", "b", "c", "d", "e"]),
    global_index(name = "with_template", pk = "TEAM#{team}", hash_key = ["team", "status"]),
    local_index(name = "local", range_key = ["status", "priority"]),
    global_index(name = "none", hash_key = []),
)]
struct Task {
    id: String,
    created: i64,
    team: String,
    status: String,
    priority: u8,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
}

fn main() {}
