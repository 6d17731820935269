// What an enum derive knows from the enum alone: every mistake reported at
// once, each where it was made.
use dynamodb_mapper::{Collection, Model};

#[derive(Model)]
#[dynamodb(table = "shop", pk = "C#{cid}", sk = "PROFILE")]
struct Customer {
    cid: u64,
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "C#{cid}", sk = "ORDER#{n}")]
struct Order {
    cid: u64,
    n: u32,
}

// A model twice, a reference, a tuple, and an index no table can have.
#[derive(Collection)]
#[dynamodb(index = "x")]
enum Shop {
    Customer(Customer),
    Again(Customer),
    Borrowed(&'static Order),
    Pair((Order, Order)),
}

#[derive(Model)]
enum Twice {
    Order(Order),
    Same(Order),
}

fn main() {}
