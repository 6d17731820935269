//! [`Query`]: the objects under one hash key, as a lazy stream.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{BoxStream, Stream, StreamExt};

use super::paging::{self, Page, PageRequest, Paging};
use super::Cursor;
use crate::attribute::KeyAttribute;
use crate::engine::request::QueryInput;
use crate::error::Error;
use crate::expression::{Comparison, Condition, KeyCondition, Path, Placeholders};
use crate::model::{Document, Model};
use crate::Connection;

/// A query, in range key order; a [`Stream`] of documents. Built by
/// [`Connection::query`]; paging is hidden.
///
/// ```
/// # use dynamodb_mapper::{Connection, KeyCondition, Model};
/// # use futures::TryStreamExt;
/// # #[derive(Model, Debug, Clone, Default)]
/// # #[dynamodb(table = "doom_map", hash_key = "episode", range_key = "map")]
/// # struct DoomMap { episode: i64, map: i64, name: String }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> dynamodb_mapper::Result<()> {
/// # let conn = Connection::embedded()?;
/// # conn.create_table::<DoomMap>().await?;
/// let after_5: Vec<_> = conn
///     .query::<DoomMap>(1)
///     .range(KeyCondition::Gt(5))
///     .try_collect()
///     .await?;
/// # assert!(after_5.is_empty());
/// # Ok(()) }
/// ```
#[must_use = "a query does nothing until its stream is polled"]
pub struct Query<M: Model> {
    conn: Connection,
    hash: M::HashKey,
    range: Option<Result<Condition, Error>>,
    filter: Option<Condition>,
    reverse: bool,
    paging: Paging,
    consistent_read: bool,
    stream: Option<BoxStream<'static, Result<Document<M>, Error>>>,
}

impl<M: Model> Query<M> {
    pub(crate) fn new(conn: Connection, hash: M::HashKey) -> Self {
        Query {
            conn,
            hash,
            range: None,
            filter: None,
            reverse: false,
            paging: Paging::default(),
            consistent_read: false,
            stream: None,
        }
    }

    /// Only objects whose range key meets `condition`.
    pub fn range(mut self, condition: KeyCondition<M::RangeKey>) -> Self
    where
        M::RangeKey: KeyAttribute,
    {
        self.range = Some(range_condition::<M>(condition));
        self
    }

    /// Only objects meeting `filter` (applied after reading: it saves no capacity).
    pub fn filter(mut self, filter: Condition) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Descending range key order.
    pub fn reverse(mut self) -> Self {
        self.reverse = true;
        self
    }

    /// At most `limit` objects in all (across pages).
    pub fn limit(mut self, limit: usize) -> Self {
        self.paging.limit = Some(limit);
        self
    }

    /// At most `items` items read per request (DynamoDB's `Limit`); the
    /// stream still goes on to the next page.
    pub fn page_size(mut self, items: u32) -> Self {
        self.paging.page_size = Some(items.max(1));
        self
    }

    /// Resumes after `cursor`, from a [`Page`] of an earlier walk.
    pub fn start_after(mut self, cursor: Cursor) -> Self {
        self.paging.start_after = Some(cursor);
        self
    }

    /// Reads with strong consistency.
    pub fn consistent_read(mut self) -> Self {
        self.consistent_read = true;
        self
    }

    /// The pages instead of the items, each with the [`Cursor`] to resume after it.
    pub fn pages(mut self) -> BoxStream<'static, Result<Page<M>, Error>> {
        let request = self.request().map(PageRequest::Query);
        let keys = paging::table_key_names::<M>();
        paging::pages(self.conn.clone(), request, keys, self.paging.clone())
    }

    fn request(&mut self) -> Result<QueryInput, Error> {
        let schema = M::SCHEMA;
        let mut placeholders = Placeholders::default();
        let hash = M::hash_key_value(&self.hash)?;
        let hash_item = crate::Item::from([(schema.hash_key.attribute.to_owned(), hash.clone())]);
        crate::features::auto_increment::refuse_counter_key::<M>(&hash_item)?;
        let hash_condition = Condition::Compare(
            Path::attribute(schema.hash_key.attribute),
            Comparison::Eq,
            hash,
        );
        let key_condition = match self.range.take().transpose()? {
            Some(range) => hash_condition.and(range),
            None => hash_condition,
        };
        let key_condition = placeholders.condition(key_condition)?.unwrap_or_default();
        let filter = match self.filter.take() {
            Some(filter) => placeholders.condition(filter)?,
            None => None,
        };
        Ok(QueryInput {
            table: self.conn.table_name(schema.table),
            index: None,
            key_condition,
            filter,
            placeholders: placeholders.finish(),
            scan_forward: !self.reverse,
            limit: None,
            start_key: None,
            consistent_read: self.consistent_read,
        })
    }
}

fn range_condition<M: Model>(condition: KeyCondition<M::RangeKey>) -> Result<Condition, Error>
where
    M::RangeKey: KeyAttribute,
{
    let name = M::SCHEMA.range_key.map(|r| r.attribute).unwrap_or_default();
    let encode = |value: &M::RangeKey| {
        crate::model::codec::encode_key(
            M::SCHEMA.model,
            name,
            crate::Attribute::to_attribute(value),
        )
    };
    let path = Path::attribute(name);
    Ok(match condition {
        KeyCondition::Eq(v) => Condition::Compare(path, Comparison::Eq, encode(&v)?),
        KeyCondition::Le(v) => Condition::Compare(path, Comparison::Le, encode(&v)?),
        KeyCondition::Lt(v) => Condition::Compare(path, Comparison::Lt, encode(&v)?),
        KeyCondition::Ge(v) => Condition::Compare(path, Comparison::Ge, encode(&v)?),
        KeyCondition::Gt(v) => Condition::Compare(path, Comparison::Gt, encode(&v)?),
        KeyCondition::BeginsWith(v) => Condition::BeginsWith(path, encode(&v)?),
        KeyCondition::Between(low, high) => Condition::Between(path, encode(&low)?, encode(&high)?),
    })
}

// The stream is boxed and no field is ever pinned in place.
impl<M: Model> Unpin for Query<M> {}

impl<M: Model> Stream for Query<M> {
    type Item = Result<Document<M>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let stream = match &mut this.stream {
            Some(stream) => stream,
            None => {
                let request = this.request().map(PageRequest::Query);
                let paging = this.paging.clone();
                let keys = paging::table_key_names::<M>();
                this.stream
                    .insert(paging::documents(this.conn.clone(), request, keys, paging))
            }
        };
        stream.poll_next_unpin(cx)
    }
}
