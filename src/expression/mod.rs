//! Typed expressions: conditions and key conditions built from values, never
//! from hand-written expression strings. Placeholders for attribute names and
//! values are generated, so reserved words (`name`, `map`, `status`) just work.
//!
//! ```
//! # use dynamodb_mapper::Model;
//! #[derive(Model, Debug, Clone, Default)]
//! #[dynamodb(table = "doom_map", hash_key = "episode", range_key = "map")]
//! struct DoomMap { episode: i64, map: i64, name: String }
//!
//! let f = DoomMap::fields();
//! let condition = f.name.begins_with("Hang").and(f.map.gt(5));
//! # let _ = condition;
//! ```

mod compile;
mod condition;
mod key_condition;
mod multi_key;
mod update;

pub use compile::ExpressionAttributes;
pub(crate) use compile::Placeholders;
pub use condition::{AttributeType, Comparison, Condition, Path};
pub use key_condition::KeyCondition;
pub use multi_key::{PartitionKey, SortKey, SortKeys};
pub(crate) use update::overlapping_paths;
pub use update::{SetValue, UpdateAction};
