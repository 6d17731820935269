//! The calls the benchmarks compare: through the mapper (on any engine) and,
//! over HTTP, as raw `aws-sdk-dynamodb` calls with hand-built requests and
//! hand-written conversion; on the same table of 100 orders of customer "ann".

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue as Sdk;
use aws_sdk_dynamodb::Client;
use dynamodb_mapper::{Connection, Document};
use futures::TryStreamExt;

use super::{hand_from_item, hand_to_item, order, Order};

/// The table, with orders 0..100 of "ann".
pub async fn setup(conn: &Connection) {
    conn.create_table::<Order>().await.expect("table");
    let all: Vec<Order> = (0..100).map(|i| order("ann", i)).collect();
    conn.save_batch(&all).await.expect("saved");
}

fn key(customer: &str, id: u64) -> HashMap<String, Sdk> {
    HashMap::from([
        ("customer".to_owned(), Sdk::S(customer.to_owned())),
        ("order_id".to_owned(), Sdk::N(id.to_string())),
    ])
}

pub async fn mapper_get(conn: &Connection) -> Document<Order> {
    conn.get::<Order>(("ann".into(), 42))
        .await
        .expect("get")
        .expect("found")
}

pub async fn raw_get(client: &Client) -> Order {
    let output = client
        .get_item()
        .table_name("orders")
        .set_key(Some(key("ann", 42)))
        .send()
        .await
        .expect("get");
    hand_from_item(output.item.expect("found"))
}

pub async fn mapper_save(conn: &Connection, order: &Order) {
    let mut doc = Document::new(order.clone());
    conn.save(&mut doc).await.expect("saved")
}

pub async fn raw_save(client: &Client, order: &Order) {
    let order = order.clone();
    client
        .put_item()
        .table_name("orders")
        .set_item(Some(hand_to_item(&order)))
        .send()
        .await
        .expect("saved");
}

pub async fn mapper_query(conn: &Connection) -> Vec<Document<Order>> {
    let all: Vec<_> = conn
        .query::<Order>("ann".into())
        .try_collect()
        .await
        .expect("query");
    assert_eq!(all.len(), 100);
    all
}

pub async fn raw_query(client: &Client) -> Vec<Order> {
    let output = client
        .query()
        .table_name("orders")
        .key_condition_expression("#h = :h")
        .expression_attribute_names("#h", "customer")
        .expression_attribute_values(":h", Sdk::S("ann".into()))
        .send()
        .await
        .expect("query");
    let orders: Vec<Order> = output
        .items
        .unwrap_or_default()
        .into_iter()
        .map(hand_from_item)
        .collect();
    assert_eq!(orders.len(), 100);
    orders
}
