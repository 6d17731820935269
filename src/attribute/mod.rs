//! Attribute conversion: Rust values to DynamoDB attribute values and back.
//!
//! Every field type of a model implements [`Attribute`]. The encodings follow the
//! original Python library where it defined one, so both libraries share tables:
//!
//! | Rust type | stored as |
//! |---|---|
//! | integers (`i8`..`i128`, `u8`..`u128`), `f32`, `f64`, [`Decimal`] | `N` |
//! | `String` | `S` |
//! | `bool` | `BOOL` (or `N` 0/1 with [`bool_as_number`]) |
//! | [`Bytes`] | `B` |
//! | `HashSet`/`BTreeSet` of strings, numbers, bytes | `SS` / `NS` / `BS` |
//! | `Vec<T>` | `L` |
//! | `HashMap`/`BTreeMap<String, T>`, `#[derive(Attribute)]` structs | `M` |
//! | [`Json<T>`] (or the `json` field option), [`JsonValue`] | `S`: JSON text as Python writes it |
//! | `chrono::DateTime<Utc>` / `DateTime<FixedOffset>` | `S`: `YYYY-MM-DDTHH:MM:SS.ffffff+00:00` |
//! | [`Vector<N>`](Vector) | `L` of `N` numbers: an `f32` embedding, as vector indexes read it |
//! | `Option<T>` | absent when `None` |
//!
//! A model declared with `#[dynamodb(format = "python")]` stores its fields
//! in the original's form instead (`bool` as `N` 0/1, lists and maps as JSON
//! text): [`PythonAttribute`], see [`python`].
//!
//! At the top level of an item, empty values (empty strings, sets, lists and
//! maps, and `None`) are left out, and a missing attribute reads as the type's
//! neutral value (`0`, `""`, an empty set, ...), as in the original.

pub mod access;
mod bytes;
mod containers;
mod datetime;
mod decimal;
pub mod dynamodb_json;
mod error;
pub mod form;
mod item_key;
pub mod json;
pub mod json_view;
mod key_segment;
mod number;
pub mod python;
mod scalar;
mod secret;
pub mod serde_dynamo_bridge;
pub mod serde_value;
mod set;
mod value;
mod vector;

pub use self::bytes::Bytes;
pub use access::{AttributeAccess, ItemAccess, ItemVisitor, StoredItem, ValueRef};
pub use datetime::{epoch_seconds, isoformat};
pub use decimal::Decimal;
pub use error::{ValueError, ValueErrorKind};
pub use item_key::ItemKey;
pub use json::{Json, JsonNumber, JsonValue};
pub use key_segment::KeySegment;
pub use python::PythonAttribute;
pub use secret::Secret;
pub(crate) use value::RedactedItem;
pub use value::{
    item_size, item_with_capacity, same_item, AttributeValue, Item, ItemHasher, ScalarType,
};
pub use vector::{SearchVector, Vector, VectorField, MAX_DIMENSIONS};

/// A Rust type that converts to and from one DynamoDB attribute value.
///
/// Implemented for the standard types listed in the [module docs](self); derive
/// it with `#[derive(Attribute)]` for a struct stored as a map.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored as a DynamoDB attribute",
    note = "implement `dynamodb_mapper::Attribute`, derive it for a struct stored as a map, or store it as JSON text with `#[dynamodb(json)]`"
)]
pub trait Attribute: Sized {
    /// Encodes the value. Empty values may encode to an empty attribute value:
    /// the item level decides whether it is stored.
    fn to_attribute(&self) -> Result<AttributeValue, ValueError>;

    /// Decodes a stored value.
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError>;

    /// Decodes a stored value by reference, in whichever engine's form it
    /// came ([`AttributeAccess`]: this crate's [`AttributeValue`], the AWS
    /// SDK's, dynoxide's). Reads keep the item as stored (conflict detection
    /// compares against it), so models are decoded from it in place rather
    /// than from a copy. By default, decodes a copy of `value` in this
    /// crate's form: right for types that own a copy of the data anyway
    /// (strings, bytes, sets); numbers and containers override it.
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        Self::from_attribute(access::known_copy(value)?)
    }

    /// The value of an attribute missing from a stored item: the type's neutral
    /// value (`0`, `""`, empty collections, `None`).
    fn from_missing() -> Result<Self, ValueError>;

    /// The value in a model's JSON view (`Model::to_json`): by default its
    /// attribute value as JSON, sets sorted.
    fn to_json(&self) -> Result<serde_json::Value, ValueError> {
        self.to_attribute()
            .map(|value| json_view::attribute_to_json(&value))
    }
}

/// An attribute type that can be a table's hash or range key: it is stored as
/// a string, a number or a binary.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB key attribute",
    note = "key attributes are stored as strings (S), numbers (N) or binary (B): use an integer, `String`, `Decimal`, `Bytes`, a datetime or `Json<T>`"
)]
pub trait KeyAttribute: Attribute {
    /// The key's scalar type in the table's key schema.
    const SCALAR_TYPE: ScalarType;
}

/// A type that can be a member of a DynamoDB set (`SS`, `NS` or `BS`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a member of a DynamoDB set",
    note = "sets hold strings, numbers (integers or `Decimal`) or `Bytes`"
)]
pub trait SetMember: KeyAttribute + Eq {}

/// A struct stored as a map whose attribute names are known: a projection
/// type. `#[derive(Attribute)]` implements it; queries and scans projected
/// into it read only these attributes.
pub trait AttributeNames {
    /// The stored attribute names.
    const NAMES: &'static [&'static str];
}

/// A number type: `ADD` and arithmetic apply to it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a number attribute",
    note = "numbers are integers, floats and `Decimal`: arithmetic and time to live need one (store a datetime for time to live with `#[dynamodb(epoch_seconds)]`)"
)]
pub trait NumberAttribute: Attribute {}

/// A set type (`SS`, `NS`, `BS`): `ADD` and `DELETE` of members apply to it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a set attribute",
    note = "DELETE applies only to sets (`HashSet`/`BTreeSet` of strings, numbers or `Bytes`)"
)]
pub trait SetAttribute: Attribute {}

/// A type `ADD` applies to: numbers and sets.
#[diagnostic::on_unimplemented(
    message = "ADD does not apply to `{Self}`",
    note = "ADD applies only to numbers and sets; use `set` for other attributes"
)]
pub trait Addable: Attribute {}

/// A list type: `list_append` applies to it.
pub trait ListAttribute: Attribute {}

/// Encodes one top-level attribute of an item, leaving empty values out.
///
/// Used by the derive; the item level is where the original's empty-value rule applies.
#[doc(hidden)]
pub fn store(item: &mut Item, name: &'static str, value: AttributeValue) {
    if !value.is_empty_value() {
        item.insert(name.to_owned(), value);
    }
}

/// Encodes a value nested inside a list or map, where only empty sets (which
/// DynamoDB refuses everywhere) are replaced by null.
pub(crate) fn nested(value: AttributeValue) -> AttributeValue {
    if value.is_empty_set() {
        AttributeValue::Null
    } else {
        value
    }
}

/// Field-option module: `bool` stored as the number 0 or 1, as the original library does.
///
/// `#[dynamodb(bool_as_number)]` on a `bool` field selects it. Reading accepts
/// both the number and a native `BOOL`.
pub mod bool_as_number {
    use super::{AttributeValue, ValueError};

    /// Encodes `true` as `N "1"`, `false` as `N "0"`.
    pub fn to_attribute(value: &bool) -> Result<AttributeValue, ValueError> {
        Ok(AttributeValue::N(if *value { "1" } else { "0" }.to_owned()))
    }

    /// Decodes `N` 0/1 (any non-zero number is true) or a native `BOOL`.
    pub fn from_attribute(value: AttributeValue) -> Result<bool, ValueError> {
        <bool as super::Attribute>::from_attribute(value)
    }

    /// A missing attribute reads as `false`.
    pub fn from_missing() -> Result<bool, ValueError> {
        Ok(false)
    }

    /// A JSON boolean in the model's JSON view.
    pub fn to_json(value: &bool) -> Result<serde_json::Value, ValueError> {
        Ok(serde_json::Value::Bool(*value))
    }
}
