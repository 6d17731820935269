// Collections and polymorphic models whose variants do not fit together.
use dynamodb_mapper::{Collection, Model};

#[derive(Model)]
#[dynamodb(table = "shop", pk = "C#{cid}", sk = "PROFILE")]
struct Numbered {
    cid: u64,
}

// The same template text, another field type: another partition.
#[derive(Model)]
#[dynamodb(table = "shop", pk = "C#{cid}", sk = "NOTE#{n}")]
struct Texted {
    cid: String,
    n: u32,
}

#[derive(Collection)]
enum Mismatched {
    Numbered(Numbered),
    Texted(Texted),
}

#[derive(Model)]
#[dynamodb(table = "shop", entity = "Same", pk = "C#{cid}", sk = "A")]
struct First {
    cid: u64,
}

#[derive(Model)]
#[dynamodb(table = "shop", entity = "Same", pk = "C#{cid}", sk = "A")]
struct Second {
    cid: u64,
}

#[derive(Model)]
enum SameEntityTwice {
    First(First),
    Second(Second),
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "C#{cid}", sk = "A")]
struct Versioned {
    cid: u64,
    #[dynamodb(version)]
    version: u64,
}

#[derive(Model)]
enum VersionedVariant {
    First(First),
    Versioned(Versioned),
}

#[derive(Collection)]
#[dynamodb(table = "shop")]
struct NotAnEnum {
    cid: u64,
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "K#{kid}", global_index(name = "kox", pk = "KO#{kid}", projection = "keys_only"))]
struct Keyed {
    kid: u64,
}

// A keys-only index holds no entity names.
#[derive(Collection)]
#[dynamodb(index = "kox")]
enum OfKeysOnly {
    Keyed(Keyed),
}

// Index names that differ only by `_` make one key type name.
#[derive(Model)]
#[dynamodb(
    table = "shop",
    pk = "K#{kid}",
    global_index(name = "gsi_1", pk = "A#{kid}"),
    global_index(name = "gsi1", pk = "B#{kid}")
)]
struct TwoKeyTypes {
    kid: u64,
}

fn main() {}
