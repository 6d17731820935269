//! Model <-> item conversion: the mapper against hand-written code for the
//! same struct, and against serde_dynamo.

mod support;

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue as Sdk;
use criterion::{criterion_group, criterion_main, Criterion};
use dynamodb_mapper::Model;
use std::hint::black_box;
use support::{hand_from_item, hand_to_item, order, Order};

fn to_item(c: &mut Criterion) {
    let o = order("ann", 42);
    let mut group = c.benchmark_group("conversion/to_item");
    group.bench_function("mapper", |b| {
        b.iter(|| black_box(&o).to_item().expect("encodable"))
    });
    group.bench_function("hand_written", |b| b.iter(|| hand_to_item(black_box(&o))));
    group.bench_function("serde_dynamo", |b| {
        b.iter(|| {
            serde_dynamo::to_item::<_, HashMap<String, Sdk>>(black_box(&o)).expect("encodable")
        })
    });
    group.finish();
}

fn from_item(c: &mut Criterion) {
    let o = order("ann", 42);
    let ours = o.to_item().expect("encodable");
    let sdk = hand_to_item(&o);
    let serde_item: HashMap<String, Sdk> = serde_dynamo::to_item(&o).expect("encodable");
    let mut group = c.benchmark_group("conversion/from_item");
    group.bench_function("mapper", |b| {
        b.iter(|| Order::from_item(black_box(ours.clone())).expect("decodable"))
    });
    group.bench_function("hand_written", |b| {
        b.iter(|| hand_from_item(black_box(sdk.clone())))
    });
    group.bench_function("serde_dynamo", |b| {
        b.iter(|| {
            serde_dynamo::from_item::<_, Order>(black_box(serde_item.clone())).expect("decodable")
        })
    });
    // What cloning the input costs, in every row above alike.
    group.bench_function("clone_only", |b| b.iter(|| black_box(sdk.clone())));
    group.finish();
}

criterion_group!(benches, to_item, from_item);
criterion_main!(benches);
