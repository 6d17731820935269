//! What the benchmarks share: a realistic model, the same struct converted by
//! hand and by serde_dynamo, and engine setup.
#![allow(dead_code)]

pub mod batch;
pub mod calls;
pub mod collection;
pub mod latency;

use std::collections::{BTreeMap, HashMap, HashSet};

use aws_sdk_dynamodb::types::AttributeValue as Sdk;
use chrono::{DateTime, Utc};
use dynamodb_mapper::{Attribute, Decimal, Model};
use serde::{Deserialize, Serialize};

/// One line of an order: a nested struct.
#[derive(Attribute, Serialize, Deserialize, Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub sku: String,
    pub quantity: u32,
    pub price: Decimal,
}

/// A realistic model: a dozen attributes of every common kind.
#[derive(Model, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[dynamodb(table = "orders", hash_key = "customer", range_key = "order_id")]
pub struct Order {
    pub customer: String,
    pub order_id: u64,
    pub total: Decimal,
    pub quantity: i32,
    pub status: String,
    pub notes: String,
    pub tags: HashSet<String>,
    pub lines: Vec<Line>,
    pub placed_at: DateTime<Utc>,
    pub coupon: Option<String>,
    #[dynamodb(json)]
    pub metadata: BTreeMap<String, serde_json::Value>,
    pub weight: f64,
}

pub fn order(customer: &str, order_id: u64) -> Order {
    Order {
        customer: customer.to_owned(),
        order_id,
        total: "1234.56".parse().expect("a decimal"),
        quantity: 3,
        status: "shipped".into(),
        notes: "leave at the door, ring twice".into(),
        tags: ["gift", "priority", "fragile"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        lines: (0..3)
            .map(|i| Line {
                sku: format!("SKU-{i:04}"),
                quantity: i + 1,
                price: "99.95".parse().expect("a decimal"),
            })
            .collect(),
        placed_at: "2026-11-24T12:30:01.000042Z".parse().expect("a datetime"),
        coupon: Some("WELCOME10".into()),
        metadata: BTreeMap::from([
            ("channel".into(), serde_json::json!("web")),
            ("ab".into(), serde_json::json!(7)),
        ]),
        weight: 2.75,
    }
}

fn s(v: &str) -> Sdk {
    Sdk::S(v.to_owned())
}

/// The item built by hand with the SDK's types, as the same struct's
/// conversion written without a mapper.
pub fn hand_to_item(o: &Order) -> HashMap<String, Sdk> {
    let mut item = HashMap::with_capacity(12);
    item.insert("customer".to_owned(), s(&o.customer));
    item.insert("order_id".to_owned(), Sdk::N(o.order_id.to_string()));
    item.insert("total".to_owned(), Sdk::N(o.total.to_string()));
    item.insert("quantity".to_owned(), Sdk::N(o.quantity.to_string()));
    item.insert("status".to_owned(), s(&o.status));
    item.insert("notes".to_owned(), s(&o.notes));
    item.insert("tags".to_owned(), Sdk::Ss(o.tags.iter().cloned().collect()));
    let lines = o
        .lines
        .iter()
        .map(|l| {
            let mut m = HashMap::with_capacity(3);
            m.insert("sku".to_owned(), s(&l.sku));
            m.insert("quantity".to_owned(), Sdk::N(l.quantity.to_string()));
            m.insert("price".to_owned(), Sdk::N(l.price.to_string()));
            Sdk::M(m)
        })
        .collect();
    item.insert("lines".to_owned(), Sdk::L(lines));
    item.insert(
        "placed_at".to_owned(),
        s(&o.placed_at
            .format("%Y-%m-%dT%H:%M:%S%.6f+00:00")
            .to_string()),
    );
    if let Some(coupon) = &o.coupon {
        item.insert("coupon".to_owned(), s(coupon));
    }
    item.insert(
        "metadata".to_owned(),
        s(&serde_json::to_string(&o.metadata).expect("json")),
    );
    item.insert("weight".to_owned(), Sdk::N(o.weight.to_string()));
    item
}

fn text(item: &mut HashMap<String, Sdk>, name: &str) -> String {
    match item.remove(name) {
        Some(Sdk::S(v)) => v,
        _ => String::new(),
    }
}

fn number<T: std::str::FromStr + Default>(item: &mut HashMap<String, Sdk>, name: &str) -> T {
    match item.remove(name) {
        Some(Sdk::N(v)) => v.parse().unwrap_or_default(),
        _ => T::default(),
    }
}

/// The struct read back by hand from the SDK's item.
pub fn hand_from_item(mut item: HashMap<String, Sdk>) -> Order {
    let lines = match item.remove("lines") {
        Some(Sdk::L(lines)) => lines
            .into_iter()
            .filter_map(|l| match l {
                Sdk::M(mut m) => Some(Line {
                    sku: text(&mut m, "sku"),
                    quantity: number(&mut m, "quantity"),
                    price: match m.remove("price") {
                        Some(Sdk::N(v)) => v.parse().unwrap_or_default(),
                        _ => Decimal::ZERO,
                    },
                }),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Order {
        customer: text(&mut item, "customer"),
        order_id: number(&mut item, "order_id"),
        total: match item.remove("total") {
            Some(Sdk::N(v)) => v.parse().unwrap_or_default(),
            _ => Decimal::ZERO,
        },
        quantity: number(&mut item, "quantity"),
        status: text(&mut item, "status"),
        notes: text(&mut item, "notes"),
        tags: match item.remove("tags") {
            Some(Sdk::Ss(v)) => v.into_iter().collect(),
            _ => HashSet::new(),
        },
        lines,
        placed_at: text(&mut item, "placed_at").parse().unwrap_or_default(),
        coupon: match item.remove("coupon") {
            Some(Sdk::S(v)) => Some(v),
            _ => None,
        },
        metadata: serde_json::from_str(&text(&mut item, "metadata")).unwrap_or_default(),
        weight: number(&mut item, "weight"),
    }
}

/// dynoxide's HTTP server on a fresh database, on a free port, served by a
/// runtime of its own with tokio's default worker count (one per core), as
/// dynoxide's own server binary runs.
pub fn start_dynoxide_http() -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let address = listener.local_addr().expect("address");
            sender.send(format!("http://{address}")).expect("send");
            dynoxide::server::serve_on(listener, dynoxide::Database::memory().expect("db")).await;
        });
    });
    receiver.recv().expect("the server's address")
}

/// An SDK client for a local endpoint, with dummy credentials.
pub fn sdk_client(endpoint: &str) -> aws_sdk_dynamodb::Client {
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    let config = aws_sdk_dynamodb::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("bench", "bench", None, None, "bench"))
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

/// The runtime the benchmarks' client side runs on: one thread.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// A fresh dynoxide HTTP server, with a raw SDK client and a mapper
/// connection (the `aws` engine) both talking to it.
pub fn over_http() -> (aws_sdk_dynamodb::Client, dynamodb_mapper::Connection) {
    let client = sdk_client(&start_dynoxide_http());
    (
        client.clone(),
        dynamodb_mapper::Connection::from_client(client),
    )
}
