//! CreateTable, DeleteTable, DescribeTable and time to live
//! (UpdateTimeToLive, DescribeTimeToLive).

use std::collections::HashMap;

use crate::attribute::ScalarType;
use crate::model::{IndexDefinition, StreamView, VectorIndexDefinition};

/// How a table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Billing {
    /// Pay per request (on-demand).
    #[default]
    OnDemand,
    /// Provisioned read and write capacity units; build it with
    /// [`Billing::provisioned`].
    #[non_exhaustive]
    Provisioned {
        /// Read capacity units.
        read: u64,
        /// Write capacity units.
        write: u64,
    },
}

impl Billing {
    /// Provisioned billing with `read` read and `write` write capacity units.
    pub fn provisioned(read: u64, write: u64) -> Self {
        Billing::Provisioned { read, write }
    }
}

/// CreateTable.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CreateTableInput {
    /// The table.
    pub table: String,
    /// Hash key attribute name and type.
    pub hash_key: (String, ScalarType),
    /// Range key attribute name and type.
    pub range_key: Option<(String, ScalarType)>,
    /// Billing mode.
    pub billing: Billing,
    /// Secondary indexes.
    pub indexes: Vec<IndexDefinition>,
    /// Vector indexes (on-demand billing only).
    pub vector_indexes: Vec<VectorIndexDefinition>,
    /// A stream of changes.
    pub stream: Option<StreamView>,
    /// Tags (key, value), e.g. Alternator's `system:write_isolation`.
    pub tags: Vec<(String, String)>,
}

impl CreateTableInput {
    /// Creates `table` with the hash key `hash_key` of type `hash_type` and
    /// no range key, billed on demand, without secondary indexes or a
    /// stream.
    pub fn new(
        table: impl Into<String>,
        hash_key: impl Into<String>,
        hash_type: ScalarType,
    ) -> Self {
        CreateTableInput {
            table: table.into(),
            hash_key: (hash_key.into(), hash_type),
            range_key: None,
            billing: Billing::OnDemand,
            indexes: Vec::new(),
            vector_indexes: Vec::new(),
            stream: None,
            tags: Vec::new(),
        }
    }

    /// The same request, with the range key `range_key` of type `range_type`.
    pub fn with_range_key(mut self, range_key: impl Into<String>, range_type: ScalarType) -> Self {
        self.range_key = Some((range_key.into(), range_type));
        self
    }

    /// The same request, with this billing mode.
    pub fn with_billing(mut self, billing: Billing) -> Self {
        self.billing = billing;
        self
    }

    /// The same request, with the tag `key` = `value`.
    pub fn with_tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.tags.push((key.into(), value.into()));
        self
    }

    /// The same request, with these secondary indexes.
    pub fn with_indexes(mut self, indexes: Vec<IndexDefinition>) -> Self {
        self.indexes = indexes;
        self
    }

    /// The same request, with these vector indexes.
    pub fn with_vector_indexes(mut self, indexes: Vec<VectorIndexDefinition>) -> Self {
        self.vector_indexes = indexes;
        self
    }

    /// The same request, with a stream of changes showing `view` of each.
    pub fn with_stream(mut self, view: StreamView) -> Self {
        self.stream = Some(view);
        self
    }
}

/// A table's status.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableStatus {
    /// Being created.
    Creating,
    /// Ready.
    Active,
    /// Being changed.
    Updating,
    /// Being deleted.
    Deleting,
    /// Any other status the engine reports.
    Other(String),
}

impl TableStatus {
    // Used by the engines; a build without any has none.
    #[cfg_attr(not(any(feature = "embedded", feature = "aws")), allow(dead_code))]
    pub(crate) fn parse(text: &str) -> Self {
        match text {
            "CREATING" => TableStatus::Creating,
            "ACTIVE" => TableStatus::Active,
            "UPDATING" => TableStatus::Updating,
            "DELETING" => TableStatus::Deleting,
            other => TableStatus::Other(other.to_owned()),
        }
    }
}

/// What DescribeTable tells.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TableDescription {
    /// The table.
    pub name: String,
    /// Its status.
    pub status: TableStatus,
    /// Key attribute names: hash, then range.
    pub key_schema: Vec<String>,
    /// Key attribute types by name.
    pub attribute_types: HashMap<String, String>,
    /// Approximate item count, if reported.
    pub item_count: Option<i64>,
    /// Billing mode, if reported.
    pub billing: Option<Billing>,
    /// Names of the secondary indexes.
    pub indexes: Vec<String>,
    /// Names of the vector indexes.
    pub vector_indexes: Vec<String>,
    /// The stream's view type, if a stream is enabled.
    pub stream_view: Option<String>,
    /// The table's latest stream (what a stream reader reads), if it has
    /// had one.
    pub latest_stream_arn: Option<String>,
}

impl TableDescription {
    /// A description of `table` in this status, reporting nothing else.
    pub fn new(table: impl Into<String>, status: TableStatus) -> Self {
        TableDescription {
            name: table.into(),
            status,
            key_schema: Vec::new(),
            attribute_types: HashMap::new(),
            item_count: None,
            billing: None,
            indexes: Vec::new(),
            vector_indexes: Vec::new(),
            stream_view: None,
            latest_stream_arn: None,
        }
    }

    /// The same description, with these key attribute names: hash, then
    /// range.
    pub fn with_key_schema(mut self, key_schema: Vec<String>) -> Self {
        self.key_schema = key_schema;
        self
    }

    /// The same description, with these key attribute types by name
    /// (`S`, `N`, `B`).
    pub fn with_attribute_types(mut self, attribute_types: HashMap<String, String>) -> Self {
        self.attribute_types = attribute_types;
        self
    }

    /// The same description, reporting about `count` items.
    pub fn with_item_count(mut self, count: i64) -> Self {
        self.item_count = Some(count);
        self
    }

    /// The same description, reporting this billing mode.
    pub fn with_billing(mut self, billing: Billing) -> Self {
        self.billing = Some(billing);
        self
    }

    /// The same description, with these secondary index names.
    pub fn with_indexes(mut self, indexes: Vec<String>) -> Self {
        self.indexes = indexes;
        self
    }

    /// The same description, with these vector index names.
    pub fn with_vector_indexes(mut self, indexes: Vec<String>) -> Self {
        self.vector_indexes = indexes;
        self
    }

    /// The same description, with a stream of this view type
    /// (`NEW_IMAGE`, ...).
    pub fn with_stream_view(mut self, view: impl Into<String>) -> Self {
        self.stream_view = Some(view.into());
        self
    }
}

/// DeleteTable: the table and everything in it. Answered by `()`.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct DeleteTableInput {
    /// The table.
    pub table: String,
}

impl DeleteTableInput {
    /// Deletes `table`.
    pub fn new(table: impl Into<String>) -> Self {
        DeleteTableInput {
            table: table.into(),
        }
    }
}

/// DescribeTable. Answered by a [`TableDescription`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct DescribeTableInput {
    /// The table.
    pub table: String,
}

impl DescribeTableInput {
    /// Describes `table`.
    pub fn new(table: impl Into<String>) -> Self {
        DescribeTableInput {
            table: table.into(),
        }
    }
}

/// UpdateTimeToLive, enabling expiry: items whose `attribute` (epoch
/// seconds) has passed are deleted. Answered by `()`.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct UpdateTimeToLiveInput {
    /// The table.
    pub table: String,
    /// The attribute holding each item's expiry time, in epoch seconds.
    pub attribute: String,
}

impl UpdateTimeToLiveInput {
    /// Enables expiry on `table` by `attribute`.
    pub fn new(table: impl Into<String>, attribute: impl Into<String>) -> Self {
        UpdateTimeToLiveInput {
            table: table.into(),
            attribute: attribute.into(),
        }
    }
}

/// DescribeTimeToLive. Answered by the expiry attribute, `None` unless
/// expiry is enabled.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct DescribeTimeToLiveInput {
    /// The table.
    pub table: String,
}

impl DescribeTimeToLiveInput {
    /// Asks whether expiry is enabled on `table`, and by which attribute.
    pub fn new(table: impl Into<String>) -> Self {
        DescribeTimeToLiveInput {
            table: table.into(),
        }
    }
}
