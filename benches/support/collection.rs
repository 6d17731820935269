//! The collection benchmark's models: two entities sharing a partition, and
//! a plain model storing the same attributes (the baseline).

use dynamodb_mapper::{Collection, Connection, Model};
use futures::TryStreamExt;

/// The baseline of the collection query: one model keyed by fields, storing
/// the same attributes as the entities below (string keys `pk`/`sk` and a
/// type name beside the fields), so that both queries read the same bytes
/// and the ratio is the cost of reading them as a collection.
#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "plain", hash_key = "pk", range_key = "sk")]
pub struct PlainOrder {
    pub pk: String,
    pub sk: String,
    pub entity: String,
    pub customer: String,
    pub number: u32,
    pub status: String,
    pub total: i64,
    pub note: String,
}

/// Two entities sharing a partition, with as many fields of their own.
#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "shared", pk = "CUSTOMER#{customer}", sk = "ORDER#{number}")]
pub struct EntityOrder {
    pub customer: String,
    pub number: u32,
    pub status: String,
    pub total: i64,
    pub note: String,
}

#[derive(Model, Debug, Clone, Default)]
#[dynamodb(table = "shared", pk = "CUSTOMER#{customer}", sk = "RETURN#{number}")]
pub struct EntityReturn {
    pub customer: String,
    pub number: u32,
    pub reason: String,
    pub refund: i64,
    pub note: String,
}

#[derive(Collection)]
pub enum CustomerData {
    Order(EntityOrder),
    Return(EntityReturn),
}

/// 100 plain orders, and 50 orders with 50 returns in one partition.
pub async fn setup(conn: &Connection) {
    conn.create_table::<PlainOrder>().await.expect("table");
    conn.create_table::<EntityOrder>().await.expect("table");
    let plain: Vec<PlainOrder> = (0..100)
        .map(|n| PlainOrder {
            pk: "CUSTOMER#ann".into(),
            sk: format!("ORDER#{n:010}"),
            entity: "PlainOrder".into(),
            customer: "ann".into(),
            number: n,
            status: "open".into(),
            total: 1000 + i64::from(n),
            note: "leave at the door".into(),
        })
        .collect();
    conn.save_batch(&plain).await.expect("saved");
    let orders: Vec<EntityOrder> = (0..50)
        .map(|n| EntityOrder {
            customer: "ann".into(),
            number: n,
            status: "open".into(),
            total: 1000 + i64::from(n),
            note: "leave at the door".into(),
        })
        .collect();
    let returns: Vec<EntityReturn> = (0..50)
        .map(|n| EntityReturn {
            customer: "ann".into(),
            number: n,
            reason: "broken".into(),
            refund: 500 + i64::from(n),
            note: "leave at the door".into(),
        })
        .collect();
    conn.save_batch(&orders).await.expect("saved");
    conn.save_batch(&returns).await.expect("saved");
}

/// A collection query of the 100 mixed items.
pub async fn read_collection(conn: &Connection) {
    let items: Vec<CustomerData> = conn
        .collection::<CustomerData>(EntityOrderPk {
            customer: "ann".into(),
        })
        .try_collect()
        .await
        .expect("queried");
    let orders = items
        .iter()
        .filter(|i| matches!(i, CustomerData::Order(o) if o.total > 0))
        .count();
    let returns = items
        .iter()
        .filter(|i| matches!(i, CustomerData::Return(r) if r.refund > 0))
        .count();
    assert_eq!((orders, returns), (50, 50));
}

/// A query of the 100 plain items.
pub async fn read_plain(conn: &Connection) {
    let items: Vec<_> = conn
        .query::<PlainOrder>("CUSTOMER#ann".into())
        .try_collect()
        .await
        .expect("queried");
    assert_eq!(items.len(), 100);
}
