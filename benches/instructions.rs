//! Not a timing benchmark: runs one of the over-HTTP calls of `support::calls`
//! a given number of times, for `scripts/bench-report --instructions` to count
//! the instructions of under `valgrind --tool=callgrind` (exact, where times on
//! a shared 2-core machine move by several percent).
//!
//!     instructions CALL N    CALL: get_mapper, get_raw, save_mapper, save_raw,
//!                                  save_loaded_mapper, save_loaded_raw (one
//!                                  loaded order saved again and again),
//!                                  query_mapper, query_raw, collection_mapper,
//!                                  collection_plain (embedded),
//!                                  save_batch_mapper, save_batch_raw,
//!                                  get_batch_mapper, get_batch_raw (1,000
//!                                  orders each), or setup (none)

mod support;

use dynamodb_mapper::operation::DEFAULT_BATCH_CONCURRENCY;
use futures::TryStreamExt;
use support::{batch, calls, collection, order, Order};

/// Orders in each batch call.
const BATCH: u64 = 1_000;

fn main() {
    // `cargo bench` passes `--bench`; only the two words after the program count.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let call = args.first().map(String::as_str).unwrap_or("setup");
    let times: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(0);
    let runtime = support::runtime();
    let (client, conn) = support::over_http();
    let fresh = order("bob", 7);
    // Batches work on orders of their own customer (the table's 100 orders
    // of "ann" are the query's); the batch gets read what one save wrote,
    // before the calls counted (count two numbers of calls and subtract).
    let orders: Vec<Order> = (0..BATCH).map(|i| order("bulk", i)).collect();
    let keys: Vec<(String, u64)> = (0..BATCH).map(|i| ("bulk".to_string(), i)).collect();
    let embedded = dynamodb_mapper::Connection::embedded().expect("an in-memory database");
    runtime.block_on(async {
        calls::setup(&conn).await;
        collection::setup(&embedded).await;
        if call.starts_with("get_batch") {
            conn.save_batch(&orders).await.expect("saved");
        }
        // Loaded once, saved `times` times with conflict detection.
        let mut loaded_document = None;
        let mut loaded_raw = None;
        if call == "save_loaded_mapper" {
            loaded_document = conn.get::<Order>(("ann".into(), 7)).await.expect("get");
        }
        if call == "save_loaded_raw" {
            let item = calls::raw_item(&client).await;
            loaded_raw = Some((support::hand_from_item(item.clone()), item));
        }
        for _ in 0..times {
            match call {
                "get_mapper" => drop(calls::mapper_get(&conn).await),
                "get_raw" => drop(calls::raw_get(&client).await),
                "save_mapper" => calls::mapper_save(&conn, &fresh).await,
                "save_raw" => calls::raw_save(&client, &fresh).await,
                "save_loaded_mapper" => {
                    let document = loaded_document.as_mut().expect("loaded");
                    calls::mapper_save_loaded(&conn, document).await
                }
                "save_loaded_raw" => {
                    let (order, item) = loaded_raw.as_mut().expect("loaded");
                    calls::raw_save_loaded(&client, order, item).await
                }
                "query_mapper" => drop(calls::mapper_query(&conn).await),
                "query_raw" => drop(calls::raw_query(&client).await),
                "save_batch_mapper" => {
                    conn.save_batch(&orders).await.expect("saved");
                }
                "save_batch_raw" => {
                    batch::hand_save_batch(&client, &orders, DEFAULT_BATCH_CONCURRENCY).await
                }
                "get_batch_mapper" => {
                    let found: Vec<_> = conn
                        .get_batch::<Order>(keys.clone())
                        .try_collect()
                        .await
                        .expect("read");
                    assert_eq!(found.len(), BATCH as usize);
                }
                "get_batch_raw" => {
                    let found =
                        batch::hand_get_batch(&client, "bulk", BATCH, DEFAULT_BATCH_CONCURRENCY)
                            .await;
                    assert_eq!(found.len(), BATCH as usize);
                }
                "collection_mapper" => collection::read_collection(&embedded).await,
                "collection_plain" => collection::read_plain(&embedded).await,
                "setup" => {}
                other => panic!("unknown call {other:?}"),
            }
        }
    });
}
