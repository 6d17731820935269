//! Operations: each reads or writes models through a [`Connection`]'s engine.
//!
//! Single-item operations are builders you `.await`; multi-item reads are
//! lazy [`Stream`](futures::Stream)s that hide paging and batching.

mod batch_get;
mod batch_write;
mod call;
mod collection_query;
mod connection;
mod cursor;
mod delete;
mod document_arg;
mod get;
pub(crate) mod native_transaction;
mod outcome;
mod paging;
mod plan;
mod progress;
mod query;
mod retry;
mod save;
mod scan;
mod search;
pub(crate) mod stream_reader;
mod table;
mod update;

pub(crate) use crate::model::item_key;
pub use batch_get::BatchGet;
pub use batch_write::{
    BatchWrite, BatchWriteReport, DEFAULT_BATCH_CONCURRENCY, MAX_ITEM_BYTES, MAX_REQUEST_BYTES,
    MAX_WRITES_PER_REQUEST,
};
pub(crate) use call::{call_retrying, call_until, send, send_until, typed, RetryClass};
pub use collection_query::CollectionQuery;
pub use connection::Connection;
pub use cursor::Cursor;
pub use delete::{Delete, DeleteKey};
pub use document_arg::DocumentArg;
pub use get::Get;
pub(crate) use native_transaction::need_native_transactions;
pub(crate) use outcome::unknown_outcome;
pub use paging::Page;
pub(crate) use plan::unique::GUARD_ENTITY;
pub(crate) use progress::Reporter;
pub use progress::{Progress, ProgressFn, PROGRESS_INTERVAL};
pub use query::Query;
// A connection's configuration, in one place: retries and timeouts, and
// the capacity its requests share (paced by an engine wrapper).
pub use crate::engine::pacing::{CapacityKind, CapacityLimit, Pacer, PacingStats};
pub use retry::{RetryPolicy, Timeouts, MAX_OPERATION_TIMEOUT};
pub(crate) use save::put_new;
pub use save::Save;
pub use scan::{Scan, MAX_SEGMENTS, MAX_SEGMENTS_IN_FLIGHT};
pub use search::{Hit, Search, DEFAULT_K, MAX_K as MAX_SEARCH_K};
pub use table::CreateTable;
pub use update::{ExactlyOnce, Returning, Update};
