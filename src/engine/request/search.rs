//! SearchVectors: the items nearest a vector in a vector index.

use super::ExpressionAttributes;
use crate::attribute::{AttributeValue, StoredItem};

/// SearchVectors: the `top_k` items of a vector index nearest `vector`,
/// nearest first. DynamoDB answers in one response, without paging.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SearchVectorsInput {
    /// The table.
    pub table: String,
    /// The vector index.
    pub index: String,
    /// The query vector: its components as numbers (`N`).
    pub vector: Vec<AttributeValue>,
    /// How many items at most (DynamoDB takes 1 to 100).
    pub top_k: u32,
    /// A search condition expression: equalities on the index's search
    /// schema attributes, joined by `AND`.
    pub condition: Option<String>,
    /// A projection expression: only these attributes are returned (by
    /// default, every attribute the index holds but the vector).
    pub projection: Option<String>,
    /// Placeholders of the expressions.
    pub placeholders: ExpressionAttributes,
}

impl SearchVectorsInput {
    /// The `top_k` items of vector index `index` of `table` nearest `vector`.
    pub fn new(
        table: impl Into<String>,
        index: impl Into<String>,
        vector: Vec<AttributeValue>,
        top_k: u32,
    ) -> Self {
        SearchVectorsInput {
            table: table.into(),
            index: index.into(),
            vector,
            top_k,
            ..SearchVectorsInput::default()
        }
    }

    /// The same request, with a search condition expression.
    pub fn with_condition(mut self, condition: impl Into<String>) -> Self {
        self.condition = Some(condition.into());
        self
    }

    /// The same request, with a projection expression.
    pub fn with_projection(mut self, projection: impl Into<String>) -> Self {
        self.projection = Some(projection.into());
        self
    }

    /// The same request, with the expression attribute names and values
    /// its expressions use.
    pub fn with_placeholders(mut self, placeholders: ExpressionAttributes) -> Self {
        self.placeholders = placeholders;
        self
    }
}

/// One item a search found, and its score (the distance for cosine and
/// Euclidean indexes, lower is nearer; the dot product for dot-product
/// indexes, higher is nearer).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct SearchHit {
    /// The score.
    pub score: f64,
    /// The item, as the index holds it (without its vector unless the
    /// projection names it).
    pub item: StoredItem,
}

impl SearchHit {
    /// A hit of `item` scored `score`.
    pub fn new(score: f64, item: StoredItem) -> Self {
        SearchHit { score, item }
    }
}

/// SearchVectors' answer.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SearchVectorsOutput {
    /// The items found, nearest first.
    pub hits: Vec<SearchHit>,
    /// The bytes the search read, as DynamoDB bills vector searches
    /// (`VectorSearchRequestBytes`), when asked.
    pub request_bytes: Option<f64>,
}

impl SearchVectorsOutput {
    /// An answer with these hits.
    pub fn new(hits: Vec<SearchHit>) -> Self {
        SearchVectorsOutput {
            hits,
            request_bytes: None,
        }
    }
}
