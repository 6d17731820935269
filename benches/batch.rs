//! Batches against loops of single requests, over HTTP (dynoxide's server on
//! 127.0.0.1): save_batch and get_batch of 10,000 items.

mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use dynamodb_mapper::Document;
use futures::TryStreamExt;
use support::{order, Order};

const ITEMS: u64 = 10_000;
/// Batch requests in flight at once.
const IN_FLIGHT: usize = 8;

fn benches(c: &mut Criterion) {
    let runtime = support::runtime();
    let (_, conn) = support::over_http();
    runtime.block_on(async { conn.create_table::<Order>().await.expect("table") });
    let all: Vec<Order> = (0..ITEMS).map(|i| order("ann", i)).collect();
    let keys: Vec<(String, u64)> = (0..ITEMS).map(|i| ("ann".to_string(), i)).collect();

    let mut group = c.benchmark_group("batch/save_10000");
    group.sample_size(10);
    group.bench_function("save_batch", |b| {
        b.to_async(&runtime).iter(|| async {
            conn.save_batch(&all)
                .concurrency(IN_FLIGHT)
                .await
                .expect("saved")
        })
    });
    group.bench_function("single_saves", |b| {
        b.to_async(&runtime).iter(|| async {
            for o in &all {
                conn.save(&mut Document::new(o.clone()))
                    .await
                    .expect("saved");
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("batch/get_10000");
    group.sample_size(10);
    group.bench_function("get_batch", |b| {
        b.to_async(&runtime).iter(|| async {
            let found: Vec<_> = conn
                .get_batch::<Order>(keys.clone())
                .concurrency(IN_FLIGHT)
                .try_collect()
                .await
                .expect("read");
            assert_eq!(found.len(), ITEMS as usize);
        })
    });
    group.bench_function("single_gets", |b| {
        b.to_async(&runtime).iter(|| async {
            for key in &keys {
                conn.get::<Order>(key.clone())
                    .await
                    .expect("read")
                    .expect("found");
            }
        })
    });
    group.finish();
}

criterion_group!(batch, benches);
criterion_main!(batch);
