//! `Option`, `Vec` and string-keyed maps: absent, `L` and `M`.

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;

use super::{nested, Attribute, AttributeAccess, AttributeValue, ItemAccess, ValueError, ValueRef};

/// `None` is an absent attribute (or `NULL` inside a list).
impl<T: Attribute> Attribute for Option<T> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        match self {
            Some(value) => value.to_attribute(),
            None => Ok(AttributeValue::Null),
        }
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        match value {
            AttributeValue::Null => Ok(None),
            value => T::from_attribute(value).map(Some),
        }
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        match value.access() {
            ValueRef::Null => Ok(None),
            _ => T::from_attribute_ref(value).map(Some),
        }
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(None)
    }
}

impl<T: Attribute> Attribute for Vec<T> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        let mut list = Vec::with_capacity(self.len());
        for (index, element) in self.iter().enumerate() {
            list.push(nested(
                element.to_attribute().map_err(|e| e.in_index(index))?,
            ));
        }
        Ok(AttributeValue::L(list))
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        match value {
            AttributeValue::L(list) => list
                .into_iter()
                .enumerate()
                .map(|(index, element)| T::from_attribute(element).map_err(|e| e.in_index(index)))
                .collect(),
            AttributeValue::Null => Ok(Vec::new()),
            other => Err(ValueError::type_mismatch("L", &other)),
        }
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        match value.access() {
            ValueRef::L(list) => list
                .iter()
                .enumerate()
                .map(|(index, element)| {
                    T::from_attribute_ref(element).map_err(|e| e.in_index(index))
                })
                .collect(),
            ValueRef::Null => Ok(Vec::new()),
            _ => Err(ValueError::type_mismatch("L", value)),
        }
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(Vec::new())
    }
}

/// Encodes map entries, leaving out nulls and empty sets (DynamoDB refuses
/// empty sets anywhere).
pub(crate) fn encode_entries<'a, T: Attribute + 'a>(
    entries: impl ExactSizeIterator<Item = (&'a String, &'a T)>,
) -> Result<AttributeValue, ValueError> {
    let mut map = crate::attribute::item_with_capacity(entries.len());
    for (key, value) in entries {
        let value = value.to_attribute().map_err(|e| e.in_key(key))?;
        if !matches!(value, AttributeValue::Null) && !value.is_empty_set() {
            map.insert(key.clone(), value);
        }
    }
    Ok(AttributeValue::M(map))
}

fn decode_entries<T: Attribute, C: FromIterator<(String, T)> + Default>(
    value: AttributeValue,
) -> Result<C, ValueError> {
    match value {
        AttributeValue::M(map) => map
            .into_iter()
            .map(|(key, value)| match T::from_attribute(value) {
                Ok(value) => Ok((key, value)),
                Err(e) => Err(e.in_key(&key)),
            })
            .collect(),
        AttributeValue::Null => Ok(C::default()),
        other => Err(ValueError::type_mismatch("M", &other)),
    }
}

fn decode_entries_ref<T: Attribute, C: FromIterator<(String, T)> + Default, V: AttributeAccess>(
    value: &V,
) -> Result<C, ValueError> {
    match value.access() {
        ValueRef::M(map) => map
            .attributes()
            .map(|(key, value)| match T::from_attribute_ref(value) {
                Ok(value) => Ok((key.to_owned(), value)),
                Err(e) => Err(e.in_key(key)),
            })
            .collect(),
        ValueRef::Null => Ok(C::default()),
        _ => Err(ValueError::type_mismatch("M", value)),
    }
}

impl<T: Attribute, S: BuildHasher + Default> Attribute for HashMap<String, T, S> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        encode_entries(self.iter())
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        decode_entries(value)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        decode_entries_ref(value)
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(HashMap::default())
    }
}

impl<T: Attribute> Attribute for BTreeMap<String, T> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        encode_entries(self.iter())
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        decode_entries(value)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        decode_entries_ref(value)
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(BTreeMap::new())
    }
}

impl<T: Attribute> Attribute for Box<T> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        (**self).to_attribute()
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        T::from_attribute(value).map(Box::new)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        T::from_attribute_ref(value).map(Box::new)
    }
    fn from_missing() -> Result<Self, ValueError> {
        T::from_missing().map(Box::new)
    }
}

/// A raw attribute value passes through unchanged: a field of this type reads
/// and writes whatever is stored.
impl Attribute for AttributeValue {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        Ok(self.clone())
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        Ok(value)
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(AttributeValue::Null)
    }
}

impl<T: Attribute> super::ListAttribute for Vec<T> {}
