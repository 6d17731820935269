//! An AWS Lambda handler of the `orders` table's stream: it keeps a read
//! model, `order_search` (orders by status), in step with the orders, from
//! typed changes.
//!
//! - In Lambda (`AWS_LAMBDA_RUNTIME_API` set), it serves events through
//!   `lambda_runtime`, writing through the `aws` engine.
//! - Anywhere else, `cargo run -p lambda-handler-example [event.json]` runs
//!   the handler once on a recorded event (by default `event.json` beside
//!   this crate, in the shape AWS documents), on the embedded engine, and
//!   prints the partial batch response and the read model.
//!
//! Lambda delivers records at least once, so the handler only makes writes
//! that may be repeated: puts and deletes of the read model's items. A record
//! that does not decode (the recorded event has one: a total stored as text)
//! is reported in `batchItemFailures`, with every record after it, for Lambda
//! to send again (and, after its retries, to the mapping's failure
//! destination).

use aws_lambda_events::event::dynamodb::Event;
use aws_lambda_events::event::streams::DynamoDbEventResponse;
use dynamodb_mapper::streams::lambda::process_changes;
use dynamodb_mapper::streams::Change;
use dynamodb_mapper::{Connection, Document, Error, Model};
use lambda_runtime::{service_fn, LambdaEvent};

/// The table whose stream the function reads.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "orders", hash_key = "order_id", stream = "new_and_old_images")]
pub struct Order {
    pub order_id: String,
    pub customer: String,
    pub status: String,
    /// In cents.
    pub total: u64,
}

/// The read model: orders by status.
#[derive(Model, Debug, Clone, PartialEq, Default)]
#[dynamodb(table = "order_search", hash_key = "status", range_key = "order_id")]
pub struct OrderByStatus {
    pub status: String,
    pub order_id: String,
    pub customer: String,
    pub total: u64,
}

impl From<&Order> for OrderByStatus {
    fn from(order: &Order) -> Self {
        OrderByStatus {
            status: order.status.clone(),
            order_id: order.order_id.clone(),
            customer: order.customer.clone(),
            total: order.total,
        }
    }
}

/// Brings the read model in step with one change: repeatable writes only.
async fn apply(conn: &Connection, change: Change<Document<Order>>) -> Result<(), Error> {
    let (old, new) = (change.old_image().cloned(), change.new_image().cloned());
    if let Some(old) = old.filter(|old| new.as_ref().is_none_or(|new| new.status != old.status)) {
        let key = (old.status.clone(), old.order_id.clone());
        conn.delete_batch::<OrderByStatus>([key]).await?;
    }
    if let Some(new) = new {
        conn.save_batch([&OrderByStatus::from(&*new)]).await?;
    }
    Ok(())
}

/// The Lambda handler: each record in order, failures reported to Lambda.
pub async fn handler(
    conn: &Connection,
    event: LambdaEvent<Event>,
) -> Result<DynamoDbEventResponse, Error> {
    process_changes::<Order, _, _, _>(&event.payload, |change| async move {
        apply(conn, change?.change).await
    })
    .await
}

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    if std::env::var_os("AWS_LAMBDA_RUNTIME_API").is_some() {
        let conn = Connection::aws().await;
        let conn = &conn;
        return lambda_runtime::run(service_fn(move |event| async move {
            handler(conn, event)
                .await
                .map_err(lambda_runtime::Error::from)
        }))
        .await;
    }
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/event.json").to_owned());
    let event: Event = serde_json::from_slice(&std::fs::read(&path)?)?;
    let conn = Connection::embedded()?;
    conn.create_table::<OrderByStatus>().await?;
    let response = handler(&conn, LambdaEvent::new(event, Default::default())).await?;
    println!("response: {}", serde_json::to_string(&response)?);
    let placed = read_model(&conn, "PLACED").await?;
    let shipped = read_model(&conn, "SHIPPED").await?;
    println!("placed: {placed:?}\nshipped: {shipped:?}");
    Ok(())
}

/// The read model's orders of one status.
pub async fn read_model(conn: &Connection, status: &str) -> Result<Vec<String>, Error> {
    use futures::TryStreamExt;
    let orders: Vec<Document<OrderByStatus>> = conn
        .query::<OrderByStatus>(status.to_owned())
        .try_collect()
        .await?;
    Ok(orders.iter().map(|o| o.order_id.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_recorded_event_updates_the_read_model_and_reports_the_bad_record() {
        let event: Event =
            serde_json::from_str(include_str!("../event.json")).expect("the recorded event");
        let conn = Connection::embedded().expect("embedded");
        conn.create_table::<OrderByStatus>().await.expect("table");
        let response = handler(&conn, LambdaEvent::new(event.clone(), Default::default()))
            .await
            .expect("handled");
        let json = serde_json::to_value(&response).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"batchItemFailures": [{"itemIdentifier": "4421584500000000017450439094"}]})
        );
        assert_eq!(read_model(&conn, "PLACED").await.unwrap(), ["o-2"]);
        assert_eq!(read_model(&conn, "SHIPPED").await.unwrap(), ["o-1"]);
        // Delivered again (at least once): the same read model.
        handler(&conn, LambdaEvent::new(event, Default::default()))
            .await
            .expect("handled again");
        assert_eq!(read_model(&conn, "PLACED").await.unwrap(), ["o-2"]);
        assert_eq!(read_model(&conn, "SHIPPED").await.unwrap(), ["o-1"]);
    }
}
