use dynamodb_mapper::{Connection, Model, Vector};

#[derive(Model)]
#[dynamodb(
    table = "notes",
    hash_key = "id",
    vector_index(name = "by_text", vector = "text", distance = "cosine"),
)]
struct Wrong {
    id: String,
    text: String,
}

#[derive(Model)]
#[dynamodb(
    table = "notes",
    hash_key = "id",
    vector_index(name = "by_meaning", vector = "embedding", distance = "cosine"),
)]
struct Note {
    id: String,
    embedding: Vector<8>,
}

// A query of other dimensions than the index's does not compile.
fn search(conn: &Connection) {
    let _ = conn.search(Note::indexes().by_meaning, &Vector::new([0.0; 4]));
}

fn main() {}
