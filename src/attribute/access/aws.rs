//! The AWS SDK's values, read in place.

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue as SdkValue;
use std::collections::HashMap;

use super::{AttributeAccess, ValueRef};

impl AttributeAccess for SdkValue {
    type Map = HashMap<String, SdkValue>;
    type Binary = Blob;

    #[inline]
    fn access(&self) -> ValueRef<'_, Self> {
        match self {
            SdkValue::S(v) => ValueRef::S(v),
            SdkValue::N(v) => ValueRef::N(v),
            SdkValue::B(v) => ValueRef::B(v.as_ref()),
            SdkValue::Bool(v) => ValueRef::Bool(*v),
            SdkValue::Null(_) => ValueRef::Null,
            SdkValue::Ss(v) => ValueRef::Ss(v),
            SdkValue::Ns(v) => ValueRef::Ns(v),
            SdkValue::Bs(v) => ValueRef::Bs(v),
            SdkValue::L(v) => ValueRef::L(v),
            SdkValue::M(v) => ValueRef::M(v),
            _ => ValueRef::Unknown,
        }
    }
}

super::engine_map_access!(SdkValue);
