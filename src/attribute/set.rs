//! Sets: `HashSet` and `BTreeSet` of strings, numbers or bytes as `SS`, `NS`, `BS`.

use std::collections::{BTreeSet, HashSet};
use std::hash::{BuildHasher, Hash};

use super::{
    Attribute, AttributeAccess, AttributeValue, ScalarType, SetMember, ValueError, ValueRef,
};

fn set_type_name(scalar: ScalarType) -> &'static str {
    match scalar {
        ScalarType::String => "SS",
        ScalarType::Number => "NS",
        ScalarType::Binary => "BS",
    }
}

fn encode_set<'a, T: SetMember + 'a>(
    members: impl ExactSizeIterator<Item = &'a T>,
) -> Result<AttributeValue, ValueError> {
    let expected = set_type_name(T::SCALAR_TYPE);
    match T::SCALAR_TYPE {
        ScalarType::String | ScalarType::Number => {
            let mut texts = Vec::with_capacity(members.len());
            for member in members {
                match member.to_attribute()? {
                    AttributeValue::S(text) | AttributeValue::N(text) => texts.push(text),
                    other => return Err(ValueError::type_mismatch(expected, &other)),
                }
            }
            Ok(if T::SCALAR_TYPE == ScalarType::String {
                AttributeValue::Ss(texts)
            } else {
                AttributeValue::Ns(texts)
            })
        }
        ScalarType::Binary => {
            let mut blobs = Vec::with_capacity(members.len());
            for member in members {
                match member.to_attribute()? {
                    AttributeValue::B(bytes) => blobs.push(bytes),
                    other => return Err(ValueError::type_mismatch(expected, &other)),
                }
            }
            Ok(AttributeValue::Bs(blobs))
        }
    }
}

fn decode_set<T: SetMember, C: Extend<T> + Default>(
    value: AttributeValue,
) -> Result<C, ValueError> {
    let mut set = C::default();
    let members: Vec<AttributeValue> = match (value, T::SCALAR_TYPE) {
        (AttributeValue::Null, _) => return Ok(set),
        (AttributeValue::Ss(v), ScalarType::String) => {
            v.into_iter().map(AttributeValue::S).collect()
        }
        (AttributeValue::Ns(v), ScalarType::Number) => {
            v.into_iter().map(AttributeValue::N).collect()
        }
        (AttributeValue::Bs(v), ScalarType::Binary) => {
            v.into_iter().map(AttributeValue::B).collect()
        }
        (other, scalar) => return Err(ValueError::type_mismatch(set_type_name(scalar), &other)),
    };
    for (index, member) in members.into_iter().enumerate() {
        set.extend(Some(
            T::from_attribute(member).map_err(|e| e.in_index(index))?,
        ));
    }
    Ok(set)
}

/// [`decode_set`] by reference: each member copied once, no list between.
fn decode_set_ref<T: SetMember, C: Extend<T> + Default, V: AttributeAccess>(
    value: &V,
) -> Result<C, ValueError> {
    fn members<T: SetMember, C: Extend<T> + Default>(
        members: impl Iterator<Item = AttributeValue>,
    ) -> Result<C, ValueError> {
        let mut set = C::default();
        for (index, member) in members.enumerate() {
            set.extend(Some(
                T::from_attribute(member).map_err(|e| e.in_index(index))?,
            ));
        }
        Ok(set)
    }
    match (value.access(), T::SCALAR_TYPE) {
        (ValueRef::Null, _) => Ok(C::default()),
        (ValueRef::Ss(v), ScalarType::String) => {
            members(v.iter().map(|s| AttributeValue::S(s.clone())))
        }
        (ValueRef::Ns(v), ScalarType::Number) => {
            members(v.iter().map(|n| AttributeValue::N(n.clone())))
        }
        (ValueRef::Bs(v), ScalarType::Binary) => {
            members(v.iter().map(|b| AttributeValue::B(b.as_ref().to_vec())))
        }
        (_, scalar) => Err(ValueError::type_mismatch(set_type_name(scalar), value)),
    }
}

impl<T: SetMember + Hash, S: BuildHasher + Default> Attribute for HashSet<T, S> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        encode_set(self.iter())
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        decode_set(value)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        decode_set_ref(value)
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(HashSet::default())
    }
}

impl<T: SetMember + Ord> Attribute for BTreeSet<T> {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        encode_set(self.iter())
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        decode_set(value)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        decode_set_ref(value)
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(BTreeSet::new())
    }
}

impl<T: SetMember + Hash, S: BuildHasher + Default> super::SetAttribute for HashSet<T, S> {}
impl<T: SetMember + Hash, S: BuildHasher + Default> super::Addable for HashSet<T, S> {}
impl<T: SetMember + Ord> super::SetAttribute for BTreeSet<T> {}
impl<T: SetMember + Ord> super::Addable for BTreeSet<T> {}
