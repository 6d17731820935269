use dynamodb_mapper::Model;

// A repeated option is an error, not "the last one wins": in one attribute,
// across two attributes, on the struct, on a field and in an index.
#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id")]
#[dynamodb(table = "others", global_index(name = "by_name", hash_key = "name", name = "again"))]
struct Twice {
    id: String,
    #[dynamodb(rename = "a", rename = "b")]
    name: String,
    #[dynamodb(json)]
    #[dynamodb(json)]
    tags: Vec<String>,
}

fn main() {}
