//! Query and Scan: one page each.

use super::ExpressionAttributes;
use crate::attribute::{Item, StoredItem};

/// Query: one page.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct QueryInput {
    /// The table.
    pub table: String,
    /// A secondary index to query instead of the table.
    pub index: Option<String>,
    /// The key condition expression.
    pub key_condition: String,
    /// A filter expression.
    pub filter: Option<String>,
    /// A projection expression: only these attributes are read.
    pub projection: Option<String>,
    /// Placeholders of the expressions.
    pub placeholders: ExpressionAttributes,
    /// Ascending range key order (false: descending).
    pub scan_forward: bool,
    /// At most this many items evaluated for the page.
    pub limit: Option<u32>,
    /// Where the previous page ended.
    pub start_key: Option<Item>,
    /// Strongly consistent read.
    pub consistent_read: bool,
}

impl Default for QueryInput {
    /// An empty request, in ascending range key order as DynamoDB's default.
    fn default() -> Self {
        QueryInput {
            table: String::new(),
            index: None,
            key_condition: String::new(),
            filter: None,
            projection: None,
            placeholders: ExpressionAttributes::default(),
            scan_forward: true,
            limit: None,
            start_key: None,
            consistent_read: false,
        }
    }
}

impl QueryInput {
    /// The first page of the items of `table` for which `key_condition` (a
    /// key condition expression; its placeholders go in
    /// [`with_placeholders`](Self::with_placeholders)) holds, in ascending
    /// range key order, eventually consistent, without a limit.
    pub fn new(table: impl Into<String>, key_condition: impl Into<String>) -> Self {
        QueryInput {
            table: table.into(),
            key_condition: key_condition.into(),
            ..QueryInput::default()
        }
    }

    /// The same request, in ascending (`true`, the default) or descending
    /// (`false`) range key order.
    pub fn with_scan_forward(mut self, scan_forward: bool) -> Self {
        self.scan_forward = scan_forward;
        self
    }

    /// The same request, on the secondary index `index` instead of the table.
    pub fn with_index(mut self, index: impl Into<String>) -> Self {
        self.index = Some(index.into());
        self
    }

    /// The same request, keeping only the items for which `filter` (a filter
    /// expression) holds.
    pub fn with_filter(mut self, filter: impl Into<String>) -> Self {
        self.filter = Some(filter.into());
        self
    }

    /// The same request, reading only the attributes `projection` (a
    /// projection expression) names.
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

    /// The same request, evaluating at most `limit` items for the page.
    pub fn with_limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The same request, starting after `start_key` (the previous page's
    /// [`last_evaluated_key`](PageOutput::last_evaluated_key)).
    pub fn with_start_key(mut self, start_key: Item) -> Self {
        self.start_key = Some(start_key);
        self
    }

    /// The same request, strongly consistent (`true`) or eventually
    /// consistent (`false`, the default).
    pub fn with_consistent_read(mut self, consistent_read: bool) -> Self {
        self.consistent_read = consistent_read;
        self
    }
}

/// Scan: one page.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ScanInput {
    /// The table.
    pub table: String,
    /// A secondary index to scan instead of the table.
    pub index: Option<String>,
    /// A filter expression.
    pub filter: Option<String>,
    /// A projection expression: only these attributes are read.
    pub projection: Option<String>,
    /// Placeholders of the expressions.
    pub placeholders: ExpressionAttributes,
    /// At most this many items evaluated for the page.
    pub limit: Option<u32>,
    /// Where the previous page ended.
    pub start_key: Option<Item>,
    /// Strongly consistent read.
    pub consistent_read: bool,
    /// `(segment, total_segments)` of a parallel scan.
    pub segment: Option<(u32, u32)>,
}

impl ScanInput {
    /// The first page of the items of `table`, eventually consistent,
    /// without a limit, not segmented.
    pub fn new(table: impl Into<String>) -> Self {
        ScanInput {
            table: table.into(),
            ..ScanInput::default()
        }
    }

    /// The same request, on the secondary index `index` instead of the table.
    pub fn with_index(mut self, index: impl Into<String>) -> Self {
        self.index = Some(index.into());
        self
    }

    /// The same request, keeping only the items for which `filter` (a filter
    /// expression) holds.
    pub fn with_filter(mut self, filter: impl Into<String>) -> Self {
        self.filter = Some(filter.into());
        self
    }

    /// The same request, reading only the attributes `projection` (a
    /// projection expression) names.
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

    /// The same request, evaluating at most `limit` items for the page.
    pub fn with_limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// The same request, starting after `start_key` (the previous page's
    /// [`last_evaluated_key`](PageOutput::last_evaluated_key)).
    pub fn with_start_key(mut self, start_key: Item) -> Self {
        self.start_key = Some(start_key);
        self
    }

    /// The same request, strongly consistent (`true`) or eventually
    /// consistent (`false`, the default).
    pub fn with_consistent_read(mut self, consistent_read: bool) -> Self {
        self.consistent_read = consistent_read;
        self
    }

    /// The same request, reading only segment `segment` (from 0) of
    /// `total_segments`, as one worker of a parallel scan.
    pub fn with_segment(mut self, segment: u32, total_segments: u32) -> Self {
        self.segment = Some((segment, total_segments));
        self
    }
}

/// One page of a query or scan.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PageOutput {
    /// The items of the page, in the engine's own form.
    pub items: Vec<StoredItem>,
    /// Where the next page starts; `None` on the last page.
    pub last_evaluated_key: Option<Item>,
    /// Capacity units consumed, if reported.
    pub consumed_capacity: Option<f64>,
}

impl PageOutput {
    /// A last page with these items, reporting no consumed capacity.
    pub fn new(items: Vec<StoredItem>) -> Self {
        PageOutput {
            items,
            last_evaluated_key: None,
            consumed_capacity: None,
        }
    }

    /// The same page, not the last: the next one starts after `key`.
    pub fn with_last_evaluated_key(mut self, key: Item) -> Self {
        self.last_evaluated_key = Some(key);
        self
    }

    /// The same answer, reporting `units` of capacity consumed.
    pub fn with_consumed_capacity(mut self, units: f64) -> Self {
        self.consumed_capacity = Some(units);
        self
    }
}
