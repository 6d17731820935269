//! Application features built on the operations: the original library's
//! application-level transactions; resumable, paced backfills; Lambda's DynamoDB stream events as typed
//! changes (feature `lambda`). (Auto-increment keys, versions and
//! migrations are the model's own policies, in [`model`](crate::model); the
//! JSON view is in [`attribute::json_view`](crate::attribute::json_view).)

pub mod app_transaction;
pub mod backfill;
#[cfg(feature = "lambda")]
pub mod lambda;
