//! Helpers the derive's generated code calls, so that it stays small.

use crate::attribute::{
    AttributeAccess, AttributeValue, Item, ValueError, ValueErrorKind, ValueRef,
};
use crate::error::AttributeError;

/// Encodes one attribute into `item`, leaving empty values out.
#[inline]
pub fn encode_field(
    item: &mut Item,
    model: &'static str,
    name: &'static str,
    value: Result<AttributeValue, ValueError>,
) -> Result<(), AttributeError> {
    let value = value.map_err(|e| AttributeError::new(model, name, e))?;
    crate::attribute::store(item, name, value);
    Ok(())
}

/// Encodes a key attribute: empty values are an error, never left out.
#[inline]
pub fn encode_key(
    model: &'static str,
    name: &'static str,
    value: Result<AttributeValue, ValueError>,
) -> Result<AttributeValue, AttributeError> {
    let value = value.map_err(|e| AttributeError::new(model, name, e))?;
    if value.is_empty_value() {
        return Err(AttributeError::new(
            model,
            name,
            ValueError::new(ValueErrorKind::EmptyKey),
        ));
    }
    Ok(value)
}

/// Decodes one attribute of an item (`None` when it was absent). `V` is
/// the stored value, owned or borrowed, and `decode` its decoder.
#[inline]
pub fn decode_field<V, T>(
    value: Option<V>,
    model: &'static str,
    name: &'static str,
    decode: fn(V) -> Result<T, ValueError>,
    from_missing: fn() -> Result<T, ValueError>,
) -> Result<T, AttributeError> {
    match value {
        Some(value) => decode(value),
        None => from_missing(),
    }
    .map_err(|e| AttributeError::new(model, name, e))
}

/// Decodes a key attribute, which must be present.
#[inline]
pub fn decode_key<V, T>(
    value: Option<V>,
    model: &'static str,
    name: &'static str,
    decode: fn(V) -> Result<T, ValueError>,
) -> Result<T, AttributeError> {
    match value {
        Some(value) => decode(value),
        None => Err(ValueError::new(ValueErrorKind::MissingKey)),
    }
    .map_err(|e| AttributeError::new(model, name, e))
}

/// Encodes one field of a struct stored as a nested map.
#[inline]
pub fn encode_nested(
    item: &mut Item,
    name: &'static str,
    value: Result<AttributeValue, ValueError>,
) -> Result<(), ValueError> {
    let value = value.map_err(|e| e.in_key(name))?;
    if !matches!(value, AttributeValue::Null) && !value.is_empty_set() {
        item.insert(name.to_owned(), value);
    }
    Ok(())
}

/// Decodes one field of a struct stored as a nested map; `V` as in [`decode_field`].
#[inline]
pub fn decode_nested<V, T>(
    value: Option<V>,
    name: &'static str,
    decode: fn(V) -> Result<T, ValueError>,
    from_missing: fn() -> Result<T, ValueError>,
) -> Result<T, ValueError> {
    match value {
        Some(value) => decode(value),
        None => from_missing(),
    }
    .map_err(|e| e.in_key(name))
}

/// The map of a nested struct's stored value, borrowed (`None` for `NULL`).
pub fn nested_map_ref<V: AttributeAccess>(value: &V) -> Result<Option<&V::Map>, ValueError> {
    match value.access() {
        ValueRef::M(map) => Ok(Some(map)),
        ValueRef::Null => Ok(None),
        _ => Err(ValueError::type_mismatch("M", value)),
    }
}

/// Takes the map out of a nested struct's stored value.
pub fn nested_map(value: AttributeValue) -> Result<Item, ValueError> {
    match value {
        AttributeValue::M(map) => Ok(map),
        AttributeValue::Null => Ok(Item::default()),
        other => Err(ValueError::type_mismatch("M", &other)),
    }
}
