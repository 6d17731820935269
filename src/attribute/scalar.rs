//! Strings and booleans.

use super::{
    Attribute, AttributeAccess, AttributeValue, KeyAttribute, ScalarType, SetMember, ValueError,
    ValueRef,
};

impl Attribute for String {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        Ok(AttributeValue::S(self.clone()))
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        match value {
            AttributeValue::S(text) => Ok(text),
            AttributeValue::Null => Ok(String::new()),
            other => Err(ValueError::type_mismatch("S", &other)),
        }
    }
    #[inline]
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        match value.access() {
            ValueRef::S(text) => Ok(text.to_owned()),
            ValueRef::Null => Ok(String::new()),
            _ => Err(ValueError::type_mismatch("S", value)),
        }
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(String::new())
    }
}

impl KeyAttribute for String {
    const SCALAR_TYPE: ScalarType = ScalarType::String;
}
impl SetMember for String {}

/// Native `BOOL`. Reading also accepts the original library's `N` 0/1 form,
/// so a table shared with it reads either way.
impl Attribute for bool {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        Ok(AttributeValue::Bool(*self))
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        Self::from_attribute_ref(&value)
    }
    fn from_attribute_ref<V: AttributeAccess>(value: &V) -> Result<Self, ValueError> {
        match value.access() {
            ValueRef::Bool(b) => Ok(b),
            ValueRef::N(text) => match super::Decimal::parse(text) {
                Ok(number) => Ok(!number.is_zero()),
                Err(_) => Err(ValueError::type_mismatch("BOOL", value)),
            },
            ValueRef::Null => Ok(false),
            _ => Err(ValueError::type_mismatch("BOOL", value)),
        }
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(false)
    }
}
