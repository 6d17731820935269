use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "scores", hash_key = "player", global_index(name = "by_game", hash_key = "gmae"))]
struct Score {
    player: String,
    game: String,
}

fn main() {}
