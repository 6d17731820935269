use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id", format = "yaml")]
struct UnknownFormat {
    id: String,
}

#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id")]
struct NativeInNativeModel {
    id: String,
    #[dynamodb(native)]
    flags: Vec<bool>,
}

#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id", format = "python")]
struct NativeKeyAndTwoConversions {
    #[dynamodb(native)]
    id: String,
    #[dynamodb(native, json)]
    flags: Vec<bool>,
}

#[derive(dynamodb_mapper::Attribute)]
struct Nested {
    #[dynamodb(native)]
    flags: Vec<bool>,
}

fn main() {}
