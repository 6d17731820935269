//! SearchVectors on dynoxide's vector indexes.

use dynoxide::actions::search_vectors::SearchVectorsRequest;

use super::convert::{convert_error, expressions, to_engine, total};
use super::EmbeddedEngine;
use crate::attribute::StoredItem;
use crate::engine::request::{SearchHit, SearchVectorsInput, SearchVectorsOutput};
use crate::error::EngineError;

impl EmbeddedEngine {
    pub(super) fn search_vectors(
        &self,
        input: &SearchVectorsInput,
        asked: bool,
    ) -> Result<SearchVectorsOutput, EngineError> {
        let (names, values) = expressions(&input.placeholders);
        let request = SearchVectorsRequest {
            table_name: input.table.clone(),
            index_name: input.index.clone(),
            search_vector: input.vector.iter().map(to_engine).collect(),
            top_k: i64::from(input.top_k),
            search_condition_expression: input.condition.clone(),
            projection_expression: input.projection.clone(),
            expression_attribute_names: names,
            expression_attribute_values: values,
            return_consumed_capacity: total(asked),
        };
        let response = self.db.search_vectors(request).map_err(convert_error)?;
        Ok(SearchVectorsOutput {
            hits: response
                .search_results
                .into_iter()
                .map(|hit| SearchHit::new(hit.score, StoredItem::from_embedded(hit.item)))
                .collect(),
            request_bytes: response
                .consumed_capacity
                .map(|c| c.vector_search_request_bytes),
        })
    }
}
