//! What a request costs in capacity units when the engine does not say:
//! DynamoDB's published arithmetic applied to the items seen. A read unit
//! is one strongly consistent read of up to 4 KB (an eventually consistent
//! one is half); a write unit is one write of up to 1 KB; transactions cost
//! double. Query and Scan pages cost their returned items' total size in
//! 4 KB units: items a filter dropped are not seen, so on engines that report
//! nothing a filtered scan is under-counted (DynamoDB reports it).

use crate::attribute::{item_size, Item, StoredItem};
use crate::engine::request::*;

const READ_UNIT_BYTES: usize = 4 * 1024;
const WRITE_UNIT_BYTES: usize = 1024;

fn units(bytes: usize, unit: usize) -> f64 {
    // At least one unit: an empty answer or a delete costs one too.
    bytes.div_ceil(unit).max(1) as f64
}

fn consistency(consistent: bool) -> f64 {
    if consistent {
        1.0
    } else {
        0.5
    }
}

/// One item read.
pub(super) fn item_read(item: Option<&StoredItem>, consistent: bool) -> f64 {
    units(item.map_or(0, StoredItem::size), READ_UNIT_BYTES) * consistency(consistent)
}

/// Items read one by one (BatchGetItem: each item rounds up on its own).
pub(super) fn items_read(items: &[StoredItem], consistent: bool) -> f64 {
    items
        .iter()
        .map(|item| item_read(Some(item), consistent))
        .sum()
}

/// A Query or Scan page: the items' total size rounds up once.
pub(super) fn page_read(items: &[StoredItem], consistent: bool) -> f64 {
    let bytes = items.iter().map(StoredItem::size).sum();
    units(bytes, READ_UNIT_BYTES) * consistency(consistent)
}

/// One item written: its size for a put, one unit when it is not known (a
/// delete, an update: DynamoDB counts the larger of the item before and
/// after, which the request does not show).
pub(super) fn item_write(item: Option<&Item>) -> f64 {
    item_write_of(item.map(item_size))
}

/// One item written, of `size` bytes (as [`item_write`]).
pub(super) fn item_write_of(size: Option<usize>) -> f64 {
    units(size.unwrap_or(0), WRITE_UNIT_BYTES)
}

/// Writes of a batch: each rounds up on its own.
pub(super) fn writes(writes: &[WriteRequest]) -> f64 {
    writes
        .iter()
        .map(|write| match write {
            WriteRequest::Put(item) => item_write(Some(item)),
            WriteRequest::Delete(_) => item_write(None),
        })
        .sum()
}

/// A native transaction of writes: each action twice.
pub(super) fn transact_write(input: &TransactWriteInput) -> f64 {
    input
        .actions
        .iter()
        .map(|action| {
            let units = match action {
                TransactWriteItem::Put(put) => item_write(Some(&put.item)),
                // A check is a read, but DynamoDB bills it in write units;
                // updates and deletes count the item they change, unseen.
                _ => item_write(None),
            };
            2.0 * units
        })
        .sum()
}

/// A native transaction of reads: each item twice, strongly consistent.
pub(super) fn transact_get(output: &TransactGetOutput) -> f64 {
    output
        .items
        .iter()
        .map(|item| 2.0 * item_read(item.as_ref(), true))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::AttributeValue;

    fn item_of(bytes: usize) -> Item {
        // "p" and a string of bytes - 1: the item is `bytes` long.
        Item::from_iter([("p".to_owned(), AttributeValue::S("x".repeat(bytes - 1)))])
    }

    #[test]
    fn reads_round_up_to_4_kb_and_eventual_reads_cost_half() {
        let read = |bytes| StoredItem::from(item_of(bytes));
        assert_eq!(item_read(Some(&read(100)), true), 1.0);
        assert_eq!(item_read(Some(&read(4096)), true), 1.0);
        assert_eq!(item_read(Some(&read(4097)), true), 2.0);
        assert_eq!(item_read(Some(&read(4097)), false), 1.0);
        assert_eq!(item_read(None, false), 0.5, "a miss costs too");
        // A page rounds once; a batch rounds each item.
        let items = vec![read(1000), read(1000), read(1000)];
        assert_eq!(page_read(&items, true), 1.0);
        assert_eq!(items_read(&items, true), 3.0);
    }

    #[test]
    fn writes_round_up_to_1_kb_and_deletes_cost_one() {
        assert_eq!(item_write(Some(&item_of(1024))), 1.0);
        assert_eq!(item_write(Some(&item_of(1025))), 2.0);
        let sent = [
            WriteRequest::Put(item_of(3000)),
            WriteRequest::Delete(item_of(10)),
        ];
        assert_eq!(writes(&sent), 4.0);
        assert_eq!(writes(&sent[1..]), 1.0);
    }

    #[test]
    fn transactions_cost_double() {
        let input = TransactWriteInput::new(vec![
            TransactWriteItem::Put(PutItemInput::new("a", item_of(2000))),
            TransactWriteItem::Delete(DeleteItemInput::new("b", item_of(10))),
        ]);
        assert_eq!(transact_write(&input), 6.0);
        let output = TransactGetOutput::new(vec![Some(item_of(5000).into()), None]);
        assert_eq!(transact_get(&output), 6.0);
    }
}
