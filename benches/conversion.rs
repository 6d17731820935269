//! Model <-> item conversion: the mapper against hand-written code for the
//! same struct, and against serde_dynamo.

mod support;

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue as Sdk;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
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
    // Each reader consumes its item: the copy it gets is made outside the timing.
    group.bench_function("mapper", |b| {
        b.iter_batched(
            || ours.clone(),
            |item| Order::from_item(black_box(item)).expect("decodable"),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("hand_written", |b| {
        b.iter_batched(
            || sdk.clone(),
            |item| hand_from_item(black_box(item)),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("serde_dynamo", |b| {
        b.iter_batched(
            || serde_item.clone(),
            |item| serde_dynamo::from_item::<_, Order>(black_box(item)).expect("decodable"),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, to_item, from_item);
criterion_main!(benches);
