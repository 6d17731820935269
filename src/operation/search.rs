//! [`Search`]: the documents of a vector index nearest a vector, as a stream.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt};

use std::collections::HashMap;

use super::batch_get::{fetch_chunk, MAX_KEYS_PER_REQUEST};
use super::{send, RetryClass};
use crate::attribute::{
    Attribute, AttributeNames, AttributeValue, Item, SearchVector, StoredItem, ValueError,
    ValueErrorKind,
};
use crate::engine::request::{SearchHit, SearchVectorsInput};
use crate::error::{AttributeError, Error};
use crate::expression::{Comparison, Condition, Path, Placeholders};
use crate::model::{Distance, Document, KeyIdentity, Model, VectorIndex, VectorIndexDefinition};
use crate::Connection;

/// The most results one search returns (DynamoDB's `TopK` limit).
pub const MAX_K: u32 = 100;

/// The results a search returns unless [`k`](Search::k) says otherwise.
pub const DEFAULT_K: u32 = 10;

impl Connection {
    /// Searches vector index `index` (from `Model::indexes()`) for the
    /// [`k`](Search::k) documents nearest `query`, nearest first: a stream
    /// of [`Hit`]s, each a score and a document. The query's type is the
    /// index's vector type, so its dimensions are checked at compile time.
    ///
    /// ```
    /// # use dynamodb_mapper::{Connection, Document, Model, Vector};
    /// # use futures::TryStreamExt;
    /// #[derive(Model, Debug, Clone, Default)]
    /// #[dynamodb(table = "notes", hash_key = "id",
    ///     vector_index(name = "by_meaning", vector = "embedding", distance = "cosine", filter = ["lang"]))]
    /// struct Note { id: String, lang: String, text: String, embedding: Vector<3> }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> dynamodb_mapper::Result<()> {
    /// let conn = Connection::embedded()?;
    /// conn.create_table::<Note>().await?;
    /// for (id, lang, embedding) in [("a", "en", [1.0, 0.0, 0.0]), ("b", "en", [0.0, 1.0, 0.0]), ("c", "fr", [0.9, 0.1, 0.0])] {
    ///     let note = Note { id: id.into(), lang: lang.into(), text: String::new(), embedding: embedding.into() };
    ///     conn.save(Document::new(note)).await?;
    /// }
    /// let near: Vec<_> = conn
    ///     .search(Note::indexes().by_meaning, &Vector::new([1.0, 0.1, 0.0]))
    ///     .k(2)
    ///     .filter(Note::fields().lang.eq("en"))
    ///     .try_collect()
    ///     .await?;
    /// assert_eq!(near.len(), 2);
    /// assert_eq!(near[0].document.id, "a");
    /// assert!(near[0].score < near[1].score, "cosine: lower is nearer");
    /// # Ok(()) }
    /// ```
    pub fn search<M: Model, Q: SearchVector>(
        &self,
        index: VectorIndex<M, Q>,
        query: &Q,
    ) -> Search<M> {
        Search {
            conn: self.clone(),
            index: index.name(),
            vector: Some(query.search_numbers()),
            k: DEFAULT_K,
            filter: None,
            consistent_read: false,
            stream: None,
            model: std::marker::PhantomData,
        }
    }
}

/// One search result: its score and what was found (a [`Document`], or a
/// projection type with [`Search::project`]).
///
/// The score is the index's [`Distance`](crate::model::Distance): for
/// cosine and Euclidean indexes the distance (lower is nearer), for
/// dot-product indexes the dot product (higher is nearer). Results come
/// nearest first either way.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit<T> {
    /// The score.
    pub score: f64,
    /// What was found.
    pub document: T,
}

impl<T> Hit<T> {
    /// The score and what was found.
    pub fn into_parts(self) -> (f64, T) {
        (self.score, self.document)
    }
}

/// A vector search; a [`Stream`] of [`Hit`]s, nearest first. Built by
/// [`Connection::search`].
///
/// The index finds the nearest keys (DynamoDB answers a vector search in
/// one response, without pages); the documents are then read from the
/// table by those keys, in one batch get, so each is the item as stored
/// (every attribute, undeclared ones and full-precision numbers included,
/// migrations run as on any read) and saves, updates and deletes with
/// conflict detection as any document does. The index follows the table
/// shortly after each write, and an item deleted between the search and
/// the read is left out (a search may return fewer than `k`), as is one
/// that no longer meets the search's filter (moved to another partition
/// since the index saw it) and, for a polymorphic model, another entity's
/// item the index found. To read only
/// what the index holds, with no second request, use
/// [`project`](Search::project).
#[must_use = "a search does nothing until its stream is polled"]
pub struct Search<M: Model> {
    conn: Connection,
    index: &'static str,
    vector: Option<Result<Vec<AttributeValue>, ValueError>>,
    k: u32,
    filter: Option<Condition>,
    consistent_read: bool,
    stream: Option<BoxStream<'static, Result<Hit<Document<M>>, Error>>>,
    model: std::marker::PhantomData<fn() -> M>,
}

impl<M: Model> Search<M> {
    /// At most `k` results (1 to 100; 10 by default).
    pub fn k(mut self, k: u32) -> Self {
        self.k = k;
        self
    }

    /// Only documents meeting `filter`: equalities (`field.eq(value)`,
    /// joined with [`and`](Condition::and)) on the index's `partition`
    /// (required when it has one) and `filter` fields, each at most once.
    /// Applied by the index before ranking, so a filtered search still
    /// returns up to `k` results.
    pub fn filter(mut self, filter: Condition) -> Self {
        self.filter = Some(match self.filter.take() {
            Some(earlier) => earlier.and(filter),
            None => filter,
        });
        self
    }

    /// Reads the found documents with strong consistency (the search itself
    /// is eventually consistent, as every index).
    pub fn consistent_read(mut self) -> Self {
        self.consistent_read = true;
        self
    }

    /// The results decoded into a projection type `P` (any
    /// `#[derive(Attribute)]` struct) from what the index holds: one
    /// request, only `P`'s attributes returned (the vectors only if `P`
    /// names them).
    pub fn project<P: Attribute + AttributeNames + Send + 'static>(
        mut self,
    ) -> BoxStream<'static, Result<Hit<P>, Error>> {
        let request = self.request(P::NAMES).map(|(input, _)| input);
        let conn = self.conn.clone();
        stream::once(async move {
            let request = request?;
            let output = send(&conn, &request.table, RetryClass::Read, &request).await?;
            Ok(output.hits)
        })
        .map(|hits: Result<Vec<SearchHit>, Error>| {
            let decoded: Vec<Result<Hit<P>, Error>> = match hits {
                Ok(hits) => hits
                    .into_iter()
                    .map(|hit| {
                        let document = P::from_attribute(AttributeValue::M(hit.item.into_item()))
                            .map_err(|e| AttributeError::new(M::SCHEMA.model, "", e))?;
                        Ok(Hit {
                            score: hit.score,
                            document,
                        })
                    })
                    .collect(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(decoded)
        })
        .flatten()
        .boxed()
    }

    fn definition(&self) -> Result<&'static VectorIndexDefinition, Error> {
        M::SCHEMA
            .vector_index(self.index)
            .ok_or_else(|| Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: format!("the model declares no vector index `{}`", self.index),
            })
    }

    /// The request for attributes `names`, checked before sending, and the
    /// equalities it keeps to.
    fn request(&mut self, names: &[&str]) -> Result<(SearchVectorsInput, Equalities), Error> {
        let model = M::SCHEMA.model;
        let capabilities = self.conn.engine().capabilities();
        if !capabilities.vector_search {
            return Err(Error::Unsupported {
                model,
                needs: "vector search (SearchVectors)",
                engine: super::native_transaction::engine_label(&self.conn),
                alternative: "search on DynamoDB or the embedded engine".to_owned(),
            });
        }
        let index = self.definition()?;
        if !(1..=MAX_K).contains(&self.k) {
            return Err(Error::InvalidRequest {
                model,
                reason: format!("k is 1 to {MAX_K} (DynamoDB's TopK), not {}", self.k),
            });
        }
        let vector = self
            .vector
            .take()
            .ok_or_else(|| Error::InvalidRequest {
                model,
                reason: "a search is sent once".into(),
            })?
            .map_err(|e| AttributeError::new(model, index.attribute, e))?;
        check_vector::<M>(index, &vector)?;
        let mut placeholders = Placeholders::default();
        let (condition, equal) = search_condition::<M>(index, self.filter.take())?;
        let condition = match condition {
            Some(condition) => placeholders.condition(condition)?,
            None => None,
        };
        let projection = placeholders.projection(names);
        let input = SearchVectorsInput {
            table: self.conn.table_name(M::SCHEMA.table),
            index: index.name.to_owned(),
            vector,
            top_k: self.k,
            condition,
            projection: Some(projection),
            placeholders: placeholders.finish(),
        };
        Ok((input, equal))
    }
}

/// The search condition: the caller's filter, checked to be what a vector
/// index takes, and the entity's name where the index filters on it.
fn search_condition<M: Model>(
    index: &VectorIndexDefinition,
    filter: Option<Condition>,
) -> Result<(Option<Condition>, Equalities), Error> {
    let refuse = |reason: String| Error::InvalidRequest {
        model: M::SCHEMA.model,
        reason: format!("vector index `{}`: {reason}", index.name),
    };
    let mut parts = Vec::new();
    flatten(filter, &mut parts);
    let mut named: Vec<&str> = Vec::new();
    for part in &parts {
        let attribute = match part {
            Condition::Invalid(error) => return Err(Error::from((**error).clone())),
            Condition::Compare(path, Comparison::Eq, value) => match path.top_attribute() {
                // A search attribute is keyed by its type (S, N, B): an
                // empty value is refused as an empty key is.
                Some((name, true)) if value.is_empty_value() => {
                    return Err(AttributeError::new(
                        M::SCHEMA.model,
                        name,
                        ValueError::new(ValueErrorKind::EmptyKey),
                    )
                    .into())
                }
                Some((name, true)) => name,
                _ => {
                    return Err(refuse(
                        "a search filters on top-level attributes only".into(),
                    ))
                }
            },
            _ => {
                return Err(refuse(
                    "a search filter is equalities (`field.eq(value)`) joined with `and`".into(),
                ))
            }
        };
        if M::SCHEMA.entities.iter().any(|e| e.attribute == attribute) {
            return Err(refuse(format!(
                "`{attribute}` holds the entity name, which the search keeps to itself"
            )));
        }
        if !index.searchable().any(|d| d.attribute == attribute) {
            return Err(refuse(format!(
                "`{attribute}` is not its partition nor one of its filters"
            )));
        }
        if named.contains(&attribute) {
            return Err(refuse(format!("`{attribute}` is given twice")));
        }
        named.push(attribute);
    }
    if let Some(partition) = index.partition {
        if !named.contains(&partition.attribute) {
            return Err(refuse(format!(
                "a search gives its partition: filter on `{}` with `eq`",
                partition.attribute
            )));
        }
    }
    // An entity keeps to its own items where the index filters on its name.
    if let [entity] = M::SCHEMA.entities {
        let filters_on_entity = index
            .filters
            .iter()
            .any(|f| f.attribute == entity.attribute);
        if filters_on_entity && !named.contains(&entity.attribute) {
            parts.push(Condition::Compare(
                Path::attribute(entity.attribute),
                Comparison::Eq,
                AttributeValue::S(entity.name.to_owned()),
            ));
        }
    }
    let equal = parts
        .iter()
        .filter_map(|part| match part {
            Condition::Compare(path, Comparison::Eq, value) => path
                .top_attribute()
                .map(|(name, _)| (name.to_owned(), value.clone())),
            _ => None,
        })
        .collect();
    let condition = match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Condition::And(parts)),
    };
    Ok((condition, equal))
}

/// The equalities a search keeps to: each found item is checked against
/// them again once read from the table, where it may have changed since the
/// index saw it (another tenant's document is never returned).
type Equalities = Vec<(String, AttributeValue)>;

/// The conjuncts of `condition`, nested `And`s flattened.
fn flatten(condition: Option<Condition>, parts: &mut Vec<Condition>) {
    match condition {
        Some(Condition::And(inner)) => inner.into_iter().for_each(|c| flatten(Some(c), parts)),
        Some(other) => parts.push(other),
        None => {}
    }
}

/// A query vector the index can rank by: its dimensions (a handle built by
/// hand may name another index), and a direction for a cosine index (every
/// item is as far from the zero vector).
fn check_vector<M: Model>(
    index: &VectorIndexDefinition,
    vector: &[AttributeValue],
) -> Result<(), Error> {
    let refuse = |reason: String| Error::InvalidRequest {
        model: M::SCHEMA.model,
        reason: format!("vector index `{}`: {reason}", index.name),
    };
    if vector.len() != index.dimensions {
        return Err(refuse(format!(
            "it has {} dimensions, the query {}",
            index.dimensions,
            vector.len()
        )));
    }
    let zero = vector
        .iter()
        .all(|c| matches!(c, AttributeValue::N(n) if n == "0"));
    if zero && index.distance == Distance::Cosine {
        return Err(refuse(
            "the zero vector has no direction: a cosine search needs another".into(),
        ));
    }
    Ok(())
}

/// The found keys' documents, read from the table, in the order found.
async fn documents<M: Model>(
    conn: Connection,
    request: Result<(SearchVectorsInput, Equalities), Error>,
    consistent_read: bool,
) -> Result<Vec<Result<Hit<Document<M>>, Error>>, Error> {
    let (request, equal) = request?;
    let output = send(&conn, &request.table, RetryClass::Read, &request).await?;
    let keys: Vec<Item> = output
        .hits
        .iter()
        .map(|hit| hit.item.select(&key_names::<M>()))
        .collect();
    // BatchGetItem refuses a key twice (an engine may find one item twice).
    let mut unique = std::collections::HashSet::with_capacity(keys.len());
    let to_read: Vec<Item> = keys
        .iter()
        .filter(|key| unique.insert(KeyIdentity::of::<M>(key)))
        .cloned()
        .collect();
    let mut read = Vec::with_capacity(to_read.len());
    for chunk in to_read.chunks(MAX_KEYS_PER_REQUEST) {
        let table = request.table.clone();
        read.extend(fetch_chunk::<M>(conn.clone(), table, chunk.to_vec(), consistent_read).await?);
    }
    let mut by_key: HashMap<KeyIdentity, StoredItem> = read
        .into_iter()
        .map(|item| (KeyIdentity::of::<M>(item.item()), item))
        .collect();
    Ok(output
        .hits
        .iter()
        .zip(&keys)
        .filter_map(|(hit, key)| {
            // Deleted since the search found it, or another entity's item
            // (a polymorphic model's index cannot filter on several names).
            let item = by_key.remove(&KeyIdentity::of::<M>(key))?;
            let entities = M::SCHEMA.entities;
            if !entities.is_empty() && !entities.iter().any(|e| e.holds(item.item())) {
                return None;
            }
            // Changed since the index saw it: no longer what was asked for.
            let stored = item.item();
            let still = equal
                .iter()
                .all(|(name, value)| stored.get(name).is_some_and(|v| v.same_value(value)));
            if !still {
                return None;
            }
            Some(Document::<M>::from_stored(item).map(|document| Hit {
                score: hit.score,
                document,
            }))
        })
        .collect())
}

/// The table's key attribute names.
fn key_names<M: Model>() -> Vec<String> {
    let schema = M::SCHEMA;
    std::iter::once(schema.hash_key.attribute)
        .chain(schema.range_key.map(|r| r.attribute))
        .map(str::to_owned)
        .collect()
}

impl<M: Model> Stream for Search<M> {
    type Item = Result<Hit<Document<M>>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.stream.is_none() {
            let keys = key_names::<M>();
            let names: Vec<&str> = keys.iter().map(String::as_str).collect();
            let request = self.request(&names);
            let found = documents::<M>(self.conn.clone(), request, self.consistent_read);
            self.stream = Some(
                stream::once(found)
                    .map(|found| match found {
                        Ok(hits) => stream::iter(hits),
                        Err(error) => stream::iter(vec![Err(error)]),
                    })
                    .flatten()
                    .boxed(),
            );
        }
        match self.stream.as_mut() {
            Some(stream) => stream.as_mut().poll_next(cx),
            None => Poll::Ready(None),
        }
    }
}

// The stream is boxed and no field is ever pinned in place.
impl<M: Model> Unpin for Search<M> {}
