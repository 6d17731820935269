//! Vector search of k = 10 over 10,000 vectors of 64 dimensions: the
//! mapper's `conn.search` (documents, every declared attribute) against
//! dynoxide's `search_vectors` called directly with the same request and
//! the items decoded by hand, in one run.

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use dynamodb_mapper::engine::EmbeddedEngine;
use dynamodb_mapper::{Connection, Model, Vector};
use dynoxide::actions::search_vectors::SearchVectorsRequest;
use dynoxide::types::AttributeValue as Dx;
use futures::TryStreamExt;

const DIMENSIONS: usize = 64;
const VECTORS: u32 = 10_000;
const K: u32 = 10;

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(
    table = "embeddings",
    hash_key = "id",
    vector_index(name = "by_meaning", vector = "embedding", distance = "cosine")
)]
struct Embedded {
    id: u32,
    label: String,
    embedding: Vector<DIMENSIONS>,
}

/// The same thing decoded by hand from dynoxide's items.
#[allow(dead_code)]
struct Hand {
    score: f64,
    id: u32,
    label: String,
    embedding: [f32; DIMENSIONS],
}

/// A deterministic vector for `seed` (xorshift components in -1..1).
fn vector(seed: u32) -> Vector<DIMENSIONS> {
    let mut state = u64::from(seed).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut components = [0.0f32; DIMENSIONS];
    for c in &mut components {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        *c = (state % 2_000) as f32 / 1_000.0 - 1.0;
    }
    Vector::new(components)
}

fn number(value: Option<&Dx>) -> Option<&str> {
    match value {
        Some(Dx::N(n)) => Some(n),
        _ => None,
    }
}

fn by_hand(score: f64, item: &HashMap<String, Dx>) -> Option<Hand> {
    let mut embedding = [0.0f32; DIMENSIONS];
    match item.get("embedding") {
        Some(Dx::L(list)) if list.len() == DIMENSIONS => {
            for (c, v) in embedding.iter_mut().zip(list) {
                *c = number(Some(v))?.parse().ok()?;
            }
        }
        _ => return None,
    }
    let label = match item.get("label") {
        Some(Dx::S(s)) => s.clone(),
        _ => String::new(),
    };
    Some(Hand {
        score,
        id: number(item.get("id"))?.parse().ok()?,
        label,
        embedding,
    })
}

fn benches(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let engine = EmbeddedEngine::memory().expect("an in-memory database");
    let db = engine.database().clone();
    let conn = Connection::new(engine);
    runtime.block_on(async {
        conn.create_table::<Embedded>().await.expect("table");
        let all: Vec<Embedded> = (0..VECTORS)
            .map(|id| Embedded {
                id,
                label: format!("item {id}"),
                embedding: vector(id),
            })
            .collect();
        conn.save_batch(&all).await.expect("stored");
    });
    let query = vector(VECTORS + 1);

    let mut group = c.benchmark_group("vector_search/k10_of_10000");
    group.sample_size(20);
    group.bench_function("mapper", |b| {
        b.to_async(&runtime).iter(|| async {
            let hits: Vec<_> = conn
                .search(Embedded::indexes().by_meaning, black_box(&query))
                .k(K)
                .try_collect()
                .await
                .expect("searched");
            assert_eq!(hits.len(), K as usize);
            hits
        })
    });
    group.bench_function("dynoxide_direct", |b| {
        b.iter(|| {
            let request = SearchVectorsRequest {
                table_name: "embeddings".to_owned(),
                index_name: "by_meaning".to_owned(),
                search_vector: black_box(&query)
                    .iter()
                    .map(|c| Dx::N(c.to_string()))
                    .collect(),
                top_k: i64::from(K),
                projection_expression: Some("#0, #1, #2".to_owned()),
                expression_attribute_names: Some(HashMap::from([
                    ("#0".to_owned(), "id".to_owned()),
                    ("#1".to_owned(), "label".to_owned()),
                    ("#2".to_owned(), "embedding".to_owned()),
                ])),
                ..Default::default()
            };
            let response = db.search_vectors(request).expect("searched");
            let hits: Vec<Hand> = response
                .search_results
                .iter()
                .filter_map(|r| by_hand(r.score, &r.item))
                .collect();
            assert_eq!(hits.len(), K as usize);
            hits
        })
    });
    group.finish();
}

criterion_group!(vector_search, benches);
criterion_main!(vector_search);
