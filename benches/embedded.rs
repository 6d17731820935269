//! The mapper on the embedded engine against calling dynoxide's `Database`
//! directly with requests built by hand; and a collection query of mixed
//! entities against a query of one plain model, both through the mapper.

mod support;

use std::collections::HashMap;

use criterion::{criterion_group, criterion_main, Criterion};
use dynamodb_mapper::engine::EmbeddedEngine;
use dynamodb_mapper::Connection;
use dynoxide::actions::{get_item::GetItemRequest, put_item::PutItemRequest, query::QueryRequest};
use dynoxide::types::AttributeValue as Dx;
use std::hint::black_box;
use support::{calls, collection, order, Order};

fn dx_item(o: &Order) -> HashMap<String, Dx> {
    // The same item as the hand-written SDK conversion, in dynoxide's types.
    support::hand_to_item(o)
        .into_iter()
        .map(|(k, v)| (k, dx(v)))
        .collect()
}

fn dx(v: aws_sdk_dynamodb::types::AttributeValue) -> Dx {
    use aws_sdk_dynamodb::types::AttributeValue as S;
    match v {
        S::S(v) => Dx::S(v),
        S::N(v) => Dx::N(v),
        S::Ss(v) => Dx::SS(v),
        S::L(v) => Dx::L(v.into_iter().map(dx).collect()),
        S::M(v) => Dx::M(v.into_iter().map(|(k, v)| (k, dx(v))).collect()),
        S::Bool(v) => Dx::BOOL(v),
        _ => Dx::NULL(true),
    }
}

fn key(customer: &str, id: u64) -> HashMap<String, Dx> {
    HashMap::from([
        ("customer".to_owned(), Dx::S(customer.to_owned())),
        ("order_id".to_owned(), Dx::N(id.to_string())),
    ])
}

fn benches(c: &mut Criterion) {
    let runtime = support::runtime();
    let engine = EmbeddedEngine::memory().expect("an in-memory database");
    let db = engine.database().clone();
    let conn = Connection::new(engine);
    runtime.block_on(calls::setup(&conn));
    let table = "orders".to_owned();

    let mut group = c.benchmark_group("embedded/get");
    group.bench_function("mapper", |b| {
        b.to_async(&runtime).iter(|| calls::mapper_get(&conn))
    });
    group.bench_function("dynoxide_direct", |b| {
        b.iter(|| {
            let request = GetItemRequest {
                table_name: table.clone(),
                key: key("ann", 42),
                ..Default::default()
            };
            let item = db.get_item(request).expect("get").item.expect("found");
            support::hand_from_item(item.into_iter().map(|(k, v)| (k, sdk(v))).collect())
        })
    });
    group.finish();

    let fresh = order("bob", 7);
    let mut group = c.benchmark_group("embedded/save");
    group.bench_function("mapper", |b| {
        b.to_async(&runtime)
            .iter(|| calls::mapper_save(&conn, black_box(&fresh)))
    });
    group.bench_function("dynoxide_direct", |b| {
        b.iter(|| {
            let o = black_box(&fresh).clone();
            let request = PutItemRequest {
                table_name: table.clone(),
                item: dx_item(&o),
                ..Default::default()
            };
            db.put_item(request).expect("saved")
        })
    });
    group.finish();

    let mut group = c.benchmark_group("embedded/query_100");
    group.bench_function("mapper", |b| {
        b.to_async(&runtime).iter(|| calls::mapper_query(&conn))
    });
    group.bench_function("dynoxide_direct", |b| {
        b.iter(|| {
            let request = QueryRequest {
                table_name: table.clone(),
                key_condition_expression: Some("#h = :h".into()),
                expression_attribute_names: Some(HashMap::from([("#h".into(), "customer".into())])),
                expression_attribute_values: Some(HashMap::from([(
                    ":h".into(),
                    Dx::S("ann".into()),
                )])),
                scan_index_forward: true,
                ..Default::default()
            };
            let items = db.query(request).expect("query").items.unwrap_or_default();
            let orders: Vec<Order> = items
                .into_iter()
                .map(|item| {
                    support::hand_from_item(item.into_iter().map(|(k, v)| (k, sdk(v))).collect())
                })
                .collect();
            assert_eq!(orders.len(), 100);
        })
    });
    group.finish();
}

fn collection(c: &mut Criterion) {
    let runtime = support::runtime();
    let conn = Connection::new(EmbeddedEngine::memory().expect("an in-memory database"));
    runtime.block_on(collection::setup(&conn));
    let mut group = c.benchmark_group("embedded/collection_100");
    group.bench_function("collection", |b| {
        b.to_async(&runtime)
            .iter(|| collection::read_collection(&conn))
    });
    group.bench_function("plain_query", |b| {
        b.to_async(&runtime).iter(|| collection::read_plain(&conn))
    });
    group.finish();
}

fn sdk(v: Dx) -> aws_sdk_dynamodb::types::AttributeValue {
    use aws_sdk_dynamodb::types::AttributeValue as S;
    match v {
        Dx::S(v) => S::S(v),
        Dx::N(v) => S::N(v),
        Dx::SS(v) => S::Ss(v),
        Dx::L(v) => S::L(v.into_iter().map(sdk).collect()),
        Dx::M(v) => S::M(v.into_iter().map(|(k, v)| (k, sdk(v))).collect()),
        Dx::BOOL(v) => S::Bool(v),
        _ => S::Null(true),
    }
}

criterion_group!(embedded, benches, collection);
criterion_main!(embedded);
