//! Tables: creating them with their indexes, and describing them.

use dynoxide::actions;
use dynoxide::types as dx;

use crate::attribute::ScalarType;
use crate::engine::request::*;

pub(super) fn describe(table: actions::TableDescription) -> TableDescription {
    let attribute_types = table
        .attribute_definitions
        .iter()
        .map(|d| (d.attribute_name.clone(), format!("{:?}", d.attribute_type)))
        .collect();
    let billing = match table
        .billing_mode_summary
        .as_ref()
        .map(|b| b.billing_mode.as_str())
    {
        Some("PAY_PER_REQUEST") => Some(Billing::OnDemand),
        _ => table
            .provisioned_throughput
            .as_ref()
            .map(|p| Billing::Provisioned {
                read: p.read_capacity_units,
                write: p.write_capacity_units,
            }),
    };
    TableDescription {
        name: table.table_name,
        status: TableStatus::parse(&table.table_status),
        key_schema: table
            .key_schema
            .into_iter()
            .map(|k| k.attribute_name)
            .collect(),
        attribute_types,
        item_count: table.item_count,
        billing,
        indexes: table
            .global_secondary_indexes
            .iter()
            .flatten()
            .map(|i| i.index_name.clone())
            .chain(
                table
                    .local_secondary_indexes
                    .iter()
                    .flatten()
                    .map(|i| i.index_name.clone()),
            )
            .collect(),
        vector_indexes: table
            .vector_indexes
            .iter()
            .flatten()
            .map(|i| i.index_name.clone())
            .collect(),
        stream_view: table
            .stream_specification
            .filter(|s| s.stream_enabled)
            .and_then(|s| s.stream_view_type),
        latest_stream_arn: table.latest_stream_arn,
    }
}

pub(super) fn key_elements(hash: &str, range: Option<&str>) -> Vec<dx::KeySchemaElement> {
    let mut schema = vec![dx::KeySchemaElement {
        attribute_name: hash.to_owned(),
        key_type: dx::KeyType::HASH,
    }];
    if let Some(range) = range {
        schema.push(dx::KeySchemaElement {
            attribute_name: range.to_owned(),
            key_type: dx::KeyType::RANGE,
        });
    }
    schema
}

/// An index's key schema: every partition key attribute, then every sort
/// key attribute, in order (a multi-attribute key has several of each).
fn index_key_elements(index: &crate::model::IndexDefinition) -> Vec<dx::KeySchemaElement> {
    let element = |key: crate::model::KeyDefinition, key_type| dx::KeySchemaElement {
        attribute_name: key.attribute.to_owned(),
        key_type,
    };
    index
        .hash_keys()
        .map(|k| element(k, dx::KeyType::HASH))
        .chain(index.range_keys().map(|k| element(k, dx::KeyType::RANGE)))
        .collect()
}

pub(super) fn projection(projection: crate::model::Projection) -> dx::Projection {
    use crate::model::Projection as P;
    match projection {
        P::All => dx::Projection {
            projection_type: Some(dx::ProjectionType::ALL),
            non_key_attributes: None,
        },
        P::KeysOnly => dx::Projection {
            projection_type: Some(dx::ProjectionType::KEYS_ONLY),
            non_key_attributes: None,
        },
        P::Include(names) => dx::Projection {
            projection_type: Some(dx::ProjectionType::INCLUDE),
            non_key_attributes: Some(names.iter().map(|n| (*n).to_owned()).collect()),
        },
    }
}

fn search_element(attribute: &str, element_type: &str) -> dx::SearchSchemaElement {
    dx::SearchSchemaElement {
        attribute_name: attribute.to_owned(),
        search_schema_element_type: element_type.to_owned(),
    }
}

pub(super) fn scalar(scalar: ScalarType) -> dx::ScalarAttributeType {
    match scalar {
        ScalarType::String => dx::ScalarAttributeType::S,
        ScalarType::Number => dx::ScalarAttributeType::N,
        ScalarType::Binary => dx::ScalarAttributeType::B,
    }
}

/// The CreateTable request for a model's table, indexes and stream.
pub(super) fn create_table_request(
    input: CreateTableInput,
) -> actions::create_table::CreateTableRequest {
    let key_schema = key_elements(
        &input.hash_key.0,
        input.range_key.as_ref().map(|r| r.0.as_str()),
    );
    let mut definitions: Vec<dx::AttributeDefinition> = Vec::new();
    let mut define = |name: &str, scalar_type: ScalarType| {
        if !definitions.iter().any(|d| d.attribute_name == name) {
            definitions.push(dx::AttributeDefinition {
                attribute_name: name.to_owned(),
                attribute_type: scalar(scalar_type),
            });
        }
    };
    define(&input.hash_key.0, input.hash_key.1);
    if let Some((name, scalar_type)) = &input.range_key {
        define(name, *scalar_type);
    }
    let (billing_mode, throughput) = match input.billing {
        Billing::OnDemand => ("PAY_PER_REQUEST", None),
        Billing::Provisioned { read, write } => (
            "PROVISIONED",
            Some(dx::ProvisionedThroughput {
                read_capacity_units: Some(read as i64),
                write_capacity_units: Some(write as i64),
            }),
        ),
    };
    let (mut globals, mut locals) = (Vec::new(), Vec::new());
    for index in &input.indexes {
        for key in index.hash_keys().chain(index.range_keys()) {
            define(key.attribute, key.scalar_type);
        }
        let schema = index_key_elements(index);
        match index.kind {
            crate::model::IndexKind::Global => globals.push(dx::GlobalSecondaryIndex {
                index_name: index.name.to_owned(),
                key_schema: schema,
                projection: projection(index.projection),
                provisioned_throughput: throughput.clone(),
            }),
            crate::model::IndexKind::Local => locals.push(dx::LocalSecondaryIndex {
                index_name: index.name.to_owned(),
                key_schema: schema,
                projection: projection(index.projection),
            }),
        }
    }
    let vector_indexes: Vec<dx::VectorIndex> = input
        .vector_indexes
        .iter()
        .map(|index| {
            let mut schema = Vec::new();
            if let Some(partition) = index.partition {
                define(partition.attribute, partition.scalar_type);
                schema.push(search_element(partition.attribute, "HASH"));
            }
            for filter in index.filters {
                define(filter.attribute, filter.scalar_type);
                schema.push(search_element(filter.attribute, "INLINE_FILTER"));
            }
            dx::VectorIndex {
                index_name: index.name.to_owned(),
                vector_attribute: dx::VectorAttributeDefinition {
                    attribute_name: index.attribute.to_owned(),
                },
                search_schema: (!schema.is_empty()).then_some(schema),
                projection: projection(index.projection),
                // At most 4096: `Vector<N>` refuses more at compile time.
                dimensions: u32::try_from(index.dimensions).unwrap_or(u32::MAX),
                distance_function: index.distance.as_str().to_owned(),
            }
        })
        .collect();
    actions::create_table::CreateTableRequest {
        table_name: input.table,
        vector_indexes: (!vector_indexes.is_empty()).then_some(vector_indexes),
        key_schema,
        attribute_definitions: definitions,
        billing_mode: Some(billing_mode.to_owned()),
        provisioned_throughput: throughput,
        global_secondary_indexes: (!globals.is_empty()).then_some(globals),
        local_secondary_indexes: (!locals.is_empty()).then_some(locals),
        stream_specification: input
            .stream
            .map(|view| actions::create_table::StreamSpecification {
                stream_enabled: true,
                stream_view_type: Some(view.as_str().to_owned()),
            }),
        tags: (!input.tags.is_empty()).then(|| {
            input
                .tags
                .into_iter()
                .map(|(key, value)| dx::Tag { key, value })
                .collect()
        }),
        ..Default::default()
    }
}
