//! dynoxide's values, read in place.

use dynoxide::types::AttributeValue as DxValue;
use std::collections::HashMap;

use super::{AttributeAccess, ValueRef};

impl AttributeAccess for DxValue {
    type Map = HashMap<String, DxValue>;
    type Binary = Vec<u8>;

    #[inline]
    fn access(&self) -> ValueRef<'_, Self> {
        match self {
            DxValue::S(v) => ValueRef::S(v),
            DxValue::N(v) => ValueRef::N(v),
            DxValue::B(v) => ValueRef::B(v),
            DxValue::BOOL(v) => ValueRef::Bool(*v),
            DxValue::NULL(_) => ValueRef::Null,
            DxValue::SS(v) => ValueRef::Ss(v),
            DxValue::NS(v) => ValueRef::Ns(v),
            DxValue::BS(v) => ValueRef::Bs(v),
            DxValue::L(v) => ValueRef::L(v),
            DxValue::M(v) => ValueRef::M(v),
        }
    }
}

super::engine_map_access!(DxValue);
