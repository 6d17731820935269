use chrono::{DateTime, Utc};
use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "sessions", hash_key = "id", ttl = "expires")]
struct Session {
    id: String,
    expires: DateTime<Utc>,
}

fn main() {}
