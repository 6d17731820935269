use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id")]
struct JsonKey {
    #[dynamodb(json)]
    id: Vec<String>,
}

fn main() {}
