//! Any serializable value as a [`JsonValue`] tree, the tree Python's
//! sorted-keys text is written from when a value's keys do not arrive in
//! order. Unlike `serde_json::Value`, it holds integers of any size (128-bit
//! ones included); a failure names the field or element where it happened.

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::{self, Impossible, Serialize};

use super::python_dumps::python_float_repr;
use super::value::{JsonNumber, JsonValue};
use super::{json_error, ValueError};

/// `value` as a tree; the error names `type_name` and the path of the fault.
pub(super) fn to_tree<T: Serialize + ?Sized>(value: &T) -> Result<JsonValue, ValueError> {
    value
        .serialize(Tree)
        .map_err(|error| error.into_value_error(&short_type_name(std::any::type_name::<T>())))
}

/// A type's name without module paths: `Vec<Record>`.
fn short_type_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut word = String::new();
    let mut chars = name.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            word.push(c);
        } else if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            word.clear();
        } else {
            out.push_str(&word);
            word.clear();
            out.push(c);
        }
    }
    out.push_str(&word);
    out
}

/// A serialization error, with where it happened (innermost first).
#[derive(Debug)]
pub(super) struct SerError {
    reason: String,
    path: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

impl SerError {
    fn at(mut self, segment: Segment) -> Self {
        self.path.push(segment);
        self
    }

    fn into_value_error(self, type_name: &str) -> ValueError {
        let mut path = String::new();
        for segment in self.path.iter().rev() {
            match segment {
                Segment::Key(key) => path.push_str(&format!(".{key}")),
                Segment::Index(index) => path.push_str(&format!("[{index}]")),
            }
        }
        let mut error = json_error(&format!("{type_name}{path}"), self.reason);
        for segment in self.path {
            error = match segment {
                Segment::Key(key) => error.in_key(&key),
                Segment::Index(index) => error.in_index(index),
            };
        }
        error
    }
}

impl fmt::Display for SerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for SerError {}

impl ser::Error for SerError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        SerError {
            reason: message.to_string(),
            path: Vec::new(),
        }
    }
}

fn error(reason: &str) -> SerError {
    ser::Error::custom(reason)
}

/// Serializes into a [`JsonValue`], as serde_json would into its `Value`.
struct Tree;

macro_rules! integers {
    ($($method:ident: $ty:ty),* $(,)?) => {$(
        fn $method(self, value: $ty) -> Result<JsonValue, SerError> {
            Ok(JsonValue::Number(JsonNumber::from(value)))
        }
    )*};
}

fn object(key: &str, value: JsonValue) -> JsonValue {
    JsonValue::Object(BTreeMap::from([(key.to_owned(), value)]))
}

impl ser::Serializer for Tree {
    type Ok = JsonValue;
    type Error = SerError;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Seq;
    type SerializeMap = Map;
    type SerializeStruct = Map;
    type SerializeStructVariant = Map;

    integers!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128,
    );

    fn serialize_bool(self, value: bool) -> Result<JsonValue, SerError> {
        Ok(JsonValue::Bool(value))
    }
    fn serialize_f32(self, value: f32) -> Result<JsonValue, SerError> {
        self.serialize_f64(f64::from(value))
    }
    /// `NaN` and the infinities as Python writes them (`NaN`, `Infinity`).
    fn serialize_f64(self, value: f64) -> Result<JsonValue, SerError> {
        Ok(JsonValue::Number(JsonNumber::from_f64(value)))
    }
    fn serialize_char(self, value: char) -> Result<JsonValue, SerError> {
        Ok(JsonValue::String(value.to_string()))
    }
    fn serialize_str(self, value: &str) -> Result<JsonValue, SerError> {
        Ok(JsonValue::String(value.to_owned()))
    }
    fn serialize_bytes(self, value: &[u8]) -> Result<JsonValue, SerError> {
        Ok(JsonValue::Array(value.iter().map(|&b| b.into()).collect()))
    }
    fn serialize_none(self) -> Result<JsonValue, SerError> {
        Ok(JsonValue::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<JsonValue, SerError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<JsonValue, SerError> {
        Ok(JsonValue::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<JsonValue, SerError> {
        Ok(JsonValue::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<JsonValue, SerError> {
        Ok(JsonValue::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<JsonValue, SerError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<JsonValue, SerError> {
        let inner = value
            .serialize(Tree)
            .map_err(|e| e.at(Segment::Key(variant.to_owned())))?;
        Ok(object(variant, inner))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, SerError> {
        Ok(Seq {
            items: Vec::with_capacity(len.unwrap_or(0).min(4096)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Seq, SerError> {
        let mut seq = self.serialize_seq(Some(len))?;
        seq.variant = Some(variant);
        Ok(seq)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map, SerError> {
        Ok(Map {
            map: BTreeMap::new(),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Map, SerError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Map, SerError> {
        let mut map = self.serialize_map(Some(len))?;
        map.variant = Some(variant);
        Ok(map)
    }
}

/// A list being built (a tuple variant's, wrapped in `{variant: [..]}`).
struct Seq {
    items: Vec<JsonValue>,
    variant: Option<&'static str>,
}

impl Seq {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        let index = self.items.len();
        let item = value
            .serialize(Tree)
            .map_err(|e| e.at(Segment::Index(index)))?;
        self.items.push(item);
        Ok(())
    }

    fn finish(self) -> JsonValue {
        let array = JsonValue::Array(self.items);
        match self.variant {
            Some(variant) => object(variant, array),
            None => array,
        }
    }
}

macro_rules! seq_impl {
    ($($trait:ident: $method:ident),*) => {$(
        impl ser::$trait for Seq {
            type Ok = JsonValue;
            type Error = SerError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
                self.push(value)
            }
            fn end(self) -> Result<JsonValue, SerError> {
                Ok(self.finish())
            }
        }
    )*};
}

seq_impl!(
    SerializeSeq: serialize_element,
    SerializeTuple: serialize_element,
    SerializeTupleStruct: serialize_field,
    SerializeTupleVariant: serialize_field
);

/// An object being built (a struct variant's, wrapped in `{variant: {..}}`).
struct Map {
    map: BTreeMap<String, JsonValue>,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl Map {
    fn insert<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), SerError> {
        match value.serialize(Tree) {
            Ok(item) => {
                // A repeated key keeps its last value, as in serde_json's map.
                self.map.insert(key, item);
                Ok(())
            }
            Err(e) => Err(e.at(Segment::Key(key))),
        }
    }

    fn finish(self) -> JsonValue {
        let map = JsonValue::Object(self.map);
        match self.variant {
            Some(variant) => object(variant, map),
            None => map,
        }
    }
}

impl ser::SerializeMap for Map {
    type Ok = JsonValue;
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerError> {
        self.key = Some(key.serialize(Key)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        match self.key.take() {
            Some(key) => self.insert(key, value),
            None => Err(error("a map value serialized before its key")),
        }
    }
    fn end(self) -> Result<JsonValue, SerError> {
        Ok(self.finish())
    }
}

macro_rules! struct_impl {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Map {
            type Ok = JsonValue;
            type Error = SerError;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), SerError> {
                self.insert(key.to_owned(), value)
            }
            fn end(self) -> Result<JsonValue, SerError> {
                Ok(self.finish())
            }
        }
    )*};
}

struct_impl!(SerializeStruct, SerializeStructVariant);

/// A map key as text: strings, and numbers and booleans written as Python
/// writes such keys (`{"1": ..}`, `{"true": ..}`, floats in `repr` form).
struct Key;

macro_rules! key_integers {
    ($($method:ident: $ty:ty),* $(,)?) => {$(
        fn $method(self, value: $ty) -> Result<String, SerError> {
            Ok(value.to_string())
        }
    )*};
}

impl ser::Serializer for Key {
    type Ok = String;
    type Error = SerError;
    type SerializeSeq = Impossible<String, SerError>;
    type SerializeTuple = Impossible<String, SerError>;
    type SerializeTupleStruct = Impossible<String, SerError>;
    type SerializeTupleVariant = Impossible<String, SerError>;
    type SerializeMap = Impossible<String, SerError>;
    type SerializeStruct = Impossible<String, SerError>;
    type SerializeStructVariant = Impossible<String, SerError>;

    key_integers!(
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_i128: i128, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64, serialize_u128: u128, serialize_bool: bool, serialize_char: char,
    );

    fn serialize_f32(self, value: f32) -> Result<String, SerError> {
        self.serialize_f64(f64::from(value))
    }
    fn serialize_f64(self, value: f64) -> Result<String, SerError> {
        Ok(python_float_repr(value))
    }
    fn serialize_str(self, value: &str) -> Result<String, SerError> {
        Ok(value.to_owned())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, SerError> {
        Ok(variant.to_owned())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, SerError> {
        value.serialize(self)
    }
    fn serialize_bytes(self, _value: &[u8]) -> Result<String, SerError> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<String, SerError> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<String, SerError> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<String, SerError> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<String, SerError> {
        Err(key_error())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<String, SerError> {
        Err(key_error())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, SerError> {
        Err(key_error())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, SerError> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, SerError> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, SerError> {
        Err(key_error())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, SerError> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, SerError> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, SerError> {
        Err(key_error())
    }
}

fn key_error() -> SerError {
    error("a JSON object key must be a string, a number or a boolean")
}
