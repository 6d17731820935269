use chrono::{DateTime, Utc};
use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(
    table = "scores",
    hash_key = "player",
    ttl = "cache",
    global_index(name = "by_game", hash_key = "game", projection = "keys_only", include = ["score"]),
    global_index(name = "by-game", hash_key = "game"),
    global_index(name = "by_time", hash_key = "game", range_key = "at"),
    global_index(name = "1st", hash_key = "game"),
    global_index(name = "by game", hash_key = "game"),
)]
struct Score {
    player: String,
    game: String,
    score: i64,
    #[dynamodb(epoch_seconds)]
    at: DateTime<Utc>,
    #[dynamodb(skip)]
    cache: i64,
}

fn main() {}
