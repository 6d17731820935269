use dynamodb_mapper::{Model, Vector};

#[derive(Model)]
#[dynamodb(
    table = "notes",
    hash_key = "id",
    vector_index(name = "by_meaning", vector = "embedding", distance = "manhattan"),
    vector_index(name = "by_text", vector = "missing", distance = "cosine"),
    vector_index(name = "by_tags", distance = "cosine"),
    vector_index(name = "by_meaning", vector = "embedding", distance = "cosine", filter = ["lang", "lang"]),
    vector_index(name = "as_json", vector = "json_embedding", distance = "cosine"),
    vector_index(name = "tagged", vector = "embedding", distance = "cosine", partition = "tags"),
)]
struct Note {
    id: String,
    lang: String,
    tags: Vec<String>,
    embedding: Vector<8>,
    #[dynamodb(json)]
    json_embedding: Vec<f32>,
}

fn main() {}
