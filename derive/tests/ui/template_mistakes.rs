// Key templates that name no field, cannot be parsed, clash or mix with field keys.
use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "shop", pk = "CUSTOMER#{customer}", sk = "ORDER#{placed_at}{order_id}")]
struct UnknownFieldAndAdjacentFields {
    customer_id: u64,
    placed_at: String,
    order_id: u32,
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "CUSTOMER#{customer_id", sk = "{}")]
struct UnclosedAndEmpty {
    customer_id: u64,
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "A#{id}", hash_key = "id", entity_attribute = "name")]
struct TemplateAndFieldKeyAndClash {
    id: u64,
    name: String,
}

#[derive(Model)]
#[dynamodb(table = "shop", hash_key = "id", entity = "Thing", sk = "X")]
struct EntityOptionsWithoutTemplate {
    id: u64,
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "A#{id}#{id}")]
struct FieldTwice {
    id: u64,
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "A#{secret}", sk = "B#{skipped}")]
struct SensitiveOrSkippedInTemplate {
    #[dynamodb(sensitive)]
    secret: String,
    #[dynamodb(skip)]
    skipped: u32,
}

#[derive(Model)]
#[dynamodb(
    table = "shop",
    pk = "A#{id}",
    global_index(name = "gsi1", pk = "S#{status}", hash_key = "status"),
    global_index(name = "gsi2", sk_attribute = "x"),
    local_index(name = "lsi1", pk = "S#{status}", sk = "{status}")
)]
struct IndexTemplateMistakes {
    id: u64,
    status: String,
}

fn main() {}
