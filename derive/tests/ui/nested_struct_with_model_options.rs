use dynamodb_mapper::Attribute;

// A struct stored as a map inside a model takes no table options, and no
// field option only a model's own attributes can honour.
#[derive(Attribute)]
#[dynamodb(table = "addresses", hash_key = "city")]
struct Address {
    city: String,
    #[dynamodb(version)]
    version: u64,
    #[dynamodb(auto_increment)]
    number: i64,
}

fn main() {}
