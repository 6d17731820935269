use dynamodb_mapper::Model;

// A skipped field is not stored: options about its stored form would be ignored.
#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id")]
struct Skipped {
    id: String,
    #[dynamodb(skip, rename = "c")]
    cache: Vec<String>,
    #[dynamodb(skip, json, sensitive)]
    scratch: Vec<String>,
}

fn main() {}
