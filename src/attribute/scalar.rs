//! Strings and booleans.

use super::{Attribute, AttributeValue, KeyAttribute, ScalarType, SetMember, ValueError};

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
    fn from_attribute_ref(value: &AttributeValue) -> Result<Self, ValueError> {
        match value {
            AttributeValue::Bool(b) => Ok(*b),
            AttributeValue::N(text) => match super::Decimal::parse(text) {
                Ok(number) => Ok(!number.is_zero()),
                Err(_) => Err(ValueError::type_mismatch("BOOL", value)),
            },
            AttributeValue::Null => Ok(false),
            other => Err(ValueError::type_mismatch("BOOL", other)),
        }
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(false)
    }
}
