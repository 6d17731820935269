//! A single-table design, end to end: `cargo run --example single_table`.
//!
//! Customers, their addresses, their orders and the orders' items share one
//! table under generic key attributes (`pk`/`sk`, `gsi1_pk`/`gsi1_sk`,
//! `gsi2_pk`/`gsi2_sk`), with keys composed from fields. The access patterns:
//!
//! | access pattern | how |
//! |---|---|
//! | a customer with their latest orders | one query of the customer's partition: `collection::<CustomerView>`, newest first |
//! | a customer's addresses | the same partition, `.only::<Address>()` (sort key prefix `ADDRESS#`) |
//! | orders by status, newest first | the overloaded index `gsi1` (`STATUS#{status}`; addresses use it for `CITY#{city}`) |
//! | an order with its items | the index `gsi2`: `collection::<OrderWithItems>` of partition `ORDER#{order_id}` |
//! | a customer by email | a unique attribute: its guard item refuses a second customer with the same email |
//!
//! None of them needs a hand-written key or expression.

use chrono::{DateTime, Utc};
use dynamodb_mapper::error::ConflictKind;
use dynamodb_mapper::{Collection, Connection, Document, Error, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "PROFILE")]
struct Customer {
    customer_id: u64,
    name: String,
    #[dynamodb(unique)]
    email: String,
}

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ADDRESS#{label}",
    global_index(name = "gsi1", pk = "CITY#{city}", sk = "CUSTOMER#{customer_id}")
)]
struct Address {
    customer_id: u64,
    label: String,
    street: String,
    city: String,
}

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(
    table = "shop",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{placed_at}#{order_id}",
    global_index(name = "gsi1", pk = "STATUS#{status}", sk = "{placed_at}#{order_id}"),
    global_index(name = "gsi2", pk = "ORDER#{order_id}", sk = "ORDER")
)]
struct Order {
    customer_id: u64,
    placed_at: DateTime<Utc>,
    order_id: u32,
    status: String,
    total_cents: i64,
}

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(
    table = "shop",
    pk = "ORDER#{order_id}",
    sk = "ITEM#{line}",
    global_index(name = "gsi2", pk = "ORDER#{order_id}", sk = "ITEM#{line}")
)]
struct OrderItem {
    order_id: u32,
    line: u16,
    product: String,
    quantity: u32,
}

/// A customer's partition: their profile, addresses and orders.
#[derive(Collection, Debug)]
enum CustomerView {
    Customer(Customer),
    Address(Address),
    Order(Order),
}

/// An order with its items: the partitions of index `gsi2`.
#[derive(Collection, Debug)]
#[dynamodb(index = "gsi2")]
enum OrderWithItems {
    Order(Order),
    Item(OrderItem),
}

fn day(day: u32) -> DateTime<Utc> {
    format!("2026-11-{day:02}T09:30:00Z")
        .parse()
        .expect("a datetime")
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> dynamodb_mapper::Result<()> {
    let conn = Connection::embedded()?;
    // One table; each entity declares the indexes it writes.
    conn.create_table::<Order>()
        .with_indexes_of::<Address>()
        .with_indexes_of::<OrderItem>()
        .await?;

    let ann = Customer {
        customer_id: 42,
        name: "Ann".into(),
        email: "ann@example.com".into(),
    };
    conn.save(Document::new(ann)).await?;
    conn.save_batch(&[
        Address {
            customer_id: 42,
            label: "home".into(),
            street: "1 Main St".into(),
            city: "Lyon".into(),
        },
        Address {
            customer_id: 42,
            label: "work".into(),
            street: "9 Quai".into(),
            city: "Paris".into(),
        },
    ])
    .await?;
    for (order_id, placed, status) in [(7, 3, "shipped"), (8, 12, "open"), (9, 20, "open")] {
        let order = Order {
            customer_id: 42,
            placed_at: day(placed),
            order_id,
            status: status.into(),
            total_cents: 1250 * i64::from(order_id),
        };
        conn.save(Document::new(order)).await?;
    }
    conn.save_batch(&[
        OrderItem {
            order_id: 9,
            line: 1,
            product: "tea".into(),
            quantity: 2,
        },
        OrderItem {
            order_id: 9,
            line: 2,
            product: "cups".into(),
            quantity: 6,
        },
    ])
    .await?;

    // A customer with their two latest orders: one query, newest first
    // (`PROFILE` sorts after `ORDER#..`).
    let view: Vec<CustomerView> = conn
        .collection::<CustomerView>(CustomerPk { customer_id: 42 })
        .only::<Customer>()
        .only::<Order>()
        .reverse()
        .limit(3)
        .try_collect()
        .await?;
    let CustomerView::Customer(profile) = &view[0] else {
        panic!("the profile comes first: {view:?}");
    };
    let latest: Vec<u32> = view[1..]
        .iter()
        .filter_map(|v| match v {
            CustomerView::Order(o) => Some(o.order_id),
            _ => None,
        })
        .collect();
    println!("{} (latest orders {latest:?})", profile.name);
    assert_eq!(latest, [9, 8]);

    // Their addresses: the same partition, narrowed by sort key prefix.
    let addresses: Vec<String> = conn
        .collection::<CustomerView>(CustomerPk { customer_id: 42 })
        .only::<Address>()
        .map_ok(|part| match part {
            CustomerView::Address(a) => format!("{}: {}, {}", a.label, a.street, a.city),
            other => format!("not an address: {other:?}"),
        })
        .try_collect()
        .await?;
    println!("addresses: {addresses:?}");
    assert_eq!(addresses, ["home: 1 Main St, Lyon", "work: 9 Quai, Paris"]);

    // Orders by status, through the overloaded index (addresses put their
    // cities in it too; a query of orders keeps to orders).
    let open: Vec<u32> = conn
        .query_index(
            Order::indexes().gsi1,
            OrderGsi1Pk {
                status: "open".into(),
            },
        )
        .reverse()
        .map_ok(|o| o.order_id)
        .try_collect()
        .await?;
    println!("open orders, newest first: {open:?}");
    assert_eq!(open, [9, 8]);
    let in_lyon = conn
        .query_index(
            Address::indexes().gsi1,
            AddressGsi1Pk {
                city: "Lyon".into(),
            },
        )
        .try_collect::<Vec<_>>()
        .await?;
    assert_eq!(in_lyon.len(), 1);

    // Shipping order 8 moves it in the index: the update sets gsi1_pk too.
    let f = Order::fields();
    conn.update::<Order>(Order::key(42, day(12), 8))
        .set(f.status, "shipped")
        .await?;
    let shipped = conn
        .query_index(
            Order::indexes().gsi1,
            OrderGsi1Pk {
                status: "shipped".into(),
            },
        )
        .try_collect::<Vec<_>>()
        .await?;
    assert_eq!(shipped.len(), 2);

    // An order with its items: one query of index gsi2.
    let order_9: Vec<OrderWithItems> = conn
        .collection::<OrderWithItems>(OrderGsi2Pk { order_id: 9 })
        .try_collect()
        .await?;
    let items: Vec<&str> = order_9
        .iter()
        .filter_map(|part| match part {
            OrderWithItems::Item(item) => Some(item.product.as_str()),
            OrderWithItems::Order(_) => None,
        })
        .collect();
    println!("order 9: {items:?}");
    assert_eq!(items, ["tea", "cups"]);
    assert!(matches!(order_9.last(), Some(OrderWithItems::Order(o)) if o.total_cents == 11250));

    // The email is unique: a second customer cannot take it.
    let copycat = Customer {
        customer_id: 43,
        name: "Bob".into(),
        email: "ann@example.com".into(),
    };
    match conn.save(Document::new(copycat)).await {
        Err(Error::Conflict(conflict)) => {
            assert_eq!(conflict.kind, ConflictKind::Unique { attribute: "email" });
            println!("refused: {conflict}");
        }
        other => panic!("a taken email must be refused: {other:?}"),
    }
    Ok(())
}
