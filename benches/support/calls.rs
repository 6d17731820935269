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

/// A save of a loaded object with conflict detection, one field changed.
pub async fn mapper_save_loaded(conn: &Connection, document: &mut Document<Order>) {
    document.quantity += 1;
    conn.save(document)
        .raise_on_conflict()
        .await
        .expect("saved")
}

/// The same by hand: an UpdateItem of every attribute, on the condition
/// that every loaded attribute is unchanged and the absent ones still
/// absent, answering the item (the next save's condition).
pub async fn raw_save_loaded(
    client: &Client,
    order: &mut Order,
    loaded: &mut HashMap<String, Sdk>,
) {
    order.quantity += 1;
    let item = hand_to_item(order);
    let mut names = HashMap::new();
    let mut values = HashMap::new();
    let (mut set, mut remove, mut condition) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (name, value)) in item.iter().enumerate() {
        if name != "customer" && name != "order_id" {
            names.insert(format!("#s{i}"), name.clone());
            values.insert(format!(":s{i}"), value.clone());
            set.push(format!("#s{i} = :s{i}"));
        }
    }
    for (i, (name, value)) in loaded.iter().enumerate() {
        names.insert(format!("#c{i}"), name.clone());
        values.insert(format!(":c{i}"), value.clone());
        condition.push(format!("#c{i} = :c{i}"));
    }
    if !item.contains_key("coupon") {
        names.insert("#coupon".to_owned(), "coupon".to_owned());
        remove.push("#coupon".to_owned());
        if !loaded.contains_key("coupon") {
            condition.push("attribute_not_exists(#coupon)".to_owned());
        }
    }
    let mut update = format!("SET {}", set.join(", "));
    if !remove.is_empty() {
        update.push_str(&format!(" REMOVE {}", remove.join(", ")));
    }
    let output = client
        .update_item()
        .table_name("orders")
        .set_key(Some(key(&order.customer, order.order_id)))
        .update_expression(update)
        .condition_expression(condition.join(" AND "))
        .set_expression_attribute_names(Some(names))
        .set_expression_attribute_values(Some(values))
        .return_values(aws_sdk_dynamodb::types::ReturnValue::AllNew)
        .send()
        .await
        .expect("saved");
    *loaded = output.attributes.expect("answered");
}

/// The stored item of order 7 of "ann", as raw SDK values.
pub async fn raw_item(client: &Client) -> HashMap<String, Sdk> {
    client
        .get_item()
        .table_name("orders")
        .set_key(Some(key("ann", 7)))
        .send()
        .await
        .expect("get")
        .item
        .expect("found")
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
