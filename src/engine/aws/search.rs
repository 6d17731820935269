//! SearchVectors through the AWS SDK.

use std::future::Future;

use aws_sdk_dynamodb::types as sdk;

use super::convert::{convert_error, expressions, stored, to_sdk};
use super::{quiet, AwsEngine, Capacity};
use crate::engine::request::{SearchHit, SearchVectorsInput, SearchVectorsOutput};
use crate::error::EngineError;

impl AwsEngine {
    pub(super) fn search_vectors<'a>(
        &'a self,
        input: &SearchVectorsInput,
        asked: Capacity,
    ) -> impl Future<Output = Result<SearchVectorsOutput, EngineError>> + Send + 'a {
        let (names, values) = expressions(&input.placeholders);
        let request = self
            .client
            .search_vectors()
            .table_name(&input.table)
            .index_name(&input.index)
            .set_search_vector(Some(input.vector.iter().map(to_sdk).collect()))
            // DynamoDB takes at most 100; a larger ask is refused by it, not cut here.
            .top_k(i32::try_from(input.top_k).unwrap_or(i32::MAX))
            .set_search_condition_expression(input.condition.clone())
            .set_projection_expression(input.projection.clone())
            .set_expression_attribute_names(names)
            .set_expression_attribute_values(values)
            .set_return_consumed_capacity(asked);
        quiet::quiet(async move {
            let output = request.send().await.map_err(convert_error)?;
            let request_bytes = output
                .consumed_capacity()
                .and_then(sdk::VectorCapacity::vector_search_request_bytes);
            let hits = output
                .search_results
                .unwrap_or_default()
                .into_iter()
                .map(|hit| {
                    let score = hit.score();
                    let item = stored(hit.item.unwrap_or_default())?;
                    Ok(SearchHit::new(score, item))
                })
                .collect::<Result<_, EngineError>>()?;
            Ok(SearchVectorsOutput {
                hits,
                request_bytes,
            })
        })
    }
}
