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

fn main() {}
