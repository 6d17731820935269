// Entities of one collection whose keys can meet: a batch save of one
// would replace the other's item.
use dynamodb_mapper::{Collection, Model};

#[derive(Model)]
#[dynamodb(table = "shop", pk = "C#{cid}", sk = "ORDER#{id}")]
struct Order {
    cid: u64,
    id: String,
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "C#{cid}", sk = "ORDER#{id}#ITEM#{line}")]
struct OrderLine {
    cid: u64,
    id: String,
    line: u32,
}

// With a number, `ORDER#{n}` and `ORDER#{n}#ITEM#{line}` stay apart.
#[derive(Model)]
#[dynamodb(table = "shop", pk = "C#{cid}", sk = "ORDER#{n}")]
struct NumberedOrder {
    cid: u64,
    n: u64,
}

#[derive(Model)]
#[dynamodb(table = "shop", pk = "C#{cid}", sk = "ORDER#{n}#ITEM#{line}")]
struct NumberedLine {
    cid: u64,
    n: u64,
    line: u32,
}

#[derive(Collection)]
enum Meet {
    Order(Order),
    OrderLine(OrderLine),
}

#[derive(Collection)]
enum Apart {
    NumberedOrder(NumberedOrder),
    NumberedLine(NumberedLine),
}

fn main() {}
