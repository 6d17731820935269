use dynamodb_mapper::Model;

#[derive(dynamodb_mapper::Attribute, Default)]
struct Position {
    x: i64,
    y: i64,
}

#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id", format = "python")]
struct Thing {
    id: String,
    position: Position,
}

fn main() {}
