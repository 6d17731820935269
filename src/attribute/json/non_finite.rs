//! Whether a value holds a float serde_json writes as `null` (NaN and the
//! infinities, which Python writes as `NaN` and `Infinity`): a walk of the
//! value that writes nothing, taken only when streamed text holds a `null`.

use serde::ser::{self, Serialize, Serializer};

/// Whether `value` holds a NaN or an infinite `f32`/`f64` anywhere.
pub(super) fn holds_non_finite<T: Serialize + ?Sized>(value: &T) -> bool {
    // A value that cannot be serialized was streamed without error, so this
    // walk cannot fail either; were it to, the tree decides.
    value.serialize(Finder).unwrap_or(true)
}

struct Finder;

/// The walk of a sequence, map or struct: found once any part holds one.
struct Parts(bool);

impl Parts {
    fn part<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), serde_json::Error> {
        self.0 = self.0 || value.serialize(Finder)?;
        Ok(())
    }
}

macro_rules! nothing_found {
    ($($method:ident: $ty:ty),* $(,)?) => {$(
        fn $method(self, _: $ty) -> Result<bool, serde_json::Error> {
            Ok(false)
        }
    )*};
}

impl Serializer for Finder {
    type Ok = bool;
    type Error = serde_json::Error;
    type SerializeSeq = Parts;
    type SerializeTuple = Parts;
    type SerializeTupleStruct = Parts;
    type SerializeTupleVariant = Parts;
    type SerializeMap = Parts;
    type SerializeStruct = Parts;
    type SerializeStructVariant = Parts;

    nothing_found!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_char: char,
        serialize_str: &str, serialize_bytes: &[u8], serialize_unit_struct: &'static str,
    );

    fn serialize_f32(self, value: f32) -> Result<bool, serde_json::Error> {
        Ok(!value.is_finite())
    }
    fn serialize_f64(self, value: f64) -> Result<bool, serde_json::Error> {
        Ok(!value.is_finite())
    }
    fn serialize_none(self) -> Result<bool, serde_json::Error> {
        Ok(false)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, serde_json::Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<bool, serde_json::Error> {
        Ok(false)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
    ) -> Result<bool, serde_json::Error> {
        Ok(false)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, serde_json::Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<bool, serde_json::Error> {
        value.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Parts, serde_json::Error> {
        Ok(Parts(false))
    }
    fn serialize_tuple(self, _: usize) -> Result<Parts, serde_json::Error> {
        Ok(Parts(false))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Parts, serde_json::Error> {
        Ok(Parts(false))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Parts, serde_json::Error> {
        Ok(Parts(false))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Parts, serde_json::Error> {
        Ok(Parts(false))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Parts, serde_json::Error> {
        Ok(Parts(false))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Parts, serde_json::Error> {
        Ok(Parts(false))
    }
}

/// Every compound type: each element, entry, key and field is walked.
macro_rules! parts {
    ($($trait:ident { $($method:ident($($name:ident: $ty:ty),*)),* }),* $(,)?) => {$(
        impl ser::$trait for Parts {
            type Ok = bool;
            type Error = serde_json::Error;
            $(
                fn $method<T: Serialize + ?Sized>(&mut self, $($name: $ty,)* value: &T) -> Result<(), serde_json::Error> {
                    $(let _ = $name;)*
                    self.part(value)
                }
            )*
            fn end(self) -> Result<bool, serde_json::Error> {
                Ok(self.0)
            }
        }
    )*};
}

parts!(
    SerializeSeq { serialize_element() },
    SerializeTuple { serialize_element() },
    SerializeTupleStruct { serialize_field() },
    SerializeTupleVariant { serialize_field() },
    SerializeStruct { serialize_field(key: &'static str) },
    SerializeStructVariant { serialize_field(key: &'static str) },
);

impl ser::SerializeMap for Parts {
    type Ok = bool;
    type Error = serde_json::Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), serde_json::Error> {
        self.part(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        self.part(value)
    }
    fn end(self) -> Result<bool, serde_json::Error> {
        Ok(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::holds_non_finite;
    use std::collections::BTreeMap;

    #[test]
    fn finds_nan_and_infinities_anywhere_and_nothing_else() {
        assert!(!holds_non_finite(&vec![Some(1.5), None]));
        assert!(holds_non_finite(&vec![Some(1.5), Some(f64::NAN)]));
        assert!(holds_non_finite(&BTreeMap::from([(
            "a",
            vec![f32::INFINITY]
        )])));
        assert!(holds_non_finite(&(1, (2, [f64::NEG_INFINITY]))));
        assert!(!holds_non_finite(&serde_json::json!({"a": [null, 1.0]})));
    }
}
