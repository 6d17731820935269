//! The one thing an engine does: execute a [`Request`] (a [`Call`] and
//! whether to report the capacity it consumed) and answer a [`Response`].
//! [`Input`] ties each call's input to its output, for typed sending
//! (`<dyn Engine>::send`).
//!
//! Every DynamoDB call the mapper makes is one line of the table in
//! `calls!`: its input, its output, its name. Adding one there adds the
//! [`Call`] and [`Response`] variants and the typed sending; the engines
//! then answer it.

use super::*;
use crate::error::{EngineError, EngineErrorKind};

/// Declares the calls: the [`Call`] and [`Response`] enums, their names,
/// and each input's [`Input`] implementation.
macro_rules! calls {
    ($( $(#[$doc:meta])* $name:ident($input:ty) -> $output:ty; )*) => {
        /// One DynamoDB call with its input, borrowed: an engine reads what
        /// it sends when called, and the caller keeps the input to send it
        /// again after a retryable error.
        #[derive(Debug, Clone, Copy)]
        #[non_exhaustive]
        pub enum Call<'a> {
            $( $(#[$doc])* $name(&'a $input), )*
        }

        /// An engine's answer to a [`Call`]: the variant of the same name.
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum Response {
            $( $(#[$doc])* $name($output), )*
        }

        impl Call<'_> {
            /// DynamoDB's name of the call (`PutItem`), for logs and metrics.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Call::$name(_) => stringify!($name), )*
                }
            }
        }

        impl Response {
            /// The name of the call it answers.
            pub fn name(&self) -> &'static str {
                match self {
                    $( Response::$name(_) => stringify!($name), )*
                }
            }
        }

        $(
            impl sealed::Sealed for $input {}

            impl Input for $input {
                type Output = $output;

                fn call(&self) -> Call<'_> {
                    Call::$name(self)
                }

                fn output(response: Response) -> Result<$output, EngineError> {
                    match response {
                        Response::$name(output) => Ok(output),
                        other => Err(mismatched(stringify!($name), &other)),
                    }
                }
            }
        )*
    };
}

calls! {
    /// GetItem.
    GetItem(GetItemInput) -> GetItemOutput;
    /// PutItem.
    PutItem(PutItemInput) -> WriteOutput;
    /// UpdateItem.
    UpdateItem(UpdateItemInput) -> UpdateItemOutput;
    /// DeleteItem.
    DeleteItem(DeleteItemInput) -> WriteOutput;
    /// BatchGetItem, on one table.
    BatchGetItem(BatchGetInput) -> BatchGetOutput;
    /// BatchWriteItem, on one table.
    BatchWriteItem(BatchWriteInput) -> BatchWriteOutput;
    /// TransactWriteItems.
    TransactWriteItems(TransactWriteInput) -> WriteOutput;
    /// TransactGetItems.
    TransactGetItems(TransactGetInput) -> TransactGetOutput;
    /// Query: one page.
    Query(QueryInput) -> PageOutput;
    /// Scan: one page.
    Scan(ScanInput) -> PageOutput;
    /// SearchVectors: the items of a vector index nearest a vector.
    SearchVectors(SearchVectorsInput) -> SearchVectorsOutput;
    /// CreateTable.
    CreateTable(CreateTableInput) -> TableDescription;
    /// DeleteTable.
    DeleteTable(DeleteTableInput) -> ();
    /// DescribeTable.
    DescribeTable(DescribeTableInput) -> TableDescription;
    /// UpdateTimeToLive: enables expiry by an attribute.
    UpdateTimeToLive(UpdateTimeToLiveInput) -> ();
    /// DescribeTimeToLive: the expiry attribute, when expiry is enabled.
    DescribeTimeToLive(DescribeTimeToLiveInput) -> Option<String>;
    /// DescribeStream: one page of a stream's shards.
    DescribeStream(DescribeStreamInput) -> StreamDescription;
    /// GetShardIterator: where to read a shard from, `None` when there is
    /// nothing to read.
    GetShardIterator(GetShardIteratorInput) -> Option<String>;
    /// GetRecords: the next records of a shard.
    GetRecords(GetRecordsInput) -> RecordsOutput;
}

impl Call<'_> {
    /// The table it reads or writes (a transaction: its first action's);
    /// `None` for the stream calls, which name a stream.
    pub fn table(&self) -> Option<&str> {
        Some(match self {
            Call::GetItem(input) => &input.table,
            Call::PutItem(input) => &input.table,
            Call::UpdateItem(input) => &input.table,
            Call::DeleteItem(input) => &input.table,
            Call::BatchGetItem(input) => &input.table,
            Call::BatchWriteItem(input) => &input.table,
            Call::TransactWriteItems(input) => input.actions.first()?.table(),
            Call::TransactGetItems(input) => &input.gets.first()?.0,
            Call::Query(input) => &input.table,
            Call::Scan(input) => &input.table,
            Call::SearchVectors(input) => &input.table,
            Call::CreateTable(input) => &input.table,
            Call::DeleteTable(input) => &input.table,
            Call::DescribeTable(input) => &input.table,
            Call::UpdateTimeToLive(input) => &input.table,
            Call::DescribeTimeToLive(input) => &input.table,
            Call::DescribeStream(_) | Call::GetShardIterator(_) | Call::GetRecords(_) => {
                return None
            }
        })
    }
}

impl Response {
    /// The capacity units the call consumed, when the engine reported them
    /// (asked by [`Request::return_consumed_capacity`]).
    pub fn consumed_capacity(&self) -> Option<f64> {
        match self {
            Response::GetItem(output) => output.consumed_capacity,
            Response::PutItem(output)
            | Response::DeleteItem(output)
            | Response::TransactWriteItems(output) => output.consumed_capacity,
            Response::UpdateItem(output) => output.consumed_capacity,
            Response::BatchGetItem(output) => output.consumed_capacity,
            Response::BatchWriteItem(output) => output.consumed_capacity,
            Response::TransactGetItems(output) => output.consumed_capacity,
            Response::Query(output) | Response::Scan(output) => output.consumed_capacity,
            // Billed in bytes read, not capacity units.
            Response::SearchVectors(_)
            | Response::CreateTable(_)
            | Response::DeleteTable(())
            | Response::DescribeTable(_)
            | Response::UpdateTimeToLive(())
            | Response::DescribeTimeToLive(_)
            | Response::DescribeStream(_)
            | Response::GetShardIterator(_)
            | Response::GetRecords(_) => None,
        }
    }
}

/// What an engine executes: a call, and whether to report the capacity it
/// consumed.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Request<'a> {
    /// The call and its input.
    pub call: Call<'a>,
    /// Ask DynamoDB for the capacity consumed (`ReturnConsumedCapacity:
    /// TOTAL`), reported in the response. The answer costs the engine work:
    /// the connection asks when its spans are recorded, a paced connection
    /// always.
    pub return_consumed_capacity: bool,
}

impl<'a> Request<'a> {
    /// `call`, not asking for the consumed capacity.
    pub fn new(call: Call<'a>) -> Self {
        Request {
            call,
            return_consumed_capacity: false,
        }
    }

    /// The same request, asking for the consumed capacity (`true`) or not.
    pub fn with_consumed_capacity(mut self, return_consumed_capacity: bool) -> Self {
        self.return_consumed_capacity = return_consumed_capacity;
        self
    }
}

impl<'a> From<Call<'a>> for Request<'a> {
    fn from(call: Call<'a>) -> Self {
        Request::new(call)
    }
}

/// A call's input: the [`Call`] it makes and the output its [`Response`]
/// carries. Implemented by each `*Input` of this module (and only by them).
pub trait Input: sealed::Sealed + fmt::Debug + Sync {
    /// What the response carries.
    type Output: Send + 'static;

    /// The call with this input.
    fn call(&self) -> Call<'_>;

    /// The output a response carries; a response to another call is the
    /// engine's mistake, an [`EngineErrorKind::Internal`] error (the call
    /// was answered: a write may have been applied).
    fn output(response: Response) -> Result<Self::Output, EngineError>;
}

/// The error of an engine that answered `call` with `response`.
fn mismatched(call: &str, response: &Response) -> EngineError {
    EngineError::new(
        EngineErrorKind::Internal,
        None,
        format!("{call} answered with the response of {}", response.name()),
    )
}

use std::fmt;

mod sealed {
    /// Only this crate's inputs are calls.
    pub trait Sealed {}
}
