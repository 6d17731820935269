//! [`CollectionQuery`]: one partition of a shared table (or of an overloaded
//! index) read as a lazy stream of a [`Collection`] enum.

use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{BoxStream, Stream, StreamExt, TryStreamExt};

use super::paging::{self, PageRequest, Paging};
use super::Cursor;
use crate::attribute::{Attribute, AttributeValue, KeyAttribute, ValueError, ValueErrorKind};
use crate::engine::request::QueryInput;
use crate::error::{AttributeError, Error};
use crate::expression::{Comparison, Condition, Path, Placeholders};
use crate::model::collection::{index_holds_entity, Collection, Decoded, Member};
use crate::model::{EntityDefinition, Index, Model};
use crate::Connection;

impl Connection {
    /// Reads one partition of a table that entities share, as a stream of
    /// the collection enum `C`: each item decoded as the variant of the
    /// entity it stores (a customer with their orders and addresses, in sort
    /// key order, in one paged query).
    pub fn collection<C: crate::model::Collection>(
        &self,
        partition: C::Partition,
    ) -> CollectionQuery<C> {
        CollectionQuery::new(self.clone(), partition)
    }

    /// Reads one partition of a secondary index that entities share (an
    /// overloaded index), given by the index handle of one of the
    /// collection's entities; items of entities without this index's keys
    /// are not in it (a sparse index).
    pub fn collection_index<C, M, H, R>(
        &self,
        index: crate::model::Index<M, H, R>,
        hash: H,
    ) -> CollectionQuery<C>
    where
        C: crate::model::Collection,
        M: crate::model::collection::Member<C>,
        H: crate::KeyAttribute,
    {
        CollectionQuery::on_index(self.clone(), index, hash)
    }
}

/// A query of one partition, each item decoded as the variant of its entity;
/// a [`Stream`] of `C`. Built by [`Connection::collection`] or
/// [`Connection::collection_index`].
///
/// An item of an entity the collection does not know is an error (a typed
/// [`ValueErrorKind::WrongEntity`] naming what was found), or skipped with
/// [`skip_unknown`](Self::skip_unknown).
#[must_use = "a query does nothing until its stream is polled"]
pub struct CollectionQuery<C: Collection> {
    conn: Connection,
    index: Option<&'static str>,
    hash: Option<Result<AttributeValue, Error>>,
    /// The attributes the query keys on: hash, range.
    keys: (&'static str, Option<&'static str>),
    /// The sort key templates' prefixes, by entity name.
    prefixes: Vec<(&'static str, &'static str)>,
    key_names: Vec<String>,
    /// An index that holds no entity names, which the query refuses.
    unreadable_index: Option<&'static str>,
    only: Vec<EntityDefinition>,
    skip_unknown: bool,
    reverse: bool,
    paging: Paging,
    consistent_read: bool,
    stream: Option<BoxStream<'static, Result<C, Error>>>,
    collection: PhantomData<fn() -> C>,
}

impl<C: Collection> CollectionQuery<C> {
    pub(crate) fn new(conn: Connection, partition: C::Partition) -> Self {
        let schema = C::Anchor::SCHEMA;
        let keys = match C::INDEX.and_then(|name| schema.index(name)) {
            Some(index) => (
                index.hash_key.attribute,
                index.range_key.map(|r| r.attribute),
            ),
            None => (
                schema.hash_key.attribute,
                schema.range_key.map(|r| r.attribute),
            ),
        };
        let hash = crate::model::codec::encode_key(schema.model, keys.0, partition.to_attribute())
            .map_err(Error::from);
        let key_names = paging::key_names::<C::Anchor>(C::INDEX);
        let mut query = Self::with(conn, C::INDEX, hash, keys, key_names);
        query.unreadable_index = C::INDEX.filter(|name| !index_holds_entity(&schema, name));
        query
    }

    pub(crate) fn on_index<M: Member<C>, H: KeyAttribute, R>(
        conn: Connection,
        index: Index<M, H, R>,
        hash: H,
    ) -> Self {
        let definition = M::SCHEMA.index(index.name());
        let hash_attribute = definition.map(|i| i.hash_key.attribute).unwrap_or_default();
        let hash =
            crate::model::codec::encode_key(M::SCHEMA.model, hash_attribute, hash.to_attribute())
                .map_err(Error::from);
        let keys = (
            hash_attribute,
            definition.and_then(|i| i.range_key.map(|r| r.attribute)),
        );
        let key_names = paging::key_names::<M>(Some(index.name()));
        let mut query = Self::with(conn, Some(index.name()), hash, keys, key_names);
        query.unreadable_index =
            Some(index.name()).filter(|name| !index_holds_entity(&M::SCHEMA, name));
        query
    }

    fn with(
        conn: Connection,
        index: Option<&'static str>,
        hash: Result<AttributeValue, Error>,
        keys: (&'static str, Option<&'static str>),
        key_names: Vec<String>,
    ) -> Self {
        CollectionQuery {
            conn,
            index,
            hash: Some(hash),
            keys,
            prefixes: Vec::new(),
            key_names,
            unreadable_index: None,
            only: Vec::new(),
            skip_unknown: false,
            reverse: false,
            paging: Paging::default(),
            consistent_read: false,
            stream: None,
            collection: PhantomData,
        }
    }

    /// Only the items of entity `M` (call it again for more entities): the
    /// query keeps to the sort keys that start as their templates do, and
    /// filters on the entity names.
    pub fn only<M: Member<C>>(mut self) -> Self {
        if let [entity] = M::SCHEMA.entities {
            let prefix = self
                .keys
                .1
                .and_then(|range| M::SCHEMA.composed_key(range))
                .map_or("", |key| key.template.prefix());
            self.prefixes.push((entity.name, prefix));
            self.only.push(*entity);
        }
        self
    }

    /// Skips items of entities the collection does not know, instead of
    /// failing with them.
    pub fn skip_unknown(mut self) -> Self {
        self.skip_unknown = true;
        self
    }

    /// Descending sort key order.
    pub fn reverse(mut self) -> Self {
        self.reverse = true;
        self
    }

    paging::walk_options!();

    fn request(&mut self) -> Result<QueryInput, Error> {
        if let Some(index) = self.unreadable_index {
            return Err(Error::InvalidRequest {
                model: C::NAME,
                reason: format!("index `{index}` does not hold the entity attribute (keys only, or an `include` list without it): a collection of it cannot tell its items apart"),
            });
        }
        let hash = self.hash.take().unwrap_or_else(|| {
            Err(Error::InvalidRequest {
                model: C::NAME,
                reason: "a query is sent once".into(),
            })
        })?;
        let (hash_attribute, range_attribute) = self.keys;
        let mut key_condition =
            Condition::Compare(Path::attribute(hash_attribute), Comparison::Eq, hash);
        // The variants asked for: the sort keys' common prefix narrows what
        // is read, their names what is returned.
        let common = common_prefix(self.prefixes.iter().map(|(_, prefix)| *prefix));
        if let (Some(range), false) = (range_attribute, common.is_empty()) {
            key_condition = key_condition.and(Condition::BeginsWith(
                Path::attribute(range),
                AttributeValue::S(common.to_owned()),
            ));
        }
        let filter = (!self.only.is_empty()).then(|| {
            let attribute = self.only[0].attribute;
            let names = self
                .only
                .iter()
                .map(|e| AttributeValue::S(e.name.to_owned()))
                .collect();
            Condition::In(Path::attribute(attribute), names)
        });
        let mut placeholders = Placeholders::default();
        let key_condition = placeholders.condition(key_condition)?.unwrap_or_default();
        let filter = match filter {
            Some(filter) => placeholders.condition(filter)?,
            None => None,
        };
        Ok(QueryInput {
            table: self.conn.table_name(C::Anchor::SCHEMA.table),
            projection: None,
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

    fn start(&mut self) -> BoxStream<'static, Result<C, Error>> {
        let request = self.request().map(PageRequest::Query);
        let skip = self.skip_unknown;
        let mut paging = self.paging.clone();
        // Skipped items do not count: the limit applies to what is returned.
        let limit = if skip { paging.limit.take() } else { None };
        let stream = paging::decoded(
            self.conn.clone(),
            request,
            self.key_names.clone(),
            paging,
            C::decode,
        )
        .try_filter_map(move |decoded| {
            std::future::ready(match decoded {
                Decoded::Known(value) => Ok(Some(value)),
                Decoded::Unknown(_) if skip => Ok(None),
                Decoded::Unknown(item) => Err(unknown::<C>(&item)),
            })
        });
        match limit {
            Some(limit) => stream.take(limit).boxed(),
            None => stream.boxed(),
        }
    }
}

/// The error for an item of an entity the collection does not know.
fn unknown<C: Collection>(item: &crate::attribute::StoredItem) -> Error {
    let first = C::ENTITIES.first();
    let attribute = first.map_or("", |e| e.attribute);
    let kind = ValueErrorKind::WrongEntity {
        expected: C::EXPECTED,
        found: first.and_then(|e| e.stored_name(item.item())),
    };
    AttributeError::new(C::NAME, attribute, ValueError::new(kind)).into()
}

/// The longest text every prefix starts with ("" for none).
fn common_prefix<'a>(mut prefixes: impl Iterator<Item = &'a str>) -> &'a str {
    let Some(mut common) = prefixes.next() else {
        return "";
    };
    for prefix in prefixes {
        let shared = common
            .char_indices()
            .zip(prefix.chars())
            .find(|((_, a), b)| a != b)
            .map_or(common.len().min(prefix.len()), |((i, _), _)| i);
        common = &common[..shared];
    }
    common
}

// The stream is boxed and no field is ever pinned in place.
impl<C: Collection> Unpin for CollectionQuery<C> {}

impl<C: Collection> Stream for CollectionQuery<C> {
    type Item = Result<C, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let stream = match &mut this.stream {
            Some(stream) => stream,
            None => {
                let stream = this.start();
                this.stream.insert(stream)
            }
        };
        stream.poll_next_unpin(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::common_prefix;

    #[test]
    fn common_prefixes() {
        assert_eq!(common_prefix(["ORDER#", "ORDERITEM#"].into_iter()), "ORDER");
        assert_eq!(common_prefix(["ORDER#"].into_iter()), "ORDER#");
        assert_eq!(common_prefix(["A", "B"].into_iter()), "");
        assert_eq!(common_prefix(["ÄB", "ÄC"].into_iter()), "Ä");
        assert_eq!(common_prefix(std::iter::empty()), "");
    }
}
