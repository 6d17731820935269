use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "posts", hash_key = "id", range_key = "at")]
struct Post {
    #[dynamodb(auto_increment)]
    id: i64,
    at: i64,
}

fn main() {}
