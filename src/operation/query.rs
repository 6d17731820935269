//! [`Query`]: the objects under one hash key of a table or index, as a lazy stream.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{BoxStream, Stream, StreamExt};

use super::paging::{self, Page, PageRequest, Paging};
use super::Cursor;
use crate::attribute::{Attribute, AttributeNames, AttributeValue, KeyAttribute};
use crate::engine::request::QueryInput;
use crate::error::Error;
use crate::expression::{Comparison, Condition, KeyCondition, Path, Placeholders};
use crate::expression::{PartitionKey, SortKey, SortKeys};
use crate::model::{entity, Document, Index, IndexDefinition, Model};
use crate::Connection;

impl Connection {
    /// Queries the objects under one hash key, as a stream in range key order.
    pub fn query<M: Model>(&self, hash: M::HashKey) -> Query<M> {
        Query::new(self.clone(), hash)
    }

    /// Queries a secondary index (from `Model::indexes()`) under one of its
    /// hash key values, as a stream of the model's documents; `.project::<P>()`
    /// decodes into a projection type instead. A multi-attribute index takes
    /// a tuple of every partition key attribute's value, and conditions on
    /// its sort key with [`sort`](Query::sort).
    pub fn query_index<M: Model, H: PartitionKey, R>(
        &self,
        index: crate::model::Index<M, H, R>,
        hash: H,
    ) -> Query<M, R> {
        Query::on_index(self.clone(), index, hash)
    }
}

/// A query, in range key order; a [`Stream`] of documents. Built by
/// [`Connection::query`] (on the table) or [`Connection::query_index`];
/// paging is hidden, or exposed with cursors by [`pages`](Query::pages).
/// `R` is the range key type of what is queried.
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
pub struct Query<M: Model, R = <M as Model>::RangeKey> {
    conn: Connection,
    index: Option<&'static str>,
    /// The partition key's values, one per attribute (several on a
    /// multi-attribute index key).
    hash: Option<Result<Vec<AttributeValue>, Error>>,
    range: Option<Result<Condition, Error>>,
    filter: Option<Condition>,
    reverse: bool,
    paging: Paging,
    consistent_read: bool,
    projection: Option<&'static [&'static str]>,
    stream: Option<BoxStream<'static, Result<Document<M>, Error>>>,
    range_type: PhantomData<fn() -> R>,
}

impl<M: Model> Query<M> {
    pub(crate) fn new(conn: Connection, hash: M::HashKey) -> Self {
        let hash = M::hash_key_value(&hash)
            .map_err(Error::from)
            .and_then(|value| {
                let key = crate::Item::from_iter([(
                    M::SCHEMA.hash_key.attribute.to_owned(),
                    value.clone(),
                )]);
                crate::model::auto_increment::refuse_counter_key::<M>(&key).map(|()| vec![value])
            });
        Query::with(conn, None, hash)
    }
}

impl<M: Model, R> Query<M, R> {
    pub(crate) fn on_index<H: PartitionKey>(
        conn: Connection,
        index: Index<M, H, R>,
        hash: H,
    ) -> Self {
        let definition = M::SCHEMA.index(index.name());
        let values = hash.key_values();
        let hash = match definition {
            // A handle built by hand may name no index of the model, or
            // one keyed otherwise: nothing is dropped silently.
            None => Err(Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: format!("the model declares no index `{}`", index.name()),
            }),
            Some(definition) if definition.hash_keys().count() != values.len() => {
                Err(Error::InvalidRequest {
                    model: M::SCHEMA.model,
                    reason: format!(
                        "index `{}` has {} partition key attributes, the query gives {}",
                        index.name(),
                        definition.hash_keys().count(),
                        values.len()
                    ),
                })
            }
            Some(definition) => definition
                .hash_keys()
                .zip(values)
                .map(|(key, value)| {
                    crate::model::codec::encode_key(M::SCHEMA.model, key.attribute, value)
                        .map_err(Error::from)
                })
                .collect(),
        };
        let mut query = Query::with(conn, Some(index.name()), hash);
        if definition.is_some_and(IndexDefinition::is_multi_attribute)
            && !query
                .conn
                .engine()
                .capabilities()
                .multi_attribute_index_keys
        {
            query.hash = Some(Err(Error::Unsupported {
                model: M::SCHEMA.model,
                needs: "multi-attribute index keys",
                engine: super::native_transaction::engine_label(&query.conn),
                alternative: "key the index on one attribute (a key template composes several)"
                    .to_owned(),
            }));
        }
        query
    }

    fn with(
        conn: Connection,
        index: Option<&'static str>,
        hash: Result<Vec<AttributeValue>, Error>,
    ) -> Self {
        Query {
            conn,
            index,
            hash: Some(hash),
            range: None,
            filter: None,
            reverse: false,
            paging: Paging::default(),
            consistent_read: false,
            projection: None,
            stream: None,
            range_type: PhantomData,
        }
    }

    /// The partition and sort key attributes of what is queried, in key
    /// order (several on a multi-attribute index key).
    fn key_attributes(&self) -> (Vec<&'static str>, Vec<&'static str>) {
        let schema = M::SCHEMA;
        match self.index.and_then(|name| schema.index(name)) {
            Some(index) => (
                index.hash_keys().map(|k| k.attribute).collect(),
                index.range_keys().map(|k| k.attribute).collect(),
            ),
            None => (
                vec![schema.hash_key.attribute],
                schema.range_key.map(|r| r.attribute).into_iter().collect(),
            ),
        }
    }

    /// Only objects whose range key meets `condition`.
    pub fn range(mut self, condition: KeyCondition<R>) -> Self
    where
        R: KeyAttribute,
    {
        let attribute = self.key_attributes().1.first().copied().unwrap_or_default();
        self.range = Some(range_condition::<M, R>(attribute, condition));
        self
    }

    /// Only objects whose multi-attribute sort key meets the condition
    /// `sort` builds: equalities on its first attributes, in key order, then
    /// at most one range on the next (see [`SortKey`]).
    ///
    /// ```
    /// # use dynamodb_mapper::{Connection, Model};
    /// # use futures::TryStreamExt;
    /// #[derive(Model, Debug, Clone, Default)]
    /// #[dynamodb(table = "tasks", hash_key = "id",
    ///     global_index(name = "by_team", hash_key = ["team", "region"], range_key = ["status", "priority"]))]
    /// struct Task { id: String, team: String, region: String, status: String, priority: u8 }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dynamodb_mapper::Result<()> {
    /// # let conn = Connection::embedded()?;
    /// # conn.create_table::<Task>().await?;
    /// let urgent: Vec<_> = conn
    ///     .query_index(Task::indexes().by_team, ("core".to_string(), "eu".to_string()))
    ///     .sort(|k| k.eq("open".to_string()).le(2))
    ///     .try_collect()
    ///     .await?;
    /// # assert!(urgent.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn sort<L>(mut self, sort: impl FnOnce(SortKey<R>) -> SortKey<L>) -> Self
    where
        R: SortKeys,
    {
        let names = self.key_attributes().1;
        let encode = |name, value| crate::model::codec::encode_key(M::SCHEMA.model, name, value);
        let sort = sort(SortKey::new());
        self.range = if sort.len() > names.len() {
            Some(Err(Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: format!(
                    "the sort key has {} attributes, the condition names {}",
                    names.len(),
                    sort.len()
                ),
            }))
        } else {
            sort.condition(&names, encode)
                .map_err(Error::from)
                .transpose()
        };
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

    paging::walk_options!();

    /// The pages instead of the items, each with the [`Cursor`] to resume after it.
    pub fn pages(mut self) -> BoxStream<'static, Result<Page<M>, Error>> {
        let request = self.request().map(PageRequest::Query);
        let keys = paging::key_names::<M>(self.index);
        paging::pages(self.conn.clone(), request, keys, self.paging.clone())
    }

    /// The items decoded into a projection type `P` (any `#[derive(Attribute)]`
    /// struct), e.g. for an index that holds only some attributes.
    pub fn project<P: Attribute + AttributeNames + Send + 'static>(
        mut self,
    ) -> BoxStream<'static, Result<P, Error>> {
        self.projection = Some(P::NAMES);
        let request = self.request().map(PageRequest::Query);
        paging::projected::<M, P>(self.conn.clone(), request, self.index, self.paging.clone())
    }

    fn request(&mut self) -> Result<QueryInput, Error> {
        let hash = self.hash.take().unwrap_or_else(|| {
            Err(Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: "a query is sent once".into(),
            })
        })?;
        let (hash_attributes, range_attributes) = self.key_attributes();
        if let Some(filter) = &self.filter {
            // DynamoDB refuses these (moto does not): say so the same way on every engine.
            if let Some(key) = filter
                .attribute_names()
                .into_iter()
                .find(|name| hash_attributes.contains(name) || range_attributes.contains(name))
            {
                return Err(Error::InvalidRequest {
                    model: M::SCHEMA.model,
                    reason: format!("a query filter cannot use the key attribute `{key}`: give a range condition instead"),
                });
            }
        }
        let entity_blind = self.index.is_some()
            && !M::SCHEMA.entities.is_empty()
            && entity::only_this_entity::<M>(self.index).is_none();
        if entity_blind && self.projection.is_none() {
            // Its items hold no entity name: none would decode as the entity.
            return Err(Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: format!(
                    "index `{}` holds no entity names (keys only, or `include` without them): read it with `.project::<P>()`",
                    self.index.unwrap_or_default()
                ),
            });
        }
        let mut placeholders = Placeholders::default();
        // One flat conjunction: a key condition takes no parenthesized groups.
        let mut clauses: Vec<Condition> = hash_attributes
            .iter()
            .zip(hash)
            .map(|(name, value)| Condition::Compare(Path::attribute(*name), Comparison::Eq, value))
            .collect();
        // An entity's query keeps to its items: its sort keys' prefix, and
        // its name (other entities share the partition or index).
        let range = match self.range.take().transpose()? {
            Some(range) => Some(range),
            None if range_attributes.len() == 1 => {
                entity::sort_key_prefix::<M>(range_attributes.first().copied())
            }
            None => None,
        };
        match range {
            Some(Condition::And(range)) => clauses.extend(range),
            Some(range) => clauses.push(range),
            None => {}
        }
        for clause in &clauses {
            if let Condition::Between(path, low, high) = clause {
                bounds_in_order::<M>(path, low, high)?;
            }
        }
        let key_condition = match clauses.len() {
            1 => clauses.remove(0),
            _ => Condition::And(clauses),
        };
        let key_condition = placeholders.condition(key_condition)?.unwrap_or_default();
        if let Some(own) = entity::only_this_entity::<M>(self.index) {
            self.filter = Some(match self.filter.take() {
                Some(filter) => filter.and(own),
                None => own,
            });
        }
        let filter = match self.filter.take() {
            Some(filter) => placeholders.condition(filter)?,
            None => None,
        };
        let projection = self.projection.map(|names| placeholders.projection(names));
        Ok(QueryInput {
            table: self.conn.table_name(M::SCHEMA.table),
            projection,
            index: self.index.map(str::to_owned),
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

/// DynamoDB refuses `BETWEEN low AND high` with `high` below `low` (moto
/// answers nothing): refused the same way on every engine, before sending.
fn bounds_in_order<M: Model>(
    path: &Path,
    low: &AttributeValue,
    high: &AttributeValue,
) -> Result<(), Error> {
    use crate::attribute::Decimal;
    let below = match (low, high) {
        (AttributeValue::N(a), AttributeValue::N(b)) => {
            matches!((Decimal::parse(a), Decimal::parse(b)), (Ok(a), Ok(b)) if b < a)
        }
        (AttributeValue::S(a), AttributeValue::S(b)) => b.as_bytes() < a.as_bytes(),
        (AttributeValue::B(a), AttributeValue::B(b)) => b < a,
        _ => false,
    };
    if below {
        let attribute = path.top_attribute().map_or("", |(name, _)| name);
        return Err(Error::InvalidRequest {
            model: M::SCHEMA.model,
            reason: format!(
                "`{attribute}` BETWEEN {} AND {}: the upper bound is below the lower one",
                low.preview(),
                high.preview()
            ),
        });
    }
    Ok(())
}

fn range_condition<M: Model, R: KeyAttribute>(
    name: &'static str,
    condition: KeyCondition<R>,
) -> Result<Condition, Error> {
    let encode =
        |value: &R| crate::model::codec::encode_key(M::SCHEMA.model, name, value.to_attribute());
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
impl<M: Model, R> Unpin for Query<M, R> {}

impl<M: Model, R> Stream for Query<M, R> {
    type Item = Result<Document<M>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let stream = match &mut this.stream {
            Some(stream) => stream,
            None => {
                let request = this.request().map(PageRequest::Query);
                let keys = paging::key_names::<M>(this.index);
                let paging = this.paging.clone();
                this.stream
                    .insert(paging::documents(this.conn.clone(), request, keys, paging))
            }
        };
        stream.poll_next_unpin(cx)
    }
}
