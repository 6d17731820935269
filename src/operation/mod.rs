//! Operations: each reads or writes models through a [`Connection`]'s engine.
//!
//! Single-item operations are builders you `.await`; multi-item reads are
//! lazy [`Stream`](futures::Stream)s that hide paging and batching.

mod batch_get;
mod batch_write;
mod call;
mod changes;
mod collection;
mod connection;
mod cursor;
mod delete;
mod get;
mod native_transaction;
mod outcome;
mod paging;
mod plan;
mod progress;
mod query;
mod retry;
mod save;
mod scan;
mod table;
mod update;

pub(crate) use crate::model::item_key;
pub use batch_get::BatchGet;
pub use batch_write::{
    BatchWrite, BatchWriteReport, DEFAULT_BATCH_CONCURRENCY, MAX_ITEM_BYTES, MAX_REQUEST_BYTES,
    MAX_WRITES_PER_REQUEST,
};
pub(crate) use call::{call_retrying, call_until, send, send_until, typed, Repeat};
pub use changes::{ChangeEvent, ChangeReader, Changes, Checkpoint, MAX_RECORDS_PER_READ};
pub use collection::CollectionQuery;
pub use connection::Connection;
pub use cursor::Cursor;
pub use delete::Delete;
pub use get::Get;
pub(crate) use native_transaction::need_native_transactions;
pub use native_transaction::{TransactGet, TransactItems, TransactWrite, MAX_TRANSACTION_ACTIONS};
pub(crate) use outcome::unknown_outcome;
pub(crate) use paging::key_names;
pub use paging::Page;
pub(crate) use plan::unique::GUARD_ENTITY;
pub(crate) use progress::Reporter;
pub use progress::{Progress, ProgressFn, PROGRESS_INTERVAL};
pub use query::Query;
pub use retry::{RetryPolicy, Timeouts, MAX_OPERATION_TIMEOUT};
pub use save::Save;
pub(crate) use save::{item_to_write, put_new};
pub use scan::{Scan, MAX_SEGMENTS, MAX_SEGMENTS_IN_FLIGHT};
pub use table::CreateTable;
pub use update::{ExactlyOnce, Returning, Update};

use crate::engine::request::*;
use crate::error::Error;
use crate::model::{Document, Model};

impl Connection {
    /// Gets one object by its full primary key (`hash` or `(hash, range)`).
    ///
    /// Resolves to `None` when no item has this key.
    pub fn get<M: Model>(&self, key: M::Key) -> Get<M> {
        Get::new(self.clone(), key)
    }

    /// Gets many objects by primary key, as a stream. Any number of keys:
    /// they are sent in batches of at most 100, duplicates once, and
    /// unprocessed keys are retried with backoff. Keys with no item are skipped.
    pub fn get_batch<M: Model>(&self, keys: impl IntoIterator<Item = M::Key>) -> BatchGet<M> {
        BatchGet::new(self.clone(), keys.into_iter().collect())
    }

    /// Saves (puts) any number of objects, unconditionally, in batches of 25.
    ///
    /// A versioned model's objects are stored at their next version, as a
    /// save of a new object stores them (version 1 for an object at 0); the
    /// objects themselves are not changed.
    pub fn save_batch<'m, M: Model>(
        &self,
        models: impl IntoIterator<Item = &'m M>,
    ) -> BatchWrite<M> {
        let writes = models.into_iter().map(plan::batch::put).collect();
        BatchWrite::new(self.clone(), writes)
    }

    /// Deletes the items with these keys, unconditionally, in batches of 25.
    pub fn delete_batch<M: Model>(&self, keys: impl IntoIterator<Item = M::Key>) -> BatchWrite<M> {
        let writes = keys
            .into_iter()
            .map(|key| plan::batch::delete::<M>(&key))
            .collect();
        BatchWrite::new(self.clone(), writes)
    }

    /// Queries the objects under one hash key, as a stream in range key order.
    pub fn query<M: Model>(&self, hash: M::HashKey) -> Query<M> {
        Query::new(self.clone(), hash)
    }

    /// Queries a secondary index (from `Model::indexes()`) under one of its
    /// hash key values, as a stream of the model's documents; `.project::<P>()`
    /// decodes into a projection type instead.
    pub fn query_index<M: Model, H: crate::KeyAttribute, R>(
        &self,
        index: crate::model::Index<M, H, R>,
        hash: H,
    ) -> Query<M, R> {
        Query::on_index(self.clone(), index, hash)
    }

    /// Reads one partition of a table that entities share, as a stream of
    /// the collection enum `C`: each item decoded as the variant of the
    /// entity it stores (a customer with their orders and addresses, in sort
    /// key order, in one paged query).
    pub fn collection<C: crate::model::Collection>(
        &self,
        partition: C::Partition,
    ) -> CollectionQuery<C> {
        CollectionQuery::new(self.clone(), partition)
    }

    /// Reads one partition of a secondary index that entities share (an
    /// overloaded index), given by the index handle of one of the
    /// collection's entities; items of entities without this index's keys
    /// are not in it (a sparse index).
    pub fn collection_index<C, M, H, R>(
        &self,
        index: crate::model::Index<M, H, R>,
        hash: H,
    ) -> CollectionQuery<C>
    where
        C: crate::model::Collection,
        M: crate::model::collection::Member<C>,
        H: crate::KeyAttribute,
    {
        CollectionQuery::on_index(self.clone(), index, hash)
    }

    /// Whether time to live is enabled on the model's table, and by which attribute.
    pub async fn time_to_live<M: Model>(&self) -> Result<Option<String>, Error> {
        let table = self.table_name(M::SCHEMA.table);
        let input = DescribeTimeToLiveInput::new(table.clone());
        send(self, &table, Repeat::Read, &input).await
    }

    /// Scans the whole table, as a stream.
    pub fn scan<M: Model>(&self) -> Scan<M> {
        Scan::new(self.clone())
    }

    /// Saves (puts) the whole object. With `.raise_on_conflict()`, only if the
    /// stored item is unchanged since it was loaded, or for a new object, only
    /// if its key is free.
    pub fn save<'d, M: Model>(&self, document: &'d mut Document<M>) -> Save<'d, M> {
        Save::new(self.clone(), document)
    }

    /// Deletes the object. With `.raise_on_conflict()`, only if the stored item
    /// is unchanged since it was loaded.
    pub fn delete<'d, M: Model>(&self, document: &'d mut Document<M>) -> Delete<'d, M> {
        Delete::new(self.clone(), document)
    }

    /// Updates attributes of the item with this key, sending only an update
    /// expression (see [`Update`]).
    pub fn update<M: Model>(&self, key: M::Key) -> Update<M> {
        Update::new(self.clone(), &key)
    }

    /// A native transaction of writes (TransactWriteItems), across models and tables.
    pub fn transact_write(&self) -> TransactWrite {
        TransactWrite::new(self.clone())
    }

    /// A native transaction of reads (TransactGetItems), across models and tables.
    pub fn transact_get(&self) -> TransactGet {
        TransactGet::new(self.clone())
    }

    /// Deletes the item with this key, if any, unconditionally (for an
    /// entity: unless it holds another entity's item, a conflict).
    pub async fn delete_key<M: Model>(&self, key: M::Key) -> Result<(), Error> {
        plan::WritePlan::<M>::delete_key(self, &key, None)?
            .send(self)
            .await
            .map(drop)
    }

    /// Creates the model's table.
    pub fn create_table<M: Model>(&self) -> CreateTable<M> {
        CreateTable::new(self.clone())
    }

    /// Deletes the model's table and everything in it.
    pub async fn delete_table<M: Model>(&self) -> Result<(), Error> {
        let table = self.table_name(M::SCHEMA.table);
        let input = DeleteTableInput::new(table.clone());
        send(self, &table, Repeat::IfRefused, &input).await
    }

    /// Describes the model's table.
    pub async fn describe_table<M: Model>(&self) -> Result<TableDescription, Error> {
        let table = self.table_name(M::SCHEMA.table);
        let input = DescribeTableInput::new(table.clone());
        send(self, &table, Repeat::Read, &input).await
    }
}
