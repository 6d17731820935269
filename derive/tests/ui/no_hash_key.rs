use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "things")]
struct NoHashKey {
    id: String,
}

fn main() {}
