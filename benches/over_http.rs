//! The mapper's `aws` engine against raw `aws-sdk-dynamodb` calls with
//! hand-built requests, both against the same dynoxide HTTP server on 127.0.0.1.

mod support;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use support::{calls, order};

fn benches(c: &mut Criterion) {
    let runtime = support::runtime();
    let (client, conn) = support::over_http();
    runtime.block_on(calls::setup(&conn));

    let mut group = c.benchmark_group("over_http/get");
    group.bench_function("mapper", |b| {
        b.to_async(&runtime).iter(|| calls::mapper_get(&conn))
    });
    group.bench_function("raw_sdk", |b| {
        b.to_async(&runtime).iter(|| calls::raw_get(&client))
    });
    group.finish();

    let fresh = order("bob", 7);
    let mut group = c.benchmark_group("over_http/save");
    group.bench_function("mapper", |b| {
        b.to_async(&runtime)
            .iter(|| calls::mapper_save(&conn, black_box(&fresh)))
    });
    group.bench_function("raw_sdk", |b| {
        b.to_async(&runtime)
            .iter(|| calls::raw_save(&client, black_box(&fresh)))
    });
    group.finish();

    let mut group = c.benchmark_group("over_http/query_100");
    group.bench_function("mapper", |b| {
        b.to_async(&runtime).iter(|| calls::mapper_query(&conn))
    });
    group.bench_function("raw_sdk", |b| {
        b.to_async(&runtime).iter(|| calls::raw_query(&client))
    });
    group.finish();
}

criterion_group!(over_http, benches);
criterion_main!(over_http);
