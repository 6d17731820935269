//! Models: Rust structs that map to a DynamoDB table, declared with `#[derive(Model)]`
//! (every option of the derive, with examples: [`derive(Model)`](derive@crate::Model);
//! for structs stored as maps: [`derive(Attribute)`](derive@crate::Attribute)).
//!
//! ```
//! use dynamodb_mapper::Model;
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
//! // Defaults apply to objects built in code...
//! let e1m1 = DoomMap { episode: 1, map: 1, name: "Hangar".into(), ..Default::default() };
//! assert!(e1m1.cheats.contains("Konami"));
//! // ...never to loaded ones: a missing attribute reads as the neutral value.
//! let item = DoomMap::key_item(&(1, 2)).unwrap();
//! assert!(DoomMap::from_item(item).unwrap().cheats.is_empty());
//! ```

// The submodules are private: what a user names is re-exported below;
// what generated code needs, through `crate::__private`.
pub(crate) mod auto_increment;
pub(crate) mod change;
pub(crate) mod codec;
pub(crate) mod collection;
mod current;
mod document;
pub(crate) mod entity;
mod field;
mod index;
mod key_identity;
pub(crate) mod key_overlap;
pub(crate) mod key_template;
pub(crate) mod migration;
mod path;
mod policies;
mod vector_index;
pub(crate) mod version;

pub use auto_increment::{
    AutoIncrementField, AutoIncrementKey, COUNTER_ATTRIBUTE, COUNTER_KEY,
    MAX_ATTEMPTS as AUTO_INCREMENT_ATTEMPTS,
};
pub use collection::{Collection, Decoded, Member};
pub use document::Document;
pub use entity::EntityDefinition;
pub use field::Field;
pub use index::{Index, IndexDefinition, IndexKind, Projection, StreamView};
pub(crate) use key_identity::{item_key, KeyIdentity};
pub use key_template::{ComposedKey, KeyTemplate, TemplatePart};
pub use migration::{Check, Migrate, Migrator, SchemaVersion};
pub use path::{PathRef, SizeOf};
pub use policies::{MigrateItem, Policies};
pub use vector_index::{Distance, VectorIndex, VectorIndexDefinition};
pub use version::{VersionField, VersionNumber};

use crate::attribute::{Item, KeyAttribute, ScalarType};
use crate::error::AttributeError;

/// One key attribute of a table: its stored name and scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyDefinition {
    /// The stored attribute name.
    pub attribute: &'static str,
    /// `S`, `N` or `B`.
    pub scalar_type: ScalarType,
}

/// What a model declares about its table. What only some models have
/// (auto-increment keys, versions, migrations) is in [`Model::POLICIES`].
#[derive(Debug, Clone, Copy)]
pub struct ModelSchema {
    /// The model's Rust name, used in error messages.
    pub model: &'static str,
    /// The table name (without the connection's prefix).
    pub table: &'static str,
    /// The hash (partition) key.
    pub hash_key: KeyDefinition,
    /// The range (sort) key, if the table has one.
    pub range_key: Option<KeyDefinition>,
    /// Every stored attribute name the model declares, keys included.
    pub attributes: &'static [&'static str],
    /// Attributes whose values never appear in errors, logs or `Debug` output
    /// of this crate (`#[dynamodb(sensitive)]`).
    pub sensitive: &'static [&'static str],
    /// Secondary indexes, created with the table.
    pub indexes: &'static [IndexDefinition],
    /// Vector indexes, created with the table.
    pub vector_indexes: &'static [VectorIndexDefinition],
    /// The time-to-live attribute, enabled when the table is created.
    pub ttl: Option<&'static str>,
    /// The table's stream, enabled when the table is created.
    pub stream: Option<StreamView>,
    /// Attributes no two items may share a value of (`#[dynamodb(unique)]`
    /// on an entity): every write keeps a guard item per value, in the same
    /// native transaction.
    pub unique: &'static [&'static str],
    /// The entities the model's items may be: one for an entity sharing a
    /// table (its stored name, checked on every read), one per variant for
    /// a polymorphic model, none for a model that is no entity.
    pub entities: &'static [EntityDefinition],
    /// Key attributes composed from fields (the primary key's and the
    /// indexes'), rendered on every write.
    pub composed: &'static [ComposedKey],
}

impl ModelSchema {
    /// The index called `name`.
    pub fn index(&self, name: &str) -> Option<&'static IndexDefinition> {
        self.indexes.iter().find(|i| i.name == name)
    }

    /// The vector index called `name`.
    pub fn vector_index(&self, name: &str) -> Option<&'static VectorIndexDefinition> {
        self.vector_indexes.iter().find(|i| i.name == name)
    }

    /// The composed key stored under `attribute`.
    pub fn composed_key(&self, attribute: &str) -> Option<&'static ComposedKey> {
        self.composed
            .iter()
            .find(|c| c.template.attribute == attribute)
    }

    /// Whether the model declares this stored attribute.
    pub fn declares(&self, attribute: &str) -> bool {
        self.attributes.contains(&attribute)
    }
}

/// A struct mapped to a DynamoDB table. Derive it with `#[derive(Model)]`; see
/// [the derive's reference](derive@crate::Model) for every option it takes.
///
/// The trait is the core mapping every model has: its key types, its table
/// declaration ([`SCHEMA`](Model::SCHEMA)), and the conversions between the
/// object, its item, its key and its JSON view. What only some models have
/// is data, not methods: [`POLICIES`](Model::POLICIES) holds one optional
/// entry per policy, each with plain function pointers into the model's
/// fields:
///
/// | policy | entry | what it holds |
/// |---|---|---|
/// | auto-increment hash key | [`AutoIncrementField`] | whether the key is unset, and how to assign it |
/// | optimistic locking | [`VersionField`] | the attribute, how to read and set the version, its largest value |
/// | migrations on read | [`MigrateItem`] | the function that brings a stored item to the current form |
///
/// Generic code reads `M::POLICIES` for any `M: Model`, so no operation
/// needs a bound beyond `Model`, and a model without a policy pays nothing
/// for it. `POLICIES` is the only source of these facts: whether a model has
/// a policy is whether its entry is `Some`.
///
/// A hand-written impl gives the three key types, `SCHEMA`, and the five
/// conversions without defaults; it leaves `POLICIES` out unless the model
/// has a policy:
///
/// ```
/// use dynamodb_mapper::attribute::ScalarType;
/// use dynamodb_mapper::model::{KeyDefinition, ModelSchema, NoRangeKey};
/// use dynamodb_mapper::{Attribute, AttributeValue, Item, Model};
/// use dynamodb_mapper::error::AttributeError;
///
/// struct Tag {
///     name: String,
/// }
///
/// impl Model for Tag {
///     type HashKey = String;
///     type RangeKey = NoRangeKey;
///     type Key = String;
///
///     const SCHEMA: ModelSchema = ModelSchema {
///         model: "Tag",
///         table: "tags",
///         hash_key: KeyDefinition { attribute: "name", scalar_type: ScalarType::String },
///         range_key: None,
///         attributes: &["name"],
///         sensitive: &[],
///         indexes: &[],
///         vector_indexes: &[],
///         ttl: None,
///         stream: None,
///         unique: &[],
///         entities: &[],
///         composed: &[],
///     };
///
///     fn to_item(&self) -> Result<Item, AttributeError> {
///         Self::key_item(&self.name)
///     }
///
///     fn from_item(mut item: Item) -> Result<Self, AttributeError> {
///         let name = item.remove("name").unwrap_or(AttributeValue::Null);
///         let name = String::from_attribute(name)
///             .map_err(|e| AttributeError::new("Tag", "name", e))?;
///         Ok(Tag { name })
///     }
///
///     fn key_item(key: &String) -> Result<Item, AttributeError> {
///         Ok(Item::from_iter([("name".to_string(), AttributeValue::S(key.clone()))]))
///     }
///
///     fn own_key_item(&self) -> Result<Item, AttributeError> {
///         Self::key_item(&self.name)
///     }
///
///     fn to_json(&self) -> Result<serde_json::Value, AttributeError> {
///         Ok(serde_json::json!({ "name": self.name }))
///     }
/// }
///
/// let tag = Tag::from_item(Tag { name: "rust".into() }.to_item().unwrap()).unwrap();
/// assert_eq!(tag.name, "rust");
/// assert!(Tag::POLICIES.version.is_none());
/// ```
pub trait Model: Sized + Send + Sync + 'static {
    /// The hash key's Rust type.
    type HashKey: KeyAttribute + Send + Sync + 'static;
    /// The range key's Rust type; [`NoRangeKey`] for hash-only tables.
    type RangeKey: Send + Sync + 'static;
    /// The full primary key: `HashKey`, or `(HashKey, RangeKey)`.
    type Key: Send + Sync + 'static;

    /// The table and key declaration.
    const SCHEMA: ModelSchema;

    /// What only some models have: auto-increment keys, optimistic locking,
    /// migrations on read ([`Policies::NONE`] by default).
    const POLICIES: Policies<Self> = Policies::NONE;

    /// Encodes the object as an item (empty values left out).
    fn to_item(&self) -> Result<Item, AttributeError>;

    /// Decodes a stored item. Missing attributes read as neutral values;
    /// missing key attributes are an error.
    fn from_item(item: Item) -> Result<Self, AttributeError>;

    /// Decodes a stored item by reference, in whichever engine's form it
    /// came ([`ItemAccess`](crate::attribute::ItemAccess): an [`Item`], the
    /// AWS SDK's map, dynoxide's): reads keep the item for conflict detection
    /// and decode the model from it in place. Derived models read each
    /// attribute by reference; by default, decodes a copy in this crate's form.
    fn from_item_ref<I: crate::attribute::ItemAccess>(item: &I) -> Result<Self, AttributeError> {
        let mut copy = crate::attribute::item_with_capacity(item.attribute_count());
        for (name, value) in item.attributes() {
            let value = crate::attribute::access::known_copy(value)
                .map_err(|e| AttributeError::new(Self::SCHEMA.model, "", e.in_key(name)))?;
            copy.insert(name.to_owned(), value);
        }
        Self::from_item(copy)
    }

    /// The key attributes for a primary key value.
    fn key_item(key: &Self::Key) -> Result<Item, AttributeError>;

    /// The key attributes of this object.
    fn own_key_item(&self) -> Result<Item, AttributeError>;

    /// The original's `to_json_dict()`: every declared attribute by its
    /// stored name, sets as sorted lists, datetimes as Python's `isoformat()`
    /// writes them (no fraction when it is zero).
    fn to_json(&self) -> Result<serde_json::Value, AttributeError>;

    /// The hash key attribute for a hash key value (queries).
    fn hash_key_value(hash: &Self::HashKey) -> Result<crate::AttributeValue, AttributeError> {
        codec::encode_key(
            Self::SCHEMA.model,
            Self::SCHEMA.hash_key.attribute,
            crate::Attribute::to_attribute(hash),
        )
    }
}

/// The range key type of a hash-only model: it has no values, so range
/// conditions on such a model do not compile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoRangeKey {}
