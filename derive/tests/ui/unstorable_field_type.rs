use dynamodb_mapper::Model;

struct Opaque;

#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id")]
struct HasOpaque {
    id: String,
    opaque: Opaque,
}

fn main() {}
