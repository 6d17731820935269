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
//! The crate is laid out as its architecture: layers, each a folder, each
//! using only the layers above it in this list (`tests/layers.rs` checks it):
//! 1. [`attribute`]: conversion between Rust values and attribute values
//!    (and the JSON view of them); the error types ([`error`]) sit beside
//!    it. Values
//!    are read in whichever engine's form they came
//!    ([`attribute::access`]): this layer knows each engine's value type
//!    (the AWS SDK's, dynoxide's), as serde_dynamo knows the SDK's, and
//!    [`attribute::StoredItem`] keeps a read item in it; requests and
//!    everything else of an engine stay in [`engine`];
//! 2. [`expression`]: conditions, key conditions and updates, compiled with
//!    generated placeholders;
//! 3. [`model`]: the [`Model`] trait and its derive, typed field handles,
//!    [`Document`] (an object plus the stored item conflict detection compares
//!    against), keys, and the model's own policies: auto-increment keys,
//!    version locking, migrations on read;
//! 4. [`engine`]: the embedded engine and the AWS SDK engine behind one
//!    seam, [`Engine::exec`](engine::Engine::exec);
//! 5. [`operation`]: [`Connection`] and its methods, each beside its
//!    builder: get, batch get, query, scan (pages, cursors, parallel
//!    segments), save, update, delete, batch writes, native transactions,
//!    tables, a table's stream read as typed changes, and what a write
//!    whose answer was lost does;
//! 6. the concepts built on them, each a module that gathers its types
//!    from the layers below: [`streams`] (records, typed changes, readers,
//!    Lambda's events), [`transactions`] (native and application-level),
//!    [`backfill`] (rewriting a table's items on the public API).
//!
//! Coming from the Python library? [`guide::migrating_from_python`] puts each
//! of its constructs beside the Rust one; `#[dynamodb(format = "python")]`
//! shares its tables.

#![warn(missing_docs)]
// docs.rs builds with every feature and labels what needs one (`embedded`, `aws`).
#![cfg_attr(docsrs, feature(doc_cfg))]

// The derives name this crate by its path, also inside it (transaction records).
extern crate self as dynamodb_mapper;

pub mod attribute;
pub mod backfill;
pub mod engine;
pub mod error;
pub mod expression;
pub mod model;
pub mod operation;
pub mod streams;
pub mod transactions;

/// Guides: longer pages than the reference of one item. Their examples run
/// on the embedded engine.
#[cfg(feature = "embedded")]
pub mod guide {
    #[doc = include_str!("guide/migrating_from_python.md")]
    pub mod migrating_from_python {}
}

#[doc(inline)]
pub use attribute::{
    Attribute, AttributeValue, Bytes, Decimal, Item, Json, JsonValue, KeyAttribute, Vector,
};
#[doc = include_str!("model/derive_attribute.md")]
pub use dynamodb_mapper_derive::Attribute;
#[doc = include_str!("model/derive_collection.md")]
pub use dynamodb_mapper_derive::Collection;
#[doc = include_str!("model/derive_model.md")]
pub use dynamodb_mapper_derive::Model;
#[doc(inline)]
pub use error::{Error, Result};
#[doc(inline)]
pub use expression::{Condition, KeyCondition};
#[doc(inline)]
pub use model::{Collection, Document, Model};
#[doc(inline)]
pub use operation::Connection;

/// What the derives' generated code uses, and the only path it reaches this
/// crate by (so that moving an item inside the crate cannot break derived
/// code); not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use serde_json;

    // Values and their conversions.
    pub use crate::attribute::access::known_copy;
    pub use crate::attribute::{
        bool_as_number, epoch_seconds, form, item_with_capacity, json, serde_value, Attribute,
        AttributeAccess, AttributeNames, AttributeValue, Item, ItemAccess, KeyAttribute,
        KeySegment, NumberAttribute, PythonAttribute, ScalarType, StoredItem, ValueError,
        ValueErrorKind, VectorField,
    };
    pub use crate::error::{AttributeError, Error};
    pub use crate::model::change::DecodeChange;
    pub use crate::model::collection::{
        decode_as, entity_of, index_holds_entity, same_entity, same_index_partition, same_layout,
        same_partition, same_primary_key, union_len, union_of_names, Collection, Decoded, Member,
    };
    pub use crate::model::entity::EntityDefinition;
    pub use crate::model::key_overlap::keys_can_meet;
    pub use crate::model::key_template::{
        composed_text, parse_segment, render_segment, ComposedKey, KeyTemplate, TemplateField,
        TemplatePart,
    };
    // The model, its schema and typed handles.
    pub use crate::model::auto_increment::{AutoIncrementField, AutoIncrementKey};
    pub use crate::model::migration::migrate;
    pub use crate::model::version::{VersionField, VersionNumber};
    pub use crate::model::{
        Distance, Field, Index, IndexDefinition, IndexKind, KeyDefinition, Model, ModelSchema,
        NoRangeKey, Policies, Projection, StreamView, VectorIndex, VectorIndexDefinition,
    };
    // The helpers that keep generated encoding and decoding small.
    pub use crate::model::codec::{
        decode_field, decode_key, decode_nested, encode_field, encode_key, encode_nested,
        nested_map, nested_map_ref,
    };
}

/// The README's examples, run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
