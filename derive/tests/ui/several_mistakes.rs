use chrono::{DateTime, Utc};
use dynamodb_mapper::Model;

// Every mistake is reported at once, not only the first.
#[derive(Model)]
#[dynamodb(table = "t", hash_key = "id", range_key = "at", stream = "everything")]
struct Several {
    id: String,
    #[dynamodb(epoch_seconds, json)]
    at: DateTime<Utc>,
    #[dynamodb(rename = "id")]
    other_id: String,
    #[dynamodb(skip = true)]
    cache: u8,
    #[dynamodb(renamed = "x")]
    name: String,
}

fn main() {}
