use dynamodb_mapper::{Connection, KeyCondition, Model};

#[derive(Model)]
#[dynamodb(table = "players", hash_key = "login")]
struct Player {
    login: String,
}

fn main() {
    let conn = Connection::default_connection().unwrap();
    let _ = conn.query::<Player>("ann".into()).range(KeyCondition::Eq(1));
}
