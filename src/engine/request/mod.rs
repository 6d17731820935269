//! Engine-neutral requests and responses: the subset of DynamoDB's API the
//! mapper sends, with items in this crate's [`AttributeValue`](crate::AttributeValue) form.
//!
//! An engine executes a [`Request`]: a [`Call`] (one of DynamoDB's calls,
//! with its input) and whether to report the capacity consumed; it answers
//! a [`Response`], each call declared once, in one table. The inputs and
//! outputs live one file per kind of call: item (GetItem, PutItem,
//! UpdateItem, DeleteItem), batch, transaction, page (Query, Scan), search
//! (SearchVectors), table
//! (CreateTable, DeleteTable, DescribeTable, time to live) and stream
//! (DescribeStream, GetShardIterator, GetRecords); everything is re-exported
//! here.

mod batch;
mod call;
mod item;
mod page;
mod search;
mod stream;
mod table;
mod transaction;

pub use batch::*;
pub use call::*;
pub use item::*;
pub use page::*;
pub use search::*;
pub use stream::*;
pub use table::*;
pub use transaction::*;

/// The names and values placeholders stand for, as requests carry them.
pub use crate::expression::ExpressionAttributes;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::Item;

    #[test]
    fn constructors_leave_dynamodb_defaults() {
        let query = QueryInput::new("t", "#k = :k");
        assert!(query.scan_forward, "ascending, as DynamoDB");
        assert!(QueryInput::default().scan_forward);
        assert!(!query.consistent_read && query.limit.is_none());
        let scan = ScanInput::new("t").with_segment(1, 4).with_limit(10);
        assert_eq!((scan.segment, scan.limit), (Some((1, 4)), Some(10)));
        let put =
            PutItemInput::new("t", Item::default()).with_condition("attribute_not_exists(#k)");
        assert_eq!(put.condition.as_deref(), Some("attribute_not_exists(#k)"));
        let update = UpdateItemInput::new("t", Item::default(), "SET #a = :a");
        assert_eq!(update.return_values, ReturnValues::None);
        let output = GetItemOutput::new(None).with_consumed_capacity(0.5);
        assert_eq!(output.consumed_capacity, Some(0.5));
        assert_eq!(
            Billing::provisioned(10, 5),
            Billing::Provisioned { read: 10, write: 5 }
        );
    }
}
