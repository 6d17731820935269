use dynamodb_mapper::attribute::Secret;
use dynamodb_mapper::Attribute;

// Redaction works on a model's own attributes: `sensitive` inside a nested
// struct cannot be honoured, so it is refused instead of ignored.
#[derive(Attribute)]
struct Login {
    user: String,
    #[dynamodb(sensitive)]
    password: Secret<String>,
}

fn main() {}
