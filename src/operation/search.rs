//! [`Search`]: the documents of a vector index nearest a vector, as a stream.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt};

use super::{send, RetryClass};
use crate::attribute::{
    Attribute, AttributeNames, AttributeValue, SearchVector, StoredItem, ValueError,
};
use crate::engine::request::{SearchHit, SearchVectorsInput};
use crate::error::{AttributeError, Error};
use crate::expression::{Comparison, Condition, Path, Placeholders};
use crate::model::{Document, Model, Projection, VectorIndex, VectorIndexDefinition};
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
#[non_exhaustive]
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
/// A search is one request (DynamoDB answers vector searches in one
/// response, without pages), eventually consistent: the index follows the
/// table shortly after each write. Its documents hold every attribute the
/// model declares, the vector included (the search asks for them by name),
/// and are [partial](Document::is_partial): attributes other programs
/// stored beside them were not read, so a whole-item save is refused
/// (updates and deletes work as on any document). On an index that holds
/// only some attributes (`projection = "keys_only"` or `include`), read
/// them with [`project`](Search::project).
#[must_use = "a search does nothing until its stream is polled"]
pub struct Search<M: Model> {
    conn: Connection,
    index: &'static str,
    vector: Option<Result<Vec<AttributeValue>, ValueError>>,
    k: u32,
    filter: Option<Condition>,
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

    /// The results decoded into a projection type `P` (any
    /// `#[derive(Attribute)]` struct): only its attributes are returned,
    /// so a search that does not need the vectors does not read them.
    pub fn project<P: Attribute + AttributeNames + Send + 'static>(
        mut self,
    ) -> BoxStream<'static, Result<Hit<P>, Error>> {
        let request = self.request(P::NAMES, false);
        results(self.conn.clone(), request, |item| {
            P::from_attribute(AttributeValue::M(item.into_item()))
                .map_err(|e| AttributeError::new(M::SCHEMA.model, "", e).into())
        })
    }

    fn definition(&self) -> Result<&'static VectorIndexDefinition, Error> {
        M::SCHEMA
            .vector_index(self.index)
            .ok_or_else(|| Error::InvalidRequest {
                model: M::SCHEMA.model,
                reason: format!("the model declares no vector index `{}`", self.index),
            })
    }

    /// The request for attributes `names`; `documents` when they are
    /// decoded as the model (every declared attribute must be there).
    fn request(&mut self, names: &[&str], documents: bool) -> Result<SearchVectorsInput, Error> {
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
        if documents && index.projection != Projection::All {
            return Err(Error::InvalidRequest {
                model,
                reason: format!(
                    "vector index `{}` holds only some attributes: read them with `.project::<P>()`",
                    index.name
                ),
            });
        }
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
        let mut placeholders = Placeholders::default();
        let condition = search_condition::<M>(index, self.filter.take())?;
        let condition = match condition {
            Some(condition) => placeholders.condition(condition)?,
            None => None,
        };
        let projection = placeholders.projection(names);
        Ok(SearchVectorsInput {
            table: self.conn.table_name(M::SCHEMA.table),
            index: index.name.to_owned(),
            vector,
            top_k: self.k,
            condition,
            projection: Some(projection),
            placeholders: placeholders.finish(),
        })
    }
}

/// The search condition: the caller's filter, checked to be what a vector
/// index takes, and the entity's name where the index filters on it.
fn search_condition<M: Model>(
    index: &VectorIndexDefinition,
    filter: Option<Condition>,
) -> Result<Option<Condition>, Error> {
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
            Condition::Compare(path, Comparison::Eq, _) => match path.top_attribute() {
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
    Ok(match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Condition::And(parts)),
    })
}

/// The conjuncts of `condition`, nested `And`s flattened.
fn flatten(condition: Option<Condition>, parts: &mut Vec<Condition>) {
    match condition {
        Some(Condition::And(inner)) => inner.into_iter().for_each(|c| flatten(Some(c), parts)),
        Some(other) => parts.push(other),
        None => {}
    }
}

/// The hits of one search, each decoded by `decode`; a request that could
/// not be built is the stream's only item.
fn results<T: Send + 'static>(
    conn: Connection,
    request: Result<SearchVectorsInput, Error>,
    decode: fn(StoredItem) -> Result<T, Error>,
) -> BoxStream<'static, Result<Hit<T>, Error>> {
    stream::once(async move {
        let request = request?;
        let output = send(&conn, &request.table, RetryClass::Read, &request).await?;
        Ok(output.hits)
    })
    .map(move |hits: Result<Vec<SearchHit>, Error>| {
        let decoded: Vec<Result<Hit<T>, Error>> = match hits {
            Ok(hits) => hits
                .into_iter()
                .map(|hit| {
                    Ok(Hit {
                        score: hit.score,
                        document: decode(hit.item)?,
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

impl<M: Model> Stream for Search<M> {
    type Item = Result<Hit<Document<M>>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.stream.is_none() {
            let request = self.request(M::SCHEMA.attributes, true);
            self.stream = Some(results(self.conn.clone(), request, |item| {
                Document::<M>::from_stored(item).map(Document::into_partial)
            }));
        }
        match self.stream.as_mut() {
            Some(stream) => stream.as_mut().poll_next(cx),
            None => Poll::Ready(None),
        }
    }
}

// The stream is boxed and no field is ever pinned in place.
impl<M: Model> Unpin for Search<M> {}
