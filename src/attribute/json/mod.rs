//! JSON text attributes, written exactly as Python's
//! `json.dumps(value, sort_keys=True)` writes them, so tables are shared with
//! the original library: keys sorted, `", "` and `": "` separators, non-ASCII
//! escaped as `\uXXXX`, floats in Python's `repr` form.
//!
//! Use the [`Json`] wrapper type, or the `#[dynamodb(json)]` field option,
//! which routes a field through [`to_attribute`] and [`from_attribute`]. For
//! untyped JSON, [`JsonValue`] keeps every number's text (Python's integers
//! of any size, `NaN`, `Infinity`), so text another program wrote is saved
//! back byte for byte.

use std::ops::{Deref, DerefMut};

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

mod de;
mod non_finite;
mod parse;
mod python_dumps;
mod ser;
mod value;

pub use python_dumps::{python_float_repr, to_python_json};
pub use value::{JsonNumber, JsonValue};

use super::{
    Attribute, AttributeAccess, AttributeValue, KeyAttribute, ScalarType, ValueError,
    ValueErrorKind, ValueRef,
};

/// A value stored as JSON text (`S`), as the original library stores lists and dicts.
///
/// ```
/// use dynamodb_mapper::{Attribute, AttributeValue, Json};
/// use std::collections::BTreeMap;
///
/// let spell = BTreeMap::from([("name", "fireball"), ("damage", "10")].map(|(k, v)| (k.to_string(), v.to_string())));
/// let spells = Json(vec![spell]);
/// assert_eq!(
///     spells.to_attribute().unwrap(),
///     AttributeValue::S(r#"[{"damage": "10", "name": "fireball"}]"#.into())
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Json<T>(pub T);

impl<T> Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: Serialize + DeserializeOwned + Default> Attribute for Json<T> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        to_attribute(&self.0)
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        from_attribute(value).map(Json)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        from_attribute_ref(value).map(Json)
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(Json(T::default()))
    }
    fn to_json(&self) -> Result<Value, ValueError> {
        to_json(&self.0)
    }
}

impl<T: Serialize + DeserializeOwned + Default> KeyAttribute for Json<T> {
    const SCALAR_TYPE: ScalarType = ScalarType::String;
}

fn json_error(value: &str, error: impl ToString) -> ValueError {
    ValueError::new(ValueErrorKind::InvalidJson {
        value: value.chars().take(80).collect(),
        reason: error.to_string(),
    })
}

/// Encodes any serializable value as Python-compatible JSON text. `null`, `[]`
/// and `{}` are empty values (absent at the top level of an item).
pub fn to_attribute<T: Serialize + ?Sized>(value: &T) -> Result<AttributeValue, ValueError> {
    let text = python_dumps::to_text(value)?;
    if matches!(text.as_str(), "null" | "[]" | "{}") {
        return Ok(AttributeValue::Null);
    }
    Ok(AttributeValue::S(text))
}

/// Decodes JSON text.
pub fn from_attribute<T: DeserializeOwned + Default>(
    value: AttributeValue,
) -> Result<T, ValueError> {
    from_attribute_ref(&value)
}

/// Decodes JSON text without taking the stored value.
///
/// No integer is silently rounded: text holding an integer beyond 64 bits is
/// decoded exactly (`i128`/`u128` fields get it, [`JsonValue`] keeps it), and
/// a type that cannot hold it (`serde_json::Value`, `f64` aside) is an
/// [`InvalidJson`](ValueErrorKind::InvalidJson) error naming the number.
/// Python's `NaN` and `Infinity` are read too.
pub fn from_attribute_ref<T: DeserializeOwned + Default>(
    value: &impl AttributeAccess,
) -> Result<T, ValueError> {
    match value.access() {
        ValueRef::S(text) if de::needs_exact(text) => de::from_text_exact(text),
        ValueRef::S(text) => serde_json::from_str(text).map_err(|e| json_error(text, e)),
        ValueRef::Null => Ok(T::default()),
        _ => Err(ValueError::type_mismatch("S", value)),
    }
}

/// The JSON value itself in the model's JSON view (not its text): numbers
/// as JSON numbers where that is exact, otherwise (integers beyond 64 bits)
/// as their decimal text, as the view shows `N` numbers.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Value, ValueError> {
    Ok(ser::to_tree(value)?.to_serde_json())
}

/// A missing JSON attribute reads as the type's default (`[]`, `{}`).
pub fn from_missing<T: Default>() -> Result<T, ValueError> {
    Ok(T::default())
}

#[cfg(test)]
mod tests;
