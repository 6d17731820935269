use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id")]
struct Unknown {
    id: String,
    #[dynamodb(renamed = "x")]
    name: String,
}

fn main() {}
