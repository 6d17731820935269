//! Bulk work written by hand on the raw SDK, as a careful user would: batch
//! calls, a loop over unprocessed items, a given number of requests in
//! flight, items converted by hand (`super::hand_to_item`).

use std::collections::HashMap;
use std::time::Duration;

use aws_sdk_dynamodb::types::{AttributeValue as Sdk, KeysAndAttributes, PutRequest, WriteRequest};
use aws_sdk_dynamodb::Client;
use futures::StreamExt;

use super::{hand_from_item, hand_to_item, Order};

fn key(customer: &str, order_id: u64) -> HashMap<String, Sdk> {
    HashMap::from([
        ("customer".to_owned(), Sdk::S(customer.to_owned())),
        ("order_id".to_owned(), Sdk::N(order_id.to_string())),
    ])
}

/// BatchWriteItem by hand: requests of 25, `in_flight` at once, unprocessed
/// items sent again after a short wait.
pub async fn hand_save_batch(client: &Client, orders: &[Order], in_flight: usize) {
    let requests: Vec<Vec<WriteRequest>> = orders
        .chunks(25)
        .map(|chunk| {
            chunk
                .iter()
                .map(|o| {
                    let put = PutRequest::builder().set_item(Some(hand_to_item(o)));
                    WriteRequest::builder()
                        .put_request(put.build().expect("a put"))
                        .build()
                })
                .collect()
        })
        .collect();
    futures::stream::iter(requests)
        .map(|mut writes| async move {
            for attempt in 0..10u32 {
                let output = client
                    .batch_write_item()
                    .request_items("orders", writes)
                    .send()
                    .await
                    .expect("batch write");
                match output
                    .unprocessed_items
                    .and_then(|mut u| u.remove("orders"))
                {
                    Some(left) if !left.is_empty() => writes = left,
                    _ => return,
                }
                tokio::time::sleep(Duration::from_millis(25 << attempt.min(5))).await;
            }
            panic!("writes left unprocessed");
        })
        .buffer_unordered(in_flight)
        .collect::<()>()
        .await;
}

/// BatchGetItem by hand of orders 0..count of `customer`: requests of 100 keys, `in_flight` at once,
/// unprocessed keys asked again, items decoded by hand.
pub async fn hand_get_batch(
    client: &Client,
    customer: &str,
    count: u64,
    in_flight: usize,
) -> Vec<Order> {
    let keys: Vec<_> = (0..count).map(|i| key(customer, i)).collect();
    let chunks: Vec<Vec<_>> = keys.chunks(100).map(<[_]>::to_vec).collect();
    futures::stream::iter(chunks)
        .map(|mut keys| async move {
            let mut found = Vec::with_capacity(keys.len());
            for attempt in 0..10u32 {
                let request = KeysAndAttributes::builder().set_keys(Some(keys));
                let output = client
                    .batch_get_item()
                    .request_items("orders", request.build().expect("keys"))
                    .send()
                    .await
                    .expect("batch get");
                let items = output.responses.and_then(|mut r| r.remove("orders"));
                found.extend(items.unwrap_or_default().into_iter().map(hand_from_item));
                match output.unprocessed_keys.and_then(|mut u| u.remove("orders")) {
                    Some(left) if !left.keys.is_empty() => keys = left.keys,
                    _ => return found,
                }
                tokio::time::sleep(Duration::from_millis(25 << attempt.min(5))).await;
            }
            panic!("keys left unprocessed");
        })
        .buffer_unordered(in_flight)
        .flat_map(futures::stream::iter)
        .collect()
        .await
}

/// A parallel Scan by hand: every segment at once, each paged to its end,
/// items decoded by hand.
pub async fn hand_parallel_scan(client: &Client, segments: u32) -> Vec<Order> {
    let walks = (0..segments).map(|segment| async move {
        let mut found = Vec::new();
        let mut start = None;
        loop {
            let output = client
                .scan()
                .table_name("orders")
                .segment(segment as i32)
                .total_segments(segments as i32)
                .set_exclusive_start_key(start)
                .send()
                .await
                .expect("scan");
            found.extend(
                output
                    .items
                    .unwrap_or_default()
                    .into_iter()
                    .map(hand_from_item),
            );
            start = output.last_evaluated_key;
            if start.is_none() {
                return found;
            }
        }
    });
    futures::future::join_all(walks)
        .await
        .into_iter()
        .flatten()
        .collect()
}
