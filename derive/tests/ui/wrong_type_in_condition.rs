use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "doom_map", hash_key = "episode", range_key = "map")]
struct DoomMap {
    episode: i64,
    map: i64,
    name: String,
}

fn main() {
    let _ = DoomMap::fields().map.gt("five");
}
