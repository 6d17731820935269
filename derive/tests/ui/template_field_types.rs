// A field in a key template must render as a key segment: a primary key
// template takes no `Option` (only index keys may be sparse), no float, and
// a string needs ASCII punctuation below `0` after it.
use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "shop", pk = "A#{maybe}", sk = "B#{ratio}")]
struct OptionalAndFloat {
    maybe: Option<String>,
    ratio: f64,
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "A#{name}|{id}")]
struct StringBeforeBar {
    name: String,
    id: u32,
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "A#{id}|{name}")]
struct NumberBeforeBarIsFine {
    id: u32,
    name: String,
}

fn main() {}
