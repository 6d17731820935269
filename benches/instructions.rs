//! Not a timing benchmark: runs one of the over-HTTP calls of `support::calls`
//! a given number of times, for `scripts/bench-report --instructions` to count
//! the instructions of under `valgrind --tool=callgrind` (exact, where times on
//! a shared 2-core machine move by several percent).
//!
//!     instructions CALL N    CALL: get_mapper, get_raw, save_mapper, save_raw,
//!                                  query_mapper, query_raw, collection_mapper,
//!                                  collection_plain (embedded), or setup (none)

mod support;

use support::{calls, collection, order};

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
    let embedded = dynamodb_mapper::Connection::embedded().expect("an in-memory database");
    runtime.block_on(async {
        calls::setup(&conn).await;
        collection::setup(&embedded).await;
        for _ in 0..times {
            match call {
                "get_mapper" => drop(calls::mapper_get(&conn).await),
                "get_raw" => drop(calls::raw_get(&client).await),
                "save_mapper" => calls::mapper_save(&conn, &fresh).await,
                "save_raw" => calls::raw_save(&client, &fresh).await,
                "query_mapper" => drop(calls::mapper_query(&conn).await),
                "query_raw" => drop(calls::raw_query(&client).await),
                "collection_mapper" => collection::read_collection(&embedded).await,
                "collection_plain" => collection::read_plain(&embedded).await,
                "setup" => {}
                other => panic!("unknown call {other:?}"),
            }
        }
    });
}
