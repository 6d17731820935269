use dynamodb_mapper::Model;

#[derive(Model)]
#[dynamodb(table = "bags", hash_key = "id", format = "python")]
struct Bag {
    id: String,
    tags: std::collections::HashSet<String>,
    inventory: Vec<String>,
    #[dynamodb(native)]
    badges: Vec<String>,
    #[dynamodb(json)]
    spells: Vec<String>,
}

fn main() {
    let f = Bag::fields();
    // Stored natively: members and sizes.
    let _ = f.tags.contains("x".to_string());
    let _ = f.badges.size().gt(1);
    // Stored as JSON text: `contains` would test a substring of the text,
    // `size` count its characters.
    let _ = f.inventory.contains("sword".to_string());
    let _ = f.inventory.size().eq(2);
    let _ = f.spells.size().gt(1);
}
