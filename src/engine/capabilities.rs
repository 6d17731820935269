//! What an engine does of DynamoDB's API beyond single-item reads and
//! writes, queries and scans: what the mapper may ask of it, and what it
//! refuses before sending when the engine cannot.

/// What an engine supports. DynamoDB (and dynoxide) support it all; moto
/// has no vector search; ScyllaDB Alternator has no native transactions, no
/// vector search, isolates conditional writes only under
/// lightweight-transaction write isolation (the cluster's
/// `alternator_write_isolation`, or a table's `system:write_isolation` tag),
/// ignores index projections and reports no consumed capacity on Query and
/// Scan.
///
/// ```
/// use dynamodb_mapper::engine::Capabilities;
///
/// assert!(Capabilities::DYNAMODB.native_transactions);
/// let alternator = Capabilities::ALTERNATOR;
/// assert!(!alternator.native_transactions && alternator.write_isolation_tag);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Capabilities {
    /// What the engine is, for errors (`DynamoDB`, `ScyllaDB Alternator`).
    pub profile: &'static str,
    /// TransactWriteItems and TransactGetItems. Without them, native
    /// transactions and unique attributes are refused before anything is
    /// sent; the application-level `Transaction`
    /// (`transactions::Transaction`) needs only single-item conditional
    /// writes.
    pub native_transactions: bool,
    /// A table's stream (DescribeStream, GetShardIterator, GetRecords). An
    /// engine of your own that does not implement them says
    /// [`without_streams`](Self::without_streams).
    pub streams: bool,
    /// Time to live (UpdateTimeToLive, DescribeTimeToLive): without, a
    /// model with `ttl` is refused before its table is created.
    pub time_to_live: bool,
    /// Consumed capacity reported on Query and Scan (informational: the
    /// mapper records it in its tracing spans when reported, and needs it
    /// for nothing).
    pub consumed_capacity_on_pages: bool,
    /// An index holds only its projected attributes (informational:
    /// without, an index holds every attribute, whatever the projection).
    pub index_projections: bool,
    /// Conditional writes are isolated only under lightweight-transaction
    /// write isolation (Alternator): the mapper tags the tables it creates
    /// `system:write_isolation` = `always_use_lwt` (every write a
    /// lightweight transaction, so unconditional writes cannot slip between
    /// a condition and its write either); tag tables made otherwise, or set
    /// the cluster's `alternator_write_isolation`, yourself.
    pub write_isolation_tag: bool,
    /// A write refused by its condition returns the stored item when asked
    /// (`ReturnValuesOnConditionCheckFailure = ALL_OLD`, on single writes
    /// and in a transaction's cancellation reasons; Alternator since
    /// scylladb#15125). The mapper asks on every conditional write and puts
    /// the item in the conflict ([`ConflictError::current`](crate::error::ConflictError::current)),
    /// so that a retry needs no second read; without, the conflict says
    /// [`CurrentItem::NotReturned`](crate::error::CurrentItem::NotReturned)
    /// and retries read the item.
    pub item_on_condition_failure: bool,
    /// Vector indexes and SearchVectors (DynamoDB since 2026, dynoxide;
    /// not Alternator, not moto). Without, a model with vector indexes is
    /// refused before its table is created, and a search before it is sent.
    pub vector_search: bool,
    /// Global indexes keyed on several attributes (up to four partition
    /// and four sort key attributes; DynamoDB since November 2025,
    /// dynoxide, moto from 5.2.5, recent Alternator releases: an older
    /// cluster refuses the table, so say
    /// [`without_multi_attribute_index_keys`](Self::without_multi_attribute_index_keys)
    /// there). Without, a model with such an index is refused before its
    /// table is created, and a query of one before it is sent.
    pub multi_attribute_index_keys: bool,
}

impl Capabilities {
    /// Everything, as DynamoDB (and dynoxide).
    pub const DYNAMODB: Capabilities = Capabilities {
        profile: "DynamoDB",
        native_transactions: true,
        streams: true,
        time_to_live: true,
        consumed_capacity_on_pages: true,
        index_projections: true,
        write_isolation_tag: false,
        item_on_condition_failure: true,
        vector_search: true,
        multi_attribute_index_keys: true,
    };

    /// moto's server (the Python mock of AWS many test suites use): as
    /// DynamoDB, without vector search. Its conditional writes are not
    /// atomic under concurrency, which no capability can make up for.
    pub const MOTO: Capabilities = Capabilities {
        profile: "moto",
        vector_search: false,
        ..Capabilities::DYNAMODB
    };

    /// ScyllaDB Alternator, as its documentation and tracker describe it:
    /// no native transactions (scylladb#5064), conditional writes isolated
    /// under `system:write_isolation`, index projections ignored, no
    /// consumed capacity on Query and Scan, no vector search.
    pub const ALTERNATOR: Capabilities = Capabilities {
        profile: "ScyllaDB Alternator",
        native_transactions: false,
        streams: true,
        time_to_live: true,
        consumed_capacity_on_pages: false,
        index_projections: false,
        write_isolation_tag: true,
        item_on_condition_failure: true,
        vector_search: false,
        multi_attribute_index_keys: true,
    };

    /// The same, without native transactions.
    pub const fn without_native_transactions(mut self) -> Self {
        self.native_transactions = false;
        self
    }

    /// The same, without items returned by refused writes.
    pub const fn without_item_on_condition_failure(mut self) -> Self {
        self.item_on_condition_failure = false;
        self
    }

    /// The same, without vector search.
    pub const fn without_vector_search(mut self) -> Self {
        self.vector_search = false;
        self
    }

    /// The same, without multi-attribute index keys (an older emulator).
    pub const fn without_multi_attribute_index_keys(mut self) -> Self {
        self.multi_attribute_index_keys = false;
        self
    }

    /// The same, without streams.
    pub const fn without_streams(mut self) -> Self {
        self.streams = false;
        self
    }
}

/// The tag Alternator reads for how to isolate a table's conditional
/// writes, and the value the mapper gives the tables it creates: every
/// write a lightweight transaction, so conditions hold under concurrency.
pub const WRITE_ISOLATION_TAG: (&str, &str) = ("system:write_isolation", "always_use_lwt");
