// A `Json<T>` or `JsonValue` field is JSON text (`S`) in every model, but
// its handle's form is `Native`: paths inside it, `contains` and `size`
// compile and answer about the text. They should not compile, as on a list
// kept as JSON text by `format = "python"` or `json`.
use dynamodb_mapper::{Json, JsonValue, Model};

#[derive(Model)]
#[dynamodb(table = "things", hash_key = "id", format = "python")]
struct Thing {
    id: String,
    spells: Json<Vec<String>>,
    raw: JsonValue,
}

fn main() {
    let f = Thing::fields();
    let _ = f.spells.index(0);
    let _ = f.raw.key("a");
}
