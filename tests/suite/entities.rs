//! Entities sharing a table: keys composed from fields, the stored entity
//! name checked on every read, index keys kept in step with their fields.

use chrono::{DateTime, Utc};
use dynamodb_mapper::attribute::ValueErrorKind;
use dynamodb_mapper::{Connection, Error, KeyCondition, Model};
use futures::TryStreamExt;

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "shop", pk = "CUSTOMER#{customer_id}", sk = "PROFILE")]
struct Customer {
    customer_id: u64,
    name: String,
}

#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(
    table = "shop",
    entity = "Order",
    pk = "CUSTOMER#{customer_id}",
    sk = "ORDER#{placed_at}#{order_id}",
    global_index(name = "gsi1", pk = "STATUS#{status}", sk = "{placed_at}#{order_id}"),
    global_index(name = "gsi2", pk = "COUPON#{coupon}", sk = "{order_id}", pk_attribute = "gsi2pk", sk_attribute = "gsi2sk")
)]
struct Order {
    customer_id: u64,
    placed_at: DateTime<Utc>,
    order_id: u32,
    status: String,
    coupon: Option<String>,
    total: i64,
}

fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("a datetime")
}

fn order(customer_id: u64, day: u32, order_id: u32, status: &str) -> Order {
    Order {
        customer_id,
        placed_at: at(&format!("2026-11-{day:02}T10:00:00Z")),
        order_id,
        status: status.into(),
        coupon: None,
        total: 100,
    }
}

async fn shop(conn: &Connection) -> dynamodb_mapper::Result<()> {
    // One table: the model declaring every index creates it.
    conn.create_table::<Order>().provisioned(5, 5).await.map(drop)
}

engine_tests! {
    async fn composed_keys_are_stored_beside_their_fields(conn, engine) {
        shop(&conn).await?;
        let o = order(42, 3, 7, "open");
        conn.save(&mut o.clone().into()).await?;
        let item = conn.get::<Order>(Order::key(42, o.placed_at, 7)).await?.expect("saved");
        assert_eq!(*item, o);
        let stored = item.stored_item().expect("loaded").clone();
        let s = |name: &str| match stored.get(name) { Some(dynamodb_mapper::AttributeValue::S(s)) => Some(s.as_str()), _ => None };
        assert_eq!(s("pk"), Some("CUSTOMER#00000000000000000042"));
        assert_eq!(s("sk"), Some("ORDER#2026-11-03T10:00:00.000000+00:00#0000000007"));
        assert_eq!(s("entity"), Some("Order"));
        assert_eq!(s("gsi1_pk"), Some("STATUS#open"));
        assert!(stored.get("gsi2pk").is_none(), "no coupon: not in the sparse index");
    }
}
