//! Tables: creating them with their indexes and stream, and describing them.

use aws_sdk_dynamodb::types as sdk;
use aws_sdk_dynamodb::Client;

use super::convert::{build_error, convert_error};
use crate::attribute::ScalarType;
use crate::engine::request::*;
use crate::error::{EngineError, EngineErrorKind};

pub(super) fn scalar(scalar: ScalarType) -> sdk::ScalarAttributeType {
    match scalar {
        ScalarType::String => sdk::ScalarAttributeType::S,
        ScalarType::Number => sdk::ScalarAttributeType::N,
        ScalarType::Binary => sdk::ScalarAttributeType::B,
    }
}

pub(super) fn describe(table: sdk::TableDescription) -> TableDescription {
    let billing = match table
        .billing_mode_summary
        .as_ref()
        .and_then(|b| b.billing_mode.as_ref())
    {
        Some(sdk::BillingMode::PayPerRequest) => Some(Billing::OnDemand),
        _ => table
            .provisioned_throughput
            .as_ref()
            .map(|p| Billing::Provisioned {
                read: p.read_capacity_units.unwrap_or(0).max(0) as u64,
                write: p.write_capacity_units.unwrap_or(0).max(0) as u64,
            }),
    };
    TableDescription {
        name: table.table_name.unwrap_or_default(),
        status: table
            .table_status
            .map(|s| TableStatus::parse(s.as_str()))
            .unwrap_or(TableStatus::Active),
        key_schema: table
            .key_schema
            .unwrap_or_default()
            .into_iter()
            .map(|k| k.attribute_name)
            .collect(),
        attribute_types: table
            .attribute_definitions
            .unwrap_or_default()
            .into_iter()
            .map(|d| (d.attribute_name, d.attribute_type.as_str().to_owned()))
            .collect(),
        item_count: table.item_count,
        billing,
        indexes: table
            .global_secondary_indexes
            .iter()
            .flatten()
            .filter_map(|i| i.index_name.clone())
            .chain(
                table
                    .local_secondary_indexes
                    .iter()
                    .flatten()
                    .filter_map(|i| i.index_name.clone()),
            )
            .collect(),
        vector_indexes: table
            .vector_indexes
            .iter()
            .flatten()
            .filter_map(|i| i.index_name.clone())
            .collect(),
        stream_view: table
            .stream_specification
            .filter(|s| s.stream_enabled)
            .and_then(|s| s.stream_view_type)
            .map(|v| v.as_str().to_owned()),
        latest_stream_arn: table.latest_stream_arn,
    }
}

pub(super) fn key_elements(
    hash: &str,
    range: Option<&str>,
) -> Result<Vec<sdk::KeySchemaElement>, EngineError> {
    let mut schema = vec![key_element(hash.to_owned(), sdk::KeyType::Hash)?];
    if let Some(range) = range {
        schema.push(key_element(range.to_owned(), sdk::KeyType::Range)?);
    }
    Ok(schema)
}

/// An index's key schema: every partition key attribute, then every sort
/// key attribute, in order (a multi-attribute key has several of each).
fn index_key_elements(
    index: &crate::model::IndexDefinition,
) -> Result<Vec<sdk::KeySchemaElement>, EngineError> {
    index
        .hash_keys()
        .map(|k| key_element(k.attribute.to_owned(), sdk::KeyType::Hash))
        .chain(
            index
                .range_keys()
                .map(|k| key_element(k.attribute.to_owned(), sdk::KeyType::Range)),
        )
        .collect()
}

pub(super) fn projection(projection: crate::model::Projection) -> sdk::Projection {
    use crate::model::Projection as P;
    match projection {
        P::All => sdk::Projection::builder()
            .projection_type(sdk::ProjectionType::All)
            .build(),
        P::KeysOnly => sdk::Projection::builder()
            .projection_type(sdk::ProjectionType::KeysOnly)
            .build(),
        P::Include(names) => sdk::Projection::builder()
            .projection_type(sdk::ProjectionType::Include)
            .set_non_key_attributes(Some(names.iter().map(|n| (*n).to_owned()).collect()))
            .build(),
    }
}

pub(super) fn key_element(
    name: String,
    key_type: sdk::KeyType,
) -> Result<sdk::KeySchemaElement, EngineError> {
    sdk::KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(key_type)
        .build()
        .map_err(build_error)
}

pub(super) fn definition(
    name: String,
    scalar_type: ScalarType,
) -> Result<sdk::AttributeDefinition, EngineError> {
    sdk::AttributeDefinition::builder()
        .attribute_name(name)
        .attribute_type(scalar(scalar_type))
        .build()
        .map_err(build_error)
}

/// Creates a table with its indexes and stream.
pub(super) async fn create_table(
    client: &Client,
    input: CreateTableInput,
) -> Result<TableDescription, EngineError> {
    let throughput = match input.billing {
        Billing::OnDemand => None,
        Billing::Provisioned { read, write } => Some(
            sdk::ProvisionedThroughput::builder()
                .read_capacity_units(read as i64)
                .write_capacity_units(write as i64)
                .build()
                .map_err(build_error)?,
        ),
    };
    let TableIndexes {
        definitions,
        globals,
        locals,
        vectors,
    } = definitions_and_indexes(&input, throughput.as_ref())?;
    let mut request = client
        .create_table()
        .table_name(&input.table)
        .set_key_schema(Some(key_elements(
            &input.hash_key.0,
            input.range_key.as_ref().map(|r| r.0.as_str()),
        )?))
        .set_attribute_definitions(Some(definitions))
        .set_global_secondary_indexes((!globals.is_empty()).then_some(globals))
        .set_local_secondary_indexes((!locals.is_empty()).then_some(locals))
        .set_vector_indexes((!vectors.is_empty()).then_some(vectors));
    if let Some(view) = input.stream {
        request = request.stream_specification(
            sdk::StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(sdk::StreamViewType::from(view.as_str()))
                .build()
                .map_err(build_error)?,
        );
    }
    for (key, value) in input.tags {
        request = request.tags(
            sdk::Tag::builder()
                .key(key)
                .value(value)
                .build()
                .map_err(build_error)?,
        );
    }
    request = match input.billing {
        Billing::OnDemand => request.billing_mode(sdk::BillingMode::PayPerRequest),
        Billing::Provisioned { .. } => request
            .billing_mode(sdk::BillingMode::Provisioned)
            .set_provisioned_throughput(throughput),
    };
    let output = request.send().await.map_err(convert_error)?;
    output.table_description.map(describe).ok_or_else(|| {
        EngineError::new(
            EngineErrorKind::Internal,
            None,
            "CreateTable returned no description",
        )
    })
}

/// A table's indexes, and the definitions of the attributes they key or
/// search on.
struct TableIndexes {
    definitions: Vec<sdk::AttributeDefinition>,
    globals: Vec<sdk::GlobalSecondaryIndex>,
    locals: Vec<sdk::LocalSecondaryIndex>,
    vectors: Vec<sdk::VectorIndex>,
}

/// The table's key attribute definitions (the table's and its indexes',
/// each once), its global and local indexes (a global one provisioned as
/// the table is) and its vector indexes.
fn definitions_and_indexes(
    input: &CreateTableInput,
    throughput: Option<&sdk::ProvisionedThroughput>,
) -> Result<TableIndexes, EngineError> {
    let mut defined: Vec<String> = Vec::new();
    let mut definitions = Vec::new();
    let mut define = |name: &str, scalar_type: ScalarType| -> Result<(), EngineError> {
        if !defined.iter().any(|d| d == name) {
            defined.push(name.to_owned());
            definitions.push(definition(name.to_owned(), scalar_type)?);
        }
        Ok(())
    };
    define(&input.hash_key.0, input.hash_key.1)?;
    if let Some((name, scalar_type)) = &input.range_key {
        define(name, *scalar_type)?;
    }
    let (mut globals, mut locals) = (Vec::new(), Vec::new());
    for index in &input.indexes {
        for key in index.hash_keys().chain(index.range_keys()) {
            define(key.attribute, key.scalar_type)?;
        }
        let schema = index_key_elements(index)?;
        match index.kind {
            crate::model::IndexKind::Global => globals.push(
                sdk::GlobalSecondaryIndex::builder()
                    .index_name(index.name)
                    .set_key_schema(Some(schema))
                    .projection(projection(index.projection))
                    .set_provisioned_throughput(throughput.cloned())
                    .build()
                    .map_err(build_error)?,
            ),
            crate::model::IndexKind::Local => locals.push(
                sdk::LocalSecondaryIndex::builder()
                    .index_name(index.name)
                    .set_key_schema(Some(schema))
                    .projection(projection(index.projection))
                    .build()
                    .map_err(build_error)?,
            ),
        }
    }
    let mut vectors = Vec::new();
    for index in &input.vector_indexes {
        let mut schema = Vec::new();
        if let Some(partition) = index.partition {
            define(partition.attribute, partition.scalar_type)?;
            schema.push(search_element(
                partition.attribute,
                sdk::SearchSchemaElementType::Hash,
            )?);
        }
        for filter in index.filters {
            define(filter.attribute, filter.scalar_type)?;
            schema.push(search_element(
                filter.attribute,
                sdk::SearchSchemaElementType::InlineFilter,
            )?);
        }
        vectors.push(
            sdk::VectorIndex::builder()
                .index_name(index.name)
                .vector_attribute(
                    sdk::VectorAttributeDefinition::builder()
                        .attribute_name(index.attribute)
                        .build()
                        .map_err(build_error)?,
                )
                .set_search_schema((!schema.is_empty()).then_some(schema))
                .projection(projection(index.projection))
                // At most 4096: `Vector<N>` refuses more at compile time.
                .dimensions(i64::try_from(index.dimensions).unwrap_or(i64::MAX))
                .distance_function(sdk::VectorDistanceFunction::from(index.distance.as_str()))
                .build()
                .map_err(build_error)?,
        );
    }
    Ok(TableIndexes {
        definitions,
        globals,
        locals,
        vectors,
    })
}

fn search_element(
    attribute: &str,
    element_type: sdk::SearchSchemaElementType,
) -> Result<sdk::SearchSchemaElement, EngineError> {
    sdk::SearchSchemaElement::builder()
        .attribute_name(attribute)
        .search_schema_element_type(element_type)
        .build()
        .map_err(build_error)
}
