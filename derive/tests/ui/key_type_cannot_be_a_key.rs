use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "things", hash_key = "tags")]
struct ListKey {
    tags: Vec<String>,
}

#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id", range_key = "flag")]
struct BoolRange {
    id: String,
    flag: bool,
}

fn main() {}
