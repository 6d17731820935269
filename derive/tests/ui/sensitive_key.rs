use dynamodb_mapper::Model;

// Key values name the item in errors, so a key cannot be kept out of them.
#[derive(Model)]
#[dynamodb(table = "users", hash_key = "email")]
struct User {
    #[dynamodb(sensitive)]
    email: String,
    name: String,
}

fn main() {}
