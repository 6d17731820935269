//! # dynamodb-mapper
//!
//! An object mapper for Amazon DynamoDB. Declare a model with a derive; save,
//! get, batch-get, query, scan and delete it, with conflict detection; on the
//! embedded engine (no AWS account needed) or on real DynamoDB.
//!
//! ```
//! use dynamodb_mapper::{Connection, Document, KeyCondition, Model};
//! use futures::TryStreamExt;
//! use std::collections::HashSet;
//!
//! #[derive(Model, Debug, Clone, PartialEq)]
//! #[dynamodb(table = "doom_map", hash_key = "episode", range_key = "map")]
//! struct DoomMap {
//!     episode: i64,
//!     map: i64,
//!     name: String,
//!     #[dynamodb(default = HashSet::from(["Konami".to_string()]))]
//!     cheats: HashSet<String>,
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> dynamodb_mapper::Result<()> {
//! let conn = Connection::embedded()?;
//! conn.create_table::<DoomMap>().provisioned(10, 10).wait_for_active().await?;
//!
//! let mut e1m1 = Document::new(DoomMap {
//!     episode: 1,
//!     map: 1,
//!     name: "Hangar".into(),
//!     cheats: HashSet::from(["idkfa".into(), "iddqd".into(), "idclip".into()]),
//! });
//! conn.save(&mut e1m1).raise_on_conflict().await?;
//!
//! let loaded = conn.get::<DoomMap>((1, 1)).await?.expect("saved above");
//! assert_eq!(loaded.name, "Hangar");
//!
//! let episode_1: Vec<_> = conn.query::<DoomMap>(1).try_collect().await?;
//! let after_5: Vec<_> = conn.query::<DoomMap>(1).range(KeyCondition::Gt(5)).try_collect().await?;
//! assert_eq!((episode_1.len(), after_5.len()), (1, 0));
//! # Ok(()) }
//! ```
//!
//! The crate is laid out as its architecture:
//! - [`model`]: the [`Model`] trait, its derive, and [`Document`] (an object
//!   plus the stored item conflict detection compares against);
//! - [`attribute`]: conversion between Rust values and attribute values;
//! - [`expression`]: typed conditions with generated placeholders;
//! - [`operation`]: get, batch get, query, scan (pages, cursors, parallel
//!   segments), save, update, delete, batch writes, native transactions, tables;
//! - [`features`]: the original's application features (auto-increment keys,
//!   application-level transactions, migrations, the JSON view) and version
//!   locking;
//! - [`engine`]: the embedded engine and the AWS SDK engine behind one trait;
//! - [`Connection`]: the handle the operations run on.

#![warn(missing_docs)]

// The derives name this crate by its path, also inside it (transaction records).
extern crate self as dynamodb_mapper;

pub mod attribute;
mod connection;
pub mod engine;
mod error;
pub mod expression;
pub mod features;
pub mod model;
pub mod operation;

pub use attribute::{
    Attribute, AttributeValue, Bytes, Decimal, Item, Json, JsonNumber, JsonValue, KeyAttribute,
};
pub use connection::Connection;
pub use dynamodb_mapper_derive::{Attribute, Model};
pub use error::{
    AttributeError, CancellationReason, ConflictError, ConflictKind, EngineError, EngineErrorKind,
    Error, Leftover, Result, StepIndex,
};
pub use expression::{Condition, KeyCondition};
pub use model::{Document, Model};

/// What the derives' generated code uses; not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use serde_json;
}

/// The README's examples, run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
