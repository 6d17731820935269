//! The mapper's `aws` engine against raw `aws-sdk-dynamodb` calls with
//! hand-built requests, both against the same dynoxide HTTP server on 127.0.0.1.

mod support;

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue as Sdk;
use criterion::{criterion_group, criterion_main, Criterion};
use dynamodb_mapper::{Connection, Document};
use futures::TryStreamExt;
use std::hint::black_box;
use support::{hand_from_item, hand_to_item, order, Order};

fn key(customer: &str, id: u64) -> HashMap<String, Sdk> {
    HashMap::from([
        ("customer".to_owned(), Sdk::S(customer.to_owned())),
        ("order_id".to_owned(), Sdk::N(id.to_string())),
    ])
}

fn benches(c: &mut Criterion) {
    let endpoint = support::start_dynoxide_http();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let client = support::sdk_client(&endpoint);
    let conn = Connection::from_client(client.clone());
    runtime.block_on(async {
        conn.create_table::<Order>().await.expect("table");
        let all: Vec<Order> = (0..100).map(|i| order("ann", i)).collect();
        conn.save_batch(&all).await.expect("saved");
    });

    let mut group = c.benchmark_group("over_http/get");
    group.bench_function("mapper", |b| {
        b.to_async(&runtime).iter(|| async {
            conn.get::<Order>(("ann".into(), 42))
                .await
                .expect("get")
                .expect("found")
        })
    });
    group.bench_function("raw_sdk", |b| {
        b.to_async(&runtime).iter(|| async {
            let output = client
                .get_item()
                .table_name("orders")
                .set_key(Some(key("ann", 42)))
                .send()
                .await
                .expect("get");
            hand_from_item(output.item.expect("found"))
        })
    });
    group.finish();

    let fresh = order("bob", 7);
    let mut group = c.benchmark_group("over_http/save");
    group.bench_function("mapper", |b| {
        b.to_async(&runtime).iter(|| async {
            let mut doc = Document::new(black_box(&fresh).clone());
            conn.save(&mut doc).await.expect("saved")
        })
    });
    group.bench_function("raw_sdk", |b| {
        b.to_async(&runtime).iter(|| async {
            let o = black_box(&fresh).clone();
            client
                .put_item()
                .table_name("orders")
                .set_item(Some(hand_to_item(&o)))
                .send()
                .await
                .expect("saved")
        })
    });
    group.finish();

    let mut group = c.benchmark_group("over_http/query_100");
    group.bench_function("mapper", |b| {
        b.to_async(&runtime).iter(|| async {
            let all: Vec<_> = conn
                .query::<Order>("ann".into())
                .try_collect()
                .await
                .expect("query");
            assert_eq!(all.len(), 100);
        })
    });
    group.bench_function("raw_sdk", |b| {
        b.to_async(&runtime).iter(|| async {
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
        })
    });
    group.finish();
}

criterion_group!(over_http, benches);
criterion_main!(over_http);
