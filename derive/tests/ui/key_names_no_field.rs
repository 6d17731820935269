use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id", range_key = "created")]
struct Typo {
    id: String,
    created_at: i64,
}

fn main() {}
