//! [`Bytes`]: binary attributes (`B`).

use std::ops::{Deref, DerefMut};

use super::{Attribute, AttributeValue, KeyAttribute, ScalarType, SetMember, ValueError};

/// Binary data, stored as DynamoDB's `B` type.
///
/// A plain `Vec<u8>` is a list of numbers, like any other `Vec`; wrap bytes in
/// `Bytes` to store them as binary.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bytes(pub Vec<u8>);

impl Deref for Bytes {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Bytes {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(value: Vec<u8>) -> Self {
        Bytes(value)
    }
}

impl From<&[u8]> for Bytes {
    fn from(value: &[u8]) -> Self {
        Bytes(value.to_vec())
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(value: Bytes) -> Self {
        value.0
    }
}

impl Attribute for Bytes {
    fn to_attribute(&self) -> Result<AttributeValue, ValueError> {
        Ok(AttributeValue::B(self.0.clone()))
    }
    fn from_attribute(value: AttributeValue) -> Result<Self, ValueError> {
        match value {
            AttributeValue::B(bytes) => Ok(Bytes(bytes)),
            AttributeValue::Null => Ok(Bytes::default()),
            other => Err(ValueError::type_mismatch("B", &other)),
        }
    }
    fn from_missing() -> Result<Self, ValueError> {
        Ok(Bytes::default())
    }
}

impl KeyAttribute for Bytes {
    const SCALAR_TYPE: ScalarType = ScalarType::Binary;
}
impl SetMember for Bytes {}
