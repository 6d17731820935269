use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(hash_key = "id")]
struct NoTable {
    id: String,
}

fn main() {}
